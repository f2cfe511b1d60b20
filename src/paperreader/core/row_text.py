"""The text of one list row and of a day heading, cut to a width in terminal cells.

Pure functions, so property tests can throw any text at them. Paper text is cleaned
here a second time (it was cleaned at ingest) in case an old store holds raw text.
"""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len, set_cell_size

from paperreader.core import text
from paperreader.core.models import PaperRow

#: Cells the reader's tags may take in a row below 100 columns (twice that above).
TAG_CELLS = 16


def annotation_text(row: PaperRow, room: int) -> str:
    """``✎ #rl #llm``: a pen when the paper has a note, then its tags cut to ``room`` cells."""
    tags = " ".join(f"#{text.one_line(tag, max_len=60)}" for tag in row.tags)
    if cell_len(tags) > room:
        tags = set_cell_size(tags, room - 1) + "…"
    return " ".join(part for part in ("✎" if row.noted else "", tags) if part)


def row_cells(
    row: PaperRow, width: int, *, show_date: bool = True, with_year: bool = False
) -> list[tuple[str, str]]:
    """One list row as (text, component class) pieces exactly ``width`` cells wide.

    ``show_date`` is off where day headings carry the date; ``with_year`` when the
    list spans years (otherwise ``11-24``, the year being the current one).
    """
    right = ""
    if show_date and row.daily_date:
        right = row.daily_date if with_year else row.daily_date[5:]
    extras: list[str] = []
    if width >= 100 and row.organization:
        extras.append(text.one_line(row.organization, max_len=22))
    if width >= 90 and row.comments:
        extras.append(f"{row.comments} cmt")
    if mine := annotation_text(row, TAG_CELLS if width < 100 else 2 * TAG_CELLS):
        extras.insert(0, mine)
    if extras:
        right = " · ".join(extras) + ("  " + right if right else "")
    if row.progress:  # how far the stored full text was read (0 %: not started, not shown)
        right = f"{row.progress}%" + ("  " + right if right else "")
    right = text.one_line(right)
    votes = f"▲{row.upvotes:>4} " if row.upvotes < 10_000 else f"▲{row.upvotes // 1000:>3}k "
    head = [
        (" ✦ " if row.new else " ● " if not row.read else "   ", "paper-list--marker"),
        ("★ " if row.favourite else "  ", "paper-list--star"),
        (votes, "paper-list--hot" if row.upvotes >= 50 else "paper-list--votes"),
    ]
    used = sum(cell_len(cell) for cell, _ in head)
    if used >= width:
        return [(set_cell_size("".join(cell for cell, _ in head), width), "paper-list--meta")]
    right_cells = cell_len(right) + 1 if right else 0
    title_width = max(0, width - used - right_cells)
    if title_width < 12:  # too narrow for the extras: give the title the room
        right, right_cells = "", 0
        title_width = max(0, width - used)
    title = text.one_line(row.title, max_len=500)
    if cell_len(title) > title_width and title_width > 1:
        title = set_cell_size(title, title_width - 1) + "…"
    cells = [
        *head,
        (
            set_cell_size(title, title_width),
            "paper-list--read" if row.read else "paper-list--unread",
        ),
    ]
    if right:
        cells.append((" " + right, "paper-list--meta"))
    return cells


def day_heading(
    day: dt.date | None, papers: int | None, unread: int | None, *, with_year: bool, width: int
) -> str:
    """``── Mon 24 Nov · 18 papers · 5 unread ───`` exactly ``width`` cells wide."""
    if day is None:
        label = "undated"
    else:
        label = f"{day:%a} {day.day} {day:%b}" + (f" {day.year}" if with_year else "")
    parts = [label]
    if papers is not None:
        parts.append(f"{papers} paper{'' if papers == 1 else 's'}")
    if unread is not None:
        parts.append(f"{unread} unread" if unread else "all read")
    line = "── " + " · ".join(parts) + " "
    return set_cell_size(line + "─" * max(0, width - cell_len(line)), width)
