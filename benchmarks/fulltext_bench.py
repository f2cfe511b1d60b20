"""Full-text reading view: open and scroll latency against Textual's Markdown widget.

    python benchmarks/fulltext_bench.py [--quick] [--json PATH]

Everything runs in one process and one headless 120x40 app, interleaved, so the
ratios compare like with like on a noisy shared machine:

* open: from the moment the widget is mounted (the paper given as Markdown text,
  nothing parsed yet) to the first compositor update that shows its text;
* open from the store: the same, but from pushing the ReadingScreen (what the
  key in the list does): the stored paper is read, decompressed, parsed and painted;
* the same for Textual's ``Markdown`` widget: first update showing any of its
  blocks (generous to it), and also until it has mounted every block;
* keys: from a key event handed to the driver to the next compositor update
  (Pilot's press() waits ~80 ms by itself and cannot time this), in a 40k-word
  paper, starting right after it opened (so background layout is running);
  and the same keys on the cheapest possible line-API widget (the floor).

Wall-clock figures are what a user waits; the ``cpu_`` figures (process CPU time
over the same intervals) show how much of that is this process's own work when
other jobs share the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from paint_timing import PaintTimed, last_cpu, pct, send_key, until_painted
from rich.segment import Segment
from textual.app import App
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Markdown

from paperreader.core.fulltext.sample_doc import make_paper
from paperreader.core.store import Store
from paperreader.core.store.fulltext import save_fulltext
from paperreader.ui.screens.reading import ReadingScreen
from paperreader.ui.widgets.reading_view import ReadingView

GOALS: dict[str, tuple[str, float]] = {
    "fulltext_open_ms_12k": ("<=", 150.0),
    "fulltext_open_ms_12k_from_store": ("<=", 150.0),
    "fulltext_speedup_vs_markdown_widget": (">=", 5.0),
    "fulltext_open_ratio_40k_vs_12k": ("<=", 1.3),
    "fulltext_key_p95_ms": ("<=", 16.0),
}
SIZE = (120, 40)
#: Seconds between one timed open and the next (three frames at Textual's 60 fps).
SETTLE = 0.05


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class BenchApp(PaintTimed, App[None]):
    """A bare app noting the first paint at which ``ready()`` holds (``paint_timing``)."""


async def until(app: BenchApp, action: Callable[[], object], ready: Callable[[], bool]) -> float:
    """Milliseconds from ``action()`` to the first update where ``ready()`` is true."""
    return await until_painted(app, action, limit=30, ready=ready)


def _shown(widget: Markdown) -> bool:
    return any(child.region.height > 0 for child in widget.children)


async def open_reader(app: BenchApp, text: str) -> tuple[float, ReadingView]:
    """Milliseconds from creating the widget (with the raw Markdown) to its first paint."""
    made: list[ReadingView] = []

    def start() -> None:
        made.append(ReadingView(text))
        app.mount(made[0])

    ms = await until(app, start, lambda: bool(made) and made[0].painted)
    return ms, made[0]


async def open_screen(app: BenchApp, store: Store, paper_id: str) -> float:
    """Milliseconds from pushing the ReadingScreen of a stored paper to its first paint."""
    made: list[ReadingScreen] = []

    def start() -> None:
        made.append(ReadingScreen(store, paper_id, None, True))
        app.push_screen(made[0])

    def shown() -> bool:
        view = made[0].view if made else None
        return view is not None and view.painted

    ms = await until(app, start, shown)
    await app.pop_screen()
    return ms


class TimedMarkdown(Markdown):
    """Textual's Markdown widget, noting when it has mounted every block."""

    done_at: float | None = None

    def on_markdown_table_of_contents_updated(self, _: Markdown.TableOfContentsUpdated) -> None:
        self.done_at = time.perf_counter()


async def open_markdown(app: BenchApp, text: str) -> tuple[float, float]:
    """(first blocks shown, every block mounted) in ms for Textual's Markdown widget."""
    view = TimedMarkdown(text)
    t0 = time.perf_counter()
    first = await until(app, lambda: app.mount(view), lambda: _shown(view))
    while view.done_at is None and time.perf_counter() - t0 < 60:
        await asyncio.sleep(0.005)
    full = ((view.done_at or time.perf_counter()) - t0) * 1000
    await view.remove()
    return first, max(first, full)


