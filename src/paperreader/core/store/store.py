"""The local SQLite store: papers, user state, sync bookkeeping and signal history.

One ``Store`` per thread (sqlite3 connections are bound to their thread). The file
is in WAL mode so the reader and a sync can work at once; every write is a short
``BEGIN IMMEDIATE`` transaction (a deferred one that upgrades to a write can fail
with "database is locked" without waiting), and network work never happens inside
a transaction. Fetched data and user state are separate tables, and no sync
statement touches ``user_state``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperreader.core import clock, paths
from paperreader.core.models import Paper
from paperreader.core.store import migrations, query
from paperreader.core.store.reads import StoreReads, chunks

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 15_000


class StoreError(Exception):
    """The store cannot be opened or used; the message says why and what to do."""


def utcnow() -> str:
    return clock.stamp()


def _hash(paper: Paper) -> str:
    import hashlib

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


def _prepare_file(path: Path) -> None:
    """Create the folder (0700) and an empty store file (0600) before SQLite does.

    SQLite gives the -wal and -shm files the main file's mode, so creating it private
    keeps all three private.
    """
    folder = path.parent
    if not folder.exists():
        try:
            paths.ensure_private_dir(folder)
        except OSError as exc:
            raise StoreError(f"cannot create the store folder {folder}: {exc.strerror}") from exc
    if not path.exists():
        try:
            fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
            os.close(fd)
        except FileExistsError:
            pass
        except OSError as exc:
            raise StoreError(f"cannot create the store {path}: {exc.strerror}") from exc
    try:
        paths.tighten_store(path)
    except paths.UnsafePermissions as exc:
        raise StoreError(str(exc)) from exc


class Store(StoreReads):
    """A connection to the paper store. Not thread-safe: open one per thread."""

    def __init__(self, path: Path | str, *, migrate: bool = True) -> None:
        self.path = Path(path)
        _prepare_file(self.path)
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA journal_size_limit = 67108864")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._describe(exc)) from exc
        if mode.lower() != "wal":
            raise StoreError(f"cannot use {self.path}: WAL mode unavailable ({mode})")
        self.conn = conn
        self._db: sqlite_utils.Database | None = None
        if migrate:
            self._migrate()
        self._latest_day: str | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection (migrations, introspection, scripts).

        Imported on first use: the reader's start-up path only needs plain sqlite3.
        """
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def _describe(self, exc: sqlite3.DatabaseError) -> str:
        msg = str(exc)
        if "not a database" in msg or "malformed" in msg:
            return (
                f"{self.path} is not a usable paperreader store ({msg}); "
                "move it aside and run `paperreader sync` to rebuild it"
            )
        if "readonly" in msg or "unable to open" in msg or "read-only" in msg:
            return f"cannot write to {self.path} or its folder ({msg})"
        if "locked" in msg:
            return f"{self.path} is locked by another program; try again in a moment"
        if "disk" in msg or "full" in msg:
            return f"cannot write to {self.path}: {msg}"
        return f"store error in {self.path}: {msg}"

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and schema -------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A short write transaction taken up front (BEGIN IMMEDIATE)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._describe(exc)) from exc
        try:
            yield self.conn
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise StoreError(self._describe(exc)) from exc

    def _migrate(self) -> None:
        try:
            todo = migrations.pending(self.conn)
        except migrations.NewerSchemaError as exc:
            self.close()
            raise StoreError(f"{self.path}: {exc}") from exc
        if not todo:
            return
        if migrations.applied(self.conn):
            self._backup(f"v{len(migrations.applied(self.conn))}")
        try:
            with self.write():
                migrations.apply(self.db, todo)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(self._describe(exc)) from exc

    def _backup(self, label: str) -> Path:
        """Copy the store aside (consistently, via SQLite's backup API) before a migration."""
        target = self.path.with_name(f"{self.path.name}.{label}.bak")
        dest = sqlite3.connect(target)
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        with contextlib.suppress(OSError):
            shutil.copymode(self.path, target)
        return target

    @property
    def schema_version(self) -> int:
        return len(migrations.applied(self.conn))

    # -- sync writes ---------------------------------------------------------------

    def upsert_papers(self, papers: Sequence[Paper], *, now: str | None = None) -> tuple[int, int]:
        """Insert or refresh ``papers``; returns (new, updated). Caller holds ``write()``.

        Unchanged papers are not written at all, so re-syncing the same data changes
        nothing. A signal point (upvotes, comments, stars) is recorded whenever those
        values differ from the last point, and ``rising`` is derived from the last two.
        """
        if not papers:
            return 0, 0
        now = now or utcnow()
        by_id = {p.id: p for p in papers}  # A page may repeat a paper; the last one wins.
        ids = list(by_id)
        known: dict[str, tuple[str, str | None]] = {}
        for chunk in chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for pid, digest, day in self.conn.execute(
                f"SELECT id, content_hash, daily_date FROM papers WHERE id IN ({marks})", chunk
            ):
                known[pid] = (digest, day)
        new = updated = 0
        slots: dict[int, int] = {}
        for paper in by_id.values():
            digest = _hash(paper)
            record = self._record(paper, digest, now)
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
            self._record_signal(paper, now)
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

    @staticmethod
    def _record(paper: Paper, digest: str, now: str) -> dict[str, Any]:
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

    def _record_signal(self, paper: Paper, now: str) -> None:
        if paper.upvotes is None:
            return
        last = self.conn.execute(
            "SELECT synced_at, upvotes, comments, github_stars FROM signals "
            "WHERE paper_id = ? ORDER BY synced_at DESC LIMIT 1",
            [paper.id],
        ).fetchone()
        point = (paper.upvotes, paper.comments, paper.github_stars)
        if last is not None and (last[1], last[2], last[3]) == point:
            return
        if last is not None and last[0] == now:
            # Same sync run (or same second): the newer values replace that point.
            self.conn.execute(
                "UPDATE signals SET upvotes = ?, comments = ?, github_stars = ? "
                "WHERE paper_id = ? AND synced_at = ?",
                [*point, paper.id, now],
            )
            return
        self.conn.execute(
            "INSERT INTO signals (paper_id, synced_at, upvotes, comments, github_stars) "
            "VALUES (?, ?, ?, ?, ?)",
            [paper.id, now, *point],
        )
        if last is not None and last[1] is not None:
            hours = _hours_between(last[0], now)
            rising = (paper.upvotes - last[1]) / max(hours, 1.0) * 24.0
            self.conn.execute("UPDATE papers SET rising = ? WHERE id = ?", [rising, paper.id])

    def start_period(self, key: str, kind: str, start: str, end: str) -> None:
        """Note that a period is being fetched; it stays incomplete until ``finish_period``."""
        with self.write():
            self.conn.execute(
                "INSERT INTO periods (key, kind, start, end) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET complete = 0",
                [key, kind, start, end],
            )

    def finish_period(self, key: str, *, papers: int, pages: int, now: str | None = None) -> None:
        """Mark a period complete; the caller holds ``write()`` (with its last page)."""
        self.conn.execute(
            "UPDATE periods SET complete = 1, fetched_at = ?, papers = ?, pages = ?, "
            "last_error = NULL, error_at = NULL WHERE key = ?",
            [now or utcnow(), papers, pages, key],
        )

    def fail_period(self, key: str, error: str) -> None:
        with self.write():
            self.conn.execute(
                "UPDATE periods SET complete = 0, last_error = ?, error_at = ? WHERE key = ?",
                [error[:500], utcnow(), key],
            )

    def incomplete_periods(self) -> list[tuple[str, str, str, str]]:
        """(key, kind, start, end) of periods a previous sync did not finish."""
        return [
            (r[0], r[1], r[2], r[3])
            for r in self.conn.execute(
                "SELECT key, kind, start, end FROM periods WHERE complete = 0 ORDER BY start"
            )
        ]

    def periods(self) -> list[dict[str, Any]]:
        cur = self.conn.execute("SELECT * FROM periods ORDER BY start, key")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a meta value; the caller holds ``write()``."""
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def checkpoint(self) -> None:
        """Fold the WAL back into the main file after a sync (never fatal)."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- user state ----------------------------------------------------------------

    def set_read(self, paper_ids: Iterable[str], read: bool = True) -> int:
        """Mark papers read/unread; committed before returning. Returns rows changed."""
        ids = list(paper_ids)
        now = utcnow() if read else None
        before = self.conn.total_changes
        with self.write():
            self.conn.executemany(
                "INSERT INTO user_state (paper_id, read, read_at) VALUES (?, ?, ?) "
                "ON CONFLICT(paper_id) DO UPDATE SET read = excluded.read, "
                "read_at = excluded.read_at WHERE read != excluded.read",
                [(pid, int(read), now) for pid in ids],
            )
        return self.conn.total_changes - before

    def set_favourite(self, paper_id: str, favourite: bool) -> None:
        now = utcnow() if favourite else None
        with self.write():
            self.conn.execute(
                "INSERT INTO user_state (paper_id, favourite, favourited_at) VALUES (?, ?, ?) "
                "ON CONFLICT(paper_id) DO UPDATE SET favourite = excluded.favourite, "
                "favourited_at = excluded.favourited_at",
                [paper_id, int(favourite), now],
            )

    def state(self, paper_id: str) -> tuple[bool, bool]:
        row = self.conn.execute(
            "SELECT read, favourite FROM user_state WHERE paper_id = ?", [paper_id]
        ).fetchone()
        return (bool(row[0]), bool(row[1])) if row else (False, False)


def _hours_between(a: str, b: str) -> float:
    t0, t1 = clock.parse_stamp(a), clock.parse_stamp(b)
    if t0 is None or t1 is None:
        return 24.0
    return max((t1 - t0).total_seconds() / 3600.0, 0.0)
