"""The radar in the reader: watches, "For you", "New", more like this, remote search."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from paperreader.core import clock
from paperreader.core.corpus import Corpus
from paperreader.core.demo import fill_demo_store
from paperreader.core.models import Paper, PaperFilter, SyncReport
from paperreader.core.radar import news
from paperreader.core.radar.watch import Watch
from paperreader.core.store import Store
from paperreader.core.store import radar as sql
from paperreader.core.trending import TRENDING_LIMIT
from paperreader.core.views import VIEWS
from paperreader.ui.widgets import search_box
from paperreader.ui.widgets.watch_list import WatchList
from tests.support.app import TODAY, make_app, marks_saved, wait_for
from tests.support.fakehub import FakeHub

DAYS, PER_DAY, SEED = 30, 20, 7
#: v presses from All to "For you".
FOR_YOU = VIEWS.index("foryou")


@pytest.fixture
def corpus_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "radar.db")
    fill_demo_store(store, today=TODAY, days=DAYS, per_day=PER_DAY, seed=SEED)
    return store


def _corpus() -> Corpus:
    return Corpus(TODAY - dt.timedelta(days=DAYS - 1), TODAY, seed=SEED, per_day=PER_DAY)


def _later(store: Store, minutes: int = 1) -> str:
    """A stamp after every paper's first_seen (papers stored with it are new)."""
    newest = clock.parse_stamp(sql.newest_first_seen(store) or "") or dt.datetime(2026, 1, 1)
    return clock.stamp(newest + dt.timedelta(minutes=minutes))


def _paper(pid: str, title: str, summary: str) -> Paper:
    return Paper(
        id=pid,
        title=title,
        summary=summary,
        authors=("Ada Lovelace",),
        daily_date=TODAY.isoformat(),
        upvotes=5,
    )


def _idle(app: Any) -> bool:
    return not any(w.group.startswith("radar") and w.is_running for w in app.workers)


async def _settle(pilot: Any, app: Any) -> None:
    await pilot.pause()
    await wait_for(pilot, lambda: _idle(app))
    await pilot.pause()


async def test_watch_counts_new_matches_and_opening_clears(corpus_store: Store) -> None:
    store = corpus_store
    app = make_app(store)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = app.main_screen
        await _settle(pilot, app)
        await pilot.press("slash", *"zebrafish", "enter")
        await wait_for(pilot, lambda: screen.listing.filter.search == "zebrafish")
        await pilot.press("W")
        await pilot.pause()
        await pilot.press("ctrl+u", *"fish", "enter")  # the suggested name replaced
        await pilot.pause()
        assert [w.name for w in sql.watches(store)] == ["fish"]
        assert sql.watches(store)[0].search == "zebrafish"
        await _settle(pilot, app)
        assert screen.radar.counts == {"fish": 0}
        # A sync stores two matching papers and one that does not match.
        with store.write():
            store.upsert_papers(
                [
                    _paper("2611.90001", "Zebrafish larvae tracking", "We track zebrafish."),
                    _paper("2611.90002", "Counting zebrafish", "Many zebrafish."),
                    _paper("2611.90003", "Unrelated robots", "Robots walk."),
                ],
                now=_later(store),
            )
        app.sync_events.publish(SyncReport(new=3))
        await _settle(pilot, app)
        assert screen.radar.counts == {"fish": 2}
        await pilot.press("escape", "escape")  # leave the search
        await wait_for(pilot, lambda: screen.listing.filter.search == "")
        if not screen.show_filters:
            await pilot.press("F")
        await wait_for(pilot, lambda: bool(screen.query(WatchList)))
        watches = screen.query_one(WatchList)
        await wait_for(pilot, lambda: "(2 new)" in str(watches.get_option_at_index(0).prompt))
        watches.focus()
        await pilot.press("1")
        await pilot.pause()
        assert screen.radar.counts["fish"] == 0
        assert "(2 new)" not in str(watches.get_option_at_index(0).prompt)
        assert screen.listing.filter.search == "zebrafish"
        assert screen.list_pane.search_box.value == "zebrafish"
        assert news.watch_new_counts(store) == {"fish": 0}
        await wait_for(pilot, lambda: screen.paper_list.count == 2)


