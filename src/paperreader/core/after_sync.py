"""What the reader does once a sync has ended well: store HF's trending ranking, then
(if configured) prefetch full texts.

Runs in a thread of the reader on its own store connection and HTTP client, so it never
holds up the UI. Trending is one request, so the "Trending" order works offline
afterwards. Prefetch is off by default (``prefetch_favourites``, ``prefetch_top_n``);
it fetches one paper at a time and stops when the "pages" rate bucket runs low
(:mod:`paperreader.core.fulltext.prefetch`), so reading a paper by hand keeps its quota.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from paperreader.core import text

if TYPE_CHECKING:
    from paperreader.core.config import Settings
    from paperreader.core.fulltext.prefetch import PrefetchReport
    from paperreader.core.hf_api import HFClient
    from paperreader.core.store import Store

#: Full texts fetched by one prefetch at most (the rest wait for the next sync).
PREFETCH_LIMIT = 20


@dataclass
class AfterSyncReport:
    """What happened after the sync."""

    trending: int | None = None
    """Papers in the stored ranking; None when it could not be fetched."""
    problems: list[str] = field(default_factory=list)
    prefetch: PrefetchReport | None = None
    """None when prefetch is off or had nothing to do."""


def wants_prefetch(settings: Settings) -> bool:
    """Whether the settings ask for any prefetch."""
    return settings.prefetch_favourites or settings.prefetch_top_n > 0


async def after_sync(store: Store, client: HFClient, settings: Settings) -> AfterSyncReport:
    """Store the trending ranking, then prefetch what the settings ask for."""
    from paperreader.core.fulltext.prefetch import prefetch
    from paperreader.core.hf_api import ApiError
    from paperreader.core.store.fulltext import prefetch_candidates
    from paperreader.core.trending import sync_trending

    report = AfterSyncReport()
    try:
        report.trending = await sync_trending(store, client)
    except ApiError as exc:
        report.problems.append(f"trending: {text.one_line(str(exc), max_len=200)}")
    if wants_prefetch(settings):
        ids = prefetch_candidates(
            store, favourites=settings.prefetch_favourites, top=settings.prefetch_top_n
        )
        if ids:
            report.prefetch = await prefetch(store, client, ids, limit=PREFETCH_LIMIT)
    return report
