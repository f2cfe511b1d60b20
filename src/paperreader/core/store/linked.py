"""Linked repos (models, datasets, Spaces citing a paper) in the store, with a refresh age.

The detail pane asks :func:`linked_repos` for a paper: the stored answer if it is
fresh enough, else one request to ``/api/arxiv/{id}/repos`` whose answer replaces the
stored one. Offline, or when the request fails, the stored answer (however old) is
used, or None: "not fetched".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from paperreader.core import clock
from paperreader.core.fulltext.repos import KINDS, LinkedRepo, LinkedRepos, RepoKind

if TYPE_CHECKING:
    from paperreader.core.hf_api import HFClient
    from paperreader.core.store.store import Store

#: Stored linked repos older than this are fetched again when the paper is shown.
REFRESH_AGE = dt.timedelta(days=1)


def save_linked(store: Store, repos: LinkedRepos) -> None:
    """Replace what is stored for ``repos.paper_id``."""
    now = repos.fetched_at or clock.stamp()
    with store.write() as conn:
        conn.execute("DELETE FROM linked_repos WHERE paper_id = ?", [repos.paper_id])
        rows = []
        for kind in KINDS:
            for position, repo in enumerate(repos.of(kind)):
                rows.append(
                    (repos.paper_id, kind, position, repo.name, repo.likes, repo.downloads, now)
                )
        conn.executemany(
            "INSERT INTO linked_repos (paper_id, kind, position, name, likes, downloads, "
            "fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute(
            "INSERT INTO linked_counts (paper_id, fetched_at, models, datasets, spaces) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(paper_id) DO UPDATE SET "
            "fetched_at = excluded.fetched_at, models = excluded.models, "
            "datasets = excluded.datasets, spaces = excluded.spaces",
            [repos.paper_id, now, *(repos.count(k) for k in KINDS)],
        )


def load_linked(store: Store, paper_id: str) -> LinkedRepos | None:
    """The stored linked repos of ``paper_id``; None if they were never fetched."""
    counts_row = store.conn.execute(
        "SELECT fetched_at, models, datasets, spaces FROM linked_counts WHERE paper_id = ?",
        [paper_id],
    ).fetchone()
    if counts_row is None:
        return None
    counts: dict[RepoKind, int] = dict(zip(KINDS, counts_row[1:], strict=True))
    rows = store.conn.execute(
        "SELECT kind, position, name, likes, downloads FROM linked_repos WHERE paper_id = ?",
        [paper_id],
    ).fetchall()
    order = {kind: i for i, kind in enumerate(KINDS)}
    rows = sorted((r for r in rows if r[0] in order), key=lambda r: (order[r[0]], r[1]))
    repos = tuple(
        LinkedRepo(kind, name, likes, downloads) for kind, _, name, likes, downloads in rows
    )
    return LinkedRepos(paper_id, repos, counts, counts_row[0])


def linked_json(store: Store) -> Callable[[str], dict[str, Any]]:
    """For ``list --json``/``show --json``: ``{"linked": …}`` for papers whose linked repos
    were fetched, ``{}`` for the others (looked up one paper at a time, ids read once)."""
    known = {row[0] for row in store.conn.execute("SELECT paper_id FROM linked_counts")}

    def more(paper_id: str) -> dict[str, Any]:
        repos = load_linked(store, paper_id) if paper_id in known else None
        return {} if repos is None else {"linked": repos.to_json()}

    return more


def is_fresh(repos: LinkedRepos, *, now: dt.datetime, max_age: dt.timedelta = REFRESH_AGE) -> bool:
    """True when ``repos`` was fetched less than ``max_age`` before ``now``."""
    fetched = clock.parse_stamp(repos.fetched_at) if repos.fetched_at else None
    return fetched is not None and dt.timedelta(0) <= now - fetched < max_age


async def linked_repos(
    store: Store,
    client: HFClient | None,
    paper_id: str,
    *,
    now: dt.datetime | None = None,
    max_age: dt.timedelta = REFRESH_AGE,
) -> LinkedRepos | None:
    """Fresh stored repos, else fetched and stored ones; stored (or None) when that fails.

    ``client`` None means offline. Network errors are not raised: the detail pane
    then shows what it has.
    """
    from paperreader.core.fulltext.fetch import fetch_repos
    from paperreader.core.hf_api import ApiError

    now = now or clock.now()
    stored = load_linked(store, paper_id)
    if client is None or (stored is not None and is_fresh(stored, now=now, max_age=max_age)):
        return stored
    try:
        fetched = await fetch_repos(client, paper_id, fetched_at=clock.stamp(now))
    except ApiError:
        return stored
    save_linked(store, fetched)
    return fetched
