"""A paper's Markdown, parsed into blocks lazily and only once.

``Document(markdown)`` costs next to nothing: chunks are cut, sanitised and parsed
with markdown-it-py when a block is first asked for (the first screen needs only
the first chunk), and :meth:`parse_more` lets a caller finish the rest in small
steps in the background. Whole-document questions (contents, find, links) parse
what is left first.

The text is untrusted: each chunk goes through :func:`paperreader.core.text.clean`
before parsing, so escape sequences and other control characters never reach a
block, and link targets of any scheme are kept as text (only http(s) ones are
marked openable).
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from paperreader.core import text as untrusted
from paperreader.core.fulltext.blocks import Block, Hit, Kind, Link, Position, TocEntry
from paperreader.core.fulltext.chunks import Splitter, reference_definitions, tame_nesting
from paperreader.core.fulltext.convert import BlockBuilder

#: The first chunk is small so the first screen parses fast; later ones amortise better.
FIRST_CHUNK = 6_000
CHUNK = 4_000
MAX_HITS = 10_000
_NEWLINE = re.compile("\n")


@cache
def _parser() -> MarkdownIt:
    # Nesting limit above what tame_nesting() lets through (16 quotes + 48 columns).
    md = MarkdownIt("commonmark", {"maxNesting": 80}).enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_digits=False, double_inline=True)
    # Keep every link as a link (javascript:, file:…): it is shown with its target
    # and flagged non-openable, instead of silently turning into bracket soup.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


class Document:
    """Blocks of one Markdown paper; parsed on demand, chunk by chunk."""

    def __init__(self, markdown: str) -> None:
        self.source_length = len(markdown)
        self._splitter = Splitter(markdown)
        self._refs = reference_definitions(markdown) if "]:" in markdown else ""
        self._builder = BlockBuilder()
        self.blocks: list[Block] = []
        """Blocks parsed so far, in reading order (all of them once :attr:`complete`)."""

    @property
    def complete(self) -> bool:
        """True once the whole source has been parsed."""
        return self._splitter.done

    @property
    def parsed_chars(self) -> int:
        """How much of the source (in characters) has been parsed."""
        return self._splitter.pos

    def parse_more(self) -> bool:
        """Parse the next chunk; return True while more of the source remains."""
        if self._splitter.done:
            return False
        target = FIRST_CHUNK if self._splitter.pos == 0 else CHUNK
        offset, chunk = self._splitter.next(target)
        if "\t" in chunk:
            chunk = chunk.expandtabs(4)
        chunk = tame_nesting(untrusted.clean(chunk, max_len=len(chunk) + 1))
        if self._refs:
            chunk += "\n\n" + untrusted.clean(self._refs, max_len=len(self._refs) + 1)
        lines = [0, *(m.end() for m in _NEWLINE.finditer(chunk))]
        tokens = _parser().parse(chunk)
        self.blocks.extend(self._builder.build(tokens, len(self.blocks), offset, lines))
        return not self._splitter.done

    def ensure(self, count: int) -> bool:
        """Parse until at least ``count`` blocks exist; False if the document is shorter."""
        while len(self.blocks) < count and self.parse_more():
            pass
        return len(self.blocks) >= count

    def parse_all(self) -> None:
        """Parse whatever is left."""
        while self.parse_more():
            pass

    # -- whole-document questions ------------------------------------------------------

    def toc(self) -> list[TocEntry]:
        """The table of contents: every heading, in order."""
        self.parse_all()
        return [
            TocEntry(b.level, b.text, b.anchor, i)
            for i, b in enumerate(self.blocks)
            if b.kind is Kind.HEADING
        ]

    @property
    def links(self) -> list[Link]:
        """Every link and figure target, in order of first appearance, each target once;
        check ``openable`` before opening."""
        self.parse_all()
        seen: set[str] = set()
        unique = []
        for link in self._builder.links:
            if link.url not in seen:
                seen.add(link.url)
                unique.append(link)
        return unique

    def find(self, query: str, *, limit: int = MAX_HITS) -> list[Hit]:
        """Case-insensitive matches of ``query`` (any run of whitespace matches any other)."""
        pattern = search_pattern(query)
        if pattern is None:
            return []
        self.parse_all()
        hits: list[Hit] = []
        for index, block in enumerate(self.blocks):
            for match in pattern.finditer(block.text):
                hits.append(Hit(index, match.start(), match.end() - match.start()))
                if len(hits) >= limit:
                    return hits
        return hits

    def progress(self, position: Position) -> float:
        """How far into the paper ``position`` is, in percent of the source (0–100)."""
        if not self.source_length or not self.ensure(position.block + 1):
            return 100.0
        block = self.blocks[position.block]
        if position.block + 1 < len(self.blocks):
            end = self.blocks[position.block + 1].source
        else:
            self.ensure(position.block + 2)
            following = position.block + 1 < len(self.blocks)
            end = self.blocks[position.block + 1].source if following else self.source_length
        share = min(1.0, position.offset / len(block.text)) if block.text else 0.0
        spot = block.source + share * max(0, end - block.source)
        return max(0.0, min(100.0, 100.0 * spot / self.source_length))

    def section_of(self, block: int) -> TocEntry | None:
        """The heading the reader is under at ``block`` (searches back from it)."""
        for index in range(min(block, len(self.blocks) - 1), -1, -1):
            b = self.blocks[index]
            if b.kind is Kind.HEADING:
                return TocEntry(b.level, b.text, b.anchor, index)
        return None


def search_pattern(query: str) -> re.Pattern[str] | None:
    """The regex ``find`` uses for ``query``: literal, case-insensitive, flexible spaces."""
    words = query.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
