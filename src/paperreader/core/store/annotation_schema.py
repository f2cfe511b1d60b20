"""Schema for notes, tags and the state journal's bookkeeping: one migration step.

Register it in ``migrations.py`` after ``m003_fulltext``::

    migration(annotation_schema.m004_notes_tags_state)

Every statement is ``IF NOT EXISTS`` so a store that already has the tables (a test that
created them, a half-merged branch) migrates cleanly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

_STATEMENTS = (
    # Tags: the index behind facets, the tag filter and completion. user_state.tags holds
    # the same list as JSON for reads of one paper.
    """
    CREATE TABLE IF NOT EXISTS paper_tags (
        paper_id TEXT NOT NULL,
        tag TEXT NOT NULL,
        PRIMARY KEY (tag, paper_id)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX IF NOT EXISTS idx_paper_tags_paper ON paper_tags (paper_id)",
    # Notes search, same tokenizer as papers_fts. Keyed by paper id rather than a rowid: a
    # note may exist before its paper does, and papers.rid moves when a paper is relisted.
    # Deleting by paper_id scans the notes, which number in the hundreds or thousands.
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS notes_fts USING fts5(
        paper_id UNINDEXED, note, tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS user_state_note_ai AFTER INSERT ON user_state
    WHEN new.note IS NOT NULL BEGIN
        INSERT INTO notes_fts (paper_id, note) VALUES (new.paper_id, new.note);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS user_state_note_au AFTER UPDATE OF note ON user_state BEGIN
        DELETE FROM notes_fts WHERE paper_id = old.paper_id;
        INSERT INTO notes_fts (paper_id, note)
            SELECT new.paper_id, new.note WHERE new.note IS NOT NULL;
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS user_state_note_ad AFTER DELETE ON user_state BEGIN
        DELETE FROM notes_fts WHERE paper_id = old.paper_id;
    END
    """,
    # The winning change per (paper or watch, field): its value as JSON and its stamp.
    # journaled = 0 marks this machine's edits not yet appended to its journal.
    """
    CREATE TABLE IF NOT EXISTS state_stamps (
        key TEXT NOT NULL,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        ms INTEGER NOT NULL,
        counter INTEGER NOT NULL,
        machine TEXT NOT NULL,
        journaled INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (key, field)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX IF NOT EXISTS idx_state_stamps_order ON state_stamps (ms, counter)",
    "CREATE INDEX IF NOT EXISTS idx_state_stamps_pending ON state_stamps (journaled) "
    "WHERE journaled = 0",
    # How far each journal file in state_dir has been read (reading.ReadMark).
    """
    CREATE TABLE IF NOT EXISTS state_offsets (
        file TEXT PRIMARY KEY,
        pos INTEGER NOT NULL,
        tail_len INTEGER NOT NULL,
        tail_hash TEXT NOT NULL
    )
    """,
)


def m004_notes_tags_state(db: sqlite_utils.Database) -> None:
    """Tables for tags, note search and journal bookkeeping; indexes notes already there."""
    for statement in _STATEMENTS:
        db.execute(statement)
    db.execute(
        "INSERT INTO notes_fts (paper_id, note) SELECT paper_id, note FROM user_state "
        "WHERE note IS NOT NULL AND paper_id NOT IN (SELECT paper_id FROM notes_fts)"
    )
