"""Checks that a store file is sound after crashes, faults and concurrent writers."""

from __future__ import annotations

import re

from paperreader.core.store import Store

_WORD = re.compile(r"\w{3,}")


def paper_ids(store: Store) -> set[str]:
    """Every paper id in the store."""
    return {r[0] for r in store.conn.execute("SELECT id FROM papers")}


def assert_sound(store: Store, *, sample: int = 200) -> None:
    """SQLite and FTS5 integrity, and a search index that lists exactly the stored papers.

    FTS5's own ``integrity-check`` does not compare an external-content index with its
    table (SQLite 3.40), so the rowid sets are compared here, and a sample of papers must
    be found by a word of their own title.
    """
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')")
    rows = store.conn.execute("SELECT rid, title FROM papers ORDER BY rid").fetchall()
    indexed = {r[0] for r in store.conn.execute("SELECT id FROM papers_fts_docsize")}
    assert indexed == {rid for rid, _ in rows}, "search index and paper rows disagree"
    step = max(1, len(rows) // sample)
    for rid, title in rows[::step]:
        word = _WORD.search(title)
        if word is None:
            continue
        hit = store.conn.execute(
            "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ? AND rowid = ?",
            [f'"{word.group()}"', rid],
        ).fetchone()[0]
        assert hit == 1, f"paper {rid} is not found by {word.group()!r} from its title"


def assert_rows_valid(store: Store) -> None:
    """Every stored paper row holds what the reader expects, whatever the server sent:
    a normalised id, a title, counts in range, JSON lists of strings, ISO dates, and a raw
    item that decompresses to JSON."""
    import datetime as dt
    import json
    import zlib

    from paperreader.core import text

    cols = (
        "id, title, upvotes, comments, github_stars, authors_json, keywords_json, "
        "published, daily_date, raw"
    )
    for row in store.conn.execute(f"SELECT {cols} FROM papers"):
        pid, title, upvotes, comments, stars, authors, keywords, published, day, raw = row
        assert text.normalize_paper_id(pid) == pid, pid
        assert isinstance(title, str) and title.strip(), pid
        assert isinstance(upvotes, int) and 0 <= upvotes < 2**63, (pid, upvotes)
        for count in (comments, stars):
            assert count is None or (isinstance(count, int) and 0 <= count < 2**63), pid
        for listed in (authors, keywords):
            values = json.loads(listed)
            assert isinstance(values, list) and all(isinstance(v, str) for v in values), pid
        for date in (published, day):
            assert date is None or dt.date.fromisoformat(date).isoformat() == date, pid
        json.loads(zlib.decompress(raw))
