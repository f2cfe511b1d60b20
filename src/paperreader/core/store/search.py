"""Listing and searching: which rids a ``PaperFilter`` selects, in display order.

The SQL comes from :mod:`paperreader.core.store.query`; this module runs it. Results are
rids (cheap integers): the reader paints the first screenful from
:meth:`Search.query_prefix` and loads the rest off the UI thread; the CLI and exports
stream whole records with :meth:`Search.iter_records`, a slice at a time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from paperreader.core import clock
from paperreader.core.models import PaperFilter, PaperRecord, PaperRow
from paperreader.core.store import prefix_words, query, search_extra
from paperreader.core.store.papers import Papers
from paperreader.core.store.sql import CHUNK


@dataclass(slots=True)
class Head:
    """The first rids of a query; ``total`` None until :meth:`Search.count_head` counts."""

    rids: list[int]
    total: int | None
    uncounted: list[query.Part] = field(default_factory=list)
    counted: int = 0


class Search:
    """Queries over the papers, their search index and the user's marks."""

    def __init__(self, conn: sqlite3.Connection, papers: Papers) -> None:
        self.conn = conn
        self.papers = papers
        prefix_words.prepare(conn)

    def _parts(
        self,
        flt: PaperFilter,
        today: dt.date | None,
        rank_window: int | None,
        extras: bool = True,
    ) -> tuple[list[query.Part], int | None]:
        """The query's parts, and the rank threshold (None: not a windowed ranking)."""
        today = today or clock.today()
        latest = self.papers.latest_day() if flt.view == "today" else None
        threshold: int | None = None
        words = self._words(flt)
        if rank_window:
            probe = query.window_threshold(
                flt, today=today, latest_day=latest, window=rank_window, words=words
            )
            if probe is not None:
                row = self.conn.execute(probe.sql, probe.params).fetchone()
                threshold = row[0] if row else 0
        return self._build(flt, today, latest, threshold, extras, words), threshold

    def _words(self, flt: PaperFilter) -> str | None:
        # The search as the metadata index is asked it (see ``prefix_words``).
        fts = query.fts_query(flt.search)
        return prefix_words.spelled_out(self.conn, fts, ranked=flt.sort == "relevance")

    def _build(
        self,
        flt: PaperFilter,
        today: dt.date,
        latest: str | None,
        threshold: int | None,
        extras: bool,
        words: str | None,
    ) -> list[query.Part]:
        if extras:
            fts = query.fts_query(flt.search)
            extras = fts is not None and search_extra.any_match(self.conn, fts)
        return query.build(
            flt,
            today=today,
            latest_day=latest,
            rank_threshold=threshold,
            extras=extras,
            words=words,
        )

    def query_prefix(
        self,
        flt: PaperFilter,
        limit: int,
        *,
        today: dt.date | None = None,
        rank_window: int | None = None,
        extras: bool = True,
    ) -> tuple[list[int], int]:
        """The first ``limit`` rids of ``flt`` and how many there are in all.

        Enough to paint a screenful at once; the full list (``query_rids``) can follow
        off the UI thread. ``extras`` False leaves out papers found only by their full
        text or note (the search-as-you-type preview; see ``search_extra``).
        """
        head = self.query_head(flt, limit, today=today, rank_window=rank_window, extras=extras)
        return head.rids, self.count_head(head)

    def query_head(
        self,
        flt: PaperFilter,
        limit: int,
        *,
        today: dt.date | None = None,
        rank_window: int | None = None,
        extras: bool = True,
    ) -> Head:
        """The first ``limit`` rids of ``flt``, counted only when that costs nothing.

        :meth:`count_head` counts the rest: a reader paints the head first, as counting
        a common word's matches takes as long as finding the head (97,000 of 100,000
        papers say "model").
        """
        today = today or clock.today()
        latest = self.papers.latest_day() if flt.view == "today" else None
        window = rank_window or 0
        words = self._words(flt)
        probe = query.window_scored(flt, today=today, latest_day=latest, window=window, words=words)
        if probe is None or not window:
            return self._head(self._build(flt, today, latest, None, extras, words), limit, [], 0)
        # Best match over the newest matches: the ranked head in one pass (window_scored).
        scored = self.conn.execute(probe.sql, probe.params).fetchall()
        threshold = scored[-1][0] if len(scored) >= window else 0
        scored.sort(key=query.rank_key)
        ranked = [r[0] for r in scored]
        parts = self._build(flt, today, latest, threshold, extras, words)[1:]
        if not threshold:
            parts = parts[1:]  # every match is ranked: nothing older to list
        return self._head(parts, limit, ranked[:limit], len(ranked))

    def _head(self, parts: list[query.Part], limit: int, rids: list[int], counted: int) -> Head:
        # ``rids`` (``counted`` rows known, ranked) topped up to ``limit`` from ``parts``.
        first = len(rids)
        for part in parts:
            if len(rids) >= limit:
                break
            cur = self.conn.execute(f"{part.sql} LIMIT ?", [*part.params, limit - len(rids)])
            rids.extend(r[0] for r in cur)
        if len(rids) < limit:  # every part ran dry: all rows are here
            return Head(rids, counted + len(rids) - first, [])
        return Head(rids, None, parts, counted)

    def count_head(self, head: Head) -> int:
        """How many rows the query of ``head`` has in all."""
        if head.total is not None:
            return head.total
        return head.counted + sum(self._count(part) for part in head.uncounted)

    def _count(self, part: query.Part) -> int:
        return int(self.conn.execute(part.count_sql, part.count_params).fetchone()[0])

    def query_rids(
        self,
        flt: PaperFilter,
        *,
        today: dt.date | None = None,
        rank_window: int | None = None,
    ) -> Sequence[int]:
        """Rids of every paper matching ``flt``, in display order (cheap: ints only).

        ``rank_window`` caps relevance ranking to the newest N matches (bm25 scores every
        match it ranks, ~2 µs each); older matches follow, newest first.
        """
        # array('q'): 8 bytes per paper instead of a 36-byte Python int + list slot.
        out = array("q")
        for part in self._parts(flt, today, rank_window)[0]:
            out.extend(r[0] for r in self.conn.execute(part.sql, part.params))
        return out

    def query_rows(
        self, flt: PaperFilter, *, limit: int | None = None, today: dt.date | None = None
    ) -> list[PaperRow]:
        """Rows in filter order (the CLI; the reader loads only visible rows)."""
        rids = self.query_rids(flt, today=today)
        if limit:
            rids = rids[:limit]
        found = self.papers.rows(rids)
        return [found[rid] for rid in rids if rid in found]

    def keyword_facets(self, limit: int = 30) -> list[tuple[str, int]]:
        """The commonest AI keywords and how many papers carry each."""
        return [
            (r[0], r[1])
            for r in self.conn.execute(
                "SELECT keyword, count(*) AS n FROM paper_keywords GROUP BY keyword "
                "ORDER BY n DESC, keyword LIMIT ?",
                [limit],
            )
        ]

    def iter_rids(
        self,
        flt: PaperFilter,
        chunk: int = CHUNK,
        *,
        limit: int | None = None,
        today: dt.date | None = None,
        rank_window: int | None = None,
    ) -> Iterator[list[int]]:
        """Rids of ``flt`` in display order, ``chunk`` at a time, as SQLite yields them.

        The first chunk comes before the whole list is known, so an export writes its
        first byte at once at any store size.
        """
        left = limit or None
        for part in self._parts(flt, today, rank_window)[0]:
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
                # An abandoned generator may be collected after the store was closed.
                with contextlib.suppress(sqlite3.Error):
                    cur.close()

    def iter_records(
        self,
        flt: PaperFilter,
        chunk: int = CHUNK,
        *,
        limit: int | None = None,
        today: dt.date | None = None,
    ) -> Iterator[PaperRecord]:
        """Full records in filter order, one chunk at a time: flat memory at any size."""
        for part in self.iter_rids(flt, max(1, chunk), limit=limit, today=today):
            yield from self.papers.records(part)
