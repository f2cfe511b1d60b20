"""Fetching a paper's full text (``/papers/{id}.md``) and the repos citing it.

The Markdown goes through the same :class:`~paperreader.core.hf_api.HFClient` as
everything else (its HTTP client carries the User-Agent and the token rules, its
retry delays honour ``RateLimit`` and ``Retry-After``), but it has a loop of its own:
the body is streamed (progress, a size cap, cancellation between chunks) and the
server counts these requests in its "pages" rate bucket, not the "api" one, so the
pacing state is separate (:func:`pages_gate`).

A 404 is not an error to retry: HF has no text for the paper. It becomes
:class:`FullTextUnavailable`, whose message says so and which offers the PDF.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from paperreader.core.fulltext.repos import LinkedRepos, parse_repos
from paperreader.core.hf_api import (
    RETRY_STATUSES,
    ApiError,
    HFClient,
    RateGate,
    parse_ratelimit,
    unreachable,
)
from paperreader.core.models import paper_urls
from paperreader.core.text import normalize_paper_id

#: Biggest Markdown accepted; real papers are 50-500 KB, a bigger body is hostile or broken.
MAX_BYTES = 8 * 1024 * 1024
#: Error bodies are read only this far (the message is all we want from them).
ERROR_BYTES = 16 * 1024
UNAVAILABLE = "full text not available on Hugging Face for this paper"

#: Told (bytes received so far, bytes expected or None) as the body arrives.
Progress = Callable[[int, int | None], None]


class FullTextError(Exception):
    """The full text could not be fetched; :attr:`pdf_url` is where to read the paper instead."""

    def __init__(self, message: str, *, paper_id: str, status: int | None = None) -> None:
        super().__init__(message)
        self.paper_id = paper_id
        self.status = status

    @property
    def pdf_url(self) -> str:
        """The arXiv PDF of the paper (built from its id, never from the response)."""
        return paper_urls(self.paper_id)["pdf"]


class FullTextUnavailable(FullTextError):
    """Hugging Face has no full text for this paper (404, or an empty body)."""

    def __init__(self, paper_id: str, *, status: int | None = 404) -> None:
        super().__init__(UNAVAILABLE, paper_id=paper_id, status=status)


@dataclass(frozen=True, slots=True)
class FullText:
    """One paper's Markdown as served, and its size in bytes on the wire."""

    paper_id: str
    markdown: str
    size: int


_GATES: weakref.WeakKeyDictionary[HFClient, RateGate] = weakref.WeakKeyDictionary()


def pages_gate(client: HFClient) -> RateGate:
    """The pacing state of ``client``'s "pages" bucket (one per client, made on first use)."""
    gate = _GATES.get(client)
    if gate is None:
        gate = _GATES[client] = RateGate()
    return gate


class _Transient(Exception):
    """One attempt failed in a way worth retrying; the message says how.

    ``response`` (for a retryable status) lets the retry delay honour its
    ``RateLimit`` and ``Retry-After`` headers.
    """

    def __init__(self, message: str, response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.response = response


async def _read_capped(
    response: httpx.Response, paper_id: str, max_bytes: int, progress: Progress | None
) -> bytes:
    header = response.headers.get("content-length", "")
    total = int(header) if header.isdigit() else None
    if total is not None and total > max_bytes:
        raise _too_big(paper_id, max_bytes)
    chunks: list[bytes] = []
    received = 0
    async for chunk in response.aiter_bytes():
        received += len(chunk)
        if received > max_bytes:
            raise _too_big(paper_id, max_bytes)
        chunks.append(chunk)
        if progress is not None:
            progress(received, total)
    return b"".join(chunks)


def _too_big(paper_id: str, max_bytes: int) -> FullTextError:
    return FullTextError(
        f"the full text is larger than {max_bytes // (1024 * 1024)} MB; not stored",
        paper_id=paper_id,
    )


async def _error_detail(response: httpx.Response) -> str:
    body = b""
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) >= ERROR_BYTES:
            break
    text = response.headers.get("x-error-message") or body[:300].decode("utf-8", "replace")
    return " ".join(str(text).split())[:200]


