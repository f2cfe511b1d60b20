"""Fetched papers: storing what a sync brought, and reading rows and records back.

A paper's ``rid`` (its row key) encodes its Daily Papers day (see ``query.day_base``), so
"newest first" is plain rid order. Unchanged papers are not written at all (a content
hash decides), and a sparse answer (a search hit, a drifted item) never erases what a
richer one stored. No statement here touches ``user_state``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from paperreader.core import clock
from paperreader.core.models import Paper, PaperRecord, PaperRow
from paperreader.core.store import query, signals
from paperreader.core.store.sql import rows_in, select_in

_UPSERT = """
INSERT INTO papers (
    rid, id, title, summary, authors, authors_json, published, daily_date, submitted_at,
    upvotes, comments, github_repo, github_stars, project_page, ai_summary, keywords,
    keywords_json, organization, organization_name, submitted_by, withdrawn_at,
    raw, raw_source, content_hash, first_seen, updated_at
) VALUES (
    :rid, :id, :title, :summary, :authors, :authors_json, :published, :daily_date, :submitted_at,
    COALESCE(:upvotes, 0), :comments, :github_repo, :github_stars, :project_page, :ai_summary,
    :keywords, :keywords_json, :organization, :organization_name, :submitted_by,
    :withdrawn_at, :raw, :raw_source, :content_hash, :now, :now
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

_ROW_SELECT = (
    "SELECT p.rid, p.id, p.title, p.daily_date, p.upvotes, p.comments, p.organization, "
    "COALESCE(s.read, 0), COALESCE(s.favourite, 0) FROM papers p "
    "LEFT JOIN user_state s ON s.paper_id = p.id"
)
_RECORD_SELECT = (
    "SELECT p.*, COALESCE(s.read, 0) AS _read, COALESCE(s.favourite, 0) AS _fav, "
    "s.read_at AS _read_at, s.favourited_at AS _fav_at FROM papers p "
    "LEFT JOIN user_state s ON s.paper_id = p.id"
)


class Papers:
    """The ``papers`` table (with its keywords and signal history)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- writing -------------------------------------------------------------------

    def upsert(self, papers: Sequence[Paper], *, now: str | None = None) -> tuple[int, int]:
        """Insert or refresh ``papers``; returns (new, updated). The caller holds a write."""
        if not papers:
            return 0, 0
        now = now or clock.stamp()
        by_id = {p.id: p for p in papers}  # A page may repeat a paper; the last one wins.
        known: dict[str, tuple[str, str | None]] = {
            pid: (digest, day)
            for pid, digest, day in rows_in(
                self.conn,
                "SELECT id, content_hash, daily_date FROM papers WHERE id IN ({marks})",
                list(by_id),
            )
        }
        new = updated = 0
        slots: dict[int, int] = {}
        for paper in by_id.values():
            digest = _hash(paper)
            record = _columns(paper, digest, now)
            if paper.id in known:
                old_digest, old_day = known[paper.id]
                if old_digest == digest:
                    continue
                updated += 1
                if paper.daily_date and paper.daily_date != old_day:
                    # Listed on a (new) day: move it to that day's place in "newest".
                    self.conn.execute(
                        "UPDATE papers SET rid = ? WHERE id = ?",
                        [self._next_rid(paper, slots), paper.id],
                    )
                record["rid"] = None
            else:
                new += 1
                record["rid"] = self._next_rid(paper, slots)
            self.conn.execute(_UPSERT, record)
            if paper.ai_keywords:
                self.conn.execute("DELETE FROM paper_keywords WHERE paper_id = ?", [paper.id])
                self.conn.executemany(
                    "INSERT OR IGNORE INTO paper_keywords (paper_id, keyword) VALUES (?, ?)",
                    [(paper.id, kw.lower()) for kw in paper.ai_keywords],
                )
            signals.record(self.conn, paper, now)
        return new, updated

    def _next_rid(self, paper: Paper, slots: dict[int, int]) -> int:
        """A free rid in the paper's day, below the ones already used (first listed = top)."""
        base = query.day_base(paper.daily_date or paper.published)
        lowest = slots.get(base)
        if lowest is None:
            row = self.conn.execute(
                "SELECT min(rid) FROM papers WHERE rid >= ? AND rid < ?",
                [base, base + (1 << query.DAY_BITS)],
            ).fetchone()
            lowest = row[0] if row[0] is not None else base + (1 << query.DAY_BITS)
        rid = lowest - 1
        if rid < base:  # 65,536 papers in one day: fall back to any free rid
            rid = self.conn.execute("SELECT max(rid) + 1 FROM papers").fetchone()[0]
        slots[base] = min(rid, lowest)
        return int(rid)

    # -- reading -------------------------------------------------------------------

    def count(self) -> int:
        """How many papers the store holds."""
        n: int = self.conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        return n

    def latest_day(self) -> str | None:
        """The newest Daily Papers day in the store (read off the newest rid)."""
        row = self.conn.execute(
            "SELECT daily_date FROM papers WHERE rid = (SELECT max(rid) FROM papers)"
        ).fetchone()
        return row[0] if row else None

    def rows(self, rids: Iterable[int]) -> dict[int, PaperRow]:
        """List rows for ``rids`` (the visible window), keyed by rid."""
        return {
            r[0]: PaperRow(
                rid=r[0],
                id=r[1],
                title=r[2],
                daily_date=r[3],
                upvotes=r[4] or 0,
                comments=r[5],
                organization=r[6],
                read=bool(r[7]),
                favourite=bool(r[8]),
            )
            for r in rows_in(self.conn, f"{_ROW_SELECT} WHERE p.rid IN ({{marks}})", rids)
        }

    def records(self, rids: Sequence[int]) -> Iterator[PaperRecord]:
        """Full records for ``rids``, in that order, read a slice at a time."""
        sql = f"{_RECORD_SELECT} WHERE p.rid IN ({{marks}})"
        for part, cur in select_in(self.conn, sql, rids):
            names = [d[0] for d in cur.description]
            found = {
                r["rid"]: _record_from(r) for r in (dict(zip(names, v, strict=True)) for v in cur)
            }
            yield from (found[rid] for rid in part if rid in found)

    def get(self, paper_id: str, *, with_signals: bool = False) -> PaperRecord | None:
        """The record of ``paper_id`` (an arXiv id), optionally with its signal history."""
        cur = self.conn.execute(f"{_RECORD_SELECT} WHERE p.id = ?", [paper_id])
        row = cur.fetchone()
        if row is None:
            return None
        r = dict(zip([d[0] for d in cur.description], row, strict=True))
        history = signals.history(self.conn, paper_id) if with_signals else ()
        return _record_from(r, history)

    def paper_ids(self, rids: Iterable[int]) -> list[str]:
        """arXiv ids for rids (order not kept)."""
        sql = "SELECT id FROM papers WHERE rid IN ({marks})"
        return [r[0] for r in rows_in(self.conn, sql, rids)]

    def raw(self, paper_id: str) -> dict[str, Any] | None:
        """The API's JSON for ``paper_id`` as last stored (the richest shape seen)."""
        row = self.conn.execute("SELECT raw FROM papers WHERE id = ?", [paper_id]).fetchone()
        if row is None:
            return None
        data: dict[str, Any] = json.loads(zlib.decompress(row[0]))
        return data


def _hash(paper: Paper) -> str:
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


def _columns(paper: Paper, digest: str, now: str) -> dict[str, Any]:
    """The upsert's named parameters for ``paper``."""
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
    }


def _record_from(r: dict[str, Any], history: tuple[signals.Signal, ...] = ()) -> PaperRecord:
    """A ``PaperRecord`` from a row of ``_RECORD_SELECT`` (as a column → value dict)."""
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
    )
