"""StatusLine: counts, the active filter, and the state of the background sync."""

from __future__ import annotations

from rich.text import Text
from textual.signal import Signal
from textual.timer import Timer
from textual.widgets import Static

from paperreader.core import clock, sync_status, text
from paperreader.core.config import Settings
from paperreader.core.models import SyncProgress, SyncReport
from paperreader.core.sync_process import SyncEvent

#: How long a note about the last action stays on the status line.
NOTE_SECONDS = 8.0


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
        self.note = ""
        """A report of the reader's last action ("24 marked read — u to undo")."""
        self.sync = ""
        self.sync_style = "dim"
        self.extra = ""
        """A standing remark after the listing ("✦ 12 new since last time")."""
        self._note_timer: Timer | None = None

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

    def set_note(self, value: str, *, seconds: float = NOTE_SECONDS) -> None:
        """Report the reader's last action for a while (left of the listing)."""
        self.note = text.one_line(value, max_len=120)
        if self._note_timer is not None:
            self._note_timer.stop()
        self._note_timer = self.set_timer(seconds, self._clear_note) if value else None
        self._paint()

    def _clear_note(self) -> None:
        self.note = ""
        self._paint()

    def set_extra(self, value: str) -> None:
        """Show a standing remark after the listing ('' for none)."""
        self.extra = text.one_line(value, max_len=80)
        self._paint()

    def set_sync(self, value: str, style: str = "dim") -> None:
        """Show the state of syncing (right part)."""
        self.sync = text.one_line(value, max_len=160)
        self.sync_style = style
        self._paint()

    def _paint(self) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        if self.note:
            line.append(self.note, style="bold")
            line.append("  │  ", style="dim")
        line.append(self.listing)
        if self.extra:
            line.append(" · " + self.extra, style="bold")
        if self.sync:
            line.append("  │  ", style="dim")
            line.append(self.sync, style=self.sync_style)
        # Fixed height and width: no layout pass (this updates many times a second in a sync).
        self.update(line, layout=False)
