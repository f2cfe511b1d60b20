"""The reader's side of the mark writer: a thread worker, outcomes, and quitting safely.

Marks are shown at once and queued on a :class:`~paperreader.core.mark_writer.MarkWriter`;
one thread worker at a time writes them in order while the UI thread goes on, and ends
when the queue is empty. A short timer, alive
only while writes are unsettled, collects their outcomes on the UI thread: a stored mark
changes nothing on screen, a mark given up is reverted and reported. On quit the queue is
flushed first (a bounded wait); marks that still could not be written are named, never
dropped unseen.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.worker import get_current_worker

from paperreader.core.mark_writer import MarkWriter, Outcome
from paperreader.core.marks import Change, Marks
from paperreader.ui.key_names import key

if TYPE_CHECKING:
    from paperreader.ui.screens.main import MainScreen

#: How often outcomes are collected while writes are pending.
COLLECT_EVERY = 0.05
#: After this long waiting for another program's lock, the status line says so.
SAY_BUSY_AFTER = 1.0
#: Seconds a quit waits for queued marks to be written before asking again.
QUIT_WAIT = 5.0

#: (a change, whether it was its undo) → called on the UI thread when its write failed.
Reverter = Callable[[Change, bool], None]


class MarkQueue:
    """Starts the writer's thread worker, collects outcomes, and guards quitting."""

    def __init__(self, screen: MainScreen, marks: Marks, writer: MarkWriter) -> None:
        self.screen = screen
        self.marks = marks
        self.writer = writer
        self.quit_wait = QUIT_WAIT
        self.on_failed: Reverter = lambda _change, _undo: None
        self._timer: Timer | None = None
        self._said_busy = False
        self._quitting = False

    def submitted(self) -> None:
        """A write was queued: make sure the worker runs and outcomes are collected."""
        if self.writer.claim():  # a worker drains the queue, then ends
            self.screen.run_worker(
                self._write_marks, thread=True, group="mark-writer",
                exit_on_error=False, description="marks",
            )  # fmt: skip
        if self._timer is None:
            self._timer = self.screen.set_interval(COLLECT_EVERY, self.collect, name="marks")

    def _write_marks(self) -> None:
        worker = get_current_worker()
        self.writer.drain(lambda: worker.is_cancelled)

    def collect(self) -> None:
        """Take the writer's outcomes on the UI thread; stop the timer once all settled."""
        for outcome in self.writer.outcomes():
            self._settle(outcome)
        since = self.writer.busy_since
        locked = since is not None and time.monotonic() - since >= SAY_BUSY_AFTER
        if locked and not self._said_busy and not self._quitting:
            self._said_busy = True
            waiting = self.writer.unsettled
            self.screen.status.set_note(
                f"saving {waiting} mark{'s' if waiting != 1 else ''}: "
                "the store is locked by another program, retrying"
            )
        if self.writer.unsettled == 0 and self._timer is not None:
            self._timer.stop()
            self._timer = None
            self._said_busy = False

    def _settle(self, outcome: Outcome) -> None:
        found = self.marks.settled(outcome.write, failed=outcome.error is not None)
        if found is None:
            return
        change, undo = found
        if outcome.error is not None:
            self.on_failed(change, undo)
            what = f"undo of {change.describe()}" if undo else change.describe()
            self.screen.status.set_note(f"not saved: {what} — shown as before", seconds=10)
            self.screen.notify(f"Not saved: {what}. {outcome.error}", severity="error", timeout=10)
        elif outcome.journal_problem:
            self.screen.status.set_note(outcome.journal_problem)

    # -- quitting ----------------------------------------------------------------------

    def quit(self) -> None:
        """Quit once every queued mark is written (at most ``quit_wait`` s); a second
        quit leaves at once and names the marks that were not written."""
        app = self.screen.app
        self.collect()
        if self.writer.unsettled == 0:
            self.writer.stop()
            app.exit()
        elif self._quitting:
            lost = self.lost_message()
            self.writer.stop()
            app.exit(message=lost)
        else:
            self._quitting = True
            waiting = self.writer.unsettled
            self.screen.status.set_note(f"saving {waiting} mark(s) before quitting…")
            self.screen.run_worker(self._quit_when_written(), group="quit", exit_on_error=False)

    async def _quit_when_written(self) -> None:
        deadline = time.monotonic() + self.quit_wait
        while self.writer.unsettled and time.monotonic() < deadline:
            self.collect()
            await asyncio.sleep(COLLECT_EVERY)
        self.collect()
        if self.writer.unsettled == 0:
            self.writer.stop()
            self.screen.app.exit()
            return
        waiting = self.writer.unsettled
        self.screen.status.set_note(
            f"{waiting} mark(s) not saved: the store is locked by another program — "
            f"{key(self.screen, 'quit')} again to quit without them",
            seconds=60,
        )

    def lost_message(self) -> str:
        """What the terminal says after quitting with marks unwritten: how to redo them."""
        lines = []
        for change, undo in self.marks.unwritten():
            value = change.value != undo
            flag = {
                ("read", True): "--read",
                ("read", False): "--unread",
                ("favourite", True): "--favourite",
                ("favourite", False): "--unfavourite",
            }[(change.field, value)]
            lines.append(f"  paperreader mark {flag} {' '.join(change.ids)}")
        count = len(lines)
        return (
            f"paperreader: {count} mark change(s) were not saved (the store was locked by "
            "another program). To apply them, run:\n" + "\n".join(lines)
        )
