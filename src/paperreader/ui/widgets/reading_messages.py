"""What the reading view tells its screen: the reader left, or the position moved.

Their handlers keep the names of nested messages (``on_reading_view_closed``,
``on_reading_view_moved``): the namespace says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from paperreader.core.fulltext.blocks import Position

if TYPE_CHECKING:
    from paperreader.ui.widgets.reading_view import ReadingView


@dataclass
class Closed(Message, namespace="reading_view"):
    """The reader asked to leave the full text (escape)."""

    reading_view: ReadingView

    @property
    def control(self) -> ReadingView:
        """The view that was closed."""
        return self.reading_view


@dataclass
class Moved(Message, namespace="reading_view"):
    """The reading position changed (after a scroll, a jump or a resize)."""

    reading_view: ReadingView
    position: Position
    progress: float

    @property
    def control(self) -> ReadingView:
        """The view that moved."""
        return self.reading_view
