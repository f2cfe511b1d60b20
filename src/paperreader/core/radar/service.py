"""The radar's glue: "For you" ranked from the store's term index, and stored.

Typical use, in a worker thread with its own ``Store`` (never on the UI thread):

    refresh(store)            # after a sync: catch the index up, rank, store the top N
    for_you_rows(store)       # opening the view: one indexed query, no ranking
    similar(store, paper_id)  # "more like this" for one paper

The index itself (cache file, resident copy, catching up) is :mod:`index_store`.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paperreader.core.radar import rank
from paperreader.core.radar.index import TermIndex
from paperreader.core.radar.index_store import (
    LOCK,
    IndexUpdate,
    forget,
    index_path,
    update_index,
)
from paperreader.core.store import radar as sql
from paperreader.core.store.radar import ScoreRow, migration_sql

if TYPE_CHECKING:
    from paperreader.core.store import Store

__all__ = [
    "IndexUpdate",
    "Refresh",
    "ScoreRow",
    "for_you_rows",
    "forget",
    "index_path",
    "migration_sql",
    "rank_for_you",
    "refresh",
    "similar",
    "suggest_among",
    "update_index",
]

#: Suggestions stored per refresh (the view lists these; more is rarely scrolled to).
TOP_N = 500
#: Papers indexed by one call while a first build is under way (newest first).
FIRST_BUILD = 20_000
#: Papers read most recently that pull the ranking their way (weakly).
OPENED = 100


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


def rank_for_you(
    store: Store,
    index: TermIndex,
    *,
    limit: int = TOP_N,
    among: Collection[int] | None = None,
    min_score: float = 0.0,
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
    return rank.for_you(
        index, favourites, opened=opened, exclude=skip, limit=limit, min_score=min_score
    )


def refresh(store: Store, *, limit: int = TOP_N, max_new: int | None = None) -> Refresh:
    """Catch the index up, rank "For you" and store the best ``limit`` with reasons.

    ``max_new`` bounds a first build (newest papers first): call again while
    ``Refresh.complete`` is False, each call storing a better ranking.
    """
    started = time.perf_counter()
    sql.ensure_schema(store)
    with LOCK:
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
    with LOCK:
        update = update_index(store, max_new=FIRST_BUILD)
        return rank.more_like_this(update.index, doc, limit=limit)


def suggest_among(store: Store, rids: Collection[int], *, limit: int = 20) -> list[rank.Ranked]:
    """ "For you" restricted to ``rids`` (a digest's new papers), the index caught up fully;
    only papers at least :data:`~paperreader.core.radar.rank.MIN_SIMILARITY` alike."""
    with LOCK:
        update = update_index(store)
        return rank_for_you(
            store, update.index, limit=limit, among=rids, min_score=rank.MIN_SIMILARITY
        )
