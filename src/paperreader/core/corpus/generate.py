"""A date range of synthetic Daily Papers, generated on demand and served like the feed.

Generation is deterministic: the same seed and day always give the same papers, so a
fake server can answer any query without storing anything.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from typing import Any

from paperreader.core.corpus.items import daily_count, paper_item, paper_topics, parse_paper_id

DEFAULT_ABSTRACT_WORDS = 200
"""Target abstract length; abstracts land between 0.65x and 1.25x of the target."""


class Corpus:
    """Every synthetic paper between ``start`` and ``end``, generated on demand."""

    def __init__(
        self,
        start: dt.date,
        end: dt.date,
        *,
        seed: int = 0,
        per_day: int = 25,
        abstract_words: int = DEFAULT_ABSTRACT_WORDS,
    ) -> None:
        self.start = start
        self.end = end
        self.seed = seed
        self.per_day = per_day
        self.abstract_words = abstract_words
        self.upvote_bonus: dict[str, int] = {}
        """Extra upvotes per paper id, to simulate community signals moving between syncs."""
        self.upvote_shift = 0
        """Extra upvotes for every paper (every paper changes: a full rewrite on re-sync)."""
        self.overrides: dict[str, dict[str, Any]] = {}
        """Replacement items by paper id (hostile titles, schema drift)."""
        self._days: dict[dt.date, tuple[dict[str, Any], ...]] = {}

    def _day(self, day: dt.date) -> tuple[dict[str, Any], ...]:
        # A cache per corpus (not functools.lru_cache on the method, which would keep
        # every corpus ever made alive through its class-level cache).
        cached = self._days.get(day)
        if cached is not None:
            return cached
        if day < self.start or day > self.end:
            return ()
        n = daily_count(day, self.per_day, self.seed)
        items = tuple(
            paper_item(day, i, seed=self.seed, abstract_words=self.abstract_words) for i in range(n)
        )
        self._days[day] = items
        return items

    def day(self, day: dt.date) -> list[dict[str, Any]]:
        """Items listed on ``day``, most upvoted first (as the site lists them)."""
        out = []
        for item in self._day(day):
            pid = item["paper"]["id"]
            if pid in self.overrides:
                out.append(self.overrides[pid])
                continue
            bonus = self.upvote_bonus.get(pid, 0) + self.upvote_shift
            if bonus:
                item = {
                    **item,
                    "paper": {**item["paper"], "upvotes": item["paper"]["upvotes"] + bonus},
                }
            out.append(item)
        return sorted(out, key=lambda it: -_upvotes(it))

    def days(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """Every calendar day from ``start`` to ``end`` that lies inside the corpus."""
        d = max(start, self.start)
        while d <= min(end, self.end):
            yield d
            d += dt.timedelta(days=1)

    def span(self, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
        """All items listed between two days, newest day first."""
        out: list[dict[str, Any]] = []
        for d in reversed(list(self.days(start, end))):
            out.extend(self.day(d))
        return out

    def month(self, year: int, month: int) -> list[dict[str, Any]]:
        """All items of a calendar month, newest day first."""
        last = calendar.monthrange(year, month)[1]
        return self.span(dt.date(year, month, 1), dt.date(year, month, last))

    def week(self, year: int, week: int) -> list[dict[str, Any]]:
        """All items of an ISO week (Monday to Sunday), newest day first."""
        monday = dt.date.fromisocalendar(year, week, 1)
        return self.span(monday, monday + dt.timedelta(days=6))

    def all_items(self) -> list[dict[str, Any]]:
        """Every item in the corpus, newest day first."""
        return self.span(self.start, self.end)

    def find(self, paper_id: str) -> dict[str, Any] | None:
        """The item with ``paper_id``, or None if the corpus has no such paper."""
        parsed = parse_paper_id(paper_id)
        if parsed is None:
            return None
        for item in self.day(parsed[0]):
            if item.get("paper", {}).get("id") == paper_id:
                return item
        return None

    def count(self) -> int:
        """How many papers the corpus holds (without generating them)."""
        return sum(daily_count(d, self.per_day, self.seed) for d in self.days(self.start, self.end))

    def topics_of(self, paper_id: str) -> tuple[str, ...]:
        """Topic keys of a generated paper (main first), or ``()`` if it is not in the corpus.

        Ground truth for ranking tests: overrides do not change it, and nothing is generated
        beyond the few random draws that pick the topics.
        """
        parsed = parse_paper_id(paper_id)
        if parsed is None:
            return ()
        day, index = parsed
        if not self.start <= day <= self.end:
            return ()
        if index >= daily_count(day, self.per_day, self.seed):
            return ()
        return paper_topics(day, index, seed=self.seed)

    def topic_of(self, paper_id: str) -> str | None:
        """The main topic key of a generated paper, or None if it is not in the corpus."""
        topics = self.topics_of(paper_id)
        return topics[0] if topics else None


def _upvotes(item: dict[str, Any]) -> int:
    paper = item.get("paper")
    value = paper.get("upvotes") if isinstance(paper, dict) else None
    return value if isinstance(value, int) else 0
