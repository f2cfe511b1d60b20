"""Stored full texts, reading positions, body search, linked repos and trending ranks."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from paperreader.core import clock
from paperreader.core.corpus import Corpus
from paperreader.core.fulltext.blocks import Position
from paperreader.core.fulltext.repos import LinkedRepo, LinkedRepos
from paperreader.core.fulltext.sample_doc import make_paper
from paperreader.core.models import Paper
from paperreader.core.store import Store
from paperreader.core.store.body_search import body_match_sql, search_bodies
from paperreader.core.store.fulltext import (
    delete_fulltext,
    load_fulltext,
    progress_for,
    save_fulltext,
    save_position,
    stored_ids,
)
from paperreader.core.store.linked import is_fresh, linked_repos, load_linked, save_linked
from paperreader.core.store.trending import save_trending, trending_ranks
from paperreader.core.trending import sync_trending
from tests.conftest import LATEST, make_client
from tests.support.fakehub import FakeHub

PAPER = make_paper(3_000, seed=5)


def paper(pid: str, title: str = "A paper") -> Paper:
    return Paper(id=pid, title=title, summary="An abstract.", daily_date=LATEST.isoformat())


def test_round_trip_is_compressed_and_exact(store: Store) -> None:
    save_fulltext(store, "2611.00001", PAPER, now="2026-11-01T10:00:00Z")
    stored = load_fulltext(store, "2611.00001")
    assert stored is not None
    assert stored.markdown == PAPER
    assert stored.size == len(PAPER.encode())
    assert stored.fetched_at == "2026-11-01T10:00:00Z"
    assert stored.position == Position(0, 0) and stored.progress == 0
    blob = store.conn.execute("SELECT body FROM fulltext").fetchone()[0]
    assert len(blob) < stored.size / 2
    assert load_fulltext(store, "2611.00002") is None


def test_position_survives_reopening_the_store(tmp_path: Path) -> None:
    path = tmp_path / "papers.db"
    with Store(path) as store:
        save_fulltext(store, "2611.00001", PAPER)
        save_position(store, "2611.00001", Position(17, 42), 37.4)
    with Store(path) as store:
        stored = load_fulltext(store, "2611.00001")
        assert stored is not None
        assert stored.position == Position(17, 42) and stored.progress == 37.4
        assert progress_for(store, ["2611.00001", "2611.00002"]) == {"2611.00001": 37}


def test_refetch_keeps_the_position_and_reindexes(store: Store) -> None:
    save_fulltext(store, "2611.00001", "# Old\n\nzebra crossing\n")
    save_position(store, "2611.00001", Position(1, 3), 50.0)
    save_fulltext(store, "2611.00001", "# New\n\nquokka habitat\n")
    stored = load_fulltext(store, "2611.00001")
    assert stored is not None and stored.markdown.startswith("# New")
    assert stored.position == Position(1, 3)
    assert search_bodies(store, "zebra") == []
    assert [h.paper_id for h in search_bodies(store, "quokka")] == ["2611.00001"]


def test_position_without_a_stored_text_is_ignored(store: Store) -> None:
    save_position(store, "2611.00009", Position(3, 0), 10.0)
    assert progress_for(store, ["2611.00009"]) == {}


def test_user_state_and_paper_rows_are_untouched(store: Store) -> None:
    with store.write():
        store.upsert_papers([paper("2611.00001")])
    store.set_favourite("2611.00001", True)
    before = [list(store.conn.execute(f"SELECT * FROM {t}")) for t in ("papers", "user_state")]
    save_fulltext(store, "2611.00001", PAPER)
    save_position(store, "2611.00001", Position(2, 0), 5.0)
    delete_fulltext(store, "2611.00001")
    after = [list(store.conn.execute(f"SELECT * FROM {t}")) for t in ("papers", "user_state")]
    assert before == after


def test_body_search_finds_a_phrase_and_shows_where(store: Store) -> None:
    with store.write():
        store.upsert_papers([paper("2611.00001"), paper("2611.00002")])
    body = (
        "# Title\n\n## 1 Intro\n\nNothing here.\n\n"
        "## 3 Method\n\nWe train the **lantern folding** policy with care.\n"
    )
    save_fulltext(store, "2611.00001", body)
    save_fulltext(store, "2611.00002", PAPER)
    hits = search_bodies(store, "lantern folding")
    assert [h.paper_id for h in hits] == ["2611.00001"]
    hit = hits[0]
    assert "lantern folding policy" in hit.snippet and "**" not in hit.snippet
    assert hit.section == "3 Method"
    assert body[hit.offset :].startswith("lantern")
    assert hit.rid is not None
    assert search_bodies(store, "lantern", exclude=frozenset({"2611.00001"})) == []


def test_body_search_stems_and_survives_fts_syntax(store: Store) -> None:
    save_fulltext(store, "2611.00001", "# T\n\nThe model was trained for days.\n")
    hits = search_bodies(store, "training")
    assert [h.paper_id for h in hits] == ["2611.00001"]
    assert "trained" in hits[0].snippet
    for hostile in ('"', "NEAR(", "a AND OR", "*", "-x", "col:val", ""):
        search_bodies(store, hostile)  # never an FTS5 syntax error


def test_body_match_sql_unions_with_the_paper_rows(store: Store) -> None:
    with store.write():
        store.upsert_papers([paper("2611.00001"), paper("2611.00002")])
    save_fulltext(store, "2611.00002", "# T\n\nA capybara appears.\n")
    sql = body_match_sql("capybara")
    assert sql is not None and body_match_sql("  ") is None
    rids = [r[0] for r in store.conn.execute(sql[0], sql[1])]
    expected = store.conn.execute("SELECT rid FROM papers WHERE id = '2611.00002'").fetchone()
    assert rids == [expected[0]]


def test_delete_forgets_text_and_index(store: Store) -> None:
    save_fulltext(store, "2611.00001", "# T\n\nokapi\n")
    assert stored_ids(store) == {"2611.00001"}
    assert delete_fulltext(store, "2611.00001") and not delete_fulltext(store, "2611.00001")
    assert search_bodies(store, "okapi") == [] and stored_ids(store) == set()


def test_migration_adds_tables_to_an_older_store(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store(path) as store:
        with store.write():
            store.upsert_papers([paper("2611.00001")])
        store.set_read(["2611.00001"])
    conn = sqlite3.connect(path)  # make it look like a store from before this migration
    for table in ("fulltext", "fulltext_fts", "linked_repos", "linked_counts", "trending"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DELETE FROM _migrations WHERE name = 'm003_fulltext'")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.state("2611.00001") == (True, False)
        save_fulltext(store, "2611.00001", PAPER)
        assert load_fulltext(store, "2611.00001") is not None


def test_linked_round_trip_and_freshness(store: Store) -> None:
    repos = LinkedRepos(
        "2611.00001",
        (LinkedRepo("model", "a/b", 3, 100), LinkedRepo("space", "c/d", 9, None)),
        {"model": 12, "dataset": 0, "space": 1},
        "2026-11-01T10:00:00Z",
    )
    assert load_linked(store, "2611.00001") is None
    save_linked(store, repos)
    assert load_linked(store, "2611.00001") == repos
    fetched = dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC)
    assert is_fresh(repos, now=fetched + dt.timedelta(hours=23))
    assert not is_fresh(repos, now=fetched + dt.timedelta(hours=25))
    save_linked(store, LinkedRepos("2611.00001", fetched_at="2026-11-02T10:00:00Z"))
    empty = load_linked(store, "2611.00001")
    assert empty is not None and empty.total == 0 and empty.repos == ()  # fetched, none


async def test_linked_repos_fetches_once_per_refresh_age(
    store: Store, hub: FakeHub, corpus: Corpus
) -> None:
    pid = str(corpus.day(LATEST)[0]["paper"]["id"])
    now = clock.now()
    assert await linked_repos(store, None, pid, now=now) is None  # offline, never fetched
    async with make_client(hub.url) as client:
        first = await linked_repos(store, client, pid, now=now)
        again = await linked_repos(store, client, pid, now=now + dt.timedelta(hours=2))
        assert len(hub.log) == 1 and first == again
        await linked_repos(store, client, pid, now=now + dt.timedelta(days=2))
        assert len(hub.log) == 2
    offline = await linked_repos(store, None, pid, now=now + dt.timedelta(days=9))
    assert offline is not None and offline.paper_id == pid


async def test_linked_repos_falls_back_to_stored_when_the_hub_fails(
    store: Store, corpus: Corpus
) -> None:
    pid = str(corpus.day(LATEST)[0]["paper"]["id"])
    save_linked(store, LinkedRepos(pid, (), {"model": 2}, "2020-01-01T00:00:00Z"))
    async with make_client("http://127.0.0.1:9", max_attempts=1) as client:
        got = await linked_repos(store, client, pid)
    assert got is not None and got.count("model") == 2


async def test_trending_sync_replaces_the_ranking_and_keeps_user_state(
    store: Store, hub: FakeHub
) -> None:
    save_trending(store, [paper("2611.00001"), paper("2611.00002")])
    store.set_read(["2611.00001"])
    async with make_client(hub.url) as client:
        count = await sync_trending(store, client, limit=30)
    ranks = trending_ranks(store)
    assert count == 30 and sorted(ranks.values()) == list(range(1, 31))
    assert "2611.00001" not in ranks
    assert store.state("2611.00001") == (True, False)
    top = min(ranks, key=ranks.__getitem__)
    assert store.get(top) is not None  # the ranked papers are in the store, for offline use
