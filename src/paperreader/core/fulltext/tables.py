"""Pipe tables laid out to a width: cells wrap, and columns that cannot fit are cut.

A wide table must never push the rest of the paper sideways, so every line this
module returns fits the width it was given. Columns shrink towards their share of
the width (wrapping their cells); when even narrow columns do not fit, the
rightmost ones are dropped and every line ends with a marker saying so.
"""

from __future__ import annotations

from rich.cells import cell_len

from paperreader.core.fulltext.blocks import Block, Span
from paperreader.core.fulltext.paint import slice_spans
from paperreader.core.fulltext.wrap import break_text

SEPARATOR = " │ "
CUT_MARKER = " ›"
MIN_COLUMN = 6
MAX_NATURAL = 60

#: One table line: the offset (in the block's text) of its row, and its pieces as
#: (text, style key); styles are resolved when the line is painted.
TableLine = tuple[int, list[Span]]


def _fit(natural: list[int], budget: int) -> list[int]:
    """Column widths summing to at most ``budget``: wide columns give way first."""
    if sum(natural) <= budget:
        return natural
    low, high = 1, max(natural)
    while low < high:  # the largest cap whose capped widths still fit
        mid = (low + high + 1) // 2
        if sum(min(n, mid) for n in natural) <= budget:
            low = mid
        else:
            high = mid - 1
    widths = [min(n, low) for n in natural]
    spare = budget - sum(widths)
    for i, n in enumerate(natural):
        if spare <= 0:
            break
        if n > widths[i]:
            widths[i] += 1
            spare -= 1
    return widths


def column_widths(natural: list[int], width: int) -> tuple[list[int], bool]:
    """Widths for the columns shown (a prefix of all) and whether some were cut."""
    count = len(natural)
    sep = len(SEPARATOR)
    shown = count
    floors = [min(MIN_COLUMN, max(1, n)) for n in natural]
    while shown > 1:
        marker = len(CUT_MARKER) if shown < count else 0
        if sum(floors[:shown]) + sep * (shown - 1) + marker <= width:
            break
        shown -= 1
    cut = shown < count
    budget = width - sep * (shown - 1) - (len(CUT_MARKER) if cut else 0)
    return _fit([max(1, n) for n in natural[:shown]], max(1, budget)), cut


def table_lines(block: Block, width: int) -> list[TableLine]:
    """The display lines of a table block at ``width`` cells."""
    rows = block.rows
    if not rows:
        return []
    count = max(len(r) for r in rows)
    texts = [["".join(t for t, _ in cell) for cell in row] for row in rows]
    natural = [0] * count
    for row_texts in texts:
        for c, text in enumerate(row_texts):
            natural[c] = max(natural[c], min(MAX_NATURAL, cell_len(text)))
    widths, cut = column_widths(natural, width)
    border = "table.border"
    out: list[TableLine] = []
    offset = 0
    for r, row in enumerate(rows):
        base = "table.header" if r == 0 else ""
        cells: list[tuple[Span, ...]] = [row[c] if c < len(row) else () for c in range(len(widths))]
        wrapped = [break_text(texts[r][c] if c < len(row) else "", w) for c, w in enumerate(widths)]
        for i in range(max(len(w) for w in wrapped)):
            pieces: list[Span] = []
            for c, w in enumerate(widths):
                if c:
                    pieces.append((SEPARATOR, border))
                pieces.extend(_cell_line(cells[c], wrapped[c], i, w, base))
            if cut:
                pieces.append((CUT_MARKER, "marker"))
            out.append((offset, pieces))
        if r == 0 and len(rows) > 1:
            rule = "─┼─".join("─" * w for w in widths)
            out.append((offset, [(rule, border)]))
        offset += len(" | ".join(texts[r])) + 1
    return out


def _cell_line(
    spans: tuple[Span, ...],
    ranges: list[tuple[int, int]],
    i: int,
    width: int,
    base: str,
) -> list[Span]:
    if i >= len(ranges) or not spans:
        return [(" " * width, "")]
    start, end = ranges[i]
    starts, at = [], 0
    for text, _ in spans:
        starts.append(at)
        at += len(text)
    pieces = [
        (text, f"{base} {key}".strip()) for _, text, key in slice_spans(spans, starts, start, end)
    ]
    used = sum(cell_len(text) for text, _ in pieces)
    if used < width:
        pieces.append((" " * (width - used), ""))
    return pieces
