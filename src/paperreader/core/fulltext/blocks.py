"""The block model of a paper: what the parser produces and the layout consumes.

Containers (lists, block quotes) are flattened away: every block is a leaf that
carries the prefix its containers draw (quote bars, indentation, list marker), so
the layout can place each block on its own without looking at its neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

#: A run of text with one style key (space-separated names such as ``"strong em"``).
Span = tuple[str, str]


class Kind(Enum):
    """What a block is; decides how it is laid out."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    CODE = "code"
    MATH = "math"
    TABLE = "table"
    RULE = "rule"


@dataclass(frozen=True, slots=True)
class Block:
    """One leaf block of the document.

    ``text`` is the plain text that ``find`` searches and that positions index
    into; for paragraphs and headings it is exactly the concatenation of ``spans``.
    Tables keep their cells in ``rows`` (row 0 is the header) and their ``text`` is
    the rows joined by newlines, cells by ``" | "``.
    """

    kind: Kind
    text: str
    spans: tuple[Span, ...] = ()
    level: int = 0
    anchor: str = ""
    lead: str = ""
    indent: str = ""
    gap: int = 1
    rows: tuple[tuple[tuple[Span, ...], ...], ...] = ()
    source: int = 0
    starts: tuple[int, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if self.spans and not self.starts:
            offsets, at = [], 0
            for chunk, _style in self.spans:
                offsets.append(at)
                at += len(chunk)
            object.__setattr__(self, "starts", tuple(offsets))


class Position(NamedTuple):
    """A reading position that survives a width change: block index and character offset."""

    block: int
    offset: int


class TocEntry(NamedTuple):
    """One heading in the table of contents."""

    level: int
    text: str
    anchor: str
    block: int


class Hit(NamedTuple):
    """One match of ``find``: where it starts and how many characters it covers."""

    block: int
    offset: int
    length: int


class Link(NamedTuple):
    """A link target found in the text; only http(s) targets are ``openable``."""

    text: str
    url: str
    block: int
    openable: bool
