"""The mark writer: in order, off the caller's thread, retried while locked, journaled."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from paperreader.cli import main
from paperreader.core.demo import fill_demo_store
from paperreader.core.mark_writer import MarkWriter
from paperreader.core.marks import Marks
from paperreader.core.models import PaperFilter
from paperreader.core.store import Store
from tests.conftest import TODAY


@pytest.fixture
def demo(tmp_path: Path) -> Store:
    store = Store(tmp_path / "demo.db")
    fill_demo_store(store, today=TODAY, days=4, per_day=6)
    return store


def drained(writer: MarkWriter) -> threading.Thread | None:
    """Start a drainer if the writer asks for one (as the reader's worker does)."""
    if not writer.claim():
        return None
    thread = threading.Thread(target=writer.drain)
    thread.start()
    return thread


def journal_lines(folder: Path) -> list[dict[str, object]]:
    return [json.loads(line) for p in folder.glob("*.jsonl") for line in p.read_text().splitlines()]


def unread(store: Store) -> list[int]:
    rows = store.rows(list(store.query_rids(PaperFilter(view="unread"))))
    return [rid for rid, row in rows.items() if not row.favourite]


def test_queued_marks_show_at_once_and_are_written_in_order(demo: Store) -> None:
    running = MarkWriter(demo.path)
    marks = Marks(demo, writer=running)
    rids = unread(demo)[:3]
    conn = sqlite3.connect(demo.path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")  # nothing can be written yet
    star = marks.set_favourite(rids[:1], True)
    drainer = drained(running)
    marks.set_read(rids, True)
    marks.undo()  # the read: queued after it
    assert drainer is not None and drained(running) is None  # one drainer at a time
    again = marks.set_favourite(rids[:1], True)
    assert again.ids == ()  # the queued star already counts: nothing to change
    shown = marks.pending.apply_rows(demo.rows(rids))
    assert shown[rids[0]].favourite and not shown[rids[0]].read
    assert running.unsettled == 3 and not running.wait_idle(0.2)
    conn.execute("COMMIT")
    assert running.wait_idle(10)
    drainer.join(timeout=5)
    assert not drainer.is_alive()  # the queue is empty: the drainer is done
    outcomes = running.outcomes()
    assert [o.write.seq for o in outcomes] == [1, 2, 3] and all(o.error is None for o in outcomes)
    for outcome in outcomes:
        marks.settled(outcome.write, failed=False)
    assert len(marks.pending) == 0
    pid = star.ids[0]
    assert demo.state(pid) == (False, True)
    assert all(not demo.rows(rids)[rid].read for rid in rids)


def test_a_write_given_up_is_reported_and_leaves_the_undo_stack(demo: Store) -> None:
    running = MarkWriter(demo.path, give_up=0.3)
    marks = Marks(demo, writer=running)
    rid = unread(demo)[:1]
    conn = sqlite3.connect(demo.path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    change = marks.set_favourite(rid, True)
    drained(running)
    assert running.wait_idle(10)
    conn.execute("COMMIT")
    (outcome,) = running.outcomes()
    assert outcome.error is not None and "locked" in outcome.error
    assert marks.settled(outcome.write, failed=True) == (change, False)
    assert not marks.can_undo and len(marks.pending) == 0
    assert demo.state(change.ids[0]) == (False, False)


def test_stop_ends_the_writer_even_while_it_waits_for_the_lock(demo: Store) -> None:
    writer = MarkWriter(demo.path)
    conn = sqlite3.connect(demo.path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    write = writer.submit("read", demo.paper_ids(unread(demo)[:1]), True)
    thread = drained(writer)
    assert thread is not None
    writer.stop()
    thread.join(timeout=5)
    assert not thread.is_alive()
    conn.execute("COMMIT")
    assert [o.write for o in writer.outcomes()] in ([], [write])  # never lost unseen


def test_marks_are_stamped_and_journaled_by_the_writer_and_directly(
    demo: Store, tmp_path: Path
) -> None:
    shared = tmp_path / "Sync"
    shared.mkdir()
    writer = MarkWriter(demo.path, shared)
    rids = unread(demo)[:2]
    Marks(demo, writer=writer, state_dir=shared).set_read(rids[:1], True)
    drained(writer)
    assert writer.wait_idle(10)
    Marks(demo, state_dir=shared).set_favourite(rids[1:], True)
    pids = demo.paper_ids(rids)
    lines = journal_lines(shared)
    assert {(line["id"], line["field"], line["value"]) for line in lines} >= {
        (pids[0], "read", True),
        (pids[1], "favourite", True),
    }, lines


def test_the_mark_command_journals_its_marks(
    demo: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "Sync"
    shared.mkdir()
    monkeypatch.setenv("PAPERREADER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PAPERREADER_STATE_DIR", str(shared))
    pids = demo.paper_ids(unread(demo)[:2])
    demo.close()
    assert main(["mark", *pids, "--read", "--favourite", "--db", str(demo.path)]) == 0
    got = {(line["id"], line["field"], line["value"]) for line in journal_lines(shared)}
    assert got == {(pid, field, True) for pid in pids for field in ("read", "favourite")}


def test_a_cancelled_drainer_still_tries_each_queued_write_once(demo: Store) -> None:
    writer = MarkWriter(demo.path)
    pids = demo.paper_ids(unread(demo)[:2])
    for pid in pids:
        writer.submit("favourite", [pid], True)
    assert writer.claim()
    writer.drain(cancelled=lambda: True)  # the app closed without its quit
    assert [o.error for o in writer.outcomes()] == [None, None]
    assert all(demo.state(pid)[1] for pid in pids)
