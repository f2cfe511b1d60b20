"""PaperList: the feed, drawn with Textual's line API.

ListView, OptionList and DataTable build every row up front (10-30 s at 100,000
papers). This widget holds only the ordered row keys (``rid`` values, plain ints) of the
current filter and asks the store for the ~40 rows on screen, so opening, scrolling
and re-filtering cost the same at 100,000 papers as at 10.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from paperreader.core import text
from paperreader.core.models import PaperRow

RowLoader = Callable[[Sequence[int]], dict[int, PaperRow]]

#: Rows fetched beyond the visible window, so small scrolls hit the cache.
PREFETCH = 40
#: Ask for the rest of a long result this many rows before the loaded part runs out.
MORE_MARGIN = 120
CACHE_LIMIT = 1000


class PaperList(ScrollView, can_focus=True):
    """A virtual list of papers: unread marker, star, upvotes, title, date, org/comments."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="cursor_down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="cursor_up"),
        Binding("g,home", "first", "Top", show=False, id="first"),
        Binding("G,end", "last", "Bottom", show=False, id="last"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("enter", "select", "Open", id="open"),
    ]

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--unread",
        "paper-list--read",
        "paper-list--marker",
        "paper-list--star",
        "paper-list--votes",
        "paper-list--hot",
        "paper-list--meta",
    }

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False, init=False)

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another paper (or the list changed under it)."""

        paper_list: PaperList
        row: PaperRow | None

        @property
        def control(self) -> PaperList:
            """The widget that sent the message (for ``@on`` selectors)."""
            return self.paper_list

    @dataclass
    class NeedRows(Message):
        """The reader nears the end of the rids loaded so far: send the rest (once per list)."""

        paper_list: PaperList

        @property
        def control(self) -> PaperList:
            """The widget that sent the message (for ``@on`` selectors)."""
            return self.paper_list

    @dataclass
    class Selected(Message):
        """The user opened a paper (enter or double-click)."""

        paper_list: PaperList
        row: PaperRow

        @property
        def control(self) -> PaperList:
            """The widget that sent the message (for ``@on`` selectors)."""
            return self.paper_list

    def __init__(self, loader: RowLoader, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._loader = loader
        self._rids: Sequence[int] = []
        self._total = 0
        self._pending_keep: int | None = None
        self._more_asked = False
        self._drawn = False
        self._cache: dict[int, PaperRow] = {}
        self._last_highlight: int | None = None

    # -- data --------------------------------------------------------------------------

    @property
    def count(self) -> int:
        """Papers in the list (the rids may still be arriving; see ``complete``)."""
        return self._total

    @property
    def has_rows_drawn(self) -> bool:
        """Rows from the store have been rendered (used to time the first useful frame)."""
        return self._drawn

    @property
    def complete(self) -> bool:
        """Whether every rid of the list is loaded (not only its first page)."""
        return len(self._rids) >= self._total

    @property
    def rids(self) -> Sequence[int]:
        """Row keys known so far, in display order."""
        return self._rids

    def set_rids(
        self, rids: Sequence[int], *, total: int | None = None, keep: int | None = None
    ) -> None:
        """Show ``rids`` (display order); keep the cursor on row ``keep`` if still listed.

        ``rids`` may be the first part of a longer result of ``total`` rows: the screen
        paints that at once and hands over the rest with :meth:`complete_rids`.
        """
        if keep is None and self._rids and 0 <= self.cursor < len(self._rids):
            keep = self._rids[self.cursor]
        self._total = len(rids) if total is None else max(total, len(rids))
        self._rids = rids
        self._cache.clear()
        self.virtual_size = Size(self.size.width, self._total)
        index = self._index_of(keep)
        self._pending_keep = keep if index is None and not self.complete else None
        self._more_asked = False
        if self._pending_keep is not None:
            self._ask_for_more()  # only the whole list can say where that paper went
        self._place(index if index is not None else min(self.cursor, max(self._total - 1, 0)))

    def _ask_for_more(self) -> None:
        if not self._more_asked:
            self._more_asked = True
            self.post_message(self.NeedRows(self))

    def complete_rids(self, rids: Sequence[int]) -> None:
        """The whole result, after ``set_rids`` showed its beginning."""
        keep = self._pending_keep
        self._pending_keep = None
        self._rids = rids
        self._total = len(rids)
        self.virtual_size = Size(self.size.width, self._total)
        index = self._index_of(keep)
        if index is not None:
            self._place(index)
        else:
            self.cursor = min(self.cursor, max(self._total - 1, 0))
            self.refresh()

    def _index_of(self, rid: int | None) -> int | None:
        if rid is None:
            return None
        try:
            return self._rids.index(rid)
        except ValueError:
            return None

    def _place(self, index: int) -> None:
        # Keep the cursor at the same height on screen, so new papers arriving above
        # do not make the list jump under the reader's eyes.
        offset = max(self.cursor - int(self.scroll_y), 0)
        self.set_scroll(None, max(0, index - offset))
        self.cursor = index
        self.refresh()

    def refresh_rows(self, rids: Sequence[int] | None = None) -> None:
        """Reload rows whose state changed (read/favourite), all when None, and repaint."""
        if rids is None:
            self._cache.clear()
        else:
            for rid in rids:
                self._cache.pop(rid, None)
        self.refresh()

    def row_at(self, index: int) -> PaperRow | None:
        """The row at list position ``index`` (None outside the loaded rids)."""
        if not self.complete and index >= len(self._rids) - MORE_MARGIN:
            self._ask_for_more()
        if not 0 <= index < len(self._rids):
            return None
        rid = self._rids[index]
        row = self._cache.get(rid)
        if row is None:
            self._load_window(index)
            row = self._cache.get(rid)
        return row

    @property
    def current(self) -> PaperRow | None:
        """The row under the cursor."""
        return self.row_at(self.cursor)

    def _load_window(self, index: int) -> None:
        top = int(self.scroll_y)
        start = max(0, min(index, top) - PREFETCH // 2)
        end = max(index, top + self.size.height) + PREFETCH
        wanted = [rid for rid in self._rids[start:end] if rid not in self._cache]
        if len(self._cache) + len(wanted) > CACHE_LIMIT:
            self._cache.clear()
        self._cache.update(self._loader(wanted))

    # -- cursor ------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        """Keep the cursor on a row."""
        return max(0, min(value, self._total - 1)) if self._total else 0

    def watch_cursor(self, old: int, new: int) -> None:
        """Repaint the two rows, scroll to the cursor, report the new paper."""
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True, immediate=True)
        row = self.current
        rid = row.rid if row else None
        if rid != self._last_highlight:
            self._last_highlight = rid
            self.post_message(self.Highlighted(self, row))

    def action_cursor_down(self) -> None:
        """Move down one paper."""
        self.cursor += 1

    def action_cursor_up(self) -> None:
        """Move up one paper."""
        self.cursor -= 1

    def action_first(self) -> None:
        """Move to the first paper."""
        self.cursor = 0

    def action_last(self) -> None:
        """Move to the last paper."""
        self.cursor = self._total - 1

    def action_page_down(self) -> None:
        """Move down a screenful."""
        step = max(1, self.size.height - 1)
        self.set_scroll(None, min(self.max_scroll_y, self.scroll_y + step))
        self.cursor += step

    def action_page_up(self) -> None:
        """Move up a screenful."""
        step = max(1, self.size.height - 1)
        self.set_scroll(None, max(0, self.scroll_y - step))
        self.cursor -= step

    def action_select(self) -> None:
        """Open the current paper (posts :class:`Selected`)."""
        row = self.current
        if row is not None:
            self.post_message(self.Selected(self, row))

    def move_to(self, index: int) -> None:
        """Put the cursor on list position ``index``."""
        self.cursor = index

    async def _on_click(self, event: events.Click) -> None:
        index = int(self.scroll_y) + event.y
        if 0 <= index < self._total:
            self.cursor = index
            if event.chain >= 2:
                self.action_select()

    def on_resize(self, event: events.Resize) -> None:
        """Keep the virtual size in step with the width."""
        self.virtual_size = Size(event.size.width, self._total)

    # -- rendering ---------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the visible window: one paper, or a placeholder while rids load."""
        index = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        row = self.row_at(index)
        if row is None:
            if index < self._total:  # ids still arriving from the background query
                return Strip(
                    [
                        Segment(
                            set_cell_size("   …", width),
                            base + self.get_component_rich_style("paper-list--meta"),
                        )
                    ]
                )
            return Strip.blank(width, base)
        self._drawn = True
        return Strip(self._segments(row, width, index == self.cursor), width)

    def _segments(self, row: PaperRow, width: int, is_cursor: bool) -> list[Segment]:
        style = self.get_component_rich_style
        base = self.rich_style
        cursor = style("paper-list--cursor") if is_cursor else Style()
        return [
            Segment(cell, base + style(component) + cursor)
            for cell, component in row_cells(row, width)
        ]


def row_cells(row: PaperRow, width: int) -> list[tuple[str, str]]:
    """One list row as (text, component class) pieces exactly ``width`` cells wide.

    Pure, so property tests can throw any text at it. Paper text is cleaned here a
    second time (it was cleaned at ingest) in case an old store holds raw text.
    """
    right = ""
    if row.daily_date:
        right = row.daily_date if width >= 70 else row.daily_date[5:]
    extras: list[str] = []
    if width >= 100 and row.organization:
        extras.append(text.one_line(row.organization, max_len=22))
    if width >= 90 and row.comments:
        extras.append(f"{row.comments} cmt")
    if extras:
        right = " · ".join(extras) + "  " + right
    right = text.one_line(right)
    votes = f"▲{row.upvotes:>4} " if row.upvotes < 10_000 else f"▲{row.upvotes // 1000:>3}k "
    head = [
        (" ● " if not row.read else "   ", "paper-list--marker"),
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
