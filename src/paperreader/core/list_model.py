"""What the paper list holds, without drawing it: rids, days, and a cache of rows.

The list pane keeps only the ordered row keys (``rid`` values, plain ints) of the
current filter and loads the rows it draws in small windows, so opening, scrolling and
re-filtering cost the same at 100,000 papers as at 10.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from paperreader.core.day_lines import DayLines, day_of, spans_years
from paperreader.core.models import PaperRow

RowLoader = Callable[[Sequence[int]], dict[int, PaperRow]]

#: Rows fetched beyond the visible window, so small scrolls hit the cache.
PREFETCH = 40
CACHE_LIMIT = 1000
#: Days longer than this show no unread count in their heading (it would load them all).
HEADING_COUNT_LIMIT = 500


class ListModel:
    """The rids of a list (maybe only its first part), where its days are, and rows."""

    def __init__(self, loader: RowLoader) -> None:
        self._loader = loader
        self.rids: Sequence[int] = []
        self.total = 0
        self.headed = False
        """Date-ordered: a heading line before each day."""
        self.days = DayLines([], 0, headed=False)
        self.with_year = False
        """The papers span several years: dates show theirs."""
        self._cache: dict[int, PaperRow] = {}
        self._day_unread: dict[int, int | None] = {}

    @property
    def complete(self) -> bool:
        """Whether every rid of the list is loaded (not only its first part)."""
        return len(self.rids) >= self.total

    def replace(self, rids: Sequence[int], total: int, *, headed: bool | None = None) -> None:
        """Hold ``rids``, the first of ``total`` (all of them when equal)."""
        if headed is not None:
            self.headed = headed
        self.rids = rids
        self.total = max(total, len(rids))
        self._cache.clear()
        self._day_unread.clear()
        self.days = DayLines(rids, self.total, headed=self.headed)
        self.with_year = spans_years(rids)

    def set_total(self, total: int) -> None:
        """The held rids are the first of ``total`` (their count arrived after them)."""
        self.total = max(total, len(self.rids))
        self.days = DayLines(self.rids, self.total, headed=self.headed)

    def index_of(self, rid: int | None) -> int | None:
        """The list position of ``rid`` among the loaded rids, if there."""
        if rid is None:
            return None
        try:
            return self.rids.index(rid)
        except ValueError:
            return None

    def rid_at(self, index: int) -> int | None:
        """The rid at list position ``index`` (None outside the loaded part)."""
        return self.rids[index] if 0 <= index < len(self.rids) else None

    def row(self, index: int, window: tuple[int, int]) -> PaperRow | None:
        """The row at ``index``; a miss loads the ``window`` of positions around it too."""
        rid = self.rid_at(index)
        if rid is None:
            return None
        row = self._cache.get(rid)
        if row is None:
            start = max(0, min(index, window[0]) - PREFETCH // 2)
            end = max(index, window[1]) + PREFETCH
            wanted = [r for r in self.rids[start:end] if r not in self._cache]
            if len(self._cache) + len(wanted) > CACHE_LIMIT:
                self._cache.clear()
            self._cache.update(self._loader(wanted))
            row = self._cache.get(rid)
        return row

    def forget(self, rids: Sequence[int] | None = None) -> None:
        """Drop cached rows whose state changed (all when None)."""
        if rids is None:
            self._cache.clear()
        else:
            for rid in rids:
                self._cache.pop(rid, None)
        self._day_unread.clear()

    def heading(self, start: int) -> tuple[dt.date | None, int | None, int | None]:
        """(day, papers, unread) for the day beginning at list position ``start``;
        counts are None while unknown (the day runs past the loaded rids, or is huge)."""
        first, end = self.days.day_span(start)
        papers = None if end is None else end - first
        if first not in self._day_unread:
            unread = None
            if end is not None and papers is not None and papers <= HEADING_COUNT_LIMIT:
                rows = self._loader(self.rids[first:end])
                unread = sum(1 for r in rows.values() if not r.read)
            self._day_unread[first] = unread
        return day_of(self.rids[first]), papers, self._day_unread[first]
