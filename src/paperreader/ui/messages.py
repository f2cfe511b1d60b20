"""App-wide messages from the background sync worker to the UI thread."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from paperreader.core.models import SyncProgress, SyncReport


@dataclass
class SyncProgressed(Message):
    """A progress tick; a burst collapses to the newest (``can_replace``)."""

    progress: SyncProgress

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SyncProgressed)


@dataclass
class SyncFinished(Message):
    """A sync run ended (possibly with failed periods, listed in the report)."""

    report: SyncReport


@dataclass
class SyncFailed(Message):
    """A sync run could not start or crashed (a network outage is a SyncFinished report)."""

    error: str
