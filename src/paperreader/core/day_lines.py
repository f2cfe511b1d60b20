"""Day separator lines in a newest-first list of rids, without loading any row.

A paper's ``rid`` encodes its Daily Papers day (see :mod:`paperreader.core.store.query`),
so in a date-ordered list the days are runs of rids, found by binary search: about a
thousand days in 100,000 papers cost a few thousand comparisons. The list draws a
heading line before each day; ``DayLines`` maps between list positions (papers) and
display lines (papers and headings).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence

from paperreader.core.store.query import DAY_BITS, EPOCH


def day_of(rid: int) -> dt.date | None:
    """The Daily Papers day a rid belongs to (None for undated papers)."""
    number = rid >> DAY_BITS
    return EPOCH + dt.timedelta(days=number - 1) if number > 0 else None


def day_starts(rids: Sequence[int]) -> list[int]:
    """Positions where a new day begins in ``rids`` (newest first); the first is 0."""
    starts: list[int] = []
    i, n = 0, len(rids)
    while i < n:
        starts.append(i)
        floor = (rids[i] >> DAY_BITS) << DAY_BITS  # the day's first rid
        lo, hi = i + 1, n
        while lo < hi:  # first position below the day's floor
            mid = (lo + hi) // 2
            if rids[mid] >= floor:
                lo = mid + 1
            else:
                hi = mid
        i = lo
    return starts


def spans_years(rids: Sequence[int]) -> bool:
    """Whether the papers of ``rids`` come from more than one calendar year."""
    if not rids:
        return False
    first, last = day_of(max(rids)), day_of(min(rids))
    return first is not None and last is not None and first.year != last.year


class DayLines:
    """Display lines of a list: a heading before each day (when ``headed``), then papers.

    ``rids`` may be the first part of a list of ``total`` papers: days are known only
    there, and the rest is counted as papers without headings until it arrives.
    """

    def __init__(self, rids: Sequence[int], total: int, *, headed: bool) -> None:
        self.rids = rids
        self.total = max(total, len(rids))
        self.starts = day_starts(rids) if headed else []
        # Heading j sits on display line starts[j] + j (the j headings above it included).
        self._heading_lines = [s + j for j, s in enumerate(self.starts)]

    @property
    def lines(self) -> int:
        """Display lines in all: papers plus headings."""
        return self.total + len(self.starts)

    def line_of(self, index: int) -> int:
        """The display line of the paper at list position ``index``."""
        return index + bisect_right(self.starts, index)

    def at(self, line: int) -> tuple[int, bool]:
        """(list position, is a heading) at display ``line``; a heading gives its day's
        first paper."""
        k = bisect_right(self._heading_lines, line)
        if k and self._heading_lines[k - 1] == line:
            return self.starts[k - 1], True
        return line - k, False

    def day_span(self, index: int) -> tuple[int, int | None]:
        """(first, end) list positions of the day holding ``index``; end is None when the
        day may go on past the rids loaded so far."""
        if not self.starts:
            return index, index + 1
        j = bisect_right(self.starts, index) - 1
        if j + 1 < len(self.starts):
            return self.starts[j], self.starts[j + 1]
        return self.starts[j], (len(self.rids) if len(self.rids) >= self.total else None)

    def same_day(self, index: int) -> list[int]:
        """The loaded list positions whose paper shares the day of position ``index``."""
        if not 0 <= index < len(self.rids):
            return []
        day = self.rids[index] >> DAY_BITS
        return [i for i, rid in enumerate(self.rids) if rid >> DAY_BITS == day]
