"""The store under faults a reader can cause: damage, permissions, a held lock, big lists.

Every failure must come out as a ``StoreError`` that says what is wrong, that nothing was
changed and how to recover; never as a raw ``sqlite3`` exception or a traceback.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from paperreader.core.corpus import Corpus
from paperreader.core.models import PaperFilter
from paperreader.core.store import Mark, Store, StoreBusy, StoreError
from paperreader.core.store.sql import rows_in
from tests.conftest import papers_from


@pytest.fixture
def filled(store: Store, corpus: Corpus) -> Store:
    with store.write():
        store.upsert_papers(papers_from(corpus.all_items()), now="2026-11-25T06:00:00Z")
    return store


def _papers_page(db: Path) -> int:
    """A leaf page in the middle of the papers table: every full read of the papers crosses it.

    Found with ``dbstat`` rather than fixed, as which page holds what shifts with the corpus
    (a fixed page 300 held paper rows for some pinned days and index entries for others).
    """
    with sqlite3.connect(db) as con:
        pages = [
            n
            for (n,) in con.execute(
                "SELECT pageno FROM dbstat WHERE name = 'papers' AND pagetype = 'leaf'"
                " ORDER BY pageno"
            )
        ]
    con.close()
    assert len(pages) > 10, "the papers table is too small to damage in the middle"
    return pages[len(pages) // 2]


def _damage(db: Path, page_no: int) -> bytes:
    """Overwrite one whole page in the middle of the file, as a disk fault would."""
    size = sqlite3.connect(db).execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(db.read_bytes())
    assert len(data) > page_no * size, "the store is too small to damage at that page"
    data[(page_no - 1) * size : page_no * size] = b"\x5a" * size
    db.write_bytes(bytes(data))
    return bytes(data)


def test_store_damaged_in_the_middle_says_what_and_how_to_recover(filled: Store) -> None:
    db = filled.path
    filled.set_favourite(filled.query_rows(PaperFilter(), limit=1)[0].id, True)
    filled.close()  # the last connection folds the WAL into the file
    damaged = _damage(db, _papers_page(db))
    uses: dict[str, Callable[[Store], Any]] = {
        "records": lambda s: s.records(PaperFilter()),
        "iter_records": lambda s: list(s.iter_records(PaperFilter())),
        "query_rows": lambda s: s.query_rows(PaperFilter(sort="upvotes")),
        "search": lambda s: s.query_rids(PaperFilter(search="model", sort="relevance")),
        "facets": lambda s: s.keyword_facets(),
        "unread": lambda s: s.unread_count(),
    }
    failed: dict[str, StoreError] = {}
    for name, use in uses.items():
        try:
            with Store(db) as s:
                use(s)
        except StoreError as exc:  # anything else (sqlite3.DatabaseError) fails the test
            failed[name] = exc
    assert "records" in failed and "iter_records" in failed  # the page holds paper rows
    for exc in failed.values():
        message = str(exc)
        assert exc.reason == "damaged", message
        assert str(db) in message and "Nothing was changed" in message
        assert "PRAGMA integrity_check" in message and "paperreader sync" in message
    with Store(db) as s:
        assert s.check()  # the damage is found, not raised
    assert db.read_bytes() == damaged  # nothing was written to the damaged file


def test_recovery_message_names_the_backups(filled: Store) -> None:
    db = filled.path
    filled._file.backup("v1")
    filled.close()
    _damage(db, _papers_page(db))
    with pytest.raises(StoreError, match=r"papers\.db\.v1\.bak"), Store(db) as s:
        s.records(PaperFilter())


def _drop_root_powers() -> None:
    """Drop the capabilities that let root ignore file permissions, for the exec'd child."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


