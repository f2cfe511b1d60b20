"""A paper's full text (Markdown from HF) as data: parsed lazily, laid out lazily.

``Document`` holds the blocks, ``Layout`` turns them into display lines for one
width; neither imports Textual, so the CLI pager and tests use them directly.

The names below are loaded on first use: the store and the list import small parts
of this package (positions, linked repos) and must not pay for markdown-it and Rich.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paperreader.core.fulltext.blocks import Block, Hit, Kind, Link, Position, TocEntry
    from paperreader.core.fulltext.document import Document
    from paperreader.core.fulltext.layout import Layout

__all__ = ["Block", "Document", "Hit", "Kind", "Layout", "Link", "Position", "TocEntry"]

_HOMES = {
    **dict.fromkeys(("Block", "Hit", "Kind", "Link", "Position", "TocEntry"), "blocks"),
    "Document": "document",
    "Layout": "layout",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
