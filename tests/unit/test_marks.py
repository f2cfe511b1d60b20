"""Marks with undo: only what really changed is reported, and undone."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperreader.core.demo import fill_demo_store
from paperreader.core.marks import Marks
from paperreader.core.models import PaperFilter
from paperreader.core.store import Store
from tests.conftest import TODAY


@pytest.fixture
def demo(tmp_path: Path) -> Store:
    store = Store(tmp_path / "demo.db")
    fill_demo_store(store, today=TODAY, days=10, per_day=8)
    return store


def snapshot(store: Store) -> dict[str, tuple[bool, bool]]:
    return {r.id: (r.read, r.favourite) for r in store.query_rows(PaperFilter())}


def test_bulk_read_counts_only_papers_that_change_and_undo_restores(demo: Store) -> None:
    marks = Marks(demo)
    before = snapshot(demo)
    rids = list(demo.query_rids(PaperFilter()))
    unread = sum(1 for read, _ in before.values() if not read)
    change = marks.set_read(rids, True, what="the whole list")
    assert len(change.ids) == unread
    assert change.describe() == f"{unread} marked read (the whole list)"
    assert demo.unread_count() == 0
    assert marks.undo() == change
    assert snapshot(demo) == before


def test_several_levels_in_reverse_order(demo: Store) -> None:
    marks = Marks(demo)
    before = snapshot(demo)
    unread = list(demo.query_rids(PaperFilter(view="unread")))
    rows = demo.rows(unread)
    # Unstarred too, so that each of the three marks below really changes something.
    rids = [rid for rid in unread if not rows[rid].favourite][:3]
    marks.set_favourite(rids[:1], True)
    marks.set_read(rids, True)
    marks.set_read(rids[1:], False)
    assert marks.undo() is not None and marks.undo() is not None
    assert snapshot(demo)[demo.paper_ids(rids[:1])[0]] == (False, True)
    assert marks.undo() is not None
    assert snapshot(demo) == before
    assert marks.undo() is None and not marks.can_undo


def test_a_change_that_changes_nothing_is_not_kept(demo: Store) -> None:
    marks = Marks(demo)
    read = list(demo.query_rids(PaperFilter()))[-1:]  # the oldest: read in the demo
    change = marks.set_read(read, True)
    assert change.ids == () and not marks.can_undo


def test_the_stack_keeps_a_bounded_number_of_levels(demo: Store) -> None:
    marks = Marks(demo, levels=2)
    rid = list(demo.query_rids(PaperFilter()))[:1]
    for value in (True, False, True):
        marks.set_favourite(rid, value)
    assert marks.undo() is not None and marks.undo() is not None
    assert marks.undo() is None
