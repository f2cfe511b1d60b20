"""paperreader performance run: ratios against baselines measured in the same run.

    python benchmarks/run.py [--quick] [--json PATH]

Timings on shared machines are noisy, so each figure is either a ratio to a baseline
taken in the same run (a bare Textual app, a one-request-per-day sync loop, the
request floor) or a latency measured inside the app from the key event to the next
compositor update (Pilot's press() waits ~80 ms by itself and cannot time this).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # the fake hub lives in tests/support

import fulltext_bench  # noqa: E402
from generate import cached_store  # noqa: E402
from paint_timing import PaintTimed, pct, send_key, until_painted  # noqa: E402

from paperreader.core import clock  # noqa: E402
from paperreader.core.config import load_settings  # noqa: E402
from paperreader.core.corpus import RARE_TERMS, Corpus  # noqa: E402
from paperreader.core.hf_api import HFClient  # noqa: E402
from paperreader.core.store import Store  # noqa: E402
from paperreader.core.sync import sync  # noqa: E402
from paperreader.ui.app import PaperReaderApp  # noqa: E402
from paperreader.ui.widgets.search_box import SEARCH_DEBOUNCE  # noqa: E402

GOALS: dict[str, tuple[str, float]] = {
    "start_ratio_100k": ("<=", 1.3),
    "key_p95_ms_100k": ("<=", 16.0),
    "key_p95_ms_100k_syncing": ("<=", 16.0),
    "filter_p95_ms_100k": ("<=", 50.0),
    "search_keystroke_p95_ms_100k": ("<=", 50.0),
    "sync_requests_ratio_floor": ("<=", 1.2),
    "sync_speedup_vs_per_day": (">=", 5.0),
    "rss_ratio_100k": ("<=", 1.5),
    "for_you_refresh_ms_100k": ("<=", 2000.0),
    "for_you_open_ms_100k": ("<=", 50.0),
    **fulltext_bench.GOALS,
}
TODAY = dt.date(2026, 11, 25)
#: An invented word from the tail of the synthetic vocabulary (in ~0.1% of abstracts).
RARE_WORD = RARE_TERMS[0]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# -- start-up and memory -------------------------------------------------------------


def probe(kind: str, db: Path | None, pycache: Path) -> dict[str, float]:
    env = {
        **os.environ,
        "PROBE_T0": repr(time.time()),
        "PAPERREADER_HOME": str(db.parent if db else HERE),
        # Bytecode as an installed program has it after its first run (pip compiles on
        # install; an editable install writes it on first import). Without this, a
        # machine with PYTHONDONTWRITEBYTECODE set recompiles our ~100 modules at every
        # start (~0.18 s) while Textual's came precompiled: not what a user waits for.
        "PYTHONPYCACHEPREFIX": str(pycache),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    args = [sys.executable, str(HERE / "probe_start.py"), kind] + ([str(db)] if db else [])
    env["PROBE_T0"] = repr(time.time())
    out = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def startup(dbs: dict[str, Path], reps: int, pycache: Path) -> dict[str, Any]:
    samples: dict[str, list[dict[str, float]]] = {"bare": [], **{k: [] for k in dbs}}
    probe("bare", None, pycache)  # warm the OS file cache and the bytecode for both
    for db in dbs.values():
        probe("app", db, pycache)
    for _ in range(reps):  # interleaved, so drift hits both alike
        samples["bare"].append(probe("bare", None, pycache))
        for label, db in dbs.items():
            samples[label].append(probe("app", db, pycache))
    med = {k: statistics.median(s["start_s"] for s in v) for k, v in samples.items()}
    ready = {k: statistics.median(s["ready_s"] for s in v) for k, v in samples.items()}
    rss = {k: max(s["rss_mb"] for s in v) for k, v in samples.items()}
    out: dict[str, Any] = {
        "start_s_bare": round(med["bare"], 3),
        "rss_mb_bare": round(rss["bare"], 1),
    }
    for label in dbs:
        out[f"start_s_{label}"] = round(med[label], 3)
        out[f"ready_ratio_{label}"] = round(ready[label] / ready["bare"], 3)
        out[f"start_ratio_{label}"] = round(med[label] / med["bare"], 3)
        out[f"rss_mb_{label}"] = round(rss[label], 1)
    out["rss_ratio_100k"] = round(rss["100k"] / rss["bare"], 3)
    return out


# -- in-app latency ------------------------------------------------------------------


class TimedApp(PaintTimed, PaperReaderApp):
    """The reader, noting the first paint after a marked moment (``paint_timing``)."""


def type_char(app: TimedApp, char: str) -> Callable[[], None]:
    """A real key event for ``char``, as a terminal sends it (the Input sees a character)."""
    return send_key(app, "space" if char == " " else char, char)


async def key_latency(app: TimedApp, presses: int) -> list[float]:
    lat: list[float] = []
    for i in range(presses):
        key = "down" if (i // 25) % 2 == 0 else "up"
        lat.append(await until_painted(app, send_key(app, key)))
        await asyncio.sleep(0.02)
    return lat


def make_app(db: Path, **kw: Any) -> tuple[TimedApp, Store]:
    store = Store(db)
    settings = load_settings(db_path=db, sync_interval=0.0, **kw)
    return TimedApp(settings, store, today=lambda: TODAY, opener=lambda _u: None), store


async def idle_keys(db: Path, presses: int) -> list[float]:
    app, store = make_app(db, offline=True)
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        await pilot.pause()
        await asyncio.sleep(0.2)
        lat = await key_latency(app, presses)
    store.close()
    return lat


def hub_process(
    since: dt.date,
    *,
    per_day: int,
    seed: int,
    latency: float,
    extra: tuple[str, ...] = (),
    today: dt.date | None = None,
) -> tuple[Any, str]:
    """A fake hub in its own process: the real API is remote, so serving it must not take
    the GIL from the app being measured. ``today`` pins the hub's clock (its calendar)."""
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        port = probe_socket.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.fakehub",
            "--port",
            str(port),
            "--since",
            since.isoformat(),
            "--per-day",
            str(per_day),
            "--seed",
            str(seed),
            "--latency",
            str(latency),
            "--warm",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=HERE.parent,
        env={**os.environ, **({clock.ENV: today.isoformat()} if today else {})},
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # "fake Hugging Face API on …": it is listening
    return proc, f"http://127.0.0.1:{port}"


