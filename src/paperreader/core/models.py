"""Plain data objects shared by the store, the sync, the CLI and the UI.

``Paper.from_api`` is the one place that understands the Hugging Face JSON shapes
(daily item wrapper, flat detail object, legacy flat search item). It is tolerant:
optional fields may be missing, null or of the wrong type; only an id and a title
are required. Text is cleaned here, at ingest, so nothing downstream sees control
sequences.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from paperreader.core import text
from paperreader.core.views import Sort, View

HF_BASE = "https://huggingface.co"


class ItemError(ValueError):
    """An API item could not be understood (no id or no title)."""


#: Counts above this are not counts (the busiest papers have a few thousand upvotes).
COUNT_MAX = 10**9


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value == value and abs(value) < 2**53:
        return int(value)
    if isinstance(value, str) and len(value) <= 40:
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def _count(value: Any, name: str, problems: list[str]) -> int | None:
    """A count (upvotes, comments, stars) in 0..COUNT_MAX; anything else is noted and dropped.

    Missing or null is simply unknown. Out-of-range values (10**20 would overflow SQLite's
    64-bit integers) and wrong types keep the paper but lose the field.
    """
    if value is None:
        return None
    number = _int(value)
    if number is None or not 0 <= number <= COUNT_MAX:
        problems.append(name)
        return None
    return number


def _str(value: Any, *, max_len: int = 2000) -> str | None:
    if isinstance(value, str):
        cleaned = text.one_line(value, max_len=max_len)
        return cleaned or None
    return None


def _date(value: Any) -> str | None:
    """The calendar date (YYYY-MM-DD, UTC) of an ISO timestamp, or None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper as fetched from Hugging Face (no user state)."""

    id: str
    title: str
    summary: str = ""
    authors: tuple[str, ...] = ()
    published: str | None = None
    """arXiv publication date (YYYY-MM-DD)."""
    daily_date: str | None = None
    """The Daily Papers day the paper was listed on (YYYY-MM-DD)."""
    submitted_at: str | None = None
    upvotes: int | None = None
    comments: int | None = None
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    ai_summary: str | None = None
    ai_keywords: tuple[str, ...] = ()
    organization: str | None = None
    organization_name: str | None = None
    submitted_by: str | None = None
    withdrawn_at: str | None = None
    source: Literal["daily", "search", "detail"] = "daily"
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    problems: tuple[str, ...] = field(default=(), compare=False, hash=False)
    """Fields the API sent out of range or of the wrong type (dropped), for the sync report."""

    @classmethod
    def from_api(
        cls,
        item: Any,
        *,
        source: Literal["daily", "search", "detail"] = "daily",
    ) -> Paper:
        """Build a paper from any of the API's item shapes; raise ItemError if unusable."""
        if not isinstance(item, dict):
            raise ItemError("item is not an object")
        inner = item.get("paper")
        paper = inner if isinstance(inner, dict) else item
        pid_raw = paper.get("id")
        pid = text.normalize_paper_id(pid_raw) if isinstance(pid_raw, str) else None
        if pid is None:
            raise ItemError(f"item has no usable paper id ({pid_raw!r:.40})")
        title = _str(paper.get("title")) or _str(item.get("title"))
        if not title:
            raise ItemError(f"paper {pid} has no title")
        summary_raw = paper.get("summary")
        if not isinstance(summary_raw, str):
            summary_raw = item.get("summary")
        authors: list[str] = []
        raw_authors = paper.get("authors")
        for author in raw_authors if isinstance(raw_authors, list) else []:
            name = _str(author.get("name")) if isinstance(author, dict) else _str(author)
            if name and not (isinstance(author, dict) and author.get("hidden") is True):
                authors.append(name)
        org = _dict(item.get("organization")) or _dict(paper.get("organization"))
        submitter = _dict(item.get("submittedBy")) or _dict(paper.get("submittedOnDailyBy"))
        keywords_raw = paper.get("ai_keywords")
        keywords = (
            tuple(k for k in (_str(kw, max_len=100) for kw in keywords_raw or []) if k)
            if isinstance(keywords_raw, list)
            else ()
        )
        # numComments only exists on the daily wrapper; elsewhere it is unknown, not zero.
        problems: list[str] = []
        comments = (
            _count(item.get("numComments"), "numComments", problems)
            if inner is not None or source == "daily"
            else None
        )
        return cls(
            id=pid,
            title=title,
            summary=text.reflow(summary_raw) if isinstance(summary_raw, str) else "",
            authors=tuple(authors),
            published=_date(paper.get("publishedAt")),
            daily_date=_date(paper.get("submittedOnDailyAt")),
            submitted_at=_str(paper.get("submittedOnDailyAt"), max_len=40),
            upvotes=_count(paper.get("upvotes"), "upvotes", problems),
            comments=comments,
            github_repo=text.safe_url(paper.get("githubRepo")),
            github_stars=_count(paper.get("githubStars"), "githubStars", problems),
            project_page=text.safe_url(paper.get("projectPage")),
            ai_summary=_str(paper.get("ai_summary"), max_len=4000),
            ai_keywords=keywords,
            organization=_str(org.get("fullname")) or _str(org.get("name")),
            organization_name=_str(org.get("name"), max_len=200),
            submitted_by=_str(submitter.get("fullname")) or _str(submitter.get("name")),
            withdrawn_at=_str(paper.get("withdrawnAt"), max_len=40),
            source=source,
            raw=item,
            problems=tuple(problems),
        )

    def raw_json(self) -> str:
        """The item as the API sent it, as compact JSON (kept to re-derive fields later)."""
        try:
            raw = json.dumps(self.raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            raw.encode()  # a lone surrogate (sent as "\ud800") has no UTF-8 form: escape it
            return raw
        except UnicodeEncodeError:
            return json.dumps(self.raw, sort_keys=True, separators=(",", ":"))
        except (RecursionError, ValueError, TypeError):
            # Deep enough to parse but not to re-encode here, or values JSON cannot hold:
            # keep what identifies the paper rather than fail the page.
            return json.dumps({"paper": {"id": self.id, "title": self.title}, "raw": "dropped"})


def paper_urls(paper_id: str) -> dict[str, str]:
    """The web pages of a paper, built from its id (never from API-supplied URLs)."""
    return {
        "hf": f"{HF_BASE}/papers/{paper_id}",
        "arxiv": f"https://arxiv.org/abs/{paper_id}",
        "pdf": f"https://arxiv.org/pdf/{paper_id}",
    }


@dataclass(frozen=True, slots=True)
class PaperRow:
    """What one line of the list needs, cheap to load for the visible rows."""

    rid: int
    """The store's row key (see ``core.store``); ``id`` is the arXiv id."""
    id: str
    title: str
    daily_date: str | None
    upvotes: int
    comments: int | None
    organization: str | None
    read: bool
    favourite: bool
    new: bool = False
    """First stored since the reader was last opened (the list marks it)."""
    noted: bool = False
    """The reader wrote a note on it."""
    tags: tuple[str, ...] = ()
    """The reader's tags on it (sorted)."""
    progress: int | None = None
    """Reading progress in whole percent when a full text is stored (None: none stored)."""


@dataclass(frozen=True, slots=True)
class PaperRecord:
    """A stored paper with its user state and signal history (for detail and export)."""

    paper: Paper
    read: bool = False
    favourite: bool = False
    read_at: str | None = None
    favourited_at: str | None = None
    first_seen: str | None = None
    signals: tuple[tuple[str, int | None, int | None, int | None], ...] = ()
    """(synced_at, upvotes, comments, github_stars), oldest first."""
    note: str | None = None
    """The reader's note (Markdown, shown literally), None when there is none."""
    tags: tuple[str, ...] = ()
    """The reader's tags (sorted)."""

    def to_json(self) -> dict[str, Any]:
        """The record as ``list --json`` and the exports print it (the JSON contract)."""
        p = self.paper
        urls = paper_urls(p.id)
        return {
            "id": p.id,
            "title": p.title,
            "authors": list(p.authors),
            "date": p.daily_date,
            "published": p.published,
            "upvotes": p.upvotes or 0,
            "comments": p.comments,
            "read": self.read,
            "favourite": self.favourite,
            "url": urls["hf"],
            "arxiv_url": urls["arxiv"],
            "pdf_url": urls["pdf"],
            "organization": p.organization,
            "github_repo": p.github_repo,
            "github_stars": p.github_stars,
            "project_page": p.project_page,
            "ai_summary": p.ai_summary,
            "ai_keywords": list(p.ai_keywords),
            "summary": p.summary,
        }


@dataclass(frozen=True, slots=True)
class PaperFilter:
    """Which papers to list and in what order. Immutable: the UI swaps whole filters."""

    view: View = "all"
    search: str = ""
    since: str | None = None
    until: str | None = None
    min_upvotes: int = 0
    sort: Sort = "newest"
    keyword: str | None = None
    tag: str | None = None
    """Only papers carrying this (normalised) tag of the user's."""


@dataclass(slots=True)
class SyncReport:
    """What one sync run did."""

    requests: int = 0
    new: int = 0
    updated: int = 0
    seen: int = 0
    skipped_items: int = 0
    repaired_items: int = 0
    """Papers kept without a field the API sent out of range (e.g. upvotes of 10**20)."""
    periods_ok: list[str] = field(default_factory=list)
    periods_failed: dict[str, str] = field(default_factory=dict)
    skipped_periods: int = 0
    """Periods left out because they were already fetched and final."""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """No period failed."""
        return not self.periods_failed

    def summary(self) -> str:
        """One line for people: counts, time, and what was skipped or failed."""
        parts = [
            f"{self.new} new",
            f"{self.updated} updated",
            f"{self.seen} seen",
            f"{self.requests} requests",
            f"{self.seconds:.1f}s",
        ]
        if self.skipped_periods:
            parts.append(f"{text.counted(self.skipped_periods, 'settled period')} skipped")
        if self.skipped_items:
            parts.append(f"{self.skipped_items} malformed items skipped")
        if self.repaired_items:
            parts.append(f"{self.repaired_items} items kept without out-of-range values")
        if self.periods_failed:
            parts.append(f"{text.counted(len(self.periods_failed), 'period')} failed")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """A progress tick: periods done of total, papers stored so far, what is happening."""

    done: int
    total: int
    papers: int
    message: str
