"""markdown-it block tokens to the flat block model.

Containers are tracked on a stack while walking the token stream; each leaf block
records the prefix its containers draw, so nesting costs nothing at layout time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from paperreader.core.fulltext.blocks import Block, Kind, Link, Span
from paperreader.core.fulltext.inline import convert_inline

_BULLETS = ("• ", "◦ ", "▪ ")
_QUOTE = "│ "
_SLUG_DROP = re.compile(r"[^\w\- ]+")
_TABLE_CELLS = ("th_open", "td_open")


@dataclass(slots=True)
class _Frame:
    quote: bool
    marker: str = ""
    pending: bool = False


class BlockBuilder:
    """Converts the token streams of consecutive chunks; anchors and links span chunks."""

    def __init__(self) -> None:
        self._anchors: dict[str, int] = {}
        self.links: list[Link] = []

    def build(self, tokens: list[Token], first: int, source: int, lines: list[int]) -> list[Block]:
        """Blocks for one chunk's ``tokens``; ``first`` is the index of the first new block.

        ``source`` is the chunk's offset in the document and ``lines`` the offsets of
        its lines, so each block knows roughly where it came from (for progress).
        """
        walk = _Walk(self, first, source, lines)
        i = 0
        while i < len(tokens):
            i = walk.step(tokens, i)
        return walk.blocks

    def anchor(self, text: str) -> str:
        """A unique slug for a heading, GitHub style (``a-title``, ``a-title-1``…)."""
        slug = _SLUG_DROP.sub("", text.lower()).strip().replace(" ", "-")[:80] or "section"
        seen = self._anchors.get(slug)
        self._anchors[slug] = 0 if seen is None else seen + 1
        return slug if seen is None else f"{slug}-{seen + 1}"


class _Walk:
    """State of one pass over one chunk's tokens."""

    def __init__(self, builder: BlockBuilder, first: int, source: int, lines: list[int]) -> None:
        self.builder = builder
        self.first = first
        self.source = source
        self.lines = lines
        self.blocks: list[Block] = []
        self.frames: list[_Frame] = []
        self.lists: list[int] = []
        self.prev_lists: tuple[int, ...] = ()
        self.list_count = 0

    def step(self, tokens: list[Token], i: int) -> int:
        tok = tokens[i]
        kind = tok.type
        if kind == "blockquote_open":
            self.frames.append(_Frame(quote=True))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self.list_count += 1
            self.lists.append(self.list_count)
        elif kind in ("bullet_list_close", "ordered_list_close") and self.lists:
            self.lists.pop()
        elif kind == "list_item_open":
            bullet = _BULLETS[(len(self.lists) - 1) % len(_BULLETS)]
            marker = f"{tok.info}{tok.markup} " if tok.info else bullet
            self.frames.append(_Frame(quote=False, marker=marker[:12], pending=True))
        elif kind in ("blockquote_close", "list_item_close") and self.frames:
            self.frames.pop()
        elif kind in ("paragraph_open", "heading_open") and i + 1 < len(tokens):
            self._text_block(tok, tokens[i + 1])
            return i + 3
        elif kind in ("fence", "code_block", "html_block"):
            self._emit(tok, Kind.CODE, tok.content.rstrip("\n"))
        elif kind in ("math_block", "math_block_label"):
            body = tok.content.strip("\n")
            if kind == "math_block_label" and tok.info:
                body += f"   ({tok.info})"
            self._emit(tok, Kind.MATH, body)
        elif kind == "hr":
            self._emit(tok, Kind.RULE, "")
        elif kind == "table_open":
            return self._table(tokens, i)
        return i + 1

    def _prefixes(self) -> tuple[str, str]:
        lead: list[str] = []
        indent: list[str] = []
        for frame in self.frames:
            if frame.quote:
                lead.append(_QUOTE)
                indent.append(_QUOTE)
                continue
            pad = " " * len(frame.marker)
            indent.append(pad)
            lead.append(frame.marker if frame.pending else pad)
            frame.pending = False
        return "".join(lead), "".join(indent)

    def _emit(
        self,
        tok: Token,
        kind: Kind,
        text: str,
        *,
        spans: tuple[Span, ...] = (),
        level: int = 0,
        anchor: str = "",
        rows: tuple[tuple[tuple[Span, ...], ...], ...] = (),
    ) -> None:
        lead, indent = self._prefixes()
        # Items of a tight list sit on consecutive lines; anything else gets a blank line.
        tight = tok.hidden and bool(self.lists) and self.lists[0] in self.prev_lists
        gap = 0 if tight or (not self.blocks and self.first == 0) else 1
        self.prev_lists = tuple(self.lists)
        line = tok.map[0] if tok.map else 0
        source = self.source + (self.lines[line] if line < len(self.lines) else 0)
        self.blocks.append(
            Block(
                kind,
                text,
                spans=spans,
                level=level,
                anchor=anchor,
                lead=lead,
                indent=indent,
                gap=gap,
                rows=rows,
                source=source,
            )
        )

    def _text_block(self, opener: Token, inline: Token) -> None:
        index = self.first + len(self.blocks)
        converted = convert_inline(inline.children)
        self._links(converted.links, index)
        text = converted.text
        spans = tuple(converted.spans)
        if opener.type == "heading_open":
            level = int(opener.tag[1:]) if opener.tag[1:].isdigit() else 1
            anchor = self.builder.anchor(text)
            self._emit(opener, Kind.HEADING, text, spans=spans, level=level, anchor=anchor)
        else:
            self._emit(opener, Kind.PARAGRAPH, text, spans=spans)

    def _table(self, tokens: list[Token], i: int) -> int:
        opener = tokens[i]
        index = self.first + len(self.blocks)
        rows: list[tuple[tuple[Span, ...], ...]] = []
        row: list[tuple[Span, ...]] = []
        i += 1
        while i < len(tokens) and tokens[i].type != "table_close":
            kind = tokens[i].type
            if kind == "tr_open":
                row = []
            elif kind == "tr_close":
                rows.append(tuple(row))
            elif kind in _TABLE_CELLS and i + 1 < len(tokens):
                cell = convert_inline(tokens[i + 1].children)
                self._links(cell.links, index)
                row.append(tuple((" ".join(t.split("\n")), s) for t, s in cell.spans))
            i += 1
        text = "\n".join(" | ".join("".join(t for t, _ in c) for c in r) for r in rows)
        self._emit(opener, Kind.TABLE, text, rows=tuple(rows))
        return i + 1

    def _links(self, found: list[tuple[str, str, bool]], index: int) -> None:
        for label, url, openable in found:
            self.builder.links.append(Link(label[:200], url[:4096], index, openable))
