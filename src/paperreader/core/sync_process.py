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
import subprocess
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


class _Child(asyncio.SubprocessProtocol):
    """Reads the child's output as it comes: progress lines on stdout, errors on stderr."""

    def __init__(self, on_progress: Callable[[SyncProgress], None]) -> None:
        self.on_progress = on_progress
        self.report: SyncReport | None = None
        self._line = bytearray()
        self.stderr = bytearray()
        self.finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def pipe_data_received(self, fd: int, data: bytes) -> None:
        """Hand on each whole stdout line; keep the end of stderr for a failure's reason."""
        if fd == 2:
            self.stderr += data
            del self.stderr[:-STDERR_KEPT]
            return
        self._line += data
        *lines, rest = self._line.split(b"\n")
        self._line = bytearray(rest)
        for line in lines:
            event = decode(bytes(line))
            if isinstance(event, SyncProgress):
                self.on_progress(event)
            elif isinstance(event, SyncReport):
                self.report = event

    def connection_lost(self, exc: Exception | None) -> None:
        """The child has exited and its pipes are closed."""
        if not self.finished.done():
            self.finished.set_result(None)


#: How much of the child's stderr is kept (its last line is a failure's reason).
STDERR_KEPT = 64 * 1024
#: How long a cancelled run waits for the killed child to be reaped.
REAP_SECONDS = 2.0


async def run_sync(
    argv: list[str], on_progress: Callable[[SyncProgress], None]
) -> SyncReport | SyncFailure:
    """Run the child ``argv``, passing each tick to ``on_progress``; return how it ended.

    Cancelling the awaiting task stops the child: each page is its own transaction,
    so stopping mid-sync loses nothing already stored.
    """
    loop = asyncio.get_running_loop()
    child = _Child(on_progress)
    try:
        transport, _ = await loop.subprocess_exec(
            lambda: child,
            *argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        return SyncFailure(f"could not start the sync: {exc.strerror}")
    try:
        # Shielded: cancelling this task must not cancel the future the clean-up waits on.
        await asyncio.shield(child.finished)
    except asyncio.CancelledError:
        # The reader is quitting (or a new sync replaces this one). Stop the child and
        # close its pipes at once, without awaiting: a clean-up that awaits is cancelled
        # in turn as Textual shuts down, and pipes left open were closed after the event
        # loop, printing "Event loop is closed" tracebacks on the terminal just handed back.
        transport.close()  # kills the child if it still runs
        await _reaped(child.finished)
        raise
    returncode = transport.get_returncode()
    transport.close()
    if child.report is not None:
        return child.report
    stderr = child.stderr.decode(errors="replace")
    last = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    return SyncFailure(text.one_line(last[-1] if last else f"exit code {returncode}", max_len=200))


async def _reaped(finished: asyncio.Future[None]) -> None:
    """Wait (at most ``REAP_SECONDS``) until the killed child is reaped, through further
    cancellations: the event loop must outlive the child, or asyncio's child watcher
    prints "Loop … that handles pid … is closed" on the terminal as the reader quits.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + REAP_SECONDS
    while not finished.done() and (left := deadline - loop.time()) > 0:
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(asyncio.shield(finished), left)
