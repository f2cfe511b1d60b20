"""Watches in the filter pane (with new-match counts), and the dialog naming a watch.

The list shows what the radar controller gives it (:meth:`WatchList.show_watches`) and
hands choices back to it: enter, a click or the number keys 1–9 open a watch.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from paperreader.core import text
from paperreader.core.radar.watch import NAME_MAX
from paperreader.ui.key_names import key

#: Cells a watch's name may take in the pane (its count follows).
NAME_WIDTH = 24


def watch_label(number: int, name: str, count: int) -> str:
    """``1 diffusion (3 new)``: one line, the name cut to fit the pane."""
    tail = f" ({count} new)" if count else ""
    room = NAME_WIDTH - len(tail) - 2
    shown = text.one_line(name, max_len=NAME_MAX)
    shown = shown if len(shown) <= room else shown[: room - 1] + "…"
    prefix = f"{number} " if number <= 9 else "  "
    return f"{prefix}{shown}{tail}"


class WatchList(OptionList):
    """The saved watches, numbered; choosing one asks the screen's radar to open it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.names: list[str] = []

    def on_mount(self) -> None:
        """Ask the radar for the watches (the pane mounts its controls late)."""
        radar = getattr(self.screen, "radar", None)
        if radar is not None:
            radar.paint_watches()

    def show_watches(self, watches: list[tuple[str, int]]) -> None:
        """List ``(name, new count)`` pairs, keeping the highlight where it was."""
        highlighted = self.highlighted
        self.names = [name for name, _ in watches]
        self.clear_options()
        if not watches:
            hint = f"none yet: {key(self, 'save_watch')} saves a search"
            self.add_option(Option(Content(hint), disabled=True))
            return
        for number, (name, count) in enumerate(watches, 1):
            # Content, never markup: a watch's name is the user's text.
            self.add_option(Option(Content(watch_label(number, name, count)), id=f"w:{name}"))
        if highlighted is not None:
            self.highlighted = min(highlighted, len(watches) - 1)

    def on_key(self, event: events.Key) -> None:
        """1–9 open that watch."""
        if event.character and event.character in "123456789":
            index = int(event.character) - 1
            if index < len(self.names):
                event.stop()
                event.prevent_default()
                self._open(self.names[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click opens the watch."""
        event.stop()
        oid = event.option.id or ""
        if oid.startswith("w:"):
            self._open(oid.removeprefix("w:"))

    def _open(self, name: str) -> None:
        radar = getattr(self.screen, "radar", None)
        if radar is not None:
            radar.open_watch(name)


class NameDialog(ModalScreen[str | None]):
    """Asks for a watch's name; dismisses with it, or None when cancelled.

    ``check`` says what is wrong with a name ('' if nothing): the dialog then stays
    open with that line, so a name already taken can be changed in place.
    """

    DEFAULT_CSS = """
    NameDialog { align: center middle; }
    NameDialog > Vertical {
        width: 60; height: auto; padding: 1 2;
        border: round $accent; background: $surface;
    }
    NameDialog #name-error { color: $error; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True)]

    def __init__(
        self, title: str, suggested: str = "", check: Callable[[str], str] | None = None
    ) -> None:
        super().__init__()
        self.heading = title
        self.suggested = text.one_line(suggested, max_len=NAME_MAX)
        self.check = check

    def compose(self) -> ComposeResult:
        """The title, the name box and a line for problems."""
        with Vertical():
            yield Label(Content(self.heading))
            yield Input(value=self.suggested, max_length=NAME_MAX, id="watch-name")
            yield Label(Content("enter saves · escape cancels"), classes="muted")
            yield Label("", id="name-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: the name, unless it is empty."""
        event.stop()
        name = event.value.strip()
        problem = "a watch needs a name" if not name else self.check(name) if self.check else ""
        if problem:
            self.query_one("#name-error", Label).update(Content(problem))
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        """Escape: no name."""
        self.dismiss(None)
