"""The reader <-> sync child protocol: one encoder, one decoder, one argv."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from paperreader.core.config import load_settings
from paperreader.core.models import SyncProgress, SyncReport
from paperreader.core.sync_process import SyncFailure, decode, encode, run_sync, sync_argv


def test_progress_and_report_round_trip() -> None:
    tick = SyncProgress(3, 10, 250, "2026-11 page 2 ✓")
    assert decode(encode(tick)) == tick
    report = SyncReport(requests=4, new=2, periods_failed={"2026-11": "HTTP 500"}, seconds=1.5)
    back = decode(encode(report).encode())
    assert back == report


def test_lines_that_are_not_events_are_ignored() -> None:
    for line in (
        b"",
        b"not json",
        b"[1, 2]",
        b'{"event": "other"}',
        b'{"event": "progress", "done": "x"}',
        b"\xff\xfe",
    ):
        assert decode(line) is None


def test_argv_carries_the_settings_and_never_a_shell(tmp_path: Path) -> None:
    settings = load_settings(
        db_path=tmp_path / "s.db", api_url="http://127.0.0.1:1", max_attempts=2, concurrency=3
    )
    argv = sync_argv(settings)
    assert argv[:5] == [sys.executable, "-m", "paperreader", "sync", "--progress"]
    pairs = dict(zip(argv[4::2], argv[5::2], strict=True))
    assert pairs["--progress"] == "json"
    assert pairs["--db"] == str(tmp_path / "s.db")
    assert pairs["--api-url"] == "http://127.0.0.1:1"
    assert pairs["--max-attempts"] == "2" and pairs["--concurrency"] == "3"
    assert int(pairs["--nice"]) > 0  # the reader's keys come before the sync's parsing


def test_run_sync_follows_a_child_to_its_report() -> None:
    script = (
        "import sys;"
        "from paperreader.core.sync_process import encode;"
        "from paperreader.core.models import SyncProgress, SyncReport;"
        "sys.stdout.write(encode(SyncProgress(1, 2, 5, 'a')));"
        "print('noise');"
        "sys.stdout.write(encode(SyncReport(new=5)))"
    )
    ticks: list[SyncProgress] = []
    outcome = asyncio.run(run_sync([sys.executable, "-c", script], ticks.append))
    assert ticks == [SyncProgress(1, 2, 5, "a")]
    assert isinstance(outcome, SyncReport) and outcome.new == 5


def test_a_child_without_a_report_fails_with_its_last_error_line() -> None:
    script = (
        "import sys; sys.stderr.write('warming up\\nboom: the store is locked\\n'); sys.exit(3)"
    )
    outcome = asyncio.run(run_sync([sys.executable, "-c", script], lambda _p: None))
    assert outcome == SyncFailure("boom: the store is locked")


def test_a_missing_program_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    outcome = asyncio.run(run_sync([str(tmp_path / "nope")], lambda _p: None))
    assert isinstance(outcome, SyncFailure) and "could not start" in outcome.reason


def test_a_niced_sync_runs_at_a_lower_cpu_priority() -> None:
    script = (
        "import os; from paperreader.cli.sync_cmd import lower_priority;"
        "lower_priority(7); print(os.nice(0))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == min(19, os.nice(0) + 7)


#: A sync child that ticks until told to stop, then takes a moment to finish (as a sync
#: finishing its page would): the reader must not be gone before it is.
ENDLESS_CHILD = """
import json, os, signal, sys, time
stopping = []
signal.signal(signal.SIGTERM, lambda *_: stopping.append(time.monotonic()))
open(sys.argv[1], "w").write(str(os.getpid()))
tick = json.dumps({"event": "progress", "done": 0, "total": 1, "papers": 0, "message": "x"})
while not stopping or time.monotonic() - stopping[0] < 0.3:
    print(tick, flush=True)
    time.sleep(0.01)
"""

#: The reader's side, quitting mid-sync: cancel run_sync once a tick has arrived.
CANCEL_MID_SYNC = """
import asyncio, gc, sys, time
from paperreader.core.sync_process import run_sync

async def main(child, pid_file, cancels):
    seen = []
    task = asyncio.create_task(run_sync([sys.executable, child, pid_file], seen.append))
    while not seen:
        await asyncio.sleep(0.01)
    for _ in range(cancels):  # Textual shutting down cancels what is left, again
        task.cancel()
        await asyncio.sleep(0)
    try:
        await task
    except asyncio.CancelledError:
        pass

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
gc.collect()
time.sleep(0.3)  # a child watcher that outlived the loop has its say before we exit
"""


@pytest.mark.parametrize("cancels", [1, 2, 5])
def test_cancelling_mid_sync_stops_the_child_and_prints_nothing(
    tmp_path: Path, cancels: int
) -> None:
    child, pid_file = tmp_path / "child.py", tmp_path / "child.pid"
    child.write_text(ENDLESS_CHILD)
    done = subprocess.run(
        [sys.executable, "-c", CANCEL_MID_SYNC, str(child), str(pid_file), str(cancels)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # Before, the child's pipes were closed after the loop ("Exception ignored … Event loop
    # is closed"), or a clean-up cancelled in turn left "_GatheringFuture exception was
    # never retrieved": tracebacks on the terminal the reader had just given back.
    assert done.returncode == 0 and done.stderr == ""
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        pass
    else:  # still listed: only as a zombie waiting for init to reap it
        assert "State:\tZ" in Path(f"/proc/{pid}/status").read_text()
