"""What to fetch: the periods (months, ISO weeks, days) a sync asks the API for.

A month page holds up to 100 papers where a day holds ~25, so history is fetched by
month and only short edge segments by day. A month the server refuses splits into ISO
weeks, a week into days. A period fetched complete long enough after it ended is
final and skipped, unless some of its items arrived incomplete (schema drift): then
the next sync fetches it again and repairs them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal

from paperreader.core import clock
from paperreader.core.store import Store

Kind = Literal["month", "week", "day"]

#: A month segment shorter than this is fetched day by day instead.
MIN_MONTH_DAYS = 4
#: A period fetched this many days after it ended is final: Daily Papers lists do not
#: change after that, and upvotes on old papers barely move.
SETTLED_DAYS = 7


@dataclass(frozen=True, slots=True)
class Period:
    """A span the API can list in one query: a calendar month, an ISO week or a day."""

    kind: Kind
    start: dt.date
    end: dt.date
    within: tuple[dt.date, dt.date] | None = None
    """For a week split from a month: the month's bounds, so its days stay inside them."""

    @property
    def key(self) -> str:
        """The period's name in the API's terms: ``2026-11``, ``2026-W47``, ``2026-11-25``."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return self.start.isoformat()

    def params(self) -> dict[str, str]:
        """The query parameter that asks the API for this period."""
        return {{"month": "month", "week": "week", "day": "date"}[self.kind]: self.key}

    def split(self, today: dt.date) -> list[Period]:
        """Finer periods covering this one (month → ISO weeks → days), never past today."""
        if self.kind == "month":
            out: list[Period] = []
            monday = self.start - dt.timedelta(days=self.start.weekday())
            while monday <= min(self.end, today):
                week_end = monday + dt.timedelta(days=6)
                out.append(Period("week", monday, week_end, (self.start, self.end)))
                monday += dt.timedelta(days=7)
            return out
        if self.kind == "week":
            lo, hi = self.within or (self.start, self.end)
            first, last = max(self.start, lo), min(self.end, hi, today)
            return [Period("day", d, d) for d in _days(first, last)]
        return []

    @classmethod
    def from_key(cls, kind: str, start: str, end: str) -> Period:
        """A period as recorded in the store."""
        return cls(kind, dt.date.fromisoformat(start), dt.date.fromisoformat(end))  # type: ignore[arg-type]


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def plan(since: dt.date, until: dt.date) -> list[Period]:
    """Periods covering ``since..until``: whole months, short edge segments by day."""
    if since > until:
        return []
    periods: list[Period] = []
    cursor = since.replace(day=1)
    while cursor <= until:
        last = cursor.replace(day=calendar.monthrange(cursor.year, cursor.month)[1])
        seg_start, seg_end = max(since, cursor), min(until, last)
        if (seg_end - seg_start).days + 1 >= MIN_MONTH_DAYS:
            periods.append(Period("month", cursor, last))
        else:
            periods.extend(Period("day", d, d) for d in _days(seg_start, seg_end))
        cursor = last + dt.timedelta(days=1)
    return periods


def default_plan(
    store: Store, *, today: dt.date, recent_days: int, initial_days: int
) -> list[Period]:
    """What a plain ``sync`` fetches: since the last run (less the recent window) plus retries."""
    through = store.get_meta("synced_through")
    window_start = today - dt.timedelta(days=max(recent_days, 1) - 1)
    if through:
        since = min(dt.date.fromisoformat(through), window_start)
    else:
        since = today - dt.timedelta(days=max(initial_days, 1) - 1)
    periods = plan(min(since, window_start), today)
    return merge_retries(periods, store)


def merge_retries(periods: list[Period], store: Store) -> list[Period]:
    """Add periods an earlier run left incomplete, unless already covered."""
    keys = {p.key for p in periods}
    covered = [(p.start, p.end) for p in periods]
    for key, kind, start, end in store.incomplete_periods():
        if key in keys or kind not in ("month", "week", "day"):
            continue
        period = Period.from_key(kind, start, end)
        if any(s <= period.start and period.end <= e for s, e in covered):
            continue
        periods.append(period)
        keys.add(key)
    return sorted(periods, key=lambda p: (p.start, p.kind))


def settled_periods(store: Store) -> set[str]:
    """Keys of periods that are final: fetched complete, with every item whole, long
    enough after they ended."""
    settled: set[str] = set()
    for row in store.periods():
        if not row.complete or row.partial_items or not row.fetched_at or not row.end:
            continue
        fetched = clock.parse_stamp(row.fetched_at)
        try:
            end = dt.date.fromisoformat(row.end)
        except ValueError:
            continue
        if fetched is not None and fetched.date() >= end + dt.timedelta(days=SETTLED_DAYS):
            settled.add(row.key)
    return settled
