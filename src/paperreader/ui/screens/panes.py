"""Moving focus between the panes of the main screen, and backing out of things.

Tab goes list → detail → filter pane (when shown) and, inside the filter pane, through
every control in turn, so dates, upvotes and keywords are reachable from the keyboard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from paperreader.ui.widgets.filter_pane import FilterPane

if TYPE_CHECKING:
    from paperreader.ui.screens.main import MainScreen

#: Below this width the detail sits under the list (and enter gives it the screen).
SIDE_BY_SIDE = 150
#: From this width the filter pane shows unless the reader hid it.
FILTERS_BY_DEFAULT = 190
#: Panes in tab order (the search box counts as part of the list).
PANES = ("#list", "#detail", "#filters")


def lay_out(screen: MainScreen, width: int) -> None:
    """Stack the detail under the list below ``SIDE_BY_SIDE`` columns; fold the filter
    pane below ``FILTERS_BY_DEFAULT`` unless the reader chose."""
    screen.set_class(width < SIDE_BY_SIDE, "-stacked")
    if not screen.filters_chosen:
        screen.show_filters = width >= FILTERS_BY_DEFAULT
    screen.set_class(not screen.show_filters, "-filters-hidden")


def visible_panes(screen: MainScreen) -> list[str]:
    """The panes tab moves through: the filter pane only while it is shown."""
    return [p for p in PANES if p != "#filters" or screen.show_filters]


def focused_pane(screen: MainScreen) -> str | None:
    """The pane holding the focus, if any."""
    for pane in ("#filters", "#list", "#detail", "#search"):
        widget = screen.query_one(pane)
        if widget.has_focus or widget.has_focus_within:
            return "#list" if pane == "#search" else pane
    return None


def _filter_control(screen: MainScreen, step: int) -> bool:
    """Move through the filter pane's controls; False when stepping out of the pane."""
    focused = screen.focused
    controls = FilterPane.CONTROLS
    current = f"#{focused.id}" if focused is not None and focused.id else ""
    if current not in controls:
        return False
    index = controls.index(current) + step
    if not 0 <= index < len(controls):
        return False
    screen.query_one(controls[index]).focus()
    return True


def cycle(screen: MainScreen, step: int) -> None:
    """Focus the next (``step`` 1) or previous (-1) pane or filter control."""
    if screen.filters.has_focus_within and _filter_control(screen, step):
        return
    panes = visible_panes(screen)
    current = focused_pane(screen)
    index = panes.index(current) if current in panes else 0
    target = panes[(index + step) % len(panes)]
    if target == "#filters":
        focus_filters(screen, last=step < 0)
    else:
        screen.query_one(target).focus()


def focus_filters(screen: MainScreen, *, last: bool = False) -> None:
    """Focus the filter pane's first (or last) control, once its controls exist."""
    if screen.filters.populated:
        screen.query_one(FilterPane.CONTROLS[-1 if last else 0]).focus()
        if not last:  # show the pane from its top once laid out (focus may scroll it)
            screen.call_after_refresh(screen.filters.scroll_home, animate=False)


def back(screen: MainScreen) -> None:
    """Escape: leave the full-screen detail, clear the search, or return to the list."""
    search = screen.list_pane.search_box
    if screen.has_class("-detail-full"):
        screen.remove_class("-detail-full")
        screen.paper_list.focus()
    elif search.has_focus:
        if search.value:
            search.clear_search()
        else:
            screen.paper_list.focus()
    elif screen.filters.has_focus_within or screen.detail.has_focus:
        screen.paper_list.focus()
    elif screen.listing.filter.search:
        search.clear_search()
