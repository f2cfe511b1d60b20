"""Remote search from the reader: all of Hugging Face, the hits stored like a sync's.

Run in a worker thread: one request (``/api/papers/search``) through the usual
client, the papers upserted on the thread's own store connection (the user's marks,
stars and notes are never touched), and the hits' rids returned in the server's order.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from paperreader.core import clock
from paperreader.core.config import Settings
from paperreader.core.hf_api import ApiError, HFClient
from paperreader.core.models import Paper
from paperreader.core.store import Store, StoreError
from paperreader.core.store.radar_views import rids_of

#: Hits asked for (the endpoint's own maximum).
LIMIT = 120


async def _fetch(settings: Settings, query: str) -> list[Paper]:
    async with HFClient(
        settings.api_url, token=settings.token, token_hosts=settings.token_hosts, deadline=20.0
    ) as client:
        return (await client.search(query, limit=LIMIT)).papers


def remote_search(path: Path, settings: Settings, query: str) -> tuple[list[int], str]:
    """Search HF for ``query`` and store the hits: (their rids, '') or ([], the problem)."""
    try:
        papers = asyncio.run(_fetch(settings, query))
    except ApiError as exc:
        return [], f"offline? remote search failed: {exc}"
    try:
        with Store(path, migrate=False) as store:
            with store.write():
                store.upsert_papers(papers, now=clock.stamp())
            rids = rids_of(store, [p.id for p in papers])
    except StoreError as exc:
        return [], f"remote hits not stored: {exc}"
    if not rids:
        return [], f"Hugging Face has no papers matching “{query[:40]}”"
    return rids, ""
