"""Turning a ``PaperFilter`` into SQL, and user search text into a safe FTS5 query.

Text typed into a search box is never passed raw to MATCH: quotes, hyphens, ``AND``,
``NEAR(``, ``*`` and friends are FTS5 syntax and raise errors. We keep only word
characters, quote every token, and make the last one a prefix (search as you type).

Speed at 100,000 papers comes from one trick: a paper's ``rid`` encodes its Daily
Papers day (:func:`day_base`), so "newest first" is plain rid order. The rid is the
table's INTEGER PRIMARY KEY, so SQLite's ``rowid`` *is* the rid, and the search index
(external content) uses it as its ``rowid`` too. Newest-first lists scan a narrow
index; newest-first searches read FTS5 doclists, which are already in rid order; date
filters are rid ranges. Every other condition is a set test on the rid, so no query has
to visit the wide paper rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from paperreader.core.models import PaperFilter
from paperreader.core.store import radar_views, search_extra
from paperreader.core.store.notes_tags import TAG_CONDITION

_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_TOKENS = 16
#: Column weights for bm25 over (title, summary, authors, keywords): a word in the
#: title says far more about a paper than the same word in its abstract.
BM25 = "bm25(papers_fts, 10.0, 1.0, 4.0, 4.0)"
DAY_BITS = 16
EPOCH = dt.date(2000, 1, 1)


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


def day_base(day: dt.date | str | None) -> int:
    """The first rid of ``day``; each day owns 2**16 rids. Undated papers sort oldest."""
    if day is None:
        return 0
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day[:10])
        except ValueError:
            return 0
    return max(0, (day - EPOCH).days + 1) << DAY_BITS


@dataclass(slots=True)
class Part:
    """One SELECT returning rids in display order; a query is one or two parts."""

    sql: str
    params: list[Any] = field(default_factory=list)
    count_sql: str = ""
    """``SELECT count(*)`` of the same rows without the ordering work (bm25, sorts)."""
    count_params: list[Any] = field(default_factory=list)


@dataclass(slots=True)
class Conditions:
    """WHERE terms written against a rid expression ``{R}``."""

    terms: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, term: str, *params: Any) -> None:
        """Add a term (``{R}`` stands for the rid) and its parameters."""
        self.terms.append(term)
        self.params.extend(params)

    def render(self, rid: str) -> str:
        """The terms as ``AND …`` clauses over the rid expression ``rid``."""
        return "".join(f" AND {t.format(R=rid)}" for t in self.terms)


def conditions(flt: PaperFilter, *, today: dt.date, latest_day: str | None) -> Conditions:
    """The filter's conditions other than search text (views, dates, upvotes, keyword)."""
    c = Conditions()
    if flt.view == "unread":
        c.add(
            "{R} NOT IN (SELECT p2.rid FROM user_state s JOIN papers p2 "
            "ON p2.id = s.paper_id WHERE s.read = 1)"
        )
    elif flt.view == "favourites":
        c.add(
            "{R} IN (SELECT p2.rid FROM user_state s JOIN papers p2 "
            "ON p2.id = s.paper_id WHERE s.favourite = 1)"
        )
    elif flt.view == "today":
        # Daily Papers has no list at weekends: "today" is the newest day we have.
        day = dt.date.fromisoformat(latest_day) if latest_day else today
        c.add("{R} >= ? AND {R} < ?", day_base(day), day_base(day + dt.timedelta(days=1)))
    elif flt.view == "week":
        c.add("{R} >= ?", day_base(today - dt.timedelta(days=6)))
    if flt.since:
        c.add("{R} >= ?", day_base(flt.since))
    if flt.until:
        c.add("{R} < ?", day_base(dt.date.fromisoformat(flt.until) + dt.timedelta(days=1)))
    if flt.min_upvotes > 0:
        c.add("{R} IN (SELECT rid FROM papers WHERE upvotes >= ?)", flt.min_upvotes)
    if flt.tag:
        c.add(TAG_CONDITION, flt.tag)
    if flt.keyword:
        c.add(
            "{R} IN (SELECT p2.rid FROM paper_keywords k JOIN papers p2 "
            "ON p2.id = k.paper_id WHERE k.keyword = ?)",
            flt.keyword,
        )
    radar_views.add_conditions(c, flt)
    return c


_INDEXED = {
    "newest": ("idx_papers_rid", "p.rid DESC"),
    "upvotes": ("idx_papers_upvotes", "p.upvotes DESC, p.rid DESC"),
    "rising": ("idx_papers_rising", "p.rising DESC, p.rid DESC"),
    "relevance": ("idx_papers_rid", "p.rid DESC"),  # no search text: newest
}


