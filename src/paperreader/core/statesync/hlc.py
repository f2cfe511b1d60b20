"""Stamps for changes: a hybrid logical clock and the machine ids that break its ties."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import NamedTuple

from paperreader.core import clock

#: A machine id names its journal file, so it must be a safe, short file name.
_MACHINE_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MS = dt.timedelta(milliseconds=1)


def new_machine_id() -> str:
    """A fresh random machine id (12 hex digits). Generate once; the caller persists it."""
    return uuid.uuid4().hex[:12]


def is_machine_id(value: object) -> bool:
    """True when ``value`` can be a machine id (1–64 letters, digits, ``_`` or ``-``)."""
    return isinstance(value, str) and _MACHINE_ID.match(value) is not None


class Stamp(NamedTuple):
    """When a change was made: wall milliseconds, a counter, and the machine that made it.

    Tuples compare field by field, so every machine orders the same two stamps the same
    way; the machine id only decides between machines whose clocks gave equal (ms, counter).
    """

    ms: int
    counter: int
    machine: str


def wall_ms() -> int:
    """The program's wall clock (:func:`paperreader.core.clock.now`) in ms since the epoch.

    Goes through the one clock so a pinned ``PAPERREADER_TODAY`` pins journal stamps too.
    """
    return (clock.now() - _EPOCH) // _MS


class HybridClock:
    """A hybrid logical clock: follows the wall clock, never goes backwards.

    ``tick`` returns ``max(wall, last)`` and bumps a counter while the wall clock stands
    still or runs behind what was already seen. ``observe`` folds in stamps from other
    machines, so an edit made after seeing a change is always stamped later than that
    change, whatever the two wall clocks say. The wall source is injectable (tests pin it).
    """

    def __init__(self, wall: Callable[[], int] = wall_ms) -> None:
        self._wall = wall
        self._ms = 0
        # -1 so that a wall clock pinned at 0 still yields (0, 0) first.
        self._counter = -1

    @property
    def last(self) -> tuple[int, int]:
        """The latest (ms, counter) issued or observed."""
        return (self._ms, self._counter)

    def tick(self) -> tuple[int, int]:
        """A new (ms, counter), strictly later than everything issued or observed so far."""
        wall = max(0, int(self._wall()))
        if wall > self._ms:
            self._ms, self._counter = wall, 0
        else:
            self._counter += 1
        return (self._ms, self._counter)

    def observe(self, stamp: tuple[int, int] | Stamp) -> None:
        """Remember a stamp seen elsewhere so later ticks come after it."""
        ms, counter = stamp[0], stamp[1]
        if (ms, counter) > (self._ms, self._counter):
            self._ms, self._counter = ms, counter
