"""The ``--demo`` store: synthetic papers, so anyone can try the reader offline."""

from __future__ import annotations

import datetime as dt

from paperreader.core import clock
from paperreader.core.corpus import Corpus
from paperreader.core.models import Paper
from paperreader.core.store import Store
from paperreader.core.store.trending import save_trending


def fill_demo_store(
    store: Store,
    *,
    today: dt.date | None = None,
    days: int = 45,
    per_day: int = 20,
    seed: int = 7,
) -> int:
    """Fill ``store`` with ``days`` of synthetic Daily Papers ending ``today``; returns count."""
    today = today or clock.today()
    corpus = Corpus(today - dt.timedelta(days=days - 1), today, seed=seed, per_day=per_day)
    papers = [Paper.from_api(item) for item in corpus.all_items()]
    synced = clock.stamp(dt.datetime.combine(today, dt.time(6), tzinfo=dt.UTC))
    with store.write():
        store.upsert_papers(papers, now=synced)
        store.set_meta("last_sync_at", synced)
        store.set_meta("synced_through", today.isoformat())
    # A lived-in look: the older half read, a few favourites.
    older = [
        p.id
        for p in papers
        if p.daily_date and p.daily_date < (today - dt.timedelta(days=days // 2)).isoformat()
    ]
    store.set_read(older)
    for paper in sorted(papers, key=lambda p: -(p.upvotes or 0))[:5:2]:
        store.set_favourite(paper.id, True)
    save_trending(store, demo_trending(papers, today), now=synced)
    return len(papers)


def demo_trending(papers: list[Paper], today: dt.date, limit: int = 50) -> list[Paper]:
    """A trending ranking as HF's reads: upvotes weighed down by age (a paper of last
    week needs more votes than one of yesterday), the top ``limit``, best first."""

    def score(paper: Paper) -> float:
        days = (today - dt.date.fromisoformat(paper.daily_date)).days if paper.daily_date else 99
        age = max(days, 0)  # a paper dated after today is as fresh as today's
        weight: float = (age + 2) ** 1.5
        return (paper.upvotes or 0) / weight

    return sorted(papers, key=score, reverse=True)[:limit]


def demo_fulltext(store: Store, paper_id: str) -> bool:
    """Give a demo paper its full text (made up once, then stored like a fetched one), so
    the reading view works in the demo; False if the store has no such paper."""
    from paperreader.core.corpus.paper_text import english_paper
    from paperreader.core.store.fulltext import load_fulltext, save_fulltext

    if load_fulltext(store, paper_id) is not None:
        return True
    record = store.get(paper_id)
    if record is None:
        return False
    paper = record.paper
    text = english_paper(paper.id, paper.title, paper.summary, paper.ai_keywords)
    save_fulltext(store, paper_id, text)
    return True