async def test_for_you_ranks_the_favourites_topic_first(corpus_store: Store) -> None:
    store = corpus_store
    corpus = _corpus()
    for doc in sql.favourite_docs(store):
        store.set_favourite(doc.id, False)
    read = sql.read_rids(store)
    docs = [d for page in sql.paper_text_pages(store, below=1 << 62) for d in page]
    topic_of = {d.id: corpus.topic_of(d.id) for d in docs}
    unread = Counter(topic_of[d.id] for d in docs if d.rid not in read)
    topic = unread.most_common(1)[0][0]
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await _settle(pilot, app)
        await pilot.press(*["v"] * FOR_YOU)  # all → … → For you
        assert screen.listing.filter.view == "foryou"
        await pilot.pause()
        hint = str(screen.detail.query_one("#detail-body").render())
        assert "star papers you like with f" in hint
        # Star three papers of one topic, from the All view, with f.
        await pilot.press(*["V"] * FOR_YOU)
        assert screen.listing.filter.view == "all"
        screen.list_pane.load_whole_list()
        starred = 0
        for index, rid in enumerate(screen.paper_list.rids):
            pid = store.rows([rid])[rid].id
            if topic_of[pid] == topic and rid not in read and starred < 3:
                screen.paper_list.move_to(index)
                await pilot.press("f")
                starred += 1
        await marks_saved(pilot, app)  # stars are written off the UI thread
        assert len(sql.favourite_docs(store)) == 3
        await pilot.press(*["v"] * FOR_YOU)
        await _settle(pilot, app)
        assert screen.listing.filter.view == "foryou"
        await wait_for(pilot, lambda: screen.paper_list.count >= 10)
        top = [screen.paper_list.row_at(i) for i in range(10)]
        ids = [r.id for r in top if r is not None]
        assert sum(topic_of[i] == topic for i in ids) >= 8
        assert not any(r.favourite or r.read for r in top if r is not None)
        # Why: the nearest favourite's title, above the detail.
        await pilot.pause(0.1)
        reason = str(screen.query_one("#radar-reason").render())
        favourites = [d.title for d in sql.favourite_docs(store)]
        assert reason.startswith("♥ like: ") and any(t[:20] in reason for t in favourites)
        assert "Best match" in screen.status.listing


async def test_more_like_this_lists_similar_papers_and_escape_returns(
    corpus_store: Store,
) -> None:
    store = corpus_store
    corpus = _corpus()
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await _settle(pilot, app)
        first = screen.paper_list.current
        assert first is not None
        await pilot.press("M")
        await wait_for(pilot, lambda: bool(screen.radar.temporary))
        assert screen.radar.temporary.startswith("Like: ")
        assert screen.status.note.startswith("Like: ")
        rows = [screen.paper_list.row_at(i) for i in range(10)]
        ids = [r.id for r in rows if r is not None]
        assert first.id not in ids and len(ids) == 10
        topic = corpus.topic_of(first.id)
        assert sum(corpus.topic_of(i) == topic for i in ids) >= 7
        assert str(screen.query_one("#radar-reason").render()).startswith("♥ like: ")
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.radar.temporary
        assert screen.paper_list.count == store.count()


async def test_new_view_lists_papers_stored_since_the_last_session(tmp_path: Path) -> None:
    store = Store(tmp_path / "new.db")
    fill_demo_store(store, today=TODAY, days=5, per_day=10, seed=3)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:  # session 1: nothing is new yet
        await _settle(pilot, app)
        assert not app.main_screen.radar.new
        assert "new since last time" not in app.main_screen.status.listing
    # Between sessions a sync (another process) stores two papers.
    with store.write():
        store.upsert_papers(
            [_paper("2611.80001", "Fresh one", "a"), _paper("2611.80002", "Fresh two", "b")],
            now=_later(store),
        )
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:  # session 2
        screen = app.main_screen
        await _settle(pilot, app)
        assert "✦ 2 new since last time" in str(screen.status.render())
        lines = [screen.paper_list.render_line(y).text for y in range(30)]
        fresh = [line for line in lines if "Fresh" in line]
        assert len(fresh) == 2 and all(line.startswith(" ✦ ") for line in fresh)
        assert not any(line.startswith(" ✦ ") for line in lines if "Fresh" not in line)
        await pilot.press(*["v"] * VIEWS.index("new"))
        assert screen.listing.filter.view == "new"
        await pilot.pause()
        rows = [screen.paper_list.row_at(i) for i in range(screen.paper_list.count)]
        titles = {r.title for r in rows if r is not None}
        assert titles == {"Fresh one", "Fresh two"}
        # A paper lands during this session: seen now, so not new next time.
        with store.write():
            store.upsert_papers([_paper("2611.80003", "Landed live", "c")], now=_later(store))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:  # session 3: seen last time
        await _settle(pilot, app)
        assert not app.main_screen.radar.new
        assert "new since last time" not in str(app.main_screen.status.render())
        assert not list(store.query_rids(PaperFilter(view="new")))


