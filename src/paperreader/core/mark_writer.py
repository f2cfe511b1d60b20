"""The reader's marks, written in order by one writer off the UI thread.

The UI thread never waits for the store: a mark is queued (:meth:`MarkWriter.submit`)
and shown at once through :class:`Pending`, the overlay of values not yet stored. One
thread at a time (:meth:`MarkWriter.drain`, started when :meth:`MarkWriter.claim` says
so, ending when the queue is empty) takes the queued writes in order, writes each through
the state journal's stamping (:func:`~paperreader.core.statesync.service.record`, so
the marks travel between machines) and, while another program holds the write lock,
retries with a growing pause. A write is given up only after :attr:`MarkWriter.give_up`
seconds from when it was made; then it comes back as a failed :class:`Outcome`, and the
front end reverts its display and says so. Nothing is dropped without an outcome.

Headless and thread-agnostic: the front end starts ``drain`` in a thread of its choice
and collects outcomes with :meth:`MarkWriter.outcomes` on its own thread. A drainer that
ends once the queue is empty never outlives the writes (nothing to stop at exit, and
"wait for every worker" means "wait until the marks are stored").
"""

from __future__ import annotations

import dataclasses
import itertools
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from paperreader.core.models import PaperRecord, PaperRow
from paperreader.core.store import Store, StoreBusy, StoreError

Field = Literal["read", "favourite"]
#: Seconds a mark may wait for another program's write lock before it is given up.
GIVE_UP = 60.0
#: The pause between two tries grows from FIRST_PAUSE, doubling, to at most MAX_PAUSE.
FIRST_PAUSE = 0.02
MAX_PAUSE = 0.5
#: Seconds each queued write may wait for the lock when the writer is cancelled.
LAST_WAIT = 1.0

R = TypeVar("R", PaperRow, PaperRecord)


@dataclass(frozen=True, slots=True)
class Write:
    """One decision to store: papers ``ids`` get ``field`` set to ``value``."""

    seq: int
    field: Field
    ids: tuple[str, ...]
    value: bool
    made: float
    """``time.monotonic()`` when it was made: it is given up ``give_up`` s after this."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one write; ``error`` is None when it is in the store."""

    write: Write
    error: str | None = None
    journal_problem: str | None = None
    """Stored, but not yet in the state journal (it goes out with the next merge)."""


class Pending:
    """Values queued but not yet stored, newest per (paper, field): the optimistic view.

    Used from the front end's thread only (it adds on submit, settles on outcome).
    """

    def __init__(self) -> None:
        self._values: dict[tuple[str, Field], tuple[bool, int]] = {}

    def __len__(self) -> int:
        return len(self._values)

    def add(self, write: Write) -> None:
        """Show ``write`` from now on (it overrides older queued values of its papers)."""
        for pid in write.ids:
            self._values[(pid, write.field)] = (write.value, write.seq)

    def settle(self, write: Write) -> None:
        """``write`` is stored or given up: the store's value shows again, unless a later
        queued write covers the same paper and field."""
        for pid in write.ids:
            slot = (pid, write.field)
            if self._values.get(slot, (None, -1))[1] == write.seq:
                del self._values[slot]

    def value(self, pid: str, field: Field) -> bool | None:
        """The queued value of ``pid``'s ``field`` (None when nothing is queued)."""
        found = self._values.get((pid, field))
        return None if found is None else found[0]

    def apply(self, row: R) -> R:
        """``row`` (a list row or a record) as it will be once the queue is written."""
        pid = row.id if isinstance(row, PaperRow) else row.paper.id
        read, favourite = self.value(pid, "read"), self.value(pid, "favourite")
        if read is None and favourite is None:
            return row
        return dataclasses.replace(
            row,
            read=row.read if read is None else read,
            favourite=row.favourite if favourite is None else favourite,
        )

    def apply_rows(self, rows: Mapping[int, PaperRow]) -> dict[int, PaperRow]:
        """Every row of ``rows`` through :meth:`apply`."""
        if not self._values:
            return dict(rows)
        return {rid: self.apply(row) for rid, row in rows.items()}