async def _attempt(
    client: HFClient,
    paper_id: str,
    gate: RateGate,
    max_bytes: int,
    progress: Progress | None,
) -> bytes:
    """One request: the body on success; raises _Transient or FullTextError."""
    client.requests += 1
    path = f"/papers/{paper_id}.md"
    try:
        async with (
            asyncio.timeout(client.deadline),
            client.http.stream("GET", path, headers={"Accept": "text/markdown"}) as response,
        ):
            remaining, reset = parse_ratelimit(response.headers.get("ratelimit"))
            gate.observe(remaining, reset, client.now())
            status = response.status_code
            if status == 404:
                raise FullTextUnavailable(paper_id)
            if status != 200:
                detail = await _error_detail(response)
                message = f"HTTP {status}" + (f": {detail}" if detail else "")
                if status in RETRY_STATUSES:
                    raise _Transient(message, response)
                raise FullTextError(f"{path} → {message}", paper_id=paper_id, status=status)
            if response.headers.get("content-type", "").startswith("text/html"):
                raise _Transient("the server sent a web page instead of Markdown")
            return await _read_capped(response, paper_id, max_bytes, progress)
    except TimeoutError:
        raise _Transient(f"no complete answer within {client.deadline:g}s") from None
    except httpx.TimeoutException:
        raise _Transient("the server stopped answering (timeout)") from None
    except httpx.TransportError as exc:
        if (reason := unreachable(exc)) is not None:
            # A refused connection or an unknown host fails the same way every time.
            raise FullTextError(
                f"could not reach {client.base_url}: {reason}", paper_id=paper_id
            ) from None
        raise _Transient(f"the connection failed ({type(exc).__name__}: {exc})") from None


async def fetch_fulltext(
    client: HFClient,
    paper_id: str,
    *,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
) -> FullText:
    """The paper's Markdown from ``/papers/{id}.md``; cancel the task to stop it.

    Raises :class:`FullTextUnavailable` on a 404 and :class:`FullTextError` when the
    text is too big or every attempt failed (429s wait for the pages window first).
    """
    if normalize_paper_id(paper_id) != paper_id:  # it goes into a URL path
        raise FullTextError(f"{paper_id!r} is not an arXiv id", paper_id=paper_id)
    gate = pages_gate(client)
    last = ""
    status: int | None = None
    for attempt in range(1, client.max_attempts + 1):
        async with gate.lock:
            pause = gate.delay(client.now())
            if pause > 0:
                await client.pause(pause, "the pages rate limit")
                gate.resume_at = 0.0
        response: httpx.Response | None = None
        try:
            body = await _attempt(client, paper_id, gate, max_bytes, progress)
        except _Transient as exc:
            last, response = str(exc), exc.response
            status = response.status_code if response is not None else None
        else:
            text = body.decode("utf-8", errors="replace")
            if not text.strip():
                raise FullTextUnavailable(paper_id, status=200)
            return FullText(paper_id, text, len(body))
        if attempt < client.max_attempts:
            backoff = client.retry_delay(attempt, response)
            gated = gate.delay(client.now())
            if gated <= 0:
                await client.pause(backoff)
            elif backoff > gated + 1:
                await client.pause(backoff - gated)
    raise FullTextError(
        f"could not fetch the full text after {client.max_attempts} attempts: {last}",
        paper_id=paper_id,
        status=status,
    )


async def fetch_repos(client: HFClient, paper_id: str, *, fetched_at: str) -> LinkedRepos:
    """Models, datasets and Spaces citing the paper (``/api/arxiv/{id}/repos``).

    A 404 means HF knows of none: an empty result, not an error. Other failures
    raise :class:`~paperreader.core.hf_api.ApiError`.
    """
    if normalize_paper_id(paper_id) != paper_id:
        raise ApiError(f"{paper_id!r} is not an arXiv id")
    try:
        data: Any = await client.get_json(f"/api/arxiv/{paper_id}/repos")
    except ApiError as exc:
        if exc.status == 404:
            return LinkedRepos(paper_id, fetched_at=fetched_at)
        raise
    return parse_repos(paper_id, data, fetched_at=fetched_at)
