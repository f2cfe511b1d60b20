"""RadarCommands: palette entries for watches (open, rename, delete) and the radar keys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from paperreader.ui.key_names import KeyNames, app_keymap

#: (title, help, action on the screen) for the radar's keys; ``{binding_id}`` in a help
#: becomes the key that runs it now.
KEYS: list[tuple[str, str, str]] = [
    (
        "Save search as watch",
        "Save the current search and filters ({save_watch})",
        "radar('save_watch')",
    ),
    (
        "More like this",
        "Papers most like the highlighted one ({more_like})",
        "radar('more_like_this')",
    ),
    (
        "Search all of Hugging Face",
        "Remote search for the search text ({remote})",
        "radar('remote_search')",
    ),
]


class RadarCommands(Provider):
    """The radar's commands, and one open/rename/delete entry per saved watch."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        keys = KeyNames(app_keymap(screen))
        for title, help_text, action in KEYS:
            yield title, help_text.format_map(keys), partial(screen.run_action, action)
        radar = getattr(screen, "radar", None)
        if radar is None:
            return
        for watch in radar.watches:
            name = watch.name
            yield (
                f"Open watch: {name}",
                "List its papers, clear its count",
                partial(radar.open_watch, name),
            )
            yield (
                f"Rename watch: {name}",
                "Give the watch a new name",
                partial(radar.rename_watch, name),
            )
            yield (
                f"Delete watch: {name}",
                "Forget this saved search",
                partial(radar.delete_watch, name),
            )

    async def discover(self) -> Hits:
        """Every command, for the palette's empty search."""
        for title, help_text, run in self._commands():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose title matches ``query`` (fuzzy)."""
        matcher = self.matcher(query)
        for title, help_text, run in self._commands():
            if (score := matcher.match(title)) > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)
