"""The SQL the radar needs beyond the store's public API (to move into ``core/store``).

Each function is one query: it takes the :class:`~paperreader.core.store.Store` and
uses only ``store.conn`` (and ``store.write()`` for writes), so it can become a store
method unchanged. :func:`migration_sql` is the schema to add as a store migration;
until it is, :func:`ensure_schema` applies it (idempotently) on first use.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from paperreader.core.radar.index import Doc
from paperreader.core.radar.watch import Watch, WatchError
from paperreader.core.store.errors import translated

if TYPE_CHECKING:
    from paperreader.core.store import Store

_CHUNK = 500
# The abstract, or the AI summary when a search result came without one.
_TEXT = "p.rid, p.id, p.title, COALESCE(NULLIF(p.summary, ''), p.ai_summary, ''), p.keywords"


def migration_sql() -> list[str]:
    """Statements of the radar's migration, in order (each safe to run twice)."""
    return [
        # Top "For you" suggestions of the last refresh. `paper_id` guards against rids
        # that moved since (a paper re-listed on a new day gets a new rid).
        "CREATE TABLE IF NOT EXISTS radar_scores ("
        " rid INTEGER PRIMARY KEY, paper_id TEXT NOT NULL, score REAL NOT NULL,"
        " reason TEXT NOT NULL DEFAULT '', like_id TEXT)",
        "CREATE INDEX IF NOT EXISTS idx_radar_scores_score ON radar_scores (score DESC)",
        # Saved searches: the definition as Watch JSON, the stamp kept apart so the
        # "new since last opened" counts need no JSON parsing.
        "CREATE TABLE IF NOT EXISTS watches ("
        " name TEXT PRIMARY KEY, json TEXT NOT NULL, last_opened TEXT)",
        # "New since": papers first stored after a stamp, without a full scan.
        "CREATE INDEX IF NOT EXISTS idx_papers_first_seen ON papers (first_seen)",
        # The term index catches up on papers written since its last refresh.
        "CREATE INDEX IF NOT EXISTS idx_papers_updated_at ON papers (updated_at)",
    ]


_SCHEMA_NAMES = {
    "radar_scores",
    "idx_radar_scores_score",
    "watches",
    "idx_papers_first_seen",
    "idx_papers_updated_at",
}


def ensure_schema(store: Store) -> None:
    """Create the radar's tables and indexes if the store's migrations did not."""
    have = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
    if _SCHEMA_NAMES.issubset(have):
        return
    with store.write():
        for sql in migration_sql():
            store.conn.execute(sql)


# -- paper text for the term index -------------------------------------------------


def paper_text_pages(store: Store, *, below: int, page: int = 2000) -> Iterator[list[Doc]]:
    """The text of every paper with a rid under ``below``, newest first, in pages.

    Keyset pages, each its own short read: a build of 100,000 papers never holds one
    snapshot open for its whole length.
    """
    while True:
        rows = store.conn.execute(
            f"SELECT {_TEXT} FROM papers p WHERE p.rid < ? ORDER BY p.rid DESC LIMIT ?",
            [below, page],
        ).fetchall()
        if not rows:
            return
        yield [Doc(*r) for r in rows]
        below = rows[-1][0]


