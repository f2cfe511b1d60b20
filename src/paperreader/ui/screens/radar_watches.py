"""The radar's watches: save the current search as one, open, rename, delete, count.

A mixin of :class:`~paperreader.ui.screens.radar.Radar`; the watches and their counts
show in the filter pane's :class:`~paperreader.ui.widgets.watch_list.WatchList`.
"""

from __future__ import annotations

import dataclasses
from functools import partial
from typing import TYPE_CHECKING

from paperreader.core import clock
from paperreader.core.models import PaperFilter
from paperreader.core.radar import news
from paperreader.core.radar.watch import Watch, WatchError
from paperreader.core.store import Store
from paperreader.core.store import radar as sql
from paperreader.core.views import VIEW_LABELS
from paperreader.ui.errors import reports_store_errors
from paperreader.ui.screens.radar_host import RadarHost
from paperreader.ui.widgets.watch_list import NameDialog, WatchList

if TYPE_CHECKING:
    pass


class WatchActions(RadarHost):
    """Saved searches with "new since last opened" counts."""

    watches: list[Watch]
    counts: dict[str, int]
    before_watch: PaperFilter | None
    """The filter in effect before a watch was opened (escape brings it back), or None."""

    def save_watch(self) -> None:
        """Ask for a name, then save the current search and filters as a watch."""
        flt = self.screen.listing.filter
        suggested = flt.search.strip()[:40] or VIEW_LABELS[flt.view]
        dialog = NameDialog("Save this search as a watch", suggested, self._name_taken)
        self.screen.app.push_screen(dialog, self._save_named)

    def _name_taken(self, name: str, *, old: str = "") -> str:
        """What the name dialog says of ``name``: '' unless another watch has it."""
        if name != old and any(w.name == name for w in self.watches):
            return f"a watch called “{name}” exists already"
        return ""

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
                last_opened=news.watch_mark(self.store),  # a new watch starts at 0 new
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
        if self.before_watch is None:  # watch after watch: escape still goes back to before
            self.before_watch = self.screen.listing.filter
        pane = self.screen.list_pane
        pane.search_box.show_text(watch.search)
        flt = watch.to_filter()
        pane.show(dataclasses.replace(flt, sort="relevance" if flt.search else "newest"))
        self.screen.paper_list.move_to(0)
        self.screen.paper_list.focus()
        self.screen.status.set_note(f"watch “{name}”")

    def leave_watch(self) -> bool:
        """Escape in the list of an opened watch: back to the filters from before it
        (its search and upvote floor go with it); False if no watch is open."""
        before, screen = self.before_watch, self.screen
        if before is None or not screen.paper_list.has_focus:
            return False
        if screen.has_class("-detail-full"):
            return False
        self.before_watch = None
        pane = screen.list_pane
        pane.search_box.show_text(before.search)
        pane.show(before)
        screen.status.set_note("")
        return True

    @reports_store_errors
    def delete_watch(self, name: str) -> None:
        """Delete the watch ``name``."""
        if sql.delete_watch(self.store, name):
            self.screen.status.set_note(f"watch “{name}” deleted")
        self._reload_watches()

    def rename_watch(self, name: str) -> None:
        """Ask for a new name for the watch ``name``."""
        self.screen.app.push_screen(
            NameDialog(f"Rename the watch “{name}”", name, partial(self._name_taken, old=name)),
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
