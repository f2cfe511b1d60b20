"""Sync planning and runs against the fake hub: fewest requests, idempotence, recovery."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import sqlite3
import threading
from typing import Any

import pytest

from paperreader.core import clock, sync
from paperreader.core.corpus import Corpus
from paperreader.core.models import PaperFilter, SyncProgress
from paperreader.core.store import Store, StoreError
from paperreader.core.store.papers import Papers
from tests.conftest import LATEST, MIDWEEK, TODAY, Sleeps, make_client
from tests.support.fakehub import FakeHub, Fault

D = dt.date


def test_plan_uses_months_and_day_edges() -> None:
    periods = sync.plan(D(2026, 8, 30), D(2026, 11, 2))
    kinds = [(p.kind, p.key) for p in periods]
    assert kinds == [
        ("day", "2026-08-30"),
        ("day", "2026-08-31"),
        ("month", "2026-09"),
        ("month", "2026-10"),
        ("day", "2026-11-01"),
        ("day", "2026-11-02"),
    ]
    assert sync.plan(D(2026, 11, 3), D(2026, 11, 2)) == []


def test_split_never_goes_past_today() -> None:
    month = sync.Period("month", D(2026, 11, 1), D(2026, 11, 30))
    weeks = month.split(D(2026, 11, 25))
    assert weeks[0].key == "2026-W44" and weeks[-1].start <= D(2026, 11, 25)
    days = weeks[-1].split(D(2026, 11, 25))
    assert days[-1].start == D(2026, 11, 25)


async def _sync(hub: FakeHub, store: Store, sleeps: Sleeps | None = None, **kw: object):  # type: ignore[no-untyped-def]
    async with make_client(hub.url, sleeps or Sleeps()) as client:
        kw.setdefault("today", TODAY)
        return await sync.sync(store, client, **kw)  # type: ignore[arg-type]


async def test_full_history_in_few_requests_then_idempotent(
    hub: FakeHub, store: Store, corpus: Corpus
) -> None:
    ticks: list[SyncProgress] = []
    report = await _sync(hub, store, since=corpus.start, progress=ticks.append)
    total = corpus.count()
    assert report.ok and report.new == total and store.count() == total
    floor = math.ceil(total / 100)
    assert report.requests <= floor + 4  # one short page per month is the only overhead
    assert ticks[-1].done == ticks[-1].total == 4
    assert all(r.query.get("date", "") <= TODAY.isoformat() for r in hub.log)
    before = store.conn.execute("SELECT group_concat(content_hash) FROM papers").fetchone()
    again = await _sync(hub, store, since=corpus.start)
    assert (again.new, again.updated) == (0, 0)
    after = store.conn.execute("SELECT group_concat(content_hash) FROM papers").fetchone()
    assert before == after
    assert store.conn.execute("SELECT count(*) FROM signals").fetchone()[0] == total


async def test_default_sync_fetches_recent_window_and_refreshes(
    hub: FakeHub, store: Store, corpus: Corpus
) -> None:
    first = await _sync(hub, store, initial_days=30)
    assert first.ok and store.count() > 0
    assert store.get_meta("synced_through") == TODAY.isoformat()
    hub.log.clear()
    newest = store.query_rows(PaperFilter(), limit=1)[0]
    store.set_read([newest.id])
    store.set_favourite(newest.id, True)
    corpus.upvote_bonus = {newest.id: 100}
    second = await _sync(hub, store, recent_days=3)
    assert second.updated == 1 and second.new == 0
    assert sorted(r.query.get("date", "") for r in hub.log) == [
        (TODAY - dt.timedelta(days=n)).isoformat() for n in (2, 1, 0)
    ]
    assert store.state(newest.id) == (True, True)
    rec = store.get(newest.id, with_signals=True)
    assert rec is not None and rec.paper.upvotes == newest.upvotes + 100


async def test_refused_month_falls_back_to_weeks(corpus: Corpus, store: Store) -> None:
    with FakeHub(corpus, today=TODAY, reject_months=True) as hub:
        report = await _sync(hub, store, since=D(2026, 10, 1))
    assert report.ok
    assert store.count() == corpus.count() - sum(
        len(corpus.day(d)) for d in corpus.days(corpus.start, D(2026, 9, 30))
    ) + _spill(corpus)
    assert any("week" in r.query for r in hub.log)
    assert not any(p.kind == "month" for p in store.periods())


def _spill(corpus: Corpus) -> int:
    """Papers of the ISO week that starts in September but overlaps 1 October."""
    monday = D(2026, 9, 28)
    return sum(len(corpus.day(monday + dt.timedelta(days=i))) for i in range(3))


async def test_refused_weeks_fall_back_to_days(corpus: Corpus, store: Store) -> None:
    with FakeHub(corpus, today=TODAY, reject_months=True, reject_weeks=True) as hub:
        report = await _sync(hub, store, since=D(2026, 11, 10))
    assert report.ok
    assert {r.query.get("date") for r in hub.log if "date" in r.query} >= {"2026-11-10"}
    # The refused month's weeks become days, clipped to the month itself.
    assert min(r.query["date"] for r in hub.log if "date" in r.query) == "2026-11-01"
    expected = sum(len(corpus.day(d)) for d in corpus.days(D(2026, 11, 1), TODAY))
    assert store.count() == expected


async def test_pages_are_stored_on_one_writer_thread(
    hub: FakeHub, store: Store, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Storing a page is mostly SQLite's work, which releases the GIL: on a thread of its
    # own it overlaps the parsing of the next pages on the event loop.
    writes: list[tuple[int, str]] = []
    upsert = Papers.upsert

    def recording(self: Papers, papers: Any, **kw: Any) -> tuple[int, int]:
        writes.append((threading.get_ident(), papers[0].id))
        return upsert(self, papers, **kw)

    monkeypatch.setattr(Papers, "upsert", recording)
    report = await _sync(hub, store, since=corpus.start)
    assert report.ok and store.count() == corpus.count()
    threads = {ident for ident, _ in writes}
    assert len(threads) == 1 and threading.get_ident() not in threads
    assert not any(t.name.startswith("paperreader-writer") for t in threading.enumerate())


async def test_a_failing_write_fails_its_period_only(
    hub: FakeHub, store: Store, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Last month, whole in the corpus whatever day the clock is pinned to, and the one before.
    bad_month = TODAY.replace(day=1) - dt.timedelta(days=1)
    bad = bad_month.strftime("%Y-%m")
    since = (bad_month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    pages = math.ceil(len(corpus.month(bad_month.year, bad_month.month)) / 100)
    assert pages >= 2  # the failing write is the last page's, which also finishes the month
    upsert, calls = Papers.upsert, {"bad": 0}

    def disk_full_on_the_months_last_page(self: Papers, papers: Any, **kw: Any) -> tuple[int, int]:
        if papers and (papers[0].daily_date or "").startswith(bad):
            calls["bad"] += 1
            if calls["bad"] == pages:
                raise sqlite3.OperationalError("database or disk is full")
        return upsert(self, papers, **kw)

    def cannot_record(self: Store, key: str, error: str) -> None:
        # The disk is still full when the failure is written down: only the transaction
        # of the failed page keeps the month incomplete (its last page finishes it).
        raise StoreError("database or disk is full")

    monkeypatch.setattr(Papers, "upsert", disk_full_on_the_months_last_page)
    monkeypatch.setattr(Store, "fail_period", cannot_record)
    report = await _sync(hub, store, since=since)
    assert calls["bad"] == pages
    assert list(report.periods_failed) == [bad]
    assert "disk is full" in report.periods_failed[bad]
    assert {k for k, *_ in store.incomplete_periods()} == {bad}
    stored = store.conn.execute(
        "SELECT count(*) FROM papers WHERE substr(daily_date, 1, 7) = ?", (bad,)
    ).fetchone()[0]
    assert stored == (pages - 1) * 100  # the pages before the failed one are kept
    months = {
        r[0] for r in store.conn.execute("SELECT DISTINCT substr(daily_date, 1, 7) FROM papers")
    }
    assert since.strftime("%Y-%m") in months


async def test_an_unforeseen_error_stops_every_period_before_the_writer_closes(
    hub: FakeHub, store: Store, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in one period ends the sync with that error, and the other periods stop with
    it: left running, they wrote to a writer already closed ("cannot schedule new futures
    after shutdown") in tasks nobody awaited."""
    upsert, first = Papers.upsert, {"done": False}

    def bug_on_the_first_write(self: Papers, papers: Any, **kw: Any) -> tuple[int, int]:
        if not first["done"]:
            first["done"] = True
            raise RuntimeError("a bug")
        return upsert(self, papers, **kw)

    monkeypatch.setattr(Papers, "upsert", bug_on_the_first_write)
    with pytest.raises(RuntimeError, match="a bug"):
        await _sync(hub, store, since=corpus.start)
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert all(t.done() for t in others), others
    assert not any(t.name.startswith("paperreader-writer") for t in threading.enumerate())


