"""The reader's work after a good sync (trending, prefetch) in a thread worker.

The app starts it with :func:`start_after_sync`; when it is done the main screen gets
:class:`AfterSyncDone` (and re-lists if it shows the trending order).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from paperreader.core.after_sync import AfterSyncReport, after_sync
from paperreader.core.store import Store, StoreError

if TYPE_CHECKING:
    from paperreader.ui.app import PaperReaderApp


@dataclass
class AfterSyncDone(Message):
    """Trending was stored (or not) and prefetch ran (or not)."""

    report: AfterSyncReport


def _run(app: PaperReaderApp) -> None:
    settings = app.settings

    async def go(store: Store) -> AfterSyncReport:
        from paperreader.core.hf_api import client_for  # httpx: not at start-up (~80 ms)

        async with client_for(settings) as client:
            return await after_sync(store, client, settings)

    try:
        with Store(app.store.path, migrate=False) as store:
            report = asyncio.run(go(store))
    except StoreError as exc:
        report = AfterSyncReport(problems=[str(exc)])
    app.call_from_thread(app.main_screen.post_message, AfterSyncDone(report))


def start_after_sync(app: PaperReaderApp) -> None:
    """Fetch trending and prefetch full texts off the UI thread (online only)."""
    if app.settings.offline or app.settings.demo:
        return
    app.run_worker(
        lambda: _run(app),
        thread=True,
        group="after-sync",
        exclusive=True,
        exit_on_error=False,
        description="trending and prefetch",
    )
