"""The reader's background sync: a child ``paperreader sync --progress json``.

One home for the protocol between the two processes: :func:`sync_argv` turns the
reader's settings into the child's command line, :func:`encode` writes a progress
tick or the final report as one JSON line (the CLI calls it), :func:`decode` reads
one back, and :func:`run_sync` starts the child and follows it.

The sync runs in a child process so JSON decoding and upserts never compete with the
UI for the GIL, and a crash there cannot take the reader down. The store is shared
through SQLite (WAL), which is built for exactly this.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from paperreader.core import text
from paperreader.core.config import Settings
from paperreader.core.models import SyncProgress, SyncReport


@dataclass(frozen=True, slots=True)
class SyncFailure:
    """A sync run that could not start or crashed (an outage is a report with failures)."""

    reason: str


#: What a sync publishes to the reader: a tick, the final report, or a failure.
SyncEvent = SyncProgress | SyncReport | SyncFailure


#: How much the reader's background sync lowers its CPU priority (``nice``).
BACKGROUND_NICENESS = 10


def sync_argv(settings: Settings) -> list[str]:
    """The child process that syncs ``settings.db_path``, as an argv list (no shell)."""
    s = settings
    return [
        sys.executable,
        "-m",
        "paperreader",
        "sync",
        "--progress",
        "json",
        "--db",
        str(s.db_path),
        "--api-url",
        s.api_url,
        "--max-attempts",
        str(s.max_attempts),
        "--recent-days",
        str(s.recent_days),
        "--initial-days",
        str(s.initial_days),
        "--concurrency",
        str(s.concurrency),
        # Parsing and writing pages is CPU work: on a 2-core laptop the reader's keys
        # must come first (a niced child still gets every idle cycle).
        "--nice",
        str(BACKGROUND_NICENESS),
    ]


def encode(event: SyncProgress | SyncReport) -> str:
    """One progress line (JSON, newline-terminated) for a tick or the final report."""
    if isinstance(event, SyncProgress):
        data: dict[str, Any] = {"event": "progress", **dataclasses.asdict(event)}
    else:
        data = {"event": "report", **dataclasses.asdict(event)}
    return json.dumps(data) + "\n"


def decode(line: bytes | str) -> SyncProgress | SyncReport | None:
    """The tick or report a progress line carries; None for anything else."""
    try:
        data = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    kind = data.get("event")
    try:
        if kind == "progress":
            return SyncProgress(
                int(data.get("done", 0)),
                int(data.get("total", 0)),
                int(data.get("papers", 0)),
                str(data.get("message", "")),
            )
        if kind == "report":
            fields = {f.name for f in dataclasses.fields(SyncReport)}
            return SyncReport(**{k: v for k, v in data.items() if k in fields})
    except (TypeError, ValueError):
        return None
    return None


async def run_sync(
    argv: list[str], on_progress: Callable[[SyncProgress], None]
) -> SyncReport | SyncFailure:
    """Run the child ``argv``, passing each tick to ``on_progress``; return how it ended.

    Cancelling the awaiting task terminates the child: each page is its own
    transaction, so stopping mid-sync loses nothing already stored.
    """
    try:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
    except OSError as exc:
        return SyncFailure(f"could not start the sync: {exc.strerror}")
    report: SyncReport | None = None
    try:
        assert proc.stdout is not None and proc.stderr is not None
        async for line in proc.stdout:
            event = decode(line)
            if isinstance(event, SyncProgress):
                on_progress(event)
            elif isinstance(event, SyncReport):
                report = event
        stderr = (await proc.stderr.read()).decode(errors="replace")
        await proc.wait()
    except asyncio.CancelledError:
        await _reap(proc)
        raise
    if report is not None:
        return report
    last = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    return SyncFailure(
        text.one_line(last[-1] if last else f"exit code {proc.returncode}", max_len=200)
    )


#: How long a terminated child has to exit before it is killed.
REAP_SECONDS = 5.0


async def _reap(proc: asyncio.subprocess.Process) -> None:
    """Stop the child and read its pipes to the end while the loop still runs.

    Left to the garbage collector, the pipes were closed after the event loop, and Python
    printed "Exception ignored … Event loop is closed" with a traceback as the reader quit
    in the middle of a sync.
    """
    with contextlib.suppress(ProcessLookupError):
        proc.terminate()
    assert proc.stdout is not None and proc.stderr is not None
    drained = asyncio.gather(proc.stdout.read(), proc.stderr.read(), proc.wait())
    try:
        await asyncio.wait_for(drained, REAP_SECONDS)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        await proc.wait()
