"""The reader's own marks: read and favourite flags (and, later, notes and tags).

They live in ``user_state``, apart from fetched data: no sync statement writes here, and
a paper's marks survive it being fetched again. Marks are keyed by arXiv id, so they
also survive a paper moving to another rid.

Writes are committed before returning. A front end that must not block (the reader's
UI thread) writes with ``wait=0`` or :meth:`UserState.try_write`, which give up at once
when another program holds the write lock, and retries later off the UI thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from paperreader.core import clock
from paperreader.core.store.connection import StoreFile
from paperreader.core.store.errors import StoreBusy

Flag = Literal["read", "favourite"]

_SET_READ = (
    "INSERT INTO user_state (paper_id, read, read_at) VALUES (?, ?, ?) "
    "ON CONFLICT(paper_id) DO UPDATE SET read = excluded.read, "
    "read_at = excluded.read_at WHERE read != excluded.read"
)
_SET_FAVOURITE = (
    "INSERT INTO user_state (paper_id, favourite, favourited_at) VALUES (?, ?, ?) "
    "ON CONFLICT(paper_id) DO UPDATE SET favourite = excluded.favourite, "
    "favourited_at = excluded.favourited_at WHERE favourite != excluded.favourite"
)


@dataclass(frozen=True, slots=True)
class Mark:
    """One change of user state: paper ``id`` (arXiv id) gets ``flag`` set to ``on``."""

    id: str
    flag: Flag
    on: bool


class UserState:
    """Reading and writing marks."""

    def __init__(self, file: StoreFile) -> None:
        self.file = file
        self.conn: sqlite3.Connection = file.conn

    def write(self, marks: Iterable[Mark], *, wait: float | None = None) -> int:
        """Apply ``marks`` in one transaction; returns how many papers changed.

        ``wait``: seconds to wait for another program's write lock (default 15); when
        it runs out, ``StoreBusy`` is raised and nothing was written.
        """
        todo = list(marks)
        if not todo:
            return 0
        now = clock.stamp()
        before = self.conn.total_changes
        with self.file.write(wait=wait):
            for flag, sql in (("read", _SET_READ), ("favourite", _SET_FAVOURITE)):
                self.conn.executemany(
                    sql, [(m.id, int(m.on), now if m.on else None) for m in todo if m.flag == flag]
                )
        return self.conn.total_changes - before

    def try_write(self, marks: Iterable[Mark]) -> bool:
        """Apply ``marks`` only if the write lock is free right now; False if it is not.

        Never blocks on another program: the caller keeps the marks and tries again.
        Other failures (a damaged store) still raise ``StoreError``.
        """
        try:
            self.write(marks, wait=0)
        except StoreBusy:
            return False
        return True

    def state(self, paper_id: str) -> tuple[bool, bool]:
        """(read, favourite) of ``paper_id``."""
        row = self.conn.execute(
            "SELECT read, favourite FROM user_state WHERE paper_id = ?", [paper_id]
        ).fetchone()
        return (bool(row[0]), bool(row[1])) if row else (False, False)

    def unread_count(self) -> int:
        """Papers in the store not marked read."""
        # All papers less the read ones: counts the (few) read marks, not every paper.
        n: int = self.conn.execute(
            "SELECT (SELECT count(*) FROM papers) - (SELECT count(*) FROM user_state s "
            "WHERE s.read = 1 AND s.paper_id IN (SELECT id FROM papers))"
        ).fetchone()[0]
        return n
