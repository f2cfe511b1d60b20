"""The five bugs issue 11 lists first, each pinned by a test that failed before its fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Input

from paperreader.core.models import Paper, PaperFilter
from paperreader.core.store import Store
from tests.support.app import LATEST, make_app, marks_saved
from tests.ui.morning import DAY_SIZE, morning_store, shows_whole


@pytest.fixture
def morning(tmp_path: Path) -> Store:
    return morning_store(tmp_path / "morning.db", LATEST)


def visible_text(widget) -> list[str]:  # type: ignore[no-untyped-def]
    """The widget's lines as drawn on screen."""
    return ["".join(seg.text for seg in widget.render_line(y)) for y in range(widget.size.height)]


async def test_done_next_after_opening_never_unreads(morning: Store) -> None:
    """Bug 1: enter marked the paper read, then `r` (done, next) turned it back to unread."""
    app = make_app(morning)
    async with app.run_test(size=(120, 40)) as pilot:
        pl = app.main_screen.paper_list
        row = pl.current
        assert row is not None and not row.read
        await pilot.press("enter")
        await marks_saved(pilot, app)
        assert morning.state(row.id)[0] is True
        await pilot.press("escape", "r")
        await marks_saved(pilot, app)
        assert morning.state(row.id)[0] is True  # still read
        assert pl.current is not None and pl.current.id != row.id  # and moved on
        await pilot.press("r", "r")
        await marks_saved(pilot, app)
        assert all(morning.state(pl.row_at(i).id)[0] for i in range(3))  # type: ignore[union-attr]


async def test_detail_pane_takes_the_keys_and_the_room(tmp_path: Path) -> None:
    """Bug 2: with the detail focused j/k/space did nothing; at 120 columns enter gave it 31."""
    store = Store(tmp_path / "long.db")
    long = " ".join(f"sentence{i} about invented lanterns." for i in range(400))
    with store.write():
        store.upsert_papers(
            [Paper(id="2611.00042", title="Lanterns", summary=long, daily_date="2026-11-20")]
        )
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.main_screen.detail
        await pilot.press("enter")
        await pilot.pause()
        assert detail.has_focus
        assert detail.size.width >= 100
        await pilot.press("j", "j")
        assert detail.scroll_y == 2
        await pilot.press("k")
        assert detail.scroll_y == 1
        await pilot.press("space")
        assert detail.scroll_y >= detail.size.height - 1


async def test_the_120x40_layout_reads(morning: Store, tmp_path: Path) -> None:
    """Bug 3: titles got 36 columns, abstracts scrolled, no day separators, no year."""
    with morning.write():  # one paper from last year: the list spans years
        morning.upsert_papers(
            [Paper(id="2511.00001", title="An old one", daily_date=f"{LATEST.year - 1}-11-02")]
        )
    app = make_app(morning)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        pl = screen.paper_list
        await pilot.pause(0.2)
        lines = visible_text(pl)
        assert any(f"{DAY_SIZE} papers" in line for line in lines)  # a day separator row
        for _ in range(DAY_SIZE):  # every abstract of the day shows whole, without scrolling
            row = pl.current
            assert row is not None
            await pilot.pause(0.1)
            assert screen.detail.record is not None and screen.detail.record.paper.id == row.id
            paper = morning.get(row.id).paper  # type: ignore[union-attr]
            assert shows_whole(screen.detail, paper.summary)
            title = paper.title
            # Two titles may share their first 20 characters: the row is whichever shows more.
            shown = [line for line in visible_text(pl) if title[:20] in line]
            assert any(title[:70] in line or title in line for line in shown)  # 70 columns
            await pilot.press("j")
        await pilot.press("s")  # most upvoted: no separators, so rows carry dates
        await pilot.pause(0.1)
        assert any(f"{LATEST.year}-" in line for line in visible_text(pl))


async def test_every_filter_control_is_on_the_keyboard(morning: Store) -> None:
    """Bug 4: tab skipped dates, upvotes and keywords; a digit typed there switched views."""
    app = make_app(morning)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.main_screen
        await pilot.pause(0.2)
        if screen.filters.has_class("-hidden") or not screen.show_filters:
            await pilot.press("F")
        else:
            await pilot.press("shift+tab")
        visited = []
        for _ in range(8):
            focused = app.focused
            if focused is not None and focused.id:
                visited.append(focused.id)
            await pilot.press("tab")
        assert {"views", "sort", "since", "until", "min-upvotes", "keywords"} <= set(visited)
        upvotes = screen.query_one("#min-upvotes", Input)
        upvotes.focus()
        await pilot.press("7", "enter")
        await pilot.pause(0.1)
        assert upvotes.value == "7"
        assert screen.listing.filter.view == "all"
        assert screen.listing.filter.min_upvotes == 7


async def test_marking_the_day_read_is_one_key_reported_and_undoable(morning: Store) -> None:
    """Bug 5: marking the day read took 5 keys, said nothing and could not be undone."""
    before = {r.id: r.read for r in morning.query_rows(PaperFilter())}
    app = make_app(morning)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("D")
        await marks_saved(pilot, app)
        day = [r for r in morning.query_rows(PaperFilter()) if r.daily_date == LATEST.isoformat()]
        assert len(day) == DAY_SIZE and all(r.read for r in day)
        assert f"{DAY_SIZE} marked read" in app.main_screen.status.note
        assert "u to undo" in app.main_screen.status.note
        await pilot.press("u")
        await marks_saved(pilot, app)
        assert {r.id: r.read for r in morning.query_rows(PaperFilter())} == before
        assert "undone" in app.main_screen.status.note
    assert dt.date.fromisoformat(day[0].daily_date or "") == LATEST
