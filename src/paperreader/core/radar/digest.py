"""A digest of new papers (per watch, and "For you") as plain text, Markdown and HTML.

Every piece of text comes from the network, so each format escapes it its own way:
the text form strips control sequences, Markdown backslash-escapes punctuation (so a
title can neither open a link nor smuggle raw HTML), and HTML escapes everything and
is self-contained, ready to mail: inline styles only, no scripts, no images, nothing
fetched from elsewhere. The only URLs are link targets, built from the paper id or
checked to be plain http(s).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from paperreader.core.text import one_line, safe_url

if TYPE_CHECKING:
    from paperreader.core.models import Paper

FOR_YOU = "For you"
SUMMARY_CHARS = 240
_AUTHORS_SHOWN = 3
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'])")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|&~^\"'=:$%@;,?/])")


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One paper in a digest, with an optional reason (e.g. "like: …")."""

    paper_id: str
    title: str
    upvotes: int | None = None
    authors: Sequence[str] = ()
    summary: str = ""
    """The AI summary when there is one, else the abstract (its first sentence is shown)."""
    reason: str = ""
    github_repo: str | None = None
    project_page: str | None = None

    @classmethod
    def from_paper(cls, paper: Paper, *, reason: str = "") -> DigestItem:
        """The digest line for a stored paper."""
        return cls(
            paper_id=paper.id,
            title=paper.title,
            upvotes=paper.upvotes,
            authors=paper.authors,
            summary=paper.ai_summary or paper.summary,
            reason=reason,
            github_repo=paper.github_repo,
            project_page=paper.project_page,
        )

    def line(self) -> str:
        """The one-line summary: the first sentence, cut to ``SUMMARY_CHARS``."""
        first = _SENTENCE_END.split(one_line(self.summary), maxsplit=1)[0]
        return first if len(first) <= SUMMARY_CHARS else first[: SUMMARY_CHARS - 1] + "…"

    def byline(self) -> str:
        """Upvotes and the first authors: "▲ 12 · Ada Example, Bo Sample +3 more"."""
        names = [n for n in (one_line(a) for a in self.authors) if n]
        shown = ", ".join(names[:_AUTHORS_SHOWN])
        if len(names) > _AUTHORS_SHOWN:
            shown += f" +{len(names) - _AUTHORS_SHOWN} more"
        parts = [f"▲ {self.upvotes}"] if self.upvotes is not None else []
        return " · ".join([*parts, shown] if shown else parts)

    def links(self) -> list[tuple[str, str]]:
        """(label, URL) pairs: the paper's own pages, then code and project if safe."""
        pid = quote(self.paper_id, safe=".-_~")
        out = [
            ("Hugging Face", f"https://huggingface.co/papers/{pid}"),
            ("arXiv", f"https://arxiv.org/abs/{pid}"),
        ]
        for label, url in (("code", self.github_repo), ("project", self.project_page)):
            safe = safe_url(url)
            if safe:
                out.append((label, quote(safe, safe=":/?#@!$&'*+,;=%-._~")))
        return out


@dataclass(frozen=True, slots=True)
class DigestGroup:
    """A named list of papers: a watch, or ``FOR_YOU``.

    ``note`` explains the group and comes before its papers; ``more`` counts the papers
    left out, said after them ("and 16 more in the reader").
    """

    name: str
    items: Sequence[DigestItem]
    note: str = ""
    more: int = 0

    @property
    def more_line(self) -> str:
        """The closing line for papers left out, or ""."""
        return f"and {self.more} more in the reader" if self.more > 0 else ""


@dataclass(frozen=True, slots=True)
class Digest:
    """The whole digest; ``generated`` is a caller-supplied date or time, shown as is."""

    title: str
    generated: str
    groups: Sequence[DigestGroup]


