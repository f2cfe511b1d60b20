"""TagFacets: the reader's tags with their paper counts, in the filter pane.

Choosing a tag (enter, or a click) posts :class:`TagFacets.Chosen`; the screen lists the
papers carrying it (``PaperFilter.tag``). "any tag" clears it. Tags are the reader's own
text: every label is plain text, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.dom import DOMNode
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from paperreader.core import text
from paperreader.core.store import Store
from paperreader.core.store import notes_tags as annot

ANY_TAG = "\x00any-tag"
#: Cells a facet may take (the filter pane is 30 wide: padding and scrollbar aside).
FACET_WIDTH = 24


class TagFacets(OptionList):
    """ "any tag", then ``#tag (count)`` for the most used tags."""

    @dataclass
    class Chosen(Message):
        """The reader picked a tag (None: any tag)."""

        facets: TagFacets
        tag: str | None

        @property
        def control(self) -> TagFacets:
            """The widget that sent the message (for ``@on`` selectors)."""
            return self.facets

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tag: str | None = None
        self._facets: list[tuple[str, int]] = []

    def on_mount(self) -> None:
        """Offer "any tag" until the counts arrive."""
        self.set_facets(self._facets)

    def set_facets(self, facets: Sequence[tuple[str, int]]) -> None:
        """Offer these (tag, count) facets, keeping the chosen one highlighted."""
        self._facets = list(facets)
        self.clear_options()
        self.add_option(Option(Content("any tag"), id=ANY_TAG))
        for tag, count in self._facets:
            room = FACET_WIDTH - len(f" ({count})") - 1
            name = text.one_line(tag, max_len=200)
            name = name if len(name) <= room else name[: room - 1] + "…"
            self.add_option(Option(Content(f"#{name} ({count})"), id=f"tag:{tag}"))
        self.reflect(self.tag)

    def reflect(self, tag: str | None) -> None:
        """Show ``tag`` as the chosen one (no message)."""
        self.tag = tag
        oid = ANY_TAG if tag is None else f"tag:{tag}"
        try:
            self.highlighted = self.get_option_index(oid)
        except Exception:  # a tag no paper carries any more: leave the highlight alone
            pass

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        oid = event.option.id or ANY_TAG
        self.tag = None if oid == ANY_TAG else oid.removeprefix("tag:")
        self.post_message(self.Chosen(self, self.tag))


def refresh_tag_facets(root: DOMNode, store: Store) -> None:
    """Recount the tags shown by every ``TagFacets`` under ``root`` (none mounted: nothing)."""
    found = list(root.query(TagFacets))
    if found:
        facets = annot.tag_facets(store)
        for widget in found:
            widget.set_facets(facets)
