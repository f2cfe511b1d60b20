"""HF's own "trending" ranking (``/api/daily_papers?sort=trending``), stored per sync.

Trending ignores ``date``/``month`` and ranks across all time (old papers with many
GitHub stars included), so it is a feed of its own, not a sort of a day. Each sync
replaces the ``trending`` table (paper id → rank, 1 = top) in one transaction, and
upserts the papers themselves so the view can list them offline; user state is not
touched.

Proposal for the list: a sort "trending" whose order is :data:`TRENDING_ORDER_SQL`
(ranked papers first, by rank; no others), next to the local "rising".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from paperreader.core.models import ItemError, Paper
from paperreader.core.store.trending import save_trending

if TYPE_CHECKING:
    from paperreader.core.hf_api import HFClient
    from paperreader.core.store.store import Store

#: Papers kept from the trending feed (one page of the API).
TRENDING_LIMIT = 100
#: Row ids of the ranked papers, best first: the "trending" sort of the list query.
TRENDING_ORDER_SQL = (
    "SELECT p.rid FROM trending t JOIN papers p ON p.id = t.paper_id ORDER BY t.rank"
)


async def fetch_trending(client: HFClient, *, limit: int = TRENDING_LIMIT) -> list[Paper]:
    """The trending papers, best first (items that do not parse are skipped)."""
    papers: list[Paper] = []
    page = 0
    size = max(1, min(100, limit))  # one page size throughout: pages are offsets p * limit
    while len(papers) < limit:
        data: Any = await client.get_json(
            "/api/daily_papers", {"sort": "trending", "limit": size, "p": page}
        )
        if not isinstance(data, list):
            break
        for item in data:
            try:
                papers.append(Paper.from_api(item, source="daily"))
            except ItemError:
                continue
        if len(data) < size:
            break
        page += 1
    best: dict[str, Paper] = {}
    for paper in papers:  # a paper moving up between pages is counted once, at its best rank
        best.setdefault(paper.id, paper)
    return list(best.values())[:limit]


async def sync_trending(store: Store, client: HFClient, *, limit: int = TRENDING_LIMIT) -> int:
    """Fetch and store the ranking; on failure the previous ranking stays (ApiError raised)."""
    papers = await fetch_trending(client, limit=limit)
    if not papers:
        return 0  # an empty answer is more likely a hiccup than "nothing trends": keep the old
    return save_trending(store, papers)
