"""Line breaking on plain text: where each display line starts and ends.

Only offsets are computed here (no styled objects), which keeps laying out a
whole paper cheap; the styled segments of a line are built when it is painted.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

_WORD = re.compile(r"\S+")
_LINE = re.compile(r"[^\n]*")

#: A line range inside a block's text: [start, end).
Range = tuple[int, int]


def _split_long(text: str, start: int, end: int, width: int, ascii_only: bool) -> list[Range]:
    """Cut one word wider than ``width`` into pieces that fit (URLs, hostile runs)."""
    if ascii_only:
        return [(s, min(s + width, end)) for s in range(start, end, width)]
    pieces: list[Range] = []
    piece_start, used = start, 0
    for i in range(start, end):
        w = cell_len(text[i])
        if used + w > width and i > piece_start:
            pieces.append((piece_start, i))
            piece_start, used = i, 0
        used += w
    pieces.append((piece_start, end))
    return pieces


def break_text(text: str, width: int) -> list[Range]:
    """Greedy word wrap of ``text`` to ``width`` cells; newlines force a break.

    Returns at least one range; an empty text gives one empty line.
    """
    width = max(1, width)
    ascii_only = text.isascii()
    lines: list[Range] = []
    for para in _LINE.finditer(text):
        p_start, p_end = para.span()
        if p_start == p_end and p_start > 0 and text[p_start - 1] != "\n":
            continue  # finditer's empty match after the last line
        line_start = line_end = -1
        used = 0
        for word in _WORD.finditer(text, p_start, p_end):
            s, e = word.span()
            w = e - s if ascii_only else cell_len(word.group())
            if line_start >= 0:
                gap = s - line_end if ascii_only else cell_len(text[line_end:s])
                if used + gap + w <= width:
                    used += gap + w
                    line_end = e
                    continue
                lines.append((line_start, line_end))
            if w > width:
                pieces = _split_long(text, s, e, width, ascii_only)
                lines.extend(pieces[:-1])
                s = pieces[-1][0]
                w = e - s if ascii_only else cell_len(text[s:e])
            line_start, line_end, used = s, e, w
        lines.append((line_start, line_end) if line_start >= 0 else (p_start, p_start))
    return lines or [(0, 0)]


def chop_lines(text: str, width: int) -> list[tuple[int, int, bool]]:
    """Code and display math: keep every source line, cut ones wider than ``width``.

    Returns (start, end, continues) where ``continues`` marks a piece that goes
    on in the next display line (drawn with a marker, never reflowed).
    """
    width = max(1, width)
    ascii_only = text.isascii()
    out: list[tuple[int, int, bool]] = []
    pos = 0
    n = len(text)
    while True:
        eol = text.find("\n", pos)
        if eol == -1:
            eol = n
        wide = (eol - pos) if ascii_only else cell_len(text[pos:eol])
        if wide <= width:
            out.append((pos, eol, False))
        else:
            pieces = _split_long(text, pos, eol, width, ascii_only)
            out.extend((s, e, i < len(pieces) - 1) for i, (s, e) in enumerate(pieces))
        if eol >= n:
            return out
        pos = eol + 1