async def test_server_going_away_fails_periods_and_next_sync_completes(
    corpus: Corpus, store: Store
) -> None:
    with FakeHub(corpus, today=TODAY) as hub:
        hub.faults.append(Fault("status", match="month=2026-10", status=503, times=99))
        hub.faults.append(Fault("reset", match="month=2026-09", times=99))
        report = await _sync(hub, store, since=D(2026, 8, 1))
    assert set(report.periods_failed) == {"2026-09", "2026-10"}
    assert "HTTP 503" in report.periods_failed["2026-10"]
    kept = store.count()
    assert kept > 0
    incomplete = {k for k, *_ in store.incomplete_periods()}
    assert incomplete == {"2026-09", "2026-10"}
    with FakeHub(corpus, today=TODAY) as hub:
        retry = await _sync(hub, store)  # a plain sync picks the failed months up again
        fetched = {r.query.get("month") for r in hub.log}
    assert retry.ok
    assert {"2026-09", "2026-10"} <= fetched
    assert store.count() == corpus.count()
    assert store.incomplete_periods() == []


async def test_malformed_page_stores_nothing_from_it(corpus: Corpus, store: Store) -> None:
    tuesday = MIDWEEK - dt.timedelta(days=1)
    with FakeHub(corpus, today=TODAY) as hub:
        hub.faults.append(Fault("truncate", match=f"date={tuesday}", times=99))
        report = await _sync(hub, store, days=2, today=MIDWEEK)
    assert list(report.periods_failed) == [tuesday.isoformat()]
    assert {r.daily_date for r in store.query_rows(PaperFilter())} == {MIDWEEK.isoformat()}


