"""FilterPane: views, date range, minimum upvotes, sort and keyword facets.

The pane owns no query logic: it turns its controls into a ``PaperFilter`` and
posts ``FilterPane.Changed``; the screen queries the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from paperreader.core import text
from paperreader.core.models import PaperFilter
from paperreader.core.views import SORT_LABELS, SORTS, VIEW_LABELS, VIEWS, Sort, View
from paperreader.ui.key_names import key
from paperreader.ui.widgets.tag_facets import TagFacets
from paperreader.ui.widgets.watch_list import WatchList

ANY_KEYWORD = "\x00any"
#: Cells a keyword facet may take (the pane is 30 wide: padding and scrollbar aside).
FACET_WIDTH = 24


class FilterPane(VerticalScroll):
    """The left pane. Values are validated here; bad input is flagged, never raised."""

    @dataclass
    class Changed(Message):
        """The user changed a filter control (everything except the search text)."""

        pane: FilterPane
        view: View
        since: str | None
        until: str | None
        min_upvotes: int
        sort: Sort
        keyword: str | None

        @property
        def control(self) -> FilterPane:
            """The widget that sent the message (for ``@on`` selectors)."""
            return self.pane

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._view: View = "all"
        self._sort: Sort = "newest"
        self._facets: list[tuple[str, int]] = []
        self._populated = False
        self._keyword: str | None = None
        self._last: tuple[View, str | None, str | None, int, Sort, str | None] | None = None

    def compose(self) -> ComposeResult:
        """Nothing yet: :meth:`populate` mounts the controls after the first paint."""
        # The controls are mounted by populate() after the first paint: they are a
        # third of the start-up cost, and the list is what the reader looks at first.
        yield from ()

    @property
    def populated(self) -> bool:
        """Whether the controls have been mounted."""
        return self._populated

    async def populate(self) -> None:
        """Mount the controls (once)."""
        if self._populated:
            return
        self._populated = True
        await self.mount_all(self._controls())
        if not self.is_attached:  # the app closed while the controls were mounting
            return
        self.query_one("#views", OptionList).highlighted = VIEWS.index(self._view)
        self.query_one("#sort", OptionList).highlighted = SORTS.index(self._sort)
        self.set_facets(self._facets)

    def _controls(self) -> ComposeResult:
        yield Label(f"Views  ({key(self, 'next_view')} cycles)", classes="pane-title")
        yield OptionList(
            *(Option(VIEW_LABELS[v], id=v) for v in VIEWS),
            id="views",
        )
        yield Label(f"Watches  ({key(self, 'save_watch')} saves)", classes="pane-title")
        yield WatchList(id="watches")
        yield Label(f"Sort  ({key(self, 'cycle_sort')} cycles)", classes="pane-title")
        yield OptionList(*(Option(SORT_LABELS[s], id=s) for s in SORTS), id="sort")
        yield Label("From / to (YYYY-MM-DD)", classes="pane-title")
        yield Input(placeholder="from", id="since", max_length=10)
        yield Input(placeholder="to", id="until", max_length=10)
        yield Label("Minimum upvotes", classes="pane-title")
        yield Input(placeholder="0", id="min-upvotes", type="integer", max_length=6)
        yield Label("Keywords", classes="pane-title")
        yield OptionList(id="keywords")
        yield Label("Your tags", classes="pane-title")
        yield TagFacets(id="tag-facets")

    # -- outside control -------------------------------------------------------------

    def reflect(self, flt: PaperFilter) -> None:
        """Show ``flt``'s view, sort and keyword as chosen (no Changed: it is current)."""
        self._view, self._sort, self._keyword = flt.view, flt.sort, flt.keyword
        self._last = (flt.view, flt.since, flt.until, flt.min_upvotes, flt.sort, flt.keyword)
        if self._populated:
            self.query_one("#views", OptionList).highlighted = VIEWS.index(flt.view)
            self.query_one("#sort", OptionList).highlighted = SORTS.index(flt.sort)

    #: The controls in keyboard order (tab moves through them).
    CONTROLS = (
        "#views",
        "#watches",
        "#sort",
        "#since",
        "#until",
        "#min-upvotes",
        "#keywords",
        "#tag-facets",
    )

    @property
    def sort(self) -> Sort:
        """The sort order shown as chosen."""
        return self._sort

    def set_facets(self, facets: list[tuple[str, int]]) -> None:
        """Offer these (keyword, count) facets."""
        self._facets = facets
        if not self._populated:
            return
        options = self.query_one("#keywords", OptionList)
        options.clear_options()
        options.add_option(Option("any keyword", id=ANY_KEYWORD))
        for keyword, count in facets:
            # One line per facet, never wrapped: the pane is 26 cells wide inside.
            room = FACET_WIDTH - len(f" ({count})")
            name = text.one_line(keyword, max_len=200)
            name = name if len(name) <= room else name[: room - 1] + "…"
            label = f"{name} ({count})"
            options.add_option(Option(label, id=f"kw:{keyword}"))

    # -- events ------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#views")
    def _view_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id in VIEWS:
            self._view = event.option.id
            self._emit()

    @on(OptionList.OptionSelected, "#keywords")
    def _keyword_chosen(self, event: OptionList.OptionSelected) -> None:
        oid = event.option.id or ANY_KEYWORD
        self._keyword = None if oid == ANY_KEYWORD else oid.removeprefix("kw:")
        self._emit()

    @on(OptionList.OptionSelected, "#sort")
    def _sort_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id in SORTS:
            self._sort = event.option.id
            self._emit()

    @on(Input.Submitted, "#since, #until, #min-upvotes")
    @on(Input.Blurred, "#since, #until, #min-upvotes")
    def _controls_changed(self) -> None:
        self._emit()

    def _date(self, input_id: str) -> str | None:
        if not self._populated:
            return None
        widget = self.query_one(input_id, Input)
        raw = widget.value.strip()
        if not raw:
            widget.remove_class("-invalid")
            return None
        try:
            value = dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            widget.add_class("-invalid")
            self.notify(f"{raw!r} is not a date like 2026-01-31; ignored", severity="warning")
            return None
        widget.remove_class("-invalid")
        return value

    def _values(self) -> tuple[View, str | None, str | None, int, Sort, str | None]:
        raw = self.query_one("#min-upvotes", Input).value.strip() if self._populated else ""
        try:
            minimum = max(0, int(raw)) if raw else 0
        except ValueError:
            minimum = 0
        since, until = self._date("#since"), self._date("#until")
        return self._view, since, until, minimum, self._sort, self._keyword

    def _emit(self) -> None:
        values = self._values()
        if values == self._last:
            return  # tabbing through the inputs changes nothing
        self._last = values
        view, since, until, minimum, sort, keyword = values
        self.post_message(
            self.Changed(
                self,
                view=view,
                since=since,
                until=until,
                min_upvotes=minimum,
                sort=sort,
                keyword=keyword,
            )
        )


def apply_change(flt: PaperFilter, change: FilterPane.Changed) -> PaperFilter:
    """``flt`` with the pane's values (the search text is kept)."""
    from dataclasses import replace

    return replace(
        flt,
        view=change.view,
        since=change.since,
        until=change.until,
        min_upvotes=change.min_upvotes,
        sort=change.sort,
        keyword=change.keyword,
    )
