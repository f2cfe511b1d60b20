"""What can go wrong with the store, said in words a reader can act on.

No ``sqlite3`` exception leaves the store package: :func:`explain` turns each one into a
:class:`StoreError` that names the file, says what is wrong, that nothing was changed (a
failed write is rolled back) and how to recover. ``reason`` lets a front end choose how
to show it without parsing the message.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Concatenate, Literal, ParamSpec, Protocol, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

Reason = Literal["damaged", "permission", "busy", "disk", "newer", "other"]


class StoreError(Exception):
    """The store cannot be opened or used; the message says why and what to do."""

    def __init__(self, message: str, *, reason: Reason = "other") -> None:
        super().__init__(message)
        self.reason: Reason = reason


class StoreBusy(StoreError):
    """Another program holds the write lock and the caller chose not to wait (long)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, reason="busy")


_KINDS: tuple[tuple[Reason, tuple[str, ...]], ...] = (
    ("damaged", ("not a database", "malformed", "corrupt", "disk image")),
    ("permission", ("readonly", "read-only", "unable to open", "permission", "access")),
    ("busy", ("locked", "busy")),
    ("disk", ("disk", "full", "i/o")),
)


def reason_of(message: str) -> Reason:
    """Classify an SQLite error message."""
    low = message.lower()
    for reason, words in _KINDS:
        if any(w in low for w in words):
            return reason
    return "other"


def backups(path: Path) -> list[Path]:
    """The copies the store made of itself before upgrades (``papers.db.v1.bak``, …)."""
    try:
        return sorted(path.parent.glob(f"{path.name}.*.bak"))
    except OSError:
        return []


def damaged(path: Path, detail: str) -> StoreError:
    """The error for a store file SQLite cannot read as a whole."""
    found = backups(path)
    restore = (
        f"copy a backup over it ({', '.join(p.name for p in found)} is next to it)"
        if found
        else "copy a backup over it if you have one"
    )
    return StoreError(
        f"{path} is damaged ({detail}): it is not a usable paperreader store. "
        "Nothing was changed. To recover: run "
        f"`sqlite3 {path} 'PRAGMA integrity_check'` to see the damage; {restore}; "
        "or move it aside and run `paperreader sync` to fetch the papers again "
        "(read marks and favourites are kept only in the store).",
        reason="damaged",
    )


def explain(path: Path, exc: sqlite3.Error | OSError) -> StoreError:
    """A :class:`StoreError` for ``exc`` raised while using the store at ``path``."""
    if isinstance(exc, OSError):
        detail = exc.strerror or str(exc)
        return StoreError(
            f"cannot open the store {path}: {detail}. Nothing was changed. "
            f"Check that you can read and write {path.parent} (it should be yours, "
            "mode 0700), or choose another file with --db.",
            reason="permission",
        )
    msg = str(exc)
    reason = reason_of(msg)
    if reason == "damaged":
        return damaged(path, msg)
    if reason == "permission":
        return StoreError(
            f"cannot write to {path} or its folder ({msg}). Nothing was changed. "
            "Check that you can read and write both (they should be yours: the folder "
            "0700, the file 0600), or choose another file with --db.",
            reason=reason,
        )
    if reason == "busy":
        return StoreBusy(
            f"{path} is locked by another program ({msg}); nothing was changed. "
            "Try again in a moment."
        )
    if reason == "disk":
        return StoreError(f"cannot write to {path}: {msg}. Nothing was changed.", reason=reason)
    return StoreError(f"store error in {path}: {msg}", reason=reason)


class _HasPath(Protocol):
    @property
    def path(self) -> Path: ...


S = TypeVar("S", bound=_HasPath)


@contextlib.contextmanager
def translated(path: Path) -> Iterator[None]:
    """Inside, any sqlite3 error comes out as the StoreError :func:`explain` makes of it."""
    try:
        yield
    except sqlite3.Error as exc:
        raise explain(path, exc) from exc


def guarded(fn: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Decorate a function of a store (or anything with its ``path``) so that every
    sqlite3 error it raises becomes a StoreError naming the file."""

    @functools.wraps(fn)
    def wrapper(store: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with translated(store.path):
            return fn(store, *args, **kwargs)

    return wrapper