_OPEN = """
import json, sys
from paperreader.core.models import PaperFilter
from paperreader.core.store import Store, StoreError
try:
    with Store(sys.argv[1]) as s:
        s.query_rows(PaperFilter())
    print(json.dumps({"ok": True}))
except StoreError as exc:
    print(json.dumps({"reason": exc.reason, "message": str(exc)}))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="uses Linux capabilities")
@pytest.mark.parametrize("locked", ["folder", "file"])
def test_store_we_cannot_read(tmp_path: Path, locked: str) -> None:
    folder = tmp_path / "locked"
    db = folder / "papers.db"
    with Store(db) as s:
        s.set_favourite("2611.00001", True)
    target = folder if locked == "folder" else db
    target.chmod(0)
    try:
        done = subprocess.run(
            [sys.executable, "-c", _OPEN, str(db)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
            preexec_fn=_drop_root_powers,
        )
    finally:
        target.chmod(0o700 if locked == "folder" else 0o600)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    result = json.loads(done.stdout)
    assert result["reason"] == "permission", result
    assert str(db) in result["message"] and "Nothing was changed" in result["message"]
    assert "--db" in result["message"]
    with Store(db) as s:
        assert s.state("2611.00001") == (False, True)


def _hold_write_lock(db: Path, release: threading.Event, held: threading.Event) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    held.set()
    # A writer that waited for the lock would get it here and report success.
    release.wait(timeout=5)
    conn.execute("COMMIT")
    conn.close()


def test_try_write_marks_gives_up_at_once_while_another_program_writes(store: Store) -> None:
    release, held = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(store.path, release, held))
    holder.start()
    held.wait(timeout=10)
    try:
        applied = store.try_write_marks([Mark("2611.00001", "read", True)])
        with pytest.raises(StoreBusy):
            store.set_favourite("2611.00001", True, wait=0)
    finally:
        release.set()
        holder.join()
    assert applied is False
    assert store.state("2611.00001") == (False, False)  # nothing half-written
    marks = [Mark("2611.00001", "read", True), Mark("2611.00002", "favourite", True)]
    assert store.try_write_marks(marks) is True
    assert store.state("2611.00001") == (True, False)
    assert store.state("2611.00002") == (False, True)


def test_marks_still_wait_for_the_lock_by_default(store: Store) -> None:
    release, held = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(store.path, release, held))
    holder.start()
    held.wait(timeout=10)
    threading.Timer(0.2, release.set).start()
    try:
        assert store.set_read(["2611.00001"]) == 1  # waited for the holder, then wrote
    finally:
        release.set()
        holder.join()
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 15_000


def test_iter_records_streams_a_chunk_at_a_time(filled: Store) -> None:
    statements: list[str] = []
    filled.conn.set_trace_callback(statements.append)
    stream = filled.iter_records(PaperFilter(), chunk=100)
    first = next(stream)
    reads = [s for s in statements if "LEFT JOIN user_state" in s]
    assert len(reads) == 1 and reads[0].count(",") < 200  # one chunk of 100 rids so far
    rest = list(stream)
    filled.conn.set_trace_callback(None)
    everything = filled.records(PaperFilter())
    assert [first, *rest] == everything and len(everything) == filled.count()
    limited = list(filled.iter_records(PaperFilter(sort="upvotes"), 7, limit=250))
    assert limited == filled.records(PaperFilter(sort="upvotes"), limit=250)


def test_iter_records_memory_stays_flat(filled: Store) -> None:
    def peak(consume: Callable[[], object]) -> int:
        tracemalloc.start()
        consume()
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    def drain() -> None:
        for _ in filled.iter_records(PaperFilter(), chunk=50):
            pass

    whole = peak(lambda: filled.records(PaperFilter()))
    streamed = peak(drain)
    assert streamed * 5 < whole, (streamed, whole)


def test_chunked_in_helper_handles_more_keys_than_sqlite_binds(filled: Store) -> None:
    rids = list(filled.query_rids(PaperFilter()))
    keys = rids * 25  # > 32,766: one statement would exceed SQLite's bound-variable limit
    assert len(keys) > 40_000
    found = list(rows_in(filled.conn, "SELECT rid FROM papers WHERE rid IN ({marks})", keys))
    assert len(found) == 25 * len(rids)
    assert len(filled.rows(keys)) == len(rids)
    assert sorted(filled.paper_ids(rids)) == sorted(r.id for r in filled.query_rows(PaperFilter()))
