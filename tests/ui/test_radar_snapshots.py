"""SVG snapshots of the radar in the reader: the "For you" view, watches in the filter pane."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from paperreader.core import clock
from paperreader.core.radar.watch import Watch
from paperreader.core.store import Store
from paperreader.core.store import radar as sql
from paperreader.core.views import VIEWS
from tests.support.app import demo_store, make_app
from tests.ui.test_snapshots import DAY, keys


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, DAY.isoformat())


@pytest.fixture
def demo(tmp_path: Path) -> Store:
    return demo_store(tmp_path / "demo.db", today=DAY)


def test_for_you_view(snap_compare: Any, demo: Store) -> None:
    """v to "For you": unread papers like the favourites, best first, and why."""
    app = make_app(demo, demo=True, today=DAY)
    presses = ["v"] * VIEWS.index("foryou")
    assert snap_compare(app, terminal_size=(120, 40), run_before=keys(*presses, "j"))


def test_filter_pane_with_watches(snap_compare: Any, demo: Store) -> None:
    """Watches under the views, numbered, with their new-match counts."""
    stamp = "2026-11-25T12:00:00Z"
    sql.ensure_schema(demo)
    newest = sql.newest_first_seen(demo)
    sql.insert_watch(demo, Watch("diffusion", created=stamp, search="diffusion"))
    sql.insert_watch(demo, Watch("robots", created=stamp, search="robot", last_opened=newest))
    app = make_app(demo, demo=True, today=DAY)
    assert snap_compare(app, terminal_size=(200, 60), run_before=keys())
