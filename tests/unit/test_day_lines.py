"""Day headings in a newest-first list of rids, found without loading rows."""

from __future__ import annotations

import datetime as dt
from array import array

from paperreader.core.day_lines import DayLines, day_of, day_starts, spans_years
from paperreader.core.row_text import day_heading
from paperreader.core.store.query import day_base


def rids_for(days: list[tuple[dt.date, int]]) -> list[int]:
    """Newest first: ``n`` rids on each (day, n)."""
    out: list[int] = []
    for day, n in sorted(days, reverse=True):
        base = day_base(day)
        out += [base + slot for slot in range(n - 1, -1, -1)]
    return out


D1, D2, D3 = dt.date(2026, 11, 25), dt.date(2026, 11, 24), dt.date(2025, 12, 31)


def test_day_of_inverts_the_rid_encoding() -> None:
    assert day_of(day_base(D1) + 17) == D1
    assert day_of(5) is None  # undated papers


def test_day_starts_find_each_run() -> None:
    rids = rids_for([(D1, 3), (D2, 2), (D3, 4)])
    assert day_starts(rids) == [0, 3, 5]
    assert day_starts(array("q", rids)) == [0, 3, 5]
    assert day_starts([]) == []


def test_lines_interleave_headings_and_papers() -> None:
    lines = DayLines(rids_for([(D1, 3), (D2, 2)]), 5, headed=True)
    assert lines.lines == 7
    drawn = [lines.at(line) for line in range(lines.lines)]
    assert drawn == [
        (0, True),
        (0, False),
        (1, False),
        (2, False),
        (3, True),
        (3, False),
        (4, False),
    ]
    assert [lines.line_of(i) for i in range(5)] == [1, 2, 3, 5, 6]
    assert lines.day_span(4) == (3, 5)
    assert lines.same_day(1) == [0, 1, 2]


def test_a_partial_list_leaves_the_last_day_open() -> None:
    rids = rids_for([(D1, 3), (D2, 2)])
    lines = DayLines(rids, total=500, headed=True)
    assert lines.day_span(4) == (3, None)  # D2 may go on past the loaded rids
    assert lines.lines == 502


def test_unheaded_lists_are_plain() -> None:
    lines = DayLines(rids_for([(D1, 3), (D2, 2)]), 5, headed=False)
    assert lines.lines == 5 and lines.at(3) == (3, False) and lines.line_of(3) == 3


def test_spans_years_and_headings_with_the_year() -> None:
    assert not spans_years(rids_for([(D1, 1), (D2, 1)]))
    assert spans_years(rids_for([(D1, 1), (D3, 1)]))
    heading = day_heading(D3, 18, 5, with_year=True, width=50)
    assert heading.startswith("── Wed 31 Dec 2025 · 18 papers · 5 unread ")
    assert len(heading) == 50
    assert "all read" in day_heading(D1, 1, 0, with_year=False, width=40)
    assert day_heading(None, None, None, with_year=False, width=20).startswith("── undated")
