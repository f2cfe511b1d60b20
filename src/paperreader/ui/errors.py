"""One home for "the store failed: tell the reader" (never a crash, never a traceback)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from paperreader.core.store import StoreError

F = TypeVar("F", bound=Callable[..., Any])


def reports_store_errors(method: F) -> F:
    """Turn a ``StoreError`` raised by ``method`` into an error notification (returns None).

    Works on methods of widgets and screens (they notify themselves) and of helpers
    that hold a ``screen`` (like ``Triage``).
    """

    @functools.wraps(method)
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except StoreError as exc:
            target = self if hasattr(self, "notify") else self.screen
            target.notify(str(exc), severity="error")
            return None

    return guarded  # type: ignore[return-value]
