"""Reading a file of papers to import: our JSON export, BibTeX, or a list of ids and URLs.

The format is detected from the content. Every paper comes back as an arXiv id with where it
was found (``line 3``, ``entry vaswani2017 (line 12)``, ``item 4``) and, from our JSON export
only, its read/favourite marks, tags and note. A file that can't be used raises one
:class:`ImportFileError` whose message is a single line naming the file and the reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from paperreader.core import text
from paperreader.core.statesync.arxiv_ids import (
    bare_arxiv_id,
    bibtex_arxiv_id,
    find_arxiv_id,
    mentioned_arxiv_id,
)
from paperreader.core.statesync.bibtex import parse_bibtex
from paperreader.core.statesync.changes import MAX_NOTE, MAX_TAG

MAX_BYTES = 50 * 1024 * 1024

_BIBTEX = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+\s*[{(]", re.MULTILINE)


class ImportFileError(Exception):
    """The file can't be imported; ``str()`` is one line naming the file and the reason."""


@dataclass(frozen=True, slots=True)
class ImportItem:
    """One paper to import; marks, tags and note are None when the file doesn't say."""

    arxiv_id: str
    source: str
    read: bool | None = None
    favourite: bool | None = None
    tags: tuple[str, ...] | None = None
    note: str | None = None


@dataclass(slots=True)
class ImportResult:
    """The papers found (first occurrence of each) and one line per thing skipped."""

    format: Literal["json", "bibtex", "list"]
    items: list[ImportItem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def add(self, item: ImportItem, seen: dict[str, str]) -> None:
        """Keep ``item`` unless its paper came earlier in the file."""
        first = seen.setdefault(item.arxiv_id, item.source)
        if first == item.source:
            self.items.append(item)
        else:
            self.skipped.append(f"{item.source}: {item.arxiv_id} again (first at {first})")


def read_import_file(path: Path | str) -> ImportResult:
    """Read and parse ``path``; raise ImportFileError if it can't be imported."""
    path = Path(path)
    name = text.one_line(str(path), max_len=200)
    try:
        if path.is_dir():
            raise ImportFileError(f"{name} is a folder, not a file")
        if path.stat().st_size > MAX_BYTES:
            raise ImportFileError(_too_big(name, path.stat().st_size))
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # stat can lie (pipes, /proc)
    except FileNotFoundError:
        raise ImportFileError(f"{name}: no such file") from None
    except OSError as exc:
        raise ImportFileError(f"cannot read {name}: {exc.strerror or exc}") from None
    return parse_import(data, name)


def _too_big(name: str, size: int) -> str:
    return f"{name} is too big to import ({size / 2**20:.1f} MB; the limit is 50 MB)"


def parse_import(data: bytes, name: str = "the file") -> ImportResult:
    """Detect the format of ``data`` and parse it; raise ImportFileError if unusable."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_too_big(name, len(data)))
    content = _decode(data, name)
    if not content.strip():
        raise ImportFileError(f"{name} is empty")
    if content.lstrip()[:1] in ("[", "{"):
        result = _from_json(content, name)
    elif _BIBTEX.search(content):
        result = _from_bibtex(content, name)
    else:
        result = _from_list(content, name)
    return result


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Windows "Unicode" text
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    head = data[:65536]
    if b"\x00" in head:
        raise ImportFileError(f"{name} looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\f")
    if controls * 100 > len(head):
        raise ImportFileError(f"{name} looks like a binary file, not text")
    return data.decode("cp1252", errors="replace")  # old BibTeX files are often Latin-1


def _quote(line: str) -> str:
    return "“" + text.one_line(line, max_len=40) + "”"


def _from_list(content: str, name: str) -> ImportResult:
    result = ImportResult("list")
    seen: dict[str, str] = {}
    first_bad = ""
    for number, raw in enumerate(content.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        token = line.split()[0]
        paper_id = bare_arxiv_id(token) or mentioned_arxiv_id(token)
        if paper_id:
            result.add(ImportItem(paper_id, f"line {number}"), seen)
        else:
            first_bad = first_bad or f"line {number}: {_quote(line)}"
            result.skipped.append(f"line {number}: not an arXiv id or URL: {_quote(line)}")
    if not result.items:
        raise ImportFileError(
            f"{name} is not a paperreader JSON export, BibTeX or a list of arXiv ids/URLs"
            f" ({first_bad or 'only comments'})"
        )
    return result


def _from_bibtex(content: str, name: str) -> ImportResult:
    entries, errors = parse_bibtex(content)
    result = ImportResult("bibtex", skipped=list(errors))
    seen: dict[str, str] = {}
    for entry in entries:
        source = f"entry {text.one_line(entry.key, max_len=60) or '(no key)'} (line {entry.line})"
        paper_id = bibtex_arxiv_id(entry.fields)
        if paper_id:
            result.add(ImportItem(paper_id, source), seen)
        else:
            result.skipped.append(f"{source}: no arXiv id")
    if not result.items:
        why = result.skipped[0] if result.skipped else "no entries"
        raise ImportFileError(
            f"{name}: no arXiv papers in its {len(entries)} BibTeX entries ({why})"
        )
    return result


def _from_json(content: str, name: str) -> ImportResult:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise ImportFileError(f"{name} is not valid JSON (nested too deeply)") from None
    if isinstance(data, dict) and isinstance(data.get("papers"), list):
        data = data["papers"]
    elif isinstance(data, dict) and "id" in data:
        data = [data]
    if not isinstance(data, list) or not data:
        raise ImportFileError(
            f"{name} is JSON but not a paperreader export (expected a list of papers with an id)"
        )
    result = ImportResult("json")
    seen: dict[str, str] = {}
    for number, obj in enumerate(data, 1):
        item = _json_item(obj, f"item {number}")
        if item:
            result.add(item, seen)
        else:
            result.skipped.append(f"item {number}: no arXiv id")
    if not result.items:
        raise ImportFileError(f"{name}: none of its {len(data)} JSON items has an arXiv id")
    return result


def _json_item(obj: Any, source: str) -> ImportItem | None:
    if isinstance(obj, str):
        paper_id = find_arxiv_id(obj)
        return ImportItem(paper_id, source) if paper_id else None
    if not isinstance(obj, dict):
        return None
    paper_id = None
    for key in ("id", "arxiv_id", "url", "arxiv_url"):
        value = obj.get(key)
        if isinstance(value, str) and (paper_id := find_arxiv_id(value)):
            break
    if not paper_id:
        return None
    raw_tags = obj.get("tags")
    tags = None
    if isinstance(raw_tags, list):
        cleaned = (" ".join(t.split()) for t in raw_tags if isinstance(t, str))
        tags = tuple(dict.fromkeys(t for t in cleaned if 0 < len(t) <= MAX_TAG))
    note = obj.get("note", obj.get("notes"))
    return ImportItem(
        paper_id,
        source,
        read=_bool(obj.get("read")),
        favourite=_bool(obj.get("favourite", obj.get("favorite"))),
        tags=tags,
        note=note if isinstance(note, str) and len(note) <= MAX_NOTE else None,
    )


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None
