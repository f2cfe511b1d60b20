"""Applying changes to the store: local edits get stamped, foreign ones win or lose.

Everything here runs inside a write transaction the caller holds (``store.write()``), so a
change and its stamp are stored together or not at all.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from paperreader.core import clock
from paperreader.core.statesync.changes import Change, Field, check_key, check_value, latest, merge
from paperreader.core.statesync.hlc import HybridClock, Stamp, wall_ms
from paperreader.core.store import notes_tags as annot
from paperreader.core.store import state_stamps
from paperreader.core.store.notes_tags import DEFAULTS, NoteTooLong

if TYPE_CHECKING:
    from paperreader.core.store import Store

Edit = tuple[str, Field, Any]
"""(paper id or watch name, field, new value)."""


def clean_edit(key: str, field: Field, value: Any) -> Edit:
    """The edit with its value as stored (tags normalised, note cleaned); ValueError if bad."""
    check_key(key)
    if field == "tags":
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise ValueError(f"tags must be a list, not {value!r:.40}")
        value = annot.normalize_tags(str(v) for v in value)
    elif field == "note":
        value = annot.clean_note(value if value is None else str(value))
    return key, field, check_value(field, value)


def _stored(change: Change) -> Change:
    """A foreign change's value as this store keeps it (hostile text cleaned, over-long cut)."""
    value = change.value
    if change.field == "tags":
        value = annot.normalize_tags(value)
    elif change.field == "note" and value is not None:
        try:
            value = annot.clean_note(value)
        except NoteTooLong:
            value = annot.clean_note(value[: annot.MAX_NOTE])
    return (
        change if value == change.value else Change(change.key, change.field, value, change.stamp)
    )


@functools.lru_cache(maxsize=256)
def _when(ms: int) -> str:
    return clock.stamp(dt.datetime.fromtimestamp(ms / 1000, dt.UTC))


def store_changes(
    store: Store, changes: Sequence[Change], *, journaled: bool, foreign: bool = False
) -> None:
    """Write ``changes`` (already the winners) to the user's tables and their stamps.

    ``foreign`` values (read from journals) are cleaned first; local ones already are.
    """
    state_stamps.save(store, changes, journaled=journaled)
    stored = (_stored(c) if foreign else c for c in changes if c.field != "watch")
    annot.write_values(store, ((c.key, c.field, c.value, _when(c.stamp.ms)) for c in stored))


def _values_now(store: Store, slots: Iterable[tuple[str, Field]]) -> dict[Any, Any]:
    slots = list(slots)
    papers = annot.current_values(store, [k for k, f in slots if f != "watch"])
    watches = state_stamps.load(store, [k for k, f in slots if f == "watch"])
    out: dict[Any, Any] = {}
    for key, field in slots:
        if field == "watch":
            have = watches.get((key, field))
            out[(key, field)] = have[0] if have else None
        else:
            out[(key, field)] = papers.get(key, DEFAULTS)[field]
    return out


def stamp_and_apply(store: Store, edits: Iterable[Edit]) -> list[Change]:
    """Stamp this machine's ``edits`` and store them, queued for its journal.

    Edits that change nothing are dropped (no stamp, no journal line). The clock starts
    after every stamp in the store, read inside the caller's transaction, so edits from
    two processes on one machine are ordered as they were committed.
    """
    wanted: dict[tuple[str, Field], Any] = {}
    for key, field, value in edits:
        key, field, value = clean_edit(key, field, value)
        wanted.pop((key, field), None)
        wanted[(key, field)] = value  # the last edit of a slot wins, in its own place
    if not wanted:
        return []
    mid = state_stamps.machine_id(store)
    wall = wall_ms()  # one reading: the edits of one transaction share it, the counter orders them
    hlc = HybridClock(lambda: wall)
    last = state_stamps.max_stamp(store)
    if last is not None:
        hlc.observe(last)
    now = _values_now(store, wanted)
    changes = [
        Change(key, field, value, Stamp(*hlc.tick(), mid))
        for (key, field), value in wanted.items()
        if now[(key, field)] != value
    ]
    store_changes(store, changes, journaled=False)
    return changes


def apply_incoming(
    store: Store, incoming: Iterable[Change], *, journaled: bool = True
) -> list[Change]:
    """Apply changes read from journals by last writer wins; return the ones that won.

    ``journaled=False`` queues the winners for this machine's journal too (a file
    imported by hand, whose lines the other machines have not seen).
    """
    best = list(latest(incoming).values())
    if not best:
        return []
    current = state_stamps.load(store, {change.key for change in best})
    applied = merge(current, best)
    store_changes(store, applied, journaled=journaled, foreign=True)
    return applied


def seed_unstamped(store: Store) -> int:
    """Stamp marks made without a stamp (before journals existed, or by a write that went
    around the service) and queue them for the journal; returns how many."""
    return state_stamps.seed_unstamped(store, wall_ms())
