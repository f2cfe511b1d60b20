"""The state journal's bookkeeping in the store: stamps, read offsets and the machine id.

Tables come from :mod:`paperreader.core.store.annotation_schema`. Writers take the
connection of a transaction the caller holds (``store.write()``).
"""

from __future__ import annotations

import json
import socket
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from paperreader.core.statesync.changes import FIELDS, Change, Field, Key
from paperreader.core.statesync.hlc import Stamp, is_machine_id, new_machine_id
from paperreader.core.statesync.reading import ReadMark
from paperreader.core.store.reads import chunks

if TYPE_CHECKING:
    from paperreader.core.store import Store

MACHINE_KEY = "state.machine_id"
HOST_KEY = "state.machine_host"

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


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


def max_stamp(conn: sqlite3.Connection) -> tuple[int, int] | None:
    """The latest (ms, counter) the store holds, for a clock to start after."""
    row = conn.execute(
        "SELECT ms, counter FROM state_stamps ORDER BY ms DESC, counter DESC LIMIT 1"
    ).fetchone()
    return (row[0], row[1]) if row else None


def _row(key: str, field: str, value: str, ms: int, counter: int, machine: str) -> Any:
    return (key, field), (json.loads(value), Stamp(ms, counter, machine))


def load(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[Key, tuple[Any, Stamp]]:
    """The stamped value of every field of ``keys``, 500 keys per query."""
    out: dict[Key, tuple[Any, Stamp]] = {}
    for chunk in chunks(list(dict.fromkeys(keys)), 500):
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            "SELECT key, field, value, ms, counter, machine FROM state_stamps "
            f"WHERE key IN ({marks})",
            chunk,
        ):
            slot, have = _row(*row)
            out[slot] = have
    return out


def load_all(conn: sqlite3.Connection) -> dict[Key, tuple[Any, Stamp]]:
    """Every stamped value (the live state compaction keeps lines against)."""
    out: dict[Key, tuple[Any, Stamp]] = {}
    for row in conn.execute("SELECT key, field, value, ms, counter, machine FROM state_stamps"):
        slot, have = _row(*row)
        out[slot] = have
    return out


def save(conn: sqlite3.Connection, changes: Sequence[Change], *, journaled: bool) -> None:
    """Record each change as its slot's winner; ``journaled=False`` queues it for the journal."""
    conn.executemany(
        "INSERT INTO state_stamps (key, field, value, ms, counter, machine, journaled) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key, field) DO UPDATE SET "
        "value = excluded.value, ms = excluded.ms, counter = excluded.counter, "
        "machine = excluded.machine, journaled = excluded.journaled",
        [(c.key, c.field, _ENCODER.encode(c.value), *c.stamp, int(journaled)) for c in changes],
    )


def pending(conn: sqlite3.Connection) -> list[Change]:
    """This machine's changes not yet in its journal, oldest first."""
    out: list[Change] = []
    for key, field, value, ms, counter, machine in conn.execute(
        "SELECT key, field, value, ms, counter, machine FROM state_stamps "
        "WHERE journaled = 0 ORDER BY ms, counter"
    ):
        if field in FIELDS:
            out.append(
                Change(key, cast(Field, field), json.loads(value), Stamp(ms, counter, machine))
            )
    return out


def mark_journaled(conn: sqlite3.Connection, changes: Iterable[Change]) -> None:
    """Note that ``changes`` reached the journal (a slot edited since stays queued)."""
    conn.executemany(
        "UPDATE state_stamps SET journaled = 1 WHERE key = ? AND field = ? "
        "AND ms = ? AND counter = ? AND machine = ?",
        [(c.key, c.field, *c.stamp) for c in changes],
    )


def load_offsets(conn: sqlite3.Connection) -> dict[str, ReadMark]:
    """How far each journal file was read."""
    return {
        row[0]: ReadMark(row[1], row[2], row[3])
        for row in conn.execute("SELECT file, pos, tail_len, tail_hash FROM state_offsets")
    }


def save_offsets(conn: sqlite3.Connection, marks: Mapping[str, ReadMark]) -> None:
    """Replace the offsets (files no longer in the folder are forgotten)."""
    conn.execute("DELETE FROM state_offsets")
    conn.executemany(
        "INSERT INTO state_offsets (file, pos, tail_len, tail_hash) VALUES (?, ?, ?, ?)",
        [(name, *mark) for name, mark in marks.items()],
    )


def counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """(stamped values, values waiting for the journal)."""
    row = conn.execute("SELECT count(*), count(*) FILTER (WHERE journaled = 0) FROM state_stamps")
    total, waiting = row.fetchone()
    return int(total), int(waiting or 0)
