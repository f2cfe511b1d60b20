"""Triage: what the reader's decisions do (marks, stars, bulk marks, undo, links).

One key per decision: "done, next" marks read (never unread) and moves to the next
unread paper; a separate key marks unread; bulk marks take the day or everything
above the cursor. Every change goes through :class:`~paperreader.core.marks.Marks`,
so it is undoable and reported on the status line. Marks show at once and are written
off the UI thread, in order (:mod:`~paperreader.ui.screens.mark_queue`): the reader never
waits for another program's write lock. Store failures are reported by
:func:`~paperreader.ui.errors.reports_store_errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from time import monotonic
from typing import TYPE_CHECKING

from textual.timer import Timer

from paperreader.core.mark_writer import MarkWriter
from paperreader.core.marks import Change, Marks
from paperreader.core.models import PaperRecord, PaperRow, paper_urls
from paperreader.ui.errors import reports_store_errors
from paperreader.ui.key_names import key
from paperreader.ui.screens.mark_queue import MarkQueue

if TYPE_CHECKING:
    from paperreader.ui.screens.main import MainScreen
    from paperreader.ui.widgets.paper_list import PaperList

#: Opens a URL; False when no browser could be started.
Opener = Callable[[str], bool]
#: The detail pane follows the cursor after this pause, so holding j/k stays smooth.
DETAIL_DELAY = 0.04
#: Moves less than ``BURST_GAP`` apart are a run (a held key repeats every 30-40 ms):
#: the detail waits ``BURST_DELAY`` for the run to stop. Drawing a paper costs 12-20 ms,
#: and at 40 ms it fired between repeats, so each key of the run waited for a paper the
#: reader had already scrolled past (key p95 43 ms while a sync ran, 17 ms without).
BURST_GAP = 0.1
BURST_DELAY = 0.1


class Triage:
    """Marks, stars, links and unread-hopping for one ``MainScreen``."""

    def __init__(self, screen: MainScreen, opener: Opener) -> None:
        self.screen = screen
        self.store = screen.store
        state_dir = screen.settings.state_dir
        self.writer = MarkWriter(screen.store.path, state_dir)
        self.marks = Marks(screen.store, state_dir=state_dir, writer=self.writer)
        self.queue = MarkQueue(screen, self.marks, self.writer)
        self.queue.on_failed = self._failed
        self.opener = opener
        self._detail_timer: Timer | None = None
        self._last_follow = float("-inf")
        self._read_timer: Timer | None = None

    @property
    def _list(self) -> PaperList:
        return self.screen.paper_list

    def rows(self, rids: Sequence[int]) -> dict[int, PaperRow]:
        """The list's rows (the radar's, new papers marked), with the marks still being
        written shown as made."""
        return self.marks.pending.apply_rows(self.screen.radar.rows(rids))

    def _record(self, paper_id: str) -> PaperRecord | None:
        record = self.store.get(paper_id, with_signals=True)
        return None if record is None else self.marks.pending.apply(record)

    def quit(self) -> None:
        """Quit once the marks still being written are in the store (see MarkQueue)."""
        self.queue.quit()

    # -- following the cursor ------------------------------------------------------------

    def follow(self, row: PaperRow | None) -> None:
        """Show ``row`` in the detail pane once the cursor rests on it."""
        now = monotonic()
        run = now - self._last_follow < BURST_GAP
        self._last_follow = now
        if self._detail_timer is not None:
            self._detail_timer.stop()
        delay = BURST_DELAY if run else DETAIL_DELAY
        self._detail_timer = self.screen.set_timer(delay, lambda: self.show(row))

    @reports_store_errors
    def show(self, row: PaperRow | None) -> None:
        """Show ``row`` in the detail pane now; start the auto-read clock if configured."""
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        detail = self.screen.detail
        if row is None:
            detail.show(None, empty_hint=self.screen.empty_hint)
            return
        detail.show(self._record(row.id))
        seconds = self.screen.settings.auto_read_seconds
        if seconds > 0 and not row.read:
            self._read_timer = self.screen.set_timer(seconds, lambda: self._auto_read(row.rid))

    def _auto_read(self, rid: int) -> None:
        row = self._list.current
        if row is not None and row.rid == rid and not row.read:
            self._apply(self.marks.set_read, [rid], True, what="shown", quiet=True)

    # -- marks -----------------------------------------------------------------------------

    @reports_store_errors
    def _apply(
        self,
        mark: Callable[..., Change],
        rids: Sequence[int],
        value: bool,
        *,
        what: str = "",
        quiet: bool = False,
    ) -> Change:
        change = mark(rids, value, what=what)
        if change.ids:
            self.queue.submitted()
        self._changed(change)
        if not quiet:
            undo = key(self.screen, "undo")
            note = f"{change.describe()} — {undo} to undo" if change.ids else "nothing to change"
            self.screen.status.set_note(note)
        return change

    def _changed(self, change: Change, *, undone: bool = False) -> None:
        value = change.value != undone
        if change.field == "read":
            self.screen.listing.unread_total += len(change.ids) * (-1 if value else 1)
        self._list.refresh_rows(change.rids)
        current = self._list.current
        if current is not None and current.rid in change.rids:
            self.screen.detail.show(self._record(current.id))
        self.screen.list_pane.announce()

    def _failed(self, change: Change, undo: bool) -> None:
        # The write was given up: show the store's state again (the reverse of _changed).
        self._changed(change, undone=not undo)

    def read_next(self) -> None:
        """Done with this paper: mark it read (never unread), move to the next unread."""
        row = self._list.current
        if row is None:
            return
        if not row.read:
            self._apply(self.marks.set_read, [row.rid], True, quiet=True)
            self.screen.status.set_note(f"1 marked read — {key(self.screen, 'undo')} to undo")
        self.step_unread(1)

    def mark_unread(self) -> None:
        """Mark the current paper unread (the cursor stays)."""
        row = self._list.current
        if row is not None:
            self._apply(self.marks.set_read, [row.rid], False)

    def toggle_favourite(self) -> None:
        """Star or unstar the current paper."""
        row = self._list.current
        if row is not None:
            self._apply(self.marks.set_favourite, [row.rid], not row.favourite)

    @reports_store_errors
    def mark_day(self) -> None:
        """Mark every listed paper of the current paper's day read."""
        pl = self._list
        first, end = pl.days.day_span(pl.cursor)
        if end is None or not pl.days.starts:
            self.screen.list_pane.load_whole_list()
        if pl.days.starts:
            first, end = pl.days.day_span(pl.cursor)
            positions: Sequence[int] = range(first, end or len(pl.rids))
        else:  # not date-ordered: the day's papers are scattered through the list
            positions = pl.days.same_day(pl.cursor)
        self._apply(self.marks.set_read, [pl.rids[i] for i in positions], True, what="this day")

    def mark_above(self) -> None:
        """Mark every paper above the cursor read."""
        pl = self._list
        self._apply(self.marks.set_read, list(pl.rids[: pl.cursor]), True, what="above")

    @reports_store_errors
    def mark_all_read(self) -> None:
        """Mark every paper in the current list read."""
        self.screen.list_pane.load_whole_list()
        self._apply(self.marks.set_read, list(self._list.rids), True, what="the whole list")

    @reports_store_errors
    def undo(self) -> None:
        """Take back the newest mark or star (several levels)."""
        change = self.marks.undo()
        if change is None:
            self.screen.status.set_note("nothing to undo")
            return
        self.queue.submitted()
        self._changed(change, undone=True)
        self.screen.status.set_note(f"undone: {change.describe()}")

    # -- moving and opening ------------------------------------------------------------

    @reports_store_errors
    def step_unread(self, step: int) -> None:
        """Move the cursor to the next (``step`` 1) or previous (-1) unread paper."""
        self.screen.list_pane.load_whole_list()
        pl = self._list
        index = pl.cursor + step
        while 0 <= index < pl.count:
            row = pl.row_at(index)
            if row is not None and not row.read:
                pl.move_to(index)
                return
            index += step
        self.screen.notify("No more unread papers this way", timeout=2)

    def next_unread(self) -> None:
        """Move to the next unread paper."""
        self.step_unread(1)

    def previous_unread(self) -> None:
        """Move to the previous unread paper."""
        self.step_unread(-1)

    def read_on(self) -> None:
        """Page the detail until the end of the abstract is on screen; then move on to the
        next paper (the links and summaries below stay one j away, not one space). In a
        focused detail it pages to the very end first."""
        detail = self.screen.detail
        # With the detail focused (opened with enter) the reader is reading all of it.
        done = detail.at_end if detail.has_focus else detail.read_through
        if not done:
            detail.page_down()
        else:
            self._list.move_to(self._list.cursor + 1)

    def opened(self, row: PaperRow) -> None:
        """The reader opened ``row`` (enter): it counts as read."""
        if not row.read:
            self._apply(self.marks.set_read, [row.rid], True, what="opened", quiet=True)

    def open(self, which: str) -> None:
        """Open the current paper's ``which`` link (hf, pdf, arxiv); that reads it."""
        row = self._list.current
        url = paper_urls(row.id).get(which) if row is not None else None
        if row is not None and url is not None and self.opener(url):
            self.opened(row)

    def copy_link(self) -> None:
        """Copy the current paper's HF link (or the one of its links no browser could open)
        to the clipboard (OSC 52: works over SSH)."""
        row = self._list.current
        if row is not None:
            # After "no browser could be started" for this paper's PDF or arXiv page, c
            # copies that link, as the message says.
            unopened = getattr(self.screen.app, "unopened_link", None)
            links = paper_urls(row.id).values()
            url = unopened if isinstance(unopened, str) and unopened in links else None
            url = url or paper_urls(row.id)["hf"]
            self.screen.app.copy_to_clipboard(url)
            self.screen.status.set_note(f"copied {url}")