def render_text(digest: Digest) -> str:
    """Plain text, e.g. for a terminal or a text/plain mail part."""
    out = [one_line(digest.title), one_line(digest.generated), ""]
    for group in digest.groups:
        out.append(f"== {one_line(group.name)} ({len(group.items)}) ==")
        if group.note:
            out.append(one_line(group.note))
        for n, item in enumerate(group.items, 1):
            out.append(f"{n:2d}. {one_line(item.title)}")
            out.extend(f"    {t}" for t in (item.byline(), item.line(), one_line(item.reason)) if t)
            out.append(f"    {item.links()[0][1]}")
        if not group.items:
            out.append("Nothing new.")  # level with the group's note, not an item
        if group.more_line:
            out.append(f"    {group.more_line}")
        out.append("")
    return "\n".join(out)


def md_escape(value: str) -> str:
    """``value`` on one line with Markdown punctuation backslash-escaped (CommonMark)."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(value))


def render_markdown(digest: Digest) -> str:
    """CommonMark: every title, name and summary escaped, links only to checked URLs."""
    out = [f"# {md_escape(digest.title)}", "", f"_{md_escape(digest.generated)}_", ""]
    for group in digest.groups:
        out += [f"## {md_escape(group.name)} ({len(group.items)})", ""]
        if group.note:
            out += [md_escape(group.note), ""]
        for n, item in enumerate(group.items, 1):
            url = item.links()[0][1]
            out.append(f"{n}. **[{md_escape(item.title)}](<{url}>)**")
            details = [md_escape(t) for t in (item.byline(), item.line(), item.reason) if t]
            details.append(" · ".join(f"[{label}](<{u}>)" for label, u in item.links()))
            out.extend(
                f"   {d}  " if i < len(details) - 1 else f"   {d}" for i, d in enumerate(details)
            )
            out.append("")
        if not group.items:
            out += ["Nothing new.", ""]
        if group.more_line:
            out += [f"_{group.more_line}_", ""]
    return "\n".join(out)


_BODY = (
    "margin:0;padding:16px;background:#ffffff;color:#1f2328;"
    "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:15px;"
    "line-height:1.45"
)
_H1 = "font-size:22px;margin:0 0 4px 0"
_H2 = "font-size:18px;margin:24px 0 8px 0;border-bottom:1px solid #d0d7de;padding-bottom:4px"
_MUTED = "color:#59636e;font-size:13px;margin:2px 0"
_ITEM = "margin:0 0 14px 0"
_TITLE = "color:#0b57d0;text-decoration:none;font-weight:600"
_LINK = "color:#0b57d0"


def _e(value: str) -> str:
    return html.escape(one_line(value), quote=True)


def render_html(digest: Digest) -> str:
    """A self-contained HTML page (inline styles; no scripts, images or remote files)."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(digest.title)}</title></head>",
        f'<body style="{_BODY}">',
        f'<h1 style="{_H1}">{_e(digest.title)}</h1>',
        f'<p style="{_MUTED}">{_e(digest.generated)}</p>',
    ]
    for group in digest.groups:
        out.append(f'<h2 style="{_H2}">{_e(group.name)} ({len(group.items)})</h2>')
        if group.note:
            out.append(f'<p style="{_MUTED}">{_e(group.note)}</p>')
        if not group.items:
            out.append(f'<p style="{_MUTED}">Nothing new.</p>')
            continue
        out.append('<ol style="padding-left:22px;margin:0">')
        for item in group.items:
            links = item.links()
            title = f'<a href="{_e(links[0][1])}" style="{_TITLE}">{_e(item.title)}</a>'
            out.append(f'<li style="{_ITEM}">{title}')
            for text in (item.byline(), item.line(), item.reason):
                if text:
                    out.append(f'<div style="{_MUTED}">{_e(text)}</div>')
            anchors = " · ".join(
                f'<a href="{_e(url)}" style="{_LINK}">{_e(label)}</a>' for label, url in links
            )
            out.append(f'<div style="{_MUTED}">{anchors}</div></li>')
        out.append("</ol>")
        if group.more_line:
            out.append(f'<p style="{_MUTED}">{_e(group.more_line)}</p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"
