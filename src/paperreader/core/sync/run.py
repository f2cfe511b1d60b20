"""Running a sync: fetching periods from Hugging Face and storing each page.

Every run also re-fetches the recent window, because upvotes, comments and AI summaries
change after a paper first appears. Each page is stored in one transaction; a period is
marked complete in the same transaction as its last page, so an interrupted run leaves
it incomplete and the next run fetches it again. User state is never written here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import time
from collections.abc import Callable

from paperreader.core import clock, text
from paperreader.core.hf_api import ApiError, HFClient
from paperreader.core.models import Paper, SyncProgress, SyncReport
from paperreader.core.store import Prepared, Store, StoreError
from paperreader.core.sync.periods import (
    Period,
    default_plan,
    merge_retries,
    plan,
    settled_periods,
)
from paperreader.core.sync.writer import StoreWriter

PAGE_SIZE = 100
MAX_PAGES = 200

Progress = Callable[[SyncProgress], None]


def is_partial(paper: Paper) -> bool:
    """Whether a daily item arrived without fields every listed paper has.

    Schema drift (items without ``authors``, ``upvotes: null``) stores such a paper
    with what it has; its period is then not final, so a later sync repairs it.
    """
    return paper.upvotes is None or not paper.authors


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
        # Every write of the run goes through here, off the event loop (see ``writer``);
        # ``store`` itself is only read, before the run, to plan it.
        self._db = StoreWriter(store.path)
        self.today = today or clock.today()
        self.concurrency = max(1, concurrency)
        self.progress = progress or (lambda _p: None)
        self.cancelled = cancelled or (lambda: False)
        self.report = SyncReport()
        self.now = clock.stamp()
        client.on_wait = lambda seconds, why: self._tick(f"waiting {seconds:.0f}s for {why}")
        self._total = 0
        self._done = 0

    def _tick(self, message: str) -> None:
        self.progress(
            SyncProgress(self._done, self._total, self.report.new + self.report.updated, message)
        )

    async def run(self, periods: list[Period], *, advance_to: dt.date | None = None) -> SyncReport:
        """Fetch ``periods``; then, unless cancelled, record the run up to ``advance_to``."""
        started = time.perf_counter()
        periods = [p for p in periods if p.start <= self.today]
        self._total = len(periods)
        self._tick(f"syncing {text.counted(len(periods), 'period')}")
        gate = asyncio.Semaphore(self.concurrency)

        async def one(period: Period) -> None:
            async with gate:
                if not self.cancelled():
                    await self._period(period)

        tasks = [asyncio.ensure_future(one(p)) for p in periods]
        try:
            await asyncio.gather(*tasks)
            self.report.requests = self.client.requests
            if advance_to is not None and not self.cancelled():
                summary = self.report.summary()
                await self._db(lambda store: self._record_run(store, advance_to, summary))
            await self._db(Store.checkpoint)
        finally:
            # A period that raised something unforeseen ends gather at once: its siblings
            # would go on writing to a writer already closed. They stop first.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._db.close()
        self.report.seconds = time.perf_counter() - started
        self._tick("done" if self.report.ok else "finished with errors")
        return self.report

    def _record_run(self, store: Store, advance_to: dt.date, summary: str) -> None:
        with store.write():
            previous = store.get_meta("synced_through")
            if previous is None or previous < advance_to.isoformat():
                store.set_meta("synced_through", advance_to.isoformat())
            store.set_meta("last_sync_at", self.now)
            store.set_meta("last_sync_summary", summary)

    async def _period(self, period: Period) -> None:
        try:
            start, end = period.start.isoformat(), period.end.isoformat()
            await self._db(lambda store: store.start_period(period.key, period.kind, start, end))
            stored = await self._fetch_pages(period)
        except ApiError as exc:
            if exc.is_client_error and exc.status == 400 and period.kind != "day":
                await self._split(period, exc)
                return
            await self._fail(period, str(exc))
            return
        except StoreError as exc:
            await self._fail(period, str(exc))
            return
        if stored is not None:
            self.report.periods_ok.append(period.key)
        self._done += 1
        self._tick(f"{period.key}: {stored or 0} papers")

    async def _fail(self, period: Period, error: str) -> None:
        self.report.periods_failed[period.key] = error
        try:
            await self._db(lambda store: store.fail_period(period.key, error))
        except StoreError:
            pass  # The failure is already in the report; the store may be the problem.
        self._done += 1
        self._tick(f"{period.key} failed")

    async def _split(self, period: Period, exc: ApiError) -> None:
        """The server refused a month or week: fetch its weeks or days instead."""
        children = period.split(self.today)
        await self._db(lambda store: store.drop_period(period.key))
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
        count = partial = 0
        for page_no in range(MAX_PAGES):
            if self.cancelled():
                return None
            page = await self.client.daily_papers(**period.params(), limit=PAGE_SIZE, page=page_no)
            fresh = [p for p in page.papers if p.id not in seen]
            last = page.raw_count < PAGE_SIZE or (page.raw_count > 0 and not fresh)
            partial += sum(1 for p in fresh if is_partial(p))
            finish = (count + len(fresh), page_no + 1, partial) if last else None
            prepared = self.store.prepare_papers(fresh, now=self.now)
            new, updated = await self._db(
                functools.partial(
                    self._store_page, period=period, papers=fresh, prepared=prepared, finish=finish
                )
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

    def _store_papers(self, store: Store, papers: list[Paper]) -> tuple[int, int]:
        with store.write():
            return store.upsert_papers(papers, now=self.now)

    def _store_page(
        self,
        store: Store,
        period: Period,
        papers: list[Paper],
        prepared: Prepared,
        finish: tuple[int, int, int] | None,
    ) -> tuple[int, int]:
        """One page in one transaction; the period is complete with its last page."""
        with store.write():
            new, updated = store.upsert_papers(papers, now=self.now, prepared=prepared)
            if finish is not None:
                count, pages, partial = finish
                store.finish_period(
                    period.key, papers=count, pages=pages, partial_items=partial, now=self.now
                )
        return new, updated

    async def search(self, query: str, *, limit: int = 120) -> SyncReport:
        """Store the results of a remote search (one request)."""
        started = time.perf_counter()
        self._total = 1
        try:
            page = await self.client.search(query, limit=limit)
            new, updated = await self._db(lambda store: self._store_papers(store, page.papers))
            self.report.new += new
            self.report.updated += updated
            self.report.seen += len(page.papers)
            self.report.skipped_items += page.skipped
            self.report.repaired_items += page.repaired
            self.report.periods_ok.append(f"search:{query}")
        except (ApiError, StoreError) as exc:
            self.report.periods_failed[f"search:{query}"] = str(exc)
        finally:
            self._db.close()
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
    today = today or clock.today()
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
