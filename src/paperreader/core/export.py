"""Exporting stored papers as JSON, CSV, Markdown or BibTeX.

Every format is written record by record (:func:`write`), so an export of any size
starts at once and holds one record at a time; :func:`export` builds a string for
small in-memory lists.

The user's notes and tags come in ``notes`` (paper id → Annotation; a dict from
``store.notes_tags.all_annotations``, which holds only annotated papers): JSON and CSV get
``tags`` and ``note``, Markdown a tag line and the note as a quote, BibTeX ``keywords`` and
``annote`` (not ``note``, which bibliography styles print).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from paperreader.core.models import PaperRecord, paper_urls
from paperreader.core.render import paper_text

if TYPE_CHECKING:
    from paperreader.core.store.notes_tags import Annotation

Notes = Mapping[str, "Annotation"]
_NONE: Notes = {}

FORMATS = ("json", "csv", "markdown", "bibtex")


class Sink(Protocol):
    """Anything with ``write(str)``: a file, ``sys.stdout``, a cleaning wrapper."""

    def write(self, chunk: str, /) -> object:
        """Write ``chunk``."""


# json leaves DEL and C1 controls raw with ensure_ascii=False; some terminals act on C1.
_JSON_CONTROLS = {c: f"\\u{c:04x}" for c in range(0x7F, 0xA0)}


def export(records: Sequence[PaperRecord], fmt: str, notes: Notes = _NONE) -> str:
    """The whole export as one string (BibTeX sorted by id, so its keys do not depend on order)."""
    out = io.StringIO()
    if fmt == "bibtex":
        records = sorted(records, key=lambda r: r.paper.id)
    write(records, fmt, out, notes)
    return out.getvalue()


def write(records: Iterable[PaperRecord], fmt: str, out: Sink, notes: Notes = _NONE) -> int:
    """Stream ``records`` to ``out`` in ``fmt``, in the order given; returns how many."""
    writers: dict[str, Callable[[Iterable[PaperRecord], Sink, Notes], int]] = {
        "json": write_json,
        "csv": write_csv,
        "markdown": write_markdown,
        "bibtex": write_bibtex,
    }
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return writers[fmt](records, out, notes)


def annotated_json(rec: PaperRecord, notes: Notes = _NONE) -> dict[str, Any]:
    """``rec.to_json()`` plus its ``tags`` (a list) and ``note`` (None: none)."""
    data = rec.to_json()
    found = notes.get(rec.paper.id)
    data["tags"] = list(found.tags) if found else []
    data["note"] = found.note if found else None
    return data


def write_json(
    records: Iterable[PaperRecord],
    out: Sink,
    notes: Notes = _NONE,
    more: Callable[[str], dict[str, Any]] | None = None,
) -> int:
    """A JSON array laid out as ``json.dumps(..., indent=2)`` would, one object at a time.

    ``more(paper_id)`` adds keys to a paper's object (``list --json``: linked repos).
    """
    count = 0
    for rec in records:
        data = annotated_json(rec, notes)
        if more is not None:
            data.update(more(rec.paper.id))
        item = json.dumps(data, ensure_ascii=False, indent=2).translate(_JSON_CONTROLS)
        out.write(("[\n" if count == 0 else ",\n") + "  " + item.replace("\n", "\n  "))
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count


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
    "tags",
    "note",
)


def to_csv(records: Sequence[PaperRecord], notes: Notes = _NONE) -> str:
    """CSV with a header row (``write_csv`` into a string)."""
    out = io.StringIO()
    write_csv(records, out, notes)
    return out.getvalue()


def write_csv(records: Iterable[PaperRecord], out: Sink, notes: Notes = _NONE) -> int:
    """CSV with a header row; cells that a spreadsheet would run as formulas are defused."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for rec in records:
        data = annotated_json(rec, notes)
        data["authors"] = "; ".join(data["authors"])
        data["tags"] = "; ".join(data["tags"])
        writer.writerow([_csv_cell(data.get(col)) for col in CSV_COLUMNS])
        count += 1
    return count


def _csv_cell(value: object) -> object:
    # Spreadsheet formula injection: a cell starting with = + - @ would be evaluated.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def _md(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()<>#|!])", r"\\\1", text)


def to_markdown(records: Sequence[PaperRecord], notes: Notes = _NONE) -> str:
    """A Markdown document (``write_markdown`` into a string)."""
    out = io.StringIO()
    write_markdown(records, out, notes)
    return out.getvalue()


def write_markdown(records: Iterable[PaperRecord], out: Sink, notes: Notes = _NONE) -> int:
    """A Markdown reading list, one section per paper, laid out from ``core.render``."""
    out.write("# Papers\n")
    count = 0
    for rec in records:
        count += 1
        lines = [""]
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
        if found := notes.get(rec.paper.id):
            if found.tags:
                lines += ["", "Tags: " + ", ".join(f"`{tag}`" for tag in found.tags)]
            if found.note:
                # The note is the user's own Markdown: quoted as written, one quote per line.
                lines.append("")
                lines.extend(f"> {line}".rstrip() for line in found.note.split("\n"))
        out.write("\n".join(lines).rstrip() + "\n")
    return count


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


def to_bibtex(records: Sequence[PaperRecord], notes: Notes = _NONE) -> str:
    """BibTeX entries sorted by arXiv id, so the keys do not depend on the input order."""
    out = io.StringIO()
    write_bibtex(sorted(records, key=lambda r: r.paper.id), out, notes)
    return out.getvalue()


def _bib_lines(text: str) -> str:
    """Like ``_bib`` but keeping line breaks (a note's paragraphs)."""
    return "\n".join(_bib(line) for line in text.split("\n"))


def write_bibtex(records: Iterable[PaperRecord], out: Sink, notes: Notes = _NONE) -> int:
    """BibTeX ``@misc`` entries in the order given; a repeated key gets a, b, c… appended."""
    used: dict[str, int] = {}
    count = 0
    for rec in records:
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
        if found := notes.get(p.id):
            if found.tags:
                fields.append(("keywords", _bib(", ".join(found.tags))))
            if found.note:
                fields.append(("annote", _bib_lines(found.note)))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        out.write(("\n" if count else "") + f"@misc{{{key},\n{body}\n}}\n")
        count += 1
    return count