async def test_schema_drift_items_are_skipped_and_counted(corpus: Corpus, store: Store) -> None:
    day = corpus.day(LATEST)
    bad_id = day[0]["paper"]["id"]
    drift_id = day[1]["paper"]["id"]
    corpus.overrides[bad_id] = {"paper": {"title": "no id at all"}}
    corpus.overrides[drift_id] = {
        "paper": {
            "id": drift_id,
            "title": "Drifted",
            "upvotes": "12",
            "authors": None,
            "unknownField": [1, 2],
        },
        "numComments": None,
    }
    with FakeHub(corpus, today=TODAY) as hub:
        report = await _sync(hub, store, days=1, today=LATEST)
    assert report.ok and report.skipped_items == 1
    rec = store.get(drift_id)
    assert rec is not None and rec.paper.upvotes == 12 and rec.paper.authors == ()
    assert store.raw(drift_id)["paper"]["unknownField"] == [1, 2]  # type: ignore[index]


async def test_remote_search_is_stored(hub: FakeHub, store: Store) -> None:
    report = await _sync(hub, store, query="honesty")
    assert report.ok and report.new > 0 and report.requests == 1
    assert all("honesty" in r.title.lower() for r in store.query_rows(PaperFilter()))


async def test_concurrency_is_bounded(corpus: Corpus, store: Store) -> None:
    with FakeHub(corpus, today=TODAY, latency=0.05) as hub:
        async with make_client(hub.url) as client:
            await sync.sync(store, client, since=corpus.start, today=TODAY, concurrency=2)
    starts = sorted(r.at for r in hub.log)
    # With 2 workers and 50 ms per request, no three requests can start within 50 ms.
    assert all(b - a >= 0.045 for a, b in zip(starts, starts[2:], strict=False))


