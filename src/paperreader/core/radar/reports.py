"""The digest and the Atom feeds, built from the store (headless; the CLI writes them).

Only the store's public reads are used for papers (``query_rids``, ``rows``,
``paper_ids``, ``get``, ``records``); radar state comes through ``store_sql``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote

from paperreader.core import clock
from paperreader.core.models import PaperFilter, PaperRecord
from paperreader.core.radar import service
from paperreader.core.radar.digest import FOR_YOU, Digest, DigestGroup, DigestItem
from paperreader.core.radar.feed import FeedEntry, atom_feed, rfc3339
from paperreader.core.radar.watch import Watch
from paperreader.core.store import radar as sql

if TYPE_CHECKING:
    from paperreader.core.store import Store

TOP_NEW = "Most upvoted"
FeedKind = Literal["watch", "favourites", "for-you"]


def _records(store: Store, rids: Sequence[int]) -> list[tuple[int, PaperRecord]]:
    """(rid, full record) for ``rids`` in that order; one lookup each (digests are short)."""
    rows = store.rows(rids)
    found = ((rid, store.get(rows[rid].id)) for rid in rids if rid in rows)
    return [(rid, record) for rid, record in found if record is not None]


def _by_upvotes(store: Store, rids: Collection[int]) -> list[int]:
    """``rids``, most upvoted first (newest first among equals)."""
    rows = store.rows(list(rids))
    return sorted(rows, key=lambda r: (-rows[r].upvotes, -r))


def _group(
    store: Store, name: str, rids: list[int], limit: int, reasons: dict[int, str] | None = None
) -> DigestGroup:
    shown = rids[:limit]
    items = [
        DigestItem.from_paper(record.paper, reason=(reasons or {}).get(rid, ""))
        for rid, record in _records(store, shown)
    ]
    more = len(rids) - len(shown)
    return DigestGroup(name, items, more=max(0, more))


def build_digest(
    store: Store, new: Collection[int], *, title: str, generated: str, limit: int = 20
) -> Digest:
    """New papers (``new`` rids) grouped by watch, then "For you", then the most upvoted.

    Building "For you" brings the term index up to date first (the first time on a
    large store, a build of several seconds: fine for a command run from cron).
    """
    sql.ensure_schema(store)
    fresh = set(new)
    groups = []
    for watch in sql.watches(store):
        hits = [rid for rid in store.query_rids(watch.to_filter()) if rid in fresh]
        groups.append(_group(store, watch.name, _by_upvotes(store, hits), limit))
    if not sql.favourite_docs(store):
        note = "Mark papers as favourites to get suggestions here."
        groups.append(DigestGroup(FOR_YOU, [], note))
    elif fresh:
        ranked = service.suggest_among(store, fresh, limit=limit)
        reasons = {r.rid: str(r.reason) for r in ranked}
        groups.append(_group(store, FOR_YOU, [r.rid for r in ranked], limit, reasons))
    else:
        groups.append(DigestGroup(FOR_YOU, []))
    groups.append(_group(store, TOP_NEW, _by_upvotes(store, fresh), min(limit, 10)))
    return Digest(title, generated, groups)


def listed_since(store: Store, days: int, *, today: dt.date | None = None) -> list[int]:
    """Rids of papers listed on the Daily Papers in the last ``days`` days."""
    start = (today or clock.today()) - dt.timedelta(days=days - 1)
    return list(store.query_rids(PaperFilter(since=start.isoformat())))


# -- feeds ----------------------------------------------------------------------------


def feed_id(kind: FeedKind, name: str = "") -> str:
    """A stable tag URI for a feed (RFC 4151), the same on every run."""
    tail = f"/{quote(name, safe='')}" if name else ""
    return f"tag:paperreader,2025:{kind}{tail}"


def watch_entries(store: Store, watch: Watch, limit: int = 50) -> list[FeedEntry]:
    """The watch's newest matches."""
    return [FeedEntry.from_paper(r.paper) for r in store.records(watch.to_filter(), limit=limit)]


def favourite_entries(store: Store, limit: int = 50) -> list[FeedEntry]:
    """The favourites, newest listed first."""
    records = store.records(PaperFilter(view="favourites"), limit=limit)
    return [FeedEntry.from_paper(r.paper) for r in records]


def for_you_entries(store: Store, limit: int = 50) -> list[FeedEntry]:
    """The stored "For you" suggestions, best first, each summary led by its reason."""
    rows = service.for_you_rows(store, limit=limit)
    out = []
    for row in rows:
        record = store.get(row.paper_id)
        if record is not None:
            entry = FeedEntry.from_paper(record.paper)
            summary = f"{row.reason}\n\n{entry.summary}" if row.reason else entry.summary
            out.append(dataclasses.replace(entry, summary=summary))
    return out


def feed_document(kind: FeedKind, entries: Sequence[FeedEntry], *, name: str = "") -> str:
    """The Atom document; its ``updated`` is the newest entry's (now if it has none)."""
    titles = {"watch": f"paperreader: {name}", "favourites": "paperreader: favourites"}
    stamps = [s for s in (rfc3339(e.updated) for e in entries) if s is not None]
    return atom_feed(
        entries,
        feed_id=feed_id(kind, name),
        title=titles.get(kind, "paperreader: for you"),
        updated=max(stamps) if stamps else clock.now(),
        subtitle="Hugging Face Daily Papers, from your local paperreader store",
    )
