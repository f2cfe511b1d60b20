"""ReaderCommands: the reader's entries in the command palette (ctrl+p).

Each entry runs one of the screen's actions by name, so the palette, the keys and
the help screen all reach the same code.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from paperreader.core.views import VIEW_LABELS, VIEWS

#: (title, help, action on the screen)
COMMANDS: list[tuple[str, str, str]] = [
    ("Mark all listed papers read", "Every paper in the current list", "triage('mark_all_read')"),
    ("Sync now", "Fetch new papers from Hugging Face", "app.sync"),
    ("Toggle filter pane", "Show or hide the filters", "toggle_filters"),
    ("Undo", "Take back the last mark or star", "triage('undo')"),
    *(
        (f"View: {VIEW_LABELS[v]}", f"Show {VIEW_LABELS[v].lower()} papers", f"view('{v}')")
        for v in VIEWS
    ),
]


class ReaderCommands(Provider):
    """Palette commands for marks, sync, the filter pane and the views."""

    async def discover(self) -> Hits:
        """Every command, for the palette's empty search."""
        for title, help_text, action in COMMANDS:
            yield DiscoveryHit(title, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose title matches ``query`` (fuzzy)."""
        matcher = self.matcher(query)
        for title, help_text, action in COMMANDS:
            if (score := matcher.match(title)) > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.screen.run_action, action),
                    help=help_text,
                )
