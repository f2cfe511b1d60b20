"""``paperreader mark``: read / unread / favourite marks from scripts.

Ids come from the command line or from stdin (``-``, or no ids with piped input). Stdin
may hold plain ids (one per line or space-separated), or JSON as ``list --json`` writes
it, whole or filtered through jq: arrays, objects with an ``id``, id strings, or several
JSON values in a row. An empty stdin is an empty selection (exit 0, "nothing to mark");
no ids with nothing piped in (a terminal, /dev/null) is a usage error. The marks go
through the same stamping as the reader's keys (:mod:`~paperreader.core.statesync.service`):
with a ``state_dir`` set, they are journaled and reach the user's other machines.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

from paperreader.cli import output
from paperreader.cli.parser import PROG, UsageError
from paperreader.core import text
from paperreader.core.statesync import service
from paperreader.core.store import Store

_NO_ID = object()
_SEPARATORS = re.compile(r"[\s,]+")


def wanted_ids(args: argparse.Namespace) -> list[str]:
    """The raw ids asked for: arguments, with stdin read for ``-`` or when piped."""
    if args.read is None and args.favourite is None:
        raise UsageError(
            f"{PROG} mark: say what to do: --read, --unread, --favourite or --unfavourite"
        )
    given = [i for i in args.ids if i != "-"]
    if "-" in args.ids or (not args.ids and _piped()):
        # Asked for, or piped in: an empty stdin is a script's empty selection (a jq
        # filter that matched nothing), not a mistake; ``run`` says there is nothing to do.
        given += ids_from_text(output.stdin_text())
    elif not args.ids:
        # No ids and nothing piped in (a terminal, /dev/null, a closed stdin): a mistake.
        raise UsageError(f"{PROG} mark: give paper ids, or pipe them in (e.g. from list --json)")
    return given


def _piped() -> bool:
    """Whether stdin is a pipe, socket or file: input a script means to give us."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (AttributeError, OSError, ValueError):  # no stdin, or not a real file
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISREG(mode)


def ids_from_text(data: str) -> list[str]:
    """Ids in ``data``: JSON values (as ``list --json`` or jq print them) or plain words."""
    stripped = data.strip()
    if not stripped:
        return []
    if stripped[0] not in '[{"':
        return [w for w in _SEPARATORS.split(stripped) if w]
    decoder = json.JSONDecoder(object_hook=_id_of)
    found: list[Any] = []
    pos = 0
    try:
        while pos < len(stripped):
            value, pos = decoder.raw_decode(stripped, pos)
            found.append(value)
            while pos < len(stripped) and stripped[pos].isspace():
                pos += 1
    except (ValueError, RecursionError):
        raise UsageError(
            f"{PROG} mark: stdin is neither ids nor JSON with ids (stopped at character {pos})"
        ) from None
    return list(_flatten(found))


def _id_of(obj: dict[str, Any]) -> Any:
    # Called for every object, innermost first: keep only what names a paper.
    value = obj.get("id")
    return value if isinstance(value, str) else _NO_ID


def _flatten(value: Any) -> Any:
    if isinstance(value, list):
        for item in value:
            yield from _flatten(item)
    elif isinstance(value, str):
        yield value
    elif value is not _NO_ID and value is not None:
        yield str(value)  # a number or a boolean: reported as not an id


def run(
    store: Store,
    args: argparse.Namespace,
    raw: list[str],
    state_dir: Path | str | None = None,
) -> int:
    """Apply the marks to ``raw`` ids (from :func:`wanted_ids`); report what changed,
    ids not in the store and tokens that are not ids. With ``state_dir``, the marks
    are journaled there too."""
    if not raw:
        output.note("nothing to mark: no ids on stdin")
        return 0
    ids: dict[str, None] = {}  # ordered and unique
    invalid: list[str] = []
    for token in raw:
        pid = text.normalize_paper_id(token)
        if pid is None:
            invalid.append(text.one_line(token, max_len=40))
        else:
            ids[pid] = None
    known = _known(store, list(ids))
    unknown = [pid for pid in ids if pid not in known]
    present = [pid for pid in ids if pid in known]
    states = {pid: store.state(pid) for pid in present}
    if args.read is not None:
        todo = [pid for pid in present if states[pid][0] != args.read]
        if todo:
            _warn(service.set_read(store, todo, args.read, state_dir).problem)
        word = "read" if args.read else "unread"
        output.note(_summary(f"marked {word}", len(todo), len(present) - len(todo), word))
    if args.favourite is not None:
        todo = [pid for pid in present if states[pid][1] != args.favourite]
        if todo:
            _warn(service.set_favourite(store, todo, args.favourite, state_dir).problem)
        what = "added to favourites" if args.favourite else "removed from favourites"
        state = "favourites" if args.favourite else "not favourites"
        output.note(_summary(what, len(todo), len(present) - len(todo), state))
    if unknown:
        output.note(f"not in the store ({len(unknown)}): {_some(unknown)}")
    if invalid:
        output.note(f"not arXiv ids ({len(invalid)}): {_some(invalid)}")
    return 1 if unknown or invalid else 0


def _warn(problem: str | None) -> None:
    if problem:
        output.note(f"{PROG}: warning: {problem}")


def _summary(done: str, changed: int, unchanged: int, state: str) -> str:
    line = f"{done}: {changed} paper{'s' if changed != 1 else ''}"
    return line + (f" ({unchanged} already {state})" if unchanged else "")


def _some(items: list[str], shown: int = 10) -> str:
    head = ", ".join(items[:shown])
    return head + (f" and {len(items) - shown} more" if len(items) > shown else "")


def _known(store: Store, ids: list[str]) -> set[str]:
    return store.known(ids)
