"""The digest's "For you" group lists good matches only, and says why in rare words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperreader.core.corpus import Corpus
from paperreader.core.demo import fill_demo_store
from paperreader.core.models import Paper
from paperreader.core.radar import rank, reports
from paperreader.core.radar.digest import FOR_YOU
from paperreader.core.radar.index_store import update_index
from paperreader.core.store import Store
from paperreader.core.store import radar as sql

#: A fixed day: the corpus (and so the topics drawn) must not follow the real date.
DAY = dt.date(2026, 11, 25)
DAYS, PER_DAY, SEED = 20, 15, 3
LATER = "2099-01-01T00:00:00Z"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "papers.db") as store:
        fill_demo_store(store, today=DAY, days=DAYS, per_day=PER_DAY, seed=SEED)
        yield store


def _arrivals(store: Store) -> Corpus:
    """Three more days of papers, stored by a later sync; returns their corpus."""
    later = Corpus(DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=3), seed=99, per_day=15)
    with store.write():
        store.upsert_papers([Paper.from_api(i) for i in later.all_items()], now=LATER)
    return later


def test_digest_for_you_leaves_out_papers_of_unrelated_topics(store: Store) -> None:
    demo = Corpus(DAY - dt.timedelta(days=DAYS - 1), DAY, seed=SEED, per_day=PER_DAY)
    liked = {t for d in sql.favourite_docs(store) for t in demo.topics_of(d.id)}
    later = _arrivals(store)
    new = sql.first_seen_after(store, "2098-01-01T00:00:00Z")
    ids = {rid: row.id for rid, row in store.rows(new).items()}
    unrelated = {rid for rid, pid in ids.items() if not set(later.topics_of(pid)) & liked}
    assert len(unrelated) > len(new) // 2  # most arrivals are off the user's topics
    digest = reports.build_digest(store, new, title="t", generated=LATER, limit=50)
    group = next(g for g in digest.groups if g.name == FOR_YOU)
    listed = {item.paper_id for item in group.items}
    assert listed, "the favourites' topics have new papers"
    assert not listed & {ids[rid] for rid in unrelated}
    assert all(item.reason.startswith("like: ") for item in group.items)


def test_reasons_name_no_word_found_in_a_large_share_of_papers(store: Store) -> None:
    index = update_index(store).index
    common = {
        index.names[t]
        for t, entries in enumerate(index.postings)
        if len(entries) > rank.REASON_MAX_DF * index.slots
    }
    assert {"model", "data"} <= common  # the corpus's everyday words
    favourites = sql.favourite_docs(store)
    ranked = rank.for_you(index, favourites, limit=100)
    assert ranked and all(r.reason.terms for r in ranked[:20])
    assert not {t for r in ranked for t in r.reason.terms} & common
