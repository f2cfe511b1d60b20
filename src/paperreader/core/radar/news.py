"""What is new since someone last looked: the reader, a digest, each watch.

"New" means first stored (``papers.first_seen``, set once when a paper is inserted
and never changed) after a remembered mark. Marks come from the data, not the clock:
a mark is the newest ``first_seen`` shown. Each write stamps its new papers later
than any stored before (``Papers.upsert``), so everything after a mark is
``first_seen > mark``, even while a sync is still writing.

Stores written before that rule gave a whole sync one stamp, and their marks carry
an ``edge``: the ids at exactly the mark that were already shown. Such a mark is
still read correctly, and it is saved without the edge once nothing at its stamp is
left unseen (a store synced in one go had all its 100,000 ids there).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paperreader.core import clock
from paperreader.core.radar.watch import Watch
from paperreader.core.store import radar as sql

if TYPE_CHECKING:
    from paperreader.core.store import Store

#: Store meta keys of the marks kept by paperreader itself.
READER = "radar.seen.reader"
DIGEST = "radar.seen.digest"


@dataclass(frozen=True, slots=True)
class Seen:
    """A mark: everything first stored before ``mark``, and ``edge`` stored at it."""

    mark: str
    edge: frozenset[str] = frozenset()

    def to_json(self) -> str:
        """The mark as stored in the meta table."""
        return json.dumps({"mark": self.mark, "edge": sorted(self.edge)})

    @classmethod
    def from_json(cls, text: str | None) -> Seen | None:
        """A stored mark; None if absent or unreadable (then everything counts as new)."""
        try:
            data = json.loads(text or "")
            mark, edge = data["mark"], data.get("edge", [])
            if isinstance(mark, str) and isinstance(edge, list):
                return cls(mark, frozenset(str(e) for e in edge))
        except (ValueError, TypeError, KeyError):
            pass
        return None


def latest(store: Store) -> Seen | None:
    """A mark covering everything stored now (None for an empty store)."""
    newest = sql.newest_first_seen(store)
    return Seen(newest) if newest else None


def compact(store: Store, seen: Seen | None) -> Seen | None:
    """``seen`` without its edge when every paper at its stamp is in it (an index count)."""
    return None if seen is None else _spent_edge_dropped(store, seen)


def _spent_edge_dropped(store: Store, seen: Seen) -> Seen:
    if seen.edge and sql.count_first_seen_at(store, seen.mark) <= len(seen.edge):
        return Seen(seen.mark)
    return seen  # no edge, or an old sync's papers at the mark are still to be shown


def unseen(store: Store, seen: Seen | None) -> tuple[list[int], Seen | None]:
    """Rids first stored after ``seen`` (none if None: a first look has nothing new),
    newest first, and the mark that covers them."""
    if seen is None:
        return [], latest(store)
    seen = _spent_edge_dropped(store, seen)
    rows = sql.first_seen_since(store, seen.mark, at_stamp=bool(seen.edge))
    rows = [r for r in rows if r[2] > seen.mark or r[1] not in seen.edge]
    if not rows:
        return [], seen
    newest = max(stamp for _, _, stamp in rows)
    return sorted((rid for rid, _, _ in rows), reverse=True), Seen(newest)


def load_seen(store: Store, key: str) -> Seen | None:
    """The mark remembered under ``key`` (``READER``, ``DIGEST``)."""
    return Seen.from_json(store.get_meta(key))


def save_seen(store: Store, key: str, seen: Seen | None) -> None:
    """Remember ``seen`` under ``key`` (nothing to do for None)."""
    if seen is not None:
        with store.write():
            store.set_meta(key, seen.to_json())


def watch_new_counts(store: Store) -> dict[str, int]:
    """Per watch, its matches first stored after it was last opened.

    One filtered query per watch (FTS for the text) intersected with the papers new
    since its stamp (an index range): cheap enough after each sync, off the UI thread.
    """
    sql.ensure_schema(store)
    counts: dict[str, int] = {}
    for watch in sql.watches(store):
        fresh = set(sql.first_seen_after(store, watch.last_opened))
        hits = store.query_rids(watch.to_filter()) if fresh else ()
        counts[watch.name] = sum(1 for rid in hits if rid in fresh)
    return counts


def watch_mark(store: Store) -> str:
    """The stamp a watch opened (or saved) now gets: papers after it count as new.

    The newest ``first_seen`` in the store (the clock only if it is empty), so a
    clock set wrong cannot hide or repeat papers.
    """
    return sql.newest_first_seen(store) or clock.fine_stamp()


def open_watch(store: Store, name: str) -> Watch | None:
    """Mark the watch looked at now (its count clears); None if there is no such watch."""
    stamp = watch_mark(store)
    if not sql.mark_watch_opened(store, name, stamp):
        return None
    return next((w for w in sql.watches(store) if w.name == name), None)
