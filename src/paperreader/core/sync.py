"""Keeping the store in step with Hugging Face, in as few requests as the API allows.

A month page holds up to 100 papers where a day holds ~25, so history is fetched by
month (paging until a short page) and only short edge segments by day. Months the
server refuses fall back to ISO weeks, then days. Every run also re-fetches the
recent window, because upvotes, comments and AI summaries change after a paper
first appears. Each page is stored in one transaction; a period is marked complete
in the same transaction as its last page, so an interrupted run leaves it incomplete
and the next run fetches it again. User state is never written here.
"""

from __future__ import annotations

import asyncio
import calendar
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from paperreader.core import clock
from paperreader.core.hf_api import ApiError, HFClient
from paperreader.core.models import SyncProgress, SyncReport
from paperreader.core.store import Store, StoreError, utcnow

PAGE_SIZE = 100
MAX_PAGES = 200
#: A month segment shorter than this is fetched day by day instead.
MIN_MONTH_DAYS = 4

Kind = Literal["month", "week", "day"]
Progress = Callable[[SyncProgress], None]


def today_utc() -> dt.date:
    return clock.today()


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
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return self.start.isoformat()

    def params(self) -> dict[str, str]:
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


class Syncer:
    """One sync run: fetches periods with bounded concurrency and stores each page."""

    def __init__(
        self,
        client: HFClient,
        store: Store,
        *,
        today: dt.date | None = None,
        concurrency: int = 4,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.today = today or today_utc()
        self.concurrency = max(1, concurrency)
        self.progress = progress or (lambda _p: None)
        self.cancelled = cancelled or (lambda: False)
        self.report = SyncReport()
        self.now = utcnow()
        client.on_wait = lambda seconds, why: self._tick(f"waiting {seconds:.0f}s for {why}")
        self._total = 0
        self._done = 0

    def _tick(self, message: str) -> None:
        self.progress(
            SyncProgress(self._done, self._total, self.report.new + self.report.updated, message)
        )

    async def run(self, periods: list[Period], *, advance_to: dt.date | None = None) -> SyncReport:
        started = time.perf_counter()
        periods = [p for p in periods if p.start <= self.today]
        self._total = len(periods)
        self._tick(f"syncing {len(periods)} periods")
        gate = asyncio.Semaphore(self.concurrency)

        async def one(period: Period) -> None:
            async with gate:
                if not self.cancelled():
                    await self._period(period)

        await asyncio.gather(*(one(p) for p in periods))
        self.report.requests = self.client.requests
        if advance_to is not None and not self.cancelled():
            with self.store.write():
                previous = self.store.get_meta("synced_through")
                if previous is None or previous < advance_to.isoformat():
                    self.store.set_meta("synced_through", advance_to.isoformat())
                self.store.set_meta("last_sync_at", self.now)
                self.store.set_meta("last_sync_summary", self.report.summary())
        self.store.checkpoint()
        self.report.seconds = time.perf_counter() - started
        self._tick("done" if self.report.ok else "finished with errors")
        return self.report

    async def _period(self, period: Period) -> None:
        try:
            self.store.start_period(
                period.key, period.kind, period.start.isoformat(), period.end.isoformat()
            )
            stored = await self._fetch_pages(period)
        except ApiError as exc:
            if exc.is_client_error and exc.status == 400 and period.kind != "day":
                await self._split(period, exc)
                return
            self._fail(period, str(exc))
            return
        except StoreError as exc:
            self._fail(period, str(exc))
            return
        if stored is not None:
            self.report.periods_ok.append(period.key)
        self._done += 1
        self._tick(f"{period.key}: {stored or 0} papers")

    def _fail(self, period: Period, error: str) -> None:
        self.report.periods_failed[period.key] = error
        try:
            self.store.fail_period(period.key, error)
        except StoreError:
            pass  # The failure is already in the report; the store may be the problem.
        self._done += 1
        self._tick(f"{period.key} failed")

    async def _split(self, period: Period, exc: ApiError) -> None:
        """The server refused a month or week: fetch its weeks or days instead."""
        children = period.split(self.today)
        with self.store.write():
            self.store.conn.execute("DELETE FROM periods WHERE key = ?", [period.key])
        self._total += len(children) - 1
        self._tick(
            f"{period.key} refused ({exc.status}); fetching {len(children)} "
            f"{'weeks' if period.kind == 'month' else 'days'}"
        )
        for child in children:
            if self.cancelled():
                return
            await self._period(child)

    async def _fetch_pages(self, period: Period) -> int | None:
        """Fetch every page of ``period``; returns papers stored, None if cancelled."""
        seen: set[str] = set()
        count = 0
        for page_no in range(MAX_PAGES):
            if self.cancelled():
                return None
            page = await self.client.daily_papers(**period.params(), limit=PAGE_SIZE, page=page_no)
            fresh = [p for p in page.papers if p.id not in seen]
            last = page.raw_count < PAGE_SIZE or (page.raw_count > 0 and not fresh)
            with self.store.write():
                new, updated = self.store.upsert_papers(fresh, now=self.now)
                if last:
                    self.store.finish_period(
                        period.key, papers=count + len(fresh), pages=page_no + 1, now=self.now
                    )
            seen.update(p.id for p in fresh)
            count += len(fresh)
            self.report.new += new
            self.report.updated += updated
            self.report.seen += len(fresh)
            self.report.skipped_items += page.skipped
            self.report.repaired_items += page.repaired
            if last:
                return count
            self._tick(f"{period.key}: page {page_no + 1}")
        raise ApiError(f"{period.key}: more than {MAX_PAGES} pages; stopping")

    async def search(self, query: str, *, limit: int = 120) -> SyncReport:
        """Store the results of a remote search (one request)."""
        started = time.perf_counter()
        self._total = 1
        try:
            page = await self.client.search(query, limit=limit)
            with self.store.write():
                new, updated = self.store.upsert_papers(page.papers, now=self.now)
            self.report.new += new
            self.report.updated += updated
            self.report.seen += len(page.papers)
            self.report.skipped_items += page.skipped
            self.report.repaired_items += page.repaired
            self.report.periods_ok.append(f"search:{query}")
        except (ApiError, StoreError) as exc:
            self.report.periods_failed[f"search:{query}"] = str(exc)
        self._done = 1
        self.report.requests = self.client.requests
        self.report.seconds = time.perf_counter() - started
        self._tick("done")
        return self.report


async def sync(
    store: Store,
    client: HFClient,
    *,
    since: dt.date | None = None,
    days: int | None = None,
    query: str | None = None,
    today: dt.date | None = None,
    recent_days: int = 3,
    initial_days: int = 30,
    concurrency: int = 4,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    refresh: bool = False,
) -> SyncReport:
    """The one entry point the CLI and the app use.

    Periods already fetched complete at least ``SETTLED_DAYS`` after they ended are
    skipped (their lists no longer change), unless ``refresh`` asks for them again:
    re-running a long ``--since`` after an interruption fetches only what is missing.
    """
    today = today or today_utc()
    syncer = Syncer(
        client, store, today=today, concurrency=concurrency, progress=progress, cancelled=cancelled
    )
    if query:
        return await syncer.search(query)
    if since is not None:
        periods = merge_retries(plan(since, today), store)
    elif days is not None:
        periods = merge_retries(plan(today - dt.timedelta(days=max(days, 1) - 1), today), store)
    else:
        periods = default_plan(
            store, today=today, recent_days=recent_days, initial_days=initial_days
        )
    if not refresh:
        settled = settled_periods(store)
        kept = [p for p in periods if p.key not in settled]
        syncer.report.skipped_periods = len(periods) - len(kept)
        periods = kept
    return await syncer.run(periods, advance_to=today)


#: A period fetched this many days after it ended is final: Daily Papers lists do not
#: change after that, and upvotes on old papers barely move.
SETTLED_DAYS = 7


def settled_periods(store: Store) -> set[str]:
    """Keys of periods fetched complete long enough after they ended."""
    settled: set[str] = set()
    for row in store.periods():
        if not row["complete"] or not row["fetched_at"] or not row["end"]:
            continue
        try:
            end = dt.date.fromisoformat(row["end"])
            fetched = dt.date.fromisoformat(str(row["fetched_at"])[:10])
        except ValueError:
            continue
        if fetched >= end + dt.timedelta(days=SETTLED_DAYS):
            settled.add(row["key"])
    return settled
