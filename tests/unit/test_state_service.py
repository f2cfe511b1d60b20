"""Two (or three) real stores sharing a state folder: edits on each side, merged both ways."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from paperreader.core import clock
from paperreader.core.statesync import service
from paperreader.core.statesync.changes import Change
from paperreader.core.statesync.hlc import Stamp
from paperreader.core.store import Store, notes_tags, state_stamps
from paperreader.core.store.errors import StoreBusy
from tests.conftest import TODAY
from tests.support.state import state_store

P1, P2, P3 = "2611.00001", "2611.00002", "2611.00003"


def snapshot(store: Store) -> dict[str, tuple[bool, bool, str | None, tuple[str, ...]]]:
    """Every paper's (read, favourite, note, tags) that differs from the defaults."""
    out = {}
    for pid, read, fav, note in store.conn.execute(
        "SELECT paper_id, read, favourite, note FROM user_state"
    ):
        tags = notes_tags.annotation(store, pid).tags
        if read or fav or note or tags:
            out[pid] = (bool(read), bool(fav), note, tags)
    tag_rows = store.conn.execute("SELECT paper_id, tag FROM paper_tags ORDER BY 1, 2")
    assert sorted({(p, t) for p, v in out.items() for t in v[3]}) == list(tag_rows)
    return out


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("PAPERREADER_STATE_DIR", raising=False)
    folder = tmp_path / "Sync"
    folder.mkdir()
    return folder


