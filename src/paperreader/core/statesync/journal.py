"""The per-machine journals in ``state_dir``: append to your own, read everyone else's.

Each machine appends only to ``<machine-id>.jsonl``, so a file-syncing tool never sees two
writers on one file. Every other ``*.jsonl`` in the folder is read as a foreign journal,
including Syncthing's ``*.sync-conflict-*.jsonl`` and Dropbox's ``* (conflicted copy …).jsonl``:
a conflict copy is just one more journal, and merging is idempotent. Names starting with a
dot (temp and lock files) are ignored.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperreader.core.statesync.changes import (
    Change,
    Field,
    State,
    beats,
    check_key,
    check_value,
    latest,
)
from paperreader.core.statesync.hlc import HybridClock, Stamp, is_machine_id
from paperreader.core.statesync.reading import (
    FileRead,
    Problem,
    ReadMark,
    complete_lines,
    read_journal,
)

if sys.platform != "win32":
    import fcntl

#: How much of the own journal's end is scanned for its latest stamp before a full scan.
_SCAN = 16 * 1024

Edit = tuple[str, Field, Any]
"""(paper id or watch name, field, new value)."""


class JournalError(Exception):
    """The own journal can't be rewritten safely (unreadable, or lines from a newer version)."""


@dataclass(frozen=True, slots=True)
class CompactReport:
    """Lines in the own journal before and after compaction."""

    before: int
    after: int


class Journal:
    """This machine's journal in ``state_dir``, and the way to read the other machines' ones.

    ``machine_id`` comes from :func:`new_machine_id` once and is persisted by the caller.
    The clock should be the one the caller stamps everything with; ``read_foreign`` and
    ``append`` keep it ahead of every stamp they see.
    """

    def __init__(
        self, state_dir: Path | str, machine_id: str, clock: HybridClock | None = None
    ) -> None:
        if not is_machine_id(machine_id):
            raise ValueError(f"bad machine id {machine_id!r:.70}")
        self.state_dir = Path(state_dir)
        self.machine_id = machine_id
        self.clock = clock or HybridClock()

    @property
    def path(self) -> Path:
        """This machine's own journal file."""
        return self.state_dir / f"{self.machine_id}.jsonl"

    def append(self, edits: Iterable[Edit], current: State | None = None) -> list[Change]:
        """Stamp ``edits``, append them durably to the own journal, and return the changes.

        Pass ``current`` (the state the edits are made on) so each change is stamped after
        the value it replaces even if the clock has not seen it: a local edit always wins.
        The caller then applies the result with :func:`merge`.
        """
        todo = [(check_key(k), f, check_value(f, v)) for k, f, v in edits]
        if not todo:
            return []
        with self._locked():
            # Another process on this machine may have appended since this clock last ticked.
            last = _last_stamp(self.path)
            if last is not None:
                self.clock.observe(last)
            for key, fld, _ in todo:
                have = current.get((key, fld)) if current is not None else None
                if have is not None:
                    self.clock.observe(have[1])
            changes = [
                Change(key, fld, value, Stamp(*self.clock.tick(), self.machine_id))
                for key, fld, value in todo
            ]
            self._write(changes)
        return changes

    def write(self, changes: Sequence[Change]) -> None:
        """Append changes stamped elsewhere (a store that stamps its own edits), durably.

        Lines may carry any machine's stamp; readers go by the stamp in each line.
        """
        if changes:
            with self._locked():
                self._write(changes)

    def _write(self, changes: Sequence[Change]) -> None:
        """Append under the lock; a torn last line left by a crash is never extended."""
        data = b"".join(change.to_line() for change in changes)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+b") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size:
                handle.seek(size - 1)
                # A crash can leave a torn last line; never glue a new line onto it.
                if handle.read(1) != b"\n":
                    data = b"\n" + data
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())

    def foreign_files(self, *, include_own: bool = False) -> list[Path]:
        """Every other journal in ``state_dir`` (conflict copies included), sorted by name.

        ``include_own`` adds this machine's journal: reading it into a store that lost
        its state restores it, and re-reading lines already applied changes nothing.
        """
        if not self.state_dir.is_dir():
            return []
        own = "" if include_own else self.path.name
        return sorted(
            path
            for path in self.state_dir.glob("*.jsonl")
            if path.name != own and not path.name.startswith(".") and path.is_file()
        )

    def read_foreign(
        self, offsets: Mapping[str, ReadMark], *, include_own: bool = False
    ) -> tuple[list[Change], dict[str, ReadMark], list[Problem]]:
        """Read what is new in every foreign journal since ``offsets`` (file name -> mark).

        Returns the changes (apply with :func:`merge`), the new marks to persist (files
        that disappeared are dropped), and the problems to report. Re-reading is harmless.
        """
        changes: list[Change] = []
        marks: dict[str, ReadMark] = {}
        problems: list[Problem] = []
        for path in self.foreign_files(include_own=include_own):
            result = read_journal(path, offsets.get(path.name))
            changes.extend(result.changes)
            marks[path.name] = result.mark
            problems.extend(result.problems)
        if changes:
            self.clock.observe(max(change.stamp for change in changes))
        return changes, marks, problems

    def read_own(self) -> FileRead:
        """The whole own journal (to rebuild a lost store)."""
        result = read_journal(self.path)
        if result.changes:
            self.clock.observe(max(change.stamp for change in result.changes))
        return result

    def compact(self, live: State | None = None) -> CompactReport:
        """Rewrite the own journal as one line per (id, field) still live, atomically.

        A line is dropped only when a later line of this journal, or a winning value in
        ``live`` (the merged state), replaces it. Refuses (JournalError) if the journal
        holds lines this version can't read, so nothing written by a newer version is lost.
        """
        with self._locked():
            if not self.path.exists():
                return CompactReport(0, 0)
            read = read_journal(self.path)
            refused = [p for p in read.problems if p.kind != "malformed"]
            if refused:
                raise JournalError(f"not compacting: {refused[0].message()}")
            malformed = sum(p.count for p in read.problems)
            keep = [
                change for change in latest(read.changes).values() if not _replaced(change, live)
            ]
            keep.sort(key=lambda change: change.stamp)
            _atomic_write(self.path, b"".join(change.to_line() for change in keep))
        return CompactReport(len(read.changes) + malformed, len(keep))

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Serialise appends and compaction among this machine's processes."""
        if sys.platform == "win32":  # pragma: no cover - no flock: one writing process assumed
            yield
            return
        self.state_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.state_dir / f".{self.machine_id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


