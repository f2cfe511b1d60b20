"""Opening the store file, and the transaction rules every write follows.

The file is in WAL mode so the reader and a sync can work at once. Every write is a
short ``BEGIN IMMEDIATE`` transaction: a deferred one that upgrades to a write can fail
with "database is locked" without waiting. A write may choose how long to wait for the
lock (``wait``); the reader's marks use ``wait=0`` so the UI thread never blocks.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from paperreader.core import clock, paths
from paperreader.core.store import migrations
from paperreader.core.store.errors import StoreError, explain

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 15_000


def _prepare_file(path: Path) -> None:
    """Create the folder (0700) and an empty store file (0600) before SQLite does.

    SQLite gives the -wal and -shm files the main file's mode, so creating it private
    keeps all three private.
    """
    folder = path.parent
    try:
        if not folder.exists():
            try:
                paths.ensure_private_dir(folder)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the store folder {folder}: {exc.strerror}",
                    reason="permission",
                ) from exc
        if not path.exists():
            try:
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
            except FileExistsError:
                pass
            except OSError as exc:
                raise StoreError(
                    f"cannot create the store {path}: {exc.strerror}", reason="permission"
                ) from exc
    except PermissionError as exc:  # a folder on the way that we may not look into
        raise explain(path, exc) from exc
    try:  # an existing folder or file left open to other users is made private again
        paths.tighten_store(path)
    except paths.UnsafePermissions as exc:
        raise StoreError(str(exc), reason="permission") from exc


class StoreFile:
    """One SQLite connection to a store file. Not thread-safe: open one per thread."""

    def __init__(
        self,
        path: Path,
        *,
        migrate: bool = True,
        upgrading: Callable[[str], None] | None = None,
    ) -> None:
        self.path = path
        _prepare_file(path)
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA journal_size_limit = 67108864")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            raise explain(path, exc) from exc
        if mode.lower() != "wal":
            conn.close()
            raise StoreError(f"cannot use {path}: WAL mode unavailable ({mode})")
        self.conn = conn
        self._utils: sqlite_utils.Database | None = None
        if migrate:
            self._migrate(upgrading)

    @property
    def utils(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection (migrations, introspection, scripts).

        Imported on first use: it costs ~0.2 s, and the reader's start-up path does not
        need it.
        """
        if self._utils is None:
            import sqlite_utils

            self._utils = sqlite_utils.Database(self.conn)
        return self._utils

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    @contextlib.contextmanager
    def write(self, *, wait: float | None = None) -> Iterator[sqlite3.Connection]:
        """A short write transaction taken up front (BEGIN IMMEDIATE).

        ``wait`` is how many seconds to wait for another program's write lock (default
        15); when it runs out, :class:`StoreBusy` is raised and nothing was written.
        """
        self._begin(wait)
        try:
            yield self.conn
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise explain(self.path, exc) from exc

    def _begin(self, wait: float | None) -> None:
        if wait is not None:
            self.conn.execute(f"PRAGMA busy_timeout = {max(0, int(wait * 1000))}")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise explain(self.path, exc) from exc
        finally:
            # Only taking the lock waits; once held, the default applies again.
            if wait is not None:
                self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _migrate(self, upgrading: Callable[[str], None] | None) -> None:
        try:
            todo = migrations.pending(self.conn)
        except migrations.NewerSchemaError as exc:
            self.close()
            raise StoreError(f"{self.path}: {exc}", reason="newer") from exc
        except sqlite3.Error as exc:
            self.close()
            raise explain(self.path, exc) from exc
        if not todo:
            return
        done = migrations.applied(self.conn)
        try:
            if done:
                label = f"v{len(done)}"
                if upgrading is not None:  # a big store takes seconds: say why we wait
                    upgrading(
                        f"upgrading {self.path} for this version of paperreader "
                        f"(the old one is kept as {self.path.name}.{label}.bak)…"
                    )
                self.backup(label)
            with self.write():
                migrations.apply(self.utils, todo, now=clock.stamp())
        except StoreError:
            self.close()
            raise
        except (sqlite3.Error, OSError) as exc:
            self.close()
            raise explain(self.path, exc) from exc

    def backup(self, label: str) -> Path:
        """Copy the store aside (consistently, via SQLite's backup API); returns the copy."""
        target = self.path.with_name(f"{self.path.name}.{label}.bak")
        dest = sqlite3.connect(target)
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        with contextlib.suppress(OSError):
            shutil.copymode(self.path, target)
        return target

    def check(self) -> list[str]:
        """Problems found by SQLite's and FTS5's integrity checks (empty: all is well)."""
        problems: list[str] = []
        try:
            problems += [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        except sqlite3.DatabaseError as exc:  # damage can stop the check itself
            problems.append(str(exc))
        try:
            self.conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as exc:
            problems.append(f"search index: {exc}")
        return problems
