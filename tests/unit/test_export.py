"""Export formats: JSON, CSV, Markdown, BibTeX (parsed by an independent parser)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from pybtex.database import parse_string

from paperreader.core.export import FORMATS, bibtex_key, export, to_bibtex, write
from paperreader.core.models import Paper, PaperRecord


def _records(example_items: list[dict[str, Any]]) -> list[PaperRecord]:
    hostile = Paper(
        id="2609.00003",
        title="50% of {Braces} & $Dollars_ in #Titles~ \\ ^",
        summary="Abstract with } unbalanced { and % comment",
        authors=("Zoë Ünïcode", '=HYPERLINK("x")'),
        published="2026-09-01",
        daily_date="2026-09-02",
        upvotes=3,
    )
    out = [
        PaperRecord(paper=Paper.from_api(it), favourite=i == 0)
        for i, it in enumerate(example_items)
    ]
    return [*out, PaperRecord(paper=hostile, read=True)]


def test_json(example_items: list[dict[str, Any]]) -> None:
    data = json.loads(export(_records(example_items), "json"))
    assert [d["id"] for d in data] == ["2609.99901", "2609.99902", "2609.00003"]
    assert data[0]["favourite"] is True and data[2]["read"] is True


def test_csv_round_trips_and_defuses_formulas(example_items: list[dict[str, Any]]) -> None:
    rows = list(csv.DictReader(io.StringIO(export(_records(example_items), "csv"))))
    assert rows[0]["id"] == "2609.99901" and rows[0]["authors"] == "Ada Example; Bo Sample"
    assert rows[2]["authors"].startswith("Zoë Ünïcode; =HYPERLINK")  # inside, not leading
    assert all(not v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


def test_markdown_escapes_titles(example_items: list[dict[str, Any]]) -> None:
    md = export(_records(example_items), "markdown")
    assert md.startswith("# Papers")
    assert "## [Folding Lanterns: A Toy Benchmark for Imaginary Reasoning]" in md
    assert "\\{Braces\\}" in md and "https://arxiv.org/pdf/2609.99901" in md


def test_bibtex_parses_with_pybtex(example_items: list[dict[str, Any]]) -> None:
    records = _records(example_items)
    bib = parse_string(to_bibtex(records), "bibtex")
    assert len(bib.entries) == 3
    entry = bib.entries[bibtex_key(records[0])]
    assert entry.fields["eprint"] == "2609.99901"
    assert entry.fields["archivePrefix"] == "arXiv"
    assert entry.fields["year"] == "2026"
    assert [str(p) for p in entry.persons["author"]] == ["Example, Ada", "Sample, Bo"]


def test_bibtex_keys_are_stable_and_unique(example_items: list[dict[str, Any]]) -> None:
    records = _records(example_items)
    first = to_bibtex(records)
    assert to_bibtex(list(reversed(records))) == first
    twin = PaperRecord(
        paper=Paper(
            id="2609.99909",
            title=records[0].paper.title,
            authors=records[0].paper.authors,
            published=records[0].paper.published,
        )
    )
    keys = list(parse_string(to_bibtex([*records, twin]), "bibtex").entries.keys())
    assert len(keys) == len(set(keys)) == 4
    assert bibtex_key(records[0]) == "example2026folding"


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        export([], "docx")


def test_cli_offers_exactly_the_export_formats() -> None:
    from paperreader.cli import parser as cli
    from paperreader.core import export

    assert cli.EXPORT_FORMATS == export.FORMATS


@pytest.mark.parametrize("fmt", FORMATS)
def test_streamed_export_matches_the_whole_one(
    example_items: list[dict[str, Any]], fmt: str
) -> None:
    records = _records(example_items)
    if fmt == "bibtex":
        records = sorted(records, key=lambda r: r.paper.id)
    out = io.StringIO()
    assert write(iter(records), fmt, out) == len(records)
    assert out.getvalue() == export(records, fmt)
    empty = io.StringIO()
    write(iter([]), fmt, empty)
    assert empty.getvalue() == export([], fmt)


class _Probe:
    """A sink that notes how many records had been pulled when the first byte came."""

    def __init__(self) -> None:
        self.pulled = 0
        self.pulled_at_first_write: int | None = None

    def records(self, base: PaperRecord, n: int) -> Iterator[PaperRecord]:
        for i in range(n):
            self.pulled += 1
            yield PaperRecord(paper=replace(base.paper, id=f"2609.{i:05d}"))

    def write(self, chunk: str) -> int:
        if self.pulled_at_first_write is None:
            self.pulled_at_first_write = self.pulled
        return len(chunk)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_writes_before_it_has_read_everything(
    example_items: list[dict[str, Any]], fmt: str
) -> None:
    probe = _Probe()
    assert write(probe.records(_records(example_items)[0], 1000), fmt, probe) == 1000
    assert probe.pulled_at_first_write is not None and probe.pulled_at_first_write <= 1


def test_json_escapes_c1_and_del_that_json_leaves_raw() -> None:
    rec = PaperRecord(paper=Paper(id="2609.00001", title="a\x9b2Jb\x7fc\x85"))
    text = export([rec], "json")
    assert not any(0x7F <= ord(ch) <= 0x9F for ch in text)
    assert json.loads(text)[0]["title"] == "a\x9b2Jb\x7fc\x85"
