"""An Atom 1.0 feed (RFC 4287) of papers, safe for any text the network sends.

Every entry's id is the paper's Hugging Face URL, which never changes, so feed readers
do not show a paper twice. All text goes through ElementTree, which escapes markup;
characters XML 1.0 cannot carry at all (most C0 controls, including ESC) and the C1
controls are removed first, since no escape can represent them. Summaries are plain
text (``type="text"``): no HTML from the network ever reaches a reader as markup.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from paperreader.core import clock

if TYPE_CHECKING:
    from paperreader.core.models import Paper

ATOM_NS = "http://www.w3.org/2005/Atom"
HF_PAPERS = "https://huggingface.co/papers/"
# XML 1.0 forbids C0 controls other than tab/newline/CR, lone surrogates, U+FFFE/FFFF;
# C1 controls and DEL are legal XML but terminal escapes, so they go too.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """``value`` as a string XML can carry: forbidden and control characters removed."""
    return _UNSAFE.sub("", value if isinstance(value, str) else str(value or ""))


def paper_url(paper_id: str) -> str:
    """The paper's page on Hugging Face, its id percent-encoded should it be odd."""
    return HF_PAPERS + quote(paper_id, safe=".-_~")


def rfc3339(value: dt.datetime | dt.date | str | None) -> str | None:
    """An RFC 3339 UTC timestamp (``2024-01-02T03:04:05Z``), or None if unreadable."""
    if isinstance(value, str):
        parsed = clock.parse_stamp(value)
        if parsed is None:
            return None
        value = parsed
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return clock.stamp(value)
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00Z"
    return None


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One paper in a feed; ``updated`` is any ISO date or timestamp."""

    paper_id: str
    title: str
    updated: str
    summary: str = ""
    authors: Sequence[str] = ()
    published: str | None = None
    keywords: Sequence[str] = ()

    @classmethod
    def from_paper(cls, paper: Paper, *, updated: str | None = None) -> FeedEntry:
        """An entry for a stored paper; ``updated`` defaults to when it was listed."""
        stamp = updated or paper.submitted_at or paper.daily_date or paper.published or ""
        return cls(
            paper_id=paper.id,
            title=paper.title,
            updated=stamp,
            summary=paper.ai_summary or paper.summary,
            authors=paper.authors,
            published=paper.published,
            keywords=paper.ai_keywords,
        )


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def atom_feed(
    entries: Iterable[FeedEntry],
    *,
    feed_id: str,
    title: str,
    updated: dt.datetime | str,
    self_url: str | None = None,
    subtitle: str | None = None,
    author: str = "paperreader",
) -> str:
    """The feed as an XML document (UTF-8 text with its declaration).

    ``feed_id`` must be a stable IRI (e.g. ``tag:paperreader,2025:watch/diffusion``);
    ``updated`` is when the feed's content last changed. An entry whose own time
    cannot be read takes the feed's.
    """
    feed_updated = rfc3339(updated)
    if feed_updated is None:
        raise ValueError(f"unreadable feed time: {updated!r}")
    ET.register_namespace("", ATOM_NS)
    root = ET.Element(f"{{{ATOM_NS}}}feed")
    _add(root, "id", feed_id)
    _add(root, "title", title, type="text")
    if subtitle:
        _add(root, "subtitle", subtitle, type="text")
    _add(root, "updated", feed_updated)
    _add(root, "generator", "paperreader")
    # RFC 4287 wants a feed author unless every entry has one; some papers hide theirs.
    _add(_add(root, "author"), "name", author)
    if self_url:
        _add(root, "link", rel="self", type="application/atom+xml", href=self_url)
    for entry in entries:
        url = paper_url(entry.paper_id)
        item = _add(root, "entry")
        _add(item, "id", url)
        _add(item, "title", " ".join(xml_text(entry.title).split()) or entry.paper_id, type="text")
        _add(item, "updated", rfc3339(entry.updated) or feed_updated)
        published = rfc3339(entry.published)
        if published:
            _add(item, "published", published)
        _add(item, "link", rel="alternate", type="text/html", href=url)
        for name in entry.authors:
            if xml_text(name).strip():
                _add(_add(item, "author"), "name", name.strip())
        for keyword in entry.keywords:
            if xml_text(keyword).strip():
                _add(item, "category", term=keyword.strip())
        if entry.summary:
            _add(item, "summary", entry.summary, type="text")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'
