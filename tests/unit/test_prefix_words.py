"""A search's last word spelled out as index words: the same papers, for any prefix."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from paperreader.core.corpus import Corpus
from paperreader.core.models import Paper, PaperFilter
from paperreader.core.store import Store, migrations, prefix_words
from paperreader.core.store.query import BM25, fts_query
from tests.conftest import TODAY, papers_from

#: Words chosen for their stems: "diffusion" stems to "diffus", which a second
#: stemming turns into "diffu"; "modelnet" and "modeling" share "model"'s range.
TITLES = [
    "Diffusion models for planning",
    "Diffuse light and the planner",
    "ModelNet: a benchmark of shapes",
    "Modeling robots with models",
    "Happiness in happy robots",
    "Transformers transfer translations",
]


def _paper(i: int, title: str) -> Paper:
    day = dt.date(2026, 11, 2) + dt.timedelta(days=i)
    return Paper.from_api(
        {
            "paper": {"id": f"2611.{i:05d}", "title": title, "summary": title, "authors": []},
            "publishedAt": f"{day.isoformat()}T00:00:00.000Z",
            "title": title,
        }
    )


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "papers.db") as s:
        with s.write():
            s.upsert_papers([_paper(i, t) for i, t in enumerate(TITLES)])
        yield s


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    corpus = Corpus(TODAY - dt.timedelta(days=40), TODAY, seed=5, per_day=12, abstract_words=80)
    with Store(tmp_path_factory.mktemp("words") / "papers.db") as s:
        with s.write():
            s.upsert_papers(papers_from(corpus.all_items()))
        yield s


def _rids(conn: sqlite3.Connection, match: str) -> list[int]:
    sql = "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC"
    return [r[0] for r in conn.execute(sql, [match])]


def test_a_typed_word_becomes_the_index_words_it_begins(small: Store) -> None:
    conn = small.conn
    assert prefix_words.spelled_out(conn, '"model"*', ranked=False) == '("model" OR "modelnet")'
    assert prefix_words.spelled_out(conn, '"Model"*', ranked=False) == '("model" OR "modelnet")'
    # Earlier words stay as they are; the last one is ANDed with them.
    assert prefix_words.spelled_out(conn, '"robot" "model"*', ranked=False) == (
        '"robot" AND ("model" OR "modelnet")'
    )
    # "planning" is stemmed to "plan" as a prefix too: the words "plan" begins.
    assert (
        prefix_words.spelled_out(conn, '"planning"*', ranked=False) == '("planning" OR "planner")'
    )
    # A word whose second stemming differs keeps its * ("diffus" would become "diffu").
    assert prefix_words.spelled_out(conn, '"diff"*', ranked=False) == '("diff" OR "diffus"*)'
    for match in ['"model"*', '"planning"*', '"diff"*', '"robot" "model"*', '"trans"*']:
        assert _rids(conn, prefix_words.spelled_out(conn, match, ranked=False) or "") == _rids(
            conn, match
        )


def test_prefixes_that_cannot_be_spelled_out_exactly_or_cheaply_stay(small: Store) -> None:
    conn = small.conn
    for match in [
        '"mod"*',  # three letters: the index's prefix table answers it
        '"diffus"*',  # its stem "diffu" is a prefix of the only word: nothing to gain
        '"model"',  # a whole word (typed with a space after it)
        '"model" "robot"',
        '"modèle"*',  # not plain letters: the tokenizer folds it
        '"foo_bar"*',
    ]:
        assert prefix_words.spelled_out(conn, match, ranked=False) == match
    assert prefix_words.spelled_out(conn, None, ranked=False) is None


def test_a_prefix_beginning_many_words_stays(small: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefix_words, "MAX_WORDS", 1)
    assert prefix_words.spelled_out(small.conn, '"trans"*', ranked=False) == '"trans"*'


def test_every_prefix_of_every_index_word_finds_the_same_papers(english: Store) -> None:
    conn = english.conn
    words = [r[0] for r in conn.execute("SELECT term FROM temp.papers_fts_words")]
    prefixes = sorted({w[:n] for w in words for n in range(4, len(w) + 1) if w.isalnum()})
    assert len(prefixes) > 1000
    spelled = 0
    for prefix in prefixes:
        match = f'"{prefix}"*'
        rewritten = prefix_words.spelled_out(conn, match, ranked=False)
        assert rewritten is not None
        spelled += rewritten != match
        assert _rids(conn, rewritten) == _rids(conn, match), (prefix, rewritten)
    assert spelled > len(prefixes) // 2  # the rewrite is the common case, not a corner


@given(st.text(alphabet="abcdefghilmnoprstuy \"'*-", max_size=30))
@example("model")
@example("robots planning")
@example("diffusion mod")
@settings(max_examples=200, deadline=None)
def test_any_search_finds_the_same_papers_spelled_out(english: Store, text: str) -> None:
    fts = fts_query(text)
    if fts is not None:
        rewritten = prefix_words.spelled_out(english.conn, fts, ranked=len(text) % 2 == 0)
        assert rewritten is not None
        assert _rids(english.conn, rewritten) == _rids(english.conn, fts)


def test_a_ranked_search_is_spelled_out_only_as_one_word(small: Store) -> None:
    conn = small.conn
    # bm25 weighs an OR's words apart: "modelnet" would lift its paper above "model"'s.
    assert prefix_words.spelled_out(conn, '"model"*', ranked=True) == '"model"*'
    assert prefix_words.spelled_out(conn, '"robot"*', ranked=True) == '"robot"'
    assert prefix_words.spelled_out(conn, '"robots"*', ranked=True) == '"robots"'


def _best_first(conn: sqlite3.Connection, match: str) -> list[int]:
    sql = f"SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY {BM25}, rowid DESC"
    return [r[0] for r in conn.execute(sql, [match])]


def test_the_best_match_order_is_the_prefix_order(english: Store) -> None:
    # Through the store, for every prefix: the same papers in the same best-match order
    # as the prefix asked of FTS5 as it is, whichever way the store asks it.
    conn = english.conn
    words = [r[0] for r in conn.execute("SELECT term FROM temp.papers_fts_words")]
    prefixes = sorted({w[:n] for w in words for n in range(4, len(w) + 1) if w.isalnum()})
    spelled = 0
    for prefix in prefixes:
        spelled += prefix_words.spelled_out(conn, f'"{prefix}"*', ranked=True) != f'"{prefix}"*'
        flt = PaperFilter(search=prefix, sort="relevance")
        ranked = list(english.query_rids(flt, today=TODAY, rank_window=10**6))
        assert ranked == _best_first(conn, f'"{prefix}"*'), prefix
        newest = list(english.query_rids(PaperFilter(search=prefix, sort="newest"), today=TODAY))
        assert newest == _rids(conn, f'"{prefix}"*'), prefix
    assert spelled > len(prefixes) // 4  # whole words are spelled out for ranking too


def test_the_store_searches_with_the_spelled_out_words(small: Store) -> None:
    # Through the store: the ranked head and the count agree with the plain prefix.
    flt = PaperFilter(search="model", sort="relevance")
    head = small.query_head(flt, 10, rank_window=1000)
    assert head.rids == _best_first(small.conn, '"model"*')
    assert small.count_head(head) == 3


def test_a_store_without_the_prefix_table_gets_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "papers.db"
    before = [name for name, _ in migrations.MIGRATIONS].index("m006_search_prefix_index")
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:before])
        with Store(db) as old:
            with old.write():
                old.upsert_papers([_paper(i, t) for i, t in enumerate(TITLES)])
            found = old.query_rids(PaperFilter(search="mod"))
            sql = old.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'papers_fts'")
            assert "prefix" not in sql.fetchone()[0]
    with Store(db) as s:
        sql = s.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'papers_fts'")
        assert "prefix='3'" in sql.fetchone()[0]
        assert s.check() == []
        assert list(s.query_rids(PaperFilter(search="mod"))) == list(found)
        assert len(found) == 3
        # The rebuilt index follows later writes as the old one did (its triggers).
        with s.write():
            s.upsert_papers([_paper(9, "Modular agents")])
        assert len(s.query_rids(PaperFilter(search="mod"))) == 4
