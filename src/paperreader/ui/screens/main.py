"""MainScreen: FilterPane | search + PaperList | PaperDetail, and the status line.

The screen holds the current ``PaperFilter`` and runs the store queries; the widgets
only display. Marks are written to the store the moment a key is pressed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input

from paperreader.core import clock
from paperreader.core.config import Settings
from paperreader.core.models import (
    PaperFilter,
    PaperRow,
    SyncProgress,
    SyncReport,
    paper_urls,
)
from paperreader.core.store import Store, StoreError
from paperreader.core.views import SORT_LABELS, SORTS, VIEW_LABELS, VIEWS, View, default_sort
from paperreader.ui.widgets import FilterPane, PaperDetail, PaperList, StatusLine
from paperreader.ui.widgets.filter_pane import apply_change

SEARCH_DEBOUNCE = 0.15
#: Rows queried on the UI thread before the first paint of a (re)query.
PREFIX_ROWS = 300
#: The detail pane follows the cursor after this pause, so holding j/k stays smooth.
DETAIL_DELAY = 0.04
#: Best-match order ranks the newest this-many matches (bm25 costs ~2 µs per ranked
#: match); older matches follow newest-first. Keeps search-as-you-type under a frame
#: budget at 100,000 papers.
RANK_WINDOW = 1000
NARROW = 100
WIDE = 160
FILTERS_BY_DEFAULT = 120
#: While a sync is landing papers, re-query the list at most this often (seconds).
LIVE_REFRESH = 2.0

Opener = Callable[[str], None]


class MainScreen(Screen[None]):
    """The reader's one working screen."""

    BINDINGS = [
        Binding("r", "toggle_read", "Read", id="toggle_read"),
        Binding("f", "toggle_favourite", "Fav", id="toggle_favourite"),
        # The footer keeps to what fits in 80 columns; ? lists every key. o/a/p are shown
        # in the detail pane, next to the links they open.
        Binding("n", "next_unread", "Next unread", show=False, id="next_unread"),
        Binding("N", "previous_unread", "Prev unread", show=False, id="previous_unread"),
        Binding("slash", "search", "Search", id="search"),
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding("tab", "next_pane", "Pane", show=False, id="next_pane"),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False, id="previous_pane"),
        Binding("o", "open('hf')", "Open the HF page", show=False, id="open_hf"),
        Binding("p", "open('pdf')", "Open the PDF", show=False, id="open_pdf"),
        Binding("a", "open('arxiv')", "Open the arXiv page", show=False, id="open_arxiv"),
        Binding("F", "toggle_filters", "Filters", id="toggle_filters"),
        Binding("s", "cycle_sort", "Sort", show=False, id="cycle_sort"),
        *(
            Binding(str(i), f"view('{v}')", f"View {VIEW_LABELS[v]}", show=False, id=f"view_{v}")
            for i, v in enumerate(VIEWS, 1)
        ),
    ]

    paper_filter: reactive[PaperFilter] = reactive(PaperFilter, init=False, always_update=True)
    show_filters: reactive[bool] = reactive(False, init=False)

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        opener: Opener,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.opener = opener
        self.today = today or clock.today
        self.unread_total = 0
        self._search_timer: Timer | None = None
        self._read_timer: Timer | None = None
        self._last_live_refresh = 0.0
        self._last_progress_papers = 0
        self._filters_chosen = False
        self._sort_chosen = False
        self._detail_full = False
        self._generation = 0
        self._detail_timer: Timer | None = None

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield FilterPane(id="filters")
            with Vertical(id="list-column"):
                yield Input(
                    placeholder="/ search titles, abstracts, authors, keywords", id="search"
                )
                yield PaperList(self.store.rows, id="list")
            yield PaperDetail(id="detail")
        yield StatusLine(id="status")
        yield Footer()

    @property
    def paper_list(self) -> PaperList:
        return self.query_one("#list", PaperList)

    @property
    def detail(self) -> PaperDetail:
        return self.query_one("#detail", PaperDetail)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    @property
    def filters(self) -> FilterPane:
        return self.query_one("#filters", FilterPane)

    def on_mount(self) -> None:
        self._layout(self.app.size.width)
        self.paper_list.on_need_more = self._need_more_ids
        self.paper_filter = PaperFilter()
        self.paper_list.focus()
        last = self.store.get_meta("last_sync_at")
        if self.settings.demo:
            self.status.set_sync("demo store (synthetic papers, no network)")
        elif self.settings.offline:
            self.status.set_sync("offline" + (f" · last sync {_when(last)}" if last else ""))
        elif last:
            self.status.set_sync(f"last sync {_when(last)}")

    async def after_first_paint(self) -> None:
        """Counts, facets and the filter controls: the app calls this once it is on screen."""
        self._refresh_counts()
        await self.filters.populate()

    def on_resize(self, event: Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")
        self.set_class(width >= WIDE, "-wide")
        if not self._filters_chosen:
            self.show_filters = width >= FILTERS_BY_DEFAULT
        self.set_class(not self.show_filters, "-filters-hidden")

    def watch_show_filters(self, show: bool) -> None:
        self.set_class(not show, "-filters-hidden")
        if not show and self.filters.has_focus_within:
            self.paper_list.focus()

    # -- querying ----------------------------------------------------------------------

    def watch_paper_filter(self, flt: PaperFilter) -> None:
        self.requery()

    def requery(self, *, keep: int | None = None) -> None:
        """Run the current filter against the store and show the result in place.

        The first screenful is queried here, so it paints at once at any store size; the
        complete id list (tens of ms at 100,000 papers) follows from a thread worker.
        """
        self._generation += 1
        flt = self.paper_filter
        try:
            ids, total = self.store.query_prefix(
                flt, PREFIX_ROWS, today=self.today(), rank_window=RANK_WINDOW
            )
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        self.paper_list.set_ids(ids, total=total, keep=keep)
        self._update_listing()
        if not ids:
            self.detail.show(None, empty_hint=self._empty_hint())
        # The rest of a long result loads only when the reader scrolls towards it (or the
        # cursor's paper must be found in it): most lists are read from the top.

    def _need_more_ids(self) -> None:
        # After the paint: the worker's Python loop would otherwise compete for the GIL.
        self.call_after_refresh(self._load_all_ids, self.paper_filter, self._generation)

    def ensure_all_ids(self) -> None:
        """Load the whole result now (for actions that walk it, like next-unread)."""
        if not self.paper_list.complete:
            ids = self.store.query_rids(
                self.paper_filter, today=self.today(), rank_window=RANK_WINDOW
            )
            self._generation += 1
            self.paper_list.complete_ids(ids)

    @work(thread=True, exclusive=True, group="ids", exit_on_error=False, description="ids")
    def _load_all_ids(self, flt: PaperFilter, generation: int) -> None:
        with Store(self.store.path, migrate=False) as reader:
            ids = reader.query_rids(flt, today=self.today(), rank_window=RANK_WINDOW)
        self.app.call_from_thread(self._all_ids_loaded, ids, generation)

    def _all_ids_loaded(self, ids: Sequence[int], generation: int) -> None:
        if generation == self._generation:  # a newer query has replaced this one
            self.paper_list.complete_ids(ids)
            self._update_listing()

    def _refresh_counts(self) -> None:
        # Both are index-backed and take a few ms at 100,000 papers: cheaper here than
        # a thread and a second connection (each costs memory that stays resident).
        try:
            self._counts_loaded(self.store.unread_count(), self.store.keyword_facets())
        except StoreError as exc:
            self.notify(str(exc), severity="error")

    def _counts_loaded(self, unread: int, facets: list[tuple[str, int]]) -> None:
        self.unread_total = unread
        self.filters.set_facets(facets)
        self._update_listing()

    def _empty_hint(self) -> str:
        if self.store.count() == 0:
            if self.settings.offline:
                return "The store is empty and the reader is offline. Run `paperreader sync`."
            return "The store is empty. Press R to sync now (or try `paperreader --demo`)."
        return "No papers match this filter. Press escape to clear the search, 1 for All."

    def _update_listing(self) -> None:
        flt = self.paper_filter
        parts = [
            f"{self.paper_list.count:,} papers",
            f"{self.unread_total:,} unread",
            VIEW_LABELS[flt.view],
            SORT_LABELS[flt.sort],
        ]
        if flt.search.strip():
            parts.append(f"“{flt.search.strip()[:30]}”")
        if flt.keyword:
            parts.append(f"#{flt.keyword}")
        if flt.min_upvotes:
            parts.append(f"▲≥{flt.min_upvotes}")
        if flt.since or flt.until:
            parts.append(f"{flt.since or '…'}→{flt.until or '…'}")
        self.status.set_listing(" · ".join(parts))

    @on(FilterPane.Changed)
    def _filters_changed(self, event: FilterPane.Changed) -> None:
        if event.sort != self.paper_filter.sort:
            self._sort_chosen = True
        self.paper_filter = apply_change(self.paper_filter, event)

    @on(Input.Changed, "#search")
    def _search_typed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        value = event.value
        self._search_timer = self.set_timer(SEARCH_DEBOUNCE, lambda: self._apply_search(value))

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._apply_search(event.value)
        self.paper_list.focus()

    def _apply_search(self, value: str) -> None:
        if value == self.paper_filter.search:
            return
        flt = dataclasses.replace(self.paper_filter, search=value)
        if not self._sort_chosen:
            # Best matches first while searching, newest first otherwise, unless the
            # reader picked an order themselves.
            flt = dataclasses.replace(flt, sort=default_sort(value))
        self.paper_filter = flt
        self.filters.set_sort(flt.sort)

    # -- selection and detail ----------------------------------------------------------

    @on(PaperList.Highlighted)
    def _highlighted(self, event: PaperList.Highlighted) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
        row = event.row
        self._detail_timer = self.set_timer(DETAIL_DELAY, lambda: self._show(row))

    def _show(self, row: PaperRow | None) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        if row is None:
            self.detail.show(None, empty_hint=self._empty_hint())
            return
        self.detail.show(self.store.get(row.id, with_signals=True))
        seconds = self.settings.auto_read_seconds
        if seconds > 0 and not row.read:
            self._read_timer = self.set_timer(seconds, lambda: self._auto_read(row.rid))

    def _auto_read(self, rid: int) -> None:
        row = self.paper_list.current
        if row is not None and row.rid == rid and not row.read:
            self._set_read(row, True)

    @on(PaperList.Selected)
    def _selected(self, event: PaperList.Selected) -> None:
        if not event.row.read:
            self._set_read(event.row, True)
        if self.has_class("-narrow"):
            self._detail_full = True
            self.add_class("-detail-full")
        self.detail.focus()

    # -- marks -------------------------------------------------------------------------

    def _set_read(self, row: PaperRow, read: bool) -> bool:
        try:
            self.store.set_read([row.id], read)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return False
        if read != row.read:
            self.unread_total += -1 if read else 1
        self._refresh_row(row)
        return True

    def _refresh_row(self, row: PaperRow) -> None:
        self.paper_list.refresh_rows([row.rid])
        current = self.paper_list.current
        if current is not None and current.rid == row.rid:
            self.detail.show(self.store.get(row.id, with_signals=True))
        self._update_listing()

    def action_toggle_read(self) -> None:
        row = self.paper_list.current
        if row is None:
            return
        if self._set_read(row, not row.read) and not row.read:
            # Triage flow: marking read moves on to the next paper.
            self.paper_list.action_cursor_down()

    def action_toggle_favourite(self) -> None:
        row = self.paper_list.current
        if row is None:
            return
        try:
            self.store.set_favourite(row.id, not row.favourite)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        self._refresh_row(row)

    def mark_all_read(self) -> None:
        """Mark every paper in the current list read (command palette)."""
        try:
            self.ensure_all_ids()
            rids = self.paper_list.row_ids
            if not rids:
                return
            ids = self.store.paper_ids(rids)
            changed = self.store.set_read(ids, True)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        self.unread_total = self.store.unread_count()
        self.paper_list.refresh_rows()
        self._show(self.paper_list.current)
        self._update_listing()
        self.notify(f"Marked {changed:,} papers read")

    def _step_unread(self, step: int) -> None:
        self.ensure_all_ids()
        pl = self.paper_list
        index = pl.cursor + step
        while 0 <= index < pl.count:
            row = pl.row_at(index)
            if row is not None and not row.read:
                pl.move_to(index)
                return
            index += step
        self.notify("No more unread papers this way", timeout=2)

    def action_next_unread(self) -> None:
        self._step_unread(1)

    def action_previous_unread(self) -> None:
        self._step_unread(-1)

    def action_open(self, which: str) -> None:
        row = self.paper_list.current
        if row is None:
            return
        url = paper_urls(row.id).get(which)
        if url is None:
            return
        self.opener(url)
        if not row.read:
            self._set_read(row, True)

    # -- navigation --------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if self._detail_full:
            self._detail_full = False
            self.remove_class("-detail-full")
            self.paper_list.focus()
        elif search.has_focus:
            if search.value:
                search.value = ""
                self._apply_search("")
            else:
                self.paper_list.focus()
        elif self.filters.has_focus_within or self.detail.has_focus:
            self.paper_list.focus()
        elif self.paper_filter.search:
            search.value = ""
            self._apply_search("")

    def _panes(self) -> list[str]:
        panes = ["#list", "#detail"]
        if self.show_filters:
            panes.insert(0, "#filters")
        return panes

    def _focused_pane(self) -> str | None:
        for pane in ("#filters", "#list", "#detail", "#search"):
            widget = self.query_one(pane)
            if widget.has_focus or widget.has_focus_within:
                return "#list" if pane == "#search" else pane
        return None

    def _cycle(self, step: int) -> None:
        panes = self._panes()
        current = self._focused_pane()
        index = panes.index(current) if current in panes else 0
        target = panes[(index + step) % len(panes)]
        if target == "#filters":
            self._focus_filters()
        else:
            self.query_one(target).focus()

    def action_next_pane(self) -> None:
        self._cycle(1)

    def action_previous_pane(self) -> None:
        self._cycle(-1)

    def action_toggle_filters(self) -> None:
        self._filters_chosen = True
        self.show_filters = not self.show_filters
        if self.show_filters:
            self._focus_filters()

    def _focus_filters(self) -> None:
        if self.filters.populated:
            self.query_one("#views").focus()

    def action_view(self, view: View) -> None:
        self.filters.set_view(view)

    def action_cycle_sort(self) -> None:
        sorts = [s for s in SORTS if s != "relevance" or self.paper_filter.search.strip()]
        current = self.paper_filter.sort
        nxt = sorts[(sorts.index(current) + 1) % len(sorts)] if current in sorts else sorts[0]
        self._sort_chosen = True
        self.paper_filter = dataclasses.replace(self.paper_filter, sort=nxt)
        self.filters.set_sort(nxt)

    # -- sync reports (called by the app) ----------------------------------------------

    def sync_progress(self, progress: SyncProgress) -> None:
        total = f"/{progress.total}" if progress.total else ""
        self.status.set_sync(
            f"syncing {progress.done}{total} · {progress.papers:,} papers · {progress.message}",
            style="bold",
        )
        now = time.monotonic()
        if progress.papers > self._last_progress_papers and now - self._last_live_refresh >= (
            LIVE_REFRESH
        ):
            self._last_progress_papers = progress.papers
            self._last_live_refresh = now
            self._after_new_papers()

    def sync_finished(self, report: SyncReport, at: str) -> None:
        self._last_progress_papers = 0
        self._after_new_papers(final=True)
        summary = f"synced {_when(at)} · {report.new} new · {report.updated} updated"
        if report.periods_failed:
            failed = ", ".join(sorted(report.periods_failed)[:3])
            more = len(report.periods_failed) - 3
            summary += f" · failed: {failed}" + (f" +{more}" if more > 0 else "")
            if all("could not reach" in e for e in report.periods_failed.values()):
                self.status.set_sync(
                    f"offline · showing stored papers · {_when(at)}", style="yellow"
                )
                return
            self.status.set_sync(summary, style="red")
            return
        self.status.set_sync(summary, style="green")

    def sync_failed(self, error: str) -> None:
        self.status.set_sync(f"sync failed: {error}", style="red")

    def _after_new_papers(self, *, final: bool = False) -> None:
        self._requery_off_thread(self.paper_filter, self._generation)
        if final:
            self._refresh_counts()  # facets group every keyword: once, when the sync ends

    @work(thread=True, exclusive=True, group="live", exit_on_error=False, description="live")
    def _requery_off_thread(self, flt: PaperFilter, generation: int) -> None:
        """A re-query nobody is waiting for (papers arriving): SQL off the UI thread."""
        with Store(self.store.path, migrate=False) as reader:
            ids, total = reader.query_prefix(
                flt, PREFIX_ROWS, today=self.today(), rank_window=RANK_WINDOW
            )
            unread = reader.unread_count()
        self.app.call_from_thread(self._live_result, ids, total, unread, generation)

    def _live_result(self, ids: list[int], total: int, unread: int, generation: int) -> None:
        self.unread_total = unread
        if generation != self._generation:
            return  # the reader changed the filter meanwhile; that query wins
        self._generation += 1
        self.paper_list.set_ids(ids, total=total)
        self._update_listing()
        current = self.paper_list.current
        if current is not None and self.detail.record is None:
            self._show(current)


def _when(stamp: str | None) -> str:
    """A UTC timestamp as local wall-clock time (today) or date and time."""
    if not stamp:
        return "never"
    parsed = clock.parse_stamp(stamp)
    if parsed is None:
        return stamp
    moment = parsed.astimezone()
    now = clock.local_now()
    return f"{moment:%H:%M}" if moment.date() == now.date() else f"{moment:%Y-%m-%d %H:%M}"
