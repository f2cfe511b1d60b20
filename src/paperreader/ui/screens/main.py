"""MainScreen: FilterPane | search + PaperList | PaperDetail, and the status line.

The screen composes the panes and routes events between them. What to list lives
in :class:`~paperreader.core.listing.Listing`, marks in
:class:`~paperreader.ui.screens.triage.Triage`, focus moves in
:mod:`~paperreader.ui.screens.panes`; sync news arrives on the app's signal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Resize
from textual.reactive import reactive
from textual.screen import Screen
from textual.signal import Signal
from textual.widget import Widget
from textual.widgets import Footer, Input

from paperreader.core import clock, sync_status
from paperreader.core.config import Settings
from paperreader.core.listing import Listing, load_facets
from paperreader.core.models import PaperFilter, SyncProgress, SyncReport
from paperreader.core.store import Store, StoreError
from paperreader.core.sync_process import SyncEvent
from paperreader.core.views import View
from paperreader.ui.after_sync import AfterSyncDone
from paperreader.ui.errors import reports_store_errors
from paperreader.ui.key_names import key
from paperreader.ui.messages import FirstPaint
from paperreader.ui.screens import annotate, hub, panes
from paperreader.ui.screens.commands import ReaderCommands
from paperreader.ui.screens.radar import Radar
from paperreader.ui.screens.radar_commands import RadarCommands
from paperreader.ui.screens.triage import Opener, Triage
from paperreader.ui.state_follow import StateFollower
from paperreader.ui.widgets import FilterPane, PaperDetail, PaperList, StatusLine
from paperreader.ui.widgets.detail_extras import detail_extras
from paperreader.ui.widgets.list_pane import ListPane
from paperreader.ui.widgets.tag_facets import TagFacets, refresh_tag_facets

#: What terse footer labels mean in full (the help screen shows these).
DONE = "Done: mark read (never unread), go to the next unread"
DAY = "Mark this day read"


class MainScreen(Screen[None]):
    """The reader's one working screen."""

    COMMANDS = {ReaderCommands, RadarCommands}
    # The footer keeps to what fits in 80 columns; ? lists every key. o/a/p/c are shown
    # in the detail pane, next to the links they open; u is offered on the status line
    # after every mark ("u to undo"), which is when it is wanted.
    BINDINGS = [
        Binding("r", "triage('read_next')", "Done", tooltip=DONE, id="read_next"),
        Binding("U", "triage('mark_unread')", "Mark unread", show=False, id="mark_unread"),
        Binding("f", "triage('toggle_favourite')", "Fav", id="toggle_favourite"),
        Binding("D", "triage('mark_day')", "Day", tooltip="Mark this day read", id="mark_day_read"),
        Binding("A", "triage('mark_above')", "Mark above read", show=False, id="mark_above"),
        Binding("u,ctrl+z", "triage('undo')", "Undo", show=False, id="undo"),
        Binding("space", "triage('read_on')", "Page, then next paper", show=False, id="read_on"),
        Binding("n", "triage('next_unread')", "Next unread", show=False, id="next_unread"),
        Binding("N", "triage('previous_unread')", "Prev unread", show=False, id="previous_unread"),
        # Priority: run as the key arrives, so the keys typed right after it reach the box
        # (see action_search).
        Binding("slash", "search", "Search", priority=True, id="search"),
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding("tab", "next_pane(1)", "Pane", show=False, id="next_pane"),
        Binding("shift+tab", "next_pane(-1)", "Previous pane", show=False, id="previous_pane"),
        Binding("o", "open('hf')", "Open the HF page", show=False, id="open_hf"),
        Binding("p", "open('pdf')", "Open the PDF", show=False, id="open_pdf"),
        Binding("a", "open('arxiv')", "Open the arXiv page", show=False, id="open_arxiv"),
        Binding("c", "triage('copy_link')", "Copy the link", show=False, id="copy_link"),
        Binding("w", "read_full", "Paper", tooltip="Read the whole paper", id="read_full_text"),
        Binding("L", "hub_links", "Models and datasets on the Hub", show=False, id="hub_links"),
        Binding("v", "cycle_view(1)", "View", id="next_view"),
        Binding("V", "cycle_view(-1)", "Previous view", show=False, id="previous_view"),
        Binding("s", "cycle_sort", "Sort", show=False, id="cycle_sort"),
        Binding("F", "toggle_filters", "Filters", show=False, id="toggle_filters"),
        Binding("W", "radar('save_watch')", "Save as watch", show=False, id="save_watch"),
        Binding("M", "radar('more_like_this')", "More like this", show=False, id="more_like"),
        Binding("ctrl+r", "radar('remote_search')", "Search all HF", show=False, id="remote"),
        *annotate.BINDINGS,
    ]
    #: Decisions the ``triage`` action may run (names of ``Triage`` methods).
    DECISIONS = frozenset(
        {"read_next", "mark_unread", "toggle_favourite", "mark_day", "mark_above", "undo"}
        | {"mark_all_read", "copy_link", "read_on", "next_unread", "previous_unread"}
    )

    show_filters: reactive[bool] = reactive(False, init=False)

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        opener: Opener,
        sync_events: Signal[SyncEvent],
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.listing = Listing(store, today=today or clock.today)
        self.triage = Triage(self, opener)
        self.radar = Radar(self)
        self.annotator = annotate.Annotator(self)
        self.state = StateFollower(self, self.annotator, store.path, settings.state_dir)
        self._sync_events = sync_events
        self.filters_chosen = False
        """The reader showed or hid the filter pane: the width no longer decides."""
        self._facets_asked = 0

    def compose(self) -> ComposeResult:
        """Filters | search over the list | detail; the status line and keys below."""
        # The layout classes go on before the panes exist: set after, they restyle every
        # widget once more (a tenth of the start-up).
        panes.lay_out(self, self.app.size.width)
        with Horizontal(id="panes"):
            yield FilterPane(id="filters")
            yield ListPane(self.listing, self.triage.rows, self._sync_events, id="list-column")
            yield PaperDetail(id="detail", extras=self._detail_extras())
        yield StatusLine(self.settings, self._sync_events, id="status")
        yield Footer(compact=True)

    @property
    def list_pane(self) -> ListPane:
        """The search box and the list."""
        return self.query_one(ListPane)

    @property
    def paper_list(self) -> PaperList:
        """The list of papers."""
        return self.query_one("#list", PaperList)

    @property
    def detail(self) -> PaperDetail:
        """The detail pane."""
        return self.query_one("#detail", PaperDetail)

    @property
    def status(self) -> StatusLine:
        """The status line."""
        return self.query_one("#status", StatusLine)

    @property
    def filters(self) -> FilterPane:
        """The filter pane."""
        return self.query_one("#filters", FilterPane)

    def on_mount(self) -> None:
        """Lay out for the terminal, list the papers and listen for sync news."""
        panes.lay_out(self, self.app.size.width)
        self.paper_list.focus()
        self.list_pane.show(PaperFilter())
        last_sync = self.store.get_meta("last_sync_at")
        self.status.set_sync(*sync_status.at_start(self.settings, last_sync))
        self._sync_events.subscribe(self, self._sync_event)

    def on_unmount(self) -> None:
        """Quitting: the radar remembers what has been seen."""
        self.radar.end()

    @on(FirstPaint)
    async def _after_first_paint(self) -> None:
        # The radar's stock-taking is a thread, but it holds the GIL often enough to
        # delay the first frame and the first keys: it starts once the list is up.
        self.radar.start(self._sync_events)
        self._refresh_counts()
        await self.filters.populate()
        refresh_tag_facets(self, self.store)
        self.state.start()  # merge the other machines' journals, then follow the folder

    @reports_store_errors
    def _refresh_counts(self) -> None:
        # The unread count is indexed (~12 ms at 100k) and marks adjust it as they are
        # made, so it is read here; the keyword facets group every keyword, in a thread.
        self.listing.unread_total = self.store.unread_count()
        refresh_tag_facets(self, self.store)
        self.list_pane.announce()
        self._facets_asked += 1
        self._load_facets(self.store.path, self._facets_asked)

    @work(thread=True, exclusive=True, group="facets", exit_on_error=False, description="facets")
    def _load_facets(self, path: Path, asked: int) -> None:
        try:
            facets = load_facets(path)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._show_facets, facets, asked)

    def _show_facets(self, facets: list[tuple[str, int]], asked: int) -> None:
        # A thread already running is not stopped by a newer one: the older answer,
        # arriving last, must not replace the newer.
        if asked == self._facets_asked:
            self.filters.set_facets(facets)

    def on_resize(self, event: Resize) -> None:
        """Switch layouts with the terminal's width."""
        panes.lay_out(self, event.size.width)

    def watch_show_filters(self, show: bool) -> None:
        """Hide or show the filter pane; focus leaves it when it hides."""
        self.set_class(not show, "-filters-hidden")
        if not show and self.filters.has_focus_within:
            self.paper_list.focus()

    # -- what is listed ----------------------------------------------------------------

    @on(ListPane.Listed)
    def _listed(self, event: ListPane.Listed) -> None:
        self.status.set_listing(event.summary)
        self.filters.reflect(self.listing.filter)
        self.radar.listed()
        if event.empty:
            self.detail.show(None, empty_hint=self.empty_hint)
        elif event.live and self.detail.record is None:
            self.triage.show(self.paper_list.current)

    @property
    def empty_hint(self) -> str:
        """What the detail pane says when the list is empty."""
        syncing = bool(getattr(self.app, "syncing", False))
        return self.radar.empty_hint() or self.listing.empty_hint(
            offline=self.settings.offline, syncing=syncing, key=partial(key, self)
        )

    @on(TagFacets.Chosen)
    def _tag_chosen(self, event: TagFacets.Chosen) -> None:
        self.list_pane.show(dataclasses.replace(self.listing.filter, tag=event.tag))

    @on(FilterPane.Changed)
    def _filters_changed(self, event: FilterPane.Changed) -> None:
        self.list_pane.filters_changed(event)

    # -- selection ---------------------------------------------------------------------

    @on(PaperList.Highlighted)
    def _highlighted(self, event: PaperList.Highlighted) -> None:
        self.triage.follow(event.row)
        self.radar.follow(event.row)
        self.status.set_listing(self.list_pane.summary())

    @on(PaperList.Selected)
    def _selected(self, event: PaperList.Selected) -> None:
        self.triage.opened(event.row)
        if self.has_class("-stacked"):
            self.add_class("-detail-full")
        self.detail.focus()

    # -- keys --------------------------------------------------------------------------

    def action_triage(self, decision: str) -> None:
        """Run one of the reader's decisions (see ``DECISIONS`` and :class:`Triage`)."""
        if decision in self.DECISIONS:
            getattr(self.triage, decision)()

    def action_radar(self, name: str) -> None:
        """Run one of the radar's actions (see ``Radar.ACTIONS``)."""
        if name in Radar.ACTIONS:
            getattr(self.radar, name)()

    def action_annotate(self, what: str) -> None:
        """Write a note (``note``, ``note_external``) or change tags (``tags``)."""
        self.annotator.run(what)

    def action_open(self, which: str) -> None:
        """Open the paper's HF page, PDF or arXiv page (``which``: hf, pdf, arxiv)."""
        self.triage.open(which)

    def action_read_full(self) -> None:
        """Open the paper's full text full-screen (fetched once, then stored)."""
        from paperreader.ui.screens.reading import open_reading  # Markdown engine: on demand

        if (row := self.paper_list.current) is not None:
            open_reading(self.app, self.store, self.settings, row.id)

    def _detail_extras(self) -> list[Widget]:
        return detail_extras(self.store, self.settings, lambda: self.listing.filter.search)

    def action_hub_links(self) -> None:
        """The models, datasets and Spaces citing the paper: enter opens one on the Hub."""
        hub.show_links(self)

    def on_screen_resume(self) -> None:
        """Back from the reading view: the row shows the new reading progress."""
        if (row := self.paper_list.current) is not None:
            self.paper_list.refresh_rows([row.rid])

    def action_search(self) -> None:
        """Focus the search box (in a text field, "/" is typed there instead)."""
        if _takes_text(self.focused):
            raise SkipAction()
        # Focus moves now, not on the next turn of the loop as Widget.focus would: keys
        # arriving in one read with "/" ("/fud" from a fast typist or a busy frame) are
        # already queued, and each goes to whatever has focus when its turn comes. They
        # went to the list, where "f" starred a paper and "u" undid it.
        self.set_focus(self.list_pane.search_box)

    def action_back(self) -> None:
        """Leave the full-screen detail, clear the search, or return to the list."""
        if self.radar.leave_temporary():
            return
        panes.back(self)

    def action_next_pane(self, step: int) -> None:
        """Focus the next (``step`` 1) or previous (-1) pane or filter control."""
        panes.cycle(self, step)

    def action_toggle_filters(self) -> None:
        """Show or hide the filter pane."""
        self.filters_chosen = True
        self.show_filters = not self.show_filters
        if self.show_filters:
            panes.focus_filters(self)

    def action_view(self, view: View) -> None:
        """Switch to ``view`` (all, unread, favourites, today, week), cursor at the top."""
        self.list_pane.show_view(view)

    def action_cycle_view(self, step: int) -> None:
        """Switch to the next (``step`` 1) or previous (-1) view."""
        self.action_view(self.listing.next_view(step))

    def action_cycle_sort(self) -> None:
        """Switch to the next sort order."""
        self.list_pane.cycle_sort()

    @on(AfterSyncDone)
    def _after_sync(self, event: AfterSyncDone) -> None:
        hub.after_sync(self, event.report)

    def _sync_event(self, event: SyncEvent) -> None:
        if not isinstance(event, SyncProgress) and self.paper_list.count == 0:
            self.triage.show(None)  # the empty hint said "fetching…": say what now
        if isinstance(event, SyncReport):
            self._refresh_counts()  # facets group every keyword: once, when the sync ends
            self.state.merge()


def _takes_text(widget: Widget | None) -> bool:
    """Whether ``widget`` is a text field, where a key is typed rather than bound.

    TextArea is looked up, not imported: importing it (and its document model) cost the
    reader's every start ~1.5 MB and ~20 ms, and while nothing has imported it no widget
    can be one.
    """
    if isinstance(widget, Input):
        return True
    text_area = sys.modules.get("textual.widgets._text_area")
    return text_area is not None and isinstance(widget, text_area.TextArea)
