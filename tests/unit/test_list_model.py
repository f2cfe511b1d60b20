"""The list's model: rows load in windows around what is drawn, day headings count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from paperreader.core.list_model import CACHE_LIMIT, ListModel
from paperreader.core.models import PaperRow
from paperreader.core.store.query import day_base

DAY = dt.date(2026, 11, 25)


class Loader:
    def __init__(self, read: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        self.asked: list[int] = []
        self.read = read

    def __call__(self, rids: Sequence[int]) -> dict[int, PaperRow]:
        self.asked.extend(rids)
        return {
            r: PaperRow(r, f"p{r}", "t", DAY.isoformat(), 0, None, None, r in self.read, False)
            for r in rids
        }


def test_rows_load_in_a_window_and_hit_the_cache() -> None:
    loader = Loader()
    model = ListModel(loader)
    model.replace(list(range(5000, 0, -1)), 5000)
    assert model.row(10, (0, 40)) is not None
    first = len(loader.asked)
    assert 40 <= first <= 120
    assert model.row(30, (0, 40)) is not None
    assert len(loader.asked) == first  # cached
    model.forget([model.rids[30]])
    model.row(30, (0, 40))
    assert len(loader.asked) == first + 1
    for start in range(0, 5000, 100):
        model.row(start, (start, start + 40))
    assert len(model._cache) <= CACHE_LIMIT


def test_headings_count_papers_and_unread_of_a_whole_day() -> None:
    base = day_base(DAY)
    rids = [base + i for i in range(9, -1, -1)] + [day_base(DAY - dt.timedelta(days=1)) + 1]
    model = ListModel(Loader(read={base + 1, base + 2}))
    model.replace(rids, len(rids), headed=True)
    assert model.heading(0) == (DAY, 10, 8)
    assert model.complete and model.index_of(base + 9) == 0 and model.index_of(7) is None
    model.replace(rids, 100)  # more to come: the last day's size is unknown
    assert model.heading(10)[1:] == (None, None)
