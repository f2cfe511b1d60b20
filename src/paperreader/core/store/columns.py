"""How a paper maps onto the ``papers`` table and back.

:data:`UPSERT` holds the merge rules: a sparse answer (a search hit, a drifted item)
never erases what a richer one stored, the richest raw JSON is kept, and a row whose
content hash did not change is not written at all. The selects and :func:`record_from`
turn rows back into ``PaperRow`` and ``PaperRecord``.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import Any

from paperreader.core.models import Paper, PaperRecord
from paperreader.core.store.signals import Signal

UPSERT = """
INSERT INTO papers (
    rid, id, title, summary, authors, authors_json, published, daily_date, submitted_at,
    upvotes, comments, github_repo, github_stars, project_page, ai_summary, keywords,
    keywords_json, organization, organization_name, submitted_by, withdrawn_at,
    raw, raw_source, content_hash, first_seen, updated_at
) VALUES (
    :rid, :id, :title, :summary, :authors, :authors_json, :published, :daily_date, :submitted_at,
    COALESCE(:upvotes, 0), :comments, :github_repo, :github_stars, :project_page, :ai_summary,
    :keywords, :keywords_json, :organization, :organization_name, :submitted_by,
    :withdrawn_at, :raw, :raw_source, :content_hash, :first_seen, :now
)
ON CONFLICT(id) DO UPDATE SET
    title = excluded.title,
    summary = CASE WHEN excluded.summary != '' THEN excluded.summary ELSE papers.summary END,
    authors = CASE WHEN excluded.authors != '' THEN excluded.authors ELSE papers.authors END,
    authors_json = CASE WHEN excluded.authors != ''
                        THEN excluded.authors_json ELSE papers.authors_json END,
    published = COALESCE(excluded.published, papers.published),
    daily_date = COALESCE(excluded.daily_date, papers.daily_date),
    submitted_at = COALESCE(excluded.submitted_at, papers.submitted_at),
    upvotes = COALESCE(:upvotes, papers.upvotes),
    comments = COALESCE(excluded.comments, papers.comments),
    github_repo = COALESCE(excluded.github_repo, papers.github_repo),
    github_stars = COALESCE(excluded.github_stars, papers.github_stars),
    project_page = COALESCE(excluded.project_page, papers.project_page),
    ai_summary = COALESCE(excluded.ai_summary, papers.ai_summary),
    keywords = CASE WHEN excluded.keywords != '' THEN excluded.keywords ELSE papers.keywords END,
    keywords_json = CASE WHEN excluded.keywords != ''
                         THEN excluded.keywords_json ELSE papers.keywords_json END,
    organization = COALESCE(excluded.organization, papers.organization),
    organization_name = COALESCE(excluded.organization_name, papers.organization_name),
    submitted_by = COALESCE(excluded.submitted_by, papers.submitted_by),
    withdrawn_at = COALESCE(excluded.withdrawn_at, papers.withdrawn_at),
    -- Keep the richest raw JSON: a daily item beats a search or detail item.
    raw = CASE WHEN excluded.raw_source = 'daily' OR papers.raw_source != 'daily'
               THEN excluded.raw ELSE papers.raw END,
    raw_source = CASE WHEN excluded.raw_source = 'daily' OR papers.raw_source != 'daily'
                      THEN excluded.raw_source ELSE papers.raw_source END,
    content_hash = excluded.content_hash,
    updated_at = excluded.updated_at
