"""Applying an import file to the store: fetch what is missing, then mark it all at once.

:func:`apply_import` takes what :func:`~paperreader.core.statesync.importer.read_import_file`
found. Papers not in the store are fetched first (``/api/papers/{id}``, outside any
transaction); then the fetched papers and every mark, tag and note go into the store in
ONE transaction, so an import is applied whole or not at all. Imports only add: nothing
is unmarked, untagged, and a paper's existing note is kept.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from paperreader.core.models import Paper
from paperreader.core.statesync import applying
from paperreader.core.statesync.applying import Edit
from paperreader.core.statesync.importer import ImportItem, ImportResult
from paperreader.core.statesync.service import journal_changes
from paperreader.core.store import notes_tags as annot

if TYPE_CHECKING:
    from paperreader.core.store import Store

Mode = Literal["favourite", "read"]

# ApiError messages start with the URL; the reason alone groups failures in the report.
_URL = re.compile(r"^\S+ (?:failed after \d+ attempts: |→ )")


@dataclass(frozen=True, slots=True)
class Fetched:
    """What fetching missing papers gave: papers, ids HF does not know, ids that failed."""

    papers: list[Paper] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


Fetch = Callable[[Sequence[str]], Fetched]
"""Fetches papers by id (blocking); see :func:`hf_fetcher`."""


@dataclass(slots=True)
class ImportReport:
    """Where each paper of the file ended up, and how many values changed."""

    format: str
    matched: list[str] = field(default_factory=list)
    """Already in the store: marked."""
    fetched: list[str] = field(default_factory=list)
    """Fetched now, stored and marked."""
    not_found: list[str] = field(default_factory=list)
    """Hugging Face has no such paper: not marked."""
    not_fetched: dict[str, str] = field(default_factory=dict)
    """Not in the store and not fetched (offline, or the request failed): not marked."""
    changed: int = 0
    skipped: list[str] = field(default_factory=list)
    """Parts of the file that were not papers (from the reader)."""
    problem: str | None = None
    """Why the state journal could not be written (the import itself is stored)."""

    def lines(self) -> list[str]:
        """A short report: one line per outcome, then the first few ids left out."""
        marked = len(self.matched) + len(self.fetched)
        out = [
            f"{self.format}: {marked} paper(s) marked ({len(self.matched)} in the store, "
            f"{len(self.fetched)} fetched), {self.changed} value(s) changed"
        ]
        if self.not_found:
            out.append(f"not on Hugging Face ({len(self.not_found)}): {_few(self.not_found)}")
        if self.not_fetched:
            reasons = sorted(set(self.not_fetched.values()))
            out.append(
                f"not fetched ({len(self.not_fetched)}: {'; '.join(reasons)[:200]}): "
                f"{_few(list(self.not_fetched))}; run the import again to retry"
            )
        if self.skipped:
            out.append(f"skipped {len(self.skipped)} part(s) of the file, e.g. {self.skipped[0]}")
        if self.problem:
            out.append(self.problem)
        return out


def _few(ids: list[str], n: int = 8) -> str:
    return ", ".join(ids[:n]) + (f" and {len(ids) - n} more" if len(ids) > n else "")


def apply_import(
    store: Store,
    result: ImportResult,
    *,
    mode: Mode = "favourite",
    tag: str | None = None,
    fetch: Fetch | None = None,
    state_dir: Path | str | None = None,
) -> ImportReport:
    """Mark the file's papers ``mode`` (and ``tag``), fetching missing ones with ``fetch``.

    ``fetch=None`` is offline: papers not in the store are reported, not marked. Marks,
    tags and notes carried by our own JSON export are added too. Raises ValueError for a
    tag that normalises to nothing (before anything is fetched or written).
    """
    extra = annot.normalize_tag(tag) if tag is not None else None
    if tag is not None and extra is None:
        raise ValueError(f"{tag!r} is not a usable tag (letters or digits needed)")
    report = ImportReport(result.format, skipped=list(result.skipped))
    items = {item.arxiv_id: item for item in result.items}
    present = annot.present_ids(store, list(items))
    missing = [pid for pid in items if pid not in present]
    fetched = fetch(missing) if fetch is not None and missing else Fetched()
    got = {paper.id for paper in fetched.papers}
    report.not_found = [pid for pid in missing if pid in fetched.not_found]
    for pid in missing:
        if pid not in got and pid not in fetched.not_found:
            report.not_fetched[pid] = fetched.failed.get(pid, "offline")
    report.matched = [pid for pid in items if pid in present]
    report.fetched = [pid for pid in missing if pid in got]
    marked = report.matched + report.fetched
    with store.write():
        if fetched.papers:
            store.upsert_papers([p for p in fetched.papers if p.id in items])
        now = annot.current_values(store, marked)
        edits = [e for pid in marked for e in _edits(items[pid], mode, extra, now.get(pid))]
        changes = applying.stamp_and_apply(store, edits)
    report.changed = len(changes)
    report.problem = journal_changes(store, changes, state_dir).problem
    return report


def _edits(
    item: ImportItem, mode: Mode, tag: str | None, now: dict[str, object] | None
) -> list[Edit]:
    have = now or annot.DEFAULTS
    edits: list[Edit] = [(item.arxiv_id, mode, True)]
    if item.read:
        edits.append((item.arxiv_id, "read", True))
    if item.favourite:
        edits.append((item.arxiv_id, "favourite", True))
    old_tags = list(have["tags"]) if isinstance(have["tags"], list) else []
    tags = set(old_tags) | set(annot.normalize_tags(item.tags or ())) | ({tag} if tag else set())
    if tags != set(old_tags):
        edits.append((item.arxiv_id, "tags", sorted(tags)))
    if item.note and have["note"] is None:
        edits.append((item.arxiv_id, "note", item.note[: annot.MAX_NOTE]))
    return edits


def hf_fetcher(
    api_url: str, *, token: str | None = None, concurrency: int = 4, max_attempts: int | None = None
) -> Fetch:
    """A :data:`Fetch` over ``/api/papers/{id}``, ``concurrency`` requests at a time."""
    from paperreader.core.hf_api import ApiError, HFClient

    async def fetch_all(ids: Sequence[str]) -> Fetched:
        out = Fetched()
        gate = asyncio.Semaphore(max(1, concurrency))
        async with HFClient(api_url, token=token, max_attempts=max_attempts) as client:

            async def one(pid: str) -> None:
                async with gate:
                    try:
                        out.papers.append(await client.paper(pid))
                    except ApiError as exc:
                        if exc.status == 404:
                            out.not_found.append(pid)
                        else:
                            out.failed[pid] = _URL.sub("", str(exc))[:200]

            await asyncio.gather(*(one(pid) for pid in ids))
        return out

    return lambda ids: asyncio.run(fetch_all(ids))
