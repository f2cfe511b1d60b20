"""Shared fixtures: an isolated home, a real store file, and a fake HF server on loopback."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paperreader.fakehub import FakeHub
from paperreader.hf_api import HFClient
from paperreader.models import Paper
from paperreader.sample import Corpus
from paperreader.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
#: A fixed "today" for tests that do not go through the CLI (which uses the real date).
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the developer's real store, config and token."""
    home = tmp_path / "home"
    monkeypatch.setenv("PAPERREADER_HOME", str(home))
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("PAPERREADER_API_URL", raising=False)
    return home


@pytest.fixture
def example_items() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((FIXTURES / "daily_example.json").read_text())
    return data


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "store" / "papers.db") as s:
        yield s


@pytest.fixture
def corpus() -> Corpus:
    """About 4 months of synthetic papers ending on TODAY (~1,700 papers)."""
    return Corpus(dt.date(2026, 8, 1), TODAY, seed=1, per_day=20, abstract_words=60)


@pytest.fixture
def hub(corpus: Corpus) -> Iterator[FakeHub]:
    with FakeHub(corpus, today=TODAY) as server:
        yield server


@pytest.fixture
def live_corpus() -> Corpus:
    """A corpus ending on the real UTC date, for CLI runs (which cannot be given a date)."""
    today = dt.datetime.now(dt.UTC).date()
    return Corpus(today - dt.timedelta(days=75), today, seed=2, per_day=12, abstract_words=50)


@pytest.fixture
def live_hub(live_corpus: Corpus) -> Iterator[FakeHub]:
    with FakeHub(live_corpus, today=live_corpus.end) as server:
        yield server


class Sleeps:
    """Records requested sleeps instead of sleeping: retry timing under test control."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def make_client(url: str, sleeps: Sleeps | None = None, **kw: Any) -> HFClient:
    return HFClient(url, sleep=sleeps, jitter=lambda: 0.5, **kw)


def papers_from(items: list[dict[str, Any]]) -> list[Paper]:
    return [Paper.from_api(it) for it in items]
