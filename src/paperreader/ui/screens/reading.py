"""ReadingScreen: one paper's full text, full-screen, opened from the list or the detail.

Push it from anywhere::

    app.push_screen(ReadingScreen(store, paper_id, client_factory, offline))

``client_factory`` makes a new :class:`~paperreader.core.hf_api.HFClient` (the screen
closes it); ``offline`` (or a None factory) never touches the network. A stored text
opens at once, at the stored position. Otherwise it is fetched (progress on the
status line; escape cancels and goes back), stored, and opened at the top. The
position is saved while reading (a moment after the last move) and on leaving;
escape returns to the screen below as it was.

Keys: those of :class:`~paperreader.ui.widgets.reading_view.ReadingView` (j/k, space,
g/G, / n N, t), plus L the links (enter opens http(s) only, c copies), p the PDF,
c copy the PDF link (or the one no browser could open), r retry a failed fetch. The
command palette lists the same actions and every section of the paper.
"""

from __future__ import annotations

import asyncio
import webbrowser
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from paperreader.core import text
from paperreader.core.config import Settings
from paperreader.core.fulltext.blocks import Position
from paperreader.core.fulltext.fetch import FullTextError, FullTextUnavailable, fetch_fulltext
from paperreader.core.hf_api import HFClient, client_for
from paperreader.core.models import paper_urls
from paperreader.core.store import Store, StoreError
from paperreader.core.store.fulltext import load_fulltext, save_fulltext, save_position
from paperreader.ui.key_names import key
from paperreader.ui.screens.reading_commands import ReadingCommands
from paperreader.ui.widgets import reading_messages
from paperreader.ui.widgets.links_dialog import LinksDialog
from paperreader.ui.widgets.reading_view import ReadingView

ClientFactory = Callable[[], HFClient]
#: Seconds after the last move before the position is written (holding j writes once).
SAVE_DELAY = 0.6


def _store_text(path: Path, paper_id: str, markdown: str) -> str | None:
    """Store a fetched text on a connection of this (worker) thread; the error, if any.

    Compressing and indexing a 5 MB paper takes about a second: not on the UI thread.
    """
    try:
        with Store(path) as store:
            save_fulltext(store, paper_id, markdown)
    except StoreError as exc:
        return str(exc)
    return None


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / (1024 * 1024):.1f} MB"


#: A section title is left out of the status line rather than cut shorter than this.
MIN_SECTION_SHOWN = 12


