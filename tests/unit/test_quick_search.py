"""The quick preview of a search: newest-first, and only papers the store also finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperreader.core.demo import fill_demo_store
from paperreader.core.models import Paper, PaperFilter
from paperreader.core.quick_search import RecentText, fold, words
from paperreader.core.store import Store
from tests.conftest import TODAY


@pytest.fixture
def demo(tmp_path: Path) -> Store:
    store = Store(tmp_path / "demo.db")
    fill_demo_store(store, today=TODAY, days=20, per_day=15)
    with store.write():
        store.upsert_papers(
            [Paper(id="2611.99999", title="Crème brûlée über Ölbäume", daily_date="2026-01-02")]
        )
    return store


def newest_first(store: Store, text: str) -> list[int]:
    return list(store.query_rids(PaperFilter(search=text, sort="newest")))


def test_folding_matches_the_store_tokenizer() -> None:
    assert fold("Crème BRÛLÉE") == "creme brulee"
    assert words("“Über”-fast, 3D!") == ["uber", "fast", "3d"]


@pytest.mark.parametrize("text", ["m", "mo", "mod", "model", "lang", "language mod", "creme b"])
def test_a_preview_is_the_head_of_the_newest_first_answer(demo: Store, text: str) -> None:
    recent = RecentText.load(demo, newest=10_000)  # the whole demo store
    assert recent.complete
    preview = recent.match(text, 40)
    assert preview is not None
    exact = newest_first(demo, text)
    # Every previewed paper is a match the store finds too, newest first.
    assert set(preview) <= set(exact)
    assert preview == sorted(preview, reverse=True)
    assert preview == [rid for rid in exact if rid in set(preview)][: len(preview)]


def test_a_partial_window_only_sees_the_newest(demo: Store) -> None:
    recent = RecentText.load(demo, newest=50)
    assert not recent.complete and len(recent.rids) == 50
    newest = set(demo.query_prefix(PaperFilter(), 50)[0])
    assert set(recent.match("a", 1000) or []) <= newest


def test_nothing_to_search_and_nothing_found(demo: Store) -> None:
    recent = RecentText.load(demo)
    assert recent.match("  ?! ", 10) is None
    assert recent.match("zzqqxx", 10) == []


def test_a_finished_word_must_match_whole(demo: Store) -> None:
    recent = RecentText.load(demo)
    assert recent.match("ölbäume", 10) == recent.match("olbaume ", 10) != []
    assert recent.match("olba ", 10) == []  # a space ends the word: no prefix any more
