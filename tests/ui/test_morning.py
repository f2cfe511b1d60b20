"""The daily triage loop, scripted: a 25-paper day read, starred and done in few keys.

Positions are 1-based from the top of the newest day. The reader reads the abstracts at
2, 6, 11, 17 and 23 (each must have been on screen in full), stars 6 and 17, and marks
the whole day read. Every key sent is counted; pauses let timers fire but are not keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from paperreader.core.store import Store
from tests.support.app import LATEST, make_app
from tests.ui.morning import DAY_SIZE, detail_window, morning_store, states

READ = (2, 6, 11, 17, 23)
STARRED = (6, 17)
#: The README's "a morning in N keys" (120x40).
MORNING_120x40 = ["j", "4", "j", "f", "5", "j", "6", "j", "f", "6", "j", "D"]
#: 80x24: the detail below the list is short, so space pages each abstract into view.
MORNING_80x24 = [
    *["j", "space"],
    *["4", "j", "space", "f"],
    *["5", "j", "space"],
    *["6", "j", "space", "f"],
    *["6", "j", "space"],
    "D",
]


class Morning:
    """Drives the reader, counting keys and noting which abstracts were seen whole."""

    def __init__(self, app: Any, pilot: Any, store: Store) -> None:
        self.app, self.pilot, self.store = app, pilot, store
        self.keys: list[str] = []
        self.seen: dict[str, dict[int, str]] = {}

    async def press(self, key: str) -> None:
        self.keys.append(key)
        await self.pilot.press(key)
        await self.pilot.pause(0.08)  # the detail follows the cursor after 40 ms
        detail = self.app.main_screen.detail
        if detail.record is not None:
            self.seen.setdefault(detail.record.paper.id, {}).update(detail_window(detail))

    def read_whole(self, paper_id: str) -> bool:
        lines = self.seen.get(paper_id, {})
        shown = " ".join(" ".join(lines[i] for i in sorted(lines)).split())
        summary = self.store.get(paper_id).paper.summary  # type: ignore[union-attr]
        return " ".join(summary.split()) in shown


@pytest.mark.parametrize(
    ("size", "keys"), [((120, 40), MORNING_120x40), ((80, 24), MORNING_80x24)], ids=str
)
async def test_a_morning_of_triage(tmp_path: Path, size: tuple[int, int], keys: list[str]) -> None:
    store = morning_store(tmp_path / "morning.db", LATEST)
    before = states(store)
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.2)
        pl = app.main_screen.paper_list
        day = [pl.row_at(i) for i in range(DAY_SIZE)]
        assert all(r is not None and r.daily_date == LATEST.isoformat() for r in day)
        ids = [r.id for r in day if r is not None]
        morning = Morning(app, pilot, store)
        for key in keys:
            await morning.press(key)
        for position in READ:
            assert morning.read_whole(ids[position - 1]), f"abstract {position} not seen whole"
        assert "25 marked read" in app.main_screen.status.note
    after = states(store)
    expected = dict(before)
    for i, pid in enumerate(ids, 1):
        expected[pid] = (True, i in STARRED)
    assert after == expected  # 5 read + 20 more, 2 starred, nothing else changed
    assert len(morning.keys) <= 15 if size == (120, 40) else len(morning.keys) <= 20
