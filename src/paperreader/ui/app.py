"""PaperReaderApp: owns the store, the sync schedule and the app-wide keys.

Store, settings, the browser opener and the clock are injected, so tests and the
screenshot script build the app around a temporary store and a local fake server
(``settings.api_url``). The sync is a worker that follows a child process
(:mod:`paperreader.core.sync_process`) and publishes what happens on
``sync_events``; screens subscribe to it. The app never reaches into a screen.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import signal
import sys
import webbrowser
from collections.abc import Callable
from pathlib import Path

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.signal import Signal
from textual.theme import Theme
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from paperreader.core import sync_status, text
from paperreader.core.config import Settings, save_setting
from paperreader.core.models import SyncReport
from paperreader.core.store import Store, StoreError
from paperreader.core.sync_process import SyncEvent, SyncFailure, run_sync, sync_argv
from paperreader.ui.after_sync import start_after_sync
from paperreader.ui.key_names import key_for, shadowed
from paperreader.ui.messages import FirstPaint
from paperreader.ui.screens.main import MainScreen
from paperreader.ui.state_follow import flush_on_exit

#: Opens a URL in a browser; False when none could be started.
Opener = Callable[[str], bool | None]


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
        opener: Opener | None = None,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.store = store
        self._opener = opener or _open_in_browser
        self.quits_on_hang_up = False
        """Set by :func:`run_app`: SIGHUP and SIGTERM quit cleanly (not in tests' loops)."""
        self.unopened_link: str | None = None
        """The last link no browser could open: c copies it."""
        self.syncing = False
        self._sync_asked = False
        """The running sync was asked for with R (its failure is told even if told before)."""
        self._last_trouble: str | None = None
        """The last failed sync's story, told once while it stays the same."""
        self._next_sync: Timer | None = None
        """The timed sync waiting to run (one at a time)."""
        self.sync_events: Signal[SyncEvent] = Signal(self, "sync-events")
        """Every sync tick, report and failure, for whoever shows them."""
        self.main_screen = MainScreen(
            store, settings, opener=self.open_link, today=today, sync_events=self.sync_events
        )
        self.keymap = _renamed(settings.keymap)
        """Binding id → keys, as configured (old binding ids under their new names)."""
        if self.keymap:
            self.set_keymap(self.keymap)

    def get_default_screen(self) -> Screen[None]:
        """The reader's one working screen."""
        return self.main_screen

    def on_mount(self) -> None:
        """Apply the remembered theme and start the first sync."""
        # The sync and id-loading threads run Python too; a shorter GIL switch interval
        # (default 5 ms) lets a key press reach the UI thread within a frame.
        sys.setswitchinterval(0.001)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.quits_on_hang_up:
            self._quit_on_hang_up()
        if sync_status.cannot_sync(self.settings) is None:
            # Syncing from the first frame on: an empty store says "fetching", not "press R".
            self.syncing = True
            self.call_after_refresh(self._start_sync, asked=False)

    def _quit_on_hang_up(self) -> None:
        # A closed terminal (SIGHUP) or a polite kill (SIGTERM) would end the process on the
        # spot: quit instead, so the marks being written, the reading position and the
        # "last opened" mark are saved as on q.
        loop = asyncio.get_running_loop()
        for number in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self.exit)

    def on_ready(self) -> None:
        """The first frame is up: settle the heap, then let the screen do what can wait."""
        # Everything built so far lives for the whole session: move it out of the
        # collector's sight, so later GC passes (and their pauses) stay short; then turn
        # collection back on if start-up paused it (cli._open_reader).
        gc.freeze()
        gc.enable()
        self.screen.post_message(FirstPaint())
        if self.keymap and (lost := shadowed(self.screen, self.keymap)):
            self.notify(
                "[keymap] entries that no key reaches here: " + "; ".join(lost),
                severity="warning",
                timeout=15,
            )

    def _remember_theme(self, theme: Theme) -> None:
        if self.settings.demo or theme.name == self.settings.theme:
            return
        try:
            save_setting(self.settings.config_file, "theme", theme.name)
        except OSError as exc:
            self.notify(f"could not save the theme: {exc.strerror}", severity="warning")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Textual's notification, but always literal: messages carry URLs, titles and
        server or store text, which must never be read as markup. ``markup`` is ignored
        because ``Widget.notify`` passes ``markup=True`` whatever its caller meant."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def open_link(self, url: str) -> bool:
        """Open ``url`` in the browser if it is a plain http(s) URL; refuse anything else."""
        if not text.is_safe_url(url):
            self.notify(
                f"Refused to open a non-web link: {text.one_line(url, max_len=60)}",
                severity="warning",
            )
            return False
        if self._opener(url) is False:
            # webbrowser.open found no browser to run (over SSH, in a container…).
            self.unopened_link = url
            self.notify(
                f"No browser could be started for {url} — press {self._copy_key()} to copy "
                "the link",
                severity="warning",
                timeout=6,
            )
            return False
        self.unopened_link = None
        self.notify(f"Opened {url}", timeout=3)
        return True

    # -- sync --------------------------------------------------------------------------

    def action_sync(self) -> None:
        """Start a sync now, unless one is running or this mode has no network."""
        why_not = sync_status.cannot_sync(self.settings)
        if why_not:
            self.notify(why_not, severity="warning")
            return
        if self.syncing:
            self.notify("A sync is already running", timeout=2)
            return
        self._start_sync(asked=True)

    def _sync_on_timer(self) -> None:
        if not self.syncing:
            self._start_sync(asked=False)

    def _start_sync(self, *, asked: bool) -> None:
        # ``asked``: R was pressed, so a failure is told again even if it is the last one's.
        self.syncing, self._sync_asked = True, asked
        self.main_screen.status.set_sync(*sync_status.starting(self.settings.api_url))
        self._sync_worker()

    @work(exclusive=True, group="sync", exit_on_error=False, description="sync")
    async def _sync_worker(self) -> None:
        outcome = await run_sync(sync_argv(self.settings), self.sync_events.publish)
        self._sync_ended(outcome)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "sync" and event.state == WorkerState.ERROR:
            error = event.worker.error
            self._sync_ended(SyncFailure(f"{type(error).__name__}: {error}"))

    def _sync_ended(self, outcome: SyncEvent) -> None:
        self.syncing = False
        self.sync_events.publish(outcome)
        if isinstance(outcome, SyncReport) and not outcome.periods_failed:
            start_after_sync(self)  # trending ranking, then prefetch if configured
        if isinstance(outcome, SyncReport | SyncFailure):
            # The status line shows the start of a failure; the whole of it is told once
            # (not on every timed retry while offline), and again whenever R asked for it.
            trouble = sync_status.trouble(
                outcome.reason if isinstance(outcome, SyncFailure) else outcome,
                sync_key=key_for(self.keymap, "sync_now"),
            )
            if trouble and (self._sync_asked or trouble != self._last_trouble):
                self.notify(trouble, severity="warning", timeout=10)
            self._last_trouble = trouble
        minutes = self.settings.sync_interval
        if minutes > 0 and not self.settings.offline:
            # One timer at a time: each R used to add a chain of its own, and timed syncs
            # ran as many times as often.
            if self._next_sync is not None:
                self._next_sync.stop()
            self._next_sync = self.set_timer(minutes * 60, self._sync_on_timer, name="next-sync")

    async def action_quit(self) -> None:
        """Quit, once the marks still being written are in the store (or named)."""
        self.main_screen.triage.quit()

    def _copy_key(self) -> str:
        """The key that copies the link on the screen in front (the list's or the paper's)."""
        ids = {b.id for b in type(self.screen).BINDINGS if isinstance(b, Binding)}
        return key_for(
            self.keymap, "reading_copy_link" if "reading_copy_link" in ids else "copy_link"
        )

    # -- help --------------------------------------------------------------------------

    def action_help(self) -> None:
        """Show every key of the focused screen, its widgets and the app."""
        from paperreader.ui.screens.help import INTRO, HelpScreen, help_rows

        nodes = [*self.screen.walk_children(with_self=False), self.screen, self]
        intro = getattr(self.screen, "HELP_INTRO", INTRO)
        self.push_screen(HelpScreen(help_rows(nodes, self.keymap), intro, self.keymap))


#: Binding ids that changed name; a config file written for the old name keeps working.
RENAMED_BINDINGS = {"toggle_read": "read_next"}


def _renamed(keymap: dict[str, str]) -> dict[str, str]:
    return {
        RENAMED_BINDINGS.get(binding_id, binding_id): keys for binding_id, keys in keymap.items()
    }


def _open_in_browser(url: str) -> bool:
    # webbrowser never goes through a shell; the URL was checked by open_link.
    return webbrowser.open(url, new=2)


def _say(line: str) -> None:
    # Before the app takes the terminal: a plain line on stderr.
    print(f"paperreader: {text.one_line(line, max_len=400)}", file=sys.stderr)


def run_app(settings: Settings) -> int:
    """Open the store and run the reader; returns the process exit code."""
    try:
        store = Store(settings.db_path, upgrading=_say)
    except StoreError as exc:
        print(f"paperreader: error: {exc}", file=sys.stderr)
        return 1
    try:
        app = PaperReaderApp(settings, store)
        app.quits_on_hang_up = True
        app.run()
        flush_on_exit(store, settings.state_dir)
    finally:
        store.close()
    return app.return_code or 0
