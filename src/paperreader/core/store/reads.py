"""Reading the store: filtered row ids, visible rows, one paper, counts and facets.

A mixin of ``Store`` (kept apart from the writes in ``store.py``): every method runs on
``self.conn``, and none of them writes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import zlib
from array import array
from collections.abc import Iterator, Sequence
from typing import Any

from paperreader.core import clock
from paperreader.core.models import Paper, PaperFilter, PaperRecord, PaperRow
from paperreader.core.store import query

_ROW_COLUMNS = (
    "p.rid, p.id, p.title, p.daily_date, p.upvotes, p.comments, p.organization, "
    "COALESCE(s.read, 0), COALESCE(s.favourite, 0)"
)


class StoreReads:
    """The read side of :class:`paperreader.core.store.Store`."""

    conn: sqlite3.Connection

    def count(self) -> int:
        n: int = self.conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        return n

    def latest_day(self) -> str | None:
        """The newest Daily Papers day in the store (read off the newest rid)."""
        row = self.conn.execute(
            "SELECT daily_date FROM papers WHERE rid = (SELECT max(rid) FROM papers)"
        ).fetchone()
        return row[0] if row else None

    def _parts(
        self, flt: PaperFilter, today: dt.date | None, rank_window: int | None
    ) -> tuple[list[query.Part], int | None]:
        """The query's parts, and the rank threshold (None: not a windowed ranking)."""
        today = today or clock.today()
        latest = self.latest_day() if flt.view == "today" else None
        threshold: int | None = None
        if rank_window:
            probe = query.window_threshold(flt, today=today, latest_day=latest, window=rank_window)
            if probe is not None:
                row = self.conn.execute(probe.sql, probe.params).fetchone()
                threshold = row[0] if row else 0
        parts = query.build(flt, today=today, latest_day=latest, rank_threshold=threshold)
        return parts, threshold

    def query_prefix(
        self,
        flt: PaperFilter,
        limit: int,
        *,
        today: dt.date | None = None,
        rank_window: int | None = None,
    ) -> tuple[list[int], int]:
        """The first ``limit`` row ids of ``flt`` and how many there are in all.

        Enough to paint a screenful at once; the full list (``query_ids``) can follow
        off the UI thread.
        """
        parts, threshold = self._parts(flt, today, rank_window)
        ids: list[int] = []
        for part in parts:
            if len(ids) >= limit:
                break
            cur = self.conn.execute(f"{part.sql} LIMIT ?", [*part.params, limit - len(ids)])
            ids.extend(r[0] for r in cur)
        if len(ids) < limit:
            return ids, len(ids)
        if threshold is not None and rank_window:
            # A found threshold is the rank_window-th newest match: exactly that many are
            # ranked, so only the rest needs counting. No threshold: everything is ranked.
            ranked, rest = parts
            if threshold:
                counted = self.conn.execute(rest.count_sql, rest.count_params).fetchone()[0]
                return ids, rank_window + counted
            return ids, self.conn.execute(ranked.count_sql, ranked.count_params).fetchone()[0]
        total = 0
        for part in parts:
            total += self.conn.execute(part.count_sql, part.count_params).fetchone()[0]
        return ids, total

    def query_ids(
        self,
        flt: PaperFilter,
        *,
        today: dt.date | None = None,
        rank_window: int | None = None,
    ) -> Sequence[int]:
        """Row ids of every paper matching ``flt``, in display order (cheap: ints only).

        ``rank_window`` caps relevance ranking to the newest N matches (bm25 scores every
        match it ranks, ~2 µs each); older matches follow, newest first.
        """
        # array('q'): 8 bytes per paper instead of a 36-byte Python int + list slot.
        out = array("q")
        for part in self._parts(flt, today, rank_window)[0]:
            out.extend(r[0] for r in self.conn.execute(part.sql, part.params))
        return out

    def rows(self, rowids: Sequence[int]) -> dict[int, PaperRow]:
        """List rows for ``rowids`` (the visible window), keyed by row id."""
        out: dict[int, PaperRow] = {}
        for chunk in chunks(list(rowids), 500):
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                f"SELECT {_ROW_COLUMNS} FROM papers p LEFT JOIN user_state s "
                f"ON s.paper_id = p.id WHERE p.rid IN ({marks})",
                chunk,
            ):
                out[r[0]] = PaperRow(
                    rowid=r[0],
                    id=r[1],
                    title=r[2],
                    daily_date=r[3],
                    upvotes=r[4] or 0,
                    comments=r[5],
                    organization=r[6],
                    read=bool(r[7]),
                    favourite=bool(r[8]),
                )
        return out

    def query_rows(
        self, flt: PaperFilter, *, limit: int | None = None, today: dt.date | None = None
    ) -> list[PaperRow]:
        """Rows in filter order (the CLI; the reader loads only visible rows)."""
        ids = self.query_ids(flt, today=today)
        if limit:
            ids = ids[:limit]
        found = self.rows(ids)
        return [found[rid] for rid in ids if rid in found]

    def records(
        self, flt: PaperFilter, *, limit: int | None = None, today: dt.date | None = None
    ) -> list[PaperRecord]:
        """Full records in filter order (CLI list/export), read 500 at a time."""
        ids = list(self.query_ids(flt, today=today))
        if limit:
            ids = ids[:limit]
        found: dict[int, PaperRecord] = {}
        for chunk in chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            cur = self.conn.execute(f"{_RECORD_SELECT} WHERE p.rid IN ({marks})", chunk)
            names = [d[0] for d in cur.description]
            for row in cur:
                r = dict(zip(names, row, strict=True))
                found[r["rid"]] = _record_from(r)
        return [found[rid] for rid in ids if rid in found]

    def iter_ids(
        self,
        flt: PaperFilter,
        *,
        chunk: int = 500,
        limit: int | None = None,
        today: dt.date | None = None,
    ) -> Iterator[list[int]]:
        """Row ids of ``flt`` in display order, ``chunk`` at a time, as the query yields them.

        The first chunk comes as soon as SQLite has it (no full id list first), so an
        export starts writing at once. The read stays open while the caller iterates.
        """
        left = limit if limit else None
        for part in self._parts(flt, today, None)[0]:
            cur = self.conn.execute(part.sql, part.params)
            try:
                while left is None or left > 0:
                    rows = cur.fetchmany(chunk if left is None else min(chunk, left))
                    if not rows:
                        break
                    if left is not None:
                        left -= len(rows)
                    yield [r[0] for r in rows]
            finally:
                # The store may be closed already when an abandoned generator is collected.
                with contextlib.suppress(sqlite3.Error):
                    cur.close()

    def iter_records(
        self,
        flt: PaperFilter,
        *,
        chunk: int = 500,
        limit: int | None = None,
        today: dt.date | None = None,
    ) -> Iterator[PaperRecord]:
        """Full records in filter order, ``chunk`` at a time.

        Memory stays flat at any store size (one chunk of records at a time), so a caller
        can stream them out.
        """
        for part in self.iter_ids(flt, chunk=chunk, limit=limit, today=today):
            marks = ",".join("?" * len(part))
            cur = self.conn.execute(f"{_RECORD_SELECT} WHERE p.rid IN ({marks})", part)
            names = [d[0] for d in cur.description]
            found: dict[int, PaperRecord] = {}
            for row in cur:
                r = dict(zip(names, row, strict=True))
                found[r["rid"]] = _record_from(r)
            yield from (found[rid] for rid in part if rid in found)

    def get(self, paper_id: str, *, with_signals: bool = False) -> PaperRecord | None:
        cur = self.conn.execute(f"{_RECORD_SELECT} WHERE p.id = ?", [paper_id])
        row = cur.fetchone()
        if row is None:
            return None
        r = dict(zip([d[0] for d in cur.description], row, strict=True))
        signals: tuple[tuple[str, int | None, int | None, int | None], ...] = ()
        if with_signals:
            signals = tuple(
                (s[0], s[1], s[2], s[3])
                for s in self.conn.execute(
                    "SELECT synced_at, upvotes, comments, github_stars FROM signals "
                    "WHERE paper_id = ? ORDER BY synced_at",
                    [paper_id],
                )
            )
        return _record_from(r, signals)

    def paper_ids(self, rowids: Sequence[int]) -> list[str]:
        """Paper ids for row ids (order not kept)."""
        out: list[str] = []
        for chunk in chunks(list(rowids), 500):
            marks = ",".join("?" * len(chunk))
            out.extend(
                r[0]
                for r in self.conn.execute(f"SELECT id FROM papers WHERE rid IN ({marks})", chunk)
            )
        return out

    def raw(self, paper_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT raw FROM papers WHERE id = ?", [paper_id]).fetchone()
        if row is None:
            return None
        data: dict[str, Any] = json.loads(zlib.decompress(row[0]))
        return data

    def keyword_facets(self, limit: int = 30) -> list[tuple[str, int]]:
        return [
            (r[0], r[1])
            for r in self.conn.execute(
                "SELECT keyword, count(*) AS n FROM paper_keywords GROUP BY keyword "
                "ORDER BY n DESC, keyword LIMIT ?",
                [limit],
            )
        ]

    def unread_count(self) -> int:
        # All papers less the read ones: counts the (few) read marks, not every paper.
        n: int = self.conn.execute(
            "SELECT (SELECT count(*) FROM papers) - (SELECT count(*) FROM user_state s "
            "WHERE s.read = 1 AND s.paper_id IN (SELECT id FROM papers))"
        ).fetchone()[0]
        return n


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


_RECORD_SELECT = (
    "SELECT p.*, COALESCE(s.read, 0) AS _read, COALESCE(s.favourite, 0) AS _fav, "
    "s.read_at AS _read_at, s.favourited_at AS _fav_at FROM papers p "
    "LEFT JOIN user_state s ON s.paper_id = p.id"
)


def _record_from(
    r: dict[str, Any], signals: tuple[tuple[str, int | None, int | None, int | None], ...] = ()
) -> PaperRecord:
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
        signals=signals,
    )
