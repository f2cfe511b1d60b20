"""Building the reader around a real temporary store (shared by Pilot and snapshot tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from paperreader.core.config import Settings, load_settings
from paperreader.core.demo import fill_demo_store
from paperreader.core.models import Paper
from paperreader.core.store import Store
from paperreader.ui.app import PaperReaderApp
from tests.conftest import LATEST, TODAY

__all__ = ["LATEST", "TODAY", "demo_store", "hostile_paper", "make_app", "marks_saved", "wait_for"]


def demo_store(path: Path, *, today: dt.date = TODAY, **kw: Any) -> Store:
    store = Store(path)
    fill_demo_store(store, today=today, **kw)
    return store


def make_app(
    store: Store,
    *,
    offline: bool = True,
    api_url: str | None = None,
    opened: list[str] | None = None,
    today: dt.date = TODAY,
    **settings_kw: Any,
) -> PaperReaderApp:
    settings: Settings = load_settings(
        db_path=store.path, offline=offline, api_url=api_url, sync_interval=0.0, **settings_kw
    )

    opener: Callable[[str], None] = opened.append if opened is not None else lambda _u: None
    return PaperReaderApp(settings, store, opener=opener, today=lambda: today)


def hostile_paper(pid: str = "2611.09999", day: dt.date = TODAY) -> Paper:
    return Paper(
        id=pid,
        title="[@click=app.quit]Click me[/] [bold]not bold[/] \x1b]2;PWNED\x07 [link=file:///etc/passwd]x",
        summary="Abstract with [/] and \x1b[2J and \u202eevil and [@click=app.bell]bell[/]",
        authors=("[red]Mallory[/red]",),
        daily_date=day.isoformat(),
        upvotes=9999,
    )


async def wait_for(pilot: Any, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Pause the app until ``condition`` holds (child-process syncs take variable time)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.05)


async def marks_saved(pilot: Any, app: PaperReaderApp, timeout: float = 20.0) -> None:
    """Pause until the reader's queued marks are in the store (they are written off the
    UI thread), and their outcomes are collected."""
    writer = app.main_screen.triage.writer
    await wait_for(pilot, lambda: writer.unsettled == 0, timeout)
    app.main_screen.triage.queue.collect()
