"""SearchBox: the search input; it reports the text once typing pauses."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

#: Seconds of quiet after a keystroke before the search runs.
SEARCH_DEBOUNCE = 0.15


class SearchBox(Input):
    """An ``Input`` that posts :class:`Typed` at once and :class:`Search` after a pause.

    ``Typed`` lets the list paint a quick first screenful for every keystroke;
    ``Search`` (after a pause, or on enter) asks for the full, counted, ranked answer.
    """

    @dataclass
    class Typed(Message):
        """The text is now ``value`` (a keystroke; the reader may still be typing)."""

        box: SearchBox
        value: str

        @property
        def control(self) -> SearchBox:
            """The widget that sent the message (for ``@on`` selectors)."""
            return self.box

    @dataclass
    class Search(Message):
        """Search for ``value`` (``submitted``: the reader pressed enter)."""

        box: SearchBox
        value: str
        submitted: bool = False

        @property
        def control(self) -> SearchBox:
            """The widget that sent the message (for ``@on`` selectors)."""
            return self.box

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="/ search titles, abstracts, authors, keywords", id=id)
        self._timer: Timer | None = None

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._cancel()
        value = event.value
        self.post_message(self.Typed(self, value))
        self._timer = self.set_timer(
            SEARCH_DEBOUNCE, lambda: self.post_message(self.Search(self, value))
        )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._cancel()
        self.post_message(self.Search(self, event.value, submitted=True))

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def show_text(self, value: str) -> None:
        """Show ``value`` in the box without searching for it (the list already shows it).

        Setting ``value`` plainly posts Changed, whose debounced search would fire 0.15 s
        later over whatever the reader opened meanwhile (a watch, say); a search still
        waiting on its pause is dropped for the same reason.
        """
        self._cancel()
        with self.prevent(Input.Changed):
            self.value = value

    def clear_search(self) -> None:
        """Empty the box and search for nothing at once."""
        self.show_text("")
        self.post_message(self.Search(self, ""))
