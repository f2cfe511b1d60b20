"""The per-machine journals: clock, merge, reading foreign files, compaction, convergence."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperreader.core.statesync.changes import (
    FORMAT_VERSION,
    BadLine,
    Change,
    Key,
    NewerVersion,
    latest,
    merge,
)
from paperreader.core.statesync.hlc import HybridClock, Stamp, is_machine_id, new_machine_id
from paperreader.core.statesync.journal import (
    Journal,
    JournalError,
    marks_from_json,
    marks_to_json,
)
from paperreader.core.statesync.reading import MAX_LINE, ReadMark, read_journal

PID = "2401.00001"
PID2 = "2401.00002"


def pinned(start: int = 1_000_000) -> tuple[list[int], Callable[[], int]]:
    """A wall clock the test sets by hand: (cell, source)."""
    cell = [start]
    return cell, lambda: cell[0]


def journal(state_dir: Path, machine: str, start: int = 1_000_000) -> tuple[Journal, list[int]]:
    cell, wall = pinned(start)
    return Journal(state_dir, machine, HybridClock(wall)), cell


def line(
    key: str, fld: str, value: Any, ms: int, n: int = 0, machine: str = "zz", v: int = 1
) -> bytes:
    obj = {"v": v, "id": key, "field": fld, "value": value, "ms": ms, "n": n, "machine": machine}
    return json.dumps(obj).encode() + b"\n"


# --- clock -----------------------------------------------------------------------------------


def test_clock_never_goes_backwards_when_the_wall_clock_jumps_back() -> None:
    cell, wall = pinned(5_000)
    clock = HybridClock(wall)
    first = clock.tick()
    cell[0] = 1_000
    second = clock.tick()
    cell[0] = 5_000
    third = clock.tick()
    cell[0] = 9_000
    fourth = clock.tick()
    assert first < second < third < fourth
    assert first == (5_000, 0) and second == (5_000, 1) and fourth == (9_000, 0)


def test_clock_ticks_after_an_observed_stamp_from_a_clock_ahead() -> None:
    _, wall = pinned(1_000)
    clock = HybridClock(wall)
    clock.observe(Stamp(50_000, 7, "other"))
    assert clock.tick() == (50_000, 8)


def test_new_machine_ids_are_distinct_valid_file_names() -> None:
    ids = {new_machine_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(is_machine_id(i) and len(i) == 12 for i in ids)
    assert not is_machine_id("../etc") and not is_machine_id("")


def test_journal_refuses_a_machine_id_that_is_not_a_safe_file_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="machine id"):
        Journal(tmp_path, "a/b")


# --- changes and merge -----------------------------------------------------------------------


def test_a_change_survives_its_journal_line() -> None:
    change = Change(PID, "watch", {"search": "diffusion", "min": 3}, Stamp(12, 3, "abc"))
    assert Change.from_line(change.to_line()) == change
    assert change.to_line().endswith(b'"ms":12,"n":3,"machine":"abc"}\n')


@pytest.mark.parametrize(
    "raw",
    [
        b"not json\n",
        b"[1,2]\n",
        line(PID, "rating", 5, 1),
        line(PID, "read", "yes", 1),
        line(PID, "tags", ["ok", 3], 1),
        line(PID, "note", 12, 1),
        line("", "read", True, 1),
        line(PID, "read", True, -1),
        line(PID, "read", True, 2**47),
        line(PID, "read", True, 1, n=2**32),
        line(PID, "read", True, 1, machine="../x"),
        line(PID, "read", True, 1, v=0),
        b'{"v":1,"id":"x","field":"watch","value":{"a":NaN},"ms":1,"n":0,"machine":"m"}\n',
        b"\xff\xfe\n",
        b'{"v":1,"id":"x","field":"watch","value":' + b"[" * 100_000 + b"\n",
    ],
)
def test_malformed_lines_are_refused(raw: bytes) -> None:
    with pytest.raises(BadLine):
        Change.from_line(raw)


def test_a_line_from_a_newer_format_is_recognised_as_such() -> None:
    with pytest.raises(NewerVersion):
        Change.from_line(line(PID, "read", True, 1, v=FORMAT_VERSION + 1))


def test_merge_keeps_the_later_stamp_whatever_the_order_and_repeats() -> None:
    old = Change(PID, "read", True, Stamp(10, 0, "a"))
    new = Change(PID, "read", False, Stamp(11, 0, "a"))
    forward: dict[Key, tuple[Any, Stamp]] = {}
    backward: dict[Key, tuple[Any, Stamp]] = {}
    assert merge(forward, [old, new]) == [new]
    assert merge(backward, [new, old, new, old]) == [new]
    assert forward == backward == {(PID, "read"): (False, new.stamp)}
    assert merge(forward, [old, new]) == []


def test_equal_clock_readings_are_decided_by_machine_id_everywhere() -> None:
    from_a = Change(PID, "note", "from a", Stamp(10, 0, "a"))
    from_b = Change(PID, "note", "from b", Stamp(10, 0, "b"))
    one: dict[Key, tuple[Any, Stamp]] = {}
    two: dict[Key, tuple[Any, Stamp]] = {}
    merge(one, [from_a, from_b])
    merge(two, [from_b, from_a])
    assert one == two == {(PID, "note"): ("from b", from_b.stamp)}


def test_two_different_values_with_one_stamp_still_converge() -> None:
    # Two machines that were given the same id (a copied config) can produce this.
    x = Change(PID, "note", "x", Stamp(10, 0, "a"))
    y = Change(PID, "note", "y", Stamp(10, 0, "a"))
    one: dict[Key, tuple[Any, Stamp]] = {}
    two: dict[Key, tuple[Any, Stamp]] = {}
    merge(one, [x, y])
    merge(two, [y, x])
    assert one == two


# --- own journal -----------------------------------------------------------------------------


def test_append_writes_one_line_per_edit_and_another_machine_reads_them(tmp_path: Path) -> None:
    mine, _ = journal(tmp_path, "aaa")
    theirs, _ = journal(tmp_path, "bbb")
    written = mine.append([(PID, "read", True), (PID2, "tags", ["llm", "rl"])])
    assert mine.path.read_bytes().count(b"\n") == 2
    changes, marks, problems = theirs.read_foreign({})
    assert changes == written and problems == []
    assert set(marks) == {"aaa.jsonl"}
    assert theirs.read_foreign(marks)[0] == []
    assert theirs.clock.tick() > written[-1].stamp[:2]


def test_append_refuses_bad_values_before_writing_anything(tmp_path: Path) -> None:
    mine, _ = journal(tmp_path, "aaa")
    with pytest.raises(ValueError, match="favourite"):
        mine.append([(PID, "read", True), (PID, "favourite", "yes")])
    assert not mine.path.exists()


def test_a_local_edit_is_stamped_after_the_value_it_replaces(tmp_path: Path) -> None:
    mine, _ = journal(tmp_path, "aaa", start=1_000)
    state: dict[Key, tuple[Any, Stamp]] = {(PID, "read"): (True, Stamp(9_999_999, 4, "zzz"))}
    changes = mine.append([(PID, "read", False)], current=state)
    assert merge(state, changes) == changes
    assert state[(PID, "read")][0] is False


def test_two_processes_of_one_machine_keep_stamps_increasing(tmp_path: Path) -> None:
    ui, _ = journal(tmp_path, "aaa", start=50_000)
    cli, _ = journal(tmp_path, "aaa", start=10_000)  # its wall clock is behind
    first = ui.append([(PID, "read", True)])[0]
    second = cli.append([(PID, "read", False)])[0]
    assert second.stamp > first.stamp


def test_a_torn_last_line_is_not_glued_to_the_next_append(tmp_path: Path) -> None:
    mine, _ = journal(tmp_path, "aaa")
    mine.append([(PID, "read", True)])
    with open(mine.path, "ab") as handle:
        handle.write(b'{"v":1,"id":"24')  # the process died here
    mine.append([(PID2, "favourite", True)])
    read = mine.read_own()
    assert [c.key for c in read.changes] == [PID, PID2]
    assert [(p.kind, p.count) for p in read.problems] == [("malformed", 1)]


# --- reading foreign journals ----------------------------------------------------------------


def test_a_last_line_without_newline_waits_for_the_next_read(tmp_path: Path) -> None:
    whole = line(PID, "read", True, 5) + line(PID2, "read", True, 6)
    foreign = tmp_path / "bbb.jsonl"
    foreign.write_bytes(whole[:-10])
    first = read_journal(foreign)
    assert [c.key for c in first.changes] == [PID]
    assert first.mark.pos == len(line(PID, "read", True, 5))
    foreign.write_bytes(whole)
    second = read_journal(foreign, first.mark)
    assert [c.key for c in second.changes] == [PID2]
    assert second.problems == [] and second.mark.pos == len(whole)


def test_a_newer_version_line_refuses_the_file_from_there_without_losing_it(
    tmp_path: Path,
) -> None:
    foreign = tmp_path / "bbb.jsonl"
    old = line(PID, "read", True, 5)
    foreign.write_bytes(old + line(PID2, "read", True, 6, v=2) + line(PID2, "note", "x", 7))
    first = read_journal(foreign)
    assert [c.key for c in first.changes] == [PID]
    assert [p.kind for p in first.problems] == ["newer-version"]
    assert "newer paperreader" in first.problems[0].message()
    assert first.mark.pos == len(old)
    again = read_journal(foreign, first.mark)
    assert again.changes == [] and again.mark == first.mark


def test_malformed_lines_are_skipped_counted_and_not_reread(tmp_path: Path) -> None:
    foreign = tmp_path / "bbb.jsonl"
    good = line(PID, "read", True, 5)
    foreign.write_bytes(b"garbage\n" + good + b"\n" + line(PID, "rating", 1, 6) + b"{}\n")
    first = read_journal(foreign)
    assert [c.key for c in first.changes] == [PID]
    assert [(p.kind, p.count) for p in first.problems] == [("malformed", 3)]
    assert read_journal(foreign, first.mark).problems == []


def test_an_over_long_line_is_skipped_without_reading_it_whole(tmp_path: Path) -> None:
    foreign = tmp_path / "bbb.jsonl"
    good = line(PID, "read", True, 5)
    foreign.write_bytes(b"x" * (3 * MAX_LINE) + b"\n" + good)
    result = read_journal(foreign)
    assert [c.key for c in result.changes] == [PID]
    assert result.problems[0].detail == "line too long"


def test_a_file_that_got_shorter_is_read_from_the_start(tmp_path: Path) -> None:
    foreign = tmp_path / "bbb.jsonl"
    foreign.write_bytes(line(PID, "read", True, 5) + line(PID, "read", False, 6))
    mark = read_journal(foreign).mark
    foreign.write_bytes(line(PID, "read", False, 6))  # compacted
    result = read_journal(foreign, mark)
    assert [c.stamp.ms for c in result.changes] == [6]


def test_a_replaced_file_that_grew_past_the_mark_is_read_from_the_start(tmp_path: Path) -> None:
    foreign = tmp_path / "bbb.jsonl"
    foreign.write_bytes(line(PID, "read", True, 5) + line(PID, "read", False, 6))
    mark = read_journal(foreign).mark
    replaced = line(PID2, "note", "a longer note than before", 7) + line(PID, "tags", ["t"], 8)
    assert len(replaced) > mark.pos
    foreign.write_bytes(replaced)
    result = read_journal(foreign, mark)
    assert [c.stamp.ms for c in result.changes] == [7, 8]


def test_conflict_copies_are_journals_too_and_dot_files_are_not(tmp_path: Path) -> None:
    reader, _ = journal(tmp_path, "aaa")
    names = [
        "bbb.sync-conflict-20260101-120000-ABCDEFG.jsonl",
        "bbb (Jane's conflicted copy 2026-01-01).jsonl",
        "aaa.sync-conflict-20260102-080000-XYZ.jsonl",
        ".bbb.jsonl.123.tmp",
        ".hidden.jsonl",
    ]
    for ms, name in enumerate(names):
        (tmp_path / name).write_bytes(line(PID, "note", name, ms, machine="bbb"))
    changes, marks, _ = reader.read_foreign({})
    assert sorted(marks) == sorted(names[:3])
    assert sorted(c.value for c in changes) == sorted(names[:3])


def test_a_directory_named_like_a_journal_is_ignored(tmp_path: Path) -> None:
    reader, _ = journal(tmp_path, "aaa")
    (tmp_path / "bbb.jsonl").mkdir()
    (tmp_path / "ccc.jsonl").write_bytes(line(PID, "read", True, 5))
    changes, marks, problems = reader.read_foreign({})
    assert [c.key for c in changes] == [PID]
    assert list(marks) == ["ccc.jsonl"] and problems == []


def test_an_unreadable_file_is_reported_and_keeps_its_mark(tmp_path: Path) -> None:
    foreign = tmp_path / "bbb.jsonl"
    foreign.write_bytes(line(PID, "read", True, 5))
    mark = read_journal(foreign).mark
    foreign.unlink()
    foreign.symlink_to(tmp_path / "gone")  # as unreadable as it gets, even for root
    result = read_journal(foreign, mark)
    assert result.changes == [] and result.mark == mark
    assert [p.kind for p in result.problems] == ["unreadable"]
    assert result.problems[0].message().startswith("bbb.jsonl: cannot read")


def test_marks_survive_json_and_junk_marks_mean_read_again(tmp_path: Path) -> None:
    marks = {"bbb.jsonl": ReadMark(120, 120, "ab12")}
    assert marks_from_json(json.loads(json.dumps(marks_to_json(marks)))) == marks
    assert marks_from_json({"bbb.jsonl": [1, 2], "c": "x", 3: [0, 0, ""]}) == {}
    assert marks_from_json([1]) == {}


# --- compaction ------------------------------------------------------------------------------


def test_compaction_keeps_one_line_per_live_field_atomically(tmp_path: Path) -> None:
    mine, cell = journal(tmp_path, "aaa")
    for value in (True, False, True):
        mine.append([(PID, "read", value)])
        cell[0] += 1
    mine.append([(PID2, "note", "hello"), (PID2, "note", None), (PID, "tags", ["a"])])
    before = mine.read_own().changes
    report = mine.compact()
    after = mine.read_own().changes
    assert (report.before, report.after) == (6, 3)
    assert latest(after) == latest(before)
    assert [c.stamp for c in after] == sorted(c.stamp for c in after)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".aaa.lock", "aaa.jsonl"]


def test_compaction_drops_only_lines_the_merged_state_replaced(tmp_path: Path) -> None:
    mine, _ = journal(tmp_path, "aaa")
    mine.append([(PID, "read", True), (PID2, "read", True)])
    state: dict[Key, tuple[Any, Stamp]] = {(PID, "read"): (False, Stamp(10**12, 0, "bbb"))}
    assert mine.compact(live=state).after == 1
    assert [c.key for c in mine.read_own().changes] == [PID2]


def test_compaction_refuses_a_journal_with_newer_version_lines(tmp_path: Path) -> None:
    mine, _ = journal(tmp_path, "aaa")
    mine.append([(PID, "read", True)])
    with open(mine.path, "ab") as handle:
        handle.write(line(PID2, "read", True, 10**12, machine="aaa", v=FORMAT_VERSION + 1))
    before = mine.path.read_bytes()
    with pytest.raises(JournalError, match="newer"):
        mine.compact()
    assert mine.path.read_bytes() == before


def test_stamps_stay_ahead_of_a_compacted_journal_after_a_restart(tmp_path: Path) -> None:
    mine, _ = journal(tmp_path, "aaa", start=90_000)
    last = mine.append([(PID, "read", True), (PID2, "read", True)])[-1]
    mine.compact()
    restarted, _ = journal(tmp_path, "aaa", start=1_000)  # the wall clock went back
    assert restarted.append([(PID, "read", False)])[0].stamp > last.stamp


# --- convergence (property) ------------------------------------------------------------------

MACHINES = ("m1", "m2", "m3")
FIELD_VALUES = st.one_of(
    st.tuples(st.just("read"), st.booleans()),
    st.tuples(st.just("favourite"), st.booleans()),
    st.tuples(st.just("note"), st.none() | st.text(max_size=4)),
    st.tuples(st.just("tags"), st.lists(st.sampled_from(["a", "b", "ü"]), max_size=2)),
)
IDX = st.integers(0, 2)
EDIT = st.tuples(st.just("edit"), IDX, st.sampled_from([PID, PID2]), FIELD_VALUES)
OPS = st.one_of(
    EDIT,
    EDIT,
    EDIT,
    # Drift by any amount, or jump (often backwards) to a reading other machines share.
    st.tuples(st.just("drift"), IDX, st.integers(-3_000, 3_000)),
    st.tuples(st.just("wall"), IDX, st.sampled_from([999_000, 1_000_000, 1_000_001])),
    # A copy may be cut short (a sync in progress): None copies all, else a percentage.
    # The receiving app may merge at once (True), mid-sync when the copy was cut short.
    SYNC := st.tuples(st.just("sync"), IDX, IDX, st.none() | st.integers(0, 99), st.booleans()),
    SYNC,
    st.tuples(st.just("conflict"), IDX, IDX, st.none() | st.integers(0, 99), st.booleans()),
    st.tuples(st.just("merge"), IDX),
    st.tuples(st.just("compact"), IDX),
    st.tuples(st.just("restart"), IDX),
)


@dataclass
class Sim:
    """One machine: its copy of the synced folder, its journal, its merged state."""

    folder: Path
    machine: str
    wall: list[int]
    journal: Journal
    state: dict[Key, tuple[Any, Stamp]] = field(default_factory=dict)
    marks: dict[str, ReadMark] = field(default_factory=dict)

    def restart(self) -> None:
        # A new process: a fresh clock that knows nothing; marks and state were persisted.
        self.journal = Journal(self.folder, self.machine, HybridClock(lambda: self.wall[0]))

    def pull(self) -> list[Change]:
        changes, self.marks, problems = self.journal.read_foreign(self.marks)
        assert problems == []  # prefixes of journals only: partial lines, never bad ones
        return merge(self.state, changes)


def _copy(src: Path, dst: Path, percent: int | None) -> None:
    if src.exists():
        data = src.read_bytes()
        dst.write_bytes(data if percent is None else data[: len(data) * percent // 100])


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(n=st.integers(2, 3), ops=st.lists(OPS, min_size=4, max_size=80))
def test_any_edits_merged_in_any_order_converge_without_losing_edits(
    n: int, ops: list[tuple[Any, ...]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sims = []
        for machine in MACHINES[:n]:
            folder = Path(tmp) / machine
            folder.mkdir()
            wall = [1_000_000]  # all clocks agree at first: ties are common
            clock = HybridClock(lambda w=wall: w[0])  # type: ignore[misc]
            sims.append(Sim(folder, machine, wall, Journal(folder, machine, clock)))
        made: list[Change] = []
        for op in ops:
            kind, i = op[0], op[1] % n
            sim = sims[i]
            if kind == "edit":
                fld, value = op[3]
                changes = sim.journal.append([(op[2], fld, value)], current=sim.state)
                assert merge(sim.state, changes) == changes  # a local edit always shows
                made.extend(changes)
            elif kind == "drift":
                sim.wall[0] = max(0, sim.wall[0] + op[2])
            elif kind == "wall":
                sim.wall[0] = op[2]
            elif kind in ("sync", "conflict"):
                dst = sims[op[2] % n]
                if dst is not sim:
                    name = sim.journal.path.name
                    if kind == "conflict":
                        name = f"{sim.machine}.sync-conflict-20260101-000000-X{len(made)}.jsonl"
                    _copy(sim.journal.path, dst.folder / name, op[3])
                    if op[4]:
                        dst.pull()
            elif kind == "merge":
                sim.pull()
            elif kind == "compact":
                sim.journal.compact(live=sim.state)
            else:
                sim.restart()
            by_stamp = {c.stamp: c for c in made}
            for slot, (value, stamp) in sim.state.items():
                assert by_stamp[stamp].value == value and by_stamp[stamp].slot == slot

        for machine in MACHINES[:n]:
            mine = [c.stamp for c in made if c.stamp.machine == machine]
            assert mine == sorted(set(mine)), "a machine's stamps must strictly increase"

        # Everything reaches everyone; then every state is the latest edit of every field.
        for dst in sims:
            for src in sims:
                if src is not dst:
                    _copy(src.journal.path, dst.folder / src.journal.path.name, None)
        for sim in sims:
            sim.pull()
        expected = {slot: (c.value, c.stamp) for slot, c in latest(made).items()}
        for sim in sims:
            assert sim.pull() == [], "merging again must change nothing"
            assert sim.state == expected

        # The journals alone (compacted or not) rebuild the same state on a new machine.
        fresh = Path(tmp) / "fresh"
        for sim in sims:
            shutil.copytree(sim.folder, fresh, dirs_exist_ok=True)
        rebuilt: dict[Key, tuple[Any, Stamp]] = {}
        merge(rebuilt, Journal(fresh, "new").read_foreign({})[0])
        assert rebuilt == expected
