"""The reader, a sync in another process and CLI reads, all at once on one store."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

import pytest

from paperreader.core.corpus import Corpus
from paperreader.core.store import Store
from tests.conftest import TODAY
from tests.support.app import demo_store, make_app, wait_for
from tests.support.fakehub import FakeHub
from tests.support.store_checks import assert_sound

#: Rounds of (star a paper, move, run a `list` in another process) while both syncs write.
SOAK_ROUNDS = int(os.environ.get("PAPERREADER_SOAK_ROUNDS", "12"))

pytestmark = pytest.mark.slow


class GatedHub(FakeHub):
    """Answers a daily page only when the test lets one through, so a sync cannot finish
    before the soak is over: its writes are spread across the rounds."""

    def __init__(self, corpus: Corpus, **kw: Any) -> None:
        super().__init__(corpus, **kw)
        self.gate = threading.Semaphore(0)

    def route(self, path: str, q: dict[str, str]) -> tuple[int, Any]:
        if path == "/api/daily_papers":
            self.gate.acquire()
        return super().route(path, q)

    def let_through(self, pages: int) -> None:
        for _ in range(pages):
            self.gate.release()


class Progress:
    """Follows a ``sync --progress json`` child: papers written so far, and its end."""

    def __init__(self, stdout: IO[str]) -> None:
        self.papers = 0
        self.finished = False
        self._thread = threading.Thread(target=self._read, args=(stdout,), daemon=True)
        self._thread.start()

    def _read(self, stdout: IO[str]) -> None:
        for line in stdout:
            event = json.loads(line)
            if event["event"] == "report":
                self.finished = True
            else:
                self.papers = event["papers"]


async def test_reader_sync_and_cli_reads_never_see_a_lock(tmp_path: Path) -> None:
    today = TODAY
    db = tmp_path / "soak.db"
    # A lived-in store for the reader to work on, last synced 90 days ago: its own sync then
    # plans three months of history (some forty pages) whatever the date. Left synced through
    # today, it planned only the recent days plus whichever months the external sync happened
    # to have left incomplete, and could finish mid-soak.
    with demo_store(db) as seeded, seeded.write():
        seeded.set_meta("synced_through", (today - dt.timedelta(days=89)).isoformat())
    corpus = Corpus(today - dt.timedelta(days=90), today, seed=17, per_day=40, abstract_words=120)
    corpus.all_items()
    env = {**os.environ, "PAPERREADER_HOME": str(tmp_path / "home")}
    list_cmd = [sys.executable, "-m", "paperreader", "list", "--json", "--limit", "20"]
    # Two writers, each fed by its own gated server: the reader's own background sync and
    # an external `paperreader sync`. Both need far more pages than the rounds let through.
    with (
        GatedHub(corpus, today=today, quota=100_000) as own_hub,
        GatedHub(corpus, today=today, quota=100_000) as ext_hub,
    ):
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
                ext_hub.url,
                "--concurrency",
                "2",
                "--progress",
                "json",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert external.stdout is not None
        ext = Progress(external.stdout)
        store = Store(db)
        app = make_app(store, offline=False, api_url=own_hub.url)
        reads: list[subprocess.CompletedProcess[str]] = []
        marked: dict[str, tuple[bool, bool]] = {}
        overlapped = 0  # rounds in which both syncs were part-way through their writes
        rounds: list[str] = []  # each round's state, for the failure message
        async with app.run_test(size=(120, 40)) as pilot:
            ext_hub.let_through(2)
            own_hub.let_through(2)
            await wait_for(pilot, lambda: ext.papers > 0, timeout=120)
            ext_before = ext.papers
            for _ in range(SOAK_ROUNDS):
                ext_hub.let_through(1)
                own_hub.let_through(1)
                row = app.main_screen.paper_list.current
                if row is not None:
                    await pilot.press("f")
                    marked[row.id] = (row.read, not row.favourite)
                await pilot.press("j")
                reads.append(
                    await asyncio.to_thread(
                        subprocess.run,
                        [*list_cmd, "--db", str(db)],
                        env=env,
                        capture_output=True,
                        text=True,
                        timeout=60,
                    )
                )
                writing = ext.papers > 0 and not ext.finished and external.poll() is None
                overlapped += writing and app.syncing
                rounds.append(
                    f"ext papers={ext.papers} finished={ext.finished} exit={external.poll()} "
                    f"reader syncing={app.syncing} ({app.main_screen.status.sync})"
                )
            ext_during = ext.papers - ext_before
            ext_hub.let_through(10_000)
            own_hub.let_through(10_000)
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
    # The writers really overlapped: every round ran while both syncs were mid-way, and
    # the external one stored pages between the reader's marks, not only before or after.
    assert overlapped == SOAK_ROUNDS, "\n".join(rounds)
    assert ext_during > 0
    assert len(marked) == SOAK_ROUNDS
    for done in reads:
        assert done.returncode == 0, done.stderr
        assert "locked" not in done.stderr
        assert len(json.loads(done.stdout)) == 20
    with Store(db) as check:
        assert_sound(check)
        for pid, (_, fav) in marked.items():
            assert check.state(pid)[1] == fav, pid
        assert check.count() >= corpus.count()
