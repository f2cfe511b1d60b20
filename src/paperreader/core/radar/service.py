"""The radar's glue: a term index kept in step with the store, and "For you" stored.

Typical use, in a worker thread with its own ``Store`` (never on the UI thread):

    refresh(store)            # after a sync: catch the index up, rank, store the top N
    for_you_rows(store)       # opening the view: one indexed query, no ranking
    similar(store, paper_id)  # "more like this" for one paper

The index is cached as one file per store under ``paths.cache_dir()/radar``; it
remembers the newest ``updated_at`` it has seen, so a refresh reads only the papers
written since (and the rids, to forget papers that moved or went). A missing, stale
or unreadable file just means one full build.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from paperreader.core import paths
from paperreader.core.radar import index_file, rank
from paperreader.core.radar import store_sql as sql
from paperreader.core.radar.index import TermIndex
from paperreader.core.radar.store_sql import ScoreRow, migration_sql

if TYPE_CHECKING:
    from paperreader.core.store import Store

__all__ = [
    "IndexUpdate",
    "Refresh",
    "ScoreRow",
    "for_you_rows",
    "index_path",
    "migration_sql",
    "rank_for_you",
    "refresh",
    "similar",
    "update_index",
]

#: Suggestions stored per refresh (the view lists these; more is rarely scrolled to).
TOP_N = 500
#: Papers indexed by one call while a first build is under way (newest first).
FIRST_BUILD = 20_000
#: Papers read most recently that pull the ranking their way (weakly).
OPENED = 100
#: Store meta key naming this store's index file (a random id, made once).
META_STORE_ID = "radar.store_id"
#: Index files not used for this long are deleted (stores that no longer exist).
STALE_SECONDS = 30 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Refresh:
    """What a refresh did: index changes, suggestions stored, and how long it took."""

    papers: int
    added: int
    removed: int
    rebuilt: bool
    complete: bool
    favourites: int
    stored: int
    seconds: float


def index_path(store: Store) -> Path:
    """The cache file of ``store``'s term index."""
    return paths.cache_dir() / "radar" / f"terms-{_store_id(store)}.idx"


def _store_id(store: Store) -> str:
    sid = store.get_meta(META_STORE_ID)
    if sid is None:
        with store.write():
            sid = store.get_meta(META_STORE_ID)  # another process may have just made one
            if sid is None:
                sid = uuid.uuid4().hex
                store.set_meta(META_STORE_ID, sid)
    return sid


@dataclass(slots=True)
class _State:
    """What a saved index covers, kept in the index file beside it."""

    mark: str
    """The newest ``updated_at`` caught up with ("" before any paper)."""
    edge: set[int]
    """Rids indexed at exactly ``mark`` (a sync stamps all its papers alike)."""
    low: int | None
    """Rids below this are not indexed yet (the build goes newest first); None: all are."""


@dataclass(frozen=True, slots=True)
class IndexUpdate:
    """The caught-up index and what :func:`update_index` did to it."""

    index: TermIndex
    added: int
    removed: int
    rebuilt: bool
    complete: bool
    """False while older papers are still to be indexed (call again to go on)."""


def _load(path: Path) -> tuple[TermIndex, _State] | None:
    """The saved index and its state; None if missing, old or damaged."""
    try:
        with path.open("rb") as fh:
            index, extra = index_file.load_with_extra(fh)
        mark, edge, low = extra["mark"], extra["edge"], extra["low"]
        if isinstance(mark, str) and isinstance(edge, list) and isinstance(low, int | None):
            return index, _State(mark, {int(r) for r in edge}, low)
    except (OSError, ValueError, TypeError, KeyError):
        pass
    return None


def _save(path: Path, index: TermIndex, state: _State) -> None:
    folder = paths.ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".terms-", suffix=".tmp")
    extra = {"mark": state.mark, "edge": sorted(state.edge), "low": state.low}
    try:
        with os.fdopen(fd, "wb") as fh:
            index_file.save(index, fh, extra=extra)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old or the new file
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    now = time.time()
    for other in folder.glob("terms-*.idx"):
        with contextlib.suppress(OSError):
            if other != path and now - other.stat().st_mtime > STALE_SECONDS:
                other.unlink()


