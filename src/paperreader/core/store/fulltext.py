"""Stored full texts, reading positions, linked repos and trending ranks.

Tables of their own (created by :func:`m003_fulltext`): nothing here writes
``papers`` or ``user_state``. A full text is kept zlib-compressed (papers compress
about 4:1); its words are indexed in ``fulltext_fts``, a contentless FTS5 table (an
index without a second, uncompressed copy of the text). A contentless row can only
be removed by handing FTS5 the exact text it indexed, so the indexed text is the
stored Markdown itself, decompressed when the row is replaced or deleted.

The reading position is (block, offset) in the parsed document, which survives a
change of terminal width, plus the percentage the list row shows.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paperreader.core import clock
from paperreader.core.fulltext.blocks import Position

if TYPE_CHECKING:
    import sqlite_utils

    from paperreader.core.store.store import Store

_TOKENIZE = "porter unicode61 remove_diacritics 2"


def m003_fulltext(db: sqlite_utils.Database) -> None:
    """Migration: full texts and their index, linked repos, trending ranks."""
    db.execute(
        """
        CREATE TABLE fulltext (
            ftid INTEGER PRIMARY KEY,           -- rowid in fulltext_fts
            paper_id TEXT NOT NULL UNIQUE,
            fetched_at TEXT NOT NULL,
            body BLOB NOT NULL,                 -- zlib-compressed UTF-8 Markdown
            size INTEGER NOT NULL,              -- bytes before compression
            pos_block INTEGER NOT NULL DEFAULT 0,
            pos_offset INTEGER NOT NULL DEFAULT 0,
            progress REAL NOT NULL DEFAULT 0,   -- percent, for the list row
            read_at TEXT                        -- when the position last moved
        )
        """
    )
    db.execute(
        f"CREATE VIRTUAL TABLE fulltext_fts USING fts5(body, content='', tokenize='{_TOKENIZE}')"
    )
    db.execute(
        """
        CREATE TABLE linked_repos (
            paper_id TEXT NOT NULL,
            kind TEXT NOT NULL,                 -- model | dataset | space
            position INTEGER NOT NULL,          -- 0 = most downloaded (Spaces: most liked)
            name TEXT NOT NULL,
            likes INTEGER,
            downloads INTEGER,
            fetched_at TEXT NOT NULL,
            PRIMARY KEY (paper_id, kind, position)
        ) WITHOUT ROWID
        """
    )
    # One row per fetch, also when nothing cites the paper: "none" is not "never fetched".
    db.execute(
        """
        CREATE TABLE linked_counts (
            paper_id TEXT PRIMARY KEY,
            fetched_at TEXT NOT NULL,
            models INTEGER NOT NULL DEFAULT 0,
            datasets INTEGER NOT NULL DEFAULT 0,
            spaces INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute(
        """
        CREATE TABLE trending (
            paper_id TEXT PRIMARY KEY,
            rank INTEGER NOT NULL,              -- 1 = HF's top trending paper
            fetched_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_trending_rank ON trending (rank)")


@dataclass(frozen=True, slots=True)
class StoredText:
    """A stored full text and where the reader left it."""

    paper_id: str
    markdown: str
    fetched_at: str
    size: int
    position: Position
    progress: float


def _encode(markdown: str) -> bytes:
    return markdown.encode("utf-8", errors="replace")


def _text(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8", errors="replace")


def save_fulltext(store: Store, paper_id: str, markdown: str, *, now: str | None = None) -> None:
    """Store (or replace) a paper's full text and index it; a reading position is kept."""
    raw = _encode(markdown)
    # The index gets exactly what _text() will give back, or a later 'delete' would not match.
    indexed, body, size = raw.decode("utf-8"), zlib.compress(raw, 6), len(raw)
    now = now or clock.stamp()
    with store.write() as conn:
        old = conn.execute(
            "SELECT ftid, body FROM fulltext WHERE paper_id = ?", [paper_id]
        ).fetchone()
        if old is not None:
            conn.execute(
                "INSERT INTO fulltext_fts (fulltext_fts, rowid, body) VALUES ('delete', ?, ?)",
                [old[0], _text(old[1])],
            )
            conn.execute(
                "UPDATE fulltext SET body = ?, size = ?, fetched_at = ? WHERE ftid = ?",
                [body, size, now, old[0]],
            )
            ftid = old[0]
        else:
            ftid = conn.execute(
                "INSERT INTO fulltext (paper_id, fetched_at, body, size) VALUES (?, ?, ?, ?)",
                [paper_id, now, body, size],
            ).lastrowid
        conn.execute("INSERT INTO fulltext_fts (rowid, body) VALUES (?, ?)", [ftid, indexed])


def load_fulltext(store: Store, paper_id: str) -> StoredText | None:
    """The stored full text of ``paper_id`` with its reading position, or None."""
    row = store.conn.execute(
        "SELECT body, fetched_at, size, pos_block, pos_offset, progress "
        "FROM fulltext WHERE paper_id = ?",
        [paper_id],
    ).fetchone()
    if row is None:
        return None
    try:
        markdown = _text(row[0])
    except zlib.error:
        return None  # a damaged row reads as "not stored": fetching again repairs it
    return StoredText(paper_id, markdown, row[1], row[2], Position(row[3], row[4]), row[5])


def delete_fulltext(store: Store, paper_id: str) -> bool:
    """Forget a stored full text (and its position); True if there was one."""
    with store.write() as conn:
        old = conn.execute(
            "SELECT ftid, body FROM fulltext WHERE paper_id = ?", [paper_id]
        ).fetchone()
        if old is None:
            return False
        conn.execute(
            "INSERT INTO fulltext_fts (fulltext_fts, rowid, body) VALUES ('delete', ?, ?)",
            [old[0], _text(old[1])],
        )
        conn.execute("DELETE FROM fulltext WHERE ftid = ?", [old[0]])
    return True


def save_position(store: Store, paper_id: str, position: Position, progress: float) -> None:
    """Remember where the reader is in a stored full text (no-op if none is stored)."""
    progress = max(0.0, min(100.0, float(progress)))
    with store.write() as conn:
        conn.execute(
            "UPDATE fulltext SET pos_block = ?, pos_offset = ?, progress = ?, read_at = ? "
            "WHERE paper_id = ? AND (pos_block != ? OR pos_offset != ? OR progress != ?)",
            [
                *position,
                progress,
                clock.stamp(),
                paper_id,
                *position,
                progress,
            ],
        )


def progress_for(store: Store, paper_ids: list[str]) -> dict[str, int]:
    """Reading progress in whole percent for the papers that have a stored text.

    For the list rows: a paper missing from the answer has no full text stored.
    """
    out: dict[str, int] = {}
    for start in range(0, len(paper_ids), 500):
        chunk = paper_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for pid, progress in store.conn.execute(
            f"SELECT paper_id, progress FROM fulltext WHERE paper_id IN ({marks})", chunk
        ):
            out[pid] = round(progress)
    return out


def stored_ids(store: Store) -> set[str]:
    """Every paper with a stored full text."""
    return {row[0] for row in store.conn.execute("SELECT paper_id FROM fulltext")}


def prefetch_candidates(store: Store, *, favourites: bool = True, top: int = 0) -> list[str]:
    """Favourites (newest first), then the ``top`` most upvoted papers of the newest day."""
    ids: list[str] = []
    if favourites:
        ids += [
            row[0]
            for row in store.conn.execute(
                "SELECT s.paper_id FROM user_state s LEFT JOIN papers p ON p.id = s.paper_id "
                "WHERE s.favourite = 1 ORDER BY p.rid DESC"
            )
        ]
    if top > 0:
        day = store.latest_day()
        ids += [
            row[0]
            for row in store.conn.execute(
                "SELECT id FROM papers WHERE daily_date = ? ORDER BY upvotes DESC LIMIT ?",
                [day, top],
            )
        ]
    return list(dict.fromkeys(ids))
