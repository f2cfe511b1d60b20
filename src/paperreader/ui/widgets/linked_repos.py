"""LinkedReposView: the models, datasets and Spaces citing the paper in the detail pane.

Mount it in the detail pane and call :meth:`LinkedReposView.show_paper` whenever the
paper shown changes::

    view = LinkedReposView(store, client_factory=factory, offline=settings.offline)
    view.show_paper(paper_id)          # stored answer at once; fetched if older than a day

What is stored is shown at once. If it is missing or older than the refresh age,
and the reader is online, it is fetched after a short pause (holding j/k through
the list sends no requests) and stored. Offline and never fetched it says "not
fetched (offline)". Clicking a repo opens it on the Hub; :meth:`links` gives the
same list for a keyboard dialog (:class:`~paperreader.ui.widgets.links_dialog.LinksDialog`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.widgets import Static

from paperreader.core import clock, text
from paperreader.core.fulltext.blocks import Link
from paperreader.core.fulltext.repos import KINDS, LinkedRepo, LinkedRepos, RepoKind
from paperreader.core.store import Store
from paperreader.core.store.linked import is_fresh, linked_repos, load_linked
from paperreader.ui.key_names import key

if TYPE_CHECKING:
    from paperreader.core.hf_api import HFClient  # httpx: not at start-up (~80 ms)

#: Repos listed per kind in the pane (the count says how many there are).
SHOWN = 3
#: Seconds the paper must stay shown before its repos are fetched.
FETCH_DELAY = 0.5
_NAMES: dict[RepoKind, str] = {"model": "models", "dataset": "datasets", "space": "Spaces"}


def _short(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if n >= 1_000:
        return f"{n / 1_000:.1f}k"
    return str(n)


def _repo_line(repo: LinkedRepo) -> Text:
    line = Text()
    # The URL travels as style metadata (a click reads it), never as markup.
    line.append(text.one_line(repo.name, max_len=80), style=Style(meta={"repo_url": repo.url}))
    facts = []
    if repo.downloads is not None and repo.kind != "space":
        facts.append(f"↓ {_short(repo.downloads)}")
    if repo.likes is not None:
        facts.append(f"♥ {_short(repo.likes)}")
    if facts:
        line.append("  " + " · ".join(facts), style="dim")
    return line


def render_linked(
    repos: LinkedRepos | None, *, offline: bool, fetching: bool = False, links_key: str = "L"
) -> Text:
    """The block's text: a heading, then each kind with its count and top repos."""
    out = Text()
    out.append("On the Hub", style="bold underline")
    if repos is None:
        state = "not fetched (offline)" if offline else ("fetching…" if fetching else "—")
        out.append(f"\n{state}", style="dim")
        return out
    if not repos.total:
        out.append("\nno models, datasets or Spaces cite this paper", style="dim")
        return out
    for kind in KINDS:
        count = repos.count(kind)
        out.append(f"\n{_NAMES[kind]} ", style="bold")
        out.append(str(count), style="dim")
        shown = repos.of(kind)[:SHOWN]
        for repo in shown:
            out.append("\n  ")
            out.append_text(_repo_line(repo))
        if shown and count > len(shown):
            out.append(f"\n  … {count - len(shown)} more", style="dim")
    out.append(f"\n[{links_key}] ", style="bold")
    out.append("open one on the Hub", style="dim")
    return out


class LinkedReposView(Static):
    """Linked models, datasets and Spaces of the paper shown (see the module docstring)."""

    DEFAULT_CSS = "LinkedReposView { height: auto; }"

    def __init__(
        self,
        store: Store,
        *,
        client_factory: Callable[[], HFClient] | None = None,
        offline: bool = False,
        opener: Callable[[str], None] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__("", id=id)
        self.store = store
        self.client_factory = client_factory
        self.offline = offline or client_factory is None
        self._opener = opener
        self._making: asyncio.Future[HFClient] | None = None
        self.paper_id: str | None = None
        self.repos: LinkedRepos | None = None

    def show_paper(self, paper_id: str | None) -> None:
        """Show ``paper_id``'s linked repos (stored now, refreshed in the background)."""
        if paper_id is not None and paper_id == self.paper_id:
            return  # shown again (a mark changed): keep the answer or the fetch under way
        self.paper_id = paper_id
        self.workers.cancel_group(self, "linked-repos")
        if paper_id is None:
            self.repos = None
            self.update("")
            return
        self.repos = load_linked(self.store, paper_id)
        stale = self.repos is None or not is_fresh(self.repos, now=clock.now())
        self.update(
            render_linked(
                self.repos, offline=self.offline, fetching=stale, links_key=key(self, "hub_links")
            )
        )
        if stale and not self.offline:
            self._refresh(paper_id)

    @work(exclusive=True, group="linked-repos", exit_on_error=False)
    async def _refresh(self, paper_id: str) -> None:
        await asyncio.sleep(FETCH_DELAY)
        if self._making is None:
            assert self.client_factory is not None
            # httpx and its TLS context take ~0.25 s to set up: built in a thread, once,
            # and shielded so a fetch cancelled meanwhile does not lose (or leak) it.
            self._making = asyncio.ensure_future(asyncio.to_thread(self.client_factory))
        client = await asyncio.shield(self._making)
        repos = await linked_repos(self.store, client, paper_id)
        if paper_id == self.paper_id:
            self.repos = repos
            self.update(
                render_linked(repos, offline=self.offline, links_key=key(self, "hub_links"))
            )

    async def on_unmount(self) -> None:
        """Close the HTTP client the fetches shared."""
        if self._making is not None:
            with contextlib.suppress(Exception):  # no client was made: nothing to close
                client = await self._making
                await client.aclose()

    def links(self) -> list[Link]:
        """Every kept repo as a link (for a LinksDialog)."""
        if self.repos is None:
            return []
        return [Link(f"{r.kind}: {r.name}", r.url, 0, True) for r in self.repos.repos]

    def on_click(self, event: events.Click) -> None:
        """A click on a repo name opens it on the Hub."""
        url = event.style.meta.get("repo_url")
        if isinstance(url, str) and text.is_safe_url(url):
            opener = self._opener or getattr(self.app, "open_link", None)
            if opener is not None:
                opener(url)
