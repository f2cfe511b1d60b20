"""Reading the server's rate-limit and retry headers, and pacing requests by them.

Hugging Face sends ``RateLimit: "api";r=<remaining>;t=<seconds to reset>`` on every
answer (IETF draft-ietf-httpapi-ratelimit-headers) and may send ``Retry-After``. Both are
read defensively: they come from the network, and a bad value counts as absent.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import re

from paperreader.core import clock

#: No wait the server asks for is honoured beyond this (seconds).
MAX_BACKOFF = 300.0

_RL_PARAM = re.compile(r";\s*([a-z]+)\s*=\s*([0-9.]+)")


def parse_ratelimit(header: str | None) -> tuple[int | None, float | None]:
    """Parse ``RateLimit: "api";r=12;t=40`` into (remaining, seconds-to-reset).

    Values that are not plain finite numbers (``1.2.3``, 400 digits) count as absent.
    """
    if not header:
        return None, None
    params = dict(_RL_PARAM.findall(header[:500]))
    remaining = _finite(params.get("r"))
    reset = _finite(params.get("t"))
    return (int(remaining) if remaining is not None else None), reset


def _finite(value: str | None) -> float | None:
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and 0 <= number < 1e9 else None


def parse_retry_after(header: str | None, *, now: dt.datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: either an integer or an HTTP date."""
    if not header:
        return None
    header = header.strip()[:100]
    if header.isascii() and header.isdigit():
        return float(header) if len(header) < 10 else MAX_BACKOFF
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or clock.wall_now()
    return max(0.0, (when - now).total_seconds())


class RateGate:
    """Shared pacing state: when the server says we are nearly out, wait for the window."""

    def __init__(self, reserve: int = 3) -> None:
        self.reserve = reserve
        self.resume_at = 0.0
        self.lock = asyncio.Lock()

    def observe(self, remaining: int | None, reset: float | None, now: float) -> None:
        """Note what the server said; nearly out means pausing until its window resets."""
        if remaining is not None and reset is not None and remaining <= self.reserve:
            self.resume_at = max(self.resume_at, now + min(reset, MAX_BACKOFF) + 1)

    def delay(self, now: float) -> float:
        """Seconds still to wait before the next request (0 when free to go)."""
        return max(0.0, self.resume_at - now)
