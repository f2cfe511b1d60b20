"""Read marks and stars with undo: every change the reader makes, several levels deep.

A :class:`Marks` remembers which papers each change really changed, so ``undo`` puts
back exactly those, and a report like "24 marked read" counts papers whose state moved,
not papers that were asked about. It writes through the state journal's stamping
(:mod:`~paperreader.core.statesync.service`), so marks travel to the user's other
machines: at once (scripts, tests), or queued on a
:class:`~paperreader.core.mark_writer.MarkWriter` (the reader, whose UI thread must never
wait for the store); then ``pending`` shows queued values until they are stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from paperreader.core.mark_writer import MarkWriter, Pending, Write
from paperreader.core.store import Store

Field = Literal["read", "favourite"]
#: Undo levels kept; older changes drop off the bottom.
UNDO_LEVELS = 50


@dataclass(frozen=True, slots=True)
class Change:
    """Papers (arXiv ids) whose ``field`` was set to ``value`` by one decision."""

    field: Field
    value: bool
    ids: tuple[str, ...]
    rids: tuple[int, ...]
    what: str = ""
    """How the reader chose them ("this day", "above the cursor"), for the report."""

    def describe(self) -> str:
        """``24 marked read (this day)``, ``1 starred``…"""
        verb = {
            ("read", True): "marked read",
            ("read", False): "marked unread",
            ("favourite", True): "starred",
            ("favourite", False): "unstarred",
        }[(self.field, self.value)]
        return f"{len(self.ids):,} {verb}" + (f" ({self.what})" if self.what else "")


class Marks:
    """The reader's marks on one store, with an undo stack."""

    def __init__(
        self,
        store: Store,
        *,
        levels: int = UNDO_LEVELS,
        wait: float | None = None,
        state_dir: Path | str | None = None,
        writer: MarkWriter | None = None,
    ) -> None:
        self.store = store
        self.levels = levels
        self.wait = wait
        """Seconds a direct write may wait for another program's lock (then ``StoreBusy``)."""
        self.state_dir = state_dir
        self.writer = writer
        self.pending = Pending()
        """Values queued on ``writer`` and not yet stored (what the reader is shown)."""
        self.journal_problem: str | None = None
        """Why the last direct write is not yet in the state journal (None: it is)."""
        self._done: list[Change] = []
        self._writes: dict[int, tuple[Change, bool]] = {}

    @property
    def can_undo(self) -> bool:
        """Whether there is a change to take back."""
        return bool(self._done)

    def set_read(self, rids: Sequence[int], read: bool, *, what: str = "") -> Change:
        """Mark the papers of ``rids`` read (or unread); raises ``StoreError``."""
        return self._set("read", rids, read, what)

    def set_favourite(self, rids: Sequence[int], favourite: bool, *, what: str = "") -> Change:
        """Star (or unstar) the papers of ``rids``; raises ``StoreError``."""
        return self._set("favourite", rids, favourite, what)

    def _set(self, field: Field, rids: Sequence[int], value: bool, what: str) -> Change:
        rows = self.pending.apply_rows(self.store.rows(rids))
        moving = [
            (rid, row.id)
            for rid in rids
            if (row := rows.get(rid)) is not None
            and (row.read if field == "read" else row.favourite) != value
        ]
        change = Change(
            field, value, tuple(pid for _, pid in moving), tuple(r for r, _ in moving), what
        )
        if change.ids:
            self._write(change, value, undo=False)
            self._done.append(change)
            del self._done[: -self.levels]
        return change

    def undo(self) -> Change | None:
        """Take back the newest change; returns it (None when there is nothing to undo).

        With a writer, the inverse is queued after the change itself: in order, so a
        change still waiting for the lock and its undo end up as if neither was made.
        """
        if not self._done:
            return None
        change = self._done[-1]
        self._write(change, not change.value, undo=True)
        self._done.pop()
        return change

    def _write(self, change: Change, value: bool, *, undo: bool) -> None:
        # One transaction, however many papers: a bulk mark (or its undo) is all or nothing.
        if self.writer is None:
            from paperreader.core.statesync import service  # journaling: on first use

            setter = service.set_read if change.field == "read" else service.set_favourite
            recorded = setter(self.store, change.ids, value, self.state_dir, wait=self.wait)
            self.journal_problem = recorded.problem
            return
        write = self.writer.submit(change.field, change.ids, value)
        self.pending.add(write)
        self._writes[write.seq] = (change, undo)

    def settled(self, write: Write, *, failed: bool) -> tuple[Change, bool] | None:
        """A queued write is stored (or given up, ``failed``): stop showing it as pending.

        Returns (the change, whether the write was its undo). A change whose write
        failed leaves the undo stack; an undo whose write failed goes back on it.
        """
        self.pending.settle(write)
        found = self._writes.pop(write.seq, None)
        if found is not None and failed:
            change, undo = found
            if undo:
                self._done.append(change)
            else:
                self._done = [c for c in self._done if c is not change]
        return found

    def unwritten(self) -> list[tuple[Change, bool]]:
        """Changes (and undos) queued and not yet settled, oldest first."""
        return [self._writes[seq] for seq in sorted(self._writes)]
