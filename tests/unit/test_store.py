"""The SQLite store on a real file: schema, upserts, user state, FTS, faults."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from paperreader.core.corpus import Corpus
from paperreader.core.models import Paper, PaperFilter
from paperreader.core.store import Store, StoreError, migrations
from paperreader.core.store.query import fts_query
from paperreader.core.views import SORTS, VIEWS
from tests.conftest import LATEST, TODAY, papers_from


@pytest.fixture
def filled(store: Store, corpus: Corpus) -> Store:
    with store.write():
        store.upsert_papers(papers_from(corpus.all_items()), now="2026-11-25T06:00:00Z")
    return store


def test_schema_and_wal(store: Store) -> None:
    assert store.schema_version == len(migrations.MIGRATIONS)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = set(store.db.table_names())
    assert {"papers", "user_state", "periods", "signals", "papers_fts", "meta"} <= tables
    indexes = {i.name for i in store.db["papers"].indexes}
    assert {"idx_papers_rid", "idx_papers_upvotes", "idx_papers_rising"} <= indexes


def test_private_permissions(tmp_path: Path) -> None:
    db = tmp_path / "new" / "dir" / "papers.db"
    with Store(db) as s, s.write():
        s.set_meta("x", "y")
        assert stat.S_IMODE(os.stat(db.parent).st_mode) == 0o700
        for suffix in ("", "-wal", "-shm"):
            f = Path(f"{db}{suffix}")
            assert f.exists(), suffix
            assert stat.S_IMODE(os.stat(f).st_mode) == 0o600, suffix


def test_upsert_counts_and_idempotence(store: Store, example_items: list[dict[str, Any]]) -> None:
    papers = papers_from(example_items)
    with store.write():
        assert store.upsert_papers(papers) == (2, 0)
    with store.write():
        assert store.upsert_papers(papers) == (0, 0)
    changed = dict(example_items[0])
    changed["paper"] = {**changed["paper"], "upvotes": 50}
    with store.write():
        assert store.upsert_papers([Paper.from_api(changed)], now="2099-01-01T00:00:00Z") == (0, 1)
    rec = store.get("2609.99901", with_signals=True)
    assert rec is not None and rec.paper.upvotes == 50
    assert [s[1] for s in rec.signals] == [42, 50]


def test_prepared_parameters_are_used_only_while_they_still_hold(
    store: Store, example_items: list[dict[str, Any]]
) -> None:
    """A sync serialises its papers before its writer's transaction (``prepare_papers``);
    whatever changed in between is worked out again inside it."""
    first, second = papers_from(example_items)

    def with_upvotes(paper: Paper, upvotes: int) -> Paper:
        item = {**paper.raw, "paper": {**paper.raw["paper"], "upvotes": upvotes}}
        return Paper.from_api(item)

    with store.write():
        store.upsert_papers([first], now="2026-11-25T06:00:00Z")
    prepared = store.prepare_papers([first, second], now="2026-11-26T06:00:00Z")
    # Unchanged when prepared, so nothing was serialised for it; then another write
    # changes the stored copy before ours lands.
    assert set(prepared.records) == {second.id}
    with store.write():
        store.upsert_papers([with_upvotes(first, 7)], now="2026-11-25T07:00:00Z")
    # The page written is not the one prepared for the second paper.
    newer_second = with_upvotes(second, 99)
    with store.write():
        assert store.upsert_papers(
            [first, newer_second], now="2026-11-26T06:00:00Z", prepared=prepared
        ) == (1, 1)
    got = {pid: store.get(pid) for pid in (first.id, second.id)}
    assert got[first.id] is not None and got[first.id].paper.upvotes == first.upvotes
    assert got[second.id] is not None and got[second.id].paper.upvotes == 99
    raw = store.conn.execute("SELECT raw FROM papers WHERE id = ?", [second.id]).fetchone()[0]
    assert json.loads(zlib.decompress(raw))["paper"]["upvotes"] == 99
    # Prepared for another stamp: not used, as the stamp is part of what it stores.
    later = with_upvotes(second, 100)
    stale = store.prepare_papers([later], now="2026-11-26T06:00:00Z")
    with store.write():
        store.upsert_papers([later], now="2026-11-27T06:00:00Z", prepared=stale)
    stamp = store.conn.execute("SELECT updated_at FROM papers WHERE id = ?", [second.id])
    assert stamp.fetchone()[0] == "2026-11-27T06:00:00Z"


def test_sparse_updates_do_not_erase_known_fields(
    store: Store, example_items: list[dict[str, Any]]
) -> None:
    with store.write():
        store.upsert_papers(papers_from(example_items))
    legacy = Paper.from_api({"id": "2609.99901", "title": "Folding Lanterns"}, source="search")
    with store.write():
        store.upsert_papers([legacy])
    rec = store.get("2609.99901")
    assert rec is not None
    assert rec.paper.comments == 3 and rec.paper.upvotes == 42
    assert rec.paper.authors == ("Ada Example", "Bo Sample")
    assert store.raw("2609.99901") == example_items[0]  # the richer daily JSON is kept


def test_marks_survive_resync(filled: Store, corpus: Corpus) -> None:
    ids = [r.id for r in filled.query_rows(PaperFilter(), limit=3)]
    filled.set_read(ids[:2])
    filled.set_favourite(ids[2], True)
    corpus.upvote_bonus = dict.fromkeys(ids, 10)
    with filled.write():
        new, updated = filled.upsert_papers(papers_from(corpus.all_items()))
    assert (new, updated) == (0, 3)
    assert filled.state(ids[0]) == (True, False)
    assert filled.state(ids[2]) == (False, True)
    assert {r.id for r in filled.query_rows(PaperFilter(view="favourites"))} == {ids[2]}


def test_rising_needs_two_signal_points(filled: Store, corpus: Corpus) -> None:
    # With one signal point per paper nothing is rising yet: the order is newest first.
    top = filled.query_rows(PaperFilter(sort="rising"), limit=3)
    assert [r.id for r in top] == [r.id for r in filled.query_rows(PaperFilter(), limit=3)]
    assert (
        filled.conn.execute("SELECT count(*) FROM papers WHERE rising IS NOT NULL").fetchone()[0]
        == 0
    )
    slow, fast = [r.id for r in filled.query_rows(PaperFilter(sort="upvotes"), limit=2)]
    corpus.upvote_bonus = {slow: 1, fast: 40}
    with filled.write():
        filled.upsert_papers(papers_from(corpus.all_items()), now="2026-11-26T06:00:00Z")
    rising = [r.id for r in filled.query_rows(PaperFilter(sort="rising"), limit=2)]
    assert rising == [fast, slow]


def test_views_and_filters(filled: Store) -> None:
    everything = filled.query_rids(PaperFilter(), today=TODAY)
    assert len(everything) == filled.count()
    rows = filled.query_rows(PaperFilter(), today=TODAY)
    dates = [r.daily_date for r in rows]
    assert dates == sorted(dates, reverse=True)
    today = filled.query_rows(PaperFilter(view="today"), today=TODAY)
    assert today and {r.daily_date for r in today} == {LATEST.isoformat()}
    week = filled.query_rows(PaperFilter(view="week"), today=TODAY)
    week_start = (TODAY - dt.timedelta(days=6)).isoformat()
    assert week and all(r.daily_date and r.daily_date >= week_start for r in week)
    popular = filled.query_rows(PaperFilter(min_upvotes=20))
    assert popular and all(r.upvotes >= 20 for r in popular)
    last = TODAY.replace(day=1) - dt.timedelta(days=1)  # the whole previous month
    first = last.replace(day=1)
    ranged = filled.query_rows(PaperFilter(since=first.isoformat(), until=last.isoformat()))
    assert ranged and all(
        first.isoformat() <= (r.daily_date or "") <= last.isoformat() for r in ranged
    )
    by_votes = [r.upvotes for r in filled.query_rows(PaperFilter(sort="upvotes"))]
    assert by_votes == sorted(by_votes, reverse=True)
    facets = filled.keyword_facets(5)
    assert facets and facets[0][1] >= facets[-1][1]
    tagged = filled.query_rows(PaperFilter(keyword=facets[0][0]))
    assert len(tagged) == facets[0][1]
    filled.set_read([r.id for r in rows[:10]])
    assert len(filled.query_rids(PaperFilter(view="unread"))) == filled.count() - 10
    assert filled.unread_count() == filled.count() - 10


def test_search_ranks_title_matches_first(filled: Store) -> None:
    rows = filled.query_rows(PaperFilter(search="honesty", sort="relevance"))
    assert rows and "honesty" in rows[0].title.lower()
    # bm25 weighs the title 10x: the leading results are all title matches.
    assert all("honesty" in r.title.lower() for r in rows[:20])
    prefix = filled.query_rows(PaperFilter(search="hones"))
    assert {r.id for r in prefix} == {r.id for r in rows}


@pytest.fixture(scope="module")
def searchable(tmp_path_factory: pytest.TempPathFactory) -> Any:
    corpus = Corpus(TODAY.replace(day=1), TODAY, seed=3, per_day=10, abstract_words=40)
    with Store(tmp_path_factory.mktemp("fts") / "papers.db") as s:
        with s.write():
            s.upsert_papers(papers_from(corpus.all_items()))
        yield s


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        'foo"bar',
        "(",
        "AND",
        "OR NOT",
        "model AND",
        "NEAR(",
        "*",
        "^",
        "-x",
        "x:y",
        "{title}: a",
        "multi-agent",
        "C++",
        "",
        "   ",
        "\t",
        "don't",
        "a.b",
        "#1",
        "'",
        "\x00",
    ],
)
def test_hostile_search_text_never_errors(searchable: Store, hostile: str) -> None:
    searchable.query_rids(PaperFilter(search=hostile))
    searchable.query_rids(PaperFilter(search=hostile, sort="relevance"))


@given(st.text(max_size=60))
@example('"')
@example("NEAR(a b")
@settings(max_examples=300, deadline=None)
def test_fts_query_is_always_valid(text: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='porter unicode61')")
    conn.execute("INSERT INTO t VALUES ('some words here')")
    q = fts_query(text)
    if q is not None:
        conn.execute("SELECT * FROM t WHERE t MATCH ?", [q]).fetchall()


def test_corrupt_store_gives_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "papers.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable paperreader store"):
        Store(bad)
    assert bad.read_bytes() == b"this is not sqlite" * 100  # nothing overwritten


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "papers.db"
    with Store(db) as s, s.write():
        s.conn.execute("INSERT INTO _migrations VALUES ('m999_from_the_future', 'x')")
    before = db.read_bytes()
    with pytest.raises(StoreError, match="newer paperreader"):
        Store(db)
    assert db.read_bytes() == before


def test_backup_before_migrating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "papers.db"
    with Store(db) as s:
        s.set_read(["2609.99901"])

    def m999_notes(database: Any) -> None:
        database.execute("ALTER TABLE user_state ADD COLUMN extra TEXT")

    known = len(migrations.MIGRATIONS)
    told: list[str] = []
    with Store(db, upgrading=told.append):
        assert told == []  # up to date: nothing to say
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("m999", m999_notes)])
    with Store(db, upgrading=told.append) as s:
        assert s.schema_version == known + 1
    backup = tmp_path / f"papers.db.v{known}.bak"
    assert backup.exists()
    # The reader is told before the wait (a large store's index rebuild takes seconds).
    assert len(told) == 1 and "upgrading" in told[0] and backup.name in told[0]
    with Store(tmp_path / "new.db", upgrading=told.append):
        assert len(told) == 1  # a new store is created, not upgraded
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT read FROM user_state").fetchall() == [(1,)]


def test_unwritable_folder_gives_a_clear_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = Path("/proc/paperreader-test/papers.db")  # even root cannot create here
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "sub" / "papers.db"
    with pytest.raises(StoreError, match="cannot create"):
        Store(target)


def test_mark_is_durable_immediately(tmp_path: Path) -> None:
    db = tmp_path / "papers.db"
    writer = Store(db)
    writer.set_favourite("2609.99901", True)
    # A second connection (another process, in effect) sees it without any close/commit.
    with Store(db) as reader:
        assert reader.state("2609.99901") == (False, True)
    writer.close()


def test_a_store_from_before_partial_items_is_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "papers.db"
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
        with Store(db) as old:
            old.start_period("2026-10", "month", "2026-10-01", "2026-10-31")
            old.set_read(["2609.99901"])
    with Store(db) as s:
        assert s.schema_version == len(migrations.MIGRATIONS) >= 2
        [period] = s.periods()
        assert (period.key, period.partial_items, period.complete) == ("2026-10", 0, False)
        assert s.state("2609.99901") == (True, False)
    assert (tmp_path / "papers.db.v1.bak").exists()


@pytest.mark.parametrize("search", ["", "model", "lang"])
def test_every_rid_list_comes_in_the_order_sqlite_yields_row_by_row(
    filled: Store, search: str
) -> None:
    # query_rids (a whole list at once) and iter_rids (a slice at a time, for exports)
    # must give the same order, and the windowed ranking the same head as query_prefix.
    for sort in SORTS:
        for view in VIEWS:
            flt = PaperFilter(search=search, sort=sort, view=view)
            one_by_one = [rid for chunk in filled.iter_rids(flt, today=TODAY) for rid in chunk]
            assert list(filled.query_rids(flt, today=TODAY)) == one_by_one, (sort, view)
    flt = PaperFilter(search=search or "model", sort="relevance")
    windowed = filled.query_rids(flt, today=TODAY, rank_window=50)
    head, total = filled.query_prefix(flt, 10**6, today=TODAY, rank_window=50)
    assert list(windowed) == head and len(head) == total > 50
