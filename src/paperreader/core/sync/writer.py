"""A sync's writes, on a thread of their own with a connection of their own.

Storing a page is mostly SQLite's work (indexing the text for search, updating the
tables: ~60% of a page's CPU time), and SQLite releases the GIL while it works. Done on
the event loop, that work and the next pages' parsing took turns on one core; done
here, they run side by side on two. A year of papers synced in about two thirds of the
time (see the README's Performance section).

Writes stay in order: one thread runs them one at a time, each in its own
transaction, and every caller waits for its own write before going on. A connection
is not shared between threads, so the thread opens its own on the same file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from paperreader.core.store import Store

T = TypeVar("T")


class StoreWriter:
    """Runs ``fn(store)`` on the writer thread; ``close()`` waits for what is under way."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="paperreader-writer")
        self._store: Store | None = None

    async def __call__(self, fn: Callable[[Store], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._run, fn)

    def _run(self, fn: Callable[[Store], T]) -> T:
        if self._store is None:
            # The caller's store has already been opened (and upgraded) on this file.
            self._store = Store(self._path, migrate=False)
        return fn(self._store)

    def close(self) -> None:
        """Finish the write under way (a cancelled caller no longer waits for it), then
        close the thread's connection."""
        self._pool.submit(self._close_store)
        self._pool.shutdown(wait=True)

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
