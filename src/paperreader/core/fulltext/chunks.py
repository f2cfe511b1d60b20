"""Cutting a Markdown source into independently parseable chunks, on demand.

Parsing a 40k-word paper takes ~110 ms and grows with length, so opening a paper
must not wait for the whole parse. A blank line followed by an unindented line,
outside a fenced block, ends every open Markdown container (list, quote,
paragraph, table), and so does an unindented ``#`` heading line; the text on
either side of such a line parses the same alone as together.
Only the chunk the screen needs is cut and parsed; the rest follows in the
background.

Hostile sources without such boundaries (one 5 MB line, an unclosed fence) are
cut anyway at ``hard`` characters; an open fence is closed at the cut and
reopened in the next chunk, so the damage stays local.
"""

from __future__ import annotations

import re

#: Reference-style link definitions (``[1]: https://…``) apply to the whole document.
_REFDEF = re.compile(r"^ {0,3}\[[^\]\n]{1,200}\]:[ \t]*\S[^\n]*$", re.MULTILINE)
MAX_REFDEFS = 64_000
#: An unindented ATX heading interrupts any paragraph, list or quote: a safe cut.
_ATX = re.compile(r"#{1,6}(?:[ \t]|$)", re.MULTILINE)


#: markdown-it silently drops content nested deeper than its ``maxNesting``; hostile
#: nesting is flattened to these depths first so that text is shown, not lost.
MAX_QUOTES = 16
MAX_INDENT = 48
_DEEP_QUOTE = re.compile(rf"^((?:[ \t]*>){{{MAX_QUOTES}}})(?:[ \t]*>)+", re.MULTILINE)
_DEEP_INDENT = re.compile(rf"^ {{{MAX_INDENT + 1},}}", re.MULTILINE)


def tame_nesting(text: str) -> str:
    """Cap block-quote depth and indentation so no content exceeds the parser's nesting limit."""
    if ">" in text:
        text = _DEEP_QUOTE.sub(r"\1", text)
    return _DEEP_INDENT.sub(" " * MAX_INDENT, text)


def reference_definitions(source: str) -> str:
    """All link reference definitions in ``source``, to append to each chunk."""
    found = "\n".join(m.group(0) for m in _REFDEF.finditer(source))
    return found[:MAX_REFDEFS].rsplit("\n", 1)[0] if len(found) > MAX_REFDEFS else found


def _fence_of(line: str) -> str | None:
    """The closing marker if ``line`` opens a fenced block (code or display math)."""
    stripped = line.strip()
    if stripped.startswith(("```", "~~~")):
        char = stripped[0]
        run = len(stripped) - len(stripped.lstrip(char))
        return char * run
    if stripped.startswith("$$") and not (len(stripped) >= 4 and stripped.endswith("$$")):
        return "$$"
    return None


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    if fence == "$$":
        return stripped.endswith("$$")
    return stripped.startswith(fence) and not stripped.strip(fence[0])


class Splitter:
    """Hands out consecutive chunks of ``source``; each call cuts only what it returns."""

    def __init__(self, source: str, *, hard: int = 64_000) -> None:
        self.source = source
        self.pos = 0
        self.hard = hard
        self._reopen = ""

    @property
    def done(self) -> bool:
        """True once the whole source has been handed out."""
        return self.pos >= len(self.source)

    def next(self, target: int) -> tuple[int, str]:
        """The next chunk of at least ``target`` characters (unless the source ends).

        Returns its offset in the source and its text (with any fence repair).
        """
        src, start = self.source, self.pos
        n = len(src)
        pos, fence = start, None
        prefix, self._reopen = self._reopen, ""
        if prefix:
            fence = _fence_of(prefix)
        while pos < n:
            eol = src.find("\n", pos)
            if eol == -1:
                eol = n
            if eol - start > self.hard:
                return self._cut(start, self._soft_cut(start, pos), prefix, fence)
            line = src[pos:eol]
            nxt = eol + 1
            if fence is not None:
                if _closes(line, fence):
                    fence = None
            else:
                fence = _fence_of(line)
            if fence is None and nxt - start >= target and nxt < n:
                following = src[nxt]
                if (not line.strip() and following not in " \t\n\r") or (
                    following == "#" and _ATX.match(src, nxt)
                ):
                    return self._cut(start, nxt, prefix, None)
            pos = nxt
        return self._cut(start, n, prefix, fence)

    def _soft_cut(self, start: int, line_start: int) -> int:
        # The current line alone is over the limit: cut it at a space if there is one.
        limit = start + self.hard
        if line_start > start:
            return line_start
        space = self.source.rfind(" ", max(start + 1, limit - 2000), limit)
        return space + 1 if space > start else limit

    def _cut(self, start: int, end: int, prefix: str, fence: str | None) -> tuple[int, str]:
        self.pos = end
        body = self.source[start:end]
        text = prefix + body
        if fence is not None and end < len(self.source):
            opener = "$$" if fence == "$$" else fence
            text += "\n" + fence + "\n"
            self._reopen = opener + "\n"
        return start, text
