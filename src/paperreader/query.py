"""Turning a ``PaperFilter`` into SQL, and user search text into a safe FTS5 query.

Text typed into a search box is never passed raw to MATCH: quotes, hyphens, ``AND``,
``NEAR(``, ``*`` and friends are FTS5 syntax and raise errors. We keep only word
characters, quote every token, and make the last one a prefix (search as you type).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from paperreader.models import PaperFilter

_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_TOKENS = 16
#: Column weights for bm25 over (title, summary, authors, keywords): a word in the
#: title says far more about a paper than the same word in its abstract.
BM25_WEIGHTS = "10.0, 1.0, 4.0, 4.0"


def fts_query(text: str, *, prefix: bool = True) -> str | None:
    """A MATCH expression that can never be a syntax error, or None if nothing to search."""
    tokens = _TOKEN.findall(text or "")[:MAX_TOKENS]
    tokens = [t for t in tokens if t.strip("_")]
    if not tokens:
        return None
    quoted = [f'"{t}"' for t in tokens]
    # Prefix-match the last word while it is still being typed (not after a space).
    if prefix and text and not text[-1].isspace():
        quoted[-1] += "*"
    return " ".join(quoted)


@dataclass(slots=True)
class SQL:
    """The pieces of a paper query, assembled by :func:`build`."""

    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    order: str = ""
    fts: str | None = None

    def from_clause(self) -> str:
        join_state = "LEFT JOIN user_state s ON s.paper_id = p.id"
        if self.fts is not None and "bm25" in self.order:
            return f"papers_fts JOIN papers p ON p.rid = papers_fts.rowid {join_state}"
        return f"papers p {join_state}"

    def where_clause(self) -> str:
        return ("WHERE " + " AND ".join(self.where)) if self.where else ""


ORDERS = {
    "newest": "p.daily_date DESC, p.upvotes DESC, p.rid DESC",
    "upvotes": "p.upvotes DESC, p.rid DESC",
    "rising": "p.rising IS NULL, p.rising DESC, p.upvotes DESC, p.rid DESC",
}


def build(flt: PaperFilter, *, today: dt.date, latest_day: str | None) -> SQL:
    """Translate ``flt`` into WHERE/ORDER pieces over ``papers p`` and ``user_state s``."""
    sql = SQL()
    if flt.view == "unread":
        sql.where.append("COALESCE(s.read, 0) = 0")
    elif flt.view == "favourites":
        sql.where.append("s.favourite = 1")
    elif flt.view == "today":
        # Daily Papers has no list on weekends: "today" is the newest day we have.
        sql.where.append("p.daily_date = ?")
        sql.params.append(latest_day or today.isoformat())
    elif flt.view == "week":
        sql.where.append("p.daily_date >= ?")
        sql.params.append((today - dt.timedelta(days=6)).isoformat())
    if flt.since:
        sql.where.append("p.daily_date >= ?")
        sql.params.append(flt.since)
    if flt.until:
        sql.where.append("p.daily_date <= ?")
        sql.params.append(flt.until)
    if flt.min_upvotes > 0:
        sql.where.append("p.upvotes >= ?")
        sql.params.append(flt.min_upvotes)
    if flt.keyword:
        sql.where.append("p.id IN (SELECT paper_id FROM paper_keywords WHERE keyword = ?)")
        sql.params.append(flt.keyword)
    sql.fts = fts_query(flt.search)
    if sql.fts is not None:
        if flt.sort == "relevance":
            sql.where.append("papers_fts MATCH ?")
            sql.order = f"bm25(papers_fts, {BM25_WEIGHTS}), p.rid DESC"
        else:
            sql.where.append("p.rid IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)")
        sql.params.append(sql.fts)
    if not sql.order:
        sql.order = ORDERS.get(flt.sort, ORDERS["newest"])
    return sql
