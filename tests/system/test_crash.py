"""Crash safety: SIGKILL a real `paperreader sync` at random moments, then check the store."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from paperreader.core.corpus import Corpus
from paperreader.core.models import PaperFilter
from paperreader.core.store import Store
from tests.conftest import TODAY
from tests.support.fakehub import FakeHub

KILLS = int(os.environ.get("PAPERREADER_CRASH_KILLS", "20"))


def check(store: Store, marks: dict[str, tuple[bool, bool]]) -> int:
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')")
    total, distinct = store.conn.execute(
        "SELECT count(*), count(DISTINCT id) FROM papers"
    ).fetchone()
    assert total == distinct
    fts_rows = store.conn.execute("SELECT count(*) FROM papers_fts_docsize").fetchone()[0]
    assert fts_rows == total
    for pid, state in marks.items():
        assert store.state(pid) == state, pid
    return int(total)


def test_sigkill_mid_sync_never_corrupts_or_loses_marks(tmp_path: Path) -> None:
    today = TODAY
    corpus = Corpus(today - dt.timedelta(days=120), today, seed=13, per_day=25, abstract_words=80)
    corpus.all_items()
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
        since = (today - dt.timedelta(days=120)).isoformat()
        counts: list[int] = []
        killed_mid_write = 0
        for run in range(KILLS):
            corpus.upvote_shift = run + 1  # every paper changed: each run rewrites them all
            # --refresh: every run rewrites every period, so the kills land mid-write.
            proc = subprocess.Popen(
                [*cmd, "--since", since, "--refresh"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(rng.uniform(0.3, 1.6))
            if proc.poll() is None:
                killed_mid_write += 1
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            with Store(db) as store:
                counts.append(check(store, marks))
        print(f"SIGKILLs that landed mid-sync: {killed_mid_write}/{KILLS}")
        assert killed_mid_write >= KILLS // 2, "most kills should land while syncing"
        assert counts == sorted(counts)  # nothing stored is ever lost
        final = subprocess.run(
            [*cmd, "--since", since], env=env, capture_output=True, text=True, timeout=300
        )
        assert final.returncode == 0, final.stderr
    with Store(db) as store:
        assert check(store, marks) == corpus.count()
        assert store.incomplete_periods() == []
