"""Fetching full text, linked repos and trending from the fake hub over loopback."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from paperreader.core.corpus import Corpus
from paperreader.core.fulltext.fetch import (
    UNAVAILABLE,
    FullTextError,
    FullTextUnavailable,
    fetch_fulltext,
    fetch_repos,
    pages_gate,
)
from paperreader.core.fulltext.prefetch import prefetch
from paperreader.core.fulltext.repos import parse_repos
from paperreader.core.hf_api import ApiError
from paperreader.core.models import PaperFilter
from paperreader.core.store import Store
from paperreader.core.store.fulltext import load_fulltext, prefetch_candidates, save_fulltext
from paperreader.core.trending import fetch_trending
from tests.conftest import LATEST, Sleeps, make_client, papers_from
from tests.support.fakehub import FakeHub, Fault


def first_id(corpus: Corpus) -> str:
    return str(corpus.day(LATEST)[0]["paper"]["id"])


async def test_markdown_arrives_whole_with_progress(hub: FakeHub, corpus: Corpus) -> None:
    pid = first_id(corpus)
    seen: list[tuple[int, int | None]] = []
    async with make_client(hub.url) as client:
        text = await fetch_fulltext(
            client, pid, progress=lambda got, total: seen.append((got, total))
        )
    expected = hub.fulltext_for(pid)
    assert expected is not None and text.markdown == expected
    assert text.markdown.startswith(f"# {corpus.day(LATEST)[0]['title']}\n")
    assert text.size == len(expected.encode())
    assert seen and seen[-1] == (text.size, text.size)
    request = hub.log[-1]
    assert request.path == f"/papers/{pid}.md"
    assert request.headers["Accept"] == "text/markdown"
    assert request.headers["User-Agent"].startswith("paperreader/")


async def test_404_is_unavailable_offers_the_pdf_and_is_not_retried(
    hub: FakeHub, corpus: Corpus, sleeps: Sleeps
) -> None:
    pid = first_id(corpus)
    hub.no_fulltext.add(pid)
    async with make_client(hub.url, sleeps) as client:
        with pytest.raises(FullTextUnavailable) as err:
            await fetch_fulltext(client, pid)
    assert str(err.value) == UNAVAILABLE == "full text not available on Hugging Face for this paper"
    assert err.value.pdf_url == f"https://arxiv.org/pdf/{pid}"
    assert len(hub.log) == 1 and sleeps.calls == []


async def test_429_on_pages_waits_for_the_pages_window(
    hub: FakeHub, corpus: Corpus, sleeps: Sleeps
) -> None:
    limited = {"RateLimit": '"pages";r=0;t=41', "Retry-After": "41"}
    hub.faults.append(Fault("status", match=".md", status=429, times=2, headers=limited))
    async with make_client(hub.url, sleeps) as client:
        text = await fetch_fulltext(client, first_id(corpus))
    assert text.markdown
    assert sleeps.calls == [pytest.approx(42.0, abs=0.5)] * 2
    assert client.requests == 3


async def test_exhausted_pages_bucket_leaves_the_api_bucket_alone(
    hub: FakeHub, corpus: Corpus, sleeps: Sleeps
) -> None:
    hub.pages_quota = 1
    pid = first_id(corpus)
    async with make_client(hub.url, sleeps, max_attempts=2) as client:
        await fetch_fulltext(client, pid)
        with pytest.raises(FullTextError) as err:
            await fetch_fulltext(client, pid)
        assert err.value.status == 429 and "429" in str(err.value)
        assert sleeps.calls and min(sleeps.calls) > 1  # waited for the window, not a blind retry
        assert pages_gate(client).resume_at > 0  # the pages gate knows it is out
        sleeps.calls.clear()
        page = await client.daily_papers(date=LATEST.isoformat())
    assert page.papers and sleeps.calls == []  # the api bucket was never told to wait


async def test_truncated_body_is_retried(hub: FakeHub, corpus: Corpus, sleeps: Sleeps) -> None:
    pid = first_id(corpus)
    hub.faults.append(Fault("truncate", match=".md"))
    async with make_client(hub.url, sleeps) as client:
        text = await fetch_fulltext(client, pid)
    assert text.markdown == hub.fulltext_for(pid)
    assert client.requests == 2 and len(sleeps.calls) == 1


async def test_truncated_every_time_fails_with_a_reason(
    hub: FakeHub, corpus: Corpus, sleeps: Sleeps
) -> None:
    hub.faults.append(Fault("truncate", match=".md", times=5))
    async with make_client(hub.url, sleeps, max_attempts=3) as client:
        with pytest.raises(FullTextError) as err:
            await fetch_fulltext(client, first_id(corpus))
    assert "after 3 attempts" in str(err.value) and "connection" in str(err.value)
    assert not isinstance(err.value, FullTextUnavailable)


async def test_web_page_instead_of_markdown_is_retried(
    hub: FakeHub, corpus: Corpus, sleeps: Sleeps
) -> None:
    hub.faults.append(Fault("html", match=".md"))
    async with make_client(hub.url, sleeps) as client:
        text = await fetch_fulltext(client, first_id(corpus))
    assert text.markdown.startswith("# ") and client.requests == 2


async def test_size_cap_refuses_without_retrying(
    hub: FakeHub, corpus: Corpus, sleeps: Sleeps
) -> None:
    async with make_client(hub.url, sleeps) as client:
        with pytest.raises(FullTextError) as err:
            await fetch_fulltext(client, first_id(corpus), max_bytes=1024 * 1024 // 100)
    assert "larger than" in str(err.value)
    assert client.requests == 1 and sleeps.calls == []


async def test_slow_download_can_be_cancelled(hub: FakeHub, corpus: Corpus) -> None:
    hub.fulltext_words = 30_000  # about 200 KB: a dozen 16 KB pieces
    hub.pages_delay = 0.3
    seen: list[int] = []
    async with make_client(hub.url) as client:
        task = asyncio.create_task(
            fetch_fulltext(client, first_id(corpus), progress=lambda got, _t: seen.append(got))
        )
        for _ in range(200):
            await asyncio.sleep(0.02)
            if seen:
                break
        assert seen, "no progress reported"
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert max(seen) < len((hub.fulltext_for(first_id(corpus)) or "").encode())


async def test_linked_repos_counts_and_top_few(hub: FakeHub, corpus: Corpus) -> None:
    ids = [str(it["paper"]["id"]) for it in corpus.day(LATEST)]
    async with make_client(hub.url) as client:
        found = [await fetch_repos(client, pid, fetched_at="2026-01-01T00:00:00Z") for pid in ids]
    assert any(r.total for r in found) and any(not r.total for r in found)
    rich = max(found, key=lambda r: r.count("model"))
    models = rich.of("model")
    assert len(models) == min(10, rich.count("model"))
    downloads = [m.downloads or 0 for m in models]
    assert downloads == sorted(downloads, reverse=True)
    assert models[0].url == f"https://huggingface.co/{models[0].name}"
    assert hub.log[-1].path == f"/api/arxiv/{ids[-1]}/repos"


def test_hostile_repo_names_are_dropped() -> None:
    data = {
        "models": [
            {"id": "good/model", "likes": 3, "downloads": 10},
            {"id": "../../etc/passwd"},
            {"id": "javascript:alert(1)"},
            {"id": "x\x1b]2;pwn\x07/y"},
            {"id": 42},
            "not a dict",
        ],
        "datasets": {"not": "a list"},
        "spaces": [{"id": "org/space", "likes": True}],
    }
    repos = parse_repos("2611.00001", data)
    assert [r.name for r in repos.repos] == ["good/model", "org/space"]
    assert repos.count("model") == 1 and repos.count("dataset") == 0
    assert repos.of("space")[0].likes is None  # a boolean is not a count
    assert repos.of("space")[0].url == "https://huggingface.co/spaces/org/space"


async def test_trending_is_ranked_and_ignores_the_date(hub: FakeHub, corpus: Corpus) -> None:
    async with make_client(hub.url) as client:
        papers = await fetch_trending(client, limit=150)
    assert len(papers) == 150 and len({p.id for p in papers}) == 150
    stars = [p.github_stars or 0 for p in papers]
    assert stars == sorted(stars, reverse=True)
    queries = [r.query for r in hub.log]
    assert queries[0] == {"sort": "trending", "limit": "100", "p": "0"}
    assert queries[1] == {"sort": "trending", "limit": "100", "p": "1"}


async def test_prefetch_skips_stored_and_stops_when_pages_run_low(
    hub: FakeHub, corpus: Corpus, tmp_path: Path
) -> None:
    ids = [str(it["paper"]["id"]) for it in corpus.day(LATEST)][:8]
    hub.no_fulltext.add(ids[1])
    hub.pages_quota = 6  # the gate keeps a reserve of 3: stops after a few
    with Store(tmp_path / "papers.db") as store:
        save_fulltext(store, ids[0], "# already here\n")
        async with make_client(hub.url) as client:
            report = await prefetch(store, client, ids, limit=20)
        assert ids[0] not in report.stored and report.unavailable == [ids[1]]
        assert report.stored and report.stopped
        assert len(hub.log) <= 6  # never ran into a 429
        assert all(load_fulltext(store, pid) is not None for pid in report.stored)


def test_prefetch_candidates_favourites_then_top_of_the_day(corpus: Corpus, tmp_path: Path) -> None:
    with Store(tmp_path / "papers.db") as store:
        with store.write():
            store.upsert_papers(papers_from(corpus.day(LATEST)))
        day = store.query_rows(PaperFilter(), limit=3)
        store.set_favourite(day[2].id, True)
        picked = prefetch_candidates(store, favourites=True, top=2)
        top = [p.id for p in store.query_rows(PaperFilter(view="today", sort="upvotes"), limit=2)]
    assert picked[0] == day[2].id and picked[1:] == [t for t in top if t != day[2].id]


async def test_ids_that_are_not_arxiv_ids_never_reach_a_url(hub: FakeHub) -> None:
    async with make_client(hub.url) as client:
        for bad in ("../../api/whoami", "2611.00001?x=1", "2611.00001v2", ""):
            with pytest.raises(FullTextError):
                await fetch_fulltext(client, bad)
            with pytest.raises(ApiError):
                await fetch_repos(client, bad, fetched_at="2026-01-01T00:00:00Z")
    assert hub.log == []


async def test_a_refused_connection_fails_at_once_naming_the_server(sleeps: Sleeps) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with make_client(f"http://127.0.0.1:{port}", sleeps, max_attempts=5) as client:
        with pytest.raises(FullTextError) as err:
            await fetch_fulltext(client, "2611.10011")
    assert f"could not reach http://127.0.0.1:{port}: connection refused" in str(err.value)
    assert client.requests == 1 and sleeps.calls == []  # no retries, no waiting
