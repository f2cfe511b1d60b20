"""One model of a paper as text (``core.render``), and the headless front ends that use it."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from paperreader.cli.list_cmd import describe
from paperreader.core.export import to_markdown
from paperreader.core.models import Paper, PaperRecord
from paperreader.core.render import NO_ABSTRACT, paper_text
from tests.conftest import papers_from

CONTROL = {chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}


def _record(example_items: list[dict[str, Any]], **changes: Any) -> PaperRecord:
    paper = dataclasses.replace(papers_from(example_items)[0], **changes)
    return PaperRecord(paper)


def test_pieces_in_reading_order(example_items: list[dict[str, Any]]) -> None:
    doc = paper_text(PaperRecord(papers_from(example_items)[0], favourite=True))
    keys = [p.key for p in doc]
    assert keys[:2] == ["title", "authors"] and keys[-3:] == ["hf", "arxiv", "pdf"]
    assert keys.index("upvotes") < keys.index("abstract")
    assert doc.value("title") == "Folding Lanterns: A Toy Benchmark for Imaginary Reasoning"
    assert doc.get("authors") is not None
    assert doc.get("authors").items == ("Ada Example", "Bo Sample")  # type: ignore[union-attr]
    assert doc.get("favourite") is not None and doc.get("withdrawn") is None
    assert doc.get("read").label == "unread"  # type: ignore[union-attr]
    assert [p.url for p in doc.of("page")] == [
        "https://huggingface.co/papers/2609.99901",
        "https://arxiv.org/abs/2609.99901",
        "https://arxiv.org/pdf/2609.99901",
    ]


def test_unsafe_links_are_left_out_everywhere(example_items: list[dict[str, Any]]) -> None:
    record = _record(
        example_items, github_repo="javascript:alert(1)", project_page="file:///etc/passwd"
    )
    assert paper_text(record).of("link") == []
    assert "javascript:" not in describe(record) and "file://" not in describe(record)
    assert "javascript:" not in to_markdown([record])


def test_counts_are_said_properly(example_items: list[dict[str, Any]]) -> None:
    one = paper_text(_record(example_items, comments=1)).get("comments")
    assert one is not None and (one.value, one.label, one.number) == ("1", "comment", 1)
    assert paper_text(_record(example_items, comments=None)).get("comments") is None
    assert "· 1 comment\n" in describe(_record(example_items, comments=1)) + "\n"
    assert paper_text(_record(example_items, upvotes=None)).value("upvotes") == "0"


def test_trend_shows_the_last_upvote_counts(example_items: list[dict[str, Any]]) -> None:
    paper = papers_from(example_items)[0]
    points = tuple((f"2026-10-{d:02d}T00:00:00Z", d, None, None) for d in range(1, 10))
    trend = paper_text(PaperRecord(paper, signals=points)).get("upvote_trend")
    assert trend is not None and trend.value == "4 → 5 → 6 → 7 → 8 → 9"
    assert paper_text(PaperRecord(paper, signals=points[:1])).get("upvote_trend") is None


def test_show_and_markdown_say_the_same_facts(example_items: list[dict[str, Any]]) -> None:
    record = PaperRecord(papers_from(example_items)[0], read=True, favourite=True)
    doc = paper_text(record)
    shown, markdown = describe(record), to_markdown([record])
    for key in ("upvotes", "daily_date"):
        piece = doc.get(key)
        assert piece is not None
        assert f"{piece.label} {piece.value}" in shown
        assert f"{piece.label} {piece.value}" in markdown
    assert "marked: read, favourite" in shown and " ★\n" in markdown
    empty = _record(example_items, summary="")
    assert NO_ABSTRACT in describe(empty) and NO_ABSTRACT not in to_markdown([empty])


@given(
    title=st.text(min_size=1, max_size=80),
    names=st.lists(st.text(max_size=30), max_size=4),
    org=st.none() | st.text(max_size=30),
    summary=st.text(max_size=200),
)
@settings(max_examples=300, deadline=None)
def test_no_control_character_survives(
    title: str, names: list[str], org: str | None, summary: str
) -> None:
    paper = Paper(
        id="2611.00001",
        title=title,
        authors=tuple(names),
        organization=org,
        submitted_by=org,
        summary=summary,
        ai_summary=summary or None,
        ai_keywords=tuple(names),
    )
    for piece in paper_text(PaperRecord(paper)):
        assert not set(piece.value) & (CONTROL | {"\n"}) or piece.key == "abstract"
        assert not set(piece.value) & CONTROL
    assert not set(describe(PaperRecord(paper))) & CONTROL