def update_index(store: Store, *, max_new: int | None = None) -> IndexUpdate:
    """The store's term index, caught up with the store and saved.

    1. Papers written at or after the saved ``mark`` are (re-)indexed, except those
       indexed at exactly that stamp: a sync stamps all its papers alike, so ``>``
       alone could miss the rest of a sync still running.
    2. A new index is built newest paper first, at most ``max_new`` papers a call,
       so a first "For you" over recent papers comes quickly; later calls go on.
    3. Indexed rids the store no longer has (papers moved to another day) go.
    """
    path = index_path(store)
    loaded = _load(path)
    rebuilt = loaded is None
    if loaded is None:
        mark = sql.newest_update(store) or ""
        edge = {rid for rid, stamp in sql.updated_since(store, mark) if stamp == mark}
        index, state = TermIndex(), _State(mark, edge if mark else set(), 1 << 62)
    else:
        index, state = loaded
    changed = [(r, s) for r, s in sql.updated_since(store, state.mark) if r not in state.edge]
    added = index.add(sql.paper_texts(store, [rid for rid, _ in changed])) if changed else 0
    if changed:
        newest = max(s for _, s in changed)
        if newest != state.mark:
            state.mark, state.edge = newest, set()
        state.edge.update(r for r, s in changed if s == newest)
    building = state.low is not None
    if state.low is not None:
        budget = max_new if max_new is not None else 1 << 62
        for page in sql.paper_text_pages(store, below=state.low):
            docs = page[: max(budget, 0)]
            added += index.add(docs)
            budget -= len(docs)
            if docs:
                state.low = docs[-1].rid
            if budget <= 0:
                break
        else:
            state.low = None
            index.reweigh()  # the newest papers were weighed before the oldest came
    live = set(sql.all_rids(store))
    removed = index.remove([rid for rid in list(index.rids()) if rid not in live])
    if rebuilt or added or removed or building:
        _save(path, index, state)
    return IndexUpdate(index, added, removed, rebuilt, state.low is None)


def rank_for_you(
    store: Store,
    index: TermIndex,
    *,
    limit: int = TOP_N,
    among: Collection[int] | None = None,
) -> list[rank.Ranked]:
    """Unread papers nearest the user's favourites (and, weakly, what they read).

    ``among`` restricts the suggestions to those rids (e.g. papers new since a date).
    Empty without favourites: the view then says how to seed it.
    """
    favourites = sql.favourite_docs(store)
    if not favourites:
        return []
    skip: set[int] = sql.read_rids(store)
    if among is not None:
        wanted = set(among)
        skip.update(rid for rid in index.rids() if rid not in wanted)
    opened = sql.recently_read_docs(store, OPENED)
    return rank.for_you(index, favourites, opened=opened, exclude=skip, limit=limit)


def refresh(store: Store, *, limit: int = TOP_N, max_new: int | None = None) -> Refresh:
    """Catch the index up, rank "For you" and store the best ``limit`` with reasons.

    ``max_new`` bounds a first build (newest papers first): call again while
    ``Refresh.complete`` is False, each call storing a better ranking.
    """
    started = time.perf_counter()
    sql.ensure_schema(store)
    update = update_index(store, max_new=max_new)
    ranked = rank_for_you(store, update.index, limit=limit)
    rows = _score_rows(store, ranked)
    sql.replace_scores(store, rows)
    return Refresh(
        papers=len(update.index),
        added=update.added,
        removed=update.removed,
        rebuilt=update.rebuilt,
        complete=update.complete,
        favourites=len(sql.favourite_docs(store)) if ranked else 0,
        stored=len(rows),
        seconds=time.perf_counter() - started,
    )


def _score_rows(store: Store, ranked: list[rank.Ranked]) -> list[ScoreRow]:
    """Rows for ``radar_scores``; paper ids read once for the papers and their reasons."""
    wanted = {r.rid for r in ranked} | {r.reason.like_rid for r in ranked}
    ids: dict[int | None, str] = {d.rid: d.id for d in sql.paper_texts(store, wanted - {None})}
    return [
        ScoreRow(r.rid, ids[r.rid], round(r.score, 6), str(r.reason), ids.get(r.reason.like_rid))
        for r in ranked
        if r.rid in ids
    ]


def for_you_rows(store: Store, *, limit: int = -1) -> list[ScoreRow]:
    """The stored suggestions, best first, without papers read since (one query)."""
    sql.ensure_schema(store)
    return sql.stored_scores(store, limit=limit)


def similar(store: Store, paper_id: str, *, limit: int = 20) -> list[rank.Ranked]:
    """Papers most like ``paper_id`` ("more like this"); empty if it is not stored."""
    doc = sql.paper_doc(store, paper_id)
    if doc is None:
        return []
    update = update_index(store, max_new=FIRST_BUILD)
    return rank.more_like_this(update.index, doc, limit=limit)
