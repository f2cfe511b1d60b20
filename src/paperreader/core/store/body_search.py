"""Searching the stored full texts, with a snippet showing where each paper matched.

How it joins local search: the metadata search (``papers_fts``: title, abstract,
authors, keywords) stays first; papers whose *body* (or note) matches and that the
metadata search did not find follow it (``search_extra.extra_part`` in
``query.build``). The detail pane shows where the paper shown matched with
:func:`body_hit`; :func:`search_bodies` ranks every hit with snippets. Only stored
papers (a few hundred at most) have bodies, so the body index is small.

``fulltext_fts`` is contentless, so FTS5 cannot build snippets itself; we decompress
the few bodies shown and find the words ourselves.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from paperreader.core import text as untrusted
from paperreader.core.store.errors import guarded
from paperreader.core.store.query import fts_query

if TYPE_CHECKING:
    from paperreader.core.store.store import Store

SNIPPET_CHARS = 160
_WORD = re.compile(r"\w+", re.UNICODE)
# Emphasis, code and heading marks, and a link's brackets and target (its text stays);
# other brackets are text ("[b]" in a paper is shown as it is written).
_MARKUP = re.compile(r"[*_`#|>$\\]+|!?\[(?=[^\]\n]*\]\()|\]\([^)]*\)")


@dataclass(frozen=True, slots=True)
class BodyHit:
    """A paper whose stored full text matches: where, and the text around it."""

    paper_id: str
    rid: int | None
    """The paper's row id in ``papers`` (None if the paper row is gone)."""
    snippet: str
    """About SNIPPET_CHARS characters around the first match, one line, plain text."""
    section: str
    """The heading the match is under ('' before the first heading)."""
    offset: int
    """Character offset of the match in the Markdown."""


def body_match_sql(search: str) -> tuple[str, list[Any]] | None:
    """``SELECT rid …`` of papers whose stored body matches ``search`` (None: nothing to find).

    Safe to embed as ``{R} IN (…)`` or ``UNION`` it with the metadata matches.
    """
    fts = fts_query(search)
    if fts is None:
        return None
    return (
        "SELECT p.rid FROM fulltext_fts JOIN fulltext f ON f.ftid = fulltext_fts.rowid "
        "JOIN papers p ON p.id = f.paper_id WHERE fulltext_fts MATCH ?",
        [fts],
    )


def search_bodies(
    store: Store, search: str, *, limit: int = 50, exclude: frozenset[str] = frozenset()
) -> list[BodyHit]:
    """Papers whose stored full text matches ``search``, best match first (bm25)."""
    fts = fts_query(search)
    if fts is None:
        return []
    rows = store.conn.execute(
        "SELECT f.paper_id, p.rid, f.body FROM fulltext_fts "
        "JOIN fulltext f ON f.ftid = fulltext_fts.rowid "
        "LEFT JOIN papers p ON p.id = f.paper_id "
        "WHERE fulltext_fts MATCH ? ORDER BY bm25(fulltext_fts) LIMIT ?",
        [fts, limit + len(exclude)],
    ).fetchall()
    hits: list[BodyHit] = []
    for paper_id, rid, body in rows:
        if paper_id in exclude:
            continue
        try:
            markdown = zlib.decompress(body).decode("utf-8", errors="replace")
        except zlib.error:
            continue
        offset = match_offset(markdown, search)
        hits.append(
            BodyHit(paper_id, rid, snippet(markdown, offset), section_at(markdown, offset), offset)
        )
        if len(hits) >= limit:
            break
    return hits


def _stem(word: str) -> str:
    # FTS5's porter tokenizer matches "trained" for "training"; the snippet only has to
    # land near the match, so a shortened prefix is close enough.
    return word if len(word) <= 4 else word[: max(4, len(word) - 3)]


def match_offset(markdown: str, search: str) -> int:
    """Where ``search`` first matches: the whole phrase, else any word, else its stem."""
    words = [w for w in _WORD.findall(search) if w.strip("_")]
    if not words:
        return 0
    candidates = [r"\s+".join(re.escape(w) for w in words)]
    candidates += [re.escape(w) for w in words]
    candidates += [re.escape(_stem(w)) for w in words]
    for pattern in candidates:
        found = re.search(r"(?<!\w)" + pattern, markdown, re.IGNORECASE)
        if found:
            return found.start()
    return 0


def snippet(markdown: str, offset: int, chars: int = SNIPPET_CHARS) -> str:
    """One plain line of about ``chars`` characters around ``offset``."""
    start = max(0, offset - chars // 3)
    end = min(len(markdown), start + chars)
    piece = _MARKUP.sub(" ", markdown[start:end])
    line = untrusted.one_line(piece)
    return ("…" if start else "") + line + ("…" if end < len(markdown) else "")


def section_at(markdown: str, offset: int) -> str:
    """The last Markdown heading before ``offset`` ('' if none)."""
    head = markdown.rfind("\n#", 0, offset)
    if head < 0:
        if not markdown.startswith("#") or offset == 0:
            return ""
        head = -1
    line_end = markdown.find("\n", head + 1)
    line = markdown[head + 1 : line_end if line_end >= 0 else len(markdown)]
    return untrusted.one_line(line.lstrip("#"), max_len=120)


@guarded
def body_hit(store: Store, paper_id: str, search: str) -> BodyHit | None:
    """Where ``search`` matches ``paper_id``'s stored full text (None: no text, no match).

    For the detail pane of one paper: one indexed lookup, one body decompressed.
    SQLite errors come out as ``StoreError``.
    """
    from paperreader.core.store.search_extra import worth_searching

    fts = fts_query(search)
    if fts is None or not worth_searching(fts):
        return None
    row = store.conn.execute(
        "SELECT f.body, p.rid FROM fulltext f LEFT JOIN papers p ON p.id = f.paper_id "
        "WHERE f.paper_id = ? AND f.ftid IN "
        "(SELECT rowid FROM fulltext_fts WHERE fulltext_fts MATCH ?)",
        [paper_id, fts],
    ).fetchone()
    if row is None:
        return None
    try:
        markdown = zlib.decompress(row[0]).decode("utf-8", errors="replace")
    except zlib.error:
        return None
    offset = match_offset(markdown, search)
    return BodyHit(
        paper_id, row[1], snippet(markdown, offset), section_at(markdown, offset), offset
    )
