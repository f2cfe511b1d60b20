"""Radar: the reader's "For you", "New", watches, "more like this" and remote search.

A controller for one ``MainScreen`` (like :class:`~paperreader.ui.screens.triage.Triage`):
the screen routes a few keys and events here; everything slow (ranking, counting,
the network) runs in thread workers on their own store connections, and only the
answers come back to the UI thread. The logic lives in :mod:`paperreader.core.radar`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.signal import Signal
from textual.widgets import Static
from textual.worker import Worker

from paperreader.core.models import PaperRow, SyncReport
from paperreader.core.radar import news, session
from paperreader.core.radar.watch import Watch
from paperreader.core.store import Store, StoreError
from paperreader.core.store import radar as sql
from paperreader.core.sync_process import SyncEvent
from paperreader.ui.errors import reports_store_errors
from paperreader.ui.key_names import KeyNames, app_keymap, key
from paperreader.ui.screens.radar_lists import TemporaryLists
from paperreader.ui.screens.radar_watches import WatchActions

if TYPE_CHECKING:
    from paperreader.ui.screens.main import MainScreen

#: What "For you" says while it has nothing to rank by.
SEED_HINT = (
    "For you ranks unread papers by how much they are like your favourites, "
    "and you have none yet: star papers you like with {toggle_favourite} (For you "
    "refreshes by itself)."
)


#: A search with fewer local results than this suggests ctrl+r (all of Hugging Face).
FEW = 3


class Radar(TemporaryLists, WatchActions):
    """The radar features of one ``MainScreen``; keys reach it through ``action_radar``."""

    #: Methods the ``radar`` action may run.
    ACTIONS = frozenset({"save_watch", "more_like_this", "remote_search"})

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.store = screen.store
        self.path: Path = screen.store.path
        """The store file (workers open their own connection to it)."""
        self.new: frozenset[int] = frozenset()
        """Rids first stored since the reader was last opened (marked in the list)."""
        self.watches: list[Watch] = []
        self.counts: dict[str, int] = {}
        """Per watch, its matches stored since it was last opened."""
        self.ranking = False
        """A "For you" refresh is running."""
        self.temporary = ""
        """The label of a list shown instead of the filter ("Like: …"), or ''."""
        self._reasons: dict[int, str] | None = None
        self._temp_reasons: dict[int, str] = {}
        self._reason = Static("", id="radar-reason")
        self._shown_reason = ""
        self._remote: Worker[None] | None = None
        self.before_watch = None
        self._view = ""
        """The view listed last (entering "For you" puts the cursor on its first row)."""

    # -- the session ---------------------------------------------------------------------

    @reports_store_errors
    def start(self, sync_events: Signal[SyncEvent]) -> None:
        """Create the radar's tables, then take stock in a worker (news, ranking, counts);
        do it again whenever a sync on ``sync_events`` ends."""
        sql.ensure_schema(self.store)
        self.screen.detail.mount(self._reason, before=0)
        self._reason.display = False
        sync_events.subscribe(self.screen, self._sync_event)
        self._in_thread(self._take_stock, "radar-stock", begin=True)

    def end(self) -> None:
        """Quitting: everything stored so far has now been seen."""
        try:
            session.end(self.store)
        except StoreError:
            pass  # a busy or closed store must not stop the reader from quitting

    def _sync_event(self, event: SyncEvent) -> None:
        if isinstance(event, SyncReport):
            self.sync_finished()

    def sync_finished(self) -> None:
        """Papers arrived: re-rank, recount the watches and the new papers (a worker)."""
        self._in_thread(self._take_stock, "radar-stock", begin=False)

    def _in_thread(self, work: Callable[..., None], group: str, **kw: object) -> Worker[None]:
        return self.screen.run_worker(
            lambda: work(**kw), thread=True, group=group, exclusive=True, exit_on_error=False
        )

    def _take_stock(self, *, begin: bool) -> None:
        call = self.screen.app.call_from_thread
        with Store(self.path, migrate=False) as store:
            if begin:
                session.begin(store)
            else:  # a sync this reader applied: its papers are seen, however it exits
                session.seen_now(store)
            new = frozenset(session.new_rids(store))
            watches, counts = sql.watches(store), news.watch_new_counts(store)
            call(self._stock_taken, new, watches, counts)
            if session.stale(store):
                call(self._ranking, True)
                session.refresh(store, stored=lambda: call(self._ranked))
            call(self._ranking, False)

    @reports_store_errors
    def listed(self) -> None:
        """The list changed: say why the current paper is listed at once (the cursor may
        not move), and opening "For you" with a stale ranking re-ranks it (a worker).
        Entering "For you" starts at its best match."""
        view = self.screen.listing.filter.view
        if view == "foryou" and self._view != "foryou" and not self.temporary:
            self.screen.paper_list.move_to(0)
        self._view = view
        self.follow(self.screen.paper_list.current)
        self._few_hint()
        if (
            self.screen.listing.filter.view == "foryou"
            and not self.ranking
            and not self.temporary
            and session.stale(self.store)
        ):
            self.ranking = True
            self._paint_status()
            self._in_thread(self._rerank, "radar-rank")

    def _few_hint(self) -> None:
        """A search with only one or two local results: say where more may be."""
        pane, search = self.screen.list_pane, self.screen.listing.filter.search.strip()
        count = self.screen.paper_list.count
        if search and 0 < count < FEW and pane.settled and not self.temporary:
            found = f"only {count} paper{'s' if count > 1 else ''} here"
            remote = key(self.screen, "remote")
            self.screen.status.set_note(f"{found}: {remote} searches all of Hugging Face")

    def _rerank(self) -> None:
        call = self.screen.app.call_from_thread
        try:
            with Store(self.path, migrate=False) as store:
                session.refresh(store, stored=lambda: call(self._ranked))
        finally:
            call(self._ranking, False)

    def _stock_taken(
        self, new: frozenset[int], watches: list[Watch], counts: dict[str, int]
    ) -> None:
        changed = new != self.new
        self.new, self.watches, self.counts = new, watches, counts
        self.paint_watches()
        if changed:
            self.screen.paper_list.refresh_rows()
        self._paint_status()
        if changed and self.screen.listing.filter.view == "new" and not self.temporary:
            self.screen.list_pane.show(keep=None)

    def _ranking(self, running: bool) -> None:
        self.ranking = running
        self._paint_status()

    def _ranked(self) -> None:
        self._reasons = None
        if self.screen.listing.filter.view == "foryou" and not self.temporary:
            self.screen.list_pane.show()

    def _paint_status(self) -> None:
        parts = [f"✦ {len(self.new):,} new since last time"] if self.new else []
        if self.ranking:
            parts.append("ranking For you…")
        self.screen.status.set_extra(" · ".join(parts))

    def leave_temporary(self) -> bool:
        """Escape: back from a temporary list, then from an opened watch; False if neither."""
        return TemporaryLists.leave_temporary(self) or self.leave_watch()

    # -- rows and the detail pane ----------------------------------------------------------

    def rows(self, rids: Sequence[int]) -> dict[int, PaperRow]:
        """The list's rows, those first stored since last time marked new."""
        rows = self.store.rows(rids)
        if self.new:
            for rid in self.new.intersection(rows):
                rows[rid] = dataclasses.replace(rows[rid], new=True)
        return rows

    def follow(self, row: PaperRow | None) -> None:
        """Show why ``row`` is listed ("like: <favourite>") above its detail."""
        reason = ""
        if row is not None and self.temporary:
            reason = self._temp_reasons.get(row.rid, "")
        elif row is not None and self.screen.listing.filter.view == "foryou":
            reason = self._for_you_reasons().get(row.rid, "")
        if reason == self._shown_reason:
            return  # an update re-lays out the whole screen: not on every cursor move
        self._shown_reason = reason
        self._reason.update(Text(f"♥ {reason}", style="bold") if reason else "")
        self._reason.display = bool(reason)

    @reports_store_errors
    def _for_you_reasons(self) -> dict[int, str]:
        if self._reasons is None:
            from paperreader.core.radar import service  # the ranker: only once For you opens

            self._reasons = {r.rid: r.reason for r in service.for_you_rows(self.store)}
        return self._reasons

    def empty_hint(self) -> str:
        """What an empty "For you", "New" or search says, or '' for the other lists."""
        view, search = self.screen.listing.filter.view, self.screen.listing.filter.search
        if search.strip():
            return (
                f"No paper in the store matches “{search.strip()[:40]}” here. "
                f"{key(self.screen, 'remote')} searches all of Hugging Face; "
                f"{key(self.screen, 'back')} clears the search."
            )
        if view == "foryou":
            if not sql.favourite_docs(self.store):
                return SEED_HINT.format_map(KeyNames(app_keymap(self.screen)))
            if self.ranking:
                return "Ranking your papers… (For you fills in by itself)"
            sync = key(self.screen, "sync_now")
            return f"Nothing unread is like your favourites yet. Sync ({sync}) for new papers."
        if view == "new":
            return "Nothing new since you last opened the reader."
        return ""
