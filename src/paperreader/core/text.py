"""Making untrusted text from the API safe to show, and URLs safe to open.

Titles, abstracts, names and links come from the internet. Rich and Textual only
strip a handful of control codes, so ESC, C1 and bidi overrides would reach the
terminal (window-title hijacks, clipboard writes, spoofed layout). We clean text at
ingest and again at render time; the UI never builds markup from this text.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# C0 controls except tab/newline, DEL, C1 controls, bidi embeddings/overrides/isolates,
# and invisible characters that only serve to disguise text.
_DROP: dict[int, str | None] = {c: None for c in range(0x00, 0x20) if c not in (0x09, 0x0A)}
_DROP.update(dict.fromkeys(range(127, 160)))
_DROP.update(dict.fromkeys((*range(8234, 8239), *range(8294, 8298))))
_DROP.update(dict.fromkeys((8203, 8288, 65279, 8206, 8207, 1564, 173)))
# Line/paragraph separators behave like newlines in some terminals; make them spaces.
_DROP.update({0x2028: " ", 0x2029: " ", 0x09: " ", 0x0D: None})

#: Whitespace or a control character anywhere in a URL: refused (one C-level scan).
_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f]")
_WS = re.compile(r"[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_PARA = re.compile(r"\n\s*\n")

#: Longest text we keep for one field; a 100 KB abstract is hostile, not science.
MAX_FIELD = 20_000


def clean(text: object, *, max_len: int = MAX_FIELD) -> str:
    """Return ``text`` as a printable string with every control sequence removed.

    Newlines are kept; callers that need one line use :func:`one_line`.
    """
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    # Printable ASCII (most titles and names) has nothing to drop: two C-level checks
    # instead of a translate of every character (a sync cleans ~17 fields per paper).
    if not (text.isascii() and text.isprintable()):
        text = text.translate(_DROP)
        # Unassigned and private-use code points render unpredictably; surrogates can't be
        # encoded.
        if not text.isascii():
            text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cs", "Co", "Cn"))
    if len(text) > max_len:
        text = text[: max_len - 1] + "…"
    return text


def one_line(text: object, *, max_len: int = MAX_FIELD) -> str:
    """Clean ``text`` and collapse all whitespace (titles, names, list rows)."""
    return " ".join(clean(text, max_len=max_len).split())


def reflow(text: object) -> str:
    """Clean an abstract and undo arXiv's hard line breaks, keeping paragraphs."""
    cleaned = clean(text)
    paragraphs = (" ".join(p.split()) for p in _PARA.split(cleaned))
    return "\n\n".join(p for p in paragraphs if p)


def is_safe_url(url: object) -> bool:
    """True when ``url`` is an absolute http(s) URL that cannot be mistaken for an option.

    Anything else (``file:``, ``javascript:``, a leading ``-``, embedded whitespace or
    control characters) is refused: the browser launcher must never see it.
    """
    if not isinstance(url, str) or not url or len(url) > 2048:
        return False
    if _URL_UNSAFE.search(url):
        return False
    if url.startswith("-"):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def safe_url(url: object) -> str | None:
    """Return ``url`` if :func:`is_safe_url` accepts it, else ``None``."""
    return url if is_safe_url(url) else None  # type: ignore[return-value]


_ARXIV_NEW = re.compile(r"^\d{4}\.\d{4,5}$")
_ARXIV_OLD = re.compile(r"^[a-z][a-z.-]*/\d{7}$", re.IGNORECASE)
_VERSION = re.compile(r"v\d+$")


def normalize_paper_id(value: str) -> str | None:
    """Return a bare arXiv id (version suffix stripped), or ``None`` if it is not one."""
    candidate = value.strip()
    for prefix in ("https://arxiv.org/abs/", "https://huggingface.co/papers/", "arxiv:"):
        if candidate.lower().startswith(prefix):
            candidate = candidate[len(prefix) :]
    candidate = _VERSION.sub("", candidate)
    if _ARXIV_NEW.match(candidate) or _ARXIV_OLD.match(candidate):
        return candidate
    return None


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` with its noun in the right number: "1 period", "3 periods", "0 papers"."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
