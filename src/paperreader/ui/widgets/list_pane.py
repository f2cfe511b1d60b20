"""ListPane: the search box over the paper list, and the queries that fill it.

The pane asks its :class:`~paperreader.core.listing.Listing` for the first page of a
filter (on the UI thread, so it paints at once at any store size) and loads the
rest, or a live re-query while a sync lands papers, from thread workers on their
own connections. Every change of what is listed is reported with
:class:`ListPane.Listed`.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import DescendantFocus
from textual.message import Message
from textual.signal import Signal
from textual.widgets import Static

from paperreader.core.listing import Listing, LivePage, Page, load_all, load_first, load_live
from paperreader.core.models import PaperFilter, SyncProgress, SyncReport
from paperreader.core.quick_search import RecentText
from paperreader.core.store import Store, StoreError
from paperreader.core.sync_process import SyncEvent
from paperreader.core.views import View
from paperreader.ui.errors import reports_store_errors
from paperreader.ui.key_names import key
from paperreader.ui.widgets.filter_pane import FilterPane, apply_change
from paperreader.ui.widgets.paper_list import PaperList, RowLoader
from paperreader.ui.widgets.search_box import SearchBox

#: While a sync is landing papers, re-query the list at most this often (seconds).
LIVE_REFRESH = 2.0
#: Rows in the quick first screenful painted for each keystroke of a search.
QUICK_ROWS = 60


class ListPane(Vertical):
    """Search box and paper list over one ``Listing``."""

    @dataclass
    class Listed(Message):
        """What is listed changed (filter, rows or counts): ``summary`` describes it."""

        pane: ListPane
        summary: str
        empty: bool
        live: bool = False
        """Papers arrived from a sync (the reader did not ask for this change)."""

        @property
        def control(self) -> ListPane:
            """The widget that sent the message (for ``@on`` selectors)."""
            return self.pane

    def __init__(
        self,
        listing: Listing,
        loader: RowLoader,
        sync_events: Signal[SyncEvent],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.listing = listing
        self._loader = loader
        self._sync_events = sync_events
        self._last_live_refresh = 0.0
        self._last_progress_papers = 0
        self._recent: RecentText | None = None
        self._loading = False
        self.showing = ""
        """The search text whose results the list shows (a preview or the full answer)."""
        self.settled = True
        """The list shows the listing's current filter (not a preview, nothing pending)."""
        self.counting = False
        """The rows shown are a search's first page; its matches are still being counted
        (a temporary list sets it back: its own count is final)."""
        self._preview_of: str | None = None
        """The text of the quick preview on screen, if one is."""
        self._return_to: int | None = None
        """The paper under the cursor when the search began: clearing the search returns
        to it, unless the reader moved in the results (then the paper moved to stays)."""
        self._placed: int | None = None
        """The paper a new search's answer put the cursor on (its first row)."""

    def compose(self) -> ComposeResult:
        """The search box, a banner for papers that landed above, the list."""
        yield SearchBox(id="search")
        yield Static("", id="new-above")
        yield PaperList(self._loader, id="list")

    def on_mount(self) -> None:
        """Listen for sync news (arriving papers are listed in place) and for the banner."""
        self._sync_events.subscribe(self, self._sync_event)
        self.watch(self.paper_list, "new_above", self._new_above)

    def _new_above(self, count: int) -> None:
        banner = self.query_one("#new-above", Static)
        banner.update(f"↑ {count:,} new — {key(self, 'first')} to see them" if count else "")
        banner.display = count > 0

    def _sync_event(self, event: SyncEvent) -> None:
        if isinstance(event, SyncProgress):
            self._papers_arriving(event.papers)
        elif isinstance(event, SyncReport):
            self._recent = None  # new papers: the quick search reloads on next use
            self._last_progress_papers = 0
            self._requery_live(self.listing.filter, self.listing.generation, self._kept())

    @property
    def paper_list(self) -> PaperList:
        """The list of papers."""
        return self.query_one(PaperList)

    @property
    def search_box(self) -> SearchBox:
        """The search box above the list."""
        return self.query_one(SearchBox)

    @reports_store_errors
    def show(self, flt: PaperFilter | None = None, *, keep: int | None = None) -> None:
        """List ``flt`` (or the current filter again), keeping row ``keep`` if listed.

        The rest of a long result loads only when the reader
        scrolls towards it (most lists are read from the top) or an action needs it.
        """
        if keep is None:
            keep = self._kept()
        page = self.listing.query(flt, keep=keep)
        self.paper_list.set_rids(
            page.rids, total=page.total, keep=keep, headed=self.listing.date_ordered
        )
        self.showing, self.settled = self.listing.filter.search, True
        self.counting, self._preview_of = False, None
        self.announce()

    def filters_changed(self, change: FilterPane.Changed) -> None:
        """List what the filter pane now asks for (the search text is kept)."""
        if change.sort != self.listing.filter.sort:
            self.listing.sort_chosen = True
        self.show(apply_change(self.listing.filter, change))

    def cycle_sort(self) -> None:
        """List in the next sort order."""
        self.show(self.listing.next_sort())

    def show_view(self, view: View) -> None:
        """List ``view`` (all, unread, favourites, today, week)."""
        self.show(self.listing.with_view(view))

    @on(SearchBox.Search)
    def _searched(self, event: SearchBox.Search) -> None:
        self.search(event.value)
        if event.submitted:
            self.paper_list.focus()

    def search(self, value: str) -> None:
        """List the papers matching ``value`` (best match first unless a sort was chosen).

        The counted, ranked query runs in a thread: a one-letter prefix costs seconds
        at 100,000 papers, and the quick preview is already on screen meanwhile.
        """
        if value.strip():
            self._search_begins()
        flt = self.listing.searching(value)
        if flt is None:
            if self.settled:
                return
            flt = self.listing.filter  # back to the text already searched: undo the preview
        if not flt.search.strip():
            self.show(flt, keep=self._back_to())
            return
        self.settled = False
        self._search_in_thread(flt, self.listing.begin(flt))

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="search")
    def _search_in_thread(self, flt: PaperFilter, generation: int) -> None:
        def uncounted(page: Page) -> None:
            self.app.call_from_thread(self._search_done, page, True)

        path, today = self.listing.store.path, self.listing.today()
        try:
            page = load_first(path, flt, today, generation, uncounted)
        except StoreError as exc:
            self.app.call_from_thread(self._search_failed, exc, generation)
            return
        self.app.call_from_thread(self._search_done, page)

    def _search_done(self, page: Page, counting: bool = False) -> None:
        # ``counting``: the matches are being counted; the count follows in a moment.
        if not self.listing.is_current(page.generation):
            return
        if self._preview_of not in (None, self.listing.filter.search):
            return  # a preview of newer text is on screen; its own search follows it
        # Another text's answer (or this text's newest-first preview) is on screen: this
        # one is read from its best match. The same text answered again keeps the cursor.
        fresh = self._preview_of is not None or self.showing != self.listing.filter.search
        self._preview_of = None
        pl = self.paper_list
        shown = list(pl.rids[: len(page.rids)])
        if self.counting and not counting and shown == list(page.rids):
            pl.set_total(page.total)  # the count for the rows shown (or their whole list)
        else:
            pl.set_rids(page.rids, total=page.total, headed=self.listing.date_ordered, top=fresh)
            if fresh:
                self._placed = self._kept()
        self.counting = counting
        self.showing, self.settled = self.listing.filter.search, not counting
        self.announce()

    def _search_begins(self) -> None:
        if not self.showing.strip():  # the unsearched list is on screen: remember the place
            self._return_to = self._kept()

    def _back_to(self) -> int | None:
        """Where the cursor goes when the search is cleared (None: stay on its paper)."""
        before, placed = self._return_to, self._placed
        self._return_to = self._placed = None
        return before if before is not None and self._kept() == placed else None

    def _search_failed(self, exc: StoreError, generation: int) -> None:
        if self.listing.is_current(generation):
            self.counting, self.settled = False, True
            self.announce()
        self.notify(str(exc), severity="error")

    @on(DescendantFocus)
    def _focused(self, event: DescendantFocus) -> None:
        if isinstance(event.widget, SearchBox) and self._recent is None and not self._loading:
            self._loading = True
            self._load_recent()

    @work(thread=True, exclusive=True, group="recent", exit_on_error=False, description="recent")
    def _load_recent(self) -> None:
        with Store(self.listing.store.path, migrate=False) as reader:
            recent = RecentText.load(reader)
        self.app.call_from_thread(self._recent_loaded, recent)

    def _recent_loaded(self, recent: RecentText) -> None:
        self._recent, self._loading = recent, False

    @on(SearchBox.Typed)
    @reports_store_errors
    def _preview(self, event: SearchBox.Typed) -> None:
        # A first screenful for this keystroke: newest-first matches among the newest
        # papers (quick_search), or the store's own newest-first answer when those are
        # too few and the words are long enough to be cheap to look up.
        value, recent, listing = event.value, self._recent, self.listing
        if recent is None or not listing.searches_everything:
            return
        rids = recent.match(value, QUICK_ROWS)
        if rids is None:
            return
        last = value.split()[-1] if value.split() else ""
        if len(rids) < QUICK_ROWS and not recent.complete and len(last) >= 3:
            flt = dataclasses.replace(listing.filter, search=value, sort="newest")
            # Full texts and notes join the counted answer, not this first paint.
            rids = list(
                listing.store.query_prefix(flt, QUICK_ROWS, today=listing.today(), extras=False)[0]
            )
        self._search_begins()
        self.paper_list.set_rids(rids, headed=True, top=True)  # each keystroke: from the top
        self._placed = self._kept()
        self.showing, self.settled, self.counting = value, False, False
        self._preview_of = value
        summary = listing.preview_summary(value, len(rids), more=len(rids) >= QUICK_ROWS)
        self.post_message(self.Listed(self, summary, not rids))

    def summary(self) -> str:
        """``12/611 · 37 unread · All · Newest``: where the cursor is, and what is listed."""
        pl = self.paper_list
        count = len(pl.rids) if self.counting else pl.count
        return self.listing.summary(pl.cursor + 1, count, counting=self.counting)

    def announce(self, *, live: bool = False) -> None:
        """Post :class:`Listed` with the current summary."""
        count = self.paper_list.count
        self.post_message(self.Listed(self, self.summary(), count == 0, live))

    def load_whole_list(self) -> None:
        """Load every rid now (for actions that walk the list); raises ``StoreError``."""
        if not self.paper_list.complete:
            self.paper_list.complete_rids(self.listing.all_rids())
            if self.counting:  # the whole list is its count; the pending one is stale now
                self.counting, self.settled = False, True
                self.announce()

    @on(PaperList.NeedRows)
    def _need_rows(self) -> None:
        # After the paint: the worker's Python loop would otherwise compete for the GIL.
        listing = self.listing
        self.call_after_refresh(self._load_rest, listing.filter, listing.generation)

    @work(thread=True, exclusive=True, group="ids", exit_on_error=False, description="ids")
    def _load_rest(self, flt: PaperFilter, generation: int) -> None:
        listing = self.listing
        rids = load_all(
            listing.store.path, flt, listing.today(), lambda: not listing.is_current(generation)
        )
        if rids is not None:
            self.app.call_from_thread(self._rest_loaded, rids, generation)

    def _rest_loaded(self, rids: Sequence[int], generation: int) -> None:
        if self.listing.is_current(generation):
            self.paper_list.complete_rids(rids)
            self.announce()

    def _papers_arriving(self, papers: int) -> None:
        # A sync has stored ``papers`` so far: re-query now and then, off the UI thread.
        now = time.monotonic()
        if papers > self._last_progress_papers and now - self._last_live_refresh >= LIVE_REFRESH:
            self._last_progress_papers = papers
            self._last_live_refresh = now
            self._requery_live(self.listing.filter, self.listing.generation, self._kept())

    def _kept(self) -> int | None:
        pl = self.paper_list
        return pl.model.rid_at(pl.cursor) if pl.count else None

    @work(thread=True, exclusive=True, group="live", exit_on_error=False, description="live")
    def _requery_live(self, flt: PaperFilter, generation: int, keep: int | None) -> None:
        live = load_live(self.listing.store.path, flt, self.listing.today(), generation, keep)
        self.app.call_from_thread(self._live_result, live)

    def _live_result(self, live: LivePage) -> None:
        if self.listing.accept_live(live, showable=self.settled):
            self.paper_list.set_rids(live.page.rids, total=live.page.total, live=True)
            self.counting = False
        self.announce(live=True)
