"""The keys a hint names: the ones the reader's ``[keymap]`` binds now, not the built-in ones.

A note such as "u to undo" is only true while undo is on ``u``: with ``undo = "ctrl+z"``
in the config file it must say "ctrl+z to undo". Hints name a binding by its id and ask
here which key runs it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

#: How keys are written in hints and the help (Textual's names for the symbols).
KEY_NAMES = {"question_mark": "?", "slash": "/", "space": "space", "escape": "esc"}

_declared: dict[str, str] = {}


def shown(key: str) -> str:
    """``key`` as a person reads it: ``?`` rather than ``question_mark``."""
    key = key.strip()
    return KEY_NAMES.get(key, key)


def import_ui() -> None:
    """Import every module of the reader's UI, so every binding it declares is known.

    The reading view and the help load only when first opened; a keymap checked, or a
    hint named, before then must still find their bindings.
    """
    import importlib
    import pkgutil

    import paperreader.ui

    for info in pkgutil.walk_packages(paperreader.ui.__path__, "paperreader.ui."):
        importlib.import_module(info.name)


def loaded_bindings(
    packages: tuple[str, ...] = ("paperreader.ui",),
) -> Iterator[tuple[str, Binding]]:
    """(id, binding) for every binding with an id declared by a class of a loaded module
    of ``packages``.

    Found by walking the classes rather than listed, so a binding added to the UI is known
    without an edit; each class is read in the module that defines it.
    """
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(packages):
            continue
        for obj in list(vars(module).values()):
            if isinstance(obj, type) and obj.__module__ == name:
                for binding in obj.__dict__.get("BINDINGS", ()):
                    if isinstance(binding, Binding) and binding.id:
                        yield binding.id, binding


def _scan() -> None:
    for binding_id, binding in loaded_bindings():
        _declared.setdefault(binding_id, binding.key)


def declared_keys(binding_id: str) -> str:
    """The keys the reader's own classes bind ``binding_id`` to (``u,ctrl+z``).

    Found by walking the UI classes, so a hint cannot drift from its binding: the loaded
    ones first, all of them if the binding is not among those.
    """
    if binding_id not in _declared:
        _scan()
    if binding_id not in _declared:
        import_ui()
        _scan()
    try:
        return _declared[binding_id]
    except KeyError:
        raise KeyError(f"no binding has the id {binding_id!r}") from None


def keys_for(keymap: Mapping[str, str], binding_id: str) -> list[str]:
    """Every key that runs ``binding_id`` now, as shown to a person."""
    keys = keymap.get(binding_id) or declared_keys(binding_id)
    return [shown(k) for k in keys.split(",") if k.strip()]


def key_for(keymap: Mapping[str, str], binding_id: str) -> str:
    """The first key that runs ``binding_id`` now: the one a hint names."""
    return keys_for(keymap, binding_id)[0]


def app_keymap(node: DOMNode) -> Mapping[str, str]:
    """The reader's keymap (binding id → keys), or none in an app that is not the reader."""
    keymap = getattr(node.app, "keymap", None)
    return keymap if isinstance(keymap, Mapping) else {}


def key(node: DOMNode, binding_id: str) -> str:
    """The key that runs ``binding_id`` in ``node``'s app."""
    return key_for(app_keymap(node), binding_id)


class KeyNames(dict[str, str]):
    """``str.format_map`` for hint templates: ``"{undo} to undo"`` → ``"u to undo"``."""

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.keymap = keymap

    def __missing__(self, binding_id: str) -> str:
        return key_for(self.keymap, binding_id)


def shadowed(screen: Screen[object], keymap: Mapping[str, str]) -> list[str]:
    """``[keymap]`` entries that can never run on ``screen`` as it is focused now: each of
    their keys is taken by another binding nearer the focus (``read_next = "j"`` where the
    list's own ``j`` moves down), described for a warning.

    Only bindings on the focus chain are judged; a key Textual writes differently (``?``
    for ``question_mark``) is given the benefit of the doubt.
    """
    focused = screen.focused
    chain: list[DOMNode] = list(focused.ancestors_with_self) if focused else [screen, screen.app]
    present = {
        binding.id
        for node in chain
        for klass in type(node).__mro__
        for binding in klass.__dict__.get("BINDINGS", ())
        if isinstance(binding, Binding) and binding.id
    }
    active = screen.active_bindings
    out = []
    for binding_id, keys in keymap.items():
        if binding_id not in present:
            continue
        names = [k.strip() for k in keys.split(",") if k.strip()]
        takers = {k: active[k].binding.id for k in names if k in active}
        if len(takers) == len(names) and binding_id not in takers.values():
            taken = ", ".join(f"{shown(k)} is {other}'s" for k, other in takers.items())
            out.append(f'{binding_id} = "{keys}" ({taken})')
    return out
