"""Models, datasets and Spaces that cite a paper, as ``/api/arxiv/{id}/repos`` lists them.

The answer is ``{"models": [...], "datasets": [...], "spaces": [...]}`` with Hub
listing items. We keep, per kind, how many there are and the top few (by downloads,
then likes; Spaces by likes). Names come from the network: one that is not a plain
``owner/name`` repo id is dropped, so a Hub URL built from it is always well formed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from paperreader.core.models import HF_BASE

RepoKind = Literal["model", "dataset", "space"]
KINDS: tuple[RepoKind, ...] = ("model", "dataset", "space")
_KEYS: dict[RepoKind, str] = {"model": "models", "dataset": "datasets", "space": "spaces"}
_URL_PREFIX: dict[RepoKind, str] = {"model": "", "dataset": "datasets/", "space": "spaces/"}
#: Repos kept per kind; the widget shows fewer.
TOP = 10
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}(?:/[A-Za-z0-9][A-Za-z0-9._-]{0,95})?$")


@dataclass(frozen=True, slots=True)
class LinkedRepo:
    """One repo citing the paper."""

    kind: RepoKind
    name: str
    likes: int | None = None
    downloads: int | None = None

    @property
    def url(self) -> str:
        """The repo's page on the Hub."""
        return f"{HF_BASE}/{_URL_PREFIX[self.kind]}{self.name}"


@dataclass(frozen=True, slots=True)
class LinkedRepos:
    """What cites one paper: the top repos of each kind and how many there are in all."""

    paper_id: str
    repos: tuple[LinkedRepo, ...] = ()
    counts: dict[RepoKind, int] = field(default_factory=dict)
    fetched_at: str | None = None
    """When this was fetched (UTC stamp); None if never."""

    def of(self, kind: RepoKind) -> list[LinkedRepo]:
        """The kept repos of one kind, best first."""
        return [r for r in self.repos if r.kind == kind]

    def count(self, kind: RepoKind) -> int:
        """How many repos of ``kind`` cite the paper (may exceed the ones kept)."""
        return self.counts.get(kind, 0)

    @property
    def total(self) -> int:
        """Repos of every kind."""
        return sum(self.counts.values())

    def to_json(self) -> dict[str, Any]:
        """For ``list --json`` / ``show --json``: counts and the kept repos per kind."""
        out: dict[str, Any] = {"fetched_at": self.fetched_at}
        for kind in KINDS:
            out[_KEYS[kind]] = {
                "count": self.count(kind),
                "top": [
                    {"name": r.name, "likes": r.likes, "downloads": r.downloads, "url": r.url}
                    for r in self.of(kind)
                ],
            }
        return out


def _count(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return max(0, int(value))


def _repo(kind: RepoKind, item: object) -> LinkedRepo | None:
    if not isinstance(item, dict):
        return None
    name = item.get("id") or item.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        return None
    return LinkedRepo(kind, name, _count(item.get("likes")), _count(item.get("downloads")))


def _rank(repo: LinkedRepo) -> tuple[int, int]:
    if repo.kind == "space":
        return (repo.likes or 0, 0)
    return (repo.downloads or 0, repo.likes or 0)


def parse_repos(
    paper_id: str, data: object, *, fetched_at: str | None = None, top: int = TOP
) -> LinkedRepos:
    """Parse the endpoint's answer defensively: a missing or odd list counts as none."""
    if not isinstance(data, dict):
        data = {}
    kept: list[LinkedRepo] = []
    counts: dict[RepoKind, int] = {}
    for kind in KINDS:
        items = data.get(_KEYS[kind])
        if not isinstance(items, list):
            items = []
        parsed = [r for it in items if (r := _repo(kind, it)) is not None]
        counts[kind] = len(parsed)
        kept.extend(sorted(parsed, key=_rank, reverse=True)[:top])
    return LinkedRepos(paper_id, tuple(kept), counts, fetched_at)
