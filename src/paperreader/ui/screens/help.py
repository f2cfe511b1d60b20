"""HelpScreen: every key binding, with its id (for remapping in the config file)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = (
    "paperreader keeps Hugging Face Daily Papers in a local store and syncs it in the "
    "background. Keys can be remapped in the config file under [keymap] by binding id, "
    'e.g.  toggle_read = "x".'
)


class HelpScreen(ModalScreen[None]):
    """A modal table of keys; escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="close_help"),
    ]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        from rich.table import Table

        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("keys", no_wrap=True)
        table.add_column("action")
        table.add_column("binding id", style="dim", no_wrap=True)
        for keys, description, binding_id in self.rows:
            table.add_row(Text(keys, style="bold"), Text(description), Text(binding_id))
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(Text(INTRO, style="dim"))
            yield Static(table)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