def _replaced(change: Change, live: State | None) -> bool:
    have = live.get(change.slot) if live is not None else None
    return have is not None and beats(have[0], have[1], change.value, change.stamp)


def _loose_stamp(line: bytes | None) -> tuple[int, int] | None:
    """The (ms, counter) of any line that has them, whatever its version (for the clock)."""
    try:
        obj = json.loads(line or b"")
    except (ValueError, RecursionError):
        return None
    if isinstance(obj, dict):
        ms, counter = obj.get("ms"), obj.get("n")
        if type(ms) is int and type(counter) is int:
            return (ms, counter)
    return None


def _last_stamp(path: Path) -> tuple[int, int] | None:
    """The latest stamp in the own journal: its end is enough unless that is unreadable."""
    if not path.exists():
        return None
    with open(path, "rb") as handle:
        start = max(0, os.fstat(handle.fileno()).st_size - _SCAN)
        while True:
            handle.seek(start)
            lines = complete_lines(handle)
            if start:
                next(lines, None)  # probably a partial line
            stamps = [s for _, line, _ in lines if (s := _loose_stamp(line)) is not None]
            if stamps or start == 0:
                return max(stamps, default=None)
            start = 0


def _atomic_write(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder, fsync, rename, then fsync the folder."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError, AttributeError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def marks_to_json(marks: Mapping[str, ReadMark]) -> dict[str, list[Any]]:
    """Read marks as plain JSON data for the caller to persist."""
    return {name: list(mark) for name, mark in marks.items()}


def marks_from_json(obj: Any) -> dict[str, ReadMark]:
    """Read marks back from :func:`marks_to_json`; anything unusable is dropped (read again)."""
    marks: dict[str, ReadMark] = {}
    if isinstance(obj, dict):
        for name, raw in obj.items():
            mark = ReadMark.from_json(raw)
            if isinstance(name, str) and mark is not None:
                marks[name] = mark
    return marks
