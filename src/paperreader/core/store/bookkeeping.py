"""Sync bookkeeping: which periods were fetched, how completely, and a few meta values.

A period (a month, ISO week or day of Daily Papers) is started before its first page
and finished in the same transaction as its last page, so an interrupted sync leaves
it incomplete and the next run fetches it again. ``partial_items`` counts the items
that arrived without fields a paper should have (schema drift); a period with any is
never treated as final.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass

from paperreader.core import clock
from paperreader.core.store.connection import StoreFile


@dataclass(frozen=True, slots=True)
class PeriodRow:
    """A period as recorded: what was fetched and how it went."""

    key: str
    kind: str
    start: str | None
    end: str | None
    fetched_at: str | None
    papers: int
    pages: int
    complete: bool
    partial_items: int
    last_error: str | None
    error_at: str | None


class Bookkeeping:
    """The ``periods`` and ``meta`` tables."""

    def __init__(self, file: StoreFile) -> None:
        self.file = file
        self.conn: sqlite3.Connection = file.conn

    def start_period(self, key: str, kind: str, start: str, end: str) -> None:
        """Note that a period is being fetched; it stays incomplete until finished."""
        with self.file.write():
            self.conn.execute(
                "INSERT INTO periods (key, kind, start, end) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET complete = 0",
                [key, kind, start, end],
            )

    def finish_period(
        self, key: str, *, papers: int, pages: int, partial_items: int = 0, now: str | None = None
    ) -> None:
        """Mark a period complete; the caller holds a write (with its last page)."""
        self.conn.execute(
            "UPDATE periods SET complete = 1, fetched_at = ?, papers = ?, pages = ?, "
            "partial_items = ?, last_error = NULL, error_at = NULL WHERE key = ?",
            [now or clock.stamp(), papers, pages, partial_items, key],
        )

    def fail_period(self, key: str, error: str) -> None:
        """Record why a period failed; it stays incomplete."""
        with self.file.write():
            self.conn.execute(
                "UPDATE periods SET complete = 0, last_error = ?, error_at = ? WHERE key = ?",
                [error[:500], clock.stamp(), key],
            )

    def drop_period(self, key: str) -> None:
        """Forget a period (the server refused it; its finer periods replace it)."""
        with self.file.write():
            self.conn.execute("DELETE FROM periods WHERE key = ?", [key])

    def incomplete_periods(self) -> list[tuple[str, str, str, str]]:
        """(key, kind, start, end) of periods a previous sync did not finish."""
        return [
            (r[0], r[1], r[2], r[3])
            for r in self.conn.execute(
                "SELECT key, kind, start, end FROM periods WHERE complete = 0 ORDER BY start"
            )
        ]

    def periods(self) -> list[PeriodRow]:
        """Every recorded period, oldest first."""
        return [
            PeriodRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), r[8], r[9], r[10])
            for r in self.conn.execute(
                "SELECT key, kind, start, end, fetched_at, papers, pages, complete, "
                "partial_items, last_error, error_at FROM periods ORDER BY start, key"
            )
        ]

    def get_meta(self, key: str) -> str | None:
        """A meta value (``synced_through``, ``last_sync_at``, …), or None."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a meta value; the caller holds a write."""
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def checkpoint(self) -> None:
        """Fold the WAL back into the main file after a sync (never fatal)."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