async def test_remote_search_stores_hits_and_lists_them_marked_remote(tmp_path: Path) -> None:
    corpus = Corpus(TODAY - dt.timedelta(days=90), TODAY, seed=5, per_day=5, abstract_words=30)
    store = Store(tmp_path / "remote.db")
    with FakeHub(corpus, today=TODAY) as hub:
        # A paper from three months ago and outside HF's trending 100: neither the start-up
        # sync (recent days) nor the trending ranking stored after it brings it in.
        trending = {it["paper"]["id"] for it in hub.trending(TRENDING_LIMIT, 0)[1]}
        old = min(
            (it for it in corpus.all_items() if it["paper"]["id"] not in trending),
            key=lambda it: it["paper"]["submittedOnDailyAt"],
        )
        word = max(old["title"].split(), key=len).strip(":,.")
        # A first sync of two weeks (whole months at most): never three months back, on
        # whatever day the clock is pinned to.
        app = make_app(store, offline=False, api_url=hub.url, max_attempts=1, initial_days=14)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.main_screen
            await wait_for(pilot, lambda: screen.status.sync.startswith("synced"))
            assert store.get(old["paper"]["id"]) is None
            await pilot.press("slash", *word, "enter")
            await wait_for(pilot, lambda: screen.listing.filter.search == word)
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: screen.radar.temporary.startswith("Remote"))
            searches = [r for r in hub.log if r.path == "/api/papers/search"]
            assert [r.query["q"] for r in searches] == [word]
            listed = [screen.paper_list.row_at(i) for i in range(screen.paper_list.count)]
            assert old["paper"]["id"] in {r.id for r in listed if r is not None}
            assert "all of Hugging Face" in screen.status.note
            await pilot.pause(0.1)
            assert str(screen.query_one("#radar-reason").render()).startswith("♥ remote hit")
            stored = store.get(old["paper"]["id"])
            assert stored is not None and not stored.read and not stored.favourite
            await pilot.press("escape")
            await pilot.pause()
            assert not screen.radar.temporary


async def test_remote_search_offline_says_so(corpus_store: Store) -> None:
    app = make_app(corpus_store)  # offline
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await pilot.press("slash", *"model", "enter")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.status.note.startswith("offline")
        assert not screen.radar.temporary


async def test_palette_renames_and_deletes_a_watch(corpus_store: Store) -> None:
    store = corpus_store
    sql.ensure_schema(store)
    stamp = "2026-11-25T12:00:00Z"
    sql.insert_watch(store, Watch("fish", created=stamp, search="zebrafish"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await _settle(pilot, app)
        assert [w.name for w in screen.radar.watches] == ["fish"]
        await pilot.press("ctrl+p")
        await pilot.press(*"Rename watch: fish")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+u", *"zebras", "enter")
        await _settle(pilot, app)
        assert [w.name for w in sql.watches(store)] == ["zebras"]
        assert sql.watches(store)[0].search == "zebrafish"
        await pilot.press("ctrl+p")
        await pilot.press(*"Delete watch: zebras")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await _settle(pilot, app)
        assert sql.watches(store) == [] and screen.radar.watches == []


async def test_a_cleared_search_does_not_come_back_over_a_watch_opened_at_once(
    corpus_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Escape clears the search at once; nothing of it may fire later (the debounce of the
    emptied box did, 0.15 s on, and put back the whole list over the watch just opened),
    and opening a watch drops a search still waiting on the typing pause."""
    store = corpus_store
    assert sql.insert_watch(store, Watch("fish", created=_later(store), search="zebrafish"))
    app = make_app(store)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = app.main_screen
        await _settle(pilot, app)
        await pilot.press("slash", *"model", "enter")
        await wait_for(pilot, lambda: screen.listing.filter.search == "model")
        await pilot.press("slash", "escape")  # back in the box, escape empties it
        screen.radar.open_watch("fish")
        assert screen.listing.filter.search == "zebrafish"
        await pilot.pause(0.4)  # longer than the search box's debounce
        await _settle(pilot, app)
        assert screen.listing.filter.search == "zebrafish"
        assert screen.list_pane.search_box.value == "zebrafish"
        # Nor does text typed just before: its search, still waiting on the pause, is dropped.
        # A long pause, so that a loaded machine cannot let it run out before the watch opens.
        monkeypatch.setattr(search_box, "SEARCH_DEBOUNCE", 600.0)
        box = screen.list_pane.search_box
        await pilot.press("slash", *"es")
        assert box._timer is not None  # the search for what was typed is waiting
        screen.radar.open_watch("fish")
        assert box._timer is None
        await _settle(pilot, app)
        assert screen.listing.filter.search == "zebrafish"
        assert screen.list_pane.search_box.value == "zebrafish"
