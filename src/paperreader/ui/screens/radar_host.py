"""What the radar's mixins (temporary lists, watches) need from the ``Radar`` they join.

:class:`~paperreader.ui.screens.radar.Radar` sets these attributes and implements these
methods; declaring them once here lets each mixin be type-checked on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import Worker

from paperreader.core.models import PaperRow
from paperreader.core.store import Store

if TYPE_CHECKING:
    from paperreader.ui.screens.main import MainScreen


class RadarHost:
    """The radar's state and helpers shared by its mixins."""

    screen: MainScreen
    store: Store
    path: Path
    """The store file (workers open their own connection to it)."""
    temporary: str
    """The label of a list shown instead of the filter ("Like: …"), or ''."""

    def _in_thread(self, work: Callable[..., None], group: str, **kw: object) -> Worker[None]:
        raise NotImplementedError

    def follow(self, row: PaperRow | None) -> None:
        """Show why ``row`` is listed (the radar's)."""
        raise NotImplementedError
