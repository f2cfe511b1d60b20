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
from paperreader.core.demo import fill_demo_store
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


def english_paper(title: str, seed: int = 4) -> str:
    """A whole paper in Markdown whose every paragraph is the demo corpus's English (the
    benchmarks' sample paper is made of invented words: fine for timing, not for a picture)."""
    import random

    from paperreader.core.corpus.prose import write
    from paperreader.core.corpus.topics import TOPICS

    rng = random.Random(seed)
    topic = TOPICS[seed % len(TOPICS)]

    def paragraph() -> str:
        return write(rng, topic, None, rng.randint(90, 140)).summary

    sections = ["Introduction", "Related Work", "Method", "Experiments", "Analysis", "Conclusion"]
    out = [f"# {title}", "", "## Abstract", "", paragraph(), ""]
    for number, section in enumerate(sections, 1):
        out += [f"## {number} {section}", ""]
        for _ in range(rng.randint(2, 4)):
            out += [paragraph(), ""]
        if section == "Experiments":
            out += [
                "| Method | Accuracy | Memory (GB) |",
                "|---|---:|---:|",
                "| Baseline | 71.2 | 24.1 |",
                "| Ours | **76.8** | 11.3 |",
                "",
                "Accuracy improves with the attention budget ($k = 0.25 n$), see Table 1.",
                "",
            ]
    out += [
        "## References",
        "",
        "1. A. Author. An earlier method. arXiv, 2025. https://arxiv.org/abs/2501.00001",
        "",
    ]
    return "\n".join(out)


def prepare(store: Store, name: str) -> None:
    """What a shot needs beyond the demo store, done through the same core calls the keys
    make (typing a whole paper or three stars' worth of keys would not make it clearer)."""
    from paperreader.core.models import PaperFilter
    from paperreader.core.radar import session
    from paperreader.core.statesync import service
    from paperreader.core.store.fulltext import save_fulltext

    rows = store.query_rows(PaperFilter(), limit=40)
    if name.startswith("reading"):
        save_fulltext(store, rows[0].id, english_paper(rows[0].title))
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
