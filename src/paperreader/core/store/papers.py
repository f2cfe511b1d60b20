"""Fetched papers: storing what a sync brought, and reading rows and records back.

A paper's ``rid`` (its row key) encodes its Daily Papers day (see ``query.day_base``), so
"newest first" is plain rid order. How a paper maps onto columns, and an upsert's
merge rules, are in ``columns``. No statement here writes ``user_state``.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from paperreader.core import clock
from paperreader.core.models import Paper, PaperRecord, PaperRow
from paperreader.core.store import columns, query, signals
from paperreader.core.store.sql import rows_in, select_in


class Prepared:
    """Upsert parameters worked out ahead of a write, for the papers that differed from
    the stored ones when they were read (see :meth:`Papers.prepare`)."""

    def __init__(self, now: str, records: dict[str, tuple[str, dict[str, Any]]]) -> None:
        self.now = now
        self.records = records

    def record(self, paper: Paper, digest: str, now: str) -> dict[str, Any]:
        """The parameters for ``paper``: the prepared ones if they still describe it."""
        ready = self.records.pop(paper.id, None) if now == self.now else None
        if ready is not None and ready[0] == digest:
            return ready[1]
        return columns.params(paper, digest, now)


class Papers:
    """The ``papers`` table (with its keywords and signal history)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- writing -------------------------------------------------------------------

    def prepare(self, papers: Sequence[Paper], *, now: str) -> Prepared:
        """Work out, outside the write, the parameters of the papers that will need one.

        Serialising and compressing a paper is a third of storing it, and it holds the
        GIL: a sync does it on its event loop while its writer thread is in SQLite. No
        lock is taken; :meth:`upsert` checks each paper again inside its transaction.
        """
        by_id = {p.id: p for p in papers}
        stored = {pid: digest for pid, digest, _day in self._known(list(by_id))}
        records = {}
        for paper in by_id.values():
            digest = columns.content_hash(paper)
            if stored.get(paper.id) != digest:
                records[paper.id] = (digest, columns.params(paper, digest, now))
        return Prepared(now, records)

    def _known(self, ids: list[str]) -> Iterator[tuple[str, str, str | None]]:
        return rows_in(
            self.conn, "SELECT id, content_hash, daily_date FROM papers WHERE id IN ({marks})", ids
        )

    def upsert(
        self, papers: Sequence[Paper], *, now: str | None = None, prepared: Prepared | None = None
    ) -> tuple[int, int]:
        """Insert or refresh ``papers``; returns (new, updated). The caller holds a write."""
        if not papers:
            return 0, 0
        now = now or clock.stamp()
        ready = prepared or Prepared(now, {})
        by_id = {p.id: p for p in papers}  # A page may repeat a paper; the last one wins.
        known: dict[str, tuple[str, str | None]] = {
            pid: (digest, day) for pid, digest, day in self._known(list(by_id))
        }
        new = updated = 0
        slots: dict[int, int] = {}
        # Every write's new papers get a first_seen later than any stored one, so "what
        # is new since a mark" is just ``first_seen > mark``: a sync still running cannot
        # add papers at a mark someone already took (its pages are separate writes).
        first_seen: str | None = None
        for paper in by_id.values():
            digest = columns.content_hash(paper)
            stored = known.get(paper.id)
            if stored is not None and stored[0] == digest:
                continue  # unchanged: not even its raw JSON is serialised and compressed
            record = ready.record(paper, digest, now)
            if stored is not None:
                old_day = stored[1]
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
                if first_seen is None:
                    newest = self.conn.execute("SELECT max(first_seen) FROM papers").fetchone()
                    first_seen = clock.later_stamp(now, newest[0])
                record["first_seen"] = first_seen
            self.conn.execute(columns.UPSERT, record)
            if paper.ai_keywords:
                if stored is not None:  # a new paper has no keywords to replace yet
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
                noted=bool(r[9]),
                tags=columns.tags_of(r[10]),
                progress=None if r[11] is None else round(r[11]),
            )
            for r in rows_in(self.conn, f"{columns.ROW_SELECT} WHERE p.rid IN ({{marks}})", rids)
        }

    def records(self, rids: Sequence[int]) -> Iterator[PaperRecord]:
        """Full records for ``rids``, in that order, read a slice at a time."""
        sql = f"{columns.RECORD_SELECT} WHERE p.rid IN ({{marks}})"
        for part, cur in select_in(self.conn, sql, rids):
            names = [d[0] for d in cur.description]
            found = {
                r["rid"]: columns.record_from(r)
                for r in (dict(zip(names, v, strict=True)) for v in cur)
            }
            yield from (found[rid] for rid in part if rid in found)

    def get(self, paper_id: str, *, with_signals: bool = False) -> PaperRecord | None:
        """The record of ``paper_id`` (an arXiv id), optionally with its signal history."""
        cur = self.conn.execute(f"{columns.RECORD_SELECT} WHERE p.id = ?", [paper_id])
        row = cur.fetchone()
        if row is None:
            return None
        r = dict(zip([d[0] for d in cur.description], row, strict=True))
        history = signals.history(self.conn, paper_id) if with_signals else ()
        return columns.record_from(r, history)

    def known(self, paper_ids: Iterable[str]) -> set[str]:
        """Which of these arXiv ids the store holds."""
        return {
            r[0]
            for r in rows_in(self.conn, "SELECT id FROM papers WHERE id IN ({marks})", paper_ids)
        }

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