WHERE papers.content_hash != excluded.content_hash
"""

ROW_SELECT = (
    "SELECT p.rid, p.id, p.title, p.daily_date, p.upvotes, p.comments, p.organization, "
    "COALESCE(s.read, 0), COALESCE(s.favourite, 0), s.note IS NOT NULL, s.tags, f.progress "
    "FROM papers p LEFT JOIN user_state s ON s.paper_id = p.id "
    "LEFT JOIN fulltext f ON f.paper_id = p.id"
)
RECORD_SELECT = (
    "SELECT p.*, COALESCE(s.read, 0) AS _read, COALESCE(s.favourite, 0) AS _fav, "
    "s.read_at AS _read_at, s.favourited_at AS _fav_at, s.note AS _note, s.tags AS _tags "
    "FROM papers p "
    "LEFT JOIN user_state s ON s.paper_id = p.id"
)


def content_hash(paper: Paper) -> str:
    """A digest of everything stored about ``paper``: equal digests need no write."""
    fields = (
        paper.title,
        paper.summary,
        paper.authors,
        paper.published,
        paper.daily_date,
        paper.upvotes,
        paper.comments,
        paper.github_repo,
        paper.github_stars,
        paper.project_page,
        paper.ai_summary,
        paper.ai_keywords,
        paper.organization,
        paper.organization_name,
        paper.submitted_by,
        paper.withdrawn_at,
    )
    return hashlib.blake2b(repr(fields).encode(), digest_size=12).hexdigest()


def params(paper: Paper, digest: str, now: str) -> dict[str, Any]:
    """The named parameters of :data:`UPSERT` for ``paper``."""
    return {
        "id": paper.id,
        "title": paper.title,
        "summary": paper.summary,
        "authors": ", ".join(paper.authors),
        "authors_json": json.dumps(list(paper.authors), ensure_ascii=False),
        "published": paper.published,
        "daily_date": paper.daily_date,
        "submitted_at": paper.submitted_at,
        "upvotes": paper.upvotes,
        "comments": paper.comments,
        "github_repo": paper.github_repo,
        "github_stars": paper.github_stars,
        "project_page": paper.project_page,
        "ai_summary": paper.ai_summary,
        "keywords": ", ".join(paper.ai_keywords),
        "keywords_json": json.dumps(list(paper.ai_keywords), ensure_ascii=False),
        "organization": paper.organization,
        "organization_name": paper.organization_name,
        "submitted_by": paper.submitted_by,
        "withdrawn_at": paper.withdrawn_at,
        # zlib: the raw JSON repeats the abstract and is rarely read; a third the size.
        "raw": zlib.compress(paper.raw_json().encode(), 6),
        "raw_source": paper.source,
        "content_hash": digest,
        "now": now,
        "first_seen": now,  # for a new paper, the caller's later_stamp (see Papers.upsert)
    }


def record_from(r: dict[str, Any], history: tuple[Signal, ...] = ()) -> PaperRecord:
    """A ``PaperRecord`` from a row of :data:`RECORD_SELECT` (a column → value dict)."""
    paper = Paper(
        id=r["id"],
        title=r["title"],
        summary=r["summary"],
        authors=tuple(json.loads(r["authors_json"] or "[]")),
        published=r["published"],
        daily_date=r["daily_date"],
        submitted_at=r["submitted_at"],
        upvotes=r["upvotes"],
        comments=r["comments"],
        github_repo=r["github_repo"],
        github_stars=r["github_stars"],
        project_page=r["project_page"],
        ai_summary=r["ai_summary"],
        ai_keywords=tuple(json.loads(r["keywords_json"] or "[]")),
        organization=r["organization"],
        organization_name=r["organization_name"],
        submitted_by=r["submitted_by"],
        withdrawn_at=r["withdrawn_at"],
        source=r["raw_source"],
    )
    return PaperRecord(
        paper=paper,
        read=bool(r["_read"]),
        favourite=bool(r["_fav"]),
        read_at=r["_read_at"],
        favourited_at=r["_fav_at"],
        first_seen=r["first_seen"],
        signals=history,
        note=r.get("_note"),
        tags=tags_of(r.get("_tags")),
    )


def tags_of(raw: str | None) -> tuple[str, ...]:
    """The tags in ``user_state.tags`` (a JSON list of strings); () for none or junk."""
    try:
        data = json.loads(raw) if raw else []
    except ValueError:
        return ()
    return tuple(t for t in data if isinstance(t, str)) if isinstance(data, list) else ()
