"""Styled segments for one display line, built from plain strings and style keys.

Segments are made with ``Segment(text, style)`` only: content is never parsed as
Rich markup. Style keys name roles (``math``, ``url``, ``h2``…); a UI can map the
roles to its own theme by passing a different mapping to the layout.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence

from rich.segment import Segment
from rich.style import Style

from paperreader.core.fulltext.blocks import Span


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: Roles every theme should define; missing ones fall back to the plain style.
ROLES = _words(
    "h1 h2 h3 h4 h5 h6 em strong strike code math link url figure literal marker rule "
    "code.block math.block table.border table.header match match.current"
)

DEFAULT_STYLES: dict[str, Style] = {
    "h1": Style(bold=True, underline=True),
    "h2": Style(bold=True),
    "h3": Style(bold=True),
    "h4": Style(bold=True, italic=True),
    "h5": Style(italic=True),
    "h6": Style(italic=True, dim=True),
    "em": Style(italic=True),
    "strong": Style(bold=True),
    "strike": Style(strike=True),
    "code": Style(color="cyan"),
    "math": Style(color="magenta"),
    "link": Style(underline=True),
    "url": Style(dim=True, underline=False),
    "figure": Style(color="yellow", italic=True),
    "literal": Style(dim=True),
    "marker": Style(dim=True),
    "rule": Style(dim=True),
    "code.block": Style(color="cyan"),
    "math.block": Style(color="magenta"),
    "table.border": Style(dim=True),
    "table.header": Style(bold=True),
    "match": Style(reverse=True),
    "match.current": Style(reverse=True, bold=True, color="yellow"),
}

#: A character range to restyle inside a line: (start, end, role).
Mark = tuple[int, int, str]


class Palette:
    """Resolves "base + space-separated roles" to one Rich style, with a cache."""

    def __init__(self, styles: Mapping[str, Style] | None = None) -> None:
        self.styles = dict(DEFAULT_STYLES if styles is None else styles)
        self._cache: dict[tuple[str, str], Style] = {}

    def style(self, base: str, key: str = "") -> Style:
        """The style for text with role ``key`` inside a block whose role is ``base``."""
        found = self._cache.get((base, key))
        if found is None:
            found = Style()
            for name in (*base.split(), *key.split()):
                found += self.styles.get(name, Style())
            self._cache[(base, key)] = found
        return found


def slice_spans(
    spans: Sequence[Span], starts: Sequence[int], start: int, end: int
) -> list[tuple[int, str, str]]:
    """The part of ``spans`` covering characters [start, end) as (offset, text, key)."""
    out: list[tuple[int, str, str]] = []
    i = max(0, bisect_right(starts, start) - 1)
    pos = start
    while pos < end and i < len(spans):
        chunk, key = spans[i]
        first = starts[i]
        stop = min(end, first + len(chunk))
        if stop > pos:
            out.append((pos, chunk[pos - first : stop - first], key))
            pos = stop
        i += 1
    return out


def apply_marks(
    pieces: list[tuple[int, str, str]], marks: Sequence[Mark]
) -> list[tuple[int, str, str]]:
    """Split pieces at mark boundaries and add the mark's role to the covered parts."""
    for m_start, m_end, role in marks:
        out: list[tuple[int, str, str]] = []
        for at, text, key in pieces:
            end = at + len(text)
            if m_end <= at or m_start >= end:
                out.append((at, text, key))
                continue
            cut_a, cut_b = max(m_start, at) - at, min(m_end, end) - at
            if cut_a:
                out.append((at, text[:cut_a], key))
            out.append((at + cut_a, text[cut_a:cut_b], f"{key} {role}".strip()))
            if cut_b < len(text):
                out.append((at + cut_b, text[cut_b:], key))
        pieces = out
    return pieces


def to_segments(palette: Palette, base: str, pieces: list[tuple[int, str, str]]) -> list[Segment]:
    """Rich segments for pieces, every one styled as ``base`` plus its own role."""
    return [Segment(text, palette.style(base, key)) for _, text, key in pieces if text]
