"""StatusLine: counts, the active filter, and the state of the background sync."""

from __future__ import annotations

from rich.text import Text
from textual.signal import Signal
from textual.widgets import Static

from paperreader.core import clock, sync_status, text
from paperreader.core.config import Settings
from paperreader.core.models import SyncProgress, SyncReport
from paperreader.core.sync_process import SyncEvent


class StatusLine(Static):
    """One line at the bottom: ``1,204 papers · 37 unread · All · newest │ synced 10:32``.

    The sync half follows the app's sync events by itself (see :mod:`sync_status`).
    """

    def __init__(
        self, settings: Settings, sync_events: Signal[SyncEvent], *, id: str | None = None
    ) -> None:
        super().__init__("", id=id)
        self.settings = settings
        self._sync_events = sync_events
        self.listing = ""
        self.sync = ""
        self.sync_style = "dim"

    def on_mount(self) -> None:
        """Listen for sync news."""
        self._sync_events.subscribe(self, self._sync_event)

    def _sync_event(self, event: SyncEvent) -> None:
        api = self.settings.api_url
        if isinstance(event, SyncProgress):
            self.set_sync(*sync_status.progress(event, api))
        elif isinstance(event, SyncReport):
            self.set_sync(*sync_status.finished(event, clock.stamp(), api))
        else:
            self.set_sync(*sync_status.failed(event.reason))

    def set_listing(self, value: str) -> None:
        """Show what is listed (left part)."""
        self.listing = value
        self._paint()

    def set_sync(self, value: str, style: str = "dim") -> None:
        """Show the state of syncing (right part)."""
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
