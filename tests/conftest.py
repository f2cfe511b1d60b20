"""Shared fixtures: an isolated home, a real store file, and a fake HF server on loopback."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from paperreader.core import clock
from paperreader.core.corpus import Corpus
from paperreader.core.hf_api import HFClient
from paperreader.core.models import Paper
from paperreader.core.store import Store
from tests.support.fakehub import FakeHub

FIXTURES = Path(__file__).parent / "fixtures"
#: The day every test, and every process a test starts, believes is today. CI runs the suite
#: with PAPERREADER_TEST_TODAY set to awkward days (weekends, month and year ends) as well.
TODAY = dt.date.fromisoformat(os.environ.get("PAPERREADER_TEST_TODAY") or "2026-11-25")


def weekday_on_or_before(day: dt.date) -> dt.date:
    """The synthetic feed, like the real one, has no weekend papers."""
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


#: The newest day that has papers in a corpus ending on TODAY.
LATEST = weekday_on_or_before(TODAY)
#: The most recent Wednesday on or before TODAY: tests that need papers on it and on the
#: day before sync "as of" this day, so the pinned date never lands them on a weekend.
MIDWEEK = TODAY - dt.timedelta(days=(TODAY.weekday() - 2) % 7)


def cannot_run(reason: str) -> NoReturn:
    """Skip a test this machine cannot run; under CI (``PAPERREADER_TEST_STRICT=1``) fail
    instead, so a reliability check is never silently left out of the proof."""
    if os.environ.get("PAPERREADER_TEST_STRICT") == "1":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the developer's real store, config and token."""
    home = tmp_path / "home"
    monkeypatch.setenv("PAPERREADER_HOME", str(home))
    # Pins paperreader.core.clock here and in every child process (they inherit the environment).
    monkeypatch.setenv(clock.ENV, TODAY.isoformat())
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("PAPERREADER_API_URL", raising=False)
    monkeypatch.delenv("PAPERREADER_STATE_DIR", raising=False)
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
    return Corpus(TODAY - dt.timedelta(days=116), TODAY, seed=1, per_day=20, abstract_words=60)


@pytest.fixture
def hub(corpus: Corpus) -> Iterator[FakeHub]:
    with FakeHub(corpus, today=TODAY) as server:
        yield server


@pytest.fixture
def live_corpus() -> Corpus:
    """A corpus ending on the pinned today, for CLI runs in child processes."""
    return Corpus(TODAY - dt.timedelta(days=75), TODAY, seed=2, per_day=12, abstract_words=50)


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
