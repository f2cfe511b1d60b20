"""SVG snapshots of the screens (pytest-textual-snapshot), on a fixed synthetic store.

Review changes with the HTML report before accepting them with --snapshot-update.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from paperreader.core import clock
from paperreader.core.models import Paper
from paperreader.core.store import Store
from tests.support.app import demo_store, hostile_paper, make_app

#: Screens show dates, so snapshots are taken on one fixed day whatever the suite is pinned to.
DAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, DAY.isoformat())


@pytest.fixture
def demo(tmp_path: Path) -> Store:
    return demo_store(tmp_path / "demo.db", today=DAY)


def keys(*names: str) -> Any:
    """Press keys, then let timers (detail pane, background queries) settle."""

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        for name in names:
            await pilot.press(name)
        # Deferred work (filter controls, facets, the detail after its pause) can start more
        # work: settle a few rounds, so a busy machine takes the same picture as an idle one.
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause(0.2)
        await pilot.wait_for_scheduled_animations()

    return run_before


@pytest.mark.parametrize(
    "size",
    [(80, 24), (100, 30), (120, 40), (160, 45), (200, 60)],
    ids=lambda s: "x".join(map(str, s)),
)
def test_main_layout(snap_compare: Any, demo: Store, size: tuple[int, int]) -> None:
    """Every layout from 80x24 to 200x60: stacked below 150 columns, side by side above."""
    app = make_app(demo, demo=True, today=DAY)
    assert snap_compare(app, terminal_size=size, run_before=keys("j", "j", "f"))


def test_detail_full_screen_at_120x40(snap_compare: Any, demo: Store) -> None:
    """enter gives the paper the whole screen in stacked layouts."""
    app = make_app(demo, demo=True, today=DAY)
    assert snap_compare(app, terminal_size=(120, 40), run_before=keys("j", "enter"))


def test_day_marked_read_and_reported(snap_compare: Any, demo: Store) -> None:
    """D marks the day read; the status line says how many and how to undo."""
    app = make_app(demo, demo=True, today=DAY)
    assert snap_compare(app, terminal_size=(120, 40), run_before=keys("3", "j", "D"))


def test_filters_unfolded_at_120x40(snap_compare: Any, demo: Store) -> None:
    """F brings the filter pane back where it is folded away."""
    app = make_app(demo, demo=True, today=DAY)
    assert snap_compare(app, terminal_size=(120, 40), run_before=keys("F"))


def test_help_screen(snap_compare: Any, demo: Store) -> None:
    app = make_app(demo, demo=True, today=DAY)
    assert snap_compare(app, terminal_size=(120, 40), run_before=keys("question_mark"))


def test_detail_with_long_abstract(snap_compare: Any, tmp_path: Path) -> None:
    store = Store(tmp_path / "long.db")
    paragraph = " ".join(f"sentence{i} about invented lanterns." for i in range(120))
    paper = Paper(
        id="2611.00042",
        title="A Very Long Title About Folding Lanterns That Keeps Going Well Past The Width "
        "Of Any Reasonable Terminal Pane",
        summary=f"{paragraph}\n\n{paragraph}",
        authors=tuple(f"Author{i} Example" for i in range(40)),
        daily_date=DAY.isoformat(),
        published="2026-11-20",
        upvotes=321,
        comments=12,
        github_repo="https://github.com/example-lab/lanterns",
        github_stars=88,
        project_page="https://example.org/lanterns",
        ai_summary="An invented summary.",
        ai_keywords=("lanterns", "folding"),
        organization="Example Lab",
    )
    with store.write():
        store.upsert_papers([paper])
    assert snap_compare(make_app(store, today=DAY), terminal_size=(120, 40), run_before=keys())


def test_empty_store(snap_compare: Any, tmp_path: Path) -> None:
    app = make_app(Store(tmp_path / "empty.db"), today=DAY)
    assert snap_compare(app, terminal_size=(120, 40), run_before=keys())


def test_hostile_text_rendered_literally(snap_compare: Any, tmp_path: Path) -> None:
    store = Store(tmp_path / "hostile.db")
    with store.write():
        store.upsert_papers([hostile_paper(day=DAY)])
    assert snap_compare(make_app(store, today=DAY), terminal_size=(120, 24), run_before=keys())
