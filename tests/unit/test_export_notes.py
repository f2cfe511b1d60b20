"""Exports carry the user's tags and notes (BibTeX checked with an independent parser)."""

from __future__ import annotations

import csv
import io
import json

from pybtex.database import parse_string

from paperreader.core.export import export
from paperreader.core.models import Paper, PaperRecord
from paperreader.core.statesync.importer import parse_import
from paperreader.core.store.notes_tags import Annotation

NOTE = "Key idea: 50% fewer {steps} & $cost_\n\n- check section 3"
RECORDS = [
    PaperRecord(Paper(id="2611.00001", title="Tagged and noted", authors=("Ada Lovelace",))),
    PaperRecord(Paper(id="2611.00002", title="Plain", authors=("Alan Turing",))),
]
NOTES = {"2611.00001": Annotation(NOTE, ("rl", "to-read"))}


def test_bibtex_keywords_and_annote() -> None:
    bib = parse_string(export(RECORDS, "bibtex", NOTES), "bibtex")
    noted = next(e for e in bib.entries.values() if e.fields["eprint"] == "2611.00001")
    plain = next(e for e in bib.entries.values() if e.fields["eprint"] == "2611.00002")
    assert noted.fields["keywords"] == "rl, to-read"
    assert "section 3" in noted.fields["annote"] and "\\$cost\\_" in noted.fields["annote"]
    assert "note" not in noted.fields  # styles print `note`; `annote` is for the reader
    assert "keywords" not in plain.fields and "annote" not in plain.fields


def test_bibtex_round_trips_through_our_importer() -> None:
    result = parse_import(export(RECORDS, "bibtex", NOTES).encode())
    assert [item.arxiv_id for item in result.items] == ["2611.00001", "2611.00002"]


def test_json_and_csv_columns() -> None:
    data = json.loads(export(RECORDS, "json", NOTES))
    assert data[0]["tags"] == ["rl", "to-read"] and data[0]["note"] == NOTE
    assert data[1]["tags"] == [] and data[1]["note"] is None
    rows = list(csv.DictReader(io.StringIO(export(RECORDS, "csv", NOTES))))
    assert rows[0]["tags"] == "rl; to-read" and rows[0]["note"] == NOTE
    assert rows[1]["tags"] == "" and rows[1]["note"] == ""


def test_csv_note_cannot_start_a_formula() -> None:
    notes = {"2611.00002": Annotation('=HYPERLINK("x")', ())}
    rows = list(csv.DictReader(io.StringIO(export(RECORDS, "csv", notes))))
    assert rows[1]["note"].startswith("'=")


def test_markdown_tags_line_and_quoted_note() -> None:
    md = export(RECORDS, "markdown", NOTES)
    assert "Tags: `rl`, `to-read`" in md
    assert "> Key idea: 50% fewer {steps} & $cost_\n>\n> - check section 3" in md
    assert md.count("Tags:") == 1


def test_without_notes_exports_are_as_before_plus_empty_columns() -> None:
    assert "keywords" not in export(RECORDS, "bibtex")
    assert json.loads(export(RECORDS, "json"))[0]["tags"] == []
