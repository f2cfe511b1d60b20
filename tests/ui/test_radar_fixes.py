"""The radar in the reader, as a tester found it (issue 13): the session mark, the
"why" above the detail, leaving a watch."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Label

from paperreader.core.demo import fill_demo_store
from paperreader.core.models import PaperFilter, SyncReport
from paperreader.core.radar import service, session
from paperreader.core.radar.watch import Watch
from paperreader.core.store import Store
from paperreader.core.store import radar as sql
from paperreader.ui.widgets.watch_list import NameDialog, WatchList
from tests.support.app import TODAY, make_app, wait_for
from tests.ui.test_radar import FOR_YOU, _later, _paper, _settle, corpus_store

__all__ = ["corpus_store"]  # the fixture, shared with test_radar


def _reason(screen: object) -> str:
    return str(screen.query_one("#radar-reason").render())  # type: ignore[attr-defined]


async def test_a_sessions_sync_arrivals_are_not_new_next_time_without_a_clean_quit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "new.db")
    fill_demo_store(store, today=TODAY, days=5, per_day=10, seed=3)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot, app)
        # The reader's own auto-sync stores a paper, and the reader applies it.
        with store.write():
            store.upsert_papers([_paper("2611.80003", "Landed live", "c")], now=_later(store))
        app.sync_events.publish(SyncReport(new=1))
        await _settle(pilot, app)
        # Then the terminal closes (SIGHUP): no clean quit moves the mark.
        monkeypatch.setattr(session, "end", lambda store: None)
    monkeypatch.undo()
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot, app)
        assert not app.main_screen.radar.new
        assert not list(store.query_rids(PaperFilter(view="new")))


async def test_for_you_shows_the_reason_at_once_and_again_after_more_like_this(
    corpus_store: Store,
) -> None:
    store = corpus_store
    assert sql.favourite_docs(store)  # the demo has favourites to rank by
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await _settle(pilot, app)
        reasons = {r.rid: r.reason for r in service.for_you_rows(store)}
        # In All, the cursor on a paper For you lists too: entering keeps it there.
        screen.list_pane.load_whole_list()
        top = next(iter(reasons))
        screen.paper_list.move_to(screen.paper_list.rids.index(top))
        await pilot.pause()
        assert _reason(screen) == ""
        screen.action_view("foryou")
        await _settle(pilot, app)
        assert screen.listing.filter.view == "foryou"
        row = screen.paper_list.current
        assert row is not None and row.rid == top and reasons[top]
        # The paper under the cursor says why at once, the cursor never moved.
        assert _reason(screen) == f"♥ {reasons[top]}"
        await pilot.press("M")
        await wait_for(pilot, lambda: bool(screen.radar.temporary))
        # In the similar list, the cursor on a paper For you lists too.
        rids = screen.paper_list.rids
        screen.paper_list.move_to(next(i for i, rid in enumerate(rids) if rid in reasons))
        await pilot.pause()
        assert _reason(screen).startswith("♥ like:") and _reason(screen).endswith(")")
        await pilot.press("escape")
        await _settle(pilot, app)
        assert not screen.radar.temporary
        row = screen.paper_list.current
        assert row is not None
        assert _reason(screen) == f"♥ {reasons[row.rid]}"  # For you's reason, not the list's


async def test_leaving_a_watch_restores_the_filters_from_before_it(corpus_store: Store) -> None:
    store = corpus_store
    sql.ensure_schema(store)
    stamp = "2026-11-25T12:00:00Z"
    sql.insert_watch(store, Watch("popular", created=stamp, search="model", min_upvotes=5))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await _settle(pilot, app)
        before = screen.listing.filter
        if not screen.show_filters:
            await pilot.press("F")
        await wait_for(pilot, lambda: bool(screen.query(WatchList)))
        screen.query_one(WatchList).focus()
        await pilot.press("1")
        await wait_for(pilot, lambda: screen.listing.filter.min_upvotes == 5)
        assert screen.listing.filter.search == "model"
        await pilot.press("escape")
        await _settle(pilot, app)
        assert screen.listing.filter.min_upvotes == 0
        assert screen.listing.filter.search == ""
        assert screen.list_pane.search_box.value == ""
        assert screen.listing.filter.view == before.view
        await pilot.press(*["v"] * FOR_YOU)
        await _settle(pilot, app)
        assert screen.listing.filter.view == "foryou"
        assert "▲≥" not in screen.status.listing


async def test_entering_for_you_and_opening_a_watch_start_on_the_first_row(
    corpus_store: Store,
) -> None:
    store = corpus_store
    sql.ensure_schema(store)
    stamp = "2026-11-25T12:00:00Z"
    sql.insert_watch(store, Watch("popular", created=stamp, search="", min_upvotes=5))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await _settle(pilot, app)
        ranked = [r.rid for r in service.for_you_rows(store)]
        # In All, the cursor on For you's fifth paper: For you still starts at its best.
        screen.list_pane.load_whole_list()
        screen.paper_list.move_to(screen.paper_list.rids.index(ranked[4]))
        screen.action_view("foryou")  # straight from All (as from the filter pane)
        await _settle(pilot, app)
        assert screen.listing.filter.view == "foryou"
        assert screen.paper_list.cursor == 0 and screen.paper_list.rids[0] == ranked[0]
        await pilot.press(*["V"] * FOR_YOU)
        await _settle(pilot, app)
        # Opening a watch with the cursor on its fourth paper: the watch starts at the top.
        if not screen.show_filters:
            await pilot.press("F")
        await wait_for(pilot, lambda: bool(screen.query(WatchList)))
        screen.query_one(WatchList).focus()
        await pilot.press("1")
        await wait_for(pilot, lambda: screen.listing.filter.min_upvotes == 5)
        screen.paper_list.move_to(3)
        await pilot.press("escape")
        await _settle(pilot, app)
        assert screen.listing.filter.min_upvotes == 0 and screen.paper_list.cursor > 0
        screen.query_one(WatchList).focus()
        await pilot.press("1")
        await wait_for(pilot, lambda: screen.listing.filter.min_upvotes == 5)
        await pilot.pause()
        assert screen.paper_list.cursor == 0


async def test_renaming_a_watch_to_a_taken_name_keeps_the_dialog_open(
    corpus_store: Store,
) -> None:
    store = corpus_store
    sql.ensure_schema(store)
    stamp = "2026-11-25T12:00:00Z"
    sql.insert_watch(store, Watch("fish", created=stamp, search="zebrafish"))
    sql.insert_watch(store, Watch("cats", created=stamp, search="cat"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await _settle(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.press(*"Rename watch: fish")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+u", *"cats", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NameDialog)
        error = str(app.screen.query_one("#name-error", Label).render())
        assert "exists already" in error
        await pilot.press("ctrl+u", *"zebras", "enter")
        await _settle(pilot, app)
        assert app.screen is screen
        assert sorted(w.name for w in sql.watches(store)) == ["cats", "zebras"]


async def test_a_search_with_few_local_results_points_to_ctrl_r(corpus_store: Store) -> None:
    store = corpus_store
    with store.write():
        store.upsert_papers([_paper("2611.90009", "Axolotl regeneration", "Axolotls.")])
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await _settle(pilot, app)
        await pilot.press("slash", *"axolotl", "enter")
        await wait_for(pilot, lambda: screen.paper_list.count == 1 and screen.list_pane.settled)
        await pilot.pause()
        assert "ctrl+r searches all of Hugging Face" in screen.status.note
        await pilot.press("slash", "ctrl+u", *"quokkaz", "enter")
        await wait_for(pilot, lambda: screen.listing.filter.search == "quokkaz")
        await pilot.pause()
        hint = str(screen.detail.query_one("#detail-body").render())
        assert "ctrl+r" in hint and "quokkaz" in hint
