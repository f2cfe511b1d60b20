"""ReadingCommands: the reading view's entries in the command palette (ctrl+p).

The palette reaches what the keys do (contents, find, links, the PDF, top and end) and
every section of the paper by name, so a long paper's "Experiments" is a few letters away.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from paperreader.core import text
from paperreader.core.fulltext.blocks import Position
from paperreader.ui.key_names import KeyNames, app_keymap

if TYPE_CHECKING:
    from paperreader.ui.screens.reading import ReadingScreen

#: (title, help, action on the reading view, or on the screen when it starts "screen.");
#: ``{binding_id}`` in a help becomes the key that runs it now.
ACTIONS: list[tuple[str, str, str]] = [
    ("Contents", "The paper's sections; enter jumps to one", "contents"),
    (
        "Find in the paper",
        "Highlight a phrase; {reading_next_match} and {reading_previous_match} step through it",
        "find",
    ),
    ("Links", "The paper's links; enter opens a web link, c copies", "screen.links"),
    ("Open the PDF", "The arXiv PDF in the browser", "screen.pdf"),
    ("Top of the paper", "Back to the first line", "top"),
    ("End of the paper", "The last line (references, appendix)", "bottom"),
]


class ReadingCommands(Provider):
    """The reading view's actions, then "Go to: <section>" for each heading."""

    def _entries(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen: ReadingScreen = self.screen  # type: ignore[assignment]
        view = screen.view
        keys = KeyNames(app_keymap(screen))
        if view is None:
            return [
                (t, h.format_map(keys), partial(screen.run_action, a[7:]))
                for t, h, a in ACTIONS
                if a[:7] == "screen."
            ]
        entries: list[tuple[str, str, Callable[[], object]]] = []
        for title, help_text, action in ACTIONS:
            target = screen if action.startswith("screen.") else view
            entries.append(
                (
                    title,
                    help_text.format_map(keys),
                    partial(target.run_action, action.removeprefix("screen.")),
                )
            )
        for entry in view.document.toc():
            name = text.one_line(entry.text, max_len=80)
            jump = partial(setattr, view, "position", Position(entry.block, 0))
            entries.append((f"Go to: {name}", f"Section (level {entry.level})", jump))
        return entries

    async def discover(self) -> Hits:
        """Every entry, for the palette's empty search."""
        for title, help_text, run in self._entries():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        """Entries whose title matches ``query`` (fuzzy)."""
        matcher = self.matcher(query)
        for title, help_text, run in self._entries():
            if (score := matcher.match(title)) > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)