def paper_texts(store: Store, rids: Iterable[int | None]) -> list[Doc]:
    """The text of the papers ``rids`` (those that exist), in no particular order."""
    out: list[Doc] = []
    ids = list(rids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = store.conn.execute(f"SELECT {_TEXT} FROM papers p WHERE p.rid IN ({marks})", chunk)
        out.extend(Doc(*r) for r in rows)
    return out


def paper_doc(store: Store, paper_id: str) -> Doc | None:
    """The text of one paper, by its id."""
    row = store.conn.execute(f"SELECT {_TEXT} FROM papers p WHERE p.id = ?", [paper_id])
    found = row.fetchone()
    return Doc(*found) if found else None


def updated_since(store: Store, stamp: str) -> list[tuple[int, str]]:
    """(rid, updated_at) of papers written at or after ``stamp`` (an index range scan)."""
    return [
        (r[0], r[1])
        for r in store.conn.execute(
            "SELECT rid, updated_at FROM papers WHERE updated_at >= ?", [stamp]
        )
    ]


def newest_update(store: Store) -> str | None:
    """The newest ``updated_at`` of any paper."""
    row = store.conn.execute("SELECT max(updated_at) FROM papers").fetchone()
    return row[0] if row else None


def all_rids(store: Store) -> array[int]:
    """Every paper's rid (read off the narrow rid index)."""
    return array("q", (r[0] for r in store.conn.execute("SELECT rid FROM papers")))


# -- what the user told us ------------------------------------------------------------


def favourite_docs(store: Store) -> list[Doc]:
    """The text of every favourite paper, most recently starred first."""
    rows = store.conn.execute(
        f"SELECT {_TEXT} FROM user_state s JOIN papers p ON p.id = s.paper_id "
        "WHERE s.favourite = 1 ORDER BY s.favourited_at DESC, p.rid DESC"
    )
    return [Doc(*r) for r in rows]


def recently_read_docs(store: Store, limit: int) -> list[Doc]:
    """The text of the ``limit`` papers read most recently (a weak taste signal)."""
    rows = store.conn.execute(
        f"SELECT {_TEXT} FROM user_state s JOIN papers p ON p.id = s.paper_id "
        "WHERE s.read = 1 ORDER BY s.read_at DESC, p.rid DESC LIMIT ?",
        [limit],
    )
    return [Doc(*r) for r in rows]


def read_rids(store: Store) -> set[int]:
    """Rids of every paper marked read."""
    return {
        r[0]
        for r in store.conn.execute(
            "SELECT p.rid FROM user_state s JOIN papers p ON p.id = s.paper_id WHERE s.read = 1"
        )
    }


# -- new since ------------------------------------------------------------------------


def first_seen_after(store: Store, stamp: str | None) -> list[int]:
    """Rids of papers first stored after ``stamp`` (all papers when it is None)."""
    if stamp is None:
        return [r[0] for r in store.conn.execute("SELECT rid FROM papers")]
    sql = "SELECT rid FROM papers WHERE first_seen > ?"
    return [r[0] for r in store.conn.execute(sql, [stamp])]


def first_seen_since(
    store: Store, stamp: str, *, at_stamp: bool = True
) -> list[tuple[int, str, str]]:
    """(rid, paper id, first_seen) of papers first stored after ``stamp`` (and at it,
    unless ``at_stamp`` is False)."""
    sql = f"SELECT rid, id, first_seen FROM papers WHERE first_seen {'>=' if at_stamp else '>'} ?"
    return [(r[0], r[1], r[2]) for r in store.conn.execute(sql, [stamp])]


def count_first_seen_at(store: Store, stamp: str) -> int:
    """How many papers were first stored at exactly ``stamp`` (an index count)."""
    row = store.conn.execute("SELECT count(*) FROM papers WHERE first_seen = ?", [stamp])
    return int(row.fetchone()[0])


def newest_first_seen(store: Store) -> str | None:
    """When the most recently stored paper was first stored."""
    row = store.conn.execute("SELECT max(first_seen) FROM papers").fetchone()
    return row[0] if row else None


# -- "For you" scores ------------------------------------------------------------------


class ScoreRow(NamedTuple):
    """One stored suggestion: the paper, its score and why (the nearest favourite's id)."""

    rid: int
    paper_id: str
    score: float
    reason: str
    like_id: str | None


def replace_scores(store: Store, rows: Sequence[ScoreRow]) -> None:
    """Replace every stored suggestion by ``rows`` (one transaction)."""
    with store.write() as conn:
        conn.execute("DELETE FROM radar_scores")
        conn.executemany(
            "INSERT OR REPLACE INTO radar_scores (rid, paper_id, score, reason, like_id) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )


def stored_scores(store: Store, *, unread_only: bool = True, limit: int = -1) -> list[ScoreRow]:
    """Stored suggestions, best first; papers since read (or moved) are left out."""
    read = "AND COALESCE(s.read, 0) = 0 " if unread_only else ""
    rows = store.conn.execute(
        "SELECT r.rid, r.paper_id, r.score, r.reason, r.like_id FROM radar_scores r "
        "JOIN papers p ON p.rid = r.rid AND p.id = r.paper_id "
        "LEFT JOIN user_state s ON s.paper_id = r.paper_id "
        f"WHERE 1 {read}ORDER BY r.score DESC, r.rid DESC LIMIT ?",
        [limit],
    )
    return [ScoreRow(*r) for r in rows]


# -- watches --------------------------------------------------------------------------


def watches(store: Store) -> list[Watch]:
    """Every saved watch, by name; a row that no longer parses is skipped."""
    out = []
    for data, last in store.conn.execute(
        "SELECT json, last_opened FROM watches ORDER BY name COLLATE NOCASE, name"
    ):
        try:
            out.append(Watch.from_json({**json.loads(data), "last_opened": last}))
        except (ValueError, TypeError, WatchError):
            continue  # written by a newer or broken version: never fatal
    return out


def _definition(watch: Watch) -> str:
    return json.dumps({k: v for k, v in watch.to_json().items() if k != "last_opened"})


def insert_watch(store: Store, watch: Watch) -> bool:
    """Save a new watch; False if one with that name exists."""
    data = _definition(watch)
    try:
        with store.write() as conn:
            conn.execute(
                "INSERT INTO watches (name, json, last_opened) VALUES (?, ?, ?)",
                [watch.name, data, watch.last_opened],
            )
    except sqlite3.IntegrityError:
        return False
    return True


def replace_watch(store: Store, name: str, watch: Watch) -> bool:
    """Edit or rename the watch ``name``; False if it is missing or the new name is taken."""
    data = _definition(watch)
    try:
        with store.write() as conn:
            cur = conn.execute(
                "UPDATE watches SET name = ?, json = ?, last_opened = ? WHERE name = ?",
                [watch.name, data, watch.last_opened, name],
            )
            return cur.rowcount > 0
    except sqlite3.IntegrityError:
        return False


def delete_watch(store: Store, name: str) -> bool:
    """Delete the watch ``name``; False if there was none."""
    with store.write() as conn:
        return conn.execute("DELETE FROM watches WHERE name = ?", [name]).rowcount > 0


def mark_watch_opened(store: Store, name: str, stamp: str) -> bool:
    """Record that the watch was looked at (its "new" count starts again)."""
    with store.write() as conn:
        cur = conn.execute("UPDATE watches SET last_opened = ? WHERE name = ?", [stamp, name])
        return cur.rowcount > 0


def guarded(store: Store) -> contextlib.AbstractContextManager[None]:
    """The radar's own queries fail like the store's: one ``StoreError`` line, no sqlite3."""
    return translated(store.path)
