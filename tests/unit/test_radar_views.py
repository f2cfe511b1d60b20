"""The SQL of the "For you" and "New" views, on a real store."""

from __future__ import annotations

from pathlib import Path

from paperreader.core.demo import fill_demo_store
from paperreader.core.models import Paper, PaperFilter
from paperreader.core.radar import news, session
from paperreader.core.store import Store
from paperreader.core.store import radar as sql
from paperreader.core.store.radar import ScoreRow
from paperreader.core.store.radar_views import BASELINE
from tests.conftest import LATEST, TODAY


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "v.db")
    fill_demo_store(store, today=LATEST, days=3, per_day=10, seed=2)  # LATEST: a weekday
    sql.ensure_schema(store)
    return store


def test_for_you_lists_stored_scores_best_first_unread_only(tmp_path: Path) -> None:
    store = _store(tmp_path)
    rows = store.rows(list(store.query_rids(PaperFilter()))[:6])
    unread = [r for r in rows.values() if not r.read][:4]
    assert len(unread) == 4
    scores = [ScoreRow(r.rid, r.id, float(i), "", None) for i, r in enumerate(unread)]
    # A score left behind by a paper that moved to another rid is ignored.
    scores.append(ScoreRow(1, unread[0].id, 99.0, "", None))
    sql.replace_scores(store, scores)
    listed = list(store.query_rids(PaperFilter(view="foryou")))
    assert listed == [r.rid for r in reversed(unread)]
    store.set_read([unread[3].id])
    assert list(store.query_rids(PaperFilter(view="foryou"))) == [r.rid for r in unread[2::-1]]
    by_votes = store.query_rids(PaperFilter(view="foryou", sort="upvotes"))
    assert set(by_votes) == {r.rid for r in unread[:3]}


def test_new_lists_papers_stored_after_the_baseline_even_in_the_same_second(
    tmp_path: Path,
) -> None:
    store = _store(tmp_path)
    assert not list(store.query_rids(PaperFilter(view="new")))  # no baseline: none
    first = Paper(id="2611.50001", title="a", daily_date=TODAY.isoformat())
    second = Paper(id="2611.50002", title="b", daily_date=TODAY.isoformat())
    with store.write():
        store.upsert_papers([first], now="2099-01-01T00:00:00Z")
    news.save_seen(store, BASELINE, news.latest(store))
    with store.write():  # the same clock reading (one sync's pages), after the mark
        store.upsert_papers([second], now="2099-01-01T00:00:00Z")
    new = store.rows(list(store.query_rids(PaperFilter(view="new"))))
    assert [r.id for r in new.values()] == [second.id]


def test_a_mark_from_before_unique_stamps_keeps_its_edge_until_all_is_seen(
    tmp_path: Path,
) -> None:
    store = _store(tmp_path)
    legacy = "2099-01-01T00:00:00Z"  # one stamp for a whole sync, as stores once had
    first = Paper(id="2611.50001", title="a", daily_date=TODAY.isoformat())
    second = Paper(id="2611.50002", title="b", daily_date=TODAY.isoformat())
    with store.write():
        store.upsert_papers([first, second])
        store.conn.execute(
            "UPDATE papers SET first_seen = ? WHERE id IN (?, ?)", [legacy, first.id, second.id]
        )
    mark = news.Seen(legacy, frozenset({first.id}))  # taken while that sync still ran
    assert news.compact(store, mark) == mark
    news.save_seen(store, BASELINE, mark)
    new = store.rows(list(store.query_rids(PaperFilter(view="new"))))
    assert [r.id for r in new.values()] == [second.id]
    rids, after = news.unseen(store, mark)
    assert [store.rows(rids)[r].id for r in rids] == [second.id]
    assert after == news.Seen(legacy)  # all seen now: the edge goes
    both = news.Seen(legacy, frozenset({first.id, second.id}))
    assert news.compact(store, both) == news.Seen(legacy)


def test_session_baseline_and_quit_mark(tmp_path: Path) -> None:
    store = _store(tmp_path)
    session.begin(store)  # first session: nothing is new
    assert session.new_rids(store) == []
    with store.write():
        store.upsert_papers([Paper(id="2611.50003", title="c")], now="2099-01-01T00:00:00Z")
    assert len(session.new_rids(store)) == 1  # arrived during the session: new in it
    session.end(store)
    session.begin(store)
    assert session.new_rids(store) == []


def test_no_favourites_means_nothing_to_rank_and_no_leftover_suggestions(tmp_path: Path) -> None:
    store = _store(tmp_path)
    for row in store.query_rows(PaperFilter(view="favourites")):
        store.set_favourite(row.id, False)
    assert not session.stale(store)  # a start-up does not index the store for no one
    first = store.query_rows(PaperFilter(), limit=1)[0]
    store.set_favourite(first.id, True)
    assert session.stale(store)
    session.refresh(store)
    assert not session.stale(store) and list(store.query_rids(PaperFilter(view="foryou")))
    store.set_favourite(first.id, False)  # the last star goes: so do its suggestions
    assert not session.stale(store)
    assert list(store.query_rids(PaperFilter(view="foryou"))) == []


def test_a_store_synced_in_one_go_is_not_reread_to_find_what_is_new(tmp_path: Path) -> None:
    store = _store(tmp_path)
    first = news.latest(store)
    assert first is not None and not first.edge  # the mark is one stamp, not 100k ids
    read: list[bool] = []
    real = sql.first_seen_since

    def spy(store: Store, stamp: str, *, at_stamp: bool = True) -> list[tuple[int, str, str]]:
        read.append(at_stamp)
        return real(store, stamp, at_stamp=at_stamp)

    sql.first_seen_since = spy  # type: ignore[assignment]
    try:
        assert news.unseen(store, first) == ([], first)
        assert read == [False]  # only papers stored after the mark were read
        extra = Paper(id="2611.39999", title="Later", daily_date=TODAY.isoformat())
        with store.write():
            store.upsert_papers([extra], now=first.mark)  # the same second as the mark
        rids, after = news.unseen(store, first)
        assert read[-1] is False and len(rids) == 1 and after is not None
        assert after.mark > first.mark and not after.edge
    finally:
        sql.first_seen_since = real  # type: ignore[assignment]
