"""Reading one journal file incrementally: complete lines only, from a remembered mark."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal, NamedTuple

from paperreader.core.statesync.changes import BadLine, Change, NewerVersion

#: Longest line read (a long note); longer ones are skipped as malformed.
MAX_LINE = 1 << 20
#: How much of the last line read a ReadMark fingerprints (the stamp is at the line's end).
_TAIL = 1024


class ReadMark(NamedTuple):
    """How far a foreign file was read: byte offset plus a fingerprint of the bytes before it.

    If the file got shorter, or the bytes before ``pos`` changed (it was compacted or
    replaced), reading starts again from the top: re-reading is always safe.
    Persist it as JSON with ``list(mark)``; load with :meth:`from_json`.
    """

    pos: int
    tail_len: int
    tail_hash: str

    @classmethod
    def from_json(cls, obj: Any) -> ReadMark | None:
        """Rebuild a mark from ``list(mark)``; None (read from the start) if it is unusable."""
        if isinstance(obj, list | tuple) and len(obj) == 3:
            pos, tail_len, tail_hash = obj
            ints = [v for v in (pos, tail_len) if isinstance(v, int) and not isinstance(v, bool)]
            if len(ints) == 2 and 0 <= tail_len <= min(pos, _TAIL) and isinstance(tail_hash, str):
                return cls(pos, tail_len, tail_hash)
        return None


START = ReadMark(0, 0, "")


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one journal file, for the caller to report."""

    file: str
    kind: Literal["malformed", "newer-version", "unreadable"]
    count: int = 1
    detail: str = ""

    def message(self) -> str:
        """One line for a status bar or a log."""
        if self.kind == "malformed":
            return f"{self.file}: skipped {self.count} malformed line(s) ({self.detail})"
        if self.kind == "newer-version":
            return f"{self.file}: written by a newer paperreader ({self.detail}); update to read it"
        return f"{self.file}: cannot read ({self.detail})"


@dataclass(slots=True)
class FileRead:
    """What reading one journal file gave."""

    changes: list[Change] = field(default_factory=list)
    mark: ReadMark = START
    problems: list[Problem] = field(default_factory=list)


def read_journal(path: Path, mark: ReadMark | None = None) -> FileRead:
    """Read the complete lines of ``path`` after ``mark``.

    A last line without a newline is a write in progress: it is left for next time. A
    line from a newer format version stops reading there (the mark stays before it). A
    malformed complete line is skipped, counted, and never read again.
    """
    mark = mark or START
    result = FileRead(mark=mark)
    malformed, first_error = 0, ""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            start = START
            if 0 < mark.pos <= size and 0 <= mark.tail_len <= mark.pos:
                handle.seek(mark.pos - mark.tail_len)
                if _digest(handle.read(mark.tail_len)) == mark.tail_hash:
                    start = mark
            handle.seek(start.pos)
            pos, tail = start.pos, b""
            for length, line, last in complete_lines(handle):
                error = ""
                if line is None:
                    error = "line too long"
                elif line.strip():
                    try:
                        result.changes.append(Change.from_line(line))
                    except NewerVersion as exc:
                        result.problems.append(Problem(path.name, "newer-version", 1, str(exc)))
                        break
                    except BadLine as exc:
                        error = str(exc)
                if error:
                    malformed += 1
                    first_error = first_error or error
                pos += length
                tail = last
            if pos != start.pos:
                result.mark = ReadMark(pos, len(tail), _digest(tail))
            else:
                result.mark = start
    except OSError as exc:
        result.problems.append(Problem(path.name, "unreadable", 1, exc.strerror or str(exc)))
    if malformed:
        result.problems.append(Problem(path.name, "malformed", malformed, first_error[:80]))
    return result


def end_mark(path: Path) -> ReadMark | None:
    """The mark of a reader that has read all of ``path`` (START if it does not exist);
    None when it ends in a partial line or can't be read (then read it the usual way)."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            handle.seek(max(0, size - _TAIL - 1))
            chunk = handle.read()
    except FileNotFoundError:
        return START
    except OSError:
        return None
    if not chunk:
        return START
    if not chunk.endswith(b"\n"):
        return None
    # The last line's last bytes, as read_journal fingerprints them.
    tail = chunk[chunk.rfind(b"\n", 0, len(chunk) - 1) + 1 :][-_TAIL:]
    return ReadMark(size, len(tail), _digest(tail))


def complete_lines(handle: BinaryIO) -> Iterator[tuple[int, bytes | None, bytes]]:
    """(length, line or None if too long, last bytes) for each newline-terminated line.

    Over-long lines are read in pieces so a file without newlines can't fill memory.
    An unterminated last line (a write in progress) is not returned.
    """
    while True:
        line = handle.readline(MAX_LINE + 1)
        if line.endswith(b"\n"):
            yield len(line), line, line[-_TAIL:]
            continue
        if len(line) <= MAX_LINE:
            return
        length, piece = len(line), line
        while not piece.endswith(b"\n"):
            piece = handle.readline(MAX_LINE + 1)
            if not piece:
                return
            length += len(piece)
        yield length, None, piece[-_TAIL:]
