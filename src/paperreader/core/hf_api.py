"""Async client for the Hugging Face Daily Papers API.

Politeness and robustness live here: a User-Agent naming the app, an optional bearer
token, a wall-clock deadline per attempt (httpx's read timeout is per chunk, so a
drip-feeding server would otherwise hold us forever), bounded retries with jittered
exponential backoff on transient failures, and pacing from the ``RateLimit`` header so
we slow down before the server has to say 429. Every failure becomes one ``ApiError``
with a message a person can act on.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import json
import os
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from paperreader.core.branding import DEFAULT_API_URL, USER_AGENT
from paperreader.core.models import ItemError, Paper

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_BACKOFF = 300.0
MAX_ATTEMPTS = 5

Sleep = Callable[[float], Awaitable[None]]


class ApiError(Exception):
    """A request to the Hugging Face API failed for good."""

    def __init__(self, message: str, *, status: int | None = None, url: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.url = url

    @property
    def is_client_error(self) -> bool:
        """The server understood and refused the request (retrying will not help)."""
        return (
            self.status is not None
            and 400 <= self.status < 500
            and self.status
            not in (
                408,
                429,
            )
        )


@dataclass(slots=True)
class Page:
    """One page of a list endpoint: parsed papers plus how many raw items it held."""

    papers: list[Paper]
    raw_count: int
    skipped: int


_RL_PARAM = re.compile(r";\s*([a-z]+)\s*=\s*([0-9.]+)")


def parse_ratelimit(header: str | None) -> tuple[int | None, float | None]:
    """Parse ``RateLimit: "api";r=12;t=40`` into (remaining, seconds-to-reset)."""
    if not header:
        return None, None
    params = dict(_RL_PARAM.findall(header))
    remaining = int(float(params["r"])) if "r" in params else None
    reset = float(params["t"]) if "t" in params else None
    return remaining, reset


def parse_retry_after(header: str | None, *, now: dt.datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: either an integer or an HTTP date."""
    if not header:
        return None
    header = header.strip()
    if header.isdigit():
        return float(header)
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def _error_text(response: httpx.Response) -> str:
    """The server's own words from an error body, if it gave any."""
    header = response.headers.get("x-error-message")
    if header:
        return str(header)[:200]
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, list):
        error = "; ".join(str(e) for e in error)
    return str(error)[:200] if error else ""


class RateGate:
    """Shared pacing state: when the server says we are nearly out, wait for the window."""

    def __init__(self, reserve: int = 3) -> None:
        self.reserve = reserve
        self.resume_at = 0.0
        self.lock = asyncio.Lock()

    def observe(self, remaining: int | None, reset: float | None, now: float) -> None:
        if remaining is not None and reset is not None and remaining <= self.reserve:
            self.resume_at = max(self.resume_at, now + min(reset, MAX_BACKOFF) + 1)

    def delay(self, now: float) -> float:
        return max(0.0, self.resume_at - now)


