"""The one place the program asks what time it is.

Everything calendar-shaped (which days to sync, the Today/This week views, the demo's dates,
timestamps written to the store) comes from here, so a single setting can pin the clock:
``PAPERREADER_TODAY=2026-12-31`` (a date, or an ISO date-time in UTC) makes this process and
every child it starts believe that is now. Tests use it to run on any calendar day; the real
date is used otherwise. The pinned clock still advances with the process's own elapsed time,
so timestamps stay ordered.
"""

from __future__ import annotations

import datetime as dt
import os
import time

ENV = "PAPERREADER_TODAY"

_started = time.monotonic()


def _pinned() -> dt.datetime | None:
    value = os.environ.get(ENV, "").strip()
    if not value:
        return None
    try:
        if len(value) == 10:  # a bare date: noon, so local-time conversions keep the day
            day = dt.date.fromisoformat(value)
            return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None  # a malformed pin is ignored rather than breaking every command
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def now() -> dt.datetime:
    """The current moment in UTC (timezone-aware), honouring a pinned clock."""
    pinned = _pinned()
    if pinned is None:
        return wall_now()
    return pinned + dt.timedelta(seconds=time.monotonic() - _started)


def wall_now() -> dt.datetime:
    """The machine's real time in UTC, ignoring a pinned clock.

    Only for comparing with another machine's clock (an HTTP ``Retry-After`` date from
    the server); everything calendar-shaped uses :func:`now`.
    """
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date in UTC: the Daily Papers calendar is a UTC calendar."""
    return now().date()


def local_now() -> dt.datetime:
    """Now in the machine's local timezone, for wall-clock text shown to the user."""
    return now().astimezone()


def stamp(moment: dt.datetime | None = None) -> str:
    """A UTC timestamp as stored and exchanged: ``2026-11-30T07:26:00Z``."""
    return (moment or now()).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fine_stamp(moment: dt.datetime | None = None) -> str:
    """A UTC timestamp to the microsecond: ``2026-11-30T07:26:00.000000Z``.

    Used where stamps must order writes (``papers.first_seen``). It sorts as text with
    :func:`stamp`'s form only across different seconds: within one second
    ``…00.5Z`` < ``…00Z``, which :func:`later_stamp` allows for.
    """
    return (moment or now()).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def later_stamp(moment: str, after: str | None) -> str:
    """``moment`` as a :func:`fine_stamp`, moved just past ``after`` if not already later
    as text (a microsecond after a fine stamp, the next second after a plain one)."""
    when = parse_stamp(moment) or now()
    candidate = fine_stamp(when)
    if after is None or candidate > after:
        return candidate
    last = parse_stamp(after)
    if last is None:  # junk in the column: it cannot be ordered against, so ignore it
        return candidate
    step = dt.timedelta(microseconds=1) if "." in after else dt.timedelta(seconds=1)
    return fine_stamp(last + step)


def parse_stamp(text: str) -> dt.datetime | None:
    """Read a ``…Z`` (or offset) ISO timestamp; None when it is not one."""
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
