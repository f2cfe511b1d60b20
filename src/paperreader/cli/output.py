"""Printing from the command line, with every control sequence removed.

Titles, error bodies and headers come from the network. Text is cleaned at ingest, but
the CLI also quotes things that never went through the store (a server's error line, a
header, an exception), so everything it writes to the terminal passes through here: no
ESC, BEL, C1 or bidi override reaches stdout or stderr, whatever path it took.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

from paperreader.cli.parser import PROG

# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(chunk: str) -> str:
    """``chunk`` without control characters (tabs and newlines kept); cheap when clean."""
    return _UNSAFE.sub("", chunk) if _UNSAFE.search(chunk) else chunk


class SafeStream:
    """A text stream that cleans every write: what streaming commands write to."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, chunk: str) -> int:
        """Write ``chunk`` cleaned; returns the length of what was given (as files do)."""
        self._stream.write(clean(chunk))
        return len(chunk)

    def flush(self) -> None:
        """Flush the underlying stream."""
        self._stream.flush()


def stdout() -> SafeStream:
    """Standard output, cleaned (looked up at call time: tests swap ``sys.stdout``)."""
    return SafeStream(sys.stdout)


def out(line: str = "") -> None:
    """Print one line (or several) to stdout, cleaned."""
    sys.stdout.write(clean(line) + "\n")


def note(line: str) -> None:
    """Print a line to stderr (progress summaries, hints), cleaned."""
    sys.stderr.write(clean(line) + "\n")


def upgrading(line: str) -> None:
    """Say on stderr that the store is being upgraded (a large one takes seconds)."""
    note(f"{PROG}: {line}")


def error(message: str) -> None:
    """``paperreader: error: …`` on stderr, on one line, cleaned."""
    one_line = " ".join(clean(message).split())
    sys.stderr.write(f"{PROG}: error: {one_line}\n")


def usage(message: str) -> None:
    """A usage error line (already prefixed by the parser) on stderr, cleaned."""
    sys.stderr.write(" ".join(clean(message).split()) + "\n")


def stdin_text() -> str:
    """All of stdin as text; '' when there is none (a closed stdin leaves ``sys.stdin``
    None, which a script running us with ``<&-`` means as "nothing")."""
    return sys.stdin.read() if sys.stdin is not None else ""