class ReadingScreen(Screen[None]):
    """The full text of one paper (see the module docstring for keys and behaviour)."""

    DEFAULT_CSS = """
    ReadingScreen { layout: vertical; }
    ReadingScreen > #reading-title { height: 1; padding: 0 1; background: $panel; }
    ReadingScreen > #reading-body { height: 1fr; }
    ReadingScreen #reading-message { padding: 1 2; }
    ReadingScreen > #reading-status { height: 1; padding: 0 1; background: $panel; }
    """
    BINDINGS = [
        # The view handles escape itself while it has focus (clear a search, then close).
        Binding("escape", "back", "Back", id="reading_back"),
        Binding("L", "links", "Links", id="reading_links"),
        Binding("p", "pdf", "PDF", show=False, id="reading_pdf"),
        Binding("r", "retry", "Retry", show=False, id="reading_retry"),
        Binding("c", "copy_link", "Copy link", show=False, id="reading_copy_link"),
    ]
    COMMANDS = {ReadingCommands}
    #: The help screen's introduction while reading (the list's is about the list); each
    #: ``{binding_id}`` becomes the key that runs it now.
    HELP_INTRO = (
        "The whole paper, fetched once and kept in the store for offline reading. Your "
        "place is remembered: {reading_close} goes back to the list, and the list shows how "
        "far you read. {reading_find} finds words in the paper ({reading_next_match} and "
        "{reading_previous_match} step through the matches), {reading_contents} jumps to a "
        "section, {reading_links} lists the links. {command_palette} lists every section as "
        "well."
    )

    def __init__(
        self,
        store: Store,
        paper_id: str,
        client_factory: ClientFactory | None,
        offline: bool,
        *,
        opener: Callable[[str], None] | None = None,
        find: str | None = None,
        why_offline: str = "offline",
    ) -> None:
        """``opener`` opens a checked web URL (default: the app's ``open_link``);
        ``find`` starts a search in the text once it is open (a body-search hit);
        ``why_offline`` names the mode when nothing is fetched ("offline", "demo store")."""
        super().__init__()
        self.store = store
        self.paper_id = paper_id
        self.client_factory = client_factory
        self.offline = offline or client_factory is None
        self._opener = opener
        self._find = find
        self._why_offline = why_offline
        self.view: ReadingView | None = None
        self.fetching = False
        self.message = ""
        """What the body says when there is no text to show (for tests and the status)."""
        self._unsaved: tuple[Position, float] | None = None
        self._save_timer: Timer | None = None
        self._stored = False
        """The text is in the store, so a position can be saved."""

    def compose(self) -> ComposeResult:
        record = self.store.get(self.paper_id)
        title = record.paper.title if record is not None else self.paper_id
        yield Static(Text(text.one_line(title), style="bold"), id="reading-title")
        with Container(id="reading-body"):
            yield Static("", id="reading-message")
        yield Static("", id="reading-status")
        yield Footer()

    def on_mount(self) -> None:
        """Open the stored text, or fetch it."""
        self._open()

    def _open(self) -> None:
        stored = load_fulltext(self.store, self.paper_id)
        if stored is not None:
            self._stored = True
            self._show(stored.markdown, stored.position)
        elif self.offline:
            pdf = paper_urls(self.paper_id)["pdf"]
            self._say(
                f"Full text not stored ({self._why_offline}).\n\n"
                f"Read the PDF instead: {pdf}  ({key(self, 'reading_pdf')} opens it, "
                f"{key(self, 'reading_copy_link')} copies it)"
            )
        else:
            self._fetch()

    # -- fetching ------------------------------------------------------------------------

    @work(exclusive=True, group="fulltext-fetch", exit_on_error=False)
    async def _fetch(self) -> None:
        assert self.client_factory is not None
        self.fetching = True
        self._say("Fetching the full text from Hugging Face…")
        # The view is not mounted while fetching: escape reaches the screen's own binding.
        self._status(f"fetching full text…  ({key(self, 'reading_back')} cancels)")
        try:
            # httpx and its TLS context take ~0.25 s to set up: not on the UI thread.
            made = await asyncio.to_thread(self.client_factory)
            async with made as client:
                client.on_wait = lambda s, why: self._status(f"waiting {s:.0f}s for {why}…")
                fetched = await fetch_fulltext(client, self.paper_id, progress=self._progress)
        except FullTextUnavailable as exc:
            reason = str(exc)
            self._say(
                f"{reason[:1].upper()}{reason[1:]}.\n\n"
                f"Read the PDF: {exc.pdf_url}  ({key(self, 'reading_pdf')} opens it)"
            )
            self._status("not available")
            return
        except FullTextError as exc:
            reason = text.one_line(str(exc), max_len=300)
            if not reason.startswith("could not"):
                reason = f"could not fetch the full text: {reason}"
            self._say(
                f"{reason[:1].upper()}{reason[1:]}\n\n"
                f"{key(self, 'reading_retry')} tries again · {key(self, 'reading_pdf')} opens the "
                f"PDF ({exc.pdf_url}) · {key(self, 'reading_copy_link')} copies its link"
            )
            self._status("fetch failed")
            return
        finally:
            self.fetching = False
        self._show(fetched.markdown, Position(0, 0))
        error = await asyncio.to_thread(
            _store_text, self.store.path, self.paper_id, fetched.markdown
        )
        if error is not None:
            self.notify(f"Full text not stored: {error}", severity="warning")
            return
        self._stored = True
        self._save()  # a place reached while it was being stored

    def _progress(self, received: int, total: int | None) -> None:
        of = f" of {_size(total)}" if total else ""
        cancel = key(self, "reading_back")
        self._status(f"fetching full text… {_size(received)}{of}  ({cancel} cancels)")

    # -- showing -------------------------------------------------------------------------

    def _say(self, message: str) -> None:
        self.message = message
        self.query_one("#reading-message", Static).update(Text(message))

    def _status(self, line: str) -> None:
        status = Text(no_wrap=True, overflow="ellipsis")
        status.append(text.one_line(line, max_len=300))
        self.query_one("#reading-status", Static).update(status)

    def _show(self, markdown: str, position: Position) -> None:
        self.message = ""
        self.query_one("#reading-message").remove()
        self.view = ReadingView(markdown, position=position, id="reading-view")
        self.query_one("#reading-body").mount(self.view)
        self.view.focus()
        self._describe(position, self.view.document.progress(position))
        if self._find:
            self.call_after_refresh(self.view.find, self._find)

    def _describe(self, position: Position, progress: float) -> None:
        view = self.view
        if view is None:
            return
        current, total = view.hits
        match = [f"match {current}/{total}"] if total else []
        keys = (
            f"{key(self, 'reading_contents')} contents · {key(self, 'reading_find')} find · "
            f"{key(self, 'reading_links')} links · {key(self, 'reading_close')} back"
        )
        # The section's title gets the room the rest leaves: at 80 columns a long one
        # pushed the keys off the line.
        width = self.size.width - 2  # the status line spans the screen, less its padding
        percent = f"{progress:.0f}%"
        room = width - len("  ·  ".join([percent, *match, keys])) - len("  ·  ")
        section = view.document.section_of(position.block)
        title = []
        if section is not None and room >= MIN_SECTION_SHOWN:
            title = [text.one_line(section.text, max_len=min(60, room))]
        self._status("  ·  ".join([percent, *title, *match, keys]))

    def on_resize(self) -> None:
        """Lay the status line out again for the new width."""
        if self.view is not None:
            position = self.view.position
            self._describe(position, self.view.document.progress(position))

    def on_reading_view_moved(self, event: reading_messages.Moved) -> None:
        """Update the status line; save the position a moment after the last move."""
        self._describe(event.position, event.progress)
        self._unsaved = (event.position, event.progress)
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._save)

    def _save(self) -> None:
        if self._unsaved is None or not self._stored:
            return
        position, progress = self._unsaved
        self._unsaved = None
        try:
            save_position(self.store, self.paper_id, position, progress)
        except StoreError as exc:
            self.notify(f"Reading position not saved: {exc}", severity="warning")

    def _flush(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save()

    def on_unmount(self) -> None:
        """Leaving by any route (the app quitting included) keeps the place."""
        self._flush()

    # -- actions -------------------------------------------------------------------------

    def on_reading_view_closed(self, event: reading_messages.Closed) -> None:
        """Escape in the text: back to where the reader came from."""
        event.stop()
        self.action_back()

    def action_back(self) -> None:
        """Escape: cancel a fetch, save the place, return to the screen below."""
        self.workers.cancel_group(self, "fulltext-fetch")
        self._flush()
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Links need a text; retry only means something after a failed fetch."""
        if action == "links":
            return self.view is not None
        if action == "retry":
            return self.view is None and not self.fetching and not self.offline
        return True

    def action_retry(self) -> None:
        """r: fetch again after a failure."""
        if self.view is None and not self.fetching and not self.offline:
            self._fetch()

    def action_links(self) -> None:
        """L: the paper's links; enter opens a web link, c copies."""
        if self.view is not None:
            self.app.push_screen(LinksDialog(self.view.document.links), self._open_url)

    def action_pdf(self) -> None:
        """p: the arXiv PDF in the browser."""
        self._open_url(paper_urls(self.paper_id)["pdf"])

    def action_copy_link(self) -> None:
        """c: copy the link that could not be opened, else the PDF's (OSC 52: over SSH too)."""
        unopened = getattr(self.app, "unopened_link", None)
        url = unopened if isinstance(unopened, str) else paper_urls(self.paper_id)["pdf"]
        self.app.copy_to_clipboard(url)
        self.notify(f"Copied {url}", timeout=3)

    def _open_url(self, url: str | None) -> None:
        if not url:
            return
        opener = self._opener or getattr(self.app, "open_link", None)
        if opener is not None:
            opener(url)
        elif text.is_safe_url(url):
            webbrowser.open(url, new=2)


def open_reading(app: App[object], store: Store, settings: Settings, paper_id: str) -> None:
    """Push the reading screen for ``paper_id``, fetching through a client built from
    ``settings`` unless the reader is offline (or a demo) — then only a stored text opens."""

    def client() -> HFClient:
        return client_for(settings)

    if settings.demo:
        from paperreader.core.demo import demo_fulltext

        try:
            demo_fulltext(store, paper_id)  # the demo's papers have made-up full texts too
        except StoreError as exc:
            app.notify(str(exc), severity="error")
    offline = settings.offline or settings.demo
    why = "demo store" if settings.demo else "offline"
    screen = ReadingScreen(store, paper_id, None if offline else client, offline, why_offline=why)
    app.push_screen(screen)