async def syncing_keys(db: Path, presses: int) -> tuple[list[float], int]:
    # New papers for the last 60 days (by the real clock, as the sync child uses it):
    # disjoint from the generated history, which ends in mid-2026.
    since = clock.today() - dt.timedelta(days=59)
    hub, url = hub_process(since, per_day=120, seed=23, latency=0.15)
    try:
        app, store = make_app(db, offline=False, api_url=url, initial_days=60, concurrency=2)
        async with app.run_test(headless=True, size=(120, 40)) as pilot:
            await pilot.pause()
            while not app.syncing:
                await asyncio.sleep(0.01)
            lat = await key_latency(app, presses)
            still = app.syncing
            # Not workers.wait_for_complete(): workers cancelled by the keys (the detail's
            # Hub fetch for a paper the cursor left) would raise there.
            while app.syncing:
                await asyncio.sleep(0.05)
        stored = store.count()
        store.close()
    finally:
        hub.terminate()
        hub.wait(timeout=30)
    if not still:
        log("  warning: the sync finished before the key presses did")
    return lat, stored


async def filter_latency(db: Path, reps: int) -> dict[str, list[float]]:
    terms = {
        "common": ["model", "framework", "training"],
        "rare": ["honesty", RARE_WORD, "robotics planning"],
        "prefix": ["mod", "diff", "trans", "ho"],
    }
    app, store = make_app(db, offline=True)
    out: dict[str, list[float]] = {k: [] for k in terms}
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.main_screen.list_pane
        for _ in range(reps):
            for kind, words in terms.items():
                for word in words:
                    out[kind].append(
                        await until_painted(
                            app,
                            lambda w=word: pane.search(w),  # type: ignore[misc]
                            ready=lambda w=word: showing(app) == w,  # type: ignore[misc]
                        )
                    )
                    # Typed searches arrive at most once per debounce interval.
                    await asyncio.sleep(SEARCH_DEBOUNCE)
                    await until_painted(app, lambda: pane.search(""))
                    await asyncio.sleep(SEARCH_DEBOUNCE)
    store.close()
    return out


#: Typed letter by letter; every prefix counts ("m", "mo", …), the short ones included.
SEARCH_WORDS = ["model", "honesty", "diffusion", "robotics planning", RARE_WORD, "transformer"]


def showing(app: TimedApp) -> str:
    """The search text whose results the list shows (a quick preview or the full answer)."""
    screen: Any = app.main_screen
    pane = getattr(screen, "list_pane", None)
    if pane is not None and hasattr(pane, "showing"):
        return str(pane.showing)
    return str(screen.paper_filter.search)  # readers without a preview


