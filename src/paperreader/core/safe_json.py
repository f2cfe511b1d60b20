"""Decoding JSON from a server we do not trust.

The standard decoder is right for every honest answer, so it is tried first. Two kinds of
hostile answer make it raise something other than a syntax error: numbers with thousands
of digits (``ValueError``: Python caps int conversion at 4,300 digits) and nesting tens of
thousands deep (``RecursionError``). Those answers are decoded again, tolerantly: long
integers stay as their digit strings (the item parser then treats the field as out of
range), and when the nesting is the problem a top-level array is split into its items and
each is decoded on its own, so one poisoned item costs that item, not the page.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Longer integers are kept as text: no count the API sends is anywhere near this long.
MAX_INT_DIGITS = 30

# One JSON string (escapes included), or one structural character that matters for depth.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]', re.DOTALL)


class UnreadableJSON(ValueError):
    """The answer is valid-looking JSON that cannot be decoded safely (too deep, no array)."""


def _bounded_int(digits: str) -> int | str:
    return int(digits) if len(digits) <= MAX_INT_DIGITS else digits


def loads(body: bytes | str) -> Any:
    """Decode ``body``; hostile sizes and depths cost the items that hold them.

    Raises ``json.JSONDecodeError`` / ``UnicodeDecodeError`` for malformed bodies (often a
    cut-off transfer, worth retrying) and :class:`UnreadableJSON` when the body is
    well-formed but cannot be read item by item (retrying will not help). Items that cannot
    be decoded come back as ``None``.
    """
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise
    except (RecursionError, ValueError):
        pass  # too deep, or an integer too long to convert: read it the careful way
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    try:
        return json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError:
        raise
    except (RecursionError, ValueError):
        pass
    parts = split_array(text)
    if parts is None:
        raise UnreadableJSON("the answer is nested too deeply to read")
    return [_item(part) for part in parts]


def _item(part: str) -> Any:
    try:
        return json.loads(part, parse_int=_bounded_int)
    except (RecursionError, ValueError):
        return None


def split_array(text: str) -> list[str] | None:
    """The source text of each element of a top-level JSON array, or ``None``.

    Iterative (a depth counter, strings skipped whole), so any depth is fine. Returns
    ``None`` when ``text`` is not one balanced array.
    """
    start = len(text) - len(text.lstrip())
    if not text.startswith("[", start):
        return None
    depth = 0
    item_start = start + 1
    parts: list[str] = []
    end: int | None = None
    for match in _TOKEN.finditer(text, start):
        token = match.group()
        if token[0] == '"':
            continue
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
            if depth == 0:
                end = match.start()
                break
            if depth < 0:
                return None
        elif depth == 1:  # a comma between top-level items
            parts.append(text[item_start : match.start()])
            item_start = match.end()
    if end is None or text[end + 1 :].strip():
        return None
    last = text[item_start:end]
    if parts or last.strip():
        parts.append(last)
    return parts