@pytest.fixture
def paths(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    yield tmp_path / "laptop" / "papers.db", tmp_path / "desktop" / "papers.db"


def test_edits_made_while_the_other_is_closed_merge_both_ways(
    shared: Path, paths: tuple[Path, Path]
) -> None:
    laptop_db, desktop_db = paths
    with state_store(laptop_db) as laptop:  # the desktop is off
        service.set_read(laptop, [P1], True, shared)
        service.set_favourite(laptop, [P2], True, shared)
        service.change_tags(laptop, [P1, P2], add=["rl"], state_dir=shared)
        service.set_note(laptop, P2, "read **section 3**", shared)
    with state_store(desktop_db) as desktop:  # the laptop is off
        service.merge_all(desktop, shared)  # start-up merge
        service.set_read(desktop, [P3], True, shared)
        service.change_tags(desktop, [P1], add=["llm"], state_dir=shared)
        service.set_note(desktop, P1, "from the desktop", shared)
        service.set_read(desktop, [P1], False, shared)
    with state_store(laptop_db) as laptop:
        service.merge_all(laptop, shared)
        on_laptop = snapshot(laptop)
    with state_store(desktop_db) as desktop:
        service.merge_all(desktop, shared)
        on_desktop = snapshot(desktop)
    assert (
        on_laptop
        == on_desktop
        == {
            P1: (False, False, "from the desktop", ("llm", "rl")),
            P2: (False, True, "read **section 3**", ("rl",)),
            P3: (True, False, None, ()),
        }
    )


def test_a_later_edit_wins_even_from_a_clock_that_runs_behind(
    shared: Path, paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with state_store(paths[0]) as ahead, state_store(paths[1]) as behind:
        monkeypatch.setenv(clock.ENV, TODAY.isoformat())
        service.set_read(ahead, [P1], True, shared)
        monkeypatch.setenv(clock.ENV, (TODAY - dt.timedelta(days=1)).isoformat())
        service.merge_all(behind, shared)  # sees the read mark, then unreads it
        service.set_read(behind, [P1], False, shared)
        service.merge_all(ahead, shared)
        assert ahead.state(P1) == behind.state(P1) == (False, False)


def test_concurrent_edits_pick_the_same_winner_everywhere(
    shared: Path, paths: tuple[Path, Path]
) -> None:
    with state_store(paths[0]) as one, state_store(paths[1]) as two:
        first = service.set_note(one, P1, "one").changes[0]
        second = service.set_note(two, P1, "two").changes[0]  # neither has merged
        service.flush(two, shared)
        service.flush(one, shared)
        for store in (one, two, one):
            service.merge_all(store, shared)
        winner = max((first, second), key=lambda change: change.stamp).value
        assert notes_tags.annotation(one, P1).note == notes_tags.annotation(two, P1).note
        assert notes_tags.annotation(one, P1).note == winner


def test_an_old_edit_arriving_late_loses_to_a_newer_one_already_merged(
    shared: Path, paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with state_store(paths[0]) as laptop, state_store(paths[1]) as desktop:
        monkeypatch.setenv(clock.ENV, f"{TODAY}T09:00:00Z")
        service.set_note(desktop, P1, "older, made offline")  # queued: not journaled
        monkeypatch.setenv(clock.ENV, f"{TODAY}T10:00:00Z")
        service.set_note(laptop, P1, "newer", shared)
        service.merge_all(laptop, shared)
        service.merge_all(desktop, shared)  # sends the older note, takes the newer one
        service.merge_all(laptop, shared)  # the older note arrives late
        assert notes_tags.annotation(laptop, P1).note == "newer"
        assert notes_tags.annotation(desktop, P1).note == "newer"


def test_a_missing_folder_queues_changes_until_it_is_back(
    shared: Path, paths: tuple[Path, Path]
) -> None:
    gone = shared / "not-mounted"
    with state_store(paths[0]) as laptop, state_store(paths[1]) as desktop:
        done = service.set_favourite(laptop, [P2], True, gone)
        assert done.problem is not None and "does not exist" in done.problem
        assert laptop.state(P2) == (False, True)  # the edit itself is kept
        assert not gone.exists()  # never created: it may be an unmounted share
        assert state_stamps.counts(laptop) == (1, 1)
        with pytest.raises(service.StateDirError):
            service.merge_all(laptop, gone)
        gone.mkdir()
        assert service.merge_all(laptop, gone).flushed == 1
        assert state_stamps.counts(laptop) == (1, 0)
        service.merge_all(desktop, gone)
        assert desktop.state(P2) == (False, True)


def test_a_lost_store_is_rebuilt_from_its_own_journal(
    shared: Path, paths: tuple[Path, Path]
) -> None:
    with state_store(paths[0]) as laptop:
        service.set_read(laptop, [P1, P2], True, shared)
        service.change_tags(laptop, [P1], add=["keep"], state_dir=shared)
        before = snapshot(laptop)
    for leftover in paths[0].parent.iterdir():
        leftover.unlink()
    with state_store(paths[0]) as rebuilt:
        service.merge_all(rebuilt, shared)
        assert snapshot(rebuilt) == before


def test_marks_made_around_the_service_still_travel(shared: Path, paths: tuple[Path, Path]) -> None:
    with state_store(paths[0]) as laptop, state_store(paths[1]) as desktop:
        laptop.set_read([P1])  # the store's own write path: no stamp
        laptop.set_favourite(P2, True)
        report = service.merge_all(laptop, shared)
        assert report.seeded == 2 and report.flushed == 2
        service.merge_all(desktop, shared)
        assert desktop.state(P1) == (True, False) and desktop.state(P2) == (False, True)
        read_at = laptop.conn.execute(
            "SELECT read_at FROM user_state WHERE paper_id = ?", [P1]
        ).fetchone()[0]
        (ms,) = laptop.conn.execute(
            "SELECT ms FROM state_stamps WHERE key = ? AND field = 'read'", [P1]
        ).fetchone()
        assert clock.stamp(dt.datetime.fromtimestamp(ms / 1000, dt.UTC)) == read_at


def test_a_busy_store_refuses_at_once_when_asked_not_to_wait(paths: tuple[Path, Path]) -> None:
    with state_store(paths[0]) as ui, state_store(paths[0]) as other:
        # Another program holds the write lock.
        with other.write(), pytest.raises(StoreBusy):
            service.set_read(ui, [P1], True, wait=0)
        assert service.set_read(ui, [P1], True, wait=0).changes


def test_edits_that_change_nothing_write_nothing(shared: Path, paths: tuple[Path, Path]) -> None:
    with state_store(paths[0]) as laptop:
        assert len(service.set_read(laptop, [P1], True, shared).changes) == 1
        assert service.set_read(laptop, [P1], True, shared).changes == []
        assert service.set_read(laptop, [P2], False, shared).changes == []
        assert service.change_tags(laptop, [P1], remove=["absent"], state_dir=shared).changes == []
        journal = next(shared.glob("*.jsonl"))
        assert len(journal.read_bytes().splitlines()) == 1


def test_the_journal_is_compacted_once_it_has_grown(
    shared: Path, paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "COMPACT_MIN_BYTES", 1)
    with state_store(paths[0]) as laptop, state_store(paths[1]) as desktop:
        service.merge_all(desktop, shared)  # reads nothing yet: an offset of 0
        service.set_note(laptop, P2, "kept", shared)
        service.merge_all(laptop, shared)  # the size compaction is measured against
        for n in range(40):
            service.set_read(laptop, [P1], n % 2 == 0, shared)
        report = service.merge_all(laptop, shared)
        assert report.compacted is not None
        assert (report.compacted.before, report.compacted.after) == (41, 2)
        service.merge_all(desktop, shared)
        assert snapshot(desktop) == snapshot(laptop) == {P2: (False, False, "kept", ())}
        # Compacted at its new size: another merge does not compact again.
        assert service.merge_all(laptop, shared).compacted is None


def test_state_export_and_import_carry_everything_by_hand(
    tmp_path: Path, shared: Path, paths: tuple[Path, Path]
) -> None:
    with state_store(paths[0]) as laptop, state_store(paths[1]) as desktop:
        service.set_read(laptop, [P1], True)  # no state_dir on either machine
        service.change_tags(laptop, [P2], add=["x"])
        service.set_note(laptop, P3, "n")
        file = tmp_path / "state.jsonl"
        assert service.export_state(laptop, file) == 3
        report = service.import_state(desktop, file)
        assert len(report.applied) == 3 and not report.problems
        assert snapshot(desktop) == snapshot(laptop)
        # Imported winners are queued for the desktop's journal, so its peers get them.
        service.merge_all(desktop, shared)
        with state_store(tmp_path / "third.db") as third:
            service.merge_all(third, shared)
            assert snapshot(third) == snapshot(laptop)


def test_importing_an_old_state_file_undoes_nothing_newer(
    tmp_path: Path, paths: tuple[Path, Path]
) -> None:
    with state_store(paths[0]) as laptop:
        service.set_read(laptop, [P1], True)
        service.set_note(laptop, P2, "old")
        old = tmp_path / "old.jsonl"
        service.export_state(laptop, old)
        service.set_read(laptop, [P1], False)
        service.set_note(laptop, P2, "new")
        assert service.import_state(laptop, old).applied == []
        assert laptop.state(P1) == (False, False)
        assert notes_tags.annotation(laptop, P2).note == "new"


def test_a_newer_journal_is_refused_without_damage(shared: Path, paths: tuple[Path, Path]) -> None:
    newer = shared / "feedfacecafe.jsonl"
    ok = Change(P1, "read", True, Stamp(1, 0, "feedfacecafe")).to_line()
    future = json.dumps({"v": 99, "id": P2, "field": "colour", "value": "red"}).encode()
    content = ok + future + b"\n" + ok
    newer.write_bytes(content)
    with state_store(paths[0]) as laptop:
        report = service.merge_all(laptop, shared)
        assert any("newer paperreader" in p for p in report.problems)
        assert laptop.state(P1) == (True, False)  # what came before the newer line
        service.merge_all(laptop, shared)
    assert newer.read_bytes() == content


def test_a_half_copied_line_is_picked_up_next_time(shared: Path, paths: tuple[Path, Path]) -> None:
    line = Change(P1, "note", "whole", Stamp(5, 0, "abc")).to_line()
    foreign = shared / "abc.jsonl"
    foreign.write_bytes(line[:20])  # the sync tool copied it mid-write
    with state_store(paths[0]) as laptop:
        service.merge_all(laptop, shared)
        assert notes_tags.annotation(laptop, P1).note is None
        foreign.write_bytes(line)
        service.merge_all(laptop, shared)
        assert notes_tags.annotation(laptop, P1).note == "whole"


def test_a_merge_that_fails_applies_nothing(
    shared: Path, paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with state_store(paths[0]) as laptop, state_store(paths[1]) as desktop:
        service.set_read(laptop, [P1, P2, P3], True, shared)

        def boom(*_: Any) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(state_stamps, "save_offsets", boom)
        with pytest.raises(OSError):
            service.merge_all(desktop, shared)
        assert snapshot(desktop) == {} and state_stamps.load_offsets(desktop) == {}
        monkeypatch.undo()
        service.merge_all(desktop, shared)
        assert len(snapshot(desktop)) == 3


def test_hostile_foreign_values_are_cleaned(shared: Path, paths: tuple[Path, Path]) -> None:
    evil = Change(P1, "tags", ["\x1b[31mRED", "ok"], Stamp(9, 0, "evil")).to_line()
    evil += Change(P1, "note", "a\x1b]2;x\x07b", Stamp(9, 0, "evil")).to_line()
    (shared / "evil.jsonl").write_bytes(evil)
    with state_store(paths[0]) as laptop:
        service.merge_all(laptop, shared)
        assert notes_tags.annotation(laptop, P1) == notes_tags.Annotation(
            "a]2;xb", ("31mred", "ok")
        )


def test_the_folder_signature_changes_when_a_journal_does(
    shared: Path, paths: tuple[Path, Path]
) -> None:
    assert service.folder_signature(None) == service.folder_signature(shared / "gone") == ()
    with state_store(paths[0]) as laptop:
        before = service.folder_signature(shared)
        service.set_read(laptop, [P1], True, shared)
        after = service.folder_signature(shared)
        assert after != before and len(after) == 1
        assert service.folder_signature(shared) == after


def test_machine_ids_are_per_store_and_host(paths: tuple[Path, Path]) -> None:
    with state_store(paths[0]) as one, state_store(paths[1]) as two:
        assert state_stamps.machine_id(one) == state_stamps.machine_id(one)
        assert state_stamps.machine_id(one) != state_stamps.machine_id(two)
        with one.write():
            one.set_meta(state_stamps.HOST_KEY, "another-computer")  # a copied store
        old = one.get_meta(state_stamps.MACHINE_KEY)
        assert state_stamps.machine_id(one) != old


# --- the property: any edits, merged in any order any number of times, converge ---------

_OPS = st.lists(
    st.one_of(
        st.tuples(
            st.just("edit"),
            st.integers(0, 2),
            st.sampled_from([P1, P1, P2]),
            st.sampled_from(["read", "favourite", "note", "tags"]),
            st.integers(0, 2),
            st.booleans(),
        ),
        st.tuples(st.just("merge"), st.integers(0, 2)),
    ),
    max_size=25,
)
_VALUES: dict[str, list[Any]] = {
    "read": [True, False, True],
    "favourite": [False, True, True],
    "note": ["a", None, "b"],
    "tags": [["x"], [], ["x", "y"]],
}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=_OPS, machines=st.integers(2, 3))
@example(  # an offline edit that reaches the folder after a newer one was merged
    ops=[
        ("edit", 0, P1, "note", 0, False),
        ("edit", 1, P1, "note", 2, True),
        ("merge", 1),
        ("merge", 0),
        ("merge", 1),
    ],
    machines=2,
)
def test_any_edits_merged_in_any_order_converge(
    ops: list[tuple[Any, ...]], machines: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAPERREADER_STATE_DIR", raising=False)
    monkeypatch.setattr(os, "fsync", lambda _fd: None)  # durability is not under test here
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "Sync"
        folder.mkdir()
        stores = [state_store(Path(tmp) / f"m{i}.db") for i in range(machines)]
        made: list[Change] = []
        try:
            for op in ops:
                store = stores[op[1] % machines]
                if op[0] == "merge":
                    service.merge_all(store, folder)
                    continue
                _, _, pid, field, pick, online = op
                # Offline edits stay queued in the store until that machine's next merge.
                edit = (pid, field, _VALUES[field][pick])
                made += service.record(store, [edit], folder if online else None).changes
            for _ in range(2):
                for store in stores:
                    service.merge_all(store, folder)
            states = [snapshot(store) for store in stores]
            assert all(state == states[0] for state in states)
            # Nothing is lost unless a later edit replaced it: each field holds its last edit.
            for pid in (P1, P2):
                for index, field in enumerate(("read", "favourite", "note", "tags")):
                    edits = [c for c in made if c.key == pid and c.field == field]
                    if edits:
                        last = max(edits, key=lambda change: change.stamp).value
                        got = states[0].get(pid, (False, False, None, ()))[index]
                        assert got == (tuple(last) if field == "tags" else last)
        finally:
            for store in stores:
                store.close()
