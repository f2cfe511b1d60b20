"""The reader's current list, without widgets: filter, generation, pages and counts.

A ``Listing`` holds the filter the reader is looking at and answers for it: the
first page of row keys (``rid`` values), queried at once so it paints at any store size;
the rest of them, which a thread can load on its own connection; the unread count
and keyword facets; and the one-line summary the status line shows. Every new query
bumps ``generation``, so a slow answer for an older filter is recognised and dropped.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from paperreader.core.models import PaperFilter
from paperreader.core.store import Store
from paperreader.core.store.query import fts_query
from paperreader.core.store.trending import trending_fetched_at
from paperreader.core.views import SORT_LABELS, SORTS, VIEW_LABELS, VIEWS, View, default_sort

#: The reader's own keys for the bindings an empty list's hint names (binding id → key);
#: the reader passes its keymap's instead when the user moved them.
HINT_KEYS = {
    "sync_now": "R",
    "cycle_sort": "s",
    "next_view": "v",
    "back": "esc",
    "toggle_filters": "F",
}

#: Rows queried on the UI thread before the first paint of a (re)query.
PREFIX_ROWS = 300
#: Best-match order ranks the newest this-many matches (bm25 costs ~2 µs per ranked
#: match); older matches follow newest-first. Keeps search-as-you-type under a frame
#: budget at 100,000 papers.
RANK_WINDOW = 1000
#: A live re-query (a thread) reads at most this many rows to keep the reader's paper
#: in its page; a re-query on the UI thread (the search cleared, a view changed) at most
#: ``SHOW_REACH``. Past them, the list loads every rid in a thread to find the paper.
LIVE_REACH = 19_200
SHOW_REACH = 4_800
#: Rids read between two checks that a whole-list load is still wanted (small slices keep
#: the peak memory of a 100,000-rid load down: 4,096 held ~1 MB more).
ALL_SLICE = 1_024


@dataclass(frozen=True, slots=True)
class Page:
    """The first ``rids`` of a result of ``total`` rows, for query ``generation``."""

    rids: Sequence[int]
    total: int
    generation: int


@dataclass(frozen=True, slots=True)
class LivePage:
    """A re-query made while papers arrive (off the UI thread), with the unread count."""

    page: Page
    unread: int


class Listing:
    """The current filter over one store, and the queries the list pane needs."""

    def __init__(self, store: Store, *, today: Callable[[], dt.date]) -> None:
        self.store = store
        self.today = today
        self.filter = PaperFilter()
        self.generation = 0
        self.unread_total = 0
        self.sort_chosen = False
        """The reader picked an order: searching no longer switches to best match."""

    # -- queries -----------------------------------------------------------------------

    def query(self, flt: PaperFilter | None = None, *, keep: int | None = None) -> Page:
        """Make ``flt`` (or the current filter again) current; return its first page,
        reaching down to row ``keep`` when it is among the first ``SHOW_REACH`` rows.

        Raises ``StoreError`` when the store cannot answer.
        """
        if flt is not None:
            self.filter = flt
        self.generation += 1
        # A search re-ranks at each step down (~40 ms for "mod" at 100k): on the UI thread
        # only a plain list reaches; a search leaves finding the paper to the thread.
        reach = SHOW_REACH if fts_query(self.filter.search) is None else PREFIX_ROWS
        rids, total = _reaching(self.store, self.filter, self.today(), keep, reach)
        return Page(rids, total, self.generation)

    def begin(self, flt: PaperFilter) -> int:
        """Make ``flt`` current without querying (a thread will); returns its generation."""
        self.filter = flt
        self.generation += 1
        return self.generation

    @property
    def searches_everything(self) -> bool:
        """Only search text (and order) narrow the list: no view, date, vote or keyword.

        The trending order narrows it too (to the ranked papers).
        """
        flt = self.filter
        return (
            flt.sort != "trending"
            and dataclasses.replace(flt, search="", sort="newest") == PaperFilter()
        )

    def all_rids(self) -> Sequence[int]:
        """Every rid of the current filter, on this connection (for actions that walk it).

        Starts a new generation: a background load of the same list is now stale.
        """
        rids = self.store.query_rids(self.filter, today=self.today(), rank_window=RANK_WINDOW)
        self.generation += 1
        return rids

    def is_current(self, generation: int) -> bool:
        """Whether an answer for ``generation`` still belongs to the list on screen."""
        return generation == self.generation

    def accept_live(self, live: LivePage, *, showable: bool = True) -> bool:
        """Take the counts of a live re-query; True when its rows should be shown.

        ``showable`` False (the list shows a preview, a temporary list or a search still
        being counted): only the counts are taken, and the answer pending for the list
        on screen stays current.
        """
        self.unread_total = live.unread
        if not showable or not self.is_current(live.page.generation):
            return False  # the reader changed the filter meanwhile; that query wins
        self.generation += 1
        return True

    @property
    def date_ordered(self) -> bool:
        """Whether the list runs newest first (so days form runs and get headings)."""
        flt = self.filter
        if flt.view == "foryou" and fts_query(flt.search) is None:
            return False  # best score (or votes) first: days do not form runs
        return flt.sort == "newest" or (flt.sort == "relevance" and fts_query(flt.search) is None)

    # -- filter changes ----------------------------------------------------------------

    def with_view(self, view: View) -> PaperFilter:
        """The filter showing ``view``."""
        return dataclasses.replace(self.filter, view=view)

    def next_view(self, step: int) -> View:
        """The view ``step`` places after the current one (wrapping round)."""
        return VIEWS[(VIEWS.index(self.filter.view) + step) % len(VIEWS)]

    def searching(self, value: str) -> PaperFilter | None:
        """The filter for search text ``value``; None if that is the current search."""
        if value == self.filter.search:
            return None
        flt = dataclasses.replace(self.filter, search=value)
        if not self.sort_chosen:
            # Best matches first while searching, newest first otherwise, unless the
            # reader picked an order themselves.
            flt = dataclasses.replace(flt, sort=default_sort(value))
        return flt

    def next_sort(self) -> PaperFilter:
        """The filter with the next sort order (best match only while searching)."""
        sorts = [s for s in SORTS if s != "relevance" or self.filter.search.strip()]
        current = self.filter.sort
        nxt = sorts[(sorts.index(current) + 1) % len(sorts)] if current in sorts else sorts[0]
        self.sort_chosen = True
        return dataclasses.replace(self.filter, sort=nxt)

    # -- text --------------------------------------------------------------------------

    def summary(self, position: int, count: int, *, counting: bool = False) -> str:
        """``12/611 · 37 unread · All · Newest · “query”`` for the status line
        (``12/300+ …`` while the matches past the first ``count`` are being counted)."""
        flt = self.filter
        parts = [
            f"{position:,}/{count:,}{'+' if counting else ''}" if count else "no papers",
            f"{self.unread_total:,} unread",
            VIEW_LABELS[flt.view],
            SORT_LABELS[flt.sort],
        ]
        if flt.view == "foryou" and flt.sort == "newest":
            parts[-1] = "Best match"  # "For you" lists its best suggestions first
        if flt.search.strip():
            parts.append(f"“{flt.search.strip()[:30]}”")
        if flt.keyword:
            parts.append(f"#{flt.keyword}")
        if flt.tag:
            parts.append(f"tag {flt.tag}")
        if flt.min_upvotes:
            parts.append(f"▲≥{flt.min_upvotes}")
        if flt.since or flt.until:
            parts.append(f"{flt.since or '…'}→{flt.until or '…'}")
        return " · ".join(parts)

    @staticmethod
    def preview_summary(search: str, found: int, *, more: bool) -> str:
        """What the status line says while a quick preview of ``search`` is shown."""
        return f"{found}{'+' if more else ''} newest matches for “{search.strip()[:30]}”…"

    def empty_hint(
        self,
        *,
        offline: bool,
        syncing: bool = False,
        key: Callable[[str], str] = HINT_KEYS.__getitem__,
    ) -> str:
        """What to tell a reader looking at an empty list.

        ``key(binding_id)`` names the key that runs a binding now (the reader's keymap may
        have moved it); by default the reader's own keys.
        """
        if self.store.count() == 0:
            if offline:
                return "The store is empty and the reader is offline. Run `paperreader sync`."
            if syncing:
                return (
                    "The store is empty: fetching the newest papers from Hugging Face… "
                    "(they appear as they arrive)"
                )
            return (
                f"The store is empty. Press {key('sync_now')} to sync now "
                "(or try `paperreader --demo`)."
            )
        flt = self.filter
        if flt.sort == "trending" and not trending_fetched_at(self.store):
            if offline:
                when = "start without --offline to fetch it"
            else:
                when = f"it comes with a sync ({key('sync_now')})"
            return f"No trending ranking yet: {when}. Press {key('cycle_sort')} for another order."
        ways = []
        if flt.search.strip():
            ways.append(f"{key('back')} to clear the search")
        if flt.view != "all" or flt.sort == "trending":
            ways.append(f"{key('next_view')} or {key('cycle_sort')} for another view or order")
        if flt.keyword or flt.tag or flt.min_upvotes or flt.since or flt.until:
            ways.append(f"{key('toggle_filters')} for the filters")
        if not ways:
            return "No papers match this filter."
        return f"No papers match this filter. Press {', '.join(ways)}."


# -- off the UI thread: each call opens its own connection ------------------------------


def load_all(
    path: Path, flt: PaperFilter, today: dt.date, stale: Callable[[], bool] | None = None
) -> Sequence[int] | None:
    """Every rid of ``flt``, read on a fresh connection (run it in a thread).

    ``stale`` is asked between slices: once it says the list is no longer wanted (the
    reader moved on to another search), loading stops and None is returned. Reading
    100,000 rids takes ~0.2 s of a thread that the next search would otherwise share.
    """
    out = array("q")  # 8 bytes per paper, not a 36-byte Python int + list slot
    with Store(path, migrate=False) as reader:
        parts = reader.iter_rids(flt, chunk=ALL_SLICE, today=today, rank_window=RANK_WINDOW)
        with contextlib.closing(parts):
            for part in parts:
                if stale is not None and stale():
                    return None
                out.extend(part)
    return out


def load_facets(path: Path) -> list[tuple[str, int]]:
    """The keyword facets, read on a fresh connection (run it in a thread): grouping
    every keyword takes 55-75 ms at 100,000 papers, which a key would wait out on the
    UI thread (at the first frame, and as each sync ends)."""
    with Store(path, migrate=False) as reader:
        return reader.keyword_facets()


def load_first(
    path: Path,
    flt: PaperFilter,
    today: dt.date,
    generation: int,
    uncounted: Callable[[Page], None] | None = None,
) -> Page:
    """The first page of ``flt``, read on a fresh connection (run it in a thread).

    When counting the matches takes a query of its own, ``uncounted`` is handed the
    page before that query runs, so it can be shown while it counts. Its total is one
    more than its rows: a list holding it is not complete, so an action that walks the
    whole list loads it rather than stop at the page.
    """
    with Store(path, migrate=False) as reader:
        head = reader.query_head(flt, PREFIX_ROWS, today=today, rank_window=RANK_WINDOW)
        if head.total is None and uncounted is not None:
            uncounted(Page(head.rids, len(head.rids) + 1, generation))
        total = reader.count_head(head)
    return Page(head.rids, total, generation)


def load_live(
    path: Path, flt: PaperFilter, today: dt.date, generation: int, keep: int | None = None
) -> LivePage:
    """The first page of ``flt`` and the unread count, on a fresh connection (a thread).

    The page reaches down to row ``keep`` (the paper under the cursor) when it is among
    the first ``LIVE_REACH`` rows: papers arriving above push it down the list, and a
    page that lost it would make the list load every rid again to find it (~0.1 s of
    CPU at 100,000 papers, on each live refresh while the reader is pressing keys).
    """
    with Store(path, migrate=False) as reader:
        rids, total = _reaching(reader, flt, today, keep, LIVE_REACH)
        unread = reader.unread_count()
    return LivePage(Page(rids, total, generation), unread)


def _reaching(
    store: Store, flt: PaperFilter, today: dt.date, keep: int | None, reach: int
) -> tuple[Sequence[int], int]:
    """The first rows of ``flt``, down to row ``keep`` if it is among the first ``reach``,
    and how many rows there are."""
    limit = PREFIX_ROWS
    while True:
        head = store.query_head(flt, limit, today=today, rank_window=RANK_WINDOW)
        found = keep is None or keep in head.rids or head.total is not None
        if found or limit >= reach:
            break
        limit = min(limit * 4, reach)
    return head.rids, store.count_head(head)
