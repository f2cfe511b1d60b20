"""SVG snapshot of the detail pane showing the reader's tags and note (plain text, no markup)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from paperreader.core import clock
from paperreader.core.models import PaperFilter
from paperreader.core.statesync import service
from tests.support.app import demo_store, make_app

#: Screens show dates, so the snapshot is taken on one fixed day whatever the suite is pinned to.
DAY = dt.date(2026, 11, 25)
NOTE = (
    "Compare with the **baseline** in section 4.\n"
    "[bold]not markup[/] — shown as typed\n"
    "- ask about the data set"
)


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, DAY.isoformat())


async def _settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.2)
    await pilot.wait_for_scheduled_animations()


def test_detail_with_a_note_and_tags(snap_compare: Any, tmp_path: Path) -> None:
    store = demo_store(tmp_path / "demo.db", today=DAY)
    top = store.paper_ids([store.query_rids(PaperFilter(), today=DAY)[0]])[0]
    service.set_note(store, top, NOTE)
    service.change_tags(store, [top], ["to-read", "baselines"])
    app = make_app(store, demo=True, today=DAY)
    assert snap_compare(app, terminal_size=(160, 45), run_before=_settle)
