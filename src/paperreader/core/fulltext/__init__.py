"""A paper's full text (Markdown from HF) as data: parsed lazily, laid out lazily.

``Document`` holds the blocks, ``Layout`` turns them into display lines for one
width; neither imports Textual, so the CLI pager and tests use them directly.
"""

from paperreader.core.fulltext.blocks import Block, Hit, Kind, Link, Position, TocEntry
from paperreader.core.fulltext.document import Document
from paperreader.core.fulltext.layout import Layout

__all__ = ["Block", "Document", "Hit", "Kind", "Layout", "Link", "Position", "TocEntry"]
