"""Notes and tags in the store: cleaning, facets, the tag filter, note search, the migration."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from paperreader.core.models import Paper, PaperFilter
from paperreader.core.statesync import service
from paperreader.core.store import Store, notes_tags, query
from paperreader.core.store.annotation_schema import m004_notes_tags_state
from tests.conftest import TODAY
from tests.support.state import state_store

P1, P2, P3, ABSENT = "2611.00001", "2611.00002", "2611.00003", "2611.09999"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with state_store(tmp_path / "papers.db") as s:
        with s.write():
            s.upsert_papers(
                [
                    Paper(id=pid, title=f"Paper {pid}", daily_date=TODAY.isoformat())
                    for pid in (P1, P2, P3)
                ]
            )
        yield s


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        ("  Machine   Learning ", "machine-learning"),
        ("+RL", "rl"),
        ("#to_read", "to-read"),
        ("a,b;c", "abc"),
        ("\x1b]2;x\x07evil\u202e", "2xevil"),
        ("x" * 60, "x" * 40),
        ("C++", "c++"),
        ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
        ("  ", None),
        ("+-#", None),
        ("trailing - ", "trailing"),
        ("{}", None),
    ],
)
def test_normalize_tag(raw: str, tag: str | None) -> None:
    assert notes_tags.normalize_tag(raw) == tag


def test_normalize_tags_dedupes_and_sorts() -> None:
    assert notes_tags.normalize_tags(["RL", "rl ", "llm", "", "#LLM"]) == ["llm", "rl"]


def test_clean_note_keeps_markdown_and_drops_controls() -> None:
    raw = "# Title\r\n\r\n\t- point \x1b[2J\n\n\n"
    assert notes_tags.clean_note(raw) == "# Title\n\n    - point [2J"
    assert notes_tags.clean_note("  \n ") is None
    assert notes_tags.clean_note(None) is None
    with pytest.raises(notes_tags.NoteTooLong):
        notes_tags.clean_note("x" * (notes_tags.MAX_NOTE + 1))


def test_tag_facets_count_papers_in_the_store_only(store: Store) -> None:
    service.change_tags(store, [P1, P2, ABSENT], add=["rl", "llm"])
    service.change_tags(store, [P3], add=["rl"])
    assert notes_tags.tag_facets(store) == [("rl", 3), ("llm", 2)]
    # Completion offers every tag in use, even one whose papers are not fetched yet.
    assert notes_tags.all_tags(store) == ["rl", "llm"]
    assert notes_tags.papers_with_tag(store, " RL ") == [P1, P2, P3, ABSENT]


def test_tag_condition_filters_the_list(store: Store) -> None:
    service.change_tags(store, [P1, P3], add=["keep"])
    cond = query.Conditions()
    cond.add(notes_tags.TAG_CONDITION, "keep")
    rids = store.query_rids(PaperFilter())
    wanted = {
        row[0]
        for row in store.conn.execute(
            f"SELECT p.rid FROM papers p WHERE 1{cond.render('p.rid')}", cond.params
        )
    }
    assert sorted(store.paper_ids([r for r in rids if r in wanted])) == [P1, P3]


def test_removing_tags_updates_facets_and_row(store: Store) -> None:
    service.change_tags(store, [P1], add=["a", "b"])
    service.change_tags(store, [P1], remove=["a"])
    assert notes_tags.annotation(store, P1).tags == ("b",)
    assert notes_tags.tag_facets(store) == [("b", 1)]
    service.change_tags(store, [P1], remove=["b"])
    assert notes_tags.annotation(store, P1) == notes_tags.Annotation()
    assert notes_tags.tag_facets(store) == []


def test_note_search_uses_the_paper_search_rules(store: Store) -> None:
    service.set_note(store, P1, "Compare with the transformers baseline")
    service.set_note(store, P2, "nothing relevant")
    assert notes_tags.search_notes(store, "transformer") == [P1]  # stemming
    assert notes_tags.search_notes(store, "basel") == [P1]  # prefix while typing
    assert notes_tags.search_notes(store, 'NEAR( "*') == []  # FTS syntax is inert
    service.set_note(store, P1, None)
    assert notes_tags.search_notes(store, "transformer") == []
    assert notes_tags.noted_ids(store, [P1, P2, P3]) == {P2}


def test_note_condition_matches_by_rowid(store: Store) -> None:
    service.set_note(store, P2, "remember the ablation")
    match = query.fts_query("ablation")
    rows = store.conn.execute(
        "SELECT p.id FROM papers p WHERE 1"
        + "".join(f" AND {notes_tags.NOTE_CONDITION.format(R='p.rid')}"),
        [match],
    ).fetchall()
    assert rows == [(P2,)]


def test_notes_index_follows_writes_that_bypass_the_service(store: Store) -> None:
    with store.write():
        store.conn.execute(
            "INSERT INTO user_state (paper_id, note) VALUES (?, 'direct insert')", [P3]
        )
    assert notes_tags.search_notes(store, "direct") == [P3]
    with store.write():
        store.conn.execute("UPDATE user_state SET note = 'changed' WHERE paper_id = ?", [P3])
    assert notes_tags.search_notes(store, "direct") == []
    assert notes_tags.search_notes(store, "changed") == [P3]


def test_migration_indexes_existing_notes_and_is_repeatable(tmp_path: Path) -> None:
    with Store(tmp_path / "old.db") as old:  # a store from before this migration
        with old.write():
            old.conn.execute("INSERT INTO user_state (paper_id, note) VALUES (?, 'older')", [P1])
        with old.write():
            m004_notes_tags_state(old.db)
            m004_notes_tags_state(old.db)  # IF NOT EXISTS: a second run changes nothing
        assert notes_tags.search_notes(old, "older") == [P1]
        count = old.conn.execute("SELECT count(*) FROM notes_fts").fetchone()[0]
        assert count == 1


def test_for_papers_reads_many_at_once(store: Store) -> None:
    ids = [f"2611.{n:05d}" for n in range(1200)]
    service.change_tags(store, ids, add=["bulk"])
    found = notes_tags.for_papers(store, ids)
    assert len(found) == 1200 and found[ids[-1]].tags == ("bulk",)
    assert notes_tags.all_annotations(store) == found