async def search_keystrokes(db: Path, reps: int) -> list[float]:
    """From a character typed into the search box (a real key event, debounce included)
    to the first frame that shows results for the text typed so far."""
    app, store = make_app(db, offline=True)
    lat: list[float] = []
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        await pilot.pause()
        send_key(app, "slash")()
        pane = getattr(app.main_screen, "list_pane", None)
        started = time.perf_counter()  # the preview's text loads when the box takes focus
        while pane is not None and pane._recent is None and time.perf_counter() - started < 60:
            await asyncio.sleep(0.05)
        for _ in range(reps):
            for word in SEARCH_WORDS:
                typed = ""
                for char in word:
                    typed += char
                    lat.append(
                        await until_painted(
                            app,
                            type_char(app, char),
                            ready=lambda t=typed: showing(app) == t,  # type: ignore[misc]
                        )
                    )
                    await asyncio.sleep(0.03)
                await until_painted(app, send_key(app, "escape"), ready=lambda: showing(app) == "")
                await app.workers.wait_for_complete()
                await asyncio.sleep(SEARCH_DEBOUNCE)
    store.close()
    return lat


# -- sync requests and wall time ------------------------------------------------------


async def sync_efficiency(months: int, folder: Path) -> dict[str, Any]:
    start = (TODAY.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    papers = Corpus(start, TODAY, seed=31, per_day=38, abstract_words=60).count()
    # A quota far above the real one: this measures request economy, not pacing (the
    # per-day loop for 30 months would really hit HF's 500-per-5-minutes limit). The hub
    # runs in its own process, as HF is remote: in this one, encoding its pages took the
    # GIL from the sync being timed (the sync is CPU-bound, the per-day loop is not).
    proc, url = hub_process(
        start,
        per_day=38,
        seed=31,
        latency=0.08,
        extra=("--abstract-words", "60", "--quota", "100000"),
        today=TODAY,
    )
    try:
        store = Store(folder / "sync.db")
        t0 = time.perf_counter()
        async with HFClient(url) as client:
            report = await sync(store, client, since=start, today=TODAY)
        ours = time.perf_counter() - t0
        assert report.ok and store.count() == papers, (report.summary(), store.count(), papers)
        store.close()

        baseline_store = Store(folder / "per-day.db")
        t0 = time.perf_counter()
        async with HFClient(url) as client:
            day = start
            base_requests = 0
            while day <= TODAY:  # the naive loop: one request per day, in order
                page = await client.daily_papers(date=day.isoformat(), limit=100)
                base_requests += 1
                with baseline_store.write():
                    baseline_store.upsert_papers(page.papers)
                day += dt.timedelta(days=1)
        per_day = time.perf_counter() - t0
        assert baseline_store.count() == papers
        baseline_store.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    floor = math.ceil(papers / 100)
    return {
        "sync_months": months,
        "sync_papers": papers,
        "sync_requests": report.requests,
        "sync_requests_floor": floor,
        "sync_requests_ratio_floor": round(report.requests / floor, 3),
        "sync_seconds": round(ours, 2),
        "per_day_requests": base_requests,
        "per_day_seconds": round(per_day, 2),
        "sync_speedup_vs_per_day": round(per_day / ours, 2),
    }


# -- main -----------------------------------------------------------------------------


def check(results: dict[str, Any]) -> list[str]:
    failed = []
    for key, (op, goal) in GOALS.items():
        value = results[key]
        ok = value <= goal if op == "<=" else value >= goal
        if not ok:
            failed.append(f"{key} = {value} (goal {op} {goal})")
    return failed


def table(results: dict[str, Any]) -> str:
    lines = ["| figure | value | goal |", "|---|---|---|"]
    for key, value in results.items():
        goal = GOALS.get(key)
        lines.append(f"| `{key}` | {value} | {f'{goal[0]} {goal[1]}' if goal else ''} |")
    return "\n".join(lines)


def search_keystroke_figures(db: Path, reps: int) -> dict[str, Any]:
    lat = asyncio.run(search_keystrokes(db, reps))
    return {
        "search_keystroke_p50_ms_100k": round(statistics.median(lat), 2),
        "search_keystroke_p95_ms_100k": round(pct(lat, 0.95), 2),
        "search_keystrokes": len(lat),
    }


def filter_figures(db: Path, quick: bool) -> dict[str, float]:
    filt = asyncio.run(filter_latency(db, 2 if quick else 5))
    every = [v for vs in filt.values() for v in vs]
    results = {f"filter_p95_ms_100k_{kind}": round(pct(v, 0.95), 2) for kind, v in filt.items()}
    results["filter_p50_ms_100k"] = round(statistics.median(every), 2)
    results["filter_p95_ms_100k"] = round(pct(every, 0.95), 2)
    return results


def syncing_figures(db: Path, quick: bool) -> dict[str, float]:
    busy, stored = asyncio.run(syncing_keys(db, 100 if quick else 300))
    return {
        "key_p50_ms_100k_syncing": round(statistics.median(busy), 2),
        "key_p95_ms_100k_syncing": round(pct(busy, 0.95), 2),
        "papers_after_background_sync": stored,
    }


def only_one(part: str, quick: bool) -> int:
    """``--only filter`` or ``--only syncing-keys`` on the 100k store."""
    with tempfile.TemporaryDirectory(prefix="paperreader-bench-") as tmp:
        if part == "filter":
            results = filter_figures(cached_store(100_000, Path(tmp) / "100k.db"), quick)
        else:
            results = syncing_figures(cached_store(100_000, Path(tmp) / "sync100k.db"), quick)
    print(table(results))
    return 0


def only_search_keystroke(quick: bool) -> int:
    with tempfile.TemporaryDirectory(prefix="paperreader-bench-") as tmp:
        db = cached_store(100_000, Path(tmp) / "100k.db")
        results = search_keystroke_figures(db, 1 if quick else 3)
    print(table(results))
    return 0


def only_for_you(papers: int, quick: bool) -> int:
    from for_you_view import figures

    label = f"{papers // 1000}k" if papers >= 1000 else str(papers)
    with tempfile.TemporaryDirectory(prefix="paperreader-bench-") as tmp:
        db = cached_store(papers, Path(tmp) / f"foryou{label}.db")
        results = figures(db, label, 5 if quick else 20)
    print(table(results))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (< 3 min)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--only",
        choices=["search-keystroke", "for-you", "fulltext", "filter", "syncing-keys", "sync"],
        help="run one part of the benchmark only",
    )
    parser.add_argument("--papers", type=int, default=100_000, help="store size for --only for-you")
    args = parser.parse_args()
    quick = args.quick
    if args.only == "search-keystroke":
        return only_search_keystroke(quick)
    if args.only in ("filter", "syncing-keys"):
        return only_one(args.only, quick)
    if args.only == "for-you":
        return only_for_you(args.papers, quick)
    if args.only == "fulltext":
        print(table(fulltext_bench.figures(quick)))
        return 0
    if args.only == "sync":
        with tempfile.TemporaryDirectory(prefix="paperreader-bench-") as tmp:
            figures = asyncio.run(sync_efficiency(12 if quick else 30, Path(tmp)))
        print(table(figures))
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n")
        return 0
    started = time.perf_counter()
    results: dict[str, Any] = {"mode": "quick" if quick else "full"}
    with tempfile.TemporaryDirectory(prefix="paperreader-bench-") as tmp:
        folder = Path(tmp)
        dbs: dict[str, Path] = {}
        for label, n in (("1k", 1_000), ("10k", 10_000), ("100k", 100_000)):
            log(f"store with {n:,} papers (cached after the first run)…")
            dbs[label] = cached_store(n, folder / f"{label}.db")
        results["store_bytes_per_paper"] = round(dbs["100k"].stat().st_size / 100_000)

        log("start-up and memory…")
        results.update(startup(dbs, reps=3 if quick else 7, pycache=folder / "pycache"))

        log("cursor keys, idle…")
        idle = asyncio.run(idle_keys(dbs["100k"], 100 if quick else 300))
        results["key_p50_ms_100k"] = round(statistics.median(idle), 2)
        results["key_p95_ms_100k"] = round(pct(idle, 0.95), 2)

        log("cursor keys while a sync writes…")
        results.update(syncing_figures(cached_store(100_000, folder / "sync100k.db"), quick))

        log("search as you type…")
        results.update(filter_figures(dbs["100k"], quick))

        log("a search typed key by key…")
        results.update(search_keystroke_figures(dbs["100k"], 1 if quick else 3))

        log("For you: refresh off the UI thread, and opening the view…")
        from for_you_view import figures

        results.update(figures(cached_store(100_000, folder / "foryou100k.db"), "100k", 20))
        log("full text: open and scroll against Textual's Markdown widget…")
        results.update(fulltext_bench.figures(quick))

        log("sync requests and wall time vs one request per day…")
        results.update(asyncio.run(sync_efficiency(12 if quick else 30, folder)))
    results["seconds"] = round(time.perf_counter() - started, 1)

    print(table(results))
    failed = check(results)
    print("\nall goals met" if not failed else "\ngoals missed:\n  " + "\n  ".join(failed))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
