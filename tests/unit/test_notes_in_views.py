"""The reader's notes and tags where papers are shown: list rows, the text model, ``show``,
and what the running reader says after a merge."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from rich.cells import cell_len

from paperreader.cli.list_cmd import describe
from paperreader.core.models import Paper, PaperFilter, PaperRecord, PaperRow
from paperreader.core.render import paper_text
from paperreader.core.row_text import annotation_text, row_cells
from paperreader.core.statesync import service
from paperreader.core.statesync.changes import Change
from paperreader.core.statesync.hlc import Stamp
from paperreader.core.store import Store
from paperreader.ui.state_follow import merged_note
from tests.support.app import TODAY, demo_store

NOTE = "First line [bold]not bold[/]\n\n- a *list*\x1b[2J"


def _row(**kw: object) -> PaperRow:
    row = PaperRow(
        rid=1,
        id="2611.00001",
        title="A title " * 8,
        daily_date="2026-11-24",
        upvotes=12,
        comments=3,
        organization="Org",
        read=False,
        favourite=False,
    )
    return dataclasses.replace(row, **kw)  # type: ignore[arg-type]


def test_the_row_marks_a_note_and_shows_tags_within_its_width() -> None:
    row = _row(noted=True, tags=("rl", "to-read"))
    assert annotation_text(row, 16) == "✎ #rl #to-read"
    assert annotation_text(_row(), 16) == ""
    long = _row(tags=tuple(f"tag-number-{i}" for i in range(6)))
    assert cell_len(annotation_text(long, 16)) == 16 and annotation_text(long, 16).endswith("…")
    for width in (40, 80, 120, 200):
        cells = row_cells(row, width)
        line = "".join(cell for cell, _ in cells)
        assert cell_len(line) == width
        if width >= 80:
            assert "✎ #rl #to-read" in line and "A title" in line
    plain = "".join(cell for cell, _ in row_cells(_row(), 80))
    assert "✎" not in plain and "#" not in plain


def test_paper_text_and_show_carry_tags_and_the_note_literally() -> None:
    record = PaperRecord(Paper(id="2611.00001", title="T"), note=NOTE, tags=("rl", "to-read"))
    doc = paper_text(record)
    assert doc.get("tags") is not None and doc.get("tags").items == ("rl", "to-read")  # type: ignore[union-attr]
    note = doc.value("note")
    assert note.startswith("First line [bold]not bold[/]\n\n- a *list*") and "\x1b" not in note
    shown = describe(record)
    assert "tags: rl, to-read" in shown
    assert "note:\n  First line [bold]not bold[/]\n  \n  - a *list*" in shown
    bare = paper_text(PaperRecord(Paper(id="2611.00001", title="T")))
    assert bare.get("tags") is None and bare.get("note") is None


def test_the_store_loads_notes_and_tags_with_rows_and_records(tmp_path: Path) -> None:
    with demo_store(tmp_path / "s.db") as store:
        rids = list(store.query_rids(PaperFilter(), today=TODAY))[:2]
        noted, plain = store.paper_ids([rids[0]])[0], store.paper_ids([rids[1]])[0]
        service.set_note(store, noted, "remember this")
        service.change_tags(store, [noted], ["b-tag", "a-tag"])
        rows = store.rows(rids)
        by_id = {row.id: row for row in rows.values()}
        assert by_id[noted].noted and by_id[noted].tags == ("a-tag", "b-tag")
        assert not by_id[plain].noted and by_id[plain].tags == ()
        record = store.get(noted)
        assert record is not None
        assert record.note == "remember this" and record.tags == ("a-tag", "b-tag")
        assert _no_annotation(store, plain)


def _no_annotation(store: Store, pid: str) -> bool:
    record = store.get(pid)
    return record is not None and record.note is None and record.tags == ()


def test_the_merge_note_counts_changes_and_machines() -> None:
    def change(pid: str, machine: str) -> Change:
        return Change(pid, "read", True, Stamp(1, 0, machine))

    report = service.MergeReport(applied=[change("a", "m1"), change("b", "m1"), change("c", "m2")])
    assert merged_note(report) == "merged 3 change(s) from 2 machine(s)"
    assert merged_note(service.MergeReport()) == ""
    troubled = service.MergeReport(problems=["x.jsonl: a newer format", "y"])
    assert merged_note(troubled) == "state: 2 problem(s), e.g. x.jsonl: a newer format"
