"""Blocks laid out to display lines for one width, lazily and front to back.

Only the blocks needed for the lines asked for are laid out (and, through the
document, parsed), so the first screen of a 40k-word paper costs what the first
screen of a 4k-word one does. Lines are first computed as offsets into their
block's text; styled segments are built only when a line is painted, and cached.

Every line knows its block and the character offset it starts at, so a reading
position (block, offset) maps to a line and back at any width.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style

from paperreader.core.fulltext.blocks import Block, Hit, Kind, Position, Span
from paperreader.core.fulltext.document import Document
from paperreader.core.fulltext.paint import Mark, Palette, apply_marks, slice_spans, to_segments
from paperreader.core.fulltext.tables import table_lines
from paperreader.core.fulltext.wrap import break_text, chop_lines

MIN_WIDTH = 8
CACHE_LINES = 4_000
CODE_PAD = "  "
WRAP_MARKER = "↩"

#: How a line is drawn.
GAP, FIRST, NEXT, CODE, CODE_CUT, PAINTED = range(6)


class Line(NamedTuple):
    """One display line: where its text starts in the block, and how to draw it."""

    start: int
    end: int
    mode: int
    painted: tuple[Span, ...] = ()


def _prefixes(block: Block, width: int) -> tuple[str, str]:
    # Deep nesting must leave room for text: keep the innermost part of the prefix.
    room = max(0, width // 3)
    lead, indent = block.lead, block.indent
    if len(indent) > room:
        keep = max(0, room - 1)
        lead = "…" + lead[len(lead) - keep :] if keep else ""
        indent = "…" + indent[len(indent) - keep :] if keep else ""
    return lead, indent


def lay_out_block(block: Block, width: int) -> list[Line]:
    """The lines of one block at ``width`` cells (the blank line above it included)."""
    lines = [Line(0, 0, GAP)] * block.gap
    indent = _prefixes(block, width)[1]
    avail = max(1, width - len(indent))
    kind = block.kind
    if kind in (Kind.PARAGRAPH, Kind.HEADING):
        ranges = break_text(block.text, avail)
        lines.extend(Line(s, e, FIRST if i == 0 else NEXT) for i, (s, e) in enumerate(ranges))
    elif kind in (Kind.CODE, Kind.MATH):
        room = max(1, avail - len(CODE_PAD) - len(WRAP_MARKER))
        for s, e, more in chop_lines(block.text, room):
            lines.append(Line(s, e, CODE_CUT if more else CODE))
    elif kind is Kind.RULE:
        lines.append(Line(0, 0, PAINTED, ((indent, "marker"), ("─" * avail, "rule"))))
    elif kind is Kind.TABLE:
        for offset, pieces in table_lines(block, avail):
            lines.append(Line(offset, offset, PAINTED, ((indent, "marker"), *pieces)))
    return lines


class Layout:
    """The document at one width: line index, position mapping and painted lines."""

    def __init__(
        self, document: Document, width: int, styles: Mapping[str, Style] | None = None
    ) -> None:
        self.document = document
        self.width = max(MIN_WIDTH, width)
        self.palette = Palette(styles)
        self._first: list[int] = []
        self._lines: list[list[Line]] = []
        self._count = 0
        self._cache: dict[int, list[Segment]] = {}
        self._pattern: re.Pattern[str] | None = None
        self._current: Hit | None = None

    # -- laying out ----------------------------------------------------------------------

    @property
    def laid_blocks(self) -> int:
        """How many blocks have been laid out (the work done so far)."""
        return len(self._first)

    @property
    def line_count(self) -> int:
        """Lines laid out so far (the total once :attr:`complete`)."""
        return self._count

    @property
    def complete(self) -> bool:
        """True when every block of the document has been laid out."""
        return self.document.complete and self.laid_blocks >= len(self.document.blocks)

    def _lay_next(self) -> bool:
        index = len(self._first)
        if not self.document.ensure(index + 1):
            return False
        lines = lay_out_block(self.document.blocks[index], self.width)
        self._first.append(self._count)
        self._lines.append(lines)
        self._count += len(lines)
        return True

    def ensure_line(self, line: int) -> bool:
        """Lay out until ``line`` exists; False if the document is shorter."""
        while self._count <= line:
            if not self._lay_next():
                return False
        return True

    def ensure_block(self, block: int) -> bool:
        """Lay out up to and including ``block``; False if there is no such block."""
        while len(self._first) <= block:
            if not self._lay_next():
                return False
        return True

    def extend(self, blocks: int) -> bool:
        """Lay out up to ``blocks`` more blocks; True while some remain."""
        for _ in range(blocks):
            if not self._lay_next():
                return False
        return not self.complete

    def estimated_lines(self) -> int:
        """Total lines: exact once complete, else lines so far plus an estimate for the rest."""
        if self.complete:
            return self._count
        doc = self.document
        laid = self.laid_blocks
        done = doc.blocks[laid].source if laid < len(doc.blocks) else doc.parsed_chars
        remaining = max(0, doc.source_length - done)
        per_char = self._count / done if done > 2_000 else 1.3 / self.width
        return self._count + int(remaining * per_char) + 1

    # -- positions -----------------------------------------------------------------------

    def _block_at(self, line: int) -> int:
        return bisect_right(self._first, line) - 1

    def position_of(self, line: int) -> Position:
        """The reading position at the start of display line ``line`` (clamped)."""
        if not self.ensure_line(max(0, line)):
            line = self._count - 1
        if line < 0:
            return Position(0, 0)
        block = self._block_at(line)
        spec = self._lines[block][line - self._first[block]]
        return Position(block, 0 if spec.mode == GAP else spec.start)

    def line_of(self, position: Position) -> int:
        """The display line showing ``position`` (the last line if it is past the end)."""
        block = max(0, position.block)
        if not self.ensure_block(block):
            return max(0, self._count - 1)
        best = -1
        lines = self._lines[block]
        for i, spec in enumerate(lines):
            if spec.mode == GAP:
                continue
            if best < 0 or (position.offset >= spec.start > lines[best].start):
                best = i
        return self._first[block] + max(0, best)

    # -- painting ------------------------------------------------------------------------

    def set_styles(self, styles: Mapping[str, Style] | None) -> None:
        """Use another role-to-style mapping (a theme change); nothing is laid out again."""
        self.palette = Palette(styles)
        self._cache.clear()

    def set_marks(self, pattern: re.Pattern[str] | None, current: Hit | None = None) -> None:
        """Highlight matches of ``pattern`` on painted lines, and ``current`` more strongly."""
        self._pattern, self._current = pattern, current
        self._cache.clear()

    def line(self, y: int) -> list[Segment]:
        """The segments of display line ``y`` (empty past the end); never wider than the width."""
        found = self._cache.get(y)
        if found is not None:
            return found
        if y < 0 or not self.ensure_line(y):
            return []
        if len(self._cache) >= CACHE_LINES:
            self._cache.clear()
        block_index = self._block_at(y)
        spec = self._lines[block_index][y - self._first[block_index]]
        segments = self._paint(block_index, spec)
        self._cache[y] = segments
        return segments

    def text(self, y: int) -> str:
        """The plain text of display line ``y`` (for tests and the plain pager)."""
        return "".join(segment.text for segment in self.line(y))

    def _paint(self, index: int, spec: Line) -> list[Segment]:
        if spec.mode == GAP:
            return []
        if spec.mode == PAINTED:
            style = self.palette.style
            return [Segment(text, style("", key)) for text, key in spec.painted if text]
        block = self.document.blocks[index]
        lead, indent = _prefixes(block, self.width)
        marker = self.palette.style("marker")
        prefix = lead if spec.mode == FIRST else indent
        out = [Segment(prefix, marker)] if prefix else []
        marks = self._marks(index, block, spec)
        if spec.mode in (FIRST, NEXT):
            base = f"h{min(6, max(1, block.level))}" if block.kind is Kind.HEADING else ""
            pieces = slice_spans(block.spans, block.starts, spec.start, spec.end)
        else:
            base = "math.block" if block.kind is Kind.MATH else "code.block"
            out.append(Segment(CODE_PAD))
            pieces = [(spec.start, block.text[spec.start : spec.end], "")]
        out.extend(to_segments(self.palette, base, apply_marks(pieces, marks)))
        if spec.mode == CODE_CUT:
            out.append(Segment(WRAP_MARKER, marker))
        return out

    def _marks(self, index: int, block: Block, spec: Line) -> list[Mark]:
        marks: list[Mark] = []
        if self._pattern is not None:
            lo = max(0, spec.start - 200)
            for m in self._pattern.finditer(block.text, lo, min(len(block.text), spec.end + 200)):
                if m.end() > spec.start and m.start() < spec.end:
                    marks.append((m.start(), m.end(), "match"))
        hit = self._current
        if hit is not None and hit.block == index:
            marks.append((hit.offset, hit.offset + hit.length, "match.current"))
        return marks
