"""The user's state between the store and the journals in ``state_dir``.

Every read mark, favourite, note, tag or watch change goes through :func:`record` (or the
helpers beside it): the store gets the new value and its stamp in one transaction, then,
when a ``state_dir`` is set, the change is appended to this machine's journal there. A
change whose journal write failed (folder missing, disk full) stays queued in the store
and goes out with the next :func:`flush` or :func:`merge_all`.

:func:`merge_all` brings in the other machines' changes (on start, after a sync, when the
folder changes): new lines of every journal, last writer wins per (paper, field), applied
in one transaction together with the read offsets. It also stamps marks made without a
stamp and compacts this machine's journal once it has grown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from paperreader.core.config import atomic_write
from paperreader.core.statesync import applying
from paperreader.core.statesync.applying import Edit
from paperreader.core.statesync.changes import Change
from paperreader.core.statesync.journal import CompactReport, Journal, JournalError
from paperreader.core.statesync.reading import START, end_mark, read_journal
from paperreader.core.store import notes_tags as annot
from paperreader.core.store import state_stamps

if TYPE_CHECKING:
    from paperreader.core.store import Store

#: This machine's journal is compacted once it is this big and twice its last compacted size.
COMPACT_MIN_BYTES = 256 * 1024
COMPACTED_KEY = "state.compacted_bytes"


class StateDirError(Exception):
    """``state_dir`` is unset or unusable; the message is one line saying which and why."""


def check_state_dir(state_dir: Path | str | None) -> Path:
    """The folder, if it is set and exists; never created (it may be an unmounted share)."""
    if state_dir is None or str(state_dir) == "":
        raise StateDirError(
            'no state_dir is set (add  state_dir = "~/Sync/paperreader"  to the config)'
        )
    folder = Path(state_dir).expanduser()
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise StateDirError(f"state_dir {folder} {what}; create it or fix the setting")
    return folder


@dataclass(frozen=True, slots=True)
class Recorded:
    """The changes stored (edits that changed nothing are left out), and a journal problem."""

    changes: list[Change]
    problem: str | None = None
    """Why the journal could not be written: the changes are kept and sent out later."""


def record(
    store: Store,
    edits: Iterable[Edit],
    state_dir: Path | str | None = None,
    *,
    wait: float | None = None,
) -> Recorded:
    """Store ``edits`` (paper id, field, value) with fresh stamps, then journal them.

    Raises ValueError (one line) for a bad value, and nothing is written. ``wait`` is
    passed to ``store.write``: 0 raises ``StoreBusy`` at once if another program holds the
    lock (the UI thread keeps the edit and retries). The UI thread can also pass
    ``state_dir=None`` and leave the journal write (an fsync) to :func:`flush` in a worker.
    """
    with store.write(wait=wait):
        changes = applying.stamp_and_apply(store, edits)
    return journal_changes(store, changes, state_dir)


def journal_changes(store: Store, changes: list[Change], state_dir: Path | str | None) -> Recorded:
    """Send changes just stored to the journal (when ``state_dir`` is set); never raises."""
    if state_dir is None or not changes:
        return Recorded(changes)
    try:
        flush(store, state_dir)
    except (StateDirError, OSError) as exc:
        return Recorded(changes, f"not yet in the state journal: {_reason(exc)}")
    return Recorded(changes)


def _reason(exc: Exception) -> str:
    return (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)


def set_read(
    store: Store,
    paper_ids: Iterable[str],
    read: bool = True,
    state_dir: Path | str | None = None,
    *,
    wait: float | None = None,
) -> Recorded:
    """Mark papers read (or unread)."""
    return record(store, [(pid, "read", read) for pid in paper_ids], state_dir, wait=wait)


def set_favourite(
    store: Store,
    paper_ids: Iterable[str],
    favourite: bool = True,
    state_dir: Path | str | None = None,
    *,
    wait: float | None = None,
) -> Recorded:
    """Mark papers favourite (or not)."""
    edits: list[Edit] = [(pid, "favourite", favourite) for pid in paper_ids]
    return record(store, edits, state_dir, wait=wait)


def set_note(
    store: Store,
    paper_id: str,
    note: str | None,
    state_dir: Path | str | None = None,
    *,
    wait: float | None = None,
) -> Recorded:
    """Replace a paper's note; empty text or None removes it. NoteTooLong if too long."""
    return record(store, [(paper_id, "note", note)], state_dir, wait=wait)


def change_tags(
    store: Store,
    paper_ids: Sequence[str],
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    state_dir: Path | str | None = None,
    *,
    wait: float | None = None,
) -> Recorded:
    """Add and remove tags (normalised) on papers; the read and the write are one transaction."""
    plus = set(annot.normalize_tags(add))
    minus = set(annot.normalize_tags(remove))
    with store.write(wait=wait):
        now = annot.current_values(store, paper_ids)
        edits: list[Edit] = [
            (pid, "tags", sorted((set(now.get(pid, annot.DEFAULTS)["tags"]) | plus) - minus))
            for pid in dict.fromkeys(paper_ids)
        ]
        changes = applying.stamp_and_apply(store, edits)
    return journal_changes(store, changes, state_dir)


