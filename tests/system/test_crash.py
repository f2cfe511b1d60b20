"""Crash safety: SIGKILL a real `paperreader sync` while it writes, then check the store."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest

from paperreader.core.corpus import Corpus
from paperreader.core.models import PaperFilter
from paperreader.core.store import Store
from tests.conftest import TODAY
from tests.support.fakehub import FakeHub
from tests.support.store_checks import assert_sound, paper_ids

KILLS = int(os.environ.get("PAPERREADER_CRASH_KILLS", "20"))

pytestmark = pytest.mark.slow


def check(store: Store, marks: dict[str, tuple[bool, bool]]) -> set[str]:
    """The store is sound and the marks intact; returns the stored paper ids."""
    assert_sound(store)
    for pid, state in marks.items():
        assert store.state(pid) == state, pid
    return paper_ids(store)


def written_in_run(store: Store, base: dict[str, int], shift: int) -> int:
    """Papers whose stored upvotes carry this run's shift: rows this run has rewritten."""
    rows = store.conn.execute("SELECT id, upvotes FROM papers").fetchall()
    return sum(1 for pid, votes in rows if votes == base[pid] + shift)


class Watch:
    """Follows a ``sync --progress json`` child: pages committed so far, and the end."""

    def __init__(self, stdout: IO[str]) -> None:
        self.papers = 0
        self.finished = False
        self.committed = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(stdout,), daemon=True)
        self._thread.start()

    def _read(self, stdout: IO[str]) -> None:
        for line in stdout:
            try:
                event = json.loads(line)
            except ValueError:
                break  # the last line, cut off by the kill
            if event["event"] == "report":
                self.finished = True
            elif event["papers"] > 0:
                self.papers = event["papers"]
                self.committed.set()

    def join(self) -> None:
        self._thread.join(timeout=30)


def test_sigkill_mid_sync_never_corrupts_or_loses_marks(tmp_path: Path) -> None:
    today = TODAY
    corpus = Corpus(today - dt.timedelta(days=120), today, seed=13, per_day=25, abstract_words=80)
    base = {it["paper"]["id"]: int(it["paper"]["upvotes"]) for it in corpus.all_items()}
    db = tmp_path / "crash.db"
    env = {**os.environ, "PAPERREADER_HOME": str(tmp_path / "home")}
    rng = random.Random(1234)
    with FakeHub(corpus, today=today, latency=0.08, quota=100_000) as hub:
        cmd = [
            sys.executable,
            "-m",
            "paperreader",
            "sync",
            "--db",
            str(db),
            "--api-url",
            hub.url,
            "--concurrency",
            "2",
        ]
        first = subprocess.run(
            [*cmd, "--days", "5"], env=env, capture_output=True, text=True, timeout=120
        )
        assert first.returncode == 0, first.stderr
        marks: dict[str, tuple[bool, bool]] = {}
        with Store(db) as store:
            rows = store.query_rows(PaperFilter(), limit=12)
            for i, row in enumerate(rows):
                read, fav = i % 2 == 0, i % 3 == 0
                store.set_read([row.id], read)
                store.set_favourite(row.id, fav)
                marks[row.id] = (read, fav)
            stored = check(store, marks)
        since = (today - dt.timedelta(days=120)).isoformat()
        mid_write = 0
        for run in range(KILLS):
            shift = run + 1
            corpus.upvote_shift = shift  # every paper changed: each run rewrites them all
            # --refresh: every run rewrites every period, so the kills land mid-write.
            proc = subprocess.Popen(
                [*cmd, "--since", since, "--refresh", "--progress", "json"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            assert proc.stdout is not None
            watch = Watch(proc.stdout)
            # Kill at a random moment after the run has committed its first page.
            assert watch.committed.wait(timeout=120), "the sync never stored a page"
            time.sleep(rng.uniform(0.0, 1.2))
            alive = proc.poll() is None and not watch.finished
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            watch.join()
            with Store(db) as store:
                now_stored = check(store, marks)
                rewritten = written_in_run(store, base, shift)
            assert stored <= now_stored, "a stored paper was lost"
            stored = now_stored
            # Landed during the run's writes: some rows already rewritten, others not yet.
            if alive and 0 < rewritten < corpus.count():
                mid_write += 1
        print(f"SIGKILLs that landed between a run's first and last write: {mid_write}/{KILLS}")
        assert mid_write >= KILLS // 2, "most kills should land while the sync writes"
        final = subprocess.run(
            [*cmd, "--since", since], env=env, capture_output=True, text=True, timeout=300
        )
        assert final.returncode == 0, final.stderr
    with Store(db) as store:
        assert check(store, marks) == set(base)
        assert store.count() == corpus.count()
        assert store.incomplete_periods() == []
