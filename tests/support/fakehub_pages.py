"""The fake hub's full-text side: ``/papers/{id}.md``, ``/api/arxiv/{id}/repos``, trending.

Mixed into :class:`tests.support.fakehub.FakeHub`. Markdown requests count in a
"pages" rate bucket of their own (100 per window by default, like anonymous HF):
past it they get a 429 with ``RateLimit: "pages";r=0;t=…`` and ``Retry-After``.
Faults queued on the hub with ``match=".md"`` apply to them, plus two of their own:

* ``Fault("truncate", match=".md")``: headers promise the whole body, half is sent,
  then the connection closes (what a dropped transfer looks like);
* ``hub.pages_delay = s``: the body is sent in 16 KB pieces ``s`` seconds apart
  (progress lines, cancellation).

Papers in ``hub.no_fulltext`` (and ids the corpus does not know) get a 404.
"""

from __future__ import annotations

import random
import threading
import time
from typing import TYPE_CHECKING, Any

from paperreader.core.fulltext.sample_doc import make_paper

if TYPE_CHECKING:
    from paperreader.core.corpus import Corpus
    from tests.support.fakehub import Fault

PIECE = 16 * 1024
_PIPELINES = ("text-generation", "image-text-to-text", "text-to-image", "feature-extraction")
_SDKS = ("gradio", "streamlit", "docker", "static")


class FullTextRoutes:
    """Routes and state for full text, linked repos and trending (see module docstring)."""

    corpus: Corpus
    window: int
    _lock: threading.Lock

    def _init_pages(self) -> None:
        self.fulltext_words = 2_000
        """Length of the generated Markdown papers."""
        self.no_fulltext: set[str] = set()
        """Paper ids answered with 404 on ``.md`` (HF has no text for them)."""
        self.fulltext_overrides: dict[str, str] = {}
        """Markdown served instead of the generated paper (hostile documents)."""
        self.repos_overrides: dict[str, Any] = {}
        """JSON served by ``/repos`` instead of the generated lists."""
        self.pages_quota = 100
        self.pages_delay = 0.0
        self._pages_used = 0
        self._pages_start = time.monotonic()
        self._trending: list[dict[str, Any]] | None = None

    # -- /papers/{id}.md ---------------------------------------------------------------

    @staticmethod
    def page_paper_id(path: str, accept: str) -> str | None:
        """The paper id of a full-text request, or None if ``path`` is not one."""
        if not path.startswith("/papers/"):
            return None
        rest = path[len("/papers/") :]
        if rest.endswith(".md"):
            return rest[:-3]
        if "text/markdown" in accept and "/" not in rest:
            return rest
        return None

    def fulltext_for(self, paper_id: str) -> str | None:
        """The Markdown served for ``paper_id`` (None: 404)."""
        if paper_id in self.fulltext_overrides:
            return self.fulltext_overrides[paper_id]
        item = self.corpus.find(paper_id)
        if item is None or paper_id in self.no_fulltext:
            return None
        seed = int("".join(ch for ch in paper_id if ch.isdigit()) or "0") % 1_000_003
        body = make_paper(self.fulltext_words, seed=seed)
        return f"# {item['title']}\n" + body.split("\n", 1)[1]

    def _pages_headers(self) -> tuple[dict[str, str], bool]:
        with self._lock:
            now = time.monotonic()
            if now - self._pages_start >= self.window:
                self._pages_start, self._pages_used = now, 0
            self._pages_used += 1
            remaining = max(0, self.pages_quota - self._pages_used)
            over = self._pages_used > self.pages_quota
            reset = max(1, int(self.window - (now - self._pages_start)))
        headers = {
            "RateLimit": f'"pages";r={remaining};t={reset}',
            "RateLimit-Policy": f'"fixed window";"pages";q={self.pages_quota};w={self.window}',
        }
        if over:
            headers["Retry-After"] = str(reset)
        return headers, over

    def serve_page(self, handler: Any, paper_id: str, fault: Fault | None) -> None:
        """Answer one full-text request on ``handler`` (a BaseHTTPRequestHandler)."""
        headers, over = self._pages_headers()
        if over:
            handler._send(429, b'{"error": "Too many requests"}', headers)
            return
        if fault is not None and fault.kind == "truncate":
            self._send_markdown(handler, (self.fulltext_for(paper_id) or "#").encode(), headers, 2)
            return
        if fault is not None and handler._fault(fault, headers):
            return
        text = self.fulltext_for(paper_id)
        if text is None:
            handler._send(404, b'{"error": "Paper not found"}', headers)
            return
        self._send_markdown(handler, text.encode("utf-8"), headers, 1)

    def _send_markdown(self, handler: Any, body: bytes, headers: dict[str, str], cut: int) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/markdown; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.end_headers()
        sent = body[: len(body) // cut]
        try:
            for start in range(0, len(sent), PIECE):
                handler.wfile.write(sent[start : start + PIECE])
                handler.wfile.flush()
                if self.pages_delay:
                    time.sleep(self.pages_delay)
        except OSError:
            pass
        if cut > 1:
            handler.close_connection = True

    # -- /api/arxiv/{id}/repos -----------------------------------------------------------

    def repos(self, path: str) -> tuple[int, Any]:
        """``/api/arxiv/{id}/repos``: Hub listing items of the repos citing the paper."""
        paper_id = path[len("/api/arxiv/") : -len("/repos")]
        if paper_id in self.repos_overrides:
            return 200, self.repos_overrides[paper_id]
        item = self.corpus.find(paper_id)
        if item is None:
            return 200, {"models": [], "datasets": [], "spaces": []}
        rng = random.Random(paper_id)
        owner = (item["paper"].get("organization") or {}).get("name") or "someone"
        stem = "-".join(item["title"].lower().split()[:2]).strip(":,.")
        stem = "".join(ch for ch in stem if ch.isalnum() or ch == "-") or "repo"

        def listing(kind: str, count: int) -> list[dict[str, Any]]:
            out = []
            for n in range(count):
                entry: dict[str, Any] = {
                    "_id": f"{rng.getrandbits(96):024x}",
                    "id": f"{owner if n == 0 else rng.choice(('lab', 'fan', 'org'))}/{stem}-{n}",
                    "author": owner,
                    "likes": int(rng.paretovariate(1.1) * 3) - 3,
                    "private": False,
                    "lastModified": "2026-09-01T00:00:00.000Z",
                }
                if kind != "space":
                    entry["downloads"] = int(rng.paretovariate(0.8) * 40) - 40
                if kind == "model":
                    entry["pipeline_tag"] = rng.choice(_PIPELINES)
                if kind == "space":
                    entry["sdk"] = rng.choice(_SDKS)
                out.append(entry)
            return out

        cited = rng.random() < 0.6
        return 200, {
            "models": listing("model", rng.randint(1, 14) if cited else 0),
            "datasets": listing("dataset", rng.randint(0, 3) if cited else 0),
            "spaces": listing("space", rng.randint(0, 5) if cited else 0),
        }

    # -- /api/daily_papers?sort=trending -------------------------------------------------

    def trending(self, limit: int, page: int) -> tuple[int, Any]:
        """All-time ranking (date ignored, as on HF): GitHub stars, then upvotes."""
        if self._trending is None:

            def score(item: dict[str, Any]) -> tuple[int, int, str]:
                paper = item["paper"]
                stars = paper.get("githubStars") or 0
                return (stars, paper.get("upvotes") or 0, paper["id"])

            self._trending = sorted(self.corpus.all_items(), key=score, reverse=True)
        return 200, self._trending[page * limit : (page + 1) * limit]
