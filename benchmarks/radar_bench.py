"""Time the radar service on a real store of ~100,000 papers.

    python benchmarks/radar_bench.py [--papers N] [--json PATH]

The store is ``benchmarks/generate.py``'s cached synthetic store. Three favourites
are drawn from one topic and a third of the papers are marked read. Reported: the
first "For you" (newest ``FIRST_BUILD`` papers indexed), the rest of the build (in
steps, no ranking between), refreshes (catch up, rank, store) with nothing new and
after a sync of 200 new papers, the same in a new process (index read from its file),
opening the view (``for_you_rows``: one query), and memory: the process's resident
size before and with the index, and its peak. Precision@20 of the stored ranking is
checked against the corpus' topics.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import cached_store

from paperreader.core.corpus import Corpus, paper_topics, parse_paper_id
from paperreader.core.models import Paper
from paperreader.core.radar import service
from paperreader.core.store import Store
from paperreader.core.store import radar as sql

SEED = 11  # generate.build's seed


def rss_mb() -> float:
    """The process's resident set size now, in MiB (Linux)."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def peak_mb() -> float:
    """The process's peak resident set size so far, in MiB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall s, CPU s, result) of one call."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def topic(pid: str) -> str:
    parsed = parse_paper_id(pid)
    return paper_topics(*parsed, seed=SEED)[0] if parsed else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="radar-bench-"))
    os.environ["PAPERREADER_HOME"] = str(work / "home")
    t0 = time.perf_counter()
    db = cached_store(args.papers, work / "papers.db")
    print(f"store of {args.papers} papers ready in {time.perf_counter() - t0:.0f}s", flush=True)
    result: dict[str, Any] = {"papers": args.papers}
    with Store(db) as store:
        sql.ensure_schema(store)
        rng = random.Random(3)
        pages = sql.paper_text_pages(store, below=1 << 62)
        docs = [doc for page in pages for doc in page]
        chosen = [d.id for d in docs if topic(d.id) == "diffusion"]
        for pid in rng.sample(chosen, 3):
            store.set_favourite(pid, True)
        store.set_read([d.id for d in rng.sample(docs, len(docs) // 3)])
        del docs, pages
        result["rss_before_mb"] = rss_mb()

        wall, cpu, first = timed(lambda: service.refresh(store, max_new=service.FIRST_BUILD))
        result |= {"first_for_you_s": round(wall, 2), "first_for_you_cpu_s": round(cpu, 2)}
        result["first_for_you_papers"] = first.papers
        wall, cpu, steps = timed(lambda: _complete(store))
        result |= {"rest_of_build_s": round(wall, 2), "rest_of_build_cpu_s": round(cpu, 2)}
        result["build_steps"] = steps
        for name, sync in (
            ("refresh_unchanged", None),
            ("refresh_after_sync", 0),
            ("new_process_refresh_after_sync", 1),
        ):
            if sync is not None:
                _sync_day(store, sync, forget=sync == 1)
            wall, cpu, done = timed(lambda: service.refresh(store))
            assert done.complete, done
            result[f"{name}_added"] = done.added
            result[f"{name}_s"], result[f"{name}_cpu_s"] = round(wall, 2), round(cpu, 2)
        opens = [timed(lambda: service.for_you_rows(store))[0] for _ in range(5)]
        rows = service.for_you_rows(store)
        result["open_view_ms"] = round(min(opens) * 1000, 1)
        result["stored_rows"] = len(rows)
        result["precision_at_20"] = sum(topic(r.paper_id) == "diffusion" for r in rows[:20]) / 20
        result["example_reason"] = rows[0].reason if rows else ""
        index = service.update_index(store).index
        result["rss_with_index_mb"] = rss_mb()
        result["index_file_mb"] = round(service.index_path(store).stat().st_size / 2**20, 1)
        result["index_terms"] = len(index.names)
        result["peak_rss_mb"] = peak_mb()
    for key, value in result.items():
        print(f"{key:28s} {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    ok = result["refresh_after_sync_s"] <= 2.0 and result["open_view_ms"] <= 50
    print("within targets" if ok else "OVER TARGET", file=sys.stderr)
    return 0 if ok else 1


def _complete(store: Store) -> int:
    """Index the rest, a step at a time as the reader would (without ranking between)."""
    steps = 0
    while not service.update_index(store, max_new=service.FIRST_BUILD).complete:
        steps += 1
    return steps + 1


def _sync_day(store: Store, n: int, *, forget: bool = False) -> None:
    """200 new papers, stored as a sync would (one stamp); ``forget``: drop the resident
    index, as a new process would start without it."""
    if forget:
        service.forget()
    day = dt.date(2026, 7, 1) + dt.timedelta(days=30 * n)
    corpus = Corpus(day, day + dt.timedelta(days=14), seed=99 + n, per_day=40)
    papers = [Paper.from_api(item) for item in corpus.all_items()[:200]]
    with store.write():
        store.upsert_papers(papers, now=f"2026-0{8 + n}-16T06:00:00Z")


if __name__ == "__main__":
    sys.exit(main())
