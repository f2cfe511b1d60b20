"""One reader session's radar bookkeeping: the "New" baseline and a stale ranking.

At start the reader's "last opened" mark (``news.READER``) becomes this session's
baseline (``radar_views.BASELINE``, which the "New" view reads in SQL) and the mark
moves on to cover everything stored so far; after each sync the reader applies
(:func:`seen_now`) and at quit it moves on again, so papers that arrived during the
session are not "new" next time, even if the process dies without a clean quit. The
very first session has no mark: nothing is new yet (everything would be, which says
nothing).

"For you" is stale when papers were written or favourites changed since the stored
ranking was made (:func:`ranking_signature`); :func:`refresh` re-ranks and records it.
Every function here may take a while on a large store: call them from a worker
thread, on that thread's own ``Store``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from paperreader.core.models import PaperFilter
from paperreader.core.radar import news
from paperreader.core.store import radar as sql
from paperreader.core.store.radar_views import BASELINE, favourites_stamp

if TYPE_CHECKING:
    from paperreader.core.radar import service
    from paperreader.core.store import Store

#: Meta key: the ranking signature the stored "For you" scores were made for.
SCORED_FOR = "radar.scored_for"


def begin(store: Store) -> None:
    """Start a session: the last "opened" mark becomes the baseline of "New"."""
    sql.ensure_schema(store)
    previous = news.compact(store, news.load_seen(store, news.READER))
    _, now = news.unseen(store, previous)
    baseline = previous or now
    if baseline is not None:
        news.save_seen(store, BASELINE, baseline)
    news.save_seen(store, news.READER, now)


def seen_now(store: Store) -> None:
    """Everything stored until now has been seen (after a sync the reader applied).

    Only the reader's mark moves; this session's baseline stays, so its "New" view
    keeps listing what was new when it started.
    """
    news.save_seen(store, news.READER, news.unseen(store, news.load_seen(store, news.READER))[1])


def end(store: Store) -> None:
    """End a session: everything stored until now has been seen."""
    seen_now(store)


def new_rids(store: Store) -> list[int]:
    """Rids first stored since the session's baseline (the "New" view), newest first."""
    return list(store.query_rids(PaperFilter(view="new")))


def ranking_signature(store: Store) -> str:
    """What the ranking depends on: the newest paper write and the favourites."""
    count, newest_star = favourites_stamp(store)
    return f"{sql.newest_update(store) or ''}|{count}|{newest_star}"


def stale(store: Store) -> bool:
    """Whether the stored "For you" ranking predates the papers or favourites.

    With no favourites there is nothing to rank from (the view says how to seed it), so
    nothing is stale: a 100k-paper store is not indexed at every start for no one.
    """
    if favourites_stamp(store)[0] == 0:
        if sql.stored_scores(store, unread_only=False, limit=1):
            with sql.guarded(store):
                sql.replace_scores(store, [])  # the last favourite went: nothing to suggest
        return False
    return store.get_meta(SCORED_FOR) != ranking_signature(store)


def refresh(store: Store, *, stored: Callable[[], None] | None = None) -> service.Refresh:
    """Re-rank "For you" and record what for; ``stored`` is told after each partial pass.

    A first build over a large store goes in passes (newest papers first), each
    storing a better ranking, so the view fills long before the index is complete.
    """
    from paperreader.core.radar import service  # the ranker and its index: on first use

    signature = ranking_signature(store)
    while True:
        done = service.refresh(store, max_new=service.FIRST_BUILD)
        if stored is not None:
            stored()
        if done.complete:
            break
    with store.write():
        store.set_meta(SCORED_FOR, signature)
    return done
