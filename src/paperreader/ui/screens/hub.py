"""The main screen's Hub glue: the links dialog of linked repos, and news after a sync."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paperreader.core.after_sync import AfterSyncReport
from paperreader.ui.widgets.linked_repos import LinkedReposView
from paperreader.ui.widgets.links_dialog import LinksDialog

if TYPE_CHECKING:
    from paperreader.ui.screens.main import MainScreen


def show_links(screen: MainScreen) -> None:
    """L: the models, datasets and Spaces citing the paper shown; enter opens one."""
    views = screen.query(LinkedReposView)
    view = views.first() if views else None
    if view is None or view.paper_id is None:
        return
    links = view.links()
    if not links:
        why = "not fetched (offline)" if view.offline and view.repos is None else "none known"
        screen.notify(f"Models, datasets and Spaces: {why}", timeout=3)
        return

    def opened(url: str | None) -> None:
        if url:
            screen.triage.opener(url)

    screen.app.push_screen(LinksDialog(links, title="On the Hub"), opened)


def after_sync(screen: MainScreen, report: AfterSyncReport) -> None:
    """Re-list a trending list with the new ranking; say what prefetch stored."""
    if report.trending and screen.listing.filter.sort == "trending":
        screen.list_pane.show()
    fetched = report.prefetch
    if fetched is not None and fetched.stored:
        n = len(fetched.stored)
        screen.status.set_note(f"stored {n} full text{'' if n == 1 else 's'} for offline reading")
