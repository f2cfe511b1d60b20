"""A small, forgiving BibTeX entry scanner: entry type, key and raw field values.

Enough to find arXiv ids in what Zotero, JabRef, Google Scholar or our own export write:
``{…}`` values nest, ``"…"`` values may hold braces, ``#`` concatenates, ``@string`` macros
expand, and ``@comment`` / ``@preamble`` are skipped. Text outside entries is a comment, as
in BibTeX. A broken entry is reported and scanning resumes just after its ``@``, so one
bad entry never hides the rest.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_AT = re.compile(r"@[ \t]*([A-Za-z][\w-]{0,40})\s*([{(])")
_SPACE = re.compile(r"\s*")
_KEY = re.compile(r"[^,\s\"#%'(){}=]*")
_NAME = re.compile(r"[^\s\"#%'(),={}]+")
_BRACES = re.compile(r"[{}]")
_QUOTED = re.compile(r'[{}"]')
# The common case in one match: a value without inner braces and not concatenated with #.
_SIMPLE_FIELD = re.compile(
    r"""([^\s"#%'(),={}]+)\s*=\s*(?:\{([^{}]*)\}|"([^"{}]*)"|([^\s"#%'(),={}]+))\s*(?=[,})])"""
)

#: BibTeX's predefined month macros (``month = aug``).
_MONTHS = {
    name[:3].lower(): name
    for name in (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    )
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class BibEntry:
    """One entry: lower-case type, key, lower-case field names to values, starting line."""

    type: str
    key: str
    fields: dict[str, str]
    line: int


class _Broken(ValueError):
    def __init__(self, reason: str, pos: int) -> None:
        super().__init__(reason)
        self.pos = pos


class _Scanner:
    """Position-keeping helpers over the whole text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.macros = dict(_MONTHS)
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def line_at(self, pos: int) -> int:
        """The 1-based line number of ``pos``."""
        return bisect.bisect_left(self._newlines, pos) + 1

    def skip_space(self, pos: int) -> int:
        match = _SPACE.match(self.text, pos)
        return match.end() if match else pos

    def balanced(self, pos: int, pattern: re.Pattern[str] = _BRACES, end: str = "}") -> int:
        """Index just past the delimiter closing the group opened at ``pos``."""
        depth = 0
        for match in pattern.finditer(self.text, pos + 1):
            char = match.group()
            if char == "{":
                depth += 1
            elif char == "}" and depth:
                depth -= 1
            elif char == end and depth == 0:
                return match.end()
        raise _Broken("unbalanced braces" if end == "}" else "unclosed quote", pos)

    def value(self, pos: int) -> tuple[str, int]:
        """One field value (parts joined by ``#``) and the position after it."""
        parts: list[str] = []
        while True:
            pos = self.skip_space(pos)
            char = self.text[pos : pos + 1]
            if char == "{":
                end = self.balanced(pos)
                parts.append(self.text[pos + 1 : end - 1])
            elif char == '"':
                end = self.balanced(pos, _QUOTED, '"')
                parts.append(self.text[pos + 1 : end - 1])
            elif match := _NAME.match(self.text, pos):
                end = match.end()
                word = match.group()
                parts.append(self.macros.get(word.lower(), word))
            else:
                raise _Broken("expected a value", pos)
            pos = self.skip_space(end)
            if self.text.startswith("#", pos):
                pos += 1
                continue
            return " ".join("".join(parts).split()), pos

    def fields(self, pos: int, closer: str) -> tuple[dict[str, str], int]:
        """``name = value`` pairs up to the entry's closer; the position after it."""
        fields: dict[str, str] = {}
        while True:
            pos = self.skip_space(pos)
            if self.text.startswith(closer, pos):
                return fields, pos + 1
            if self.text.startswith(",", pos):
                pos += 1
                continue
            if simple := _SIMPLE_FIELD.match(self.text, pos):
                name, braced, quoted, word = simple.groups()
                if word is not None:
                    braced = self.macros.get(word.lower(), word)
                value, pos = " ".join((braced or quoted or "").split()), simple.end()
            else:
                name, pos = self._name(pos, closer)
                value, pos = self.value(pos)
            fields.setdefault(name.lower(), value)
            if not self.text.startswith((",", closer), pos):
                raise _Broken(f"expected ',' or {closer!r}", pos)

    def _name(self, pos: int, closer: str) -> tuple[str, int]:
        """A field name and the position after its ``=``."""
        name = _NAME.match(self.text, pos)
        if not name:
            raise _Broken(f"expected a field name or {closer!r}", pos)
        pos = self.skip_space(name.end())
        if not self.text.startswith("=", pos):
            raise _Broken(f"expected '=' after {name.group()[:30]!r}", pos)
        return name.group(), pos + 1

    def entry(self, pos: int, closer: str) -> tuple[str, dict[str, str], int]:
        """Key, fields and end position of a regular entry whose body starts at ``pos``."""
        start = self.skip_space(pos)
        key_match = _KEY.match(self.text, start)
        key = key_match.group() if key_match else ""
        after = self.skip_space(start + len(key))
        if self.text.startswith("=", after):  # no key: that was the first field's name
            key, after = "", start
        elif self.text.startswith(",", after):
            after += 1
        elif not self.text.startswith(closer, after):
            raise _Broken("expected ',' after the key", after)
        fields, end = self.fields(after, closer)
        return key, fields, end


def parse_bibtex(text: str) -> tuple[list[BibEntry], list[str]]:
    """The entries of a BibTeX text and one message per entry that could not be read."""
    scan = _Scanner(text)
    entries: list[BibEntry] = []
    errors: list[str] = []
    pos = 0
    while match := _AT.search(text, pos):
        kind, opener = match.group(1).lower(), match.group(2)
        closer = "}" if opener == "{" else ")"
        body = match.end()
        try:
            if kind in ("comment", "preamble"):
                pos = scan.balanced(body - 1) if opener == "{" else body
                continue
            if kind == "string":
                macros, pos = scan.fields(body, closer)
                scan.macros.update(macros)
                continue
            key, fields, pos = scan.entry(body, closer)
            entries.append(BibEntry(kind, key, fields, scan.line_at(match.start())))
        except _Broken as exc:
            line = scan.line_at(match.start())
            errors.append(f"entry at line {line}: {exc} (line {scan.line_at(exc.pos)})")
            pos = match.start() + 1
    return entries, errors
