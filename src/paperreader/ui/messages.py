"""App-wide messages (sync events travel on ``PaperReaderApp.sync_events`` instead)."""

from __future__ import annotations

from textual.message import Message


class FirstPaint(Message):
    """The first frame is on screen: work that could wait (counts, facets) may start."""