def flush(store: Store, state_dir: Path | str | None) -> int:
    """Append this machine's queued changes to its journal; how many were written."""
    folder = check_state_dir(state_dir)
    todo = state_stamps.pending(store)
    if todo:
        Journal(folder, state_stamps.machine_id(store)).write(todo)
        with store.write():
            state_stamps.mark_journaled(store, todo)
    return len(todo)


@dataclass(slots=True)
class MergeReport:
    """What a merge did; ``problems`` are one line each (files skipped, journal errors)."""

    applied: list[Change] = field(default_factory=list)
    files: int = 0
    seeded: int = 0
    flushed: int = 0
    problems: list[str] = field(default_factory=list)
    compacted: CompactReport | None = None

    def summary(self) -> str:
        """One line for a status bar or the CLI."""
        papers = len({change.key for change in self.applied})
        parts = [f"{len(self.applied)} change(s) to {papers} paper(s) from {self.files} journal(s)"]
        if self.flushed:
            parts.append(f"{self.flushed} sent")
        if self.compacted is not None:
            parts.append(f"journal compacted {self.compacted.before}→{self.compacted.after} lines")
        if self.problems:
            parts.append(f"{len(self.problems)} problem(s)")
        return "; ".join(parts)


def merge_all(store: Store, state_dir: Path | str | None) -> MergeReport:
    """Send queued changes out, bring every journal's new lines in, compact when grown.

    Raises StateDirError when the folder is unset or missing; everything else that goes
    wrong with one file is a line in ``problems`` and the rest still merges.
    """
    folder = check_state_dir(state_dir)
    report = MergeReport()
    journal = Journal(folder, state_stamps.machine_id(store))
    with store.write():
        report.seeded = applying.seed_unstamped(store)
    own = journal.path.name
    offsets = state_stamps.load_offsets(store)
    caught_up = offsets.get(own, START) == end_mark(journal.path)
    try:
        report.flushed = flush(store, folder)
    except OSError as exc:
        report.problems.append(f"cannot write {own}: {_reason(exc)}")
    if caught_up and (mark := end_mark(journal.path)) is not None:
        # What was just appended came from this store: no need to read it back.
        offsets[own] = mark
    # The own journal is read too: a store restored from a backup gets back what it lost,
    # and lines it already holds change nothing.
    changes, marks, problems = journal.read_foreign(offsets, include_own=True)
    report.files = len(marks)
    report.problems.extend(problem.message() for problem in problems)
    with store.write():
        report.applied = applying.apply_incoming(store, changes)
        state_stamps.save_offsets(store, marks)
    if _grown(store, journal.path):
        try:
            report.compacted = compact(store, folder)
        except (JournalError, OSError) as exc:
            report.problems.append(str(exc) if isinstance(exc, JournalError) else _reason(exc))
    return report


def _grown(store: Store, path: Path) -> bool:
    """True once the journal is big and twice its size at the last compaction (or at the
    first look: a journal that starts big, e.g. seeded with old marks, has nothing to drop)."""
    try:
        size = path.stat().st_size
    except OSError:
        return False
    last = store.get_meta(COMPACTED_KEY)
    if last is None or not last.isdigit():
        with store.write():
            store.set_meta(COMPACTED_KEY, str(size))
        return False
    return size >= COMPACT_MIN_BYTES and size > 2 * int(last)


def folder_signature(state_dir: Path | str | None) -> tuple[tuple[str, int, int], ...]:
    """(name, size, mtime ns) of every journal in the folder: poll it (a stat per file, e.g.
    every 30 s) and call :func:`merge_all` when it changes. Empty when the folder is unusable."""
    try:
        folder = check_state_dir(state_dir)
        found = []
        for path in sorted(folder.glob("*.jsonl")):
            if not path.name.startswith("."):
                info = path.stat()
                found.append((path.name, info.st_size, info.st_mtime_ns))
    except (StateDirError, OSError):
        return ()
    return tuple(found)


def compact(store: Store, state_dir: Path | str | None) -> CompactReport:
    """Rewrite this machine's journal as one line per field it still holds the winner of."""
    journal = Journal(check_state_dir(state_dir), state_stamps.machine_id(store))
    report = journal.compact(live=state_stamps.load_all(store))
    size = journal.path.stat().st_size if journal.path.exists() else 0
    with store.write():
        store.set_meta(COMPACTED_KEY, str(size))
    return report


def export_state(store: Store, path: Path | str) -> int:
    """Write every stamped value as a journal file (for ``state import`` elsewhere)."""
    state = state_stamps.load_all(store)
    lines = [Change(k, f, value, stamp) for (k, f), (value, stamp) in state.items()]
    lines.sort(key=lambda change: change.stamp)
    atomic_write(Path(path), b"".join(c.to_line() for c in lines).decode("utf-8"))
    return len(lines)


def import_state(store: Store, path: Path | str) -> MergeReport:
    """Merge a journal file from elsewhere; winners are queued for this machine's journal,
    so machines sharing ``state_dir`` get them too."""
    read = read_journal(Path(path))
    report = MergeReport(files=1, problems=[p.message() for p in read.problems])
    with store.write():
        report.applied = applying.apply_incoming(store, read.changes, journaled=False)
    return report


def watches(store: Store) -> dict[str, object]:
    """Saved watches synced through the journal: name → definition (removed ones left out)."""
    return state_stamps.watches(store)
