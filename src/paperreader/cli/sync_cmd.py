"""``paperreader sync``: a progress bar for people, JSON lines for the reader and tools."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from paperreader.cli import output
from paperreader.core import text
from paperreader.core.config import Settings
from paperreader.core.models import SyncProgress, SyncReport
from paperreader.core.store import Store

Update = Callable[[SyncProgress], None]
Run = Callable[[Store, Update], Coroutine[Any, Any, SyncReport]]


def lower_priority(niceness: int) -> None:
    """Yield the CPU to interactive work by ``niceness`` (best effort: not on every OS)."""
    if niceness > 0:
        with contextlib.suppress(AttributeError, OSError):  # no os.nice (Windows)
            os.nice(niceness)


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Sync into the store; exit 0 when every period was fetched, 1 otherwise."""
    lower_priority(args.nice)
    from paperreader.core import sync
    from paperreader.core.after_sync import after_sync
    from paperreader.core.hf_api import client_for

    async def go(store: Store, update: Update) -> SyncReport:
        async with client_for(settings) as client:
            if settings.token and not client.token_sent and args.progress == "bar":
                output.note(
                    f"note: HF_TOKEN is not sent to {settings.api_url} "
                    "(only over https to huggingface.co or a host in token_hosts)"
                )
            report = await sync.sync(
                store,
                client,
                since=args.since,
                days=args.days,
                query=args.query,
                recent_days=settings.recent_days,
                initial_days=settings.initial_days,
                concurrency=settings.concurrency,
                progress=update,
                refresh=args.refresh,
            )
            if report.ok and not args.query:
                # HF's trending ranking (and any configured prefetch), so the "Trending"
                # order works offline after a sync from cron as after one in the reader.
                extra = await after_sync(store, client, settings)
                if args.progress == "bar":
                    for problem in extra.problems:
                        output.note(f"note: {problem}")
            return report

    if args.progress == "json":
        return _sync_json(settings, go)
    return _sync_bar(settings, go)


def _sync_bar(settings: Settings, go: Run) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True, soft_wrap=True)
    with Store(settings.db_path, upgrading=output.upgrading) as store:
        with Progress(
            TextColumn("[bold]sync[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[papers]} papers · {task.description}", markup=False),
            console=console,
            transient=True,
            # Off a terminal a bar cannot redraw: Rich would only leave a blank line behind.
            disable=not console.is_terminal,
        ) as bar:
            task = bar.add_task("starting", total=None, papers=0)

            def update(p: SyncProgress) -> None:
                bar.update(
                    task,
                    completed=p.done,
                    total=p.total or None,
                    description=text.one_line(p.message, max_len=60),
                    papers=p.papers,
                )

            report = asyncio.run(go(store, update))
        total = store.count()
    output.note(f"synced: {report.summary()}; {total} papers in the store")
    if report.periods_failed:
        for line in failure_lines(report.periods_failed):
            output.note(line)
        output.note(
            "what was fetched is kept; run `paperreader sync` again to retry the failed periods"
        )
        return 1
    return 0


_URL_PREFIX = re.compile(r"^https?://\S+ (?:failed after \d+ attempts: |→ )")


def failure_lines(failed: dict[str, str]) -> list[str]:
    """One line per distinct reason, naming every period that failed for it."""
    by_reason: dict[str, list[str]] = {}
    for key, error in sorted(failed.items()):
        by_reason.setdefault(_URL_PREFIX.sub("", error), []).append(key)
    lines = []
    for reason, keys in by_reason.items():
        what = (
            f"failed {keys[0]}"
            if len(keys) == 1
            else f"failed {len(keys)} periods ({', '.join(keys)})"
        )
        lines.append(f"  {what}: {text.one_line(reason, max_len=300)}")
    return lines


def _sync_json(settings: Settings, go: Run) -> int:
    """Machine-readable sync: one JSON object per line (the reader runs this as a child).

    The line format has one home, ``core.sync_process`` (``encode`` here, ``decode`` in
    the reader).
    """
    from paperreader.core.sync_process import encode

    def emit(event: SyncProgress | SyncReport) -> None:
        sys.stdout.write(encode(event))
        sys.stdout.flush()

    with Store(settings.db_path) as store:
        report = asyncio.run(go(store, emit))
    emit(report)
    return 0 if report.ok else 1
