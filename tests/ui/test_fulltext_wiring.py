"""The main screen with full texts wired in: linked repos in the detail, the trending order,
full-text and note search, reading progress in the list, trending stored after a sync."""

from __future__ import annotations

import pytest

from paperreader.core.corpus import Corpus
from paperreader.core.fulltext.blocks import Position
from paperreader.core.models import PaperFilter, SyncReport
from paperreader.core.statesync import service
from paperreader.core.store import Store
from paperreader.core.store.fulltext import save_fulltext, save_position
from paperreader.core.store.trending import save_trending, trending_ranks
from paperreader.ui.app import PaperReaderApp
from paperreader.ui.screens.main import MainScreen
from paperreader.ui.widgets.detail_extras import BodyMatchView
from paperreader.ui.widgets.linked_repos import LinkedReposView
from paperreader.ui.widgets.links_dialog import LinksDialog
from tests.conftest import papers_from
from tests.support.app import LATEST, make_app, wait_for
from tests.support.fakehub import FakeHub

SIZE = (100, 30)
BODY = "# Intro\n\nPlain words.\n\n## Method\n\nAn **origami lantern** folds [b]attention[/b].\n"


@pytest.fixture
def no_child_sync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Online apps here talk to the fake hub from the detail pane only, not by syncing."""
    monkeypatch.setattr(PaperReaderApp, "action_sync", lambda self: None)


def main_of(app: PaperReaderApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


async def go_to(pilot, main: MainScreen, paper_id: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(main.paper_list.count):
        row = main.paper_list.current
        if row is not None and row.id == paper_id:
            await pilot.pause(0.1)  # the detail follows the cursor after a pause
            return
        await pilot.press("j")
    raise AssertionError(f"{paper_id} is not listed")


def list_text(main: MainScreen) -> str:
    pl = main.paper_list
    return "\n".join("".join(s.text for s in pl.render_line(y)) for y in range(pl.size.height))


async def test_the_detail_lists_linked_repos_from_the_hub_and_L_opens_one(
    filled: Store, corpus: Corpus, hub: FakeHub, no_child_sync: None
) -> None:
    ids = [str(it["paper"]["id"]) for it in corpus.day(LATEST)]
    cited = next(pid for pid in ids if hub.repos(f"/api/arxiv/{pid}/repos")[1]["models"])
    opened: list[str] = []
    app = make_app(filled, offline=False, api_url=hub.url, opened=opened)
    async with app.run_test(size=SIZE) as pilot:
        main = main_of(app)
        await go_to(pilot, main, cited)
        linked = main.query_one(LinkedReposView)
        await wait_for(pilot, lambda: linked.repos is not None and linked.paper_id == cited)
        assert linked.repos is not None
        top = linked.repos.of("model")[0]
        assert top.name in str(linked.render())
        assert f"/api/arxiv/{cited}/repos" in [r.path for r in hub.log]
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, LinksDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert opened == [top.url]


@pytest.mark.parametrize("mode", ["offline", "demo"])
async def test_offline_and_demo_say_not_fetched_and_ask_nothing(
    filled: Store, hub: FakeHub, no_child_sync: None, mode: str
) -> None:
    app = make_app(filled, offline=mode == "offline", demo=mode == "demo", api_url=hub.url)
    async with app.run_test(size=SIZE) as pilot:
        main = main_of(app)
        await pilot.press("j")
        await pilot.pause(0.8)  # longer than the fetch delay
        linked = main.query_one(LinkedReposView)
        assert linked.paper_id is not None
        assert "not fetched (offline)" in str(linked.render())
        await pilot.press("L")
        await pilot.pause()
        assert not isinstance(app.screen, LinksDialog)
    assert not [r for r in hub.log if r.path.endswith("/repos")]


async def test_a_phrase_in_a_stored_full_text_is_found_and_shown(
    filled: Store, corpus: Corpus
) -> None:
    pid = str(corpus.day(LATEST)[3]["paper"]["id"])
    save_fulltext(filled, pid, BODY)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        main = main_of(app)
        await pilot.press("slash", *"origami lantern", "enter")
        await wait_for(pilot, lambda: main.list_pane.settled and main.paper_list.count == 1)
        row = main.paper_list.current
        assert row is not None and row.id == pid
        match = main.query_one(BodyMatchView)
        await wait_for(pilot, lambda: match.hit is not None)
        shown = str(match.render())
        assert match.display and "In the full text" in shown and "Method" in shown
        assert "origami lantern folds [b]attention[/b]" in shown  # literal, not markup


async def test_a_word_in_a_note_finds_the_paper(filled: Store, corpus: Corpus) -> None:
    pid = str(corpus.day(LATEST)[5]["paper"]["id"])
    service.set_note(filled, pid, "compare with the capybara baseline")
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        main = main_of(app)
        await pilot.press("slash", *"capybara", "enter")
        await wait_for(pilot, lambda: main.list_pane.settled and main.paper_list.count == 1)
        row = main.paper_list.current
        assert row is not None and row.id == pid
        assert not main.query_one(BodyMatchView).display


async def test_list_rows_show_reading_progress(filled: Store, corpus: Corpus) -> None:
    pid = str(corpus.day(LATEST)[0]["paper"]["id"])
    save_fulltext(filled, pid, BODY)
    save_position(filled, pid, Position(2, 0), 37.0)
    app = make_app(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = list_text(main_of(app))
        assert shown.count("37%") == 1


async def test_trending_order_from_the_stored_ranking(filled: Store, corpus: Corpus) -> None:
    papers = papers_from(corpus.day(LATEST))
    ranked = [papers[4], papers[0], papers[9]]
    save_trending(filled, ranked)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        main = main_of(app)
        while main.listing.filter.sort != "trending":
            await pilot.press("s")
        await pilot.pause()
        assert "Trending" in main.list_pane.summary()
        listed = [main.paper_list.row_at(i) for i in range(main.paper_list.count)]
        assert [row.id for row in listed if row] == [p.id for p in ranked]


async def test_a_good_sync_stores_the_trending_ranking(
    filled: Store, hub: FakeHub, no_child_sync: None
) -> None:
    app = make_app(filled, offline=False, api_url=hub.url)
    async with app.run_test(size=SIZE) as pilot:
        main = main_of(app)
        main.list_pane.show(PaperFilter(sort="trending"))
        assert main.paper_list.count == 0
        app._sync_ended(SyncReport(periods_failed={"2026-11": "down"}))
        assert not [w for w in app.workers if w.group == "after-sync"]  # not followed up
        app._sync_ended(SyncReport())
        assert [w for w in app.workers if w.group == "after-sync"]
        await wait_for(pilot, lambda: main.paper_list.count > 0)
        assert len(trending_ranks(filled)) == main.paper_list.count


async def test_holding_j_fetches_only_the_paper_the_cursor_rests_on(
    filled: Store, hub: FakeHub, no_child_sync: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long rest, so a loaded machine's pause between two presses is not taken for one.
    monkeypatch.setattr("paperreader.ui.widgets.linked_repos.FETCH_DELAY", 3.0)
    app = make_app(filled, offline=False, api_url=hub.url)
    async with app.run_test(size=SIZE) as pilot:
        main = main_of(app)
        await pilot.press(*"jjjjjj")
        row = main.paper_list.current
        assert row is not None
        linked = main.query_one(LinkedReposView)
        await wait_for(pilot, lambda: linked.paper_id == row.id and linked.repos is not None)
        assert [r.path for r in hub.log if r.path.endswith("/repos")] == [
            f"/api/arxiv/{row.id}/repos"
        ]
