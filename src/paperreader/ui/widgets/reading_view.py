"""ReadingView: a paper's full text, full-screen, painted with Textual's line API.

Textual's ``Markdown`` widget builds one child widget per block (0.8 s for a
12k-word paper, 4 s for 40k). This widget holds the paper as data
(:class:`~paperreader.core.fulltext.document.Document`) and asks a
:class:`~paperreader.core.fulltext.layout.Layout` for the ~40 lines on screen, so
opening costs the same at any length. The rest of the paper is parsed and laid
out in small steps between key presses; a resize keeps showing the old layout
until the new one has reached the reading position.

Keys: j/k/arrows line, space/page down, page up/b, g/home, G/end, / find with
n/N, t contents, escape (clears a search first, then posts :class:`Closed`).
"""

from __future__ import annotations

import time

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from paperreader.core.fulltext.blocks import Position
from paperreader.core.fulltext.document import Document
from paperreader.core.fulltext.finder import Finder
from paperreader.core.fulltext.layout import Layout
from paperreader.core.fulltext.paint import ROLES
from paperreader.ui.widgets import reading_messages
from paperreader.ui.widgets.reading_dialogs import ContentsDialog, FindDialog
from paperreader.ui.widgets.reading_styles import READING_CSS, component, palette

#: Background layout works in slices this long (seconds) so keys stay responsive.
STEP_BUDGET = 0.003
STEP_PAUSE = 0.01
LAYOUTS_KEPT = 3
#: Blank columns left and right of the text (drawn here: CSS padding costs per line).
MARGIN = 1
#: The longest line the text is laid out to: wider terminals centre it (lines of ~190
#: characters at 200 columns are hard to follow back to the next line's start).
MEASURE = 100


