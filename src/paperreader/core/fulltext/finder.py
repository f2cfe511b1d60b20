"""Find in a paper: the matches of one query and which of them is current.

Kept apart from the reading widget so the stepping rules (start at the reading position,
wrap around) are plain data, testable without a screen.
"""

from __future__ import annotations

import re

from paperreader.core.fulltext.blocks import Hit, Position
from paperreader.core.fulltext.document import Document, search_pattern


class Finder:
    """The current query's matches in one document, and the one being shown."""

    def __init__(self) -> None:
        self.query = ""
        self.hits: list[Hit] = []
        self.index = -1

    def search(self, document: Document, query: str, here: Position) -> int:
        """Find ``query``; the current match is the first at or after ``here``. Returns the
        number of matches."""
        self.query = query
        self.hits = document.find(query)
        self.index = next(
            (i for i, h in enumerate(self.hits) if (h.block, h.offset) >= tuple(here)), 0
        )
        return len(self.hits)

    def step(self, step: int) -> Hit | None:
        """Move to the next (1) or previous (-1) match, wrapping around."""
        if not self.hits:
            return None
        self.index = (self.index + step) % len(self.hits)
        return self.current

    def clear(self) -> None:
        """Forget the query."""
        self.query, self.hits, self.index = "", [], -1

    @property
    def current(self) -> Hit | None:
        """The match being shown, if any."""
        return self.hits[self.index] if self.hits else None

    @property
    def pattern(self) -> re.Pattern[str] | None:
        """What to highlight: None without matches."""
        return search_pattern(self.query) if self.hits else None

    @property
    def counts(self) -> tuple[int, int]:
        """(current match number from 1, number of matches); (0, 0) without a search."""
        return (self.index + 1, len(self.hits)) if self.hits else (0, 0)
