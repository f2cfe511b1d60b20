"""Exporting stored papers as JSON, CSV, Markdown or BibTeX."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Sequence

from paperreader.core.models import PaperRecord, paper_urls
from paperreader.core.render import paper_text

FORMATS = ("json", "csv", "markdown", "bibtex")


def export(records: Sequence[PaperRecord], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return to_csv(records)
    if fmt == "markdown":
        return to_markdown(records)
    if fmt == "bibtex":
        return to_bibtex(records)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


CSV_COLUMNS = (
    "id",
    "title",
    "authors",
    "date",
    "published",
    "upvotes",
    "comments",
    "read",
    "favourite",
    "url",
    "pdf_url",
    "github_repo",
    "organization",
)


def to_csv(records: Sequence[PaperRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for rec in records:
        data = rec.to_json()
        data["authors"] = "; ".join(data["authors"])
        writer.writerow([_csv_cell(data.get(col)) for col in CSV_COLUMNS])
    return out.getvalue()


def _csv_cell(value: object) -> object:
    # Spreadsheet formula injection: a cell starting with = + - @ would be evaluated.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def _md(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()<>#|!])", r"\\\1", text)


def to_markdown(records: Sequence[PaperRecord]) -> str:
    """A Markdown reading list, laid out from ``core.render`` (text escaped)."""
    lines = ["# Papers", ""]
    for rec in records:
        doc = paper_text(rec)
        page = {p.key: p.url for p in doc.of("page")}
        star = " ★" if doc.get("favourite") else ""
        lines.append(f"## [{_md(doc.value('title'))}]({page['hf']}){star}")
        lines.append("")
        meta = [f"arXiv [{rec.paper.id}]({page['arxiv']})", f"[PDF]({page['pdf']})"]
        if daily := doc.get("daily_date"):
            meta.append(f"{daily.label} {daily.value}")
        meta.append(f"▲ {doc.value('upvotes')}")
        if code := doc.get("code"):
            meta.append(f"[{code.label}]({code.url})")
        lines.append(" · ".join(meta))
        lines.append("")
        if authors := doc.get("authors"):
            lines.append(f"*{_md(authors.value)}*")
            lines.append("")
        if abstract := doc.value("abstract"):
            lines.append(_md(abstract))
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# BibTeX counts braces even when escaped, so literal braces become brace-free commands.
_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bib(text: str) -> str:
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in " ".join(text.split()))


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]", "", folded).lower()


_STOP = {"a", "an", "the", "on", "of", "for", "and", "to", "in", "towards", "when", "with"}


def bibtex_key(rec: PaperRecord) -> str:
    """``surname + year + first title word``: stable across exports of the same paper."""
    p = rec.paper
    surname = _ascii_word(p.authors[0].split()[-1]) if p.authors and p.authors[0].split() else ""
    year = (p.published or p.daily_date or "")[:4]
    words = [_ascii_word(w) for w in p.title.split()]
    first = next((w for w in words if w and w not in _STOP), "")
    key = f"{surname or 'anon'}{year}{first}"
    return key or _ascii_word(p.id)


def to_bibtex(records: Sequence[PaperRecord]) -> str:
    entries: list[str] = []
    used: dict[str, int] = {}
    for rec in sorted(records, key=lambda r: r.paper.id):
        p = rec.paper
        key = bibtex_key(rec)
        n = used.get(key, 0)
        used[key] = n + 1
        if n:
            key += "abcdefghijklmnopqrstuvwxyz"[min(n - 1, 25)]
        fields = [
            ("title", "{" + _bib(p.title) + "}"),
            ("author", _bib(" and ".join(p.authors)) if p.authors else "Anonymous"),
            ("year", (p.published or p.daily_date or "")[:4]),
            ("eprint", p.id),
            ("archivePrefix", "arXiv"),
            ("url", paper_urls(p.id)["arxiv"]),
        ]
        if p.summary:
            fields.append(("abstract", _bib(p.summary)))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        entries.append(f"@misc{{{key},\n{body}\n}}")
    return "\n\n".join(entries) + ("\n" if entries else "")
