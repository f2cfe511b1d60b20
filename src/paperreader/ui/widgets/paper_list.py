"""PaperList: the feed, drawn with Textual's line API.

ListView, OptionList and DataTable build every row up front (10-30 s at 100,000
papers). This widget holds only the ordered row keys (``rid`` values, plain ints) of
the current filter and asks the store for the ~40 rows on screen, so opening,
scrolling and re-filtering cost the same at 100,000 papers as at 10. Date-ordered
lists get a heading line before each day (:class:`~paperreader.core.day_lines.DayLines`).

The cursor is a list position (a paper); display lines count headings too. Digits
typed before a move repeat it (``4j``) or pick the position (``12g``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from paperreader.core.day_lines import DayLines
from paperreader.core.list_model import ListModel, RowLoader
from paperreader.core.models import PaperRow
from paperreader.core.row_text import day_heading, row_cells

__all__ = ["PaperList", "RowLoader", "row_cells"]

#: Ask for the rest of a long result this many rows before the loaded part runs out.
MORE_MARGIN = 120
#: Drawn rows kept (a few screenfuls; the key holds the row itself, so marks never go stale).
STRIP_CACHE = 160


class PaperList(ScrollView, can_focus=True):
    """A virtual list of papers: unread marker, star, upvotes, title, date, org/comments."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="cursor_down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="cursor_up"),
        Binding("g,home", "first", "Top (after a count: that paper)", show=False, id="first"),
        Binding("G,end", "last", "Bottom", show=False, id="last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("enter", "select", "Open", show=False, id="open"),
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
        "paper-list--day",
    }

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False, init=False)
    new_above: reactive[int] = reactive(0, init=False)
    """Papers a sync placed above the reader's place since they last went to the top."""

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
        self.model = ListModel(loader)
        self._pending_keep: int | None = None
        self._filling = False
        """The list started empty and the reader has not pressed a key since: papers a
        first sync brings stay in order under a cursor kept at the top (the newest)."""
        self._more_asked = False
        self._drawn = False
        self._last_highlight: int | None = None
        self._typed_count = ""
        self._count = 0
        self._base: Style | None = None
        self._strips: dict[tuple[object, ...], Strip] = {}
        """Drawn rows by everything they show: scrolling one line redraws one row, not
        a screenful (a row costs ~0.2 ms to lay out and style)."""

    # -- data --------------------------------------------------------------------------

    @property
    def count(self) -> int:
        """Papers in the list (the rids may still be arriving; see ``complete``)."""
        return self.model.total

    @property
    def has_rows_drawn(self) -> bool:
        """Rows from the store have been rendered (used to time the first useful frame)."""
        return self._drawn

    @property
    def complete(self) -> bool:
        """Whether every rid of the list is loaded (not only its first page)."""
        return self.model.complete

    @property
    def rids(self) -> Sequence[int]:
        """Row keys known so far, in display order."""
        return self.model.rids

    @property
    def days(self) -> DayLines:
        """Where the days begin and end in the list."""
        return self.model.days

    def set_rids(
        self,
        rids: Sequence[int],
        *,
        total: int | None = None,
        keep: int | None = None,
        headed: bool | None = None,
        live: bool = False,
        top: bool = False,
    ) -> None:
        """Show ``rids`` (display order); keep the cursor on row ``keep`` if still listed.

        ``rids`` may be the first part of a longer result of ``total`` rows: the screen
        paints that at once and hands over the rest with :meth:`complete_rids`. With no
        ``keep``, the paper under the cursor is kept if listed; otherwise the cursor
        goes to the top, except for ``live`` updates (papers arriving from a sync),
        which also count the papers landing above the reader in ``new_above``. ``top``:
        a new answer (another search text), read from its first row.
        """
        before = self.cursor
        if not self.count:
            self._filling = True
        if keep is None and not top and not (live and self._filling):
            keep = self.model.rid_at(self.cursor)
        self.model.replace(rids, len(rids) if total is None else total, headed=headed)
        self._fit_lines()
        index = self.model.index_of(keep)
        self._pending_keep = keep if index is None and not self.complete else None
        self._more_asked = False
        if self._pending_keep is not None:
            self._ask_for_more()  # only the whole list can say where that paper went
        if index is None:
            keep_place = live and not self._filling
            index = min(before, max(self.count - 1, 0)) if keep_place else 0
        elif live and index > before:
            self.new_above += index - before
        self._place(index)

    def set_total(self, total: int) -> None:
        """The rows shown are the first of ``total`` (a count that came after them)."""
        self.model.set_total(total)
        self._fit_lines()
        self.refresh()

    def _ask_for_more(self) -> None:
        if not self._more_asked:
            self._more_asked = True
            self.post_message(self.NeedRows(self))

    def complete_rids(self, rids: Sequence[int]) -> None:
        """The whole result, after ``set_rids`` showed its beginning."""
        keep = self._pending_keep
        self._pending_keep = None
        current = self.model.rid_at(self.cursor)
        self.model.replace(rids, len(rids))
        self._fit_lines()
        index = self.model.index_of(keep if keep is not None else current)
        self._place(index if index is not None else min(self.cursor, max(self.count - 1, 0)))

    def _place(self, index: int) -> None:
        # Keep the cursor at the same height on screen, so new papers arriving above
        # do not make the list jump under the reader's eyes.
        days = self.model.days
        offset = max(days.line_of(self.cursor) - int(self.scroll_y), 0)
        self.set_scroll(None, max(0, days.line_of(index) - offset))
        self.cursor = index
        self.refresh()

    def refresh_rows(self, rids: Sequence[int] | None = None) -> None:
        """Reload rows whose state changed (read/favourite), all when None, and repaint."""
        self.model.forget(rids)
        self.refresh()

    def row_at(self, index: int) -> PaperRow | None:
        """The row at list position ``index`` (None outside the loaded rids)."""
        if not self.complete and index >= len(self.model.rids) - MORE_MARGIN:
            self._ask_for_more()
        top = self.model.days.at(int(self.scroll_y))[0]
        return self.model.row(index, (top, top + self.size.height))

    @property
    def current(self) -> PaperRow | None:
        """The row under the cursor."""
        return self.row_at(self.cursor)

    # -- cursor ------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        """Keep the cursor on a row."""
        return max(0, min(value, self.count - 1)) if self.count else 0

    def watch_cursor(self, old: int, new: int) -> None:
        """Repaint the two rows, scroll to the cursor, report the new paper."""
        days = self.model.days
        self.refresh_line(days.line_of(old))
        self.refresh_line(days.line_of(new))
        line = days.line_of(new)
        top = line - 1 if days.starts and days.at(line - 1) == (new, True) else line
        self.scroll_to_region(
            Region(0, top, 1, line - top + 1), animate=False, force=True, immediate=True
        )
        if new == 0:
            self.new_above = 0
        row = self.current
        rid = row.rid if row else None
        if rid != self._last_highlight:
            self._last_highlight = rid
            self.post_message(self.Highlighted(self, row))

    def on_key(self, event: events.Key) -> None:
        """Digits typed before a move make a count: ``4j`` moves four papers."""
        self._filling = False
        digit = event.character if event.character and event.character.isdigit() else ""
        if digit and (self._typed_count or digit != "0"):
            self._typed_count = (self._typed_count + digit)[-6:]
            event.stop()
            event.prevent_default()
            return
        self._count = int(self._typed_count or 0)
        self._typed_count = ""

    def _steps(self) -> int:
        count, self._count = self._count, 0
        return max(count, 1)

    def action_cursor_down(self) -> None:
        """Move down one paper (a count: that many)."""
        self.cursor += self._steps()

    def action_cursor_up(self) -> None:
        """Move up one paper (a count: that many)."""
        self.cursor -= self._steps()

    def action_first(self) -> None:
        """Move to the first paper (a count: to that position, 1 being the first)."""
        self.cursor = self._steps() - 1

    def action_last(self) -> None:
        """Move to the last paper (a count: to that position)."""
        count, self._count = self._count, 0
        self.cursor = count - 1 if count else self.count - 1

    def action_page_down(self) -> None:
        """Move down a screenful."""
        self._page(1)

    def action_page_up(self) -> None:
        """Move up a screenful."""
        self._page(-1)

    def _page(self, direction: int) -> None:
        step = max(1, self.size.height - 1) * direction
        days = self.model.days
        line = days.line_of(self.cursor) + step
        self.set_scroll(None, max(0, min(self.max_scroll_y, self.scroll_y + step)))
        self.cursor = days.at(max(0, min(line, days.lines - 1)))[0]

    def action_select(self) -> None:
        """Open the current paper (posts :class:`Selected`)."""
        row = self.current
        if row is not None:
            self.post_message(self.Selected(self, row))

    def move_to(self, index: int) -> None:
        """Put the cursor on list position ``index``."""
        self.cursor = index

    async def _on_click(self, event: events.Click) -> None:
        index, heading = self.model.days.at(int(self.scroll_y) + event.y)
        if 0 <= index < self.count and not heading:
            self.cursor = index
            if event.chain >= 2:
                self.action_select()

    def _fit_lines(self) -> None:
        """Make the scrollable height the list's lines, without a layout of the screen.

        Assigning ``virtual_size`` lays the whole screen out again (8-15 ms at 120x40:
        every pane is arranged and redrawn) before a new list can paint, yet only the
        scrollbar depends on it. The scrollbar is updated here; if it has to appear or
        go, its own reactive asks for the layout that needs.
        """
        size = Size(self.size.width, self.model.days.lines)
        if size != self.virtual_size:
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)

    def on_resize(self, event: events.Resize) -> None:
        """Keep the virtual size in step with the width."""
        self.virtual_size = Size(event.size.width, self.model.days.lines)

    # -- rendering ---------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw the lines in ``crop``, working out the widget's base style once for all
        of them (``rich_style`` walks the ancestors' colours: ~0.2 ms a call)."""
        self._base = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._base = None

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the visible window: a day heading, a paper, or a placeholder."""
        index, heading = self.model.days.at(int(self.scroll_y) + y)
        width = self.scrollable_content_region.width
        base = self._base or self.rich_style
        if heading:
            return self._heading(index, width)
        row = self.row_at(index)
        if row is None:
            if index < self.count:  # rids still arriving from the background query
                meta = base + self.get_component_rich_style("paper-list--meta")
                return Strip([Segment("   …".ljust(width)[:width], meta)], width)
            return Strip.blank(width, base)
        self._drawn = True
        model = self.model
        key = (row, width, index == self.cursor, model.headed, model.with_year, base)
        strip = self._strips.get(key)
        if strip is None:
            style = self.get_component_rich_style
            cursor = style("paper-list--cursor") if index == self.cursor else Style()
            cells = row_cells(row, width, show_date=not model.headed, with_year=model.with_year)
            strip = Strip(
                [Segment(cell, base + style(component) + cursor) for cell, component in cells],
                width,
            )
            if len(self._strips) >= STRIP_CACHE:
                self._strips.clear()
            self._strips[key] = strip
        return strip

    def notify_style_update(self) -> None:
        """The theme or CSS changed: rows are drawn again in the new colours."""
        self._strips.clear()
        super().notify_style_update()

    def _heading(self, start: int, width: int) -> Strip:
        day, papers, unread = self.model.heading(start)
        text = day_heading(day, papers, unread, with_year=self.model.with_year, width=width)
        style = (self._base or self.rich_style) + self.get_component_rich_style("paper-list--day")
        return Strip([Segment(text, style)], width)
