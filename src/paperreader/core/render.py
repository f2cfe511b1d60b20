"""One model of "a paper as text", shared by every front end that shows a whole paper.

:func:`paper_text` decides *what* is said about a paper: which facts exist, their
labels, which links are safe to show, the signal trend, and the cleaning every string
from the network gets. The front ends decide only *how* it looks: the command line's
``show`` (plain lines), the reader's detail pane (Rich ``Text`` with styles, never
markup) and the Markdown export (escaped Markdown). A fact added here reaches all three.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from paperreader.core import text
from paperreader.core.models import PaperRecord, paper_urls

Role = Literal["title", "people", "byline", "fact", "mark", "trend", "link", "body", "page", "note"]
"""What a piece is for, so a front end can style it: the title, the authors, who
submitted it, short facts, the reader's marks (and tags), the upvote trend, the code and
project links, longer text (AI summary, keywords, abstract), the paper's web pages and the
reader's own note (Markdown source, shown literally)."""

NO_ABSTRACT = "(no abstract)"
#: How many of the latest upvote counts the trend shows.
TREND_POINTS = 6


@dataclass(frozen=True, slots=True)
class Piece:
    """One labelled piece of a paper as text. ``value`` is already cleaned."""

    key: str
    """Stable name: ``title``, ``authors``, ``upvotes``, ``code``, ``pdf``, …"""
    label: str
    """The words that name it (``code``, ``Daily Papers``, ``comments``, ``PDF``)."""
    value: str
    role: Role
    url: str | None = None
    """For links and pages: a URL that passed :func:`text.is_safe_url`."""
    number: int | None = None
    """For counts: the number itself (upvotes, comments, a repository's stars)."""
    items: tuple[str, ...] = ()
    """For lists (authors, keywords): the cleaned items ``value`` joins with ", "."""


@dataclass(frozen=True, slots=True)
class PaperText:
    """A paper as an ordered list of pieces, with lookups by key and role."""

    pieces: tuple[Piece, ...]

    def __iter__(self) -> Iterator[Piece]:
        return iter(self.pieces)

    def get(self, key: str) -> Piece | None:
        """The piece called ``key``, or None when the paper has no such thing."""
        return next((p for p in self.pieces if p.key == key), None)

    def value(self, key: str) -> str:
        """The value of ``key`` ("" when absent)."""
        piece = self.get(key)
        return piece.value if piece else ""

    def of(self, role: Role) -> list[Piece]:
        """Every piece with ``role``, in order."""
        return [p for p in self.pieces if p.role == role]


def _listed(key: str, label: str, values: tuple[str, ...], role: Role) -> Piece | None:
    items = tuple(v for v in (text.one_line(x) for x in values) if v)
    return Piece(key, label, ", ".join(items), role, items=items) if items else None


def _link(key: str, label: str, url: str | None, stars: int | None = None) -> Piece | None:
    if not url or not text.is_safe_url(url):
        return None
    return Piece(key, label, text.one_line(url), "link", url=url, number=stars)


def _trend(record: PaperRecord) -> Piece | None:
    if len(record.signals) <= 1:
        return None
    votes = [str(s[1]) for s in record.signals if s[1] is not None][-TREND_POINTS:]
    return Piece("upvote_trend", "upvotes over syncs", " → ".join(votes), "trend")


def _note(note: str | None) -> Piece | None:
    # Cleaned again here (newlines kept): a note may come from another machine's journal.
    body = text.clean(note, max_len=MAX_NOTE_SHOWN).strip("\n") if note else ""
    return Piece("note", "note", body, "note") if body else None


#: Characters of a note shown (a note is at most 100,000; this is only a safety cap).
MAX_NOTE_SHOWN = 200_000


def paper_text(record: PaperRecord) -> PaperText:
    """Everything the front ends say about ``record``, in reading order."""
    p = record.paper
    urls = paper_urls(p.id)
    line = text.one_line
    upvotes = p.upvotes or 0
    maybe: list[Piece | None] = [
        Piece("title", "title", line(p.title), "title"),
        _listed("authors", "authors", p.authors, "people"),
        Piece("organization", "organisation", line(p.organization), "byline")
        if p.organization
        else None,
        Piece("submitted_by", "submitted by", line(p.submitted_by), "byline")
        if p.submitted_by
        else None,
        Piece("id", "arXiv", p.id, "fact", url=urls["arxiv"]),
        Piece("upvotes", "▲", str(upvotes), "fact", number=upvotes),
        Piece(
            "comments",
            "comment" if p.comments == 1 else "comments",
            str(p.comments),
            "fact",
            number=p.comments,
        )
        if p.comments is not None
        else None,
        Piece("published", "published", p.published, "fact") if p.published else None,
        Piece("daily_date", "Daily Papers", p.daily_date, "fact") if p.daily_date else None,
        Piece("read", "read" if record.read else "unread", "", "mark", number=int(record.read)),
        Piece("favourite", "favourite", "", "mark") if record.favourite else None,
        Piece("withdrawn", "withdrawn", line(p.withdrawn_at), "mark") if p.withdrawn_at else None,
        _listed("tags", "tags", record.tags, "mark"),
        _note(record.note),
        _trend(record),
        _link("code", "code", p.github_repo, p.github_stars),
        _link("project", "project", p.project_page),
        Piece("ai_summary", "AI summary", line(p.ai_summary), "body") if p.ai_summary else None,
        _listed("keywords", "keywords", p.ai_keywords, "body"),
        Piece("abstract", "Abstract", text.reflow(p.summary), "body"),
        Piece("hf", "HF page", urls["hf"], "page", url=urls["hf"]),
        Piece("arxiv", "arXiv", urls["arxiv"], "page", url=urls["arxiv"]),
        Piece("pdf", "PDF", urls["pdf"], "page", url=urls["pdf"]),
    ]
    return PaperText(tuple(piece for piece in maybe if piece is not None))
