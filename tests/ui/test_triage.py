"""The triage keys: counts, paging, bulk marks with undo, honest links, status texts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from paperreader.core.corpus import paper_item
from paperreader.core.models import Paper, PaperFilter, SyncReport
from paperreader.core.store import Store
from tests.support.app import LATEST, demo_store, make_app, marks_saved, wait_for
from tests.ui.morning import DAY_SIZE, morning_store


@pytest.fixture
def morning(tmp_path: Path) -> Store:
    return morning_store(tmp_path / "morning.db", LATEST)


def notes(app: Any) -> list[str]:
    """Record every notification the app shows from now on."""
    shown: list[str] = []
    original = app.notify

    def record(message: str, *args: Any, **kwargs: Any) -> None:
        shown.append(message)
        original(message, *args, **kwargs)

    app.notify = record
    return shown


async def test_counts_move_several_papers_and_pick_a_position(morning: Store) -> None:
    app = make_app(morning)
    async with app.run_test(size=(120, 40)) as pilot:
        pl = app.main_screen.paper_list
        await pilot.press("4", "j")
        assert pl.cursor == 4
        await pilot.press("1", "2", "g")
        assert pl.cursor == 11
        await pilot.press("2", "k", "j")  # a count applies to one move only
        assert pl.cursor == 10
        await pilot.press("G", "g")
        assert pl.cursor == 0
        assert app.main_screen.status.listing.startswith(f"1/{pl.count}")


async def test_space_pages_the_detail_then_moves_on(morning: Store) -> None:
    app = make_app(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        pl, detail = app.main_screen.paper_list, app.main_screen.detail
        await pilot.pause(0.1)
        assert detail.max_scroll_y > 0  # a ~200-word abstract does not fit at 80x24
        pages = 0
        while pl.cursor == 0:
            await pilot.press("space")
            await pilot.pause(0.08)
            pages += 1
            assert pages < 6
        assert pages >= 2 and pl.cursor == 1
        assert detail.scroll_y == 0  # the next paper starts at its top
        assert not any(r.read for r in morning.query_rows(PaperFilter(view="today")))


async def test_undo_takes_back_marks_and_stars_in_order(morning: Store) -> None:
    app = make_app(morning)
    async with app.run_test(size=(120, 40)) as pilot:
        pl = app.main_screen.paper_list
        first = pl.current
        assert first is not None
        await pilot.press("f", "r", "5", "j", "A")  # star, read+next, then all above read
        above = [pl.row_at(i) for i in range(pl.cursor)]
        assert all(r is not None and r.read for r in above)
        assert "marked read (above) — u to undo" in app.main_screen.status.note
        await pilot.press("u")
        await marks_saved(pilot, app)
        assert morning.state(first.id) == (True, True)  # the bulk mark is gone, r's is not
        assert sum(1 for r in morning.query_rows(PaperFilter(view="unread"))) == DAY_SIZE - 1
        await pilot.press("u", "u")
        await marks_saved(pilot, app)
        assert morning.state(first.id) == (False, False)
        await pilot.press("u")
        assert app.main_screen.status.note == "nothing to undo"


async def test_a_link_without_a_browser_says_so_and_c_copies_it(morning: Store) -> None:
    app = make_app(morning)
    app._opener = lambda _url: False  # webbrowser.open found no browser
    shown = notes(app)
    async with app.run_test(size=(120, 40)) as pilot:
        row = app.main_screen.paper_list.current
        assert row is not None
        await pilot.press("o")
        url = f"https://huggingface.co/papers/{row.id}"
        assert any("No browser" in m and url in m and "c to copy" in m for m in shown)
        assert not any(m.startswith("Opened") for m in shown)
        assert morning.state(row.id)[0] is False  # not opened, so not read
        await pilot.press("c")
        assert app.clipboard == url
        assert app.main_screen.status.note == f"copied {url}"


async def test_switching_views_puts_the_cursor_at_the_top(tmp_path: Path) -> None:
    store = demo_store(tmp_path / "demo.db")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        pl = app.main_screen.paper_list
        await pilot.press("2", "6", "g")
        assert pl.cursor == 25 and pl.current is not None and not pl.current.favourite
        await pilot.press("v", "v")  # favourites: the paper at 26 is not one
        assert app.main_screen.listing.filter.view == "favourites"
        assert pl.cursor == 0


async def test_new_papers_above_are_announced_until_g(morning: Store) -> None:
    app = make_app(morning)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        pl = screen.paper_list
        await pilot.press("3", "j")
        keep = pl.current
        newer = LATEST + dt.timedelta(days=1)
        with morning.write():  # a sync lands a newer day meanwhile
            morning.upsert_papers(
                [Paper.from_api(paper_item(newer, i, seed=9, abstract_words=40)) for i in range(7)]
            )
        app.sync_events.publish(SyncReport(new=7))
        banner = screen.query_one("#new-above")
        await wait_for(pilot, lambda: pl.new_above == 7)
        assert pl.current is not None and keep is not None and pl.current.id == keep.id
        assert banner.display and "↑ 7 new — g to see them" in str(banner.render())
        await pilot.press("g")
        assert pl.cursor == 0 and pl.new_above == 0 and not banner.display


async def test_sync_key_in_the_demo_never_mentions_offline(morning: Store) -> None:
    app = make_app(morning, demo=True)
    shown = notes(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("R")
        assert shown and "demo" in shown[-1] and "--offline" not in shown[-1]
        assert not app.syncing


async def test_offline_status_names_the_server_and_the_error(morning: Store) -> None:
    app = make_app(morning, offline=False, api_url="http://127.0.0.1:9", max_attempts=1)
    async with app.run_test(size=(120, 40)) as pilot:
        status = app.main_screen.status
        await wait_for(pilot, lambda: status.sync.startswith("offline"))
        assert "127.0.0.1:9" in status.sync
        assert "Connect" in status.sync or "refused" in status.sync


async def test_space_moves_on_at_once_when_the_whole_abstract_is_on_screen(
    morning: Store,
) -> None:
    app = make_app(morning)
    async with app.run_test(size=(120, 40)) as pilot:
        pl, detail = app.main_screen.paper_list, app.main_screen.detail
        await pilot.pause(0.1)
        assert detail.max_scroll_y > 0  # links and the Hub block lie below the abstract
        assert detail.record is not None
        await pilot.press("space")
        await pilot.pause(0.08)
        assert pl.cursor == 1  # one key: no page spent on the links


async def test_c_copies_the_link_no_browser_could_open(morning: Store) -> None:
    app = make_app(morning)
    app._opener = lambda _url: False  # webbrowser.open found no browser
    async with app.run_test(size=(120, 40)) as pilot:
        row = app.main_screen.paper_list.current
        assert row is not None
        await pilot.press("p", "c")
        assert app.clipboard == f"https://arxiv.org/pdf/{row.id}"
        await pilot.press("j", "c")  # another paper: its own HF page
        other = app.main_screen.paper_list.current
        assert other is not None and app.clipboard == f"https://huggingface.co/papers/{other.id}"


async def test_an_empty_store_says_fetching_while_the_first_sync_runs(tmp_path: Path) -> None:
    store = Store(tmp_path / "empty.db")
    app = make_app(store, offline=False, api_url="http://127.0.0.1:9", max_attempts=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.1)
        body = app.main_screen.detail.query_one("#detail-body")
        assert "fetching the newest papers" in str(body.render())
        assert "Press R" not in str(body.render())
        await wait_for(pilot, lambda: not app.syncing)  # nothing listens on port 9
        await pilot.pause(0.1)
        assert "Press R to sync now" in str(body.render())


def day_papers(day: dt.date, first: int, n: int) -> list[Paper]:
    return [Paper.from_api(paper_item(day, first + i, seed=5, abstract_words=30)) for i in range(n)]


async def test_a_first_sync_fills_an_empty_list_from_the_top(tmp_path: Path) -> None:
    store = Store(tmp_path / "first.db")
    app = make_app(store)
    older, newer = LATEST - dt.timedelta(days=7), LATEST
    async with app.run_test(size=(120, 40)) as pilot:
        pl = app.main_screen.paper_list
        await pilot.pause(0.1)
        assert pl.count == 0
        for day, listed in ((older, 6), (newer, 12)):  # an older page happens to come first
            with store.write():
                store.upsert_papers(day_papers(day, 0, 6))
            app.sync_events.publish(SyncReport(new=6))
            await wait_for(pilot, lambda n=listed: pl.count == n)  # type: ignore[misc]
        assert pl.cursor == 0 and pl.current is not None
        assert pl.current.daily_date == newer.isoformat()  # the newest paper, not the older
        assert pl.new_above == 0
        await pilot.press("j")  # once the reader moves, arrivals no longer move the cursor
        here = pl.current
        with store.write():
            store.upsert_papers(day_papers(newer + dt.timedelta(days=1), 0, 3))
        app.sync_events.publish(SyncReport(new=3))
        await wait_for(pilot, lambda: pl.new_above == 3)
        assert pl.current is not None and here is not None and pl.current.id == here.id


async def test_notifications_show_untrusted_text_literally(morning: Store) -> None:
    app = make_app(morning)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_link("javascript:[b]x[/b][@click=app.quit]y")  # refused: said as written
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any("[b]x[/b][@click=app.quit]y" in m for m in shown)
        assert all(not n.markup for n in app._notifications)
        # A widget's notify (Textual's own passes markup=True) is literal too: a date typed
        # as "[/b]" was read as a closing tag and the reader quit with a MarkupError.
        app.main_screen.filters.notify("[/b] is not a date; [@click=app.quit]ignored[/]")
        await pilot.pause()
        assert any(n.message.startswith("[/b] is not") for n in app._notifications)
        assert all(not n.markup for n in app._notifications)
        assert app.is_running


async def test_the_detail_waits_for_a_run_of_moves_to_stop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paperreader.ui.screens import triage

    clock = [100.0]
    monkeypatch.setattr(triage, "monotonic", lambda: clock[0])
    app = make_app(demo_store(tmp_path / "d.db"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.detail.record is not None)
        delays: list[float] = []
        set_timer = screen.set_timer

        def noted(delay: float, callback: Any) -> Any:
            delays.append(delay)
            return set_timer(delay, callback)

        monkeypatch.setattr(screen, "set_timer", noted)
        clock[0] += 2.0
        await pilot.press("j")  # one move after a rest: the detail follows quickly
        clock[0] += 0.035  # a held key repeats every ~35 ms
        await pilot.press("j")
        clock[0] += 0.035
        await pilot.press("j")
        clock[0] += 2.0  # a rest, then one more move
        await pilot.press("j")
        assert delays == [
            triage.DETAIL_DELAY,
            triage.BURST_DELAY,
            triage.BURST_DELAY,
            triage.DETAIL_DELAY,
        ]
        assert triage.BURST_DELAY > triage.DETAIL_DELAY
        row = screen.paper_list.current
        assert row is not None
        await wait_for(
            pilot,
            lambda: screen.detail.record is not None and (screen.detail.record.paper.id == row.id),
        )
