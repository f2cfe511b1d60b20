"""Signal history: a paper's upvotes, comments and stars at each sync that changed them.

A point is recorded only when the values differ from the last one, and ``rising`` (the
paper's upvotes per day between its last two points) is kept on the paper row so the
"rising" sort can use an index.
"""

from __future__ import annotations

import sqlite3

from paperreader.core import clock
from paperreader.core.models import Paper

Signal = tuple[str, int | None, int | None, int | None]
"""(synced_at, upvotes, comments, github_stars)."""


def record(conn: sqlite3.Connection, paper: Paper, now: str) -> None:
    """Add a point for ``paper`` if its signals changed; the caller holds a write."""
    if paper.upvotes is None:
        return
    last = conn.execute(
        "SELECT synced_at, upvotes, comments, github_stars FROM signals "
        "WHERE paper_id = ? ORDER BY synced_at DESC LIMIT 1",
        [paper.id],
    ).fetchone()
    point = (paper.upvotes, paper.comments, paper.github_stars)
    if last is not None and (last[1], last[2], last[3]) == point:
        return
    if last is not None and last[0] == now:
        # Same sync run (or same second): the newer values replace that point.
        conn.execute(
            "UPDATE signals SET upvotes = ?, comments = ?, github_stars = ? "
            "WHERE paper_id = ? AND synced_at = ?",
            [*point, paper.id, now],
        )
        return
    # A point at ``now`` can exist without being the latest when clocks disagree (another
    # process, a clock stepped back, or a pinned test clock): the newer values win.
    conn.execute(
        "INSERT INTO signals (paper_id, synced_at, upvotes, comments, github_stars) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (paper_id, synced_at) DO UPDATE SET "
        "upvotes = excluded.upvotes, comments = excluded.comments, "
        "github_stars = excluded.github_stars",
        [paper.id, now, *point],
    )
    if last is not None and last[1] is not None:
        rising = (paper.upvotes - last[1]) / max(_hours_between(last[0], now), 1.0) * 24.0
        conn.execute("UPDATE papers SET rising = ? WHERE id = ?", [rising, paper.id])


def history(conn: sqlite3.Connection, paper_id: str) -> tuple[Signal, ...]:
    """Every point of ``paper_id``, oldest first."""
    return tuple(
        (s[0], s[1], s[2], s[3])
        for s in conn.execute(
            "SELECT synced_at, upvotes, comments, github_stars FROM signals "
            "WHERE paper_id = ? ORDER BY synced_at",
            [paper_id],
        )
    )


def _hours_between(a: str, b: str) -> float:
    t0, t1 = clock.parse_stamp(a), clock.parse_stamp(b)
    if t0 is None or t1 is None:
        return 24.0
    return max((t1 - t0).total_seconds() / 3600.0, 0.0)
