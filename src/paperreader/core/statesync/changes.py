"""One change to the user's state, its journal line, and last-writer-wins merging.

A journal line is one JSON object::

    {"v":1,"id":"2401.00001","field":"read","value":true,"ms":1767225600000,"n":0,"machine":"3f9a1c2b7d4e"}

``id`` is a paper id, or a watch name when ``field`` is ``watch``. A ``null`` value clears
the field (no note, watch removed) and still wins over older values, like any change.
The stamp sits at the end of the line so the last bytes of a line identify it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias, cast, get_args

from paperreader.core.statesync.hlc import Stamp, is_machine_id

FORMAT_VERSION = 1
"""The journal line format this code writes and the newest it reads."""

Field = Literal["read", "favourite", "note", "tags", "watch"]
FIELDS: tuple[Field, ...] = get_args(Field)

Key: TypeAlias = tuple[str, Field]
"""(paper id or watch name, field)."""

State: TypeAlias = Mapping[Key, tuple[Any, Stamp]]
"""What merging needs of the current state: the value and stamp of each (id, field)."""

MAX_KEY = 500
MAX_NOTE = 200_000
MAX_TAG = 200
MAX_TAGS = 1_000
# Stamps beyond these are corrupt, not clocks: the year 6429 in ms, four billion ticks in
# one ms. Refusing them keeps a clock that observes them far from JSON's 2**53 limit.
MAX_MS = 2**47
MAX_COUNTER = 2**32


class BadLine(ValueError):
    """A journal line that can never be understood (skipped and counted)."""


class NewerVersion(ValueError):
    """A journal line written by a newer format version (the file is refused from there)."""

    def __init__(self, version: int) -> None:
        super().__init__(f"format version {version}")
        self.version = version


def check_value(field: str, value: Any) -> Any:
    """Return ``value`` if it suits ``field``; raise ValueError with the reason if not."""
    ok: bool
    if field in ("read", "favourite"):
        ok = isinstance(value, bool)
    elif field == "note":
        ok = value is None or (isinstance(value, str) and len(value) <= MAX_NOTE)
    elif field == "tags":
        ok = (
            isinstance(value, list)
            and len(value) <= MAX_TAGS
            and all(isinstance(t, str) and 0 < len(t) <= MAX_TAG for t in value)
        )
    elif field == "watch":
        ok = value is None or isinstance(value, dict)
    else:
        raise ValueError(f"unknown field {field!r}")
    if not ok:
        raise ValueError(f"bad value for {field}: {value!r:.60}")
    return value


def check_key(key: object) -> str:
    """Return ``key`` if it can be a paper id or watch name; raise ValueError if not."""
    if not isinstance(key, str) or not key or len(key) > MAX_KEY:
        raise ValueError(f"bad id {key!r:.60}")
    return key


def _int(value: object, limit: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < limit:
        raise ValueError(f"bad number {value!r:.30}")
    return value


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# Built once: json.loads/dumps with options build a new decoder/encoder per call.
_DECODER = json.JSONDecoder(parse_constant=_no_constants)
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


@dataclass(frozen=True, slots=True)
class Change:
    """A new value for one field of one paper (or watch), with the stamp that orders it."""

    key: str
    field: Field
    value: Any
    stamp: Stamp

    @property
    def slot(self) -> Key:
        """The (id, field) this change writes."""
        return (self.key, self.field)

    def to_line(self) -> bytes:
        """The journal line for this change, newline included."""
        record = {
            "v": FORMAT_VERSION,
            "id": self.key,
            "field": self.field,
            "value": self.value,
            "ms": self.stamp.ms,
            "n": self.stamp.counter,
            "machine": self.stamp.machine,
        }
        return _ENCODER.encode(record).encode("utf-8") + b"\n"

    @classmethod
    def from_line(cls, line: bytes) -> Change:
        """Parse one journal line; raise NewerVersion or BadLine if it can't be used."""
        try:
            obj = _DECODER.decode(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise BadLine(f"not JSON: {exc}") from None
        if not isinstance(obj, dict):
            raise BadLine("not a JSON object")
        version = obj.get("v")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise BadLine(f"bad format version {version!r:.20}")
        if version > FORMAT_VERSION:
            raise NewerVersion(version)
        # Fields are fixed per version: a new field would come with a new version.
        field, machine = obj.get("field"), obj.get("machine")
        try:
            if field not in FIELDS:
                raise ValueError(f"unknown field {field!r:.30}")
            if not is_machine_id(machine):
                raise ValueError(f"bad machine id {machine!r:.30}")
            ms, counter = _int(obj.get("ms"), MAX_MS), _int(obj.get("n"), MAX_COUNTER)
            stamp = Stamp(ms, counter, cast(str, machine))
            key = check_key(obj.get("id"))
            value = check_value(cast(str, field), obj.get("value"))
        except ValueError as exc:
            raise BadLine(str(exc)) from None
        return cls(key, cast(Field, field), value, stamp)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def beats(value: Any, stamp: Stamp, other_value: Any, other_stamp: Stamp) -> bool:
    """True when (value, stamp) wins over (other_value, other_stamp) under last-writer-wins.

    The later stamp wins. Equal stamps should mean the same change; if two machines were
    given the same id (a copied config) they may not, so the value decides, the same way
    everywhere.
    """
    if stamp != other_stamp:
        return stamp > other_stamp
    return value != other_value and _canonical(value) > _canonical(other_value)


def merge(
    current: MutableMapping[Key, tuple[Any, Stamp]], incoming: Iterable[Change]
) -> list[Change]:
    """Apply ``incoming`` to ``current`` (in place) by last writer wins; return what changed.

    Idempotent and order-independent: applying the same changes again, or in another
    order, or mixed with older ones, ends in the same ``current``. The result holds one
    change per (id, field) that changed: the final winner, in order of first change.
    """
    applied: dict[Key, Change] = {}
    for change in incoming:
        slot = (change.key, change.field)
        have = current.get(slot)
        if have is None or beats(change.value, change.stamp, have[0], have[1]):
            current[slot] = (change.value, change.stamp)
            applied[slot] = change
    return list(applied.values())


def latest(changes: Iterable[Change]) -> dict[Key, Change]:
    """The winning change per (id, field) among ``changes``."""
    best: dict[Key, Change] = {}
    for change in changes:
        have = best.get(change.slot)
        if have is None or beats(change.value, change.stamp, have.value, have.stamp):
            best[change.slot] = change
    return best
