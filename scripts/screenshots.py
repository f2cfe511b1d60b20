"""Regenerate the SVGs in screenshots/ from the running app on the demo store.

    python scripts/screenshots.py

Nothing here is drawn by hand: each image is App.save_screenshot() after real key
presses, on the same synthetic store `paperreader --demo` opens.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
from pathlib import Path

from paperreader.core.config import load_settings
from paperreader.core.demo import demo_fulltext, fill_demo_store
from paperreader.core.store import Store
from paperreader.ui.app import PaperReaderApp

OUT = Path(__file__).resolve().parent.parent / "screenshots"
TODAY = dt.date(2026, 11, 25)

SHOTS: list[tuple[str, tuple[int, int], list[str]]] = [
    ("main.svg", (200, 50), ["j", "j", "f", "j"]),
    ("main-120x40.svg", (120, 40), ["j", "j", "f", "3", "j", "D"]),
    ("main-80x24.svg", (80, 24), ["j"]),
    ("search.svg", (120, 36), ["slash", *"honesty", "enter"]),
    ("detail-narrow.svg", (80, 24), ["enter"]),
    ("help.svg", (120, 40), ["question_mark"]),
    # The whole paper: a stored full text (the demo has none), its contents, a find.
    ("reading.svg", (120, 40), ["w", "space", "slash", *"recover", "enter"]),
    ("reading-contents.svg", (100, 30), ["w", "t"]),
    # The radar: three robotics favourites, then the "For you" view ranked from them.
    ("for-you.svg", (120, 40), ["v", "v", "v", "v", "v"]),
    # A note and tags, as the detail and the list show them.
    ("notes.svg", (120, 40), ["j"]),
]


def prepare(store: Store, name: str) -> None:
    """What a shot needs beyond the demo store, done through the same core calls the keys
    make (typing a whole paper or three stars' worth of keys would not make it clearer)."""
    from paperreader.core.models import PaperFilter
    from paperreader.core.radar import session
    from paperreader.core.statesync import service

    rows = store.query_rows(PaperFilter(), limit=40)
    if name.startswith("reading"):
        demo_fulltext(store, rows[0].id)
    elif name == "for-you":
        robots = [r for r in rows if "Embodied" in r.title or "Robot" in r.title][:3]
        service.set_favourite(store, [r.id for r in robots or rows[:3]], True)
        session.refresh(store)
    elif name == "notes":
        paper = rows[1].id
        service.set_note(
            store,
            paper,
            "Compare with our pruning baseline.\n- does the gain hold at 7B?\n- code released",
        )
        service.change_tags(store, [paper, rows[3].id], add=["to-read", "pruning"])


async def shoot(db: Path, name: str, size: tuple[int, int], keys: list[str]) -> None:
    store = Store(db)
    settings = load_settings(db_path=db, offline=True, demo=True)
    app = PaperReaderApp(settings, store, today=lambda: TODAY, opener=lambda _url: None)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause(0.4)
        app.save_screenshot(name, path=str(OUT))
    store.close()


async def main() -> int:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name, size, keys in SHOTS:
            db = Path(folder) / f"{name}.db"
            with Store(db) as store:
                fill_demo_store(store, today=TODAY)
                prepare(store, name.removesuffix(".svg"))
            await shoot(db, name, size, keys)
            print(f"wrote screenshots/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
