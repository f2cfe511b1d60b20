"""HelpScreen: every key binding, with its id (for remapping in the config file)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from paperreader.ui.key_names import KeyNames, keys_for, shown

#: The list's introduction; each ``{binding_id}`` becomes the key that runs it now.
INTRO = (
    "paperreader keeps Hugging Face Daily Papers in a local store and syncs it in the "
    "background. Digits before a move repeat it: 4{cursor_down} moves four papers, 12{first} "
    "goes to the 12th. Every mark can be undone with {undo}. In the filter pane, 1–9 open "
    "your saved watches ({save_watch} saves the current search as one). Keys can be "
    'remapped in the config file under [keymap] by binding id, e.g.  read_next = "x".'
)

#: What the title line says, so nobody has to guess how to leave or scroll.
HOW_TO = "{help_down}/{help_up}, {help_page} and {help_top}/{help_bottom} scroll · {closes}"


def how_to(keymap: Mapping[str, str]) -> str:
    """The title line's hint, naming the keys the help's bindings have now."""
    close = keys_for(keymap, "close_help")
    closes = f"{', '.join(close[:-1])} or {close[-1]}" if len(close) > 1 else close[0]
    names = KeyNames(keymap)
    names["closes"] = f"{closes} closes"
    return HOW_TO.format_map(names)


def help_rows(nodes: Iterable[DOMNode], keymap: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(keys, description, binding id) for every binding with an id on ``nodes``.

    ``nodes`` go from the innermost widget out to the app, so a widget's own keys
    come first; ``keymap`` (binding id → keys) shows remapped keys as the reader set them.
    """
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for node in nodes:
        for binding in type(node).BINDINGS:
            if not isinstance(binding, Binding) or not binding.id or binding.id in seen:
                continue
            seen.add(binding.id)
            keys = keymap.get(binding.id, binding.key)
            pretty = ", ".join(shown(k) for k in keys.split(","))
            # The footer shows the short description; the tooltip says it in full.
            rows.append((pretty, binding.tooltip or binding.description, binding.id))
    return rows


class HelpScreen(ModalScreen[None]):
    """A modal table of keys; escape, q or ? closes it, the list's own keys scroll it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="close_help"),
        Binding("j,down", "scroll('down')", "Down", show=False, id="help_down"),
        Binding("k,up", "scroll('up')", "Up", show=False, id="help_up"),
        Binding("space,pagedown", "scroll('page_down')", "Page down", show=False, id="help_page"),
        Binding("b,pageup", "scroll('page_up')", "Page up", show=False, id="help_page_up"),
        Binding("g,home", "scroll('home')", "Top", show=False, id="help_top"),
        Binding("G,end", "scroll('end')", "Bottom", show=False, id="help_bottom"),
    ]

    def __init__(
        self, rows: list[tuple[str, str, str]], intro: str, keymap: Mapping[str, str]
    ) -> None:
        super().__init__()
        self.rows = rows
        self.intro = intro.format_map(KeyNames(keymap))
        self.how_to = how_to(keymap)

    def compose(self) -> ComposeResult:
        """The key table in a scrollable box."""
        from rich.table import Table

        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("keys", no_wrap=True)
        table.add_column("action")
        table.add_column("binding id", style="dim", no_wrap=True)
        for keys, description, binding_id in self.rows:
            table.add_row(Text(keys, style="bold"), Text(description), Text(binding_id))
        with VerticalScroll(id="help-box"):
            title = Text.assemble(("Keys", "bold"), ("   " + self.how_to, "dim"))
            yield Static(title, id="help-title")
            yield Static(Text(self.intro, style="dim"))
            yield Static(table)

    def action_scroll(self, where: str) -> None:
        """Scroll the key table (the list's keys, not only the arrows)."""
        box = self.query_one("#help-box", VerticalScroll)
        move = {
            "down": box.scroll_down,
            "up": box.scroll_up,
            "page_down": box.scroll_page_down,
            "page_up": box.scroll_page_up,
            "home": box.scroll_home,
            "end": box.scroll_end,
        }[where]
        move(animate=False)

    async def action_dismiss(self, result: None = None) -> None:
        """Close the help."""
        self.dismiss(None)
