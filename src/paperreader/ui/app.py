"""PaperReaderApp: the switchboard. Owns the store, the sync schedule and app-wide keys.

Store, settings, the browser opener and the clock are injected, so tests and the
screenshot script build the app around a temporary store and a local fake server
(``settings.api_url``). The sync is an async worker driving a child
``paperreader sync --progress json``; it reports back only through messages and
never touches widgets.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import gc
import json
import sys
import webbrowser
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from paperreader.core import clock, text
from paperreader.core.config import Settings, save_setting
from paperreader.core.models import SyncProgress, SyncReport
from paperreader.core.store import Store, StoreError
from paperreader.ui.messages import SyncFailed, SyncFinished, SyncProgressed
from paperreader.ui.screens.main import MainScreen


class PaperReaderApp(App[int]):
    """A terminal reader for Hugging Face Daily Papers."""

    # Absolute, so subclasses defined elsewhere (benchmarks, tests) find it too.
    CSS_PATH = Path(__file__).parent / "styles" / "app.tcss"
    TITLE = "paperreader"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("R", "sync", "Sync", id="sync_now"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="command_palette"),
    ]

    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        opener: Callable[[str], None] | None = None,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.store = store
        self._opener = opener or self._open_in_browser
        self.syncing = False
        self.main_screen = MainScreen(store, settings, opener=self.open_link, today=today)
        if settings.keymap:
            self.set_keymap(settings.keymap)

    def get_default_screen(self) -> Screen[None]:
        return self.main_screen

    def on_mount(self) -> None:
        # The sync and id-loading threads run Python too; a shorter GIL switch interval
        # (default 5 ms) lets a key press reach the UI thread within a frame.
        sys.setswitchinterval(0.001)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if not self.settings.offline:
            self.call_after_refresh(self.action_sync)

    def on_ready(self) -> None:
        # Everything built so far lives for the whole session: move it out of the
        # collector's sight, so later GC passes (and their pauses) stay short; then turn
        # collection back on if start-up paused it (cli._open_reader).
        gc.freeze()
        gc.enable()
        # The list is on screen: now the parts that can wait (counts, facets, filters).
        self.call_later(self.main_screen.after_first_paint)

    def _remember_theme(self, theme: Theme) -> None:
        if self.settings.demo or theme.name == self.settings.theme:
            return
        try:
            save_setting(self.settings.config_file, "theme", theme.name)
        except OSError as exc:
            self.notify(f"could not save the theme: {exc.strerror}", severity="warning")

    # -- links -------------------------------------------------------------------------

    def open_link(self, url: str) -> None:
        """Open ``url`` in the browser if it is a plain http(s) URL; refuse anything else."""
        if not text.is_safe_url(url):
            self.notify(
                f"Refused to open a non-web link: {text.one_line(url, max_len=60)}",
                severity="warning",
            )
            return
        self._opener(url)
        self.notify(f"Opened {url}", timeout=3)

    def _open_in_browser(self, url: str) -> None:
        # webbrowser never goes through a shell; the URL was checked by open_link.
        webbrowser.open(url, new=2)

    # -- sync --------------------------------------------------------------------------

    def action_sync(self) -> None:
        if self.settings.offline:
            self.notify("Offline: start without --offline to sync", severity="warning")
            return
        if self.syncing:
            self.notify("A sync is already running", timeout=2)
            return
        self.syncing = True
        self._sync_worker()

    def sync_command(self) -> list[str]:
        """The child process that syncs: ``paperreader sync`` with JSON progress lines."""
        s = self.settings
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
        ]

    @work(exclusive=True, group="sync", exit_on_error=False, description="sync")
    async def _sync_worker(self) -> None:
        # The sync runs in a child process: JSON decoding and upserts never compete
        # with the UI for the GIL, and a crash there cannot take the reader down. The
        # store is shared through SQLite (WAL), which is built for exactly this.
        try:
            proc = await asyncio.create_subprocess_exec(
                *self.sync_command(),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
        except OSError as exc:
            self.post_message(SyncFailed(f"could not start the sync: {exc.strerror}"))
            return
        report: SyncReport | None = None
        try:
            assert proc.stdout is not None
            async for line in proc.stdout:
                event = _parse_event(line)
                if event is None:
                    continue
                if event.get("event") == "progress":
                    self.post_message(
                        SyncProgressed(
                            SyncProgress(
                                int(event.get("done", 0)),
                                int(event.get("total", 0)),
                                int(event.get("papers", 0)),
                                str(event.get("message", "")),
                            )
                        )
                    )
                elif event.get("event") == "report":
                    report = _report_from(event)
            stderr = (await proc.stderr.read()).decode(errors="replace") if proc.stderr else ""
            await proc.wait()
        except asyncio.CancelledError:
            # Each page is its own transaction: stopping mid-sync loses nothing stored.
            if proc.returncode is None:
                proc.terminate()
            raise
        if report is not None:
            self.post_message(SyncFinished(report))
        else:
            last = [ln for ln in stderr.strip().splitlines() if ln.strip()]
            reason = text.one_line(
                last[-1] if last else f"exit code {proc.returncode}", max_len=200
            )
            self.post_message(SyncFailed(reason))

    def on_sync_progressed(self, message: SyncProgressed) -> None:
        self.main_screen.sync_progress(message.progress)

    def on_sync_finished(self, message: SyncFinished) -> None:
        self.syncing = False
        self.main_screen.sync_finished(message.report, clock.stamp())
        self._schedule_next()

    def on_sync_failed(self, message: SyncFailed) -> None:
        self.syncing = False
        self.main_screen.sync_failed(message.error)
        self._schedule_next()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "sync" and event.state == WorkerState.ERROR:
            self.syncing = False
            error = event.worker.error
            self.main_screen.sync_failed(f"{type(error).__name__}: {error}")
            self._schedule_next()

    def _schedule_next(self) -> None:
        minutes = self.settings.sync_interval
        if minutes > 0 and not self.settings.offline:
            self.set_timer(minutes * 60, self.action_sync, name="next-sync")

    # -- help and commands ------------------------------------------------------------

    def action_help(self) -> None:
        rows: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        keymap = self.settings.keymap
        sources = (
            self.main_screen.paper_list.BINDINGS,
            self.main_screen.BINDINGS,
            self.BINDINGS,
        )
        for bindings in sources:
            for binding in bindings:
                if not isinstance(binding, Binding) or not binding.id or binding.id in seen:
                    continue
                seen.add(binding.id)
                keys = keymap.get(binding.id, binding.key)
                pretty = ", ".join(_pretty_key(k) for k in keys.split(","))
                rows.append((pretty, binding.description, binding.id))
        from paperreader.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(rows))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self.main_screen
        yield SystemCommand(
            "Mark all listed papers read", "Every paper in the current list", main.mark_all_read
        )
        yield SystemCommand("Sync now", "Fetch new papers from Hugging Face", self.action_sync)
        yield SystemCommand(
            "Toggle filter pane", "Show or hide the filters", main.action_toggle_filters
        )
        for view in ("all", "unread", "favourites", "today", "week"):
            yield SystemCommand(
                f"View: {view}", f"Show {view} papers", lambda v=view: main.action_view(v)
            )


def _parse_event(line: bytes) -> dict[str, Any] | None:
    try:
        event = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return event if isinstance(event, dict) else None


def _report_from(event: dict[str, Any]) -> SyncReport:
    fields = {f.name for f in dataclasses.fields(SyncReport)}
    return SyncReport(**{k: v for k, v in event.items() if k in fields})


def _pretty_key(key: str) -> str:
    names = {"question_mark": "?", "slash": "/", "space": "space", "escape": "esc"}
    return names.get(key.strip(), key.strip())


def run_app(settings: Settings) -> int:
    """Open the store and run the reader; returns the process exit code."""
    try:
        store = Store(settings.db_path)
    except StoreError as exc:
        print(f"paperreader: error: {exc}", file=sys.stderr)
        return 1
    try:
        app = PaperReaderApp(settings, store)
        app.run()
    finally:
        store.close()
    return app.return_code or 0
