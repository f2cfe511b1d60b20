"""Background prefetch of full texts (favourites, the newest day's top papers).

Meant for the end of ``paperreader sync`` (a child process of the reader, so the
compressing and indexing never touch the UI). Polite to the "pages" rate bucket:
one request at a time, and it stops as soon as the bucket is nearly spent instead
of waiting for the window, so reading a paper by hand still has quota left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from paperreader.core.fulltext.fetch import FullTextError, FullTextUnavailable, fetch_fulltext
from paperreader.core.fulltext.fetch import pages_gate as _pages_gate
from paperreader.core.store.fulltext import save_fulltext, stored_ids

if TYPE_CHECKING:
    from paperreader.core.hf_api import HFClient
    from paperreader.core.store.store import Store


@dataclass
class PrefetchReport:
    """What a prefetch did."""

    stored: list[str] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    stopped: str = ""
    """Why it stopped early ('' when it went through the list)."""


async def prefetch(
    store: Store, client: HFClient, paper_ids: list[str], *, limit: int = 20
) -> PrefetchReport:
    """Fetch and store up to ``limit`` of ``paper_ids`` that are not stored yet."""
    report = PrefetchReport()
    have = stored_ids(store)
    todo = [pid for pid in paper_ids if pid not in have][:limit]
    gate = _pages_gate(client)
    for pid in todo:
        if gate.delay(client.now()) > 0:
            report.stopped = "the pages rate limit is nearly spent"
            break
        try:
            fetched = await fetch_fulltext(client, pid)
        except FullTextUnavailable:
            report.unavailable.append(pid)
            continue
        except FullTextError as exc:
            report.failed[pid] = str(exc)
            if exc.status == 429:
                report.stopped = "rate limited"
                break
            continue
        save_fulltext(store, pid, fetched.markdown)
        report.stored.append(pid)
    return report
