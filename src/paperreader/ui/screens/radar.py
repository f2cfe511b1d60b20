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
from textual.worker import Worker, get_current_worker

from paperreader.core import clock
from paperreader.core.models import PaperRow, SyncReport
from paperreader.core.radar import news, service, session
from paperreader.core.radar.remote import remote_search
from paperreader.core.radar.watch import Watch, WatchError
from paperreader.core.store import Store, StoreError
from paperreader.core.store import radar as sql
from paperreader.core.sync_process import SyncEvent
from paperreader.core.views import VIEW_LABELS
from paperreader.ui.errors import reports_store_errors
from paperreader.ui.widgets.watch_list import NameDialog, WatchList

if TYPE_CHECKING:
    from paperreader.ui.screens.main import MainScreen

#: What "For you" says while it has nothing to rank by.
SEED_HINT = (
    "For you ranks unread papers by how much they are like your favourites, "
    "and you have none yet: star papers you like with f (For you refreshes by itself)."
)
#: Papers listed by "more like this".
SIMILAR = 50


class Radar:
    """The radar features of one ``MainScreen``; keys reach it through ``action_radar``."""

    #: Methods the ``radar`` action may run.
    ACTIONS = frozenset({"save_watch", "more_like_this", "remote_search"})

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.store = screen.store
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
        self._remote: Worker[None] | None = None

    @property
    def path(self) -> Path:
        """The store file (workers open their own connection to it)."""
        return self.store.path

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
            new = frozenset(session.new_rids(store))
            watches, counts = sql.watches(store), news.watch_new_counts(store)
            call(self._stock_taken, new, watches, counts)
            if session.stale(store):
                call(self._ranking, True)
                session.refresh(store, stored=lambda: call(self._ranked))
            call(self._ranking, False)

    @reports_store_errors
    def listed(self) -> None:
        """The list changed: opening "For you" with a stale ranking re-ranks it (a worker)."""
        if (
            self.screen.listing.filter.view == "foryou"
            and not self.ranking
            and not self.temporary
            and session.stale(self.store)
        ):
            self.ranking = True
            self._paint_status()
            self._in_thread(self._rerank, "radar-rank")

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
        self._reason.update(Text(f"♥ {reason}", style="bold") if reason else "")
        self._reason.display = bool(reason)

    @reports_store_errors
    def _for_you_reasons(self) -> dict[int, str]:
        if self._reasons is None:
            self._reasons = {r.rid: r.reason for r in service.for_you_rows(self.store)}
        return self._reasons

    def empty_hint(self) -> str:
        """What an empty "For you" or "New" says, or '' for the other views."""
        view = self.screen.listing.filter.view
        if view == "foryou" and not self.screen.listing.filter.search.strip():
            if not sql.favourite_docs(self.store):
                return SEED_HINT
            if self.ranking:
                return "Ranking your papers… (For you fills in by itself)"
            return "Nothing unread is like your favourites yet. Sync (R) for new papers."
        if view == "new":
            return "Nothing new since you last opened the reader."
        return ""

    # -- temporary lists ("more like this", remote hits) --------------------------------

    def show_list(self, label: str, rids: Sequence[int], reasons: dict[int, str]) -> None:
        """List ``rids`` in this order instead of the filter, until escape."""
        screen = self.screen
        self.temporary, self._temp_reasons = label, reasons
        screen.listing.begin(screen.listing.filter)  # answers for the old list are stale
        screen.list_pane.settled = False  # a live re-query must not replace this list
        screen.paper_list.set_rids(list(rids), total=len(rids), headed=False)
        screen.paper_list.focus()
        screen.status.set_note(f"{label} — {len(rids)} papers — escape returns", seconds=3600)
        screen.triage.show(screen.paper_list.current)
        self.follow(screen.paper_list.current)

    def leave_temporary(self) -> bool:
        """Escape: back from a temporary list (or stop a remote search); False if none."""
        if self._remote is not None and self._remote.is_running:
            self._remote.cancel()
            self._remote = None
            self.screen.status.set_note("remote search cancelled")
            return True
        if not self.temporary:
            return False
        self.temporary, self._temp_reasons = "", {}
        self.screen.status.set_note("")
        self.screen.list_pane.show()
        return True

    def more_like_this(self) -> None:
        """List the papers most like the current one (a worker ranks them)."""
        row = self.screen.paper_list.current
        if row is None:
            return
        self.screen.status.set_note(f"finding papers like {row.title[:40]}…")
        self._in_thread(self._similar, "radar-similar", paper_id=row.id, title=row.title)

    def _similar(self, *, paper_id: str, title: str) -> None:
        with Store(self.path, migrate=False) as store:
            ranked = service.similar(store, paper_id, limit=SIMILAR)
        reasons = {r.rid: f"like: {title} ({r.score:.2f})" for r in ranked}
        self.screen.app.call_from_thread(
            self.show_list, f"Like: {title[:50]}", [r.rid for r in ranked], reasons
        )

    def remote_search(self) -> None:
        """Search all of Hugging Face for the current search text (a cancellable worker)."""
        query = self.screen.listing.filter.search.strip() or self.screen.list_pane.search_box.value
        query = query.strip()
        status = self.screen.status
        if not query:
            status.set_note("type a search first (/), then ctrl+r searches all of Hugging Face")
            return
        if self.screen.settings.offline:
            status.set_note("offline: remote search needs the network")
            return
        status.set_note(f"searching Hugging Face for “{query[:40]}”… (escape cancels)")
        self._remote = self._in_thread(self._remote_search, "radar-remote", query=query)

    def _remote_search(self, *, query: str) -> None:
        outcome = remote_search(self.path, self.screen.settings, query)
        if get_current_worker().is_cancelled:
            return
        self.screen.app.call_from_thread(self._remote_done, query, outcome)

    def _remote_done(self, query: str, outcome: tuple[list[int], str]) -> None:
        self._remote = None
        rids, problem = outcome
        if problem:
            self.screen.status.set_note(problem, seconds=20)
            return
        reasons = dict.fromkeys(rids, f"remote hit: Hugging Face search “{query[:40]}”")
        self.show_list(f"Remote: “{query[:40]}” (all of Hugging Face)", rids, reasons)

    # -- watches -------------------------------------------------------------------------

    def save_watch(self) -> None:
        """Ask for a name, then save the current search and filters as a watch."""
        flt = self.screen.listing.filter
        suggested = flt.search.strip()[:40] or VIEW_LABELS[flt.view]
        self.screen.app.push_screen(
            NameDialog("Save this search as a watch", suggested), self._save_named
        )

    @reports_store_errors
    def _save_named(self, name: str | None) -> None:
        if not name:
            return
        flt = self.screen.listing.filter
        try:
            watch = Watch(
                name=name,
                created=clock.stamp(),
                search=flt.search.strip(),
                min_upvotes=flt.min_upvotes,
                view=flt.view,
                keyword=flt.keyword,
                last_opened=sql.newest_first_seen(self.store) or clock.stamp(),
            )
        except WatchError as exc:
            self.screen.status.set_note(f"not saved: {exc}")
            return
        if not sql.insert_watch(self.store, watch):
            self.screen.status.set_note(f"a watch called “{name}” exists already")
            return
        self.screen.status.set_note(f"watch “{name}” saved — it counts new matches after syncs")
        self._reload_watches()

    @reports_store_errors
    def open_watch(self, name: str) -> None:
        """List the watch's papers and clear its count."""
        watch = news.open_watch(self.store, name)
        if watch is None:
            return
        self.temporary = ""
        self.counts[name] = 0
        self.paint_watches()
        pane = self.screen.list_pane
        with pane.search_box.prevent(pane.search_box.Changed):
            pane.search_box.value = watch.search
        flt = watch.to_filter()
        pane.show(dataclasses.replace(flt, sort="relevance" if flt.search else "newest"))
        self.screen.paper_list.focus()
        self.screen.status.set_note(f"watch “{name}”")

    @reports_store_errors
    def delete_watch(self, name: str) -> None:
        """Delete the watch ``name``."""
        if sql.delete_watch(self.store, name):
            self.screen.status.set_note(f"watch “{name}” deleted")
        self._reload_watches()

    def rename_watch(self, name: str) -> None:
        """Ask for a new name for the watch ``name``."""
        self.screen.app.push_screen(
            NameDialog(f"Rename the watch “{name}”", name),
            lambda new: self._renamed(name, new),
        )

    @reports_store_errors
    def _renamed(self, old: str, new: str | None) -> None:
        watch = next((w for w in self.watches if w.name == old), None)
        if not new or watch is None or new == old:
            return
        try:
            renamed = dataclasses.replace(watch, name=new)
        except WatchError as exc:
            self.screen.status.set_note(f"not renamed: {exc}")
            return
        if sql.replace_watch(self.store, old, renamed):
            self.counts[new] = self.counts.pop(old, 0)
            self.screen.status.set_note(f"watch “{old}” is now “{new}”")
        else:
            self.screen.status.set_note(f"a watch called “{new}” exists already")
        self._reload_watches()

    def _reload_watches(self) -> None:
        self.watches = sql.watches(self.store)
        self.paint_watches()
        self._in_thread(self._count_watches, "radar-counts")

    def _count_watches(self) -> None:
        with Store(self.path, migrate=False) as store:
            counts = news.watch_new_counts(store)
        self.screen.app.call_from_thread(self._counted, counts)

    def _counted(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.paint_watches()

    def paint_watches(self) -> None:
        """Show the watches and their counts in the filter pane (once it has its controls)."""
        for widget in self.screen.query(WatchList):
            widget.show_watches([(w.name, self.counts.get(w.name, 0)) for w in self.watches])
