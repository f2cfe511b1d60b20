"""Parsing every API item shape into ``Paper``, tolerantly."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperreader.core import text
from paperreader.core.models import ItemError, Paper


def test_full_daily_item(example_items: list[dict[str, Any]]) -> None:
    p = Paper.from_api(example_items[0])
    assert p.id == "2609.99901"
    assert p.title == "Folding Lanterns: A Toy Benchmark for Imaginary Reasoning"
    assert p.authors == ("Ada Example", "Bo Sample")
    assert p.published == "2026-09-14"
    assert p.daily_date == "2026-09-16"
    assert p.upvotes == 42
    assert p.comments == 3
    assert p.github_repo == "https://github.com/example-lab/folding-lanterns"
    assert p.github_stars == 17
    assert p.project_page == "https://example.org/folding-lanterns"
    assert p.ai_keywords == ("lantern folding", "toy benchmark", "placeholder")
    assert p.organization == "Example Lab"
    assert p.submitted_by == "Ada Example"
    # arXiv hard line breaks are reflowed
    assert "\n" not in p.summary
    assert p.raw == example_items[0]


def test_minimal_daily_item(example_items: list[dict[str, Any]]) -> None:
    p = Paper.from_api(example_items[1])
    assert p.id == "2609.99902"
    assert p.github_repo is None and p.ai_summary is None and p.organization is None
    assert p.comments == 0
    assert p.ai_keywords == ()


def test_flat_detail_object_has_unknown_comments(example_items: list[dict[str, Any]]) -> None:
    detail = dict(example_items[0]["paper"])
    detail["linkedModels"] = [{"id": "x/y"}]
    p = Paper.from_api(detail, source="detail")
    assert p.id == "2609.99901" and p.upvotes == 42
    assert p.comments is None  # not "zero": the detail endpoint does not say


def test_legacy_flat_search_item() -> None:
    p = Paper.from_api(
        {"id": "2409.00001", "title": "Old Shape", "thumbnailUrl": "x", "source": "hf"},
        source="search",
    )
    assert (p.id, p.title, p.authors, p.upvotes) == ("2409.00001", "Old Shape", (), None)


def test_schema_drift_is_tolerated(example_items: list[dict[str, Any]]) -> None:
    item = copy.deepcopy(example_items[0])
    paper = item["paper"]
    del paper["authors"]
    paper["upvotes"] = None
    paper["githubStars"] = "17"
    paper["ai_keywords"] = "not a list"
    paper["projectPage"] = "javascript:alert(1)"
    paper["brandNewField"] = {"nested": True}
    item["numComments"] = "many"
    p = Paper.from_api(item)
    assert p.authors == ()
    assert p.upvotes is None
    assert p.github_stars == 17
    assert p.ai_keywords == ()
    assert p.project_page is None
    assert p.comments is None
    assert p.raw["paper"]["brandNewField"] == {"nested": True}


@pytest.mark.parametrize(
    "item",
    [
        None,
        [],
        "text",
        {"paper": {"title": "no id"}},
        {"paper": {"id": 12345, "title": "numeric id"}},
        {"paper": {"id": "2609.99901"}},
        {"paper": {"id": "2609.99901", "title": "   "}},
        {"paper": {"id": "../../etc", "title": "path"}},
    ],
)
def test_unusable_items_raise_item_error(item: Any) -> None:
    with pytest.raises(ItemError):
        Paper.from_api(item)


def test_outer_title_used_when_paper_title_missing() -> None:
    p = Paper.from_api({"paper": {"id": "2609.00001"}, "title": "Outer"})
    assert p.title == "Outer"


def test_hostile_text_is_cleaned_at_ingest() -> None:
    p = Paper.from_api(
        {
            "paper": {
                "id": "2609.00002",
                "title": "Evil\x1b]2;pwned\x07 [@click=app.quit]title[/]",
                "summary": "a\x9bb\u202ec",
                "authors": [{"name": "Eve\x1b[31m"}, {"name": "Hidden", "hidden": True}, 7],
            }
        }
    )
    assert "\x1b" not in p.title and "[@click=app.quit]title[/]" in p.title
    assert p.summary == "abc"
    assert p.authors == ("Eve[31m",)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4)
    ),
    max_leaves=12,
)
NEW_ID = r"\d{4}\.\d{4,5}"
#: Ids in every form the parser accepts (bare, versioned, as a URL or ``arxiv:``)...
arxiv_ids = st.one_of(
    st.from_regex(rf"\A{NEW_ID}\Z"),
    st.from_regex(rf"\A{NEW_ID}v[1-9]\Z"),
    st.from_regex(rf"\A(https://arxiv\.org/abs/|https://huggingface\.co/papers/|arxiv:){NEW_ID}\Z"),
    st.from_regex(r"\A[a-z]{2,8}(-[a-z]{2})?/\d{7}\Z"),  # old-style, e.g. hep-th/9901001
)
#: ...and what it must refuse: near misses, paths, any text, any JSON, nothing at all.
bad_ids = st.one_of(
    st.from_regex(r"\A\d{3,5}\.\d{1,3}\Z"),
    st.from_regex(rf"\A{NEW_ID}[a-uw-z./]\w{{0,3}}\Z"),
    st.sampled_from(["../../etc", "2611.00001 x", "abs/2611.00001", "", " ", "null"]),
    st.text(max_size=20),
    json_values,
    st.none(),
)


def half_and_half(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> Any:
    """Good or bad with even odds (``one_of`` would weigh each of ``bad``'s branches alike)."""
    return st.booleans().flatmap(lambda ok: good if ok else bad)


ids = half_and_half(arxiv_ids, bad_ids)
titles = half_and_half(
    st.from_regex(r"\A[A-Za-z][\w ]{0,30}\Z"),
    st.one_of(st.none(), st.text(max_size=40), json_values),
)
OTHER_FIELDS = [
    "summary",
    "authors",
    "upvotes",
    "publishedAt",
    "submittedOnDailyAt",
    "githubRepo",
    "githubStars",
    "ai_keywords",
    "organization",
    "projectPage",
]


def test_any_json_never_crashes_the_parser() -> None:
    """Any JSON in any field: a ``Paper`` with a valid id and a title, or ``ItemError``."""
    reached = {"parsed": 0, "rejected": 0}

    @given(
        pid=ids,
        title=titles,
        fields=st.dictionaries(st.sampled_from(OTHER_FIELDS), json_values),
        outer=st.dictionaries(
            st.sampled_from(["numComments", "title", "organization"]), json_values
        ),
    )
    # Generating nested JSON is slow on a busy machine; that is not what this property tests.
    @settings(
        max_examples=400, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )
    def parse(pid: Any, title: Any, fields: dict[str, Any], outer: dict[str, Any]) -> None:
        paper = dict(fields)
        if pid is not None:
            paper["id"] = pid
        if title is not None:
            paper["title"] = title
        try:
            p = Paper.from_api({"paper": paper, **outer})
        except ItemError:
            reached["rejected"] += 1
            assert not (isinstance(pid, str) and text.normalize_paper_id(pid)) or not (
                _usable(title) or _usable(outer.get("title"))
            ), "a paper with an id and a title was refused"
            return
        reached["parsed"] += 1
        assert isinstance(pid, str) and p.id == text.normalize_paper_id(pid)
        assert re.fullmatch(NEW_ID, p.id) or re.fullmatch(r"[a-z]+(-[a-z]+)?/\d{7}", p.id)
        offered = {
            text.one_line(t, max_len=2000) for t in (title, outer.get("title")) if _usable(t)
        }
        assert p.title in offered
        assert p.upvotes is None or isinstance(p.upvotes, int)
        assert p.comments is None or isinstance(p.comments, int)
        assert all(isinstance(a, str) and a for a in p.authors)

    parse()
    # The property was exercised on both sides, not only on items refused up front.
    assert reached["parsed"] >= 50 and reached["rejected"] >= 50, reached


def _usable(title: Any) -> bool:
    return isinstance(title, str) and bool(text.one_line(title, max_len=2000))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("upvotes", 10**20),  # overflows SQLite's 64-bit integers
        ("upvotes", -3),
        ("upvotes", "9" * 5000),  # as safe_json hands over a number too long to convert
        ("upvotes", float("inf")),
        ("upvotes", True),
        ("githubStars", 2**63),
        ("githubStars", [1]),
    ],
)
def test_out_of_range_counts_are_dropped_and_noted(field: str, value: Any) -> None:
    p = Paper.from_api({"paper": {"id": "2609.00004", "title": "T", field: value}})
    assert p.problems == (field,)
    assert p.upvotes is None and p.github_stars is None


def test_plausible_counts_are_kept_without_problems() -> None:
    item = {"paper": {"id": "2609.00004", "title": "T", "upvotes": "12", "githubStars": 7.0}}
    p = Paper.from_api({**item, "numComments": None})
    assert (p.upvotes, p.github_stars, p.comments, p.problems) == (12, 7, None, ())


def test_out_of_range_item_still_stores(store: Any) -> None:
    p = Paper.from_api(
        {"paper": {"id": "2609.00004", "title": "T", "upvotes": 10**20}, "numComments": 10**30}
    )
    with store.write():
        assert store.upsert_papers([p]) == (1, 0)
    assert store.get("2609.00004").paper.upvotes == 0


def test_raw_json_survives_nesting_it_cannot_encode() -> None:
    deep: Any = []
    for _ in range(5000):
        deep = [deep]
    p = Paper(id="2609.00005", title="T", raw={"paper": {"id": "2609.00005"}, "x": deep})
    assert json.loads(p.raw_json())["paper"]["id"] == "2609.00005"
