"""The radar service on a real store: cached index, incremental refresh, stored "For you"."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperreader.core import paths
from paperreader.core.corpus import Corpus
from paperreader.core.demo import fill_demo_store
from paperreader.core.models import Paper
from paperreader.core.radar import rank, service
from paperreader.core.radar.index import TermIndex
from paperreader.core.store import Store
from paperreader.core.store import radar as sql
from tests.conftest import TODAY

DAYS, PER_DAY, SEED = 30, 20, 7


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "papers.db") as store:
        fill_demo_store(store, today=TODAY, days=DAYS, per_day=PER_DAY, seed=SEED)
        yield store


def _corpus() -> Corpus:
    return Corpus(TODAY - dt.timedelta(days=DAYS - 1), TODAY, seed=SEED, per_day=PER_DAY)


def _favour_only(store: Store, ids: list[str]) -> None:
    for doc in sql.favourite_docs(store):
        store.set_favourite(doc.id, False)
    for pid in ids:
        store.set_favourite(pid, True)


def test_refresh_stores_unread_suggestions_with_reasons(demo: Store) -> None:
    done = service.refresh(demo, limit=50)
    assert done.rebuilt and done.added == demo.count() == done.papers
    assert done.favourites == 3 and done.stored == 50
    assert service.index_path(demo).is_file()
    assert service.index_path(demo).parent == paths.cache_dir() / "radar"
    rows = service.for_you_rows(demo)
    assert len(rows) == 50
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)
    favourites = {d.id: d.title for d in sql.favourite_docs(demo)}
    read = sql.read_rids(demo)
    for row in rows:
        assert row.rid not in read and row.paper_id not in favourites
        assert row.reason
        if row.like_id is not None:  # only papers alike enough are "like" a favourite
            assert row.like_id in favourites
            assert row.reason.startswith(f"like: {favourites[row.like_id]}")
    assert all(row.like_id is not None for row in rows[:10])
    # Reading a suggestion hides it at once, without a refresh.
    demo.set_read([rows[0].paper_id])
    assert [r.rid for r in service.for_you_rows(demo)] == [r.rid for r in rows[1:]]


def test_suggestions_follow_the_favourites_topic(demo: Store) -> None:
    corpus = _corpus()
    docs = [doc for page in sql.paper_text_pages(demo, below=1 << 62) for doc in page]
    read = sql.read_rids(demo)
    mains = {doc.id: corpus.topic_of(doc.id) for doc in docs}
    # The topic with the most unread papers, so ten right answers exist.
    unread = Counter(mains[doc.id] for doc in docs if doc.rid not in read)
    topic, available = unread.most_common(1)[0]
    assert available >= 15
    _favour_only(demo, [pid for pid, main in mains.items() if main == topic][:3])
    service.refresh(demo, limit=10)
    rows = service.for_you_rows(demo)
    assert len(rows) == 10 and not {r.rid for r in rows} & read
    assert sum(mains[r.paper_id] == topic for r in rows) >= 8


def test_no_favourites_stores_nothing(demo: Store) -> None:
    _favour_only(demo, [])
    done = service.refresh(demo)
    assert done.stored == 0 and done.favourites == 0 and done.papers == demo.count()
    assert service.for_you_rows(demo) == []


def test_refresh_reads_only_what_changed(demo: Store) -> None:
    first = service.refresh(demo)
    again = service.refresh(demo)
    assert (again.rebuilt, again.added, again.removed) == (False, 0, 0)
    # A new day of papers: only those are indexed.
    later = Corpus(TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=7), seed=99)
    fresh = [Paper.from_api(item) for item in later.all_items()[:12]]
    with demo.write():
        demo.upsert_papers(fresh, now="2099-01-01T00:00:00Z")
    grown = service.refresh(demo)
    assert (grown.rebuilt, grown.added, grown.removed) == (False, 12, 0)
    assert grown.papers == first.papers + 12
    # Small changes stay in memory; a fresh process catches up from the older file.
    service.forget()
    again = service.refresh(demo)
    assert (again.rebuilt, again.added, again.papers) == (False, 12, grown.papers)
    # A paper re-listed on another day gets a new rid: the old one is forgotten.
    moved = dataclasses.replace(
        fresh[0], daily_date="2099-02-02", upvotes=(fresh[0].upvotes or 0) + 1
    )
    with demo.write():
        demo.upsert_papers([moved], now="2099-01-02T00:00:00Z")
    after = service.refresh(demo)
    assert (after.added, after.removed, after.papers) == (1, 1, grown.papers)
    assert set(service.update_index(demo).index.rids()) == set(sql.all_rids(demo))


def test_papers_written_later_in_the_same_second_are_not_missed(demo: Store) -> None:
    service.refresh(demo)
    later = Corpus(TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=7), seed=5)
    papers = [Paper.from_api(item) for item in later.all_items()[:6]]
    for part in (papers[:3], papers[3:]):  # one sync, two pages, one stamp
        with demo.write():
            demo.upsert_papers(part, now="2099-03-03T00:00:00Z")
        update = service.update_index(demo)
        assert update.added == 3
    assert len(update.index) == demo.count()


def test_a_first_build_goes_newest_first_in_steps(demo: Store) -> None:
    total = demo.count()
    first = service.refresh(demo, limit=20, max_new=200)
    assert (first.rebuilt, first.complete, first.papers) == (True, False, 200)
    newest = sorted(sql.all_rids(demo), reverse=True)[:200]
    assert set(service.update_index(demo, max_new=0).index.rids()) == set(newest)
    assert {r.rid for r in service.for_you_rows(demo)} <= set(newest)
    steps = [service.refresh(demo, limit=20, max_new=200)]
    while not steps[-1].complete:
        assert len(steps) <= total // 200 + 1
        steps.append(service.refresh(demo, limit=20, max_new=200))
    assert steps[-1].papers == total and sum(s.added for s in steps) == total - 200
    assert service.refresh(demo, max_new=200).added == 0
    whole = service.update_index(demo).index
    scratch = TermIndex()
    scratch.add(doc for page in sql.paper_text_pages(demo, below=1 << 62) for doc in page)
    assert set(whole.rids()) == set(scratch.rids())
    favs = sql.favourite_docs(demo)
    top = [r.rid for r in rank.for_you(whole, favs, limit=10)]
    assert top[:5] == [r.rid for r in rank.for_you(scratch, favs, limit=10)][:5]


def test_a_damaged_index_file_is_rebuilt(demo: Store) -> None:
    service.refresh(demo)
    path = service.index_path(demo)
    path.write_bytes(path.read_bytes()[:1000])
    done = service.refresh(demo)
    assert done.rebuilt and done.papers == demo.count()
    path.write_bytes(b"not an index")
    assert service.refresh(demo).rebuilt


def test_each_store_has_its_own_index(demo: Store, tmp_path: Path) -> None:
    with Store(tmp_path / "other.db") as other:
        assert service.index_path(other) != service.index_path(demo)
    assert service.index_path(demo) == service.index_path(demo)


def test_more_like_this_leaves_the_paper_out(demo: Store) -> None:
    corpus = _corpus()
    paper = next(iter(sql.paper_text_pages(demo, below=1 << 62)))[5]
    found = service.similar(demo, paper.id, limit=10)
    assert len(found) == 10 and paper.rid not in {r.rid for r in found}
    ids = {d.rid: d.id for d in sql.paper_texts(demo, [r.rid for r in found])}
    topics = set(corpus.topics_of(paper.id))
    assert sum(bool(topics & set(corpus.topics_of(ids[r.rid]))) for r in found) >= 8
    assert service.similar(demo, "0000.00000") == []