class HFClient:
    """Typed access to the three read endpoints a reader needs."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        token: str | None = None,
        timeout: float = 10.0,
        deadline: float = 30.0,
        max_attempts: int | None = None,
        sleep: Sleep | None = None,
        clock: Callable[[], float] | None = None,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.base_url = (base_url or DEFAULT_API_URL).rstrip("/")
        if token is None:
            token = os.environ.get("HF_TOKEN") or None
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            follow_redirects=True,
            limits=httpx.Limits(max_connections=8, max_keepalive_connections=8),
        )
        self.deadline = deadline
        self.max_attempts = max(1, max_attempts or MAX_ATTEMPTS)
        self._sleep: Sleep = sleep or asyncio.sleep
        self._clock = clock or (lambda: asyncio.get_running_loop().time())
        self._jitter = jitter
        self.gate = RateGate()
        self.requests = 0
        """Every HTTP request sent, retries included."""
        self.slept = 0.0
        """Seconds spent waiting for backoff or rate-limit windows."""
        self.on_wait: Callable[[float, str], None] | None = None
        """Told about every wait of a second or more (seconds, reason), for progress lines."""

    async def __aenter__(self) -> HFClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- hooks for endpoints that are not JSON (core.fulltext.fetch: the paper's Markdown) --

    @property
    def http(self) -> httpx.AsyncClient:
        """The configured HTTP client (base URL, User-Agent, token rules)."""
        return self._http

    def now(self) -> float:
        """The client's monotonic clock, which rate gates are measured against."""
        return self._clock()

    async def pause(self, seconds: float, reason: str = "retrying") -> None:
        """Wait as the client's own retries do (counted in ``slept``, told to ``on_wait``)."""
        await self._wait(seconds, reason)

    def retry_delay(self, attempt: int, response: httpx.Response | None) -> float:
        """Seconds to wait before retrying (RateLimit ``t``, ``Retry-After``, or backoff)."""
        return self._backoff(attempt, response)

    async def _wait(self, seconds: float, reason: str = "retrying") -> None:
        if seconds >= 1 and self.on_wait is not None:
            self.on_wait(seconds, reason)
        if seconds > 0:
            self.slept += seconds
            await self._sleep(seconds)

    def _backoff(self, attempt: int, response: httpx.Response | None) -> float:
        if response is not None:
            remaining, reset = parse_ratelimit(response.headers.get("ratelimit"))
            if response.status_code == 429 and remaining == 0 and reset is not None:
                return min(reset + 1, MAX_BACKOFF)
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if retry_after is not None:
                return min(retry_after, MAX_BACKOFF)
        base = min(8.0, 2.0 ** (attempt - 1))
        return base * (0.5 + self._jitter())

    async def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET ``path`` and decode JSON, retrying transient failures; raise ApiError."""
        url = str(httpx.URL(f"{self.base_url}{path}", params=params))
        last: str = ""
        for attempt in range(1, self.max_attempts + 1):
            async with self.gate.lock:
                pause = self.gate.delay(self._clock())
                if pause > 0:
                    await self._wait(pause, "the API rate limit")
                    self.gate.resume_at = 0.0  # the window has been waited out
            response: httpx.Response | None = None
            try:
                self.requests += 1
                async with asyncio.timeout(self.deadline):
                    response = await self._http.get(path, params=params)
                    body = response.content
            except TimeoutError:
                last = f"no complete answer within {self.deadline:g}s"
            except httpx.TimeoutException:
                last = "the server stopped answering (timeout)"
            except httpx.TransportError as exc:
                last = f"could not reach {self.base_url} ({type(exc).__name__}: {exc or 'closed'})"
            else:
                remaining, reset = parse_ratelimit(response.headers.get("ratelimit"))
                self.gate.observe(remaining, reset, self._clock())
                if response.status_code == 200:
                    try:
                        return json.loads(body)
                    except (json.JSONDecodeError, UnicodeDecodeError):
                        # A cut-off or HTML body is a transient server fault more often than not.
                        last = "the server sent a response that is not valid JSON"
                        response = None
                else:
                    detail = _error_text(response)
                    last = f"HTTP {response.status_code}" + (f": {detail}" if detail else "")
                    if response.status_code not in RETRY_STATUSES:
                        raise ApiError(f"{url} → {last}", status=response.status_code, url=url)
            if attempt < self.max_attempts:
                # Time the rate gate will wait anyway is not slept twice.
                backoff = self._backoff(attempt, response)
                gated = self.gate.delay(self._clock())
                if gated <= 0:
                    await self._wait(backoff)
                elif backoff > gated + 1:
                    await self._wait(backoff - gated)
        status = response.status_code if response is not None else None
        raise ApiError(
            f"{url} failed after {self.max_attempts} attempts: {last}", status=status, url=url
        )

    async def daily_papers(
        self,
        *,
        date: str | None = None,
        week: str | None = None,
        month: str | None = None,
        limit: int = 100,
        page: int = 0,
    ) -> Page:
        """One page of ``/api/daily_papers`` for a day, ISO week or month."""
        params: dict[str, Any] = {}
        for key, value in (("date", date), ("week", week), ("month", month)):
            if value:
                params[key] = value
        params["limit"] = max(1, min(limit, 100))
        params["p"] = page
        data = await self.get_json("/api/daily_papers", params)
        return self._page(data, "daily")

    async def search(self, query: str, *, limit: int = 120) -> Page:
        """Remote search (``/api/papers/search``); handles the wrapped and legacy shapes."""
        params = {"q": query[:250], "limit": max(1, min(limit, 120))}
        data = await self.get_json("/api/papers/search", params)
        return self._page(data, "search")

    async def paper(self, paper_id: str) -> Paper:
        """``/api/papers/{id}``: one paper's details; ApiError(404) if HF does not know it."""
        data = await self.get_json(f"/api/papers/{paper_id}")
        try:
            return Paper.from_api(data, source="detail")
        except ItemError as exc:
            raise ApiError(f"unexpected answer for paper {paper_id}: {exc}") from exc

    def _page(self, data: Any, source: Literal["daily", "search"]) -> Page:
        if not isinstance(data, list):
            raise ApiError("the server sent an unexpected answer (expected a list of papers)")
        papers: list[Paper] = []
        skipped = 0
        for item in data:
            try:
                papers.append(Paper.from_api(item, source=source))
            except ItemError:
                skipped += 1
        return Page(papers=papers, raw_count=len(data), skipped=skipped)