class FloorView(ScrollView, can_focus=True):
    """The cheapest line-API widget: same keys, same size, one constant line.

    Its key latency is Textual's own floor on this machine at this moment.
    """

    DEFAULT_CSS = "FloorView { scrollbar-size-vertical: 0; }"
    BINDINGS = [
        Binding("j", "go(1)"),
        Binding("k", "go(-1)"),
        Binding("space", "go(39)"),
        Binding("pageup", "go(-39)"),
    ]

    def on_mount(self) -> None:
        self.virtual_size = Size(self.size.width, 100_000)
        self._strip = Strip([Segment("lorem ipsum dolor sit amet " * 4)])

    def action_go(self, step: int) -> None:
        self.scroll_to(y=self.scroll_y + step, animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        return self._strip


async def key_latency(app: BenchApp, presses: int, cpu: list[float]) -> list[float]:
    lat: list[float] = []
    keys = ["j"] * 20 + ["space"] * 5 + ["k"] * 20 + ["pageup"] * 5
    for i in range(presses):
        lat.append(await until(app, send_key(app, keys[i % len(keys)]), lambda: True))
        cpu.append(last_cpu[0])
        await asyncio.sleep(0.02)
    return lat


async def run(reps: int, presses: int) -> dict[str, Any]:
    papers = {"12k": make_paper(12_000, seed=12), "40k": make_paper(40_000, seed=40)}
    app = BenchApp()
    opens: dict[str, list[float]] = {
        "12k": [],
        "40k": [],
        "md": [],
        "md_full": [],
        "store12k": [],
        "store40k": [],
    }
    cpu: dict[str, list[float]] = {"12k": [], "40k": [], "md": [], "store12k": []}
    folder = tempfile.TemporaryDirectory(prefix="fulltext-bench-")
    store = Store(Path(folder.name) / "papers.db")
    for label, text in papers.items():
        save_fulltext(store, f"2611.{label}", text)
    async with app.run_test(headless=True, size=SIZE) as pilot:
        await pilot.pause()
        for rep in range(reps + 1):  # rep 0 warms imports and caches, and is dropped
            for label in ("12k", "40k"):
                ms, view = await open_reader(app, papers[label])
                spent = last_cpu[0]
                await view.remove()
                # Let the removal's repaint finish: timed back to back, each open also paid
                # for the frame of the one before (40k after 12k: ratios of 1.2 to 1.5 with
                # the same CPU time), which no reader opening a paper waits for.
                await asyncio.sleep(SETTLE)
                if rep:
                    opens[label].append(ms)
                    cpu[label].append(spent)
            for label in ("12k", "40k"):
                ms = await open_screen(app, store, f"2611.{label}")
                await asyncio.sleep(SETTLE)
                if rep:
                    opens[f"store{label}"].append(ms)
                    if label == "12k":
                        cpu["store12k"].append(last_cpu[0])
            first, full = await open_markdown(app, papers["12k"])
            await asyncio.sleep(SETTLE)
            if rep:
                opens["md"].append(first)
                opens["md_full"].append(full)
                cpu["md"].append(last_cpu[0])
            log(f"  rep {rep}: " + ", ".join(f"{k} {v[-1]:.0f}" for k, v in opens.items() if v))
        ms, view = await open_reader(app, papers["40k"])
        view.focus()
        await pilot.pause()
        key_cpu: list[float] = []
        busy = await key_latency(app, presses, key_cpu)
        while not view.text_layout.complete:
            await asyncio.sleep(0.05)
        idle = await key_latency(app, presses, key_cpu)
        await view.remove()
        floor = FloorView()
        await app.mount(floor)
        floor.focus()
        await pilot.pause()
        floor_cpu: list[float] = []
        floor_keys = await key_latency(app, presses, floor_cpu)
    store.close()
    folder.cleanup()
    med = {k: statistics.median(v) for k, v in opens.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    keys = busy + idle
    return {
        "fulltext_open_ms_12k": round(med["12k"], 1),
        "fulltext_open_ms_40k": round(med["40k"], 1),
        "markdown_widget_first_paint_ms_12k": round(med["md"], 1),
        "markdown_widget_full_mount_ms_12k": round(med["md_full"], 1),
        "fulltext_speedup_vs_markdown_widget": round(med["md"] / med["12k"], 1),
        "fulltext_speedup_vs_markdown_full_mount": round(med["md_full"] / med["12k"], 1),
        "fulltext_open_ratio_40k_vs_12k": round(med["40k"] / med["12k"], 3),
        "fulltext_open_ms_12k_from_store": round(med["store12k"], 1),
        "fulltext_open_ms_40k_from_store": round(med["store40k"], 1),
        "fulltext_open_ratio_40k_vs_12k_from_store": round(med["store40k"] / med["store12k"], 3),
        "cpu_fulltext_open_ms_12k_from_store": round(med_cpu["store12k"], 1),
        "fulltext_key_p50_ms": round(statistics.median(keys), 2),
        "fulltext_key_p95_ms": round(pct(keys, 0.95), 2),
        "fulltext_key_p95_ms_while_laying_out": round(pct(busy, 0.95), 2),
        "fulltext_key_p95_ms_idle": round(pct(idle, 0.95), 2),
        "cpu_fulltext_open_ms_12k": round(med_cpu["12k"], 1),
        "cpu_fulltext_open_ms_40k": round(med_cpu["40k"], 1),
        "cpu_fulltext_open_ratio_40k_vs_12k": round(med_cpu["40k"] / med_cpu["12k"], 3),
        "cpu_markdown_widget_first_paint_ms_12k": round(med_cpu["md"], 1),
        "cpu_fulltext_key_p95_ms": round(pct(key_cpu, 0.95), 2),
        "textual_floor_key_p95_ms": round(pct(floor_keys, 0.95), 2),
        "cpu_textual_floor_key_p95_ms": round(pct(floor_cpu, 0.95), 2),
        "fulltext_key_p95_vs_floor": round(pct(keys, 0.95) / pct(floor_keys, 0.95), 2),
    }


def figures(quick: bool = False) -> dict[str, Any]:
    """Every figure of this benchmark (for benchmarks/run.py; goals in ``GOALS``)."""
    return asyncio.run(run(reps=3 if quick else 7, presses=100 if quick else 250))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").strip().splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    started = time.perf_counter()
    results = figures(args.quick)
    results["seconds"] = round(time.perf_counter() - started, 1)
    print("| figure | value | goal |\n|---|---|---|")
    for key, value in results.items():
        goal = GOALS.get(key)
        print(f"| `{key}` | {value} | {f'{goal[0]} {goal[1]}' if goal else ''} |")
    failed = [
        f"{k} = {results[k]} (goal {op} {goal})"
        for k, (op, goal) in GOALS.items()
        if not (results[k] <= goal if op == "<=" else results[k] >= goal)
    ]
    print("\nall goals met" if not failed else "\ngoals missed:\n  " + "\n  ".join(failed))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