def build(
    flt: PaperFilter,
    *,
    today: dt.date,
    latest_day: str | None,
    rank_threshold: int | None = None,
    extras: bool = True,
    words: str | None = None,
) -> list[Part]:
    """The parts whose concatenated rids are the filter's result, in display order.

    For relevance, ``rank_threshold`` limits bm25 ranking to matches with a rid at or
    above it (the newest N matches, found by :func:`window_threshold`); older matches
    follow newest-first. ``None`` ranks every match. With ``extras``, papers found only
    by their stored full text or note follow the metadata matches (``search_extra``).
    ``words`` is the search as the metadata index is asked it (``prefix_words``; the
    full text and notes have indexes of their own words).
    """
    cond = conditions(flt, today=today, latest_day=latest_day)
    fts = fts_query(flt.search)
    words = words or fts
    if flt.sort == "trending":
        return [search_extra.trending_part(words, cond)]
    if words is None and radar_views.scored(flt):
        return [radar_views.scored_part(cond, Part)]
    parts = _metadata_parts(flt, cond, words, rank_threshold)
    if extras and fts is not None and search_extra.worth_searching(fts):
        parts.append(search_extra.extra_part(fts, cond, flt.sort))
    return parts


def _metadata_parts(
    flt: PaperFilter, cond: Conditions, fts: str | None, rank_threshold: int | None
) -> list[Part]:
    if fts is None:
        index, order = _INDEXED.get(flt.sort, _INDEXED["newest"])
        where = cond.render("p.rid")
        return [
            Part(
                f"SELECT p.rid FROM papers p INDEXED BY {index} WHERE 1{where} ORDER BY {order}",
                cond.params,
                f"SELECT count(*) FROM papers p WHERE 1{where}",
                cond.params,
            )
        ]
    match = "papers_fts MATCH ?"
    where = cond.render("papers_fts.rowid")
    base = f"FROM papers_fts WHERE {match}{where}"
    params = [fts, *cond.params]
    if flt.sort == "relevance":
        if rank_threshold is None:
            return [
                Part(
                    f"SELECT rowid {base} ORDER BY {BM25}",
                    params,
                    f"SELECT count(*) {base}",
                    params,
                )
            ]
        ranked = Part(
            f"SELECT rowid {base} AND rowid >= ? ORDER BY {BM25}, rowid DESC",
            [*params, rank_threshold],
            f"SELECT count(*) {base} AND rowid >= ?",
            [*params, rank_threshold],
        )
        rest = Part(
            f"SELECT rowid {base} AND rowid < ? ORDER BY rowid DESC",
            [*params, rank_threshold],
            f"SELECT count(*) {base} AND rowid < ?",
            [*params, rank_threshold],
        )
        return [ranked, rest]
    if flt.sort in ("upvotes", "rising"):
        index, order = _INDEXED[flt.sort]
        return [
            Part(
                f"SELECT p.rid FROM papers p INDEXED BY {index} WHERE p.rid IN "
                f"(SELECT rowid FROM papers_fts WHERE {match}){cond.render('p.rid')} "
                f"ORDER BY {order}",
                params,
                f"SELECT count(*) {base}",
                params,
            )
        ]
    return [
        Part(f"SELECT rowid {base} ORDER BY rowid DESC", params, f"SELECT count(*) {base}", params)
    ]


def window_threshold(
    flt: PaperFilter,
    *,
    today: dt.date,
    latest_day: str | None,
    window: int,
    words: str | None = None,
) -> Part | None:
    """SQL for the rid of the ``window``-th newest match (None when not searching)."""
    offset = max(0, window - 1)
    return _newest_matches(flt, today, latest_day, words, "rowid", "LIMIT 1 OFFSET ?", offset)


def window_scored(
    flt: PaperFilter,
    *,
    today: dt.date,
    latest_day: str | None,
    window: int,
    words: str | None = None,
) -> Part | None:
    """SQL for the ``window`` newest matches with their bm25 scores, newest first.

    One pass over the index yields both the rank threshold (the last row) and the
    ranked head (these rows sorted by :func:`rank_key`). Asked separately, a prefix
    word is looked up three times, each merging the doclists of every word it begins
    (98% of a 100,000-paper store for "mod"), before counting starts.
    """
    return _newest_matches(flt, today, latest_day, words, f"rowid, {BM25}", "LIMIT ?", window)


def _newest_matches(
    flt: PaperFilter,
    today: dt.date,
    latest_day: str | None,
    words: str | None,
    columns: str,
    limit: str,
    n: int,
) -> Part | None:
    # The matches of a best-match search, newest first (None when not searching).
    fts = words or fts_query(flt.search)
    if fts is None or flt.sort != "relevance":
        return None
    cond = conditions(flt, today=today, latest_day=latest_day)
    return Part(
        f"SELECT {columns} FROM papers_fts WHERE papers_fts MATCH ?"
        f"{cond.render('papers_fts.rowid')} ORDER BY rowid DESC {limit}",
        [fts, *cond.params, n],
    )


def rank_key(row: tuple[int, float]) -> tuple[float, int]:
    """Best match first (bm25 is lower for better), the newer of equal scores first;
    the same order as the ranked part's ``ORDER BY``."""
    return row[1], -row[0]
