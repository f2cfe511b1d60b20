"""A local stand-in for the Hugging Face papers API, serving synthetic papers.

Real HTTP over a real socket on 127.0.0.1, answering the endpoints paperreader uses
with JSON in the real shape (see ``sample``), the real error bodies and the
``RateLimit`` headers. Tests, benchmarks and manual runs point ``--api-url`` at it::

    python -m tests.support.fakehub --port 8765 --since 2024-01-01

Faults can be queued to exercise retries and failure paths (429, 5xx, resets,
drip-fed bodies, truncated or HTML bodies, refused months), and hostile answers: error
bodies and headers carrying terminal escapes, redirect loops and redirects elsewhere,
pages rewritten by a function (huge numbers, deep nesting, poisoned items). ``use_tls``
serves https with a given certificate (token tests).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

from paperreader.core import clock
from paperreader.core.corpus import Corpus
from tests.support.fakehub_pages import FullTextRoutes


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up mid-answer (killed syncs, deadlines) are normal here."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


@dataclass
class Fault:
    """Make the next ``times`` requests whose URL contains ``match`` misbehave."""

    kind: str
    """'status' | 'reset' | 'drip' | 'truncate' | 'html' | 'hang' | 'redirect' | 'mangle'"""
    match: str = ""
    times: int = 1
    status: int = 503
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    """'status': the body sent as is (raw bytes of the str); 'redirect': the Location
    (default: the same URL, a loop)."""
    mangle: Callable[[Any], str] | None = None
    """'mangle': turns the normal JSON answer into the body sent (status 200)."""
    served: int = 0
    """How many responses this fault has shaped (tests assert their faults really fired)."""


@dataclass
class Request:
    path: str
    query: dict[str, str]
    at: float
    headers: dict[str, str] = field(default_factory=dict)


class FakeHub(FullTextRoutes):
    """The server plus its state: corpus, queued faults, request log."""

    def __init__(
        self,
        corpus: Corpus,
        *,
        today: dt.date | None = None,
        quota: int = 500,
        window: int = 300,
        latency: float = 0.0,
        reject_months: bool = False,
        reject_weeks: bool = False,
    ) -> None:
        self.corpus = corpus
        self.today = today or clock.today()
        self.quota = quota
        self.window = window
        self.latency = latency
        self.reject_months = reject_months
        self.reject_weeks = reject_weeks
        self.faults: list[Fault] = []
        self.log: list[Request] = []
        self.legacy_search = False
        self._lock = threading.Lock()
        self._window_start = time.monotonic()
        self._used = 0
        self._init_pages()  # full text, linked repos, trending (fakehub_pages)
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None
        self.scheme = "http"

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"{self.scheme}://{host!s}:{port}"

    def use_tls(self, certfile: str, keyfile: str) -> FakeHub:
        """Serve https with this certificate (call before ``start``)."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certfile, keyfile)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.scheme = "https"
        return self

    def start(self) -> Self:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- request handling ------------------------------------------------------------

    def _take_fault(self, url: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.times > 0 and fault.match in url:
                    fault.times -= 1
                    fault.served += 1
                    return fault
        return None

    def _ratelimit(self) -> dict[str, str]:
        with self._lock:
            now = time.monotonic()
            if now - self._window_start >= self.window:
                self._window_start, self._used = now, 0
            self._used += 1
            remaining = max(0, self.quota - self._used)
            reset = max(1, int(self.window - (now - self._window_start)))
        return {
            "RateLimit": f'"api";r={remaining};t={reset}',
            "RateLimit-Policy": f'"fixed window";"api";q={self.quota};w={self.window}',
        }

    def route(self, path: str, q: dict[str, str]) -> tuple[int, Any]:
        if path.startswith("/api/arxiv/") and path.endswith("/repos"):
            return self.repos(path)
        if path == "/api/daily_papers":
            return self._daily(q)
        if path == "/api/papers/search":
            text = q.get("q", "").lower()
            limit = int(q.get("limit", "50") or 50)
            hits = [it for it in self.corpus.all_items() if text and text in it["title"].lower()]
            hits = hits[:limit]
            if self.legacy_search:
                return 200, [
                    {
                        "id": h["paper"]["id"],
                        "title": h["title"],
                        "thumbnailUrl": h["thumbnail"],
                        "source": "hf",
                    }
                    for h in hits
                ]
            return 200, [
                {"paper": h["paper"], "title": h["title"], "numComments": h["numComments"]}
                for h in hits
            ]
        if path.startswith("/api/papers/"):
            pid = path.rsplit("/", 1)[-1]
            item = self.corpus.find(pid)
            if item is None:
                return 404, {"error": "Paper not found"}
            return 200, dict(item["paper"])
        return 404, {"error": "Not found"}

    def _daily(self, q: dict[str, str]) -> tuple[int, Any]:
        try:
            limit = int(q.get("limit", "50"))
            page = int(q.get("p", "0"))
        except ValueError:
            return 400, {"error": "Expected number"}
        if limit > 100:
            return 400, {"error": ["Too big: expected number to be <=100"]}
        if limit < 1 or page < 0:
            return 400, {"error": "Too small: expected number to be >=1"}
        if q.get("sort", "publishedAt") not in ("publishedAt", "trending"):
            return 400, {"error": "Invalid enum value. Expected 'publishedAt' | 'trending'"}
        if q.get("sort") == "trending":
            return self.trending(limit, page)
        try:
            if "date" in q:
                day = dt.date.fromisoformat(q["date"])
                if day > self.today:
                    return 400, {"error": "Date cannot be in the future"}
                items = self.corpus.day(day)
            elif "week" in q:
                if self.reject_weeks:
                    return 400, {"error": "Invalid week"}
                year, week = q["week"].split("-W")
                items = self.corpus.week(int(year), int(week))
            elif "month" in q:
                if self.reject_months:
                    return 400, {"error": "Invalid month"}
                year, month = q["month"].split("-")
                items = self.corpus.month(int(year), int(month))
            else:
                items = self.corpus.span(self.today - dt.timedelta(days=7), self.today)
        except ValueError:
            return 400, {"error": "Invalid date"}
        return 200, items[page * limit : (page + 1) * limit]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                hub.log.append(
                    Request(parts.path, query, time.monotonic(), dict(self.headers.items()))
                )
                if hub.latency:
                    time.sleep(hub.latency)
                page_id = hub.page_paper_id(parts.path, self.headers.get("Accept", ""))
                if page_id is not None:  # the paper's Markdown: the "pages" bucket
                    hub.serve_page(self, page_id, hub._take_fault(self.path))
                    return
                headers = hub._ratelimit()
                fault = hub._take_fault(self.path)
                if fault is not None and self._fault(fault, headers):
                    return
                status, payload = hub.route(parts.path, query)
                if fault is not None and fault.kind == "mangle" and fault.mangle is not None:
                    self._send(200, fault.mangle(payload).encode(), headers)
                    return
                self._send(status, json.dumps(payload).encode(), headers)

            def _send(
                self,
                status: int,
                body: bytes,
                headers: dict[str, str],
                content_type: str = "application/json; charset=utf-8",
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _fault(self, fault: Fault, headers: dict[str, str]) -> bool:
                """Act out ``fault``; True when the response has been dealt with."""
                if fault.kind == "status":
                    text = fault.body
                    if text is None:
                        text = json.dumps({"error": f"synthetic {fault.status}"})
                    self._send(fault.status, text.encode(), {**headers, **fault.headers})
                elif fault.kind == "reset":
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                    self.close_connection = True
                    self.connection.close()
                elif fault.kind == "redirect":
                    location = fault.body if fault.body is not None else self.path
                    status = fault.status if 300 <= fault.status < 400 else 302
                    self._send(status, b"", {**headers, "Location": location})
                elif fault.kind == "html":
                    body = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
                    self._send(200, body, headers, "text/html")
                elif fault.kind == "truncate":
                    body = b'[{"paper": {"id": "2401.0000'
                    self._send(200, body, headers)
                elif fault.kind in ("drip", "hang"):
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    try:
                        for _ in range(30):
                            if fault.kind == "drip":
                                self.wfile.write(b" ")
                                self.wfile.flush()
                            time.sleep(2.0 if fault.kind == "drip" else 1.0)
                    except OSError:
                        pass
                    self.close_connection = True
                else:
                    return False
                return True

        return Handler


def serve(
    since: dt.date,
    *,
    port: int = 8765,
    per_day: int = 25,
    seed: int = 0,
    latency: float = 0.0,
    warm: bool = False,
    ready: Callable[[str], None] | None = None,
    abstract_words: int | None = None,
    quota: int = 500,
) -> None:
    """Run a fake hub in the foreground until interrupted."""
    today = clock.today()
    words = {} if abstract_words is None else {"abstract_words": abstract_words}
    corpus = Corpus(since, today, seed=seed, per_day=per_day, **words)
    hub = FakeHub(corpus, today=today, latency=latency, quota=quota)
    if warm:  # generate every paper before saying we are ready (benchmarks)
        hub.corpus.all_items()
    hub.server.server_close()
    hub.server = _QuietServer(("127.0.0.1", port), hub._handler())
    hub.server.daemon_threads = True
    (ready or print)(f"fake Hugging Face API on {hub.url} ({hub.corpus.count()} papers)")
    try:
        hub.server.serve_forever()
    except KeyboardInterrupt:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.fakehub",
        description="Serve synthetic Daily Papers on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--since", type=dt.date.fromisoformat, default=dt.date(2025, 1, 1))
    parser.add_argument("--per-day", type=int, default=25)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    parser.add_argument("--warm", action="store_true", help="generate all papers up front")
    parser.add_argument("--abstract-words", type=int, default=None, help="abstract length")
    parser.add_argument("--quota", type=int, default=500, help="API requests per window")
    args = parser.parse_args()
    serve(
        args.since,
        port=args.port,
        per_day=args.per_day,
        seed=args.seed,
        latency=args.latency,
        warm=args.warm,
        abstract_words=args.abstract_words,
        quota=args.quota,
    )


if __name__ == "__main__":
    main()
