"""The reader's listing logic without any widget: filters, generations, pages, counts."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from paperreader.core.demo import fill_demo_store
from paperreader.core.listing import (
    PREFIX_ROWS,
    RANK_WINDOW,
    Listing,
    LivePage,
    Page,
    load_all,
    load_facets,
    load_first,
    load_live,
)
from paperreader.core.models import PaperFilter
from paperreader.core.store import Store
from paperreader.core.views import SORTS, VIEWS
from tests.conftest import TODAY


@pytest.fixture
def demo(tmp_path: Path) -> Store:
    store = Store(tmp_path / "demo.db")
    fill_demo_store(store, today=TODAY, days=40, per_day=15)  # > 300 papers on any weekday
    return store


def listing_of(store: Store) -> Listing:
    return Listing(store, today=lambda: TODAY)


def test_first_page_is_the_head_of_the_whole_result(demo: Store) -> None:
    listing = listing_of(demo)
    page = listing.query(PaperFilter())
    everything = listing.all_rids()
    assert page.total == len(everything) == demo.count() > PREFIX_ROWS
    assert list(page.rids) == list(everything[:PREFIX_ROWS])


def test_each_query_starts_a_new_generation_and_stale_answers_are_dropped(demo: Store) -> None:
    listing = listing_of(demo)
    first = listing.query(PaperFilter())
    assert listing.is_current(first.generation)
    second = listing.query(PaperFilter(view="unread"))
    assert second.generation > first.generation
    assert not listing.is_current(first.generation)
    assert listing.filter.view == "unread"


def test_a_live_answer_for_an_old_filter_updates_counts_but_not_rows(demo: Store) -> None:
    listing = listing_of(demo)
    old = listing.query(PaperFilter()).generation
    live = load_live(demo.path, PaperFilter(), TODAY, old)
    listing.query(PaperFilter(view="favourites"))  # the reader moved on meanwhile
    assert not listing.accept_live(live)
    assert listing.unread_total == demo.unread_count()
    fresh = load_live(demo.path, listing.filter, TODAY, listing.generation)
    assert listing.accept_live(fresh)
    assert not listing.is_current(fresh.page.generation)  # taking it starts a generation


def test_a_live_page_reaches_down_to_the_paper_under_the_cursor(demo: Store) -> None:
    everything = list(listing_of(demo).all_rids())
    assert len(everything) > PREFIX_ROWS + 50
    deep = everything[PREFIX_ROWS + 40]  # pushed below the first page by papers above it
    reached = load_live(demo.path, PaperFilter(), TODAY, 1, keep=deep).page
    assert deep in reached.rids
    assert list(reached.rids) == everything[: len(reached.rids)]  # still the list's head
    assert reached.total == len(everything)
    # The cursor at the top needs no more than the first page.
    top = load_live(demo.path, PaperFilter(), TODAY, 1, keep=everything[3]).page
    assert list(top.rids) == everything[:PREFIX_ROWS]
    # A paper no longer listed is not chased through the whole store.
    gone = load_live(demo.path, PaperFilter(view="favourites"), TODAY, 1, keep=deep).page
    assert deep not in gone.rids


def test_the_rest_loads_on_its_own_connection(demo: Store) -> None:
    listing = listing_of(demo)
    listing.query(PaperFilter(view="unread"))
    rest = load_all(demo.path, listing.filter, TODAY)
    assert rest is not None and list(rest) == list(listing.all_rids())
    assert len(rest) == demo.unread_count()
    ranked = listing.searching("model") or PaperFilter(search="model", sort="relevance")
    whole = load_all(demo.path, ranked, TODAY)
    assert whole is not None
    assert list(whole) == list(demo.query_rids(ranked, today=TODAY, rank_window=RANK_WINDOW))


def test_loading_the_rest_stops_once_the_reader_has_moved_on(
    demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("paperreader.core.listing.ALL_SLICE", 50)
    asked: list[int] = []

    def stale() -> bool:
        asked.append(1)
        return len(asked) > 2  # another search began while the third slice was read

    assert load_all(demo.path, PaperFilter(), TODAY, stale) is None
    assert len(asked) == 3  # it stopped at once, without reading the other slices
    assert demo.count() > 50 * 4


def test_facets_and_summary(demo: Store) -> None:
    listing = listing_of(demo)
    facets = load_facets(demo.path)  # on a connection of its own, as a thread reads them
    assert facets == demo.keyword_facets()
    assert facets and all(n > 0 for _, n in facets)
    listing.unread_total = demo.unread_count()
    listing.filter = PaperFilter(search="lantern", min_upvotes=5, keyword="robots")
    summary = listing.summary(12, 1234)
    assert summary.startswith(f"12/1,234 · {demo.unread_count():,} unread · All · Newest")
    # The first page of a search still being counted says there are more.
    assert listing.summary(12, 300, counting=True).startswith("12/300+ · ")
    assert "“lantern”" in summary and "#robots" in summary and "▲≥5" in summary


def test_searching_switches_to_best_match_until_a_sort_is_chosen(demo: Store) -> None:
    listing = listing_of(demo)
    flt = listing.searching("model")
    assert flt is not None and flt.sort == "relevance" and flt.search == "model"
    listing.query(flt)
    assert listing.searching("model") is None  # nothing changed
    cleared = listing.searching("")
    assert cleared is not None and cleared.sort == "newest"
    listing.query(cleared)
    listing.query(listing.next_sort())  # the reader picks "most upvoted"
    assert listing.filter.sort == "upvotes" and listing.sort_chosen
    kept = listing.searching("model")
    assert kept is not None and kept.sort == "upvotes"


def test_next_sort_offers_best_match_only_while_searching(demo: Store) -> None:
    listing = listing_of(demo)
    seen = []
    for _ in range(len(SORTS)):  # every order but best match, and round to the first again
        listing.query(listing.next_sort())
        seen.append(listing.filter.sort)
    assert "relevance" not in seen and seen[-1] == seen[0] and "trending" in seen


def test_empty_hints_say_what_to_do(tmp_path: Path, demo: Store) -> None:
    empty = listing_of(Store(tmp_path / "empty.db"))
    assert "paperreader sync" in empty.empty_hint(offline=True)
    assert "R to sync" in empty.empty_hint(offline=False)
    assert "No papers match" in listing_of(demo).empty_hint(offline=False)


def test_an_empty_list_is_explained_by_what_narrows_it(tmp_path: Path, demo: Store) -> None:
    listing = listing_of(demo)
    listing.query(PaperFilter(search="zebrafishes"))
    hint = listing.empty_hint(offline=False)
    assert "esc to clear the search" in hint and "F for" not in hint
    listing.query(PaperFilter(view="favourites", min_upvotes=10**6))
    hint = listing.empty_hint(offline=False)
    assert "esc" not in hint and "v or s" in hint and "F for the filters" in hint
    # The reader names the keys its keymap binds now.
    moved = listing.empty_hint(offline=False, key=lambda binding_id: f"<{binding_id}>")
    assert "<next_view> or <cycle_sort> for another view" in moved
    assert "<toggle_filters> for the filters" in moved and " v or s" not in moved
    # The demo has a trending ranking, as a synced store does; a store without one says
    # that the ranking is missing, not that a search or filter is in the way.
    trending = PaperFilter(sort="trending")
    assert listing.query(trending).total > 0
    with demo.write() as conn:
        conn.execute("DELETE FROM trending")
    unranked = listing_of(demo)
    assert unranked.query(trending).total == 0
    hint = unranked.empty_hint(offline=False)
    assert "No trending ranking yet" in hint and "esc" not in hint and "(R)" in hint
    offline = unranked.empty_hint(offline=True)
    assert "without --offline" in offline and "(R)" not in offline


def test_page_types_are_plain_data() -> None:
    page = Page([3, 2, 1], 3, 7)
    assert LivePage(page, 2).page.total == 3


def test_only_newest_first_lists_are_date_ordered(demo: Store) -> None:
    listing = listing_of(demo)
    assert listing.date_ordered
    listing.query(PaperFilter(sort="upvotes"))
    assert not listing.date_ordered
    listing.query(PaperFilter(sort="relevance", search="model"))
    assert not listing.date_ordered
    listing.query(PaperFilter(sort="relevance", search="  "))
    assert listing.date_ordered  # no search text: best match falls back to newest


def test_views_cycle_round(demo: Store) -> None:
    listing = listing_of(demo)
    assert listing.next_view(1) == "unread"
    assert listing.next_view(-1) == VIEWS[-1]
    assert listing.with_view("favourites").view == "favourites"


def test_a_trending_list_is_not_previewed_from_every_paper(demo: Store) -> None:
    listing = listing_of(demo)
    assert listing.searches_everything
    listing.query(PaperFilter(sort="trending"))
    assert not listing.searches_everything  # the quick preview would list untrending papers


def test_a_search_page_is_handed_over_before_its_matches_are_counted(demo: Store) -> None:
    listing = listing_of(demo)
    flt = listing.searching("model") or PaperFilter(search="model", sort="relevance")
    everything = listing.store.query_rids(flt, today=TODAY, rank_window=RANK_WINDOW)
    assert len(everything) > PREFIX_ROWS  # more than one page: counting is a query of its own
    handed: list[Page] = []
    page = load_first(demo.path, flt, TODAY, 7, handed.append)
    assert [list(p.rids) for p in handed] == [list(everything[:PREFIX_ROWS])]  # before the count
    assert handed[0].total == PREFIX_ROWS + 1  # not complete: the rest is not known yet
    assert handed[0].generation == 7
    assert list(page.rids) == list(handed[0].rids) and page.total == len(everything)
    assert page.generation == 7
    # A result that fits one page is counted by finding it: nothing is handed over early.
    rare = dataclasses.replace(flt, search=demo.query_rows(flt, limit=1)[0].title)
    handed.clear()
    small = load_first(demo.path, rare, TODAY, 8, handed.append)
    assert handed == [] and 0 < small.total == len(small.rids) < PREFIX_ROWS


def test_a_requery_reaches_down_to_the_kept_paper_within_its_reach(
    demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = listing_of(demo)
    listing.query(PaperFilter())
    everything = list(listing.all_rids())
    near = everything[PREFIX_ROWS + 40]
    page = listing.query(PaperFilter(), keep=near)
    assert near in page.rids and list(page.rids) == everything[: len(page.rids)]
    assert page.total == len(everything)
    # A search does not step down on the UI thread (each step ranks its matches again).
    searched = listing.searching("model") or PaperFilter(search="model", sort="relevance")
    found = list(demo.query_rids(searched, today=TODAY, rank_window=RANK_WINDOW))
    assert len(found) > PREFIX_ROWS + 40
    page = listing.query(searched, keep=found[PREFIX_ROWS + 40])
    assert list(page.rids) == found[:PREFIX_ROWS] and page.total == len(found)
    # Beyond the reach, the first page alone: the whole list is loaded in a thread instead.
    monkeypatch.setattr("paperreader.core.listing.SHOW_REACH", PREFIX_ROWS + 10)
    far = listing.query(PaperFilter(), keep=near)
    assert near not in far.rids and far.total == len(everything)