@pytest.mark.parametrize("cancel_after", [1, 3])
async def test_cancellation_leaves_periods_incomplete(
    hub: FakeHub, store: Store, corpus: Corpus, cancel_after: int
) -> None:
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > cancel_after

    report = await _sync(hub, store, since=corpus.start, cancelled=cancelled, concurrency=1)
    assert store.count() < corpus.count()
    assert store.get_meta("synced_through") is None
    # The period being fetched when the sync stopped is left incomplete (and none other
    # was started); the next sync fetches it again and finishes the job.
    first = sync.plan(corpus.start, TODAY)[0]
    assert [p[0] for p in store.incomplete_periods()] == [first.key]
    assert report.periods_ok == [] and not report.periods_failed
    healed = await _sync(hub, store, since=corpus.start)
    assert healed.ok and store.incomplete_periods() == []
    assert store.count() == corpus.count()


async def test_settled_periods_are_skipped_unless_refreshing(
    hub: FakeHub, store: Store, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first sync happens "later" (the clock says so too, so fetch stamps carry that day).
    later = TODAY + dt.timedelta(days=40)
    monkeypatch.setenv(clock.ENV, later.isoformat())
    months = [p for p in sync.plan(corpus.start, later) if p.kind == "month"]
    # A month fetched complete a week or more after it ended is final.
    final = {p.key for p in months if later >= p.end + dt.timedelta(days=sync.SETTLED_DAYS)}
    fresh = {p.key for p in months} - final
    assert len(final) >= 3 and fresh  # the test needs both kinds
    async with make_client(hub.url, Sleeps()) as client:
        hub.today = later
        first = await sync.sync(store, client, since=corpus.start, today=later)
        assert first.ok and first.skipped_periods == 0
        hub.log.clear()
        again = await sync.sync(store, client, since=corpus.start, today=later)
        assert again.ok and again.skipped_periods == len(final)
        asked = {r.query.get("month") for r in hub.log}
        assert not final & asked and fresh <= asked
        hub.log.clear()
        forced = await sync.sync(store, client, since=corpus.start, today=later, refresh=True)
        assert forced.skipped_periods == 0
        assert final <= {r.query.get("month") for r in hub.log}


async def test_drift_damage_is_repaired_by_a_later_sync(
    hub: FakeHub, store: Store, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Items that arrived without authors or with ``upvotes: null`` keep their period from
    becoming final, so the next plain sync fetches it again and repairs them."""
    later = TODAY + dt.timedelta(days=40)
    monkeypatch.setenv(clock.ENV, later.isoformat())
    hub.today = later
    months = [p for p in sync.plan(corpus.start, later) if p.kind == "month"]
    old = [p for p in months if later >= p.end + dt.timedelta(days=sync.SETTLED_DAYS)]
    drifted_month, clean_month = old[0], old[1]
    day = next(d for d in corpus.days(drifted_month.start, drifted_month.end) if corpus.day(d))
    originals = {it["paper"]["id"]: it for it in corpus.day(day)}
    for pid, item in originals.items():
        paper = {k: v for k, v in item["paper"].items() if k != "authors"}
        corpus.overrides[pid] = {**item, "paper": {**paper, "upvotes": None}}
    async with make_client(hub.url, Sleeps()) as client:
        first = await sync.sync(store, client, since=corpus.start, today=later)
        assert first.ok
        damaged = store.get(next(iter(originals)))
        assert damaged is not None and damaged.paper.authors == ()
        corpus.overrides.clear()  # the API is well again
        hub.log.clear()
        second = await sync.sync(store, client, since=corpus.start, today=later)
        asked = {r.query.get("month") for r in hub.log}
        assert second.ok and drifted_month.key in asked and clean_month.key not in asked
        for pid, item in originals.items():
            rec = store.get(pid)
            assert rec is not None, pid
            assert len(rec.paper.authors) == len(item["paper"]["authors"]) > 0, pid
            assert rec.paper.upvotes == item["paper"]["upvotes"], pid
        hub.log.clear()
        await sync.sync(store, client, since=corpus.start, today=later)
        assert drifted_month.key not in {r.query.get("month") for r in hub.log}  # final now
