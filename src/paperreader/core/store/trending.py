"""The stored trending ranking (``sort=trending``): one table, replaced on every sync."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paperreader.core import clock
from paperreader.core.models import Paper

if TYPE_CHECKING:
    from paperreader.core.store import Store


def save_trending(store: Store, papers: list[Paper], *, now: str | None = None) -> int:
    """Replace the stored ranking with ``papers`` (best first); returns how many."""
    now = now or clock.stamp()
    with store.write() as conn:
        store.upsert_papers(papers, now=now)
        conn.execute("DELETE FROM trending")
        conn.executemany(
            "INSERT INTO trending (paper_id, rank, fetched_at) VALUES (?, ?, ?)",
            [(p.id, rank, now) for rank, p in enumerate(papers, 1)],
        )
    return len(papers)


def trending_ranks(store: Store) -> dict[str, int]:
    """Paper id → trending rank (1 = top) from the last stored ranking."""
    rows = store.conn.execute("SELECT paper_id, rank FROM trending")
    return {str(pid): int(rank) for pid, rank in rows}


def trending_fetched_at(store: Store) -> str | None:
    """When the stored ranking was fetched (None if never)."""
    row = store.conn.execute("SELECT max(fetched_at) FROM trending").fetchone()
    return row[0] if row and row[0] else None
