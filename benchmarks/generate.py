"""Build a synthetic store of N papers for benchmarks (cached between runs).

Papers are the project's own synthetic Daily Papers (``paperreader.core.corpus``): ~10-word
titles, ~200-word abstracts, 1-50 authors, AI keywords on a third of them and a
long tail of upvotes, spread over about three years of weekdays ending before the
window the sync benchmark fetches, so the two never collide.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

from paperreader.core.corpus import paper_item
from paperreader.core.models import Paper
from paperreader.core.store import Store

CACHE = Path(__file__).resolve().parent / ".cache"
GENERATOR_VERSION = 3
LAST_DAY = dt.date(2026, 6, 30)
SPAN_DAYS = 3 * 365


def weekdays(end: dt.date, span: int) -> list[dt.date]:
    days = [end - dt.timedelta(days=i) for i in range(span)]
    return sorted(d for d in days if d.weekday() < 5)


def build(path: Path, n: int, *, seed: int = 11, batch: int = 2000) -> Path:
    days = weekdays(LAST_DAY, SPAN_DAYS)
    per_day, extra = divmod(n, len(days))
    store = Store(path)
    pending: list[Paper] = []
    made = 0
    for i, day in enumerate(days):
        for index in range(per_day + (1 if i < extra else 0)):
            pending.append(Paper.from_api(paper_item(day, index, seed=seed, abstract_words=200)))
            made += 1
        if len(pending) >= batch or i == len(days) - 1:
            with store.write():
                store.upsert_papers(pending, now="2026-07-01T00:00:00Z")
            pending = []
    with store.write():
        store.set_meta("last_sync_at", "2026-07-01T00:00:00Z")
        store.set_meta("synced_through", LAST_DAY.isoformat())
    store.checkpoint()
    store.close()
    assert made == n, (made, n)
    return path


def cached_store(n: int, target: Path) -> Path:
    """A fresh copy of the cached N-paper store at ``target`` (built on first use)."""
    CACHE.mkdir(exist_ok=True)
    source = CACHE / f"papers-{n}-v{GENERATOR_VERSION}.db"
    if not source.exists():
        tmp = source.with_suffix(".building")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        build(tmp, n)
        tmp.replace(source)
    # Bring the cache up to the current schema once, not in every copy (a migration may
    # rebuild the search index: seconds at 100k, which would land inside a timing).
    store = Store(source)
    store.checkpoint()
    store.close()
    for backup in CACHE.glob(f"{source.name}.*.bak"):  # the migration's copy of the old one
        backup.unlink()
    shutil.copyfile(source, target)
    return target


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"papers-{count}.db")
    import time

    started = time.perf_counter()
    build(out, count)
    print(f"{count} papers in {time.perf_counter() - started:.1f}s -> {out}")
