"""Ordered, named schema migrations (recorded in ``_migrations``).

Each migration runs once, inside the caller's transaction. The schema version of a
store is the number of migrations applied; a store that has migrations we do not
know was written by a newer paperreader and is refused rather than damaged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

Migration = Callable[["sqlite_utils.Database"], None]
MIGRATIONS: list[tuple[str, Migration]] = []

FTS_COLUMNS = ("title", "summary", "authors", "keywords")


def migration(fn: Migration) -> Migration:
    """Register ``fn`` as the next migration (its name is recorded once applied)."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(db: sqlite_utils.Database) -> None:
    """Papers, keywords, user state, periods, signals, meta and the search index."""
    # Fetched data. `rid` is an explicit INTEGER PRIMARY KEY so rowids never change
    # (VACUUM may renumber implicit rowids, which would break the external-content FTS).
    db.execute(
        """
        CREATE TABLE papers (
            rid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            authors TEXT NOT NULL DEFAULT '',
            authors_json TEXT NOT NULL DEFAULT '[]',
            published TEXT,
            daily_date TEXT,
            submitted_at TEXT,
            upvotes INTEGER NOT NULL DEFAULT 0,
            comments INTEGER,
            github_repo TEXT,
            github_stars INTEGER,
            project_page TEXT,
            ai_summary TEXT,
            keywords TEXT NOT NULL DEFAULT '',
            keywords_json TEXT NOT NULL DEFAULT '[]',
            organization TEXT,
            organization_name TEXT,
            submitted_by TEXT,
            withdrawn_at TEXT,
            rising REAL,
            raw BLOB NOT NULL,  -- zlib-compressed JSON of the API item
            raw_source TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    # `rid` encodes the Daily Papers day (see store.day_base), so "newest first" is rid
    # order. Rows are wide (abstract, raw JSON), so a narrow index on rid makes a full
    # newest-first scan read ~2 MB instead of the whole table; FTS5 doclists are in rowid
    # order too, which makes newest-first search results free of sorting.
    db.execute("CREATE INDEX idx_papers_rid ON papers (rid)")
    db.execute("CREATE INDEX idx_papers_upvotes ON papers (upvotes)")
    db.execute("CREATE INDEX idx_papers_rising ON papers (rising)")
    db.execute(
        """
        CREATE TABLE paper_keywords (
            paper_id TEXT NOT NULL,
            keyword TEXT NOT NULL,
            PRIMARY KEY (keyword, paper_id)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX idx_paper_keywords_paper ON paper_keywords (paper_id)")
    # User state lives apart from fetched data: no sync statement ever writes here.
    db.execute(
        """
        CREATE TABLE user_state (
            paper_id TEXT PRIMARY KEY,
            read INTEGER NOT NULL DEFAULT 0,
            favourite INTEGER NOT NULL DEFAULT 0,
            read_at TEXT,
            favourited_at TEXT,
            note TEXT,
            tags TEXT
        )
        """
    )
    db.execute("CREATE INDEX idx_user_state_fav ON user_state (favourite) WHERE favourite = 1")
    db.execute(
        """
        CREATE TABLE periods (
            key TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            start TEXT,
            end TEXT,
            fetched_at TEXT,
            papers INTEGER NOT NULL DEFAULT 0,
            pages INTEGER NOT NULL DEFAULT 0,
            complete INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            error_at TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE signals (
            paper_id TEXT NOT NULL,
            synced_at TEXT NOT NULL,
            upvotes INTEGER,
            comments INTEGER,
            github_stars INTEGER,
            PRIMARY KEY (paper_id, synced_at)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    cols = ", ".join(FTS_COLUMNS)
    # Written by hand rather than Table.enable_fts(), which uses executescript() and so
    # would commit half-way through this migration's transaction.
    db.execute(
        f"CREATE VIRTUAL TABLE papers_fts USING fts5({cols}, content='papers', "
        "content_rowid='rid', tokenize='porter unicode61 remove_diacritics 2')"
    )
    new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    # Only re-index when indexed text changes: upvote refreshes must not churn the FTS.
    db.execute(
        f"CREATE TRIGGER papers_fts_ai AFTER INSERT ON papers BEGIN "
        f"INSERT INTO papers_fts (rowid, {cols}) VALUES (new.rid, {new}); END"
    )
    db.execute(
        f"CREATE TRIGGER papers_fts_ad AFTER DELETE ON papers BEGIN "
        f"INSERT INTO papers_fts (papers_fts, rowid, {cols}) "
        f"VALUES ('delete', old.rid, {old}); END"
    )
    db.execute(
        f"CREATE TRIGGER papers_fts_au AFTER UPDATE OF rid, {cols} ON papers BEGIN "
        f"INSERT INTO papers_fts (papers_fts, rowid, {cols}) VALUES ('delete', old.rid, {old}); "
        f"INSERT INTO papers_fts (rowid, {cols}) VALUES (new.rid, {new}); END"
    )


@migration
def m002_period_partial_items(db: sqlite_utils.Database) -> None:
    """Count the items of a period that arrived incomplete (schema drift).

    A period with such items is never final: a later sync fetches it again and so
    repairs the papers (authors, upvotes) the drifted answer left out.
    """
    db.table("periods").add_column("partial_items", int, not_null_default=0)


# Full texts, reading positions, linked repos and trending ranks (issue 12): new tables only.
from paperreader.core.store.fulltext import m003_fulltext  # noqa: E402

migration(m003_fulltext)

# Notes, tags and the state journal's bookkeeping (issue 14): new tables only.
from paperreader.core.store.annotation_schema import m004_notes_tags_state  # noqa: E402

migration(m004_notes_tags_state)


@migration
def m005_radar(db: sqlite_utils.Database) -> None:
    """ "For you" scores, watches, and the indexes behind "new since" (issue 13)."""
    from paperreader.core.store.radar import migration_sql

    for sql in migration_sql():
        db.execute(sql)


@migration
def m006_search_prefix_index(db: sqlite_utils.Database) -> None:
    """Index every word's first three letters, so a three-letter search is quick.

    Without it FTS5 answers a prefix such as "mod" by merging the doclists of every
    word it begins (model, modular, module: 98% of a 100,000-paper store), twice once
    bm25 ranks it: 72 ms, against 8 ms with the index. It costs index space (96 -> 167
    MB at 100,000 papers) and half as much again of the indexing work per paper
    written. Longer prefixes are asked as the words they begin (``prefix_words``);
    shorter ones are the search box's preview's to answer first. The rebuild reads the
    papers table (external content) once, here: 18 s at 100,000 papers.
    """
    cols = ", ".join(FTS_COLUMNS)
    db.execute("DROP TABLE papers_fts")
    db.execute(
        f"CREATE VIRTUAL TABLE papers_fts USING fts5({cols}, content='papers', "
        "content_rowid='rid', tokenize='porter unicode61 remove_diacritics 2', prefix='3')"
    )
    db.execute("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')")


class NewerSchemaError(Exception):
    """The store has migrations this version does not know."""


def applied(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations this store has had, in order."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='_migrations'"
    ).fetchone()
    if not exists:
        return []
    return [row[0] for row in conn.execute("SELECT name FROM _migrations ORDER BY rowid")]


def pending(conn: sqlite3.Connection) -> list[tuple[str, Migration]]:
    """The migrations still to apply; raises NewerSchemaError for unknown ones."""
    done = applied(conn)
    known = [name for name, _ in MIGRATIONS]
    unknown = [name for name in done if name not in known]
    if unknown:
        raise NewerSchemaError(
            f"this store was written by a newer paperreader (unknown migrations: "
            f"{', '.join(unknown)}); upgrade paperreader to open it"
        )
    return [(name, fn) for name, fn in MIGRATIONS if name not in done]


def apply(db: sqlite_utils.Database, todo: list[tuple[str, Migration]], *, now: str) -> None:
    """Apply ``todo`` in order, recording each at ``now``; the caller holds a write."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    for name, fn in todo:
        fn(db)
        db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", [name, now])
