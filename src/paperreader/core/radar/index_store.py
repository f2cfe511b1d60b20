"""A store's term index: a cache file, a resident copy, and catching up with the store.

The index is saved as one file per store under ``paths.cache_dir()/radar`` with what
it covers (the newest ``updated_at`` it has seen). A process keeps the index it last
used in memory (about 40 MB at 100,000 papers), so a refresh after a sync reads only
the papers written since; the file is rewritten only after a build step or a large
change, since a process that starts from an older file simply catches up from it.
A missing, old or unreadable file means one build, newest papers first.

Every public function takes :data:`LOCK`: a ``TermIndex`` is not thread-safe, and
the reader may refresh after a sync while "more like this" runs in another worker.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from paperreader.core import clock, paths
from paperreader.core.radar import index_file
from paperreader.core.radar.index import TermIndex
from paperreader.core.store import radar as sql

if TYPE_CHECKING:
    from paperreader.core.store import Store

#: Store meta key naming this store's index file (a random id, made once).
META_STORE_ID = "radar.store_id"
#: Index files not used for this long are deleted (stores that no longer exist).
STALE_SECONDS = 30 * 24 * 3600
#: Papers added or removed since the file was written before it is written again.
SAVE_AFTER = 1000
#: Held while the resident index is read or changed (re-entrant).
LOCK = threading.RLock()


@dataclass(slots=True)
class _State:
    """What an index covers, kept in its file beside it."""

    mark: str
    """The newest ``updated_at`` caught up with ("" before any paper)."""
    edge: set[int]
    """Rids indexed at exactly ``mark`` (a sync stamps all its papers alike)."""
    low: int | None
    """Rids below this are not indexed yet (the build goes newest first); None: all are."""
    unsaved: int = 0
    """Papers added or removed since the file was written."""


@dataclass(slots=True)
class _Resident:
    index: TermIndex
    state: _State
    file: tuple[int, int] | None
    """(mtime_ns, size) of the file when last read or written; another process's
    newer file replaces the resident copy."""


_resident: dict[Path, _Resident] = {}


@dataclass(frozen=True, slots=True)
class IndexUpdate:
    """The caught-up index and what :func:`update_index` did to it."""

    index: TermIndex
    added: int
    removed: int
    rebuilt: bool
    complete: bool
    """False while older papers are still to be indexed (call again to go on)."""


def index_path(store: Store) -> Path:
    """The cache file of ``store``'s term index."""
    return paths.cache_dir() / "radar" / f"terms-{_store_id(store)}.idx"


def _store_id(store: Store) -> str:
    sid = store.get_meta(META_STORE_ID)
    if sid is None:
        with store.write():
            sid = store.get_meta(META_STORE_ID)  # another process may have just made one
            if sid is None:
                sid = uuid.uuid4().hex
                store.set_meta(META_STORE_ID, sid)
    return sid


def forget() -> None:
    """Drop the resident indexes (memory back; the next use reads the file)."""
    with LOCK:
        _resident.clear()


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _load(path: Path) -> _Resident | None:
    """The resident index if the file has not changed under it, else the file's."""
    file = _signature(path)
    held = _resident.get(path)
    if held is not None and held.file == file:
        return held
    try:
        with path.open("rb") as fh:
            index, extra = index_file.load_with_extra(fh)
        mark, edge, low = extra["mark"], extra["edge"], extra["low"]
        if isinstance(mark, str) and isinstance(edge, list) and isinstance(low, int | None):
            return _Resident(index, _State(mark, {int(r) for r in edge}, low), file)
    except (OSError, ValueError, TypeError, KeyError):
        pass  # missing, old or damaged: build afresh
    return None


def _save(path: Path, held: _Resident) -> None:
    folder = paths.ensure_private_dir(path.parent)
    state = held.state
    extra = {"mark": state.mark, "edge": sorted(state.edge), "low": state.low}
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".terms-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            index_file.save(held.index, fh, extra=extra)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old or the new file
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    held.file, state.unsaved = _signature(path), 0
    now = clock.wall_now().timestamp()  # compared with file mtimes: the real clock
    for other in folder.glob("terms-*.idx"):
        with contextlib.suppress(OSError):
            if other != path and now - other.stat().st_mtime > STALE_SECONDS:
                other.unlink()


def update_index(store: Store, *, max_new: int | None = None) -> IndexUpdate:
    """The store's term index, caught up with the store.

    1. Papers written at or after the ``mark`` are (re-)indexed, except those indexed
       at exactly that stamp: a sync stamps all its papers alike, so ``>`` alone could
       miss the rest of a sync still running. Then indexed rids the store no longer
       has (papers moved to another day's rid) are removed.
    2. A new index is built newest paper first, at most ``max_new`` papers a call,
       so a first "For you" over recent papers comes quickly; later calls go on.
    """
    path = index_path(store)
    with LOCK:
        held = _load(path)
        rebuilt = held is None
        if held is None:
            mark = sql.newest_update(store) or ""
            edge = {r for r, stamp in sql.updated_since(store, mark) if stamp == mark}
            held = _Resident(TermIndex(), _State(mark, edge if mark else set(), 1 << 62), None)
        _resident[path] = held
        added, removed = _catch_up(store, held.index, held.state)
        building = held.state.low is not None
        if building:
            added += _build(store, held.index, held.state, max_new)
        held.state.unsaved += added + removed
        if rebuilt or (building and held.state.low is None) or held.state.unsaved >= SAVE_AFTER:
            _save(path, held)
        return IndexUpdate(held.index, added, removed, rebuilt, held.state.low is None)


def _catch_up(store: Store, index: TermIndex, state: _State) -> tuple[int, int]:
    changed = [(r, s) for r, s in sql.updated_since(store, state.mark) if r not in state.edge]
    if not changed:
        return 0, 0
    added = index.add(sql.paper_texts(store, [rid for rid, _ in changed]))
    newest = max(s for _, s in changed)
    if newest != state.mark:
        state.mark, state.edge = newest, set()
    state.edge.update(r for r, s in changed if s == newest)
    # Only a write can move a paper to another rid, and every write is "changed".
    live = set(sql.all_rids(store))
    removed = index.remove([rid for rid in list(index.rids()) if rid not in live])
    return added, removed


def _build(store: Store, index: TermIndex, state: _State, max_new: int | None) -> int:
    assert state.low is not None
    added, budget = 0, max_new if max_new is not None else 1 << 62
    for page in sql.paper_text_pages(store, below=state.low):
        docs = page[: max(budget, 0)]
        added += index.add(docs)
        budget -= len(docs)
        if docs:
            state.low = docs[-1].rid
        if budget <= 0:
            return added
    state.low = None
    index.reweigh()  # the newest papers were weighed before the oldest came
    return added