class ReadingView(ScrollView, can_focus=True):
    """The full text of one paper: scroll, find, table of contents, reading position."""

    BINDINGS = [
        # Ids make them remappable and listed on the help screen.
        Binding("j,down", "scroll_lines(1)", "Down a line", show=False, id="reading_down"),
        Binding("k,up", "scroll_lines(-1)", "Up a line", show=False, id="reading_up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="reading_page_down"),
        Binding("pageup,b", "page(-1)", "Page up", show=False, id="reading_page_up"),
        Binding("g,home", "top", "Top of the paper", show=False, id="reading_top"),
        Binding("G,end", "bottom", "End of the paper", show=False, id="reading_bottom"),
        Binding("slash", "find", "Find", tooltip="Find in the paper", id="reading_find"),
        Binding("n", "next_hit(1)", "Next match", show=False, id="reading_next_match"),
        Binding("N", "next_hit(-1)", "Previous match", show=False, id="reading_previous_match"),
        Binding(
            "t",
            "contents",
            "Contents",
            tooltip="Contents: jump to a section",
            id="reading_contents",
        ),
        Binding(
            "escape", "close", "Close", tooltip="Clear the find, then back", id="reading_close"
        ),
    ]
    COMPONENT_CLASSES = {component(role) for role in ROLES}
    DEFAULT_CSS = READING_CSS

    Closed = reading_messages.Closed
    Moved = reading_messages.Moved

    def __init__(
        self,
        paper: str | Document,
        *,
        position: Position | None = None,
        id: str | None = None,
    ) -> None:
        """Show ``paper`` (Markdown text or a parsed document), opening at ``position``."""
        super().__init__(id=id)
        self.document = paper if isinstance(paper, Document) else Document(paper)
        self._layouts: dict[int, Layout] = {}
        self._layout: Layout | None = None
        self._pending: tuple[Layout, Position] | None = None
        self._start = position
        self._strips: dict[int, Strip] = {}
        self._styles: dict[str, Style] | None = None
        self._base_style: Style | None = None
        self._restyle = False
        self._finder = Finder()
        self._working = False
        self.painted = False
        """True once a line of the paper has been rendered (for timing the first paint)."""

    # -- layout management -------------------------------------------------------------

    def _palette_styles(self) -> dict[str, Style]:
        if self._styles is None:
            self._styles = palette(self)
        return self._styles

    def _text_width(self) -> int:
        return max(1, min(MEASURE, self.scrollable_content_region.width - 2 * MARGIN))

    def _layout_for(self, width: int) -> Layout:
        layout = self._layouts.get(width)
        if layout is None:
            busy = {self._layout, self._pending[0] if self._pending else None}
            spare = [w for w, kept in self._layouts.items() if kept not in busy]
            if len(self._layouts) >= LAYOUTS_KEPT and spare:
                del self._layouts[spare[0]]
            layout = Layout(self.document, width, self._palette_styles())
            self._layouts[width] = layout
        return layout

    @property
    def text_layout(self) -> Layout:
        """The layout on screen (created for the current width on first use)."""
        if self._layout is None:
            self._layout = self._layout_for(self._text_width())
            self._sync_size()
            if self._start is not None:
                self._scroll_to_line(self._layout.line_of(self._start), top=True)
        return self._layout

    def _sync_size(self, at_least: int = 0) -> None:
        layout = self.text_layout
        if at_least:
            layout.ensure_line(at_least)
        height = layout.estimated_lines()
        if height != self.virtual_size.height or layout.width != self.virtual_size.width:
            self.virtual_size = Size(layout.width, height)

    def on_resize(self, event: events.Resize) -> None:
        """Lay out for the new width; swap once it reaches the reading position."""
        width = self._text_width()
        if self._layout is None:
            self.text_layout  # noqa: B018 - first size known: lay out the first screen now
            return
        if width == self._layout.width:
            return
        position = self._pending[1] if self._pending else self.position
        self._pending = (self._layout_for(width), position)
        self._advance_pending(time.perf_counter() + STEP_BUDGET)
        self._schedule()

    def _advance_pending(self, deadline: float) -> None:
        if self._pending is None:
            return
        layout, position = self._pending
        while layout.laid_blocks <= position.block and time.perf_counter() < deadline:
            if not layout.extend(1):
                break
        if layout.laid_blocks > position.block or layout.complete:
            self._pending = None
            self._layout = layout
            self._strips.clear()
            self._sync_size()
            self._scroll_to_line(layout.line_of(position), top=True)
            self.refresh()

    def _schedule(self) -> None:
        if not self._working:
            self._working = True
            self.set_timer(STEP_PAUSE, self._step)

    def _step(self) -> None:
        """One slice of background work: a pending resize first, then the rest of the paper."""
        self._working = False
        deadline = time.perf_counter() + STEP_BUDGET
        self._advance_pending(deadline)
        layout = self.text_layout
        more = self._pending is not None
        if not more:
            while time.perf_counter() < deadline and layout.extend(1):
                pass
            more = not layout.complete
            if not more:
                self._sync_size()
        if more:
            self._schedule()

    # -- painting ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Paint one visible row from the layout (only visible rows are ever asked for)."""
        index = int(self.scroll_y) + y
        strip = self._strips.get(index)
        if strip is None:
            if self._restyle:
                self._check_styles()
            base = self._base_style
            if base is None:
                base = self._base_style = self.rich_style
            width = self.scrollable_content_region.width
            layout = self.text_layout
            left = max(MARGIN, (width - layout.width) // 2)
            segments = [Segment(" " * left, base), *layout.line(index)]
            strip = Strip(segments).apply_style(base).crop_extend(0, width, base)
            if len(self._strips) > 400:
                self._strips.clear()
            self._strips[index] = strip
            if not self.painted:
                self.painted = True
                self.call_after_refresh(self._schedule)
        return strip

    def notify_style_update(self) -> None:
        """Styles were (re)applied (theme change, focus…): recheck them at the next paint.

        Component styles are not final yet when this runs, so the check waits.
        """
        super().notify_style_update()
        self._base_style = None
        self._strips.clear()
        self._restyle = True

    def _check_styles(self) -> None:
        self._restyle = False
        old, self._styles = self._styles, None
        if old is not None and self._palette_styles() != old:
            for layout in self._layouts.values():
                layout.set_styles(self._styles)

    # -- reading position ----------------------------------------------------------------

    @property
    def position(self) -> Position:
        """Where the reader is: (block, offset) at the top of the screen; survives resizes."""
        if self._layout is None:
            return self._start or Position(0, 0)
        return self._layout.position_of(int(self.scroll_y))

    @position.setter
    def position(self, value: Position) -> None:
        if self._layout is None:
            self._start = value
        else:
            self._scroll_to_line(self.text_layout.line_of(value), top=True)

    @property
    def progress(self) -> float:
        """How far through the paper the reader is, in percent."""
        layout = self._layout
        if layout is not None and layout.complete and self.scroll_y >= self.max_scroll_y:
            return 100.0
        return self.document.progress(self.position)

    def _scroll_to_line(self, line: int, *, top: bool = False) -> None:
        height = self.scrollable_content_region.height
        self._sync_size(at_least=line + height)
        y = float(line)
        if not top:  # a match: leave a little context above it, only scroll if off-screen
            if self.scroll_y <= line < self.scroll_y + height:
                return
            y = max(0, line - height // 3)
        self.scroll_to(y=y, animate=False, immediate=True)

    def watch_scroll_y(self, old: float, new: float) -> None:
        """Repaint and tell the screen where the reader is."""
        super().watch_scroll_y(old, new)
        if self._layout is not None and round(old) != round(new):
            self.post_message(self.Moved(self, self.position, self.progress))

    # -- actions -------------------------------------------------------------------------

    def action_scroll_lines(self, step: int) -> None:
        """j/k: one line down or up."""
        self._move_to(self.scroll_y + step)

    def action_page(self, step: int) -> None:
        """Space/page down, page up: a screen less one line of context."""
        self._move_to(self.scroll_y + step * max(1, self.scrollable_content_region.height - 1))

    def _move_to(self, y: float) -> None:
        height = self.scrollable_content_region.height
        if y + height > self.virtual_size.height - 1:
            self._sync_size(at_least=int(y) + 2 * height)
        self.scroll_to(y=max(0.0, y), animate=False, immediate=True)

    def action_top(self) -> None:
        """g/home: the beginning of the paper."""
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_bottom(self) -> None:
        """G/end: the end of the paper (finishes the layout first)."""
        layout = self.text_layout
        layout.ensure_line(1 << 62)
        self._sync_size()
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def action_find(self) -> None:
        """/: ask for text to find."""
        self.app.push_screen(FindDialog(self._finder.query), self._found)

    def _found(self, query: str | None) -> None:
        if query is not None and not self.find(query) and query.strip():
            self.notify("Not found in this paper.", severity="warning", timeout=3)

    def find(self, query: str) -> int:
        """Highlight ``query`` and jump to the first match at or after the reading position.

        Returns the number of matches (0 clears the highlight).
        """
        found = self._finder.search(self.document, query, self.position)
        self._mark()
        return found

    @property
    def hits(self) -> tuple[int, int]:
        """(current match number from 1, number of matches); (0, 0) without a search."""
        return self._finder.counts

    def action_next_hit(self, step: int) -> None:
        """n/N: the next or previous match, wrapping around."""
        if self._finder.step(step) is not None:
            self._mark()

    def _mark(self) -> None:
        """Highlight the matches, and scroll to the current one."""
        for layout in self._layouts.values():
            layout.set_marks(self._finder.pattern, self._finder.current)
        self._strips.clear()
        self.refresh()
        if (hit := self._finder.current) is not None:
            self._scroll_to_line(self.text_layout.line_of(Position(hit.block, hit.offset)))
        # The match count changes even when the match is already on screen (no scroll).
        self.post_message(self.Moved(self, self.position, self.progress))

    def action_contents(self) -> None:
        """t: the table of contents; choosing a heading jumps to it."""
        entries = self.document.toc()
        section = self.document.section_of(self.position.block)
        current = next(
            (i for i, e in enumerate(entries) if section and e.block == section.block), None
        )
        self.app.push_screen(ContentsDialog(entries, current), self._jump_to_block)

    def _jump_to_block(self, block: int | None) -> None:
        if block is not None:
            self.position = Position(block, 0)

    def action_close(self) -> None:
        """Escape: clear an active search first, otherwise ask to leave."""
        if self._finder.hits:
            self._finder.clear()
            self._mark()
            return
        self.post_message(self.Closed(self))
