"""The state journal's bookkeeping in the store: stamps, read offsets and the machine id.

Tables come from :mod:`paperreader.core.store.annotation_schema`. Writers expect the
caller to hold ``store.write()``; every SQLite failure comes out as a ``StoreError``.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from paperreader.core.statesync.changes import FIELDS, Change, Field, Key
from paperreader.core.statesync.hlc import Stamp, is_machine_id, new_machine_id
from paperreader.core.statesync.reading import ReadMark
from paperreader.core.store.errors import guarded
from paperreader.core.store.sql import rows_in

if TYPE_CHECKING:
    from paperreader.core.store import Store

MACHINE_KEY = "state.machine_id"
HOST_KEY = "state.machine_host"

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
_COLUMNS = "key, field, value, ms, counter, machine"


def machine_id(store: Store) -> str:
    """This machine's id, made and saved in the store's meta on first use.

    The host name is saved beside it: a store copied to another computer gets a new id
    there, so two machines never append to one journal file.
    """
    host = socket.gethostname()[:200]
    current = store.get_meta(MACHINE_KEY)
    if is_machine_id(current) and store.get_meta(HOST_KEY) == host:
        return cast(str, current)
    fresh = new_machine_id()
    if store.conn.in_transaction:
        _save_machine(store, fresh, host)
    else:
        with store.write():
            again = store.get_meta(MACHINE_KEY)  # another process may have won the race
            if is_machine_id(again) and store.get_meta(HOST_KEY) == host:
                return cast(str, again)
            _save_machine(store, fresh, host)
    return fresh


def _save_machine(store: Store, mid: str, host: str) -> None:
    store.set_meta(MACHINE_KEY, mid)
    store.set_meta(HOST_KEY, host)


@guarded
def max_stamp(store: Store) -> tuple[int, int] | None:
    """The latest (ms, counter) the store holds, for a clock to start after."""
    row = store.conn.execute(
        "SELECT ms, counter FROM state_stamps ORDER BY ms DESC, counter DESC LIMIT 1"
    ).fetchone()
    return (row[0], row[1]) if row else None


def _slot(row: Sequence[Any]) -> tuple[Key, tuple[Any, Stamp]]:
    key, field, value, ms, counter, machine = row
    return (key, field), (json.loads(value), Stamp(ms, counter, machine))


@guarded
def load(store: Store, keys: Iterable[str]) -> dict[Key, tuple[Any, Stamp]]:
    """The stamped value of every field of ``keys``."""
    sql = f"SELECT {_COLUMNS} FROM state_stamps WHERE key IN ({{marks}})"
    return dict(_slot(row) for row in rows_in(store.conn, sql, list(dict.fromkeys(keys))))


@guarded
def load_all(store: Store) -> dict[Key, tuple[Any, Stamp]]:
    """Every stamped value (the live state compaction keeps lines against)."""
    return dict(_slot(row) for row in store.conn.execute(f"SELECT {_COLUMNS} FROM state_stamps"))


@guarded
def save(store: Store, changes: Sequence[Change], *, journaled: bool) -> None:
    """Record each change as its slot's winner; ``journaled=False`` queues it for the journal."""
    store.conn.executemany(
        f"INSERT INTO state_stamps ({_COLUMNS}, journaled) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(key, field) DO UPDATE SET value = excluded.value, ms = excluded.ms, "
        "counter = excluded.counter, machine = excluded.machine, journaled = excluded.journaled",
        [(c.key, c.field, _ENCODER.encode(c.value), *c.stamp, int(journaled)) for c in changes],
    )


@guarded
def pending(store: Store) -> list[Change]:
    """This machine's changes not yet in its journal, oldest first."""
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM state_stamps WHERE journaled = 0 ORDER BY ms, counter"
    )
    return [
        Change(key, cast(Field, field), json.loads(value), Stamp(ms, counter, machine))
        for key, field, value, ms, counter, machine in rows
        if field in FIELDS
    ]


@guarded
def mark_journaled(store: Store, changes: Iterable[Change]) -> None:
    """Note that ``changes`` reached the journal (a slot edited since stays queued)."""
    store.conn.executemany(
        "UPDATE state_stamps SET journaled = 1 WHERE key = ? AND field = ? "
        "AND ms = ? AND counter = ? AND machine = ?",
        [(c.key, c.field, *c.stamp) for c in changes],
    )


@guarded
def load_offsets(store: Store) -> dict[str, ReadMark]:
    """How far each journal file was read."""
    rows = store.conn.execute("SELECT file, pos, tail_len, tail_hash FROM state_offsets")
    return {row[0]: ReadMark(row[1], row[2], row[3]) for row in rows}


@guarded
def save_offsets(store: Store, marks: Mapping[str, ReadMark]) -> None:
    """Replace the offsets (files no longer in the folder are forgotten)."""
    store.conn.execute("DELETE FROM state_offsets")
    store.conn.executemany(
        "INSERT INTO state_offsets (file, pos, tail_len, tail_hash) VALUES (?, ?, ?, ?)",
        [(name, *mark) for name, mark in marks.items()],
    )


@guarded
def counts(store: Store) -> tuple[int, int]:
    """(stamped values, values waiting for the journal)."""
    row = store.conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE journaled = 0) FROM state_stamps"
    ).fetchone()
    return int(row[0]), int(row[1] or 0)


@guarded
def watches(store: Store) -> dict[str, object]:
    """Saved watches synced through the journal: name → definition (removed ones left out)."""
    rows = store.conn.execute(
        "SELECT key, value FROM state_stamps WHERE field = 'watch' AND value != 'null'"
    )
    return {key: json.loads(value) for key, value in rows}


# One INSERT per field: marks without a stamp get one, in SQL (a first merge may have
# tens of thousands of read marks to stamp). Read and favourite marks are stamped with
# the time they were made, notes and tags with now.
_SEED = """
INSERT INTO state_stamps (key, field, value, ms, counter, machine, journaled)
SELECT u.paper_id, '{field}', {value}, COALESCE({when}, :now), 0, :machine, 0
FROM user_state u
WHERE {has} AND NOT EXISTS (
    SELECT 1 FROM state_stamps s WHERE s.key = u.paper_id AND s.field = '{field}'
)
"""
_SECONDS = "CAST(strftime('%s', u.{column}) AS INTEGER) * 1000"
_SEEDS = (
    ("read", "'true'", _SECONDS.format(column="read_at"), "u.read = 1"),
    ("favourite", "'true'", _SECONDS.format(column="favourited_at"), "u.favourite = 1"),
    ("note", "json_quote(u.note)", "NULL", "u.note IS NOT NULL"),
    (
        "tags",
        "json(u.tags)",
        "NULL",
        "json_valid(u.tags) AND json_type(u.tags) = 'array' AND json_array_length(u.tags) > 0",
    ),
)


@guarded
def seed_unstamped(store: Store, now_ms: int) -> int:
    """Stamp marks made without a stamp (before journals existed, or by a write that went
    around the service) and queue them for the journal; returns how many. Caller holds
    write()."""
    before = store.conn.total_changes
    params = {"now": now_ms, "machine": machine_id(store)}
    for field, value, when, has in _SEEDS:
        store.conn.execute(_SEED.format(field=field, value=value, when=when, has=has), params)
    return store.conn.total_changes - before
