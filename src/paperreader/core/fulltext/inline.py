"""Inline Markdown (emphasis, code, math, links, images) to styled plain-text spans.

Every piece of content ends up as a plain string with a style key; nothing here is
ever read as Rich markup. Link targets are shown next to their text, because a
terminal reader cannot hover, and are kept in a list so the UI can offer to open
the http(s) ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token

from paperreader.core.fulltext.blocks import Span
from paperreader.core.text import is_safe_url

_EMPHASIS = {"em": "em", "strong": "strong", "s": "strike"}
#: Longest URL shown in full; longer ones (data: blobs, tracking junk) are cut.
MAX_URL = 300


def short_url(url: str) -> str:
    """The URL as displayed: whitespace-free and at most ``MAX_URL`` characters."""
    url = "".join(url.split())
    return url if len(url) <= MAX_URL else url[: MAX_URL - 1] + "…"


class InlineResult:
    """Spans of one inline run plus the links found in it as (text, url, openable)."""

    __slots__ = ("_pieces", "_styles", "length", "links")

    def __init__(self) -> None:
        # Pieces of one style are joined once at the end: repeated string
        # concatenation would be quadratic on a hostile paragraph of many tokens.
        self._pieces: list[list[str]] = []
        self._styles: list[str] = []
        self.links: list[tuple[str, str, bool]] = []
        self.length = 0

    def add(self, text: str, style: str) -> None:
        """Append ``text``, merging with the previous span when the style is the same."""
        if not text:
            return
        self.length += len(text)
        if self._styles and self._styles[-1] == style:
            self._pieces[-1].append(text)
        else:
            self._pieces.append([text])
            self._styles.append(style)

    @property
    def spans(self) -> list[Span]:
        """The text as (string, style key) runs."""
        return [("".join(p), st) for p, st in zip(self._pieces, self._styles, strict=True)]

    @property
    def text(self) -> str:
        """The plain text of all spans."""
        return "".join("".join(p) for p in self._pieces)

    def text_from(self, start: int) -> str:
        """The plain text from character ``start`` on (the label of a link just closed)."""
        parts: list[str] = []
        at = self.length
        for run in reversed(self._pieces):
            for chunk in reversed(run):
                if at <= start:
                    return "".join(reversed(parts))
                at -= len(chunk)
                parts.append(chunk[max(0, start - at) :])
        return "".join(reversed(parts))


def convert_inline(children: Sequence[Token] | None, base: str = "") -> InlineResult:
    """Turn markdown-it inline tokens into spans; ``base`` is a style key under all of them."""
    out = InlineResult()
    stack: list[str] = [base] if base else []
    link_starts: list[tuple[int, str]] = []
    for tok in children or ():
        kind = tok.type
        style = " ".join(stack)
        if kind == "text":
            if link_starts:
                out.add(tok.content, style)
            else:
                _text_with_urls(out, tok.content, style)
        elif kind == "softbreak":
            out.add(" ", style)
        elif kind == "hardbreak":
            out.add("\n", style)
        elif kind == "code_inline":
            out.add(tok.content, _join(style, "code"))
        elif kind in ("math_inline", "math_inline_double"):
            fence = "$$" if kind == "math_inline_double" else "$"
            out.add(f"{fence}{tok.content}{fence}", _join(style, "math"))
        elif kind.endswith("_open") and kind[:-5] in _EMPHASIS:
            stack.append(_EMPHASIS[kind[:-5]])
        elif kind.endswith("_close") and kind[:-6] in _EMPHASIS:
            _pop(stack, _EMPHASIS[kind[:-6]])
        elif kind == "link_open":
            href = str(tok.attrGet("href") or "")
            link_starts.append((out.length, href))
            stack.append("link")
        elif kind == "link_close" and link_starts:
            start, href = link_starts.pop()
            _pop(stack, "link")
            style = " ".join(stack)
            label = out.text_from(start)
            shown = short_url(href)
            # In-page anchors (citations, "see Section 3") would only add noise.
            if shown and label.strip() != href and not href.startswith("#"):
                out.add(" ⟨", style)
                out.add(shown, _join(style, "url"))
                out.add("⟩", style)
            out.links.append((label.strip() or shown, href, is_safe_url(href)))
        elif kind == "image":
            _image(out, tok, style)
        elif tok.content:
            # html_inline and anything a plugin adds: shown as the literal source.
            out.add(tok.content, _join(style, "literal"))
    return out


#: A bare web address in running text (references list them so); trailing punctuation is
#: the sentence's, not the URL's.
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]{}\"']+[^\s<>()\[\]{}\"'.,;:!?]")


def _text_with_urls(out: InlineResult, content: str, style: str) -> None:
    """Add plain text, styling bare http(s) addresses as URLs and listing them as links."""
    at = 0
    for match in _BARE_URL.finditer(content):
        if match.start() > at:
            out.add(content[at : match.start()], style)
        url = match.group()
        out.add(url, _join(style, "url"))
        out.links.append((url, url, is_safe_url(url)))
        at = match.end()
    if at < len(content):
        out.add(content[at:], style)


def _image(out: InlineResult, tok: Token, style: str) -> None:
    src = str(tok.attrGet("src") or "")
    alt = " ".join(tok.content.split())
    out.add(f"[figure: {alt}]" if alt else "[figure]", _join(style, "figure"))
    if src:
        out.add(" (", style)
        out.add(short_url(src), _join(style, "url"))
        out.add(")", style)
    out.links.append((alt or "figure", src, is_safe_url(src)))


def _join(style: str, extra: str) -> str:
    return f"{style} {extra}" if style else extra


def _pop(stack: list[str], name: str) -> None:
    # Pop the innermost matching entry: tolerates badly nested tokens.
    for i in range(len(stack) - 1, -1, -1):
        if stack[i] == name:
            del stack[i]
            return
