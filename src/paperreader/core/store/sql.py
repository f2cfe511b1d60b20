"""The one helper for ``WHERE x IN (?, …)`` over many keys.

SQLite limits the number of bound parameters per statement (32,766 in current builds,
999 in old ones), so long key lists are sent in slices, each its own statement.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

CHUNK = 500


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """``items`` in consecutive slices of at most ``size``."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def select_in(
    conn: sqlite3.Connection,
    sql: str,
    keys: Iterable[Any],
    *,
    size: int = CHUNK,
) -> Iterator[tuple[Sequence[Any], sqlite3.Cursor]]:
    """Run ``sql`` once per slice of ``keys``; ``{marks}`` in it becomes ``?, ?, …``.

    Yields (slice, cursor) pairs: the caller can restore the keys' order within a slice
    and read the cursor's ``description`` for column names.
    """
    listed = keys if isinstance(keys, Sequence) else list(keys)
    for part in chunks(listed, size):
        marks = ",".join("?" * len(part))
        yield part, conn.execute(sql.format(marks=marks), list(part))


def rows_in(
    conn: sqlite3.Connection, sql: str, keys: Iterable[Any], *, size: int = CHUNK
) -> Iterator[Any]:
    """Every row of :func:`select_in`, slice after slice."""
    for _, cur in select_in(conn, sql, keys, size=size):
        yield from cur.fetchall()
