"""A watch: a saved search with a "new since I last looked" stamp.

Watches are user data that travels (settings files, sync journals), so ``from_json``
accepts only well-formed values and ignores keys it does not know (a newer version
may add some). Times are ISO 8601 strings supplied by the caller, never read from
the clock here.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, replace
from typing import Any

from paperreader.core import clock
from paperreader.core.models import PaperFilter
from paperreader.core.views import VIEWS, View

NAME_MAX = 60
SEARCH_MAX = 500


class WatchError(ValueError):
    """A watch (or its JSON) is not valid; the message says which field and why."""


def _printable(field: str, value: object, max_len: int, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise WatchError(f"{field} must be text")
    if required and not value.strip():
        raise WatchError(f"{field} must not be empty")
    if len(value) > max_len:
        raise WatchError(f"{field} is longer than {max_len} characters")
    # Cc: C0/C1 controls (ESC...); Cf: bidi overrides and invisible formatting.
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in value):
        raise WatchError(f"{field} contains control or invisible characters")
    return value


def _stamp(field: str, value: object, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise WatchError(f"{field} must be an ISO date-time")
    if clock.parse_stamp(value) is None:
        raise WatchError(f"{field} is not an ISO date-time: {value[:40]!r}")
    return value


@dataclass(frozen=True, slots=True)
class Watch:
    """A saved filter: papers matching ``search`` (FTS words), ``view`` and ``min_upvotes``.

    ``last_opened`` is when the user last looked; papers first stored after it are
    "new" for this watch. ``None`` means never opened: everything is new.
    """

    name: str
    created: str
    search: str = ""
    min_upvotes: int = 0
    view: View = "all"
    keyword: str | None = None
    last_opened: str | None = None

    def __post_init__(self) -> None:
        _printable("name", self.name, NAME_MAX, required=True)
        if self.name != self.name.strip():
            raise WatchError("name must not start or end with spaces")
        _printable("search", self.search, SEARCH_MAX)
        if self.keyword is not None:
            _printable("keyword", self.keyword, 100, required=True)
        if isinstance(self.min_upvotes, bool) or not isinstance(self.min_upvotes, int):
            raise WatchError("min_upvotes must be a whole number")
        if not 0 <= self.min_upvotes <= 1_000_000:
            raise WatchError("min_upvotes must be between 0 and 1000000")
        if self.view not in VIEWS:
            raise WatchError(f"view must be one of {', '.join(VIEWS)}")
        _stamp("created", self.created)
        _stamp("last_opened", self.last_opened, optional=True)

    def opened(self, at: str) -> Watch:
        """This watch, looked at ``at`` (its "new" count starts again from there)."""
        return replace(self, last_opened=at)

    def to_filter(self) -> PaperFilter:
        """The list filter showing this watch's papers."""
        return PaperFilter(
            view=self.view, search=self.search, min_upvotes=self.min_upvotes, keyword=self.keyword
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; ``Watch.from_json(w.to_json()) == w``."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> Watch:
        """Read a watch back; raise :class:`WatchError` on anything malformed."""
        if not isinstance(data, dict):
            raise WatchError("a watch must be a JSON object")
        known = ("name", "created", "search", "min_upvotes", "view", "keyword", "last_opened")
        missing = [k for k in ("name", "created") if k not in data]
        if missing:
            raise WatchError(f"missing {', '.join(missing)}")
        return cls(**{k: data[k] for k in known if k in data})
