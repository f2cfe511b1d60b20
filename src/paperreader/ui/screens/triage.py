"""Triage: what the reader's decisions do (marks, stars, opening links, next unread).

The screen's key actions call into a ``Triage``; it writes the store, then repaints
the rows, the detail and the counts that changed. Store failures are reported in
one place, :func:`~paperreader.ui.errors.reports_store_errors`, as a notification:
a mark that could not be written never crashes the reader.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.timer import Timer

from paperreader.core.models import PaperRow, paper_urls
from paperreader.ui.errors import reports_store_errors

if TYPE_CHECKING:
    from paperreader.ui.screens.main import MainScreen

#: Opens a URL; False when no browser could be started.
Opener = Callable[[str], bool | None]
#: The detail pane follows the cursor after this pause, so holding j/k stays smooth.
DETAIL_DELAY = 0.04


class Triage:
    """Marks, stars, links and unread-hopping for one ``MainScreen``."""

    def __init__(self, screen: MainScreen, opener: Opener) -> None:
        self.screen = screen
        self.store = screen.store
        self.opener = opener
        self._detail_timer: Timer | None = None
        self._read_timer: Timer | None = None

    # -- following the cursor ------------------------------------------------------------

    def follow(self, row: PaperRow | None) -> None:
        """Show ``row`` in the detail pane once the cursor rests on it."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.screen.set_timer(DETAIL_DELAY, lambda: self.show(row))

    @reports_store_errors
    def show(self, row: PaperRow | None) -> None:
        """Show ``row`` in the detail pane now; start the auto-read clock if configured."""
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        detail = self.screen.detail
        if row is None:
            detail.show(None, empty_hint=self.screen.empty_hint())
            return
        detail.show(self.store.get(row.id, with_signals=True))
        seconds = self.screen.settings.auto_read_seconds
        if seconds > 0 and not row.read:
            self._read_timer = self.screen.set_timer(seconds, lambda: self._auto_read(row.rid))

    def _auto_read(self, rid: int) -> None:
        row = self.screen.paper_list.current
        if row is not None and row.rid == rid and not row.read:
            self._set_read(row, True)

    # -- marks -----------------------------------------------------------------------------

    @reports_store_errors
    def _set_read(self, row: PaperRow, read: bool) -> bool:
        self.store.set_read([row.id], read)
        if read != row.read:
            self.screen.listing.unread_total += -1 if read else 1
        self._refresh_row(row)
        return True

    def _refresh_row(self, row: PaperRow) -> None:
        screen = self.screen
        screen.paper_list.refresh_rows([row.rid])
        current = screen.paper_list.current
        if current is not None and current.rid == row.rid:
            screen.detail.show(self.store.get(row.id, with_signals=True))
        screen.list_pane.announce()

    def opened(self, row: PaperRow) -> None:
        """The reader opened ``row`` (enter): it counts as read."""
        if not row.read:
            self._set_read(row, True)

    def toggle_read(self) -> None:
        """Toggle the current paper's read mark; marking read moves to the next paper."""
        row = self.screen.paper_list.current
        if row is None:
            return
        if self._set_read(row, not row.read) and not row.read:
            self.screen.paper_list.action_cursor_down()

    @reports_store_errors
    def toggle_favourite(self) -> None:
        """Star or unstar the current paper."""
        row = self.screen.paper_list.current
        if row is not None:
            self.store.set_favourite(row.id, not row.favourite)
            self._refresh_row(row)

    @reports_store_errors
    def mark_all_read(self) -> None:
        """Mark every paper in the current list read."""
        screen = self.screen
        screen.list_pane.load_whole_list()
        rids = screen.paper_list.rids
        if not rids:
            return
        changed = self.store.set_read(self.store.paper_ids(rids), True)
        screen.listing.unread_total = self.store.unread_count()
        screen.paper_list.refresh_rows()
        self.show(screen.paper_list.current)
        screen.list_pane.announce()
        screen.notify(f"Marked {changed:,} papers read")

    # -- moving and opening ------------------------------------------------------------

    @reports_store_errors
    def step_unread(self, step: int) -> None:
        """Move the cursor to the next (``step`` 1) or previous (-1) unread paper."""
        self.screen.list_pane.load_whole_list()
        pl = self.screen.paper_list
        index = pl.cursor + step
        while 0 <= index < pl.count:
            row = pl.row_at(index)
            if row is not None and not row.read:
                pl.move_to(index)
                return
            index += step
        self.screen.notify("No more unread papers this way", timeout=2)

    def open(self, which: str) -> None:
        """Open the current paper's ``which`` link (hf, pdf, arxiv); that reads it."""
        row = self.screen.paper_list.current
        if row is None:
            return
        url = paper_urls(row.id).get(which)
        if url is not None:
            self.opener(url)
            if not row.read:
                self._set_read(row, True)
