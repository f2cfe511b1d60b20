"""LinksDialog: the links of a paper (or its linked repos), to open or copy.

Targets come from untrusted text. Each is shown literally with its label; only
http(s) targets can be opened (enter), anything else (``javascript:``, ``file:``,
relative paths) is marked "not opened" and can only be copied (``c``), which puts
plain text on the clipboard.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from paperreader.core import text
from paperreader.core.fulltext.blocks import Link

#: Links listed at most (a hostile document can hold a great many).
MAX_LINKS = 2_000


def _label(link: Link, width: int = 160) -> Content:
    label = text.one_line(link.text, max_len=80)
    url = text.one_line(link.url, max_len=width)
    note = "" if link.openable else "   (not opened: not a web link)"
    # Content(...) is literal text: nothing in a label or URL is read as markup.
    return Content(f"{label}  →  {url}{note}" if label and label != url else f"{url}{note}")


class LinksDialog(ModalScreen[str | None]):
    """Lists links; dismisses with the URL to open (only ever an http(s) one) or None."""

    DEFAULT_CSS = """
    LinksDialog { align: center middle; background: $background 40%; }
    LinksDialog > OptionList {
        width: 90%; max-width: 140; height: 80%; border: round $accent; background: $surface;
    }
    """
    BINDINGS = [
        Binding("escape,L", "cancel", "Close", show=False),
        Binding("c", "copy", "Copy link", show=False),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
    ]

    def __init__(self, links: Sequence[Link], *, title: str = "Links") -> None:
        super().__init__()
        self.links = list(links[:MAX_LINKS])
        self._title = title
        self._more = max(0, len(links) - MAX_LINKS)

    def compose(self) -> ComposeResult:
        options = [Option(_label(link), id=str(i)) for i, link in enumerate(self.links)]
        if not options:
            options = [Option(Content("No links."), disabled=True)]
        yield OptionList(*options, id="links")

    def on_mount(self) -> None:
        """Title with the keys; start on the first link."""
        option_list = self.query_one(OptionList)
        more = f" (first {MAX_LINKS}; {self._more} more)" if self._more else ""
        option_list.border_title = f"{self._title}{more}"
        option_list.border_subtitle = "enter: open · c: copy · esc: close"
        if self.links:
            option_list.highlighted = 0

    @property
    def current(self) -> Link | None:
        """The highlighted link."""
        index = self.query_one(OptionList).highlighted
        return self.links[index] if index is not None and index < len(self.links) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter: open a web link; refuse anything else."""
        event.stop()
        link = self.current
        if link is None:
            return
        if link.openable and text.is_safe_url(link.url):
            self.dismiss(link.url)
        else:
            self.notify("Not a web link: not opened (c copies it).", severity="warning")

    def action_copy(self) -> None:
        """c: copy the highlighted link's target as plain text."""
        link = self.current
        if link is not None:
            self.app.copy_to_clipboard(text.one_line(link.url, max_len=4096))
            self.notify("Link copied.", timeout=2)

    def action_move(self, step: int) -> None:
        """j/k move like the arrows."""
        option_list = self.query_one(OptionList)
        if step > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_cancel(self) -> None:
        """Escape or L: close without opening."""
        self.dismiss(None)
