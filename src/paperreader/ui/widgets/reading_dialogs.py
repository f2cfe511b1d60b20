"""Small modal dialogs of the reading view: find text, and the table of contents."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from paperreader.core.fulltext.blocks import TocEntry
from paperreader.ui.key_names import key


class FindDialog(ModalScreen[str | None]):
    """Asks for the text to find; dismisses with it (``None`` when cancelled)."""

    DEFAULT_CSS = """
    FindDialog { align: center bottom; background: $background 40%; }
    FindDialog > Vertical {
        width: 60%; min-width: 30; height: auto; padding: 0 1; margin-bottom: 2;
        border: round $accent; background: $surface;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self._query = query

    def compose(self) -> ComposeResult:
        with Vertical():
            step = f"{key(self, 'reading_next_match')}/{key(self, 'reading_previous_match')}"
            yield Label(f"Find in paper (enter: go, {step}: next/previous, escape: cancel)")
            yield Input(value=self._query, placeholder="text to find", id="find-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: hand back what was typed."""
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Escape: close without finding."""
        self.dismiss(None)


class ContentsDialog(ModalScreen[int | None]):
    """The paper's headings; dismisses with the chosen heading's block index."""

    DEFAULT_CSS = """
    ContentsDialog { align: center middle; background: $background 40%; }
    ContentsDialog > OptionList {
        width: 80%; max-width: 100; height: 80%; border: round $accent; background: $surface;
    }
    """
    BINDINGS = [
        Binding("escape,t", "cancel", "Close", show=False),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
    ]

    def __init__(self, entries: list[TocEntry], current: int | None = None) -> None:
        super().__init__()
        self._entries = entries
        self._current = current

    def compose(self) -> ComposeResult:
        options = [
            # Content(...) is plain text: a heading is never read as markup.
            Option(Content("  " * max(0, e.level - 1) + e.text[:200]), id=str(i))
            for i, e in enumerate(self._entries)
        ]
        if not options:
            options = [Option(Content("This paper has no headings."), disabled=True)]
        yield OptionList(*options, id="contents")

    def on_mount(self) -> None:
        """Start on the section being read."""
        option_list = self.query_one(OptionList)
        option_list.border_title = "Contents"
        if self._current is not None and self._entries:
            option_list.highlighted = self._current

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter: jump to that heading."""
        event.stop()
        if event.option.id is not None:
            self.dismiss(self._entries[int(event.option.id)].block)

    def action_move(self, step: int) -> None:
        """j/k move like the arrows."""
        option_list = self.query_one(OptionList)
        if step > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_cancel(self) -> None:
        """Escape or t: close without jumping."""
        self.dismiss(None)
