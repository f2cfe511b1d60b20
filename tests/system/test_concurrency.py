"""The reader, a sync in another process and CLI reads, all at once on one store."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from paperreader.core.corpus import Corpus
from paperreader.core.store import Store
from tests.conftest import TODAY
from tests.support.app import demo_store, make_app, wait_for
from tests.support.fakehub import FakeHub

#: Rounds of (star a paper, move, run a `list` in another process) while both syncs write.
SOAK_ROUNDS = int(os.environ.get("PAPERREADER_SOAK_ROUNDS", "12"))


async def test_reader_sync_and_cli_reads_never_see_a_lock(tmp_path: Path) -> None:
    today = TODAY
    db = tmp_path / "soak.db"
    demo_store(db).close()  # a lived-in store for the reader to work on
    corpus = Corpus(today - dt.timedelta(days=90), today, seed=17, per_day=40, abstract_words=120)
    corpus.all_items()
    env = {**os.environ, "PAPERREADER_HOME": str(tmp_path / "home")}
    with FakeHub(corpus, today=today, latency=0.03, quota=100_000) as hub:
        # Two writers: the reader's own background sync and an external `paperreader sync`.
        external = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "paperreader",
                "sync",
                "--since",
                (today - dt.timedelta(days=90)).isoformat(),
                "--db",
                str(db),
                "--api-url",
                hub.url,
                "--concurrency",
                "2",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        store = Store(db)
        app = make_app(store, offline=False, api_url=hub.url)
        reads: list[subprocess.CompletedProcess[str]] = []
        marked: dict[str, tuple[bool, bool]] = {}
        async with app.run_test(size=(120, 40)) as pilot:
            overlapped = 0  # rounds in which the external sync was still writing
            for _ in range(SOAK_ROUNDS):
                overlapped += external.poll() is None
                row = app.main_screen.paper_list.current
                if row is not None:
                    await pilot.press("f")
                    marked[row.id] = (row.read, not row.favourite)
                await pilot.press("j")
                reads.append(
                    await asyncio.to_thread(
                        subprocess.run,
                        [
                            sys.executable,
                            "-m",
                            "paperreader",
                            "list",
                            "--json",
                            "--limit",
                            "20",
                            "--db",
                            str(db),
                        ],
                        env=env,
                        capture_output=True,
                        text=True,
                        timeout=60,
                    )
                )
            await wait_for(
                pilot, lambda: app.main_screen.status.sync.startswith("synced"), timeout=120
            )
            status = app.main_screen.status.sync
        ext_err = external.communicate(timeout=300)[1]
        store.close()
    assert external.returncode == 0, ext_err
    assert "locked" not in ext_err
    assert "failed" not in status and "locked" not in status, status
    assert len(reads) == SOAK_ROUNDS
    assert overlapped > 0, "the external sync finished before the reader started marking"
    for done in reads:
        assert done.returncode == 0, done.stderr
        assert "locked" not in done.stderr
        assert isinstance(json.loads(done.stdout), list)
    with Store(db) as check:
        assert check.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for pid, (_, fav) in marked.items():
            assert check.state(pid)[1] == fav, pid
        assert check.count() >= corpus.count()
