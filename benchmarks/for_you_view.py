"""The "For you" figures of ``run.py``: the ranking refreshed off the UI thread, and the
view opened (key → painted) with the ranking stored.

    python benchmarks/run.py --only for-you [--papers N]

``for_you_refresh_ms_{label}``: a refresh (index caught up, ranked, stored) as the
reader's worker runs it, after the one-off first build of the index (timed apart as
``for_you_first_build_s_{label}``). ``for_you_open_ms_{label}``: from the ``v`` key that
switches to "For you" to the first frame that shows it, the same measure as the other
key-to-paint figures.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path
from typing import Any

from paperreader.core.models import PaperFilter
from paperreader.core.radar import session
from paperreader.core.store import Store
from paperreader.core.views import VIEWS

#: Papers starred before ranking (spread over the newest 2,000, so the ranking has a taste).
FAVOURITES = 5


def _star(db: Path) -> None:
    with Store(db) as store:
        rids = list(store.query_rids(PaperFilter()))[:2000:400][:FAVOURITES]
        for row in store.rows(rids).values():
            store.set_favourite(row.id, True)


def refresh_figures(db: Path, label: str) -> dict[str, Any]:
    """Time the first build, then a refresh after a day's worth of writes."""
    _star(db)
    with Store(db) as store:
        started = time.perf_counter()
        session.refresh(store)
        first = time.perf_counter() - started
        newest = store.rows(list(store.query_rids(PaperFilter()))[:1])
        for row in newest.values():  # one more star: the ranking is stale again
            store.set_favourite(row.id, True)
        started = time.perf_counter()
        session.refresh(store)
        again = time.perf_counter() - started
    return {
        f"for_you_first_build_s_{label}": round(first, 2),
        f"for_you_refresh_ms_{label}": round(again * 1000, 1),
    }


async def open_view(db: Path, reps: int) -> list[float]:
    """Key → painted for the ``v`` that opens "For you" (the ranking already stored)."""
    from run import make_app, send_key, until_painted

    app, store = make_app(db, offline=True)
    before = VIEWS[VIEWS.index("foryou") - 1]
    lat: list[float] = []
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen: Any = app.main_screen
        for _ in range(reps):
            screen.action_view(before)
            await pilot.pause()
            await asyncio.sleep(0.05)
            lat.append(
                await until_painted(
                    app,
                    send_key(app, "v"),
                    ready=lambda: screen.listing.filter.view == "foryou",
                )
            )
            assert screen.paper_list.count > 0, "For you is empty: nothing was ranked"
            await app.workers.wait_for_complete()
    store.close()
    return lat


def figures(db: Path, label: str, reps: int) -> dict[str, Any]:
    """Every "For you" figure for the store ``db``."""
    out = refresh_figures(db, label)
    lat = asyncio.run(open_view(db, reps))
    out[f"for_you_open_ms_{label}"] = round(statistics.median(lat), 2)
    out[f"for_you_open_max_ms_{label}"] = round(max(lat), 2)
    return out
