"""What the detail pane shows below a paper's own text: where a search matched its full
text, and the models, datasets and Spaces citing it.

Each part has ``show_paper(paper_id)``, which the detail pane calls whenever it shows a
paper (or None). :func:`detail_extras` builds the parts for the reader's settings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from paperreader.core.config import Settings
from paperreader.core.store import Store, StoreError
from paperreader.core.store.body_search import BodyHit, body_hit
from paperreader.ui.key_names import key
from paperreader.ui.widgets.linked_repos import LinkedReposView

if TYPE_CHECKING:
    from paperreader.core.hf_api import HFClient


class DetailPart(Protocol):
    """A block of the detail pane that follows the paper shown."""

    def show_paper(self, paper_id: str | None) -> None:
        """Show what belongs to ``paper_id`` (None: nothing)."""


def render_hit(hit: BodyHit, read_key: str = "w") -> Text:
    """``In the full text · §Method`` and the snippet; every piece of paper text literal."""
    out = Text()
    out.append("In the full text", style="bold underline")
    if hit.section:
        out.append(f"  § {hit.section}", style="dim")
    out.append("\n")
    out.append(hit.snippet, style="italic")
    out.append("\n")
    out.append(f"[{read_key}] ", style="bold")
    out.append("read the whole paper", style="dim")
    return out


class BodyMatchView(Static):
    """Where the current search matched the paper's stored full text (hidden otherwise)."""

    DEFAULT_CSS = "BodyMatchView { height: auto; margin-bottom: 1; }"

    def __init__(self, store: Store, search: Callable[[], str], *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.store = store
        self._search = search
        self.hit: BodyHit | None = None
        self.display = False

    def show_paper(self, paper_id: str | None) -> None:
        """Show the match for ``paper_id`` under the search the list shows, if any."""
        search = self._search()
        hit = None
        if paper_id is not None and search.strip():
            try:
                hit = body_hit(self.store, paper_id, search)
            except StoreError:
                hit = None  # the detail itself reports store trouble; this block just hides
        self.hit = hit
        self.display = hit is not None
        self.update(render_hit(hit, key(self, "read_full_text")) if hit is not None else "")


def detail_extras(store: Store, settings: Settings, search: Callable[[], str]) -> list[Widget]:
    """The detail pane's extra blocks: the full-text match, then the linked repos.

    Linked repos are fetched only online; offline and in the demo they say
    "not fetched (offline)" unless they were stored earlier.
    """

    def client() -> HFClient:
        from paperreader.core.hf_api import client_for  # httpx: only once a fetch is made

        return client_for(settings)

    offline = settings.offline or settings.demo
    return [
        BodyMatchView(store, search, id="body-match"),
        LinkedReposView(store, client_factory=None if offline else client, id="linked-repos"),
    ]
