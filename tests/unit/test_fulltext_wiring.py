"""Full texts and notes in local search, the trending order, reading progress in list rows,
linked repos in JSON, the prefetch settings and the work after a sync."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from paperreader.core.after_sync import after_sync
from paperreader.core.config import ConfigError, load_settings
from paperreader.core.corpus import Corpus
from paperreader.core.fulltext.blocks import Position
from paperreader.core.fulltext.repos import LinkedRepo, LinkedRepos
from paperreader.core.models import Paper, PaperFilter
from paperreader.core.row_text import row_cells
from paperreader.core.statesync import service
from paperreader.core.store import Store
from paperreader.core.store.body_search import body_hit
from paperreader.core.store.fulltext import load_fulltext, save_fulltext, save_position
from paperreader.core.store.linked import linked_json, save_linked
from paperreader.core.store.trending import save_trending, trending_ranks
from tests.conftest import LATEST, make_client, papers_from
from tests.support.fakehub import FakeHub

BODY = (
    "# Introduction\n\nWe study reading.\n\n## Method\n\nOur **origami lantern** folds "
    "attention maps into lanterns, a [trick](javascript:alert(1)) with `[bold]markup[/]`.\n"
)


def paper(pid: str, title: str, day: dt.date = LATEST, upvotes: int = 1) -> Paper:
    return Paper(
        id=pid,
        title=title,
        summary="An abstract about models.",
        daily_date=day.isoformat(),
        upvotes=upvotes,
    )


FIVE = [
    paper("2611.00001", "Lantern attention", upvotes=5),
    paper("2611.00002", "Quiet models", upvotes=9),
    paper("2611.00003", "Loud models", upvotes=2),
    paper("2611.00004", "Plain models", LATEST - dt.timedelta(days=1)),
    paper("2611.00005", "Other models", LATEST - dt.timedelta(days=2)),
]


@pytest.fixture
def five(store: Store) -> Store:
    with store.write():
        store.upsert_papers(FIVE)
    return store


def ids(store: Store, flt: PaperFilter) -> list[str]:
    return [row.id for row in store.query_rows(flt, today=LATEST)]


# -- search ------------------------------------------------------------------------------


def test_a_phrase_in_a_stored_body_finds_the_paper_after_the_metadata_matches(
    five: Store,
) -> None:
    assert ids(five, PaperFilter(search="origami")) == []
    save_fulltext(five, "2611.00003", BODY)
    save_fulltext(five, "2611.00001", BODY)  # its title matches "lantern" already
    assert sorted(ids(five, PaperFilter(search="origami lantern"))) == ["2611.00001", "2611.00003"]
    # Metadata matches first, then papers found only by their body, each once.
    found = ids(five, PaperFilter(search="lantern", sort="relevance"))
    assert found == ["2611.00001", "2611.00003"]
    rids, total = five.query_prefix(PaperFilter(search="lantern"), 10, today=LATEST)
    assert total == 2 and len(rids) == 2
    # The typing preview leaves bodies out; a two-letter prefix does not search them.
    preview, _ = five.query_prefix(PaperFilter(search="origami"), 10, extras=False)
    assert preview == []
    assert ids(five, PaperFilter(search="or")) == []


def test_body_search_counts_with_a_ranking_window(five: Store) -> None:
    save_fulltext(five, "2611.00003", BODY)
    flt = PaperFilter(search="lantern", sort="relevance")
    rids, total = five.query_prefix(flt, 1, today=LATEST, rank_window=1)
    assert len(rids) == 1 and total == 2


def test_the_detail_snippet_says_where_the_body_matched_literally(five: Store) -> None:
    save_fulltext(five, "2611.00003", BODY)
    hit = body_hit(five, "2611.00003", "origami lantern")
    assert hit is not None and hit.section == "Method"
    assert "origami lantern folds" in hit.snippet
    assert body_hit(five, "2611.00003", "absent words") is None
    assert body_hit(five, "2611.00002", "origami") is None  # no stored text
    markup = body_hit(five, "2611.00003", "bold markup")
    assert markup is not None and "bold" in markup.snippet


def test_a_note_makes_its_paper_searchable(five: Store) -> None:
    assert ids(five, PaperFilter(search="capybara")) == []
    service.set_note(five, "2611.00004", "Ask Ana about the capybara benchmark")
    assert ids(five, PaperFilter(search="capybara benchmark")) == ["2611.00004"]
    assert ids(five, PaperFilter(search="capybara", view="unread")) == ["2611.00004"]
    assert ids(five, PaperFilter(search="capybara", view="favourites")) == []


# -- trending ----------------------------------------------------------------------------


def test_trending_lists_the_ranked_papers_by_rank(five: Store) -> None:
    assert ids(five, PaperFilter(sort="trending")) == []
    ranked = ["2611.00004", "2611.00002", "2611.00005"]
    by_id = {p.id: p for p in FIVE}
    save_trending(five, [by_id[pid] for pid in ranked])
    assert ids(five, PaperFilter(sort="trending")) == ranked
    assert ids(five, PaperFilter(sort="trending", search="models")) == ranked
    assert ids(five, PaperFilter(sort="trending", search="quiet")) == ["2611.00002"]
    five.set_read(["2611.00002"], True)
    assert ids(five, PaperFilter(sort="trending", view="unread")) == [ranked[0], ranked[2]]


# -- progress ----------------------------------------------------------------------------


def test_list_rows_show_reading_progress(five: Store) -> None:
    save_fulltext(five, "2611.00002", BODY)
    save_fulltext(five, "2611.00003", BODY)
    save_position(five, "2611.00002", Position(3, 0), 37.4)
    rows = {row.id: row for row in five.query_rows(PaperFilter(), today=LATEST)}
    assert rows["2611.00002"].progress == 37
    assert rows["2611.00003"].progress == 0  # stored, not started: no figure in the row
    assert rows["2611.00001"].progress is None
    for width in (40, 60, 80, 120):
        line = "".join(cell for cell, _ in row_cells(rows["2611.00002"], width))
        assert cell_len(line) == width and "37%" in line and "Quiet" in line
        plain = "".join(cell for cell, _ in row_cells(rows["2611.00003"], width))
        assert "%" not in plain


# -- JSON ----------------------------------------------------------------------------------


def test_linked_repos_join_the_json_when_known(five: Store) -> None:
    repos = LinkedRepos(
        "2611.00001",
        (LinkedRepo("model", "org/lantern-7b", 3, 1200),),
        {"model": 4, "dataset": 0, "space": 0},
        "2026-11-20T10:00:00Z",
    )
    save_linked(five, repos)
    more = linked_json(five)
    assert more("2611.00002") == {}
    linked = more("2611.00001")["linked"]
    assert linked["models"]["count"] == 4
    assert linked["models"]["top"][0]["url"] == "https://huggingface.co/org/lantern-7b"


# -- settings and the work after a sync ----------------------------------------------------


def _config(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "cfg"
    folder.mkdir(mode=0o700, exist_ok=True)
    file = folder / "config.toml"
    file.write_text(body)
    file.chmod(0o600)
    return file


def test_prefetch_settings_default_off_and_are_checked(tmp_path: Path) -> None:
    assert not load_settings(tmp_path / "none.toml").prefetch_favourites
    assert load_settings(tmp_path / "none.toml").prefetch_top_n == 0
    good = load_settings(_config(tmp_path, "prefetch_favourites = true\nprefetch_top_n = 3\n"))
    assert good.prefetch_favourites and good.prefetch_top_n == 3
    for bad in ('prefetch_favourites = "yes"', "prefetch_top_n = 51", "prefetch_top_n = -1"):
        with pytest.raises(ConfigError):
            load_settings(_config(tmp_path, bad + "\n"))


def test_after_a_sync_trending_is_stored_and_prefetch_runs_when_asked(
    tmp_path: Path, corpus: Corpus, hub: FakeHub
) -> None:
    with Store(tmp_path / "p.db") as store:
        with store.write():
            store.upsert_papers(papers_from(corpus.day(LATEST)))

        async def go(**kw: object) -> object:
            settings = load_settings(tmp_path / "none.toml", db_path=store.path, **kw)
            async with make_client(hub.url, max_attempts=2) as client:
                return await after_sync(store, client, settings)

        report = asyncio.run(go())
        ranks = trending_ranks(store)
        assert report.trending == len(ranks) > 0  # type: ignore[attr-defined]
        assert report.prefetch is None  # type: ignore[attr-defined]
        assert not any(r.path.endswith(".md") for r in hub.log)  # prefetch is off by default
        report = asyncio.run(go(prefetch_top_n=2))
        stored = report.prefetch.stored  # type: ignore[attr-defined]
        assert stored and all(load_fulltext(store, pid) is not None for pid in stored)


def test_list_and_show_json_carry_linked_repos_and_sort_by_trending(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from paperreader.cli import main

    db = tmp_path / "papers.db"
    with Store(db) as store:
        with store.write():
            store.upsert_papers(FIVE)
        save_linked(
            store,
            LinkedRepos(
                "2611.00002",
                (LinkedRepo("dataset", "org/quiet-set", 2, 40),),
                {"model": 0, "dataset": 1, "space": 0},
                "2026-11-20T10:00:00Z",
            ),
        )
        save_trending(store, [FIVE[2], FIVE[1]])
    capsys.readouterr()
    assert main(["list", "--json", "--db", str(db)]) == 0
    listed = {item["id"]: item for item in json.loads(capsys.readouterr().out)}
    assert listed["2611.00002"]["linked"]["datasets"]["top"][0]["name"] == "org/quiet-set"
    assert "linked" not in listed["2611.00001"]  # never fetched: no key
    assert main(["show", "2611.00002", "--json", "--offline", "--db", str(db)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["linked"]["datasets"]["count"] == 1
    assert main(["list", "--sort", "trending", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert ["2611.00003" in lines[0], "2611.00002" in lines[1], len(lines)] == [True, True, 2]
