"""StatusLine: counts, the active filter, and the state of the background sync."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from paperreader.core import text


class StatusLine(Static):
    """One line at the bottom: ``1,204 papers · 37 unread · All · newest │ synced 10:32``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.listing = ""
        self.sync = ""
        self.sync_style = "dim"

    def set_listing(self, value: str) -> None:
        self.listing = value
        self._paint()

    def set_sync(self, value: str, *, style: str = "dim") -> None:
        self.sync = text.one_line(value, max_len=160)
        self.sync_style = style
        self._paint()

    def _paint(self) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(self.listing)
        if self.sync:
            line.append("  │  ", style="dim")
            line.append(self.sync, style=self.sync_style)
        # Fixed height and width: no layout pass (this updates many times a second in a sync).
        self.update(line, layout=False)
