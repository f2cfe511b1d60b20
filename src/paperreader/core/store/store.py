"""``Store``: the one object the rest of paperreader uses to reach the SQLite file.

It is a facade over the store's concerns, each in its own module: the file and its
transaction rules (``connection``, ``migrations``), fetched papers (``papers``, with
``columns`` for the row mapping and ``signals`` for upvote history), the reader's marks
(``user_state``), sync bookkeeping (``bookkeeping``), and listing and search (``search``
running the SQL that ``query`` builds). ``sql`` holds the one chunked ``IN (?, …)``
helper. No SQL runs outside this package, and no ``sqlite3`` exception leaves it:
every failure is a :class:`StoreError` that says what is wrong and what to do
(``errors``).

One ``Store`` per thread (sqlite3 connections are bound to their thread).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from paperreader.core.models import Paper, PaperFilter, PaperRecord, PaperRow
from paperreader.core.store import migrations
from paperreader.core.store.bookkeeping import Bookkeeping, PeriodRow
from paperreader.core.store.connection import StoreFile
from paperreader.core.store.errors import guarded as _guarded
from paperreader.core.store.errors import translated
from paperreader.core.store.papers import Papers, Prepared
from paperreader.core.store.search import Head, Search
from paperreader.core.store.sql import CHUNK
from paperreader.core.store.user_state import Mark, UserState

if TYPE_CHECKING:
    import sqlite_utils

P = ParamSpec("P")
R = TypeVar("R")


class Store:
    """A connection to the paper store. Not thread-safe: open one per thread."""

    def __init__(
        self,
        path: Path | str,
        *,
        migrate: bool = True,
        upgrading: Callable[[str], None] | None = None,
    ) -> None:
        """Open (creating or upgrading) the store at ``path``; ``upgrading`` is told before
        an existing store is upgraded, which can take seconds."""
        self.path = Path(path)
        self._file = StoreFile(self.path, migrate=migrate, upgrading=upgrading)
        self.conn: sqlite3.Connection = self._file.conn
        """The raw connection, for tests' and scripts' integrity checks only."""
        self._papers = Papers(self.conn)
        self._marks = UserState(self._file)
        self._books = Bookkeeping(self._file)
        self._search = Search(self.conn, self._papers)

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection (introspection and scripts)."""
        return self._file.utils

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._file.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, *, wait: float | None = None) -> AbstractContextManager[sqlite3.Connection]:
        """A short write transaction taken up front (BEGIN IMMEDIATE).

        ``wait``: seconds to wait for another program's write lock (default 15); when it
        runs out, ``StoreBusy`` is raised.
        """
        return self._file.write(wait=wait)

    @property
    @_guarded
    def schema_version(self) -> int:
        """How many migrations this store has had."""
        return len(migrations.applied(self.conn))

    @_guarded
    def check(self) -> list[str]:
        """Problems found by SQLite's and the search index's integrity checks."""
        return self._file.check()

    # -- papers --------------------------------------------------------------------

    @_guarded
    def prepare_papers(self, papers: Sequence[Paper], *, now: str) -> Prepared:
        """Parameters for a later ``upsert_papers(papers, now=now, prepared=…)``, worked out
        outside its transaction (for a writer on another thread; see ``Papers.prepare``)."""
        return self._papers.prepare(papers, now=now)

    @_guarded
    def upsert_papers(
        self, papers: Sequence[Paper], *, now: str | None = None, prepared: Prepared | None = None
    ) -> tuple[int, int]:
        """Insert or refresh ``papers``; returns (new, updated). Caller holds ``write()``."""
        return self._papers.upsert(papers, now=now, prepared=prepared)

    @_guarded
    def count(self) -> int:
        """How many papers the store holds."""
        return self._papers.count()

    @_guarded
    def latest_day(self) -> str | None:
        """The newest Daily Papers day in the store."""
        return self._papers.latest_day()

    @_guarded
    def rows(self, rids: Sequence[int]) -> dict[int, PaperRow]:
        """List rows for ``rids`` (the visible window), keyed by rid."""
        return self._papers.rows(rids)

    @_guarded
    def get(self, paper_id: str, *, with_signals: bool = False) -> PaperRecord | None:
        """The record of ``paper_id`` (an arXiv id), optionally with its signal history."""
        return self._papers.get(paper_id, with_signals=with_signals)

    @_guarded
    def paper_ids(self, rids: Sequence[int]) -> list[str]:
        """arXiv ids for ``rids`` (order not kept)."""
        return self._papers.paper_ids(rids)

    @_guarded
    def raw(self, paper_id: str) -> dict[str, Any] | None:
        """The API's JSON for ``paper_id`` as last stored."""
        return self._papers.raw(paper_id)

    # -- listing and search --------------------------------------------------------

    @_guarded
    def query_prefix(
        self,
        flt: PaperFilter,
        limit: int,
        *,
        today: dt.date | None = None,
        rank_window: int | None = None,
        extras: bool = True,
    ) -> tuple[list[int], int]:
        """The first ``limit`` rids of ``flt`` and how many there are (``Search.query_prefix``)."""
        return self._search.query_prefix(
            flt, limit, today=today, rank_window=rank_window, extras=extras
        )

    @_guarded
    def query_head(
        self,
        flt: PaperFilter,
        limit: int,
        *,
        today: dt.date | None = None,
        rank_window: int | None = None,
    ) -> Head:
        """The first ``limit`` rids of ``flt``, uncounted when counting costs a query."""
        return self._search.query_head(flt, limit, today=today, rank_window=rank_window)

    @_guarded
    def count_head(self, head: Head) -> int:
        """How many rows the query of ``head`` (from this store) has in all."""
        return self._search.count_head(head)

    @_guarded
    def query_rids(
        self, flt: PaperFilter, *, today: dt.date | None = None, rank_window: int | None = None
    ) -> Sequence[int]:
        """Rids of every paper matching ``flt``, in display order."""
        return self._search.query_rids(flt, today=today, rank_window=rank_window)

    @_guarded
    def query_rows(
        self, flt: PaperFilter, *, limit: int | None = None, today: dt.date | None = None
    ) -> list[PaperRow]:
        """List rows in filter order."""
        return self._search.query_rows(flt, limit=limit, today=today)

    def iter_rids(
        self,
        flt: PaperFilter,
        *,
        chunk: int = CHUNK,
        limit: int | None = None,
        today: dt.date | None = None,
        rank_window: int | None = None,
    ) -> Generator[list[int], None, None]:
        """Rids of ``flt`` in display order, ``chunk`` at a time (a generator, like
        ``iter_records``)."""
        with translated(self.path):
            yield from self._search.iter_rids(
                flt, chunk, limit=limit, today=today, rank_window=rank_window
            )

    @_guarded
    def known(self, paper_ids: Iterable[str]) -> set[str]:
        """Which of these arXiv ids the store holds."""
        return self._papers.known(paper_ids)

    @_guarded
    def records(
        self, flt: PaperFilter, *, limit: int | None = None, today: dt.date | None = None
    ) -> list[PaperRecord]:
        """Full records in filter order, all in memory (prefer ``iter_records``)."""
        return list(self._search.iter_records(flt, limit=limit, today=today))

    def iter_records(
        self,
        flt: PaperFilter,
        chunk: int = CHUNK,
        *,
        limit: int | None = None,
        today: dt.date | None = None,
    ) -> Iterator[PaperRecord]:
        """Full records in filter order, read ``chunk`` at a time: flat memory at any size.

        A generator: the store is first read (and a StoreError raised) on the first
        ``next()``.
        """
        with translated(self.path):
            yield from self._search.iter_records(flt, chunk, limit=limit, today=today)

    @_guarded
    def keyword_facets(self, limit: int = 30) -> list[tuple[str, int]]:
        """The commonest AI keywords and how many papers carry each."""
        return self._search.keyword_facets(limit)

    # -- the reader's marks --------------------------------------------------------

    @_guarded
    def set_read(
        self, paper_ids: Iterable[str], read: bool = True, *, wait: float | None = None
    ) -> int:
        """Mark papers (arXiv ids) read or unread; committed before returning.

        Returns how many changed. ``wait`` as for ``write()``.
        """
        return self._marks.write((Mark(pid, "read", read) for pid in paper_ids), wait=wait)

    @_guarded
    def set_favourite(self, paper_id: str, favourite: bool, *, wait: float | None = None) -> None:
        """Mark one paper (arXiv id) favourite or not; committed before returning."""
        self._marks.write([Mark(paper_id, "favourite", favourite)], wait=wait)

    @_guarded
    def write_marks(self, marks: Iterable[Mark], *, wait: float | None = None) -> int:
        """Apply ``marks`` in one transaction; returns how many papers changed."""
        return self._marks.write(marks, wait=wait)

    @_guarded
    def try_write_marks(self, marks: Iterable[Mark]) -> bool:
        """Apply ``marks`` if the write lock is free now; False (nothing written) if not."""
        return self._marks.try_write(marks)

    @_guarded
    def state(self, paper_id: str) -> tuple[bool, bool]:
        """(read, favourite) of ``paper_id``."""
        return self._marks.state(paper_id)

    @_guarded
    def unread_count(self) -> int:
        """Papers in the store not marked read."""
        return self._marks.unread_count()

    # -- sync bookkeeping ----------------------------------------------------------

    @_guarded
    def start_period(self, key: str, kind: str, start: str, end: str) -> None:
        """Note that a period is being fetched; it stays incomplete until finished."""
        self._books.start_period(key, kind, start, end)

    @_guarded
    def finish_period(
        self, key: str, *, papers: int, pages: int, partial_items: int = 0, now: str | None = None
    ) -> None:
        """Mark a period complete; the caller holds ``write()`` (with its last page)."""
        self._books.finish_period(
            key, papers=papers, pages=pages, partial_items=partial_items, now=now
        )

    @_guarded
    def fail_period(self, key: str, error: str) -> None:
        """Record why a period failed; it stays incomplete."""
        self._books.fail_period(key, error)

    @_guarded
    def drop_period(self, key: str) -> None:
        """Forget a period the server refused (its finer periods replace it)."""
        self._books.drop_period(key)

    @_guarded
    def incomplete_periods(self) -> list[tuple[str, str, str, str]]:
        """(key, kind, start, end) of periods a previous sync did not finish."""
        return self._books.incomplete_periods()

    @_guarded
    def periods(self) -> list[PeriodRow]:
        """Every recorded period, oldest first."""
        return self._books.periods()

    @_guarded
    def get_meta(self, key: str) -> str | None:
        """A meta value (``synced_through``, ``last_sync_at``, …), or None."""
        return self._books.get_meta(key)

    @_guarded
    def set_meta(self, key: str, value: str) -> None:
        """Set a meta value; the caller holds ``write()``."""
        self._books.set_meta(key, value)

    def checkpoint(self) -> None:
        """Fold the WAL back into the main file after a sync (never fatal)."""
        self._books.checkpoint()
