"""The HTTP client against the fake hub over real loopback sockets."""

from __future__ import annotations

import email.utils
import time

import pytest

from paperreader.core.hf_api import ApiError, parse_ratelimit, parse_retry_after
from tests.conftest import Sleeps, make_client
from tests.support.fakehub import FakeHub, Fault


async def test_daily_paging_and_shapes(hub: FakeHub, sleeps: Sleeps) -> None:
    async with make_client(hub.url, sleeps) as client:
        first = await client.daily_papers(month="2026-09", limit=100, page=0)
        second = await client.daily_papers(month="2026-09", limit=100, page=1)
        past_end = await client.daily_papers(month="2026-09", limit=100, page=50)
    assert first.raw_count == 100 and len(first.papers) == 100
    assert not {p.id for p in first.papers} & {p.id for p in second.papers}
    assert past_end.raw_count == 0
    assert hub.log[0].query == {"month": "2026-09", "limit": "100", "p": "0"}
    assert hub.log[0].headers["User-Agent"].startswith("paperreader/")
    assert "Authorization" not in hub.log[0].headers


async def test_weekend_day_is_empty_not_an_error(hub: FakeHub) -> None:
    async with make_client(hub.url) as client:
        page = await client.daily_papers(date="2026-11-22")  # a Sunday
    assert page.papers == [] and page.raw_count == 0


async def test_future_date_is_a_client_error_and_not_retried(hub: FakeHub, sleeps: Sleeps) -> None:
    async with make_client(hub.url, sleeps) as client:
        with pytest.raises(ApiError) as err:
            await client.daily_papers(date="2026-12-01")
    assert err.value.status == 400 and err.value.is_client_error
    assert "future" in str(err.value)
    assert len(hub.log) == 1 and sleeps.calls == []


async def test_token_sent_as_bearer(hub: FakeHub) -> None:
    async with make_client(hub.url, token="hf_secret") as client:
        await client.daily_papers(date="2026-11-24")
    assert hub.log[0].headers["Authorization"] == "Bearer hf_secret"


async def test_429_with_ratelimit_waits_for_the_window(hub: FakeHub, sleeps: Sleeps) -> None:
    hub.faults.append(Fault("status", status=429, times=2, headers={"RateLimit": '"api";r=0;t=37'}))
    async with make_client(hub.url, sleeps) as client:
        page = await client.daily_papers(date="2026-11-24")
    assert page.papers
    assert sleeps.calls == [pytest.approx(38.0, abs=0.5)] * 2
    assert client.requests == 3


async def test_retry_after_seconds_and_http_date(hub: FakeHub, sleeps: Sleeps) -> None:
    future = email.utils.formatdate(time.time() + 120, usegmt=True)
    hub.faults += [
        Fault("status", status=503, headers={"Retry-After": "7"}),
        Fault("status", status=429, headers={"Retry-After": future}),
    ]
    async with make_client(hub.url, sleeps) as client:
        await client.daily_papers(date="2026-11-24")
    assert sleeps.calls[0] == 7.0
    assert 100 < sleeps.calls[1] <= 121


async def test_backoff_is_capped(hub: FakeHub, sleeps: Sleeps) -> None:
    hub.faults.append(Fault("status", status=429, headers={"Retry-After": "99999"}))
    async with make_client(hub.url, sleeps) as client:
        await client.daily_papers(date="2026-11-24")
    assert sleeps.calls == [300.0]


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
async def test_transient_statuses_retried_with_exponential_backoff(
    hub: FakeHub, sleeps: Sleeps, status: int
) -> None:
    hub.faults.append(Fault("status", status=status, times=3))
    async with make_client(hub.url, sleeps) as client:
        page = await client.daily_papers(date="2026-11-24")
    assert page.papers
    assert sleeps.calls == [1.0, 2.0, 4.0]  # jitter fixed at the midpoint


async def test_attempts_are_bounded(hub: FakeHub, sleeps: Sleeps) -> None:
    hub.faults.append(Fault("status", status=500, times=99))
    async with make_client(hub.url, sleeps, max_attempts=5) as client:
        with pytest.raises(ApiError) as err:
            await client.daily_papers(date="2026-11-24")
    assert len(hub.log) == 5
    assert "after 5 attempts" in str(err.value) and "HTTP 500" in str(err.value)
    assert err.value.status == 500


@pytest.mark.parametrize("kind", ["reset", "truncate", "html"])
async def test_broken_responses_are_retried(hub: FakeHub, sleeps: Sleeps, kind: str) -> None:
    hub.faults.append(Fault(kind, times=1))
    async with make_client(hub.url, sleeps) as client:
        page = await client.daily_papers(date="2026-11-24")
    assert page.papers and len(hub.log) == 2


async def test_drip_feed_cannot_outlast_the_deadline(hub: FakeHub, sleeps: Sleeps) -> None:
    drip = Fault("drip", times=5)
    hub.faults.append(drip)
    # A byte every 2 s never trips the 5 s read timeout: only the 1 s deadline can end it.
    async with make_client(hub.url, sleeps, deadline=1.0, max_attempts=2, timeout=5.0) as c:
        with pytest.raises(ApiError) as err:
            await c.daily_papers(date="2026-11-24")
    assert "after 2 attempts: no complete answer within 1s" in str(err.value)
    assert len(hub.log) == drip.served == 2  # each attempt was cut, then given up on
    assert sleeps.calls == [1.0]  # one backoff between the two attempts, nothing else


async def test_unreachable_server_gives_a_readable_error(sleeps: Sleeps) -> None:
    async with make_client("http://127.0.0.1:9", sleeps, max_attempts=2) as client:
        with pytest.raises(ApiError) as err:
            await client.daily_papers(date="2026-11-24")
    assert "could not reach http://127.0.0.1:9" in str(err.value)


async def test_paper_detail_and_404(hub: FakeHub) -> None:
    async with make_client(hub.url) as client:
        some_id = (await client.daily_papers(date="2026-11-24")).papers[0].id
        paper = await client.paper(some_id)
        with pytest.raises(ApiError) as err:
            await client.paper("1234.56789")
    assert paper.id == some_id and paper.comments is None
    assert err.value.status == 404 and "Paper not found" in str(err.value)


async def test_search_both_shapes(hub: FakeHub) -> None:
    async with make_client(hub.url) as client:
        wrapped = await client.search("honesty", limit=5)
        hub.legacy_search = True
        legacy = await client.search("honesty", limit=5)
    assert wrapped.papers and all("honesty" in p.title.lower() for p in wrapped.papers)
    assert [p.id for p in legacy.papers] == [p.id for p in wrapped.papers]
    assert all(p.upvotes is None for p in legacy.papers)
    assert hub.log[0].query == {"q": "honesty", "limit": "5"}


async def test_pacing_slows_down_before_the_quota_runs_out(corpus, sleeps: Sleeps) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import TODAY

    with FakeHub(corpus, today=TODAY, quota=4, window=60) as hub:
        async with make_client(hub.url, sleeps) as client:
            for _ in range(3):
                await client.daily_papers(date="2026-11-24")
    # Once the server reports only a few calls left, the client waits for the window.
    assert sleeps.calls and 55 <= sleeps.calls[0] <= 62


def test_header_parsers() -> None:
    assert parse_ratelimit('"api";r=0;t=55') == (0, 55.0)
    assert parse_ratelimit(None) == (None, None)
    assert parse_ratelimit("garbage") == (None, None)
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("not a date") is None
