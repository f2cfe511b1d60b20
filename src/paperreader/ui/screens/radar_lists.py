"""The radar's temporary lists: "more like this" and remote search hits.

A mixin of :class:`~paperreader.ui.screens.radar.Radar`: a list of rids shown in place
of the filter's list, labelled on the status line, until escape brings the filter back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.worker import Worker, get_current_worker

from paperreader.core.store import Store
from paperreader.ui.key_names import key
from paperreader.ui.screens.radar_host import RadarHost

if TYPE_CHECKING:
    pass

#: Papers listed by "more like this".
SIMILAR = 50


class TemporaryLists(RadarHost):
    """Lists shown instead of the filter's: similar papers, remote hits."""

    _temp_reasons: dict[int, str]
    _remote: Worker[None] | None

    def show_list(self, label: str, rids: Sequence[int], reasons: dict[int, str]) -> None:
        """List ``rids`` in this order instead of the filter, until escape."""
        screen = self.screen
        self.temporary, self._temp_reasons = label, reasons
        screen.listing.begin(screen.listing.filter)  # answers for the old list are stale
        screen.list_pane.settled = False  # a live re-query must not replace this list
        screen.list_pane.counting = False  # its count is its length
        screen.paper_list.set_rids(list(rids), total=len(rids), headed=False)
        screen.paper_list.focus()
        back = key(screen, "back")
        screen.status.set_note(f"{label} — {len(rids)} papers — {back} returns", seconds=3600)
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
        from paperreader.core.radar import service  # the ranker: imported on first use

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
            search, remote = key(self.screen, "search"), key(self.screen, "remote")
            status.set_note(
                f"type a search first ({search}), then {remote} searches all of Hugging Face"
            )
            return
        if self.screen.settings.offline:
            status.set_note("offline: remote search needs the network")
            return
        cancel = key(self.screen, "back")
        status.set_note(f"searching Hugging Face for “{query[:40]}”… ({cancel} cancels)")
        self._remote = self._in_thread(self._remote_search, "radar-remote", query=query)

    def _remote_search(self, *, query: str) -> None:
        from paperreader.core.radar.remote import remote_search  # httpx: not at start-up

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
