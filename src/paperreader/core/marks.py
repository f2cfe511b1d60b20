"""Read marks and stars with undo: every change the reader makes, several levels deep.

A :class:`Marks` writes through the store (committed at once, like every mark) and
remembers which papers each change really changed, so ``undo`` puts back exactly
those, and a report like "24 marked read" counts papers whose state moved, not
papers that were asked about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from paperreader.core.store import Mark, Store

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
        stamped: bool = False,
    ) -> None:
        self.store = store
        self.levels = levels
        self.wait = wait
        """Seconds a write may wait for another program's lock (then ``StoreBusy``)."""
        self.stamped = stamped
        """Stamp each mark for the state journal (``state_dir`` is set): without a stamp a
        mark that another machine's journal already stamped (unread after read) would never
        reach the other machines. The journal line itself is written later, off the UI
        thread (``statesync.service.flush``)."""
        self._done: list[Change] = []

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
        rows = self.store.rows(rids)
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
            self._write(change.field, change.ids, value)
            self._done.append(change)
            del self._done[: -self.levels]
        return change

    def undo(self) -> Change | None:
        """Take back the newest change; returns it (None when there is nothing to undo)."""
        if not self._done:
            return None
        change = self._done[-1]
        self._write(change.field, change.ids, not change.value)
        self._done.pop()
        return change

    def _write(self, field: Field, ids: Sequence[str], value: bool) -> None:
        # One transaction, however many papers: a bulk mark (or its undo) is all or nothing.
        if self.stamped:
            from paperreader.core.statesync import service  # only with a state folder

            service.record(self.store, [(pid, field, value) for pid in ids], wait=self.wait)
        else:
            self.store.write_marks((Mark(pid, field, value) for pid in ids), wait=self.wait)
