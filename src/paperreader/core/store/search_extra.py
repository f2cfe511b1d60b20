"""Query parts beyond the paper index: full-text and note matches, and the trending order.

Local search looks in the papers' metadata first (``papers_fts``). Papers found only by
their stored full text (``fulltext_fts``) or by the reader's note (``notes_fts``) follow
those results: :func:`extra_part`. Both indexes hold a few hundred rows at most (only
stored papers have bodies, only noted papers notes), so the extra part is cheap; still,
the search-as-you-type preview leaves it out and the counted query a moment later adds it.

The "trending" sort lists the papers of HF's last stored trending ranking, by rank:
:func:`trending_part`.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paperreader.core.store.query import Conditions, Part

#: Rids of papers whose stored full text or note matches (two MATCH parameters).
_BODY_OR_NOTE = (
    "SELECT p2.rid FROM fulltext_fts JOIN fulltext f ON f.ftid = fulltext_fts.rowid "
    "JOIN papers p2 ON p2.id = f.paper_id WHERE fulltext_fts MATCH ? "
    "UNION SELECT p2.rid FROM notes_fts n JOIN papers p2 ON p2.id = n.paper_id "
    "WHERE notes_fts MATCH ?"
)
#: Orders of the extra part per sort (relevance: newest first, after the ranked matches).
_ORDER = {"upvotes": "p.upvotes DESC, p.rid DESC", "rising": "p.rising DESC, p.rid DESC"}


#: A word still being typed must be this long before bodies and notes are searched for it.
MIN_PREFIX = 3


def worth_searching(fts: str) -> bool:
    """Whether bodies and notes are searched for ``fts`` (a ``query.fts_query`` answer).

    A one- or two-letter prefix matches nearly every paper's metadata already, and its
    metadata match list (which the extra part must exclude) is the costliest to build.
    """
    last = fts.rsplit(" ", 1)[-1]
    return not last.endswith("*") or len(last) - 3 >= MIN_PREFIX  # '"' + word + '"*'


def any_match(conn: sqlite3.Connection, fts: str) -> bool:
    """Whether any stored body or note matches ``fts`` (two small-index lookups).

    Checked before the extra part is added: its ``NOT IN`` list of metadata matches
    costs tens of milliseconds for a common word at 100,000 papers, a waste when no
    body or note matches (as for most searches).
    """
    try:
        row = conn.execute(f"SELECT EXISTS ({_BODY_OR_NOTE})", [fts, fts]).fetchone()
    except sqlite3.OperationalError:
        return True  # let the real query report what is wrong with the search
    return bool(row and row[0])


def extra_part(fts: str, cond: Conditions, sort: str) -> Part:
    """Papers whose body or note matches ``fts`` and whose metadata does not, in ``sort``.

    The metadata matches are excluded with one uncorrelated ``NOT IN``, built once per
    query: a correlated FTS5 lookup per found paper merges a prefix's term lists again
    for each (measured: seconds for "mo*" at 100,000 papers).
    """
    from paperreader.core.store.query import Part

    where = (
        f"p.rid IN ({_BODY_OR_NOTE}) AND p.rid NOT IN (SELECT rowid FROM papers_fts "
        f"WHERE papers_fts MATCH ?){cond.render('p.rid')}"
    )
    params = [fts, fts, fts, *cond.params]
    order = _ORDER.get(sort, "p.rid DESC")
    return Part(
        f"SELECT p.rid FROM papers p WHERE {where} ORDER BY {order}",
        params,
        f"SELECT count(*) FROM papers p WHERE {where}",
        params,
    )


def trending_part(fts: str | None, cond: Conditions) -> Part:
    """The ranked papers (matching ``fts`` when searching) by trending rank, best first."""
    from paperreader.core.store.query import Part

    where = cond.render("p.rid")
    params = list(cond.params)
    if fts is not None:
        where = f" AND p.rid IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?){where}"
        params = [fts, *params]
    base = f"FROM trending t JOIN papers p ON p.id = t.paper_id WHERE 1{where}"
    return Part(f"SELECT p.rid {base} ORDER BY t.rank", params, f"SELECT count(*) {base}", params)