class MarkWriter:
    """A queue of mark writes for the store at ``path``, written by :meth:`run`."""

    def __init__(
        self,
        path: Path,
        state_dir: Path | str | None = None,
        *,
        give_up: float = GIVE_UP,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = path
        self.state_dir = state_dir
        self.give_up = give_up
        self._clock = clock
        self._todo: deque[Write] = deque()
        self._draining = False
        self._done: queue.SimpleQueue[Outcome] = queue.SimpleQueue()
        self._seq = itertools.count(1)
        self._unsettled = 0
        self._idle = threading.Condition()
        self._stop = threading.Event()
        self.busy_since: float | None = None
        """When the write now being tried first found the store locked (None: not locked)."""

    # -- the front end's side --------------------------------------------------------

    def submit(self, field: Field, ids: Sequence[str], value: bool) -> Write:
        """Queue a write; returns it (show it with :class:`Pending` until its outcome)."""
        write = Write(next(self._seq), field, tuple(ids), value, self._clock())
        with self._idle:
            self._unsettled += 1
            self._todo.append(write)
        return write

    def claim(self) -> bool:
        """True when the caller must start :meth:`drain` (writes wait and no drainer runs).

        Atomic with the drainer's decision to end, so a write is never left without one.
        """
        with self._idle:
            if self._draining or not self._todo or self._stop.is_set():
                return False
            self._draining = True
            return True

    @property
    def unsettled(self) -> int:
        """Writes queued or being written."""
        with self._idle:
            return self._unsettled

    def wait_idle(self, timeout: float) -> bool:
        """Block until every queued write is settled, at most ``timeout`` s; True if so."""
        with self._idle:
            return self._idle.wait_for(lambda: self._unsettled == 0, timeout)

    def outcomes(self) -> list[Outcome]:
        """The outcomes settled since the last call, in order (never blocks)."""
        found: list[Outcome] = []
        while True:
            try:
                found.append(self._done.get_nowait())
            except queue.Empty:
                return found

    def stop(self) -> None:
        """Let :meth:`drain` return after the write in hand (queued writes stay unwritten)."""
        self._stop.set()

    # -- the writer's side -------------------------------------------------------------

    def drain(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Write queued marks in order until the queue is empty (or :meth:`stop`); blocks.

        Call only after :meth:`claim` returned True. Opens its own connection: a store
        connection belongs to one thread. When ``cancelled()`` turns true, each write
        still queued gets one last, short try.
        """
        store: Store | None = None
        try:
            while (write := self._next()) is not None:
                if store is None:
                    try:
                        store = Store(self.path, migrate=False)
                    except StoreError as exc:
                        self._settle(Outcome(write, str(exc)))
                        continue
                if cancelled():
                    self._settle(self._last_try(store, write))
                else:
                    self._settle(self._write(store, write, cancelled))
        finally:
            if store is not None:
                store.close()

    def _next(self) -> Write | None:
        with self._idle:
            if self._todo and not self._stop.is_set():
                return self._todo.popleft()
            self._draining = False
            return None

    def _last_try(self, store: Store, write: Write) -> Outcome:
        # The front end closed some other way than its quit: one try, waiting a little.
        from paperreader.core.statesync import service

        try:
            edits = [(pid, write.field, write.value) for pid in write.ids]
            service.record(store, edits, self.state_dir, wait=LAST_WAIT)
        except (StoreError, ValueError) as exc:
            return Outcome(write, str(exc))
        return Outcome(write)

    def _write(self, store: Store, write: Write, cancelled: Callable[[], bool]) -> Outcome:
        # Imported here (the writer's thread), not on the reader's start-up path.
        from paperreader.core.statesync import service

        pause = FIRST_PAUSE
        while True:
            try:
                recorded = service.record(
                    store,
                    [(pid, write.field, write.value) for pid in write.ids],
                    self.state_dir,
                    wait=0,
                )
            except StoreBusy as exc:
                now = self._clock()
                self.busy_since = self.busy_since or now
                if cancelled() and not self._stop.is_set():
                    self.busy_since = None
                    return self._last_try(store, write)
                if now - write.made >= self.give_up or self._stop.is_set():
                    self.busy_since = None
                    return Outcome(write, str(exc))
                # Event.wait, not sleep: a stop ends the pause at once.
                self._stop.wait(min(pause, max(0.0, write.made + self.give_up - now)))
                pause = min(pause * 2, MAX_PAUSE)
                continue
            except (StoreError, ValueError) as exc:
                self.busy_since = None
                return Outcome(write, str(exc))
            self.busy_since = None
            return Outcome(write, journal_problem=recorded.problem)

    def _settle(self, outcome: Outcome) -> None:
        self._done.put(outcome)
        with self._idle:
            self._unsettled -= 1
            self._idle.notify_all()
