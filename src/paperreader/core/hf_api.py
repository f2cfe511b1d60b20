"""Async client for the Hugging Face Daily Papers API.

Politeness and robustness live here: a User-Agent naming the app, an optional bearer
token (sent only over https to Hugging Face or to hosts the user named), a wall-clock
deadline per attempt (httpx's read timeout is per chunk, so a
drip-feeding server would otherwise hold us forever), bounded retries with jittered
exponential backoff on transient failures (a refused connection or an unknown host fails
at once: waiting will not fix a typo), and pacing from the ``RateLimit`` header so we
slow down before the server has to say 429. Every failure becomes one ``ApiError`` with
a message a person can act on, cleaned of control characters: it quotes the server, and
the server is not trusted.
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
from collections.abc import Awaitable, Callable, Generator, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import httpx

from paperreader.core import safe_json, text
from paperreader.core.branding import DEFAULT_API_URL, TOKEN_HOSTS, USER_AGENT
from paperreader.core.models import ItemError, Paper
from paperreader.core.ratelimit import MAX_BACKOFF, RateGate, parse_ratelimit, parse_retry_after

if TYPE_CHECKING:
    from paperreader.core.config import Settings

__all__ = [
    "MAX_BACKOFF",
    "ApiError",
    "HFClient",
    "Page",
    "RateGate",
    "may_send_token",
    "parse_ratelimit",
    "parse_retry_after",
]

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_ATTEMPTS = 5

Sleep = Callable[[float], Awaitable[None]]


class ApiError(Exception):
    """A request to the Hugging Face API failed for good.

    The message is one printable line (it may quote the server), safe for any output.
    """

    def __init__(self, message: str, *, status: int | None = None, url: str = "") -> None:
        super().__init__(text.one_line(message, max_len=600))
        self.status = status
        self.url = text.one_line(url, max_len=600)

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
    repaired: int = 0
    """Papers kept without a field that was out of range or of the wrong type."""


def may_send_token(url: httpx.URL | str, extra_hosts: Iterable[str] = ()) -> bool:
    """Whether a request to ``url`` may carry the token: https, to Hugging Face or a named host.

    Never over plain http (anyone on the path could read it), never to a host the user did
    not name (``api_url`` alone is not consent: a typo or a hostile config would leak it).
    """
    try:
        parsed = httpx.URL(url) if isinstance(url, str) else url
    except httpx.InvalidURL:
        return False
    host = (parsed.host or "").lower().rstrip(".")
    allowed = {h.lower().rstrip(".") for h in (*TOKEN_HOSTS, *extra_hosts)}
    return parsed.scheme == "https" and host in allowed


class _TokenAuth(httpx.Auth):
    """Adds the bearer token to a request only where :func:`may_send_token` allows.

    httpx applies this to the first request of each call; redirects to another origin
    drop the header (httpx's own rule), so a redirect cannot carry it away either.
    """

    def __init__(self, token: str, hosts: Iterable[str]) -> None:
        self._token = token
        self._hosts = tuple(hosts)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the header when the policy allows it, then send."""
        if may_send_token(request.url, self._hosts):
            request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


def unreachable(exc: BaseException) -> str | None:
    """``connection refused`` / ``host not found`` when that is what ``exc`` comes down to.

    Those fail the same way on every try, so they are reported at once instead of after
    the retries. Anything else (resets, timeouts) may pass and is retried.
    """
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return f"host not found ({cause.strerror or cause})"
        cause = cause.__cause__ or cause.__context__
    return None


def _error_text(response: httpx.Response) -> str:
    """The server's own words from an error body, if it gave any."""
    header = response.headers.get("x-error-message")
    if header:
        return text.one_line(header, max_len=200)
    try:
        body = safe_json.loads(response.content)
    except (ValueError, RecursionError):
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, list):
        error = "; ".join(text.one_line(e, max_len=200) for e in error[:10])
    return text.one_line(error, max_len=200) if error else ""


class HFClient:
    """Typed access to the three read endpoints a reader needs."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        token: str | None = None,
        token_hosts: Iterable[str] = (),
        timeout: float = 10.0,
        deadline: float = 30.0,
        max_attempts: int | None = None,
        sleep: Sleep | None = None,
        clock: Callable[[], float] | None = None,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.base_url = (base_url or DEFAULT_API_URL).rstrip("/")
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        # The token comes from the caller only (Settings reads HF_TOKEN, in one place).
        self.token_sent = bool(token) and may_send_token(self.base_url, token_hosts)
        """Whether the token will go with requests to ``base_url`` (for a note to the user)."""
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            auth=_TokenAuth(token, token_hosts) if token else None,
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
        """Close the connection pool."""
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
            except httpx.TooManyRedirects:
                raise ApiError(f"{url} → the server redirects in a loop", url=url) from None
            except httpx.UnsupportedProtocol as exc:  # only a redirect can lead off http(s)
                raise ApiError(f"{url} → redirected to a URL that is not http(s): {exc}") from None
            except httpx.TransportError as exc:
                reason = unreachable(exc)
                if reason is not None:
                    raise ApiError(f"could not reach {self.base_url}: {reason}", url=url) from None
                last = f"could not reach {self.base_url} ({type(exc).__name__}: {exc or 'closed'})"
            except httpx.HTTPError as exc:  # e.g. a body that fails to decompress
                last = f"{type(exc).__name__}: {exc}"
            else:
                remaining, reset = parse_ratelimit(response.headers.get("ratelimit"))
                self.gate.observe(remaining, reset, self._clock())
                if response.status_code == 200:
                    try:
                        return safe_json.loads(body)
                    except safe_json.UnreadableJSON as exc:
                        raise ApiError(f"{url} → {exc}", status=200, url=url) from None
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
        repaired = sum(1 for p in papers if p.problems)
        return Page(papers=papers, raw_count=len(data), skipped=skipped, repaired=repaired)


def client_for(settings: Settings) -> HFClient:
    """A client for the configured API: its URL, token, token hosts and retry budget."""
    return HFClient(
        settings.api_url,
        token=settings.token,
        token_hosts=settings.token_hosts,
        max_attempts=settings.max_attempts,
    )
