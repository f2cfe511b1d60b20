"""Hostile networks, hostile text, hostile input and a hostile disk."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Console

from paperreader.cli import main
from paperreader.core import sync
from paperreader.core.corpus import Corpus
from paperreader.core.models import Paper, PaperFilter, PaperRecord, PaperRow
from paperreader.core.store import Store
from paperreader.core.views import SORTS, VIEWS
from paperreader.ui.widgets.paper_detail import render_record
from paperreader.ui.widgets.paper_list import row_cells
from tests.conftest import MIDWEEK, TODAY, Sleeps, make_client, papers_from
from tests.support.fakehub import FakeHub, Fault

C1 = {chr(c) for c in range(0x80, 0xA0)}
CONTROL = {chr(c) for c in range(0x20) if c != 0x0A} | {"\x7f"} | C1


def integrity(store: Store) -> None:
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')")
    ids = store.conn.execute("SELECT count(*), count(DISTINCT id) FROM papers").fetchone()
    assert ids[0] == ids[1]


# -- network faults ------------------------------------------------------------------


def _months_before(day: dt.date, n: int) -> list[str]:
    """The ``n`` whole months before ``day``'s month, oldest first, as ``YYYY-MM``."""
    keys: list[str] = []
    cursor = day.replace(day=1)
    for _ in range(n):
        cursor = (cursor - dt.timedelta(days=1)).replace(day=1)
        keys.append(f"{cursor:%Y-%m}")
    return keys[::-1]


async def test_chaos_sync_names_exactly_the_failed_periods_then_heals(tmp_path: Path) -> None:
    # Five whole months, synced "as of" the last day of the fifth: independent of the weekday.
    m = _months_before(TODAY, 5)
    start = dt.date.fromisoformat(f"{m[0]}-01")
    end = TODAY.replace(day=1) - dt.timedelta(days=1)
    corpus = Corpus(start, end, seed=9, per_day=30, abstract_words=30)
    store = Store(tmp_path / "chaos.db")
    sleeps = Sleeps()
    transient = [
        Fault("status", match=f"month={m[0]}", status=429, headers={"RateLimit": '"api";r=0;t=20'}),
        Fault("status", match=f"month={m[1]}", status=502, times=2),
        Fault("reset", match=f"month={m[2]}&limit=100&p=1"),
        Fault("truncate", match=f"month={m[3]}&limit=100&p=2"),
        Fault("html", match=f"month={m[4]}&limit=100&p=0"),
        Fault("drip", match=f"month={m[1]}&limit=100&p=3"),
        Fault("status", match=f"month={m[0]}", status=503, headers={"Retry-After": "3"}),
    ]
    permanent = [
        Fault("status", match=f"month={m[2]}&limit=100&p=2", status=500, times=999),
        Fault("status", match=f"month={m[3]}&limit=100&p=0", status=503, times=999),
    ]
    with FakeHub(corpus, today=end) as hub:
        hub.faults += transient + permanent
        async with make_client(hub.url, sleeps, deadline=1.0, max_attempts=4) as client:
            report = await sync.sync(store, client, since=start, today=end)
        per_url: dict[str, int] = {}
        for r in hub.log:
            key = str(sorted(r.query.items()))
            per_url[key] = per_url.get(key, 0) + 1
    assert set(report.periods_failed) == {m[2], m[3]}
    assert max(per_url.values()) <= 4  # bounded attempts
    # Paced by RateLimit (t=20 → 21 s) and Retry-After (3 s).
    assert any(abs(s - 21.0) < 0.5 for s in sleeps.calls) and 3.0 in sleeps.calls
    integrity(store)
    stored_days = {r.daily_date for r in store.query_rows(PaperFilter())}
    assert not any(d and d.startswith(m[3]) for d in stored_days)  # page 0 never came
    # Pages 0 and 1 of the third month were good and are kept; page 2 never arrived.
    assert sum(1 for d in stored_days if d and d.startswith(m[2])) > 0
    with FakeHub(corpus, today=end) as hub:
        async with make_client(hub.url, Sleeps()) as client:
            healed = await sync.sync(store, client, today=end)
    assert healed.ok
    assert store.count() == corpus.count()
    assert store.incomplete_periods() == []
    integrity(store)


async def test_slow_drip_cannot_hold_a_period_forever(tmp_path: Path, corpus: Corpus) -> None:
    store = Store(tmp_path / "drip.db")
    with FakeHub(corpus, today=TODAY) as hub:
        hub.faults.append(Fault("drip", match=f"date={MIDWEEK}", times=99))
        async with make_client(hub.url, Sleeps(), deadline=0.5, max_attempts=2) as client:
            report = await sync.sync(store, client, days=2, today=MIDWEEK)
    assert list(report.periods_failed) == [MIDWEEK.isoformat()]
    assert "within 0.5s" in report.periods_failed[MIDWEEK.isoformat()]
    tuesday = MIDWEEK - dt.timedelta(days=1)
    assert store.count() == len(corpus.day(tuesday)) > 0


# -- hostile text --------------------------------------------------------------------

HOSTILE = [
    "[bold]x[/]",
    "[/]",
    "[link=file:///etc/passwd]click[/link]",
    "[@click=app.quit]q[/]",
    "\x1b]2;TITLE\x07",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b[2J\x1b[H",
    "\x1bc",
    "\x9b31m",
    "\u202eevil\u202c",
    "zero\u200bwidth",
    "A" * 5000,
    "ｗｉｄｅ漢字" * 30,
    "e\u0301" * 50,
]
hostile_text = st.one_of(
    st.text(), st.sampled_from(HOSTILE), st.lists(st.sampled_from(HOSTILE), max_size=5).map("".join)
)


@given(
    title=hostile_text,
    org=st.one_of(st.none(), hostile_text),
    width=st.integers(min_value=1, max_value=200),
    upvotes=st.integers(0, 10**7),
    read=st.booleans(),
    fav=st.booleans(),
)
@example(title="[/]", org=None, width=3, upvotes=0, read=False, fav=False)
@settings(max_examples=1500, deadline=None)
def test_list_rows_never_raise_and_never_emit_controls(
    title: str, org: str | None, width: int, upvotes: int, read: bool, fav: bool
) -> None:
    row = PaperRow(
        rid=1,
        id="2611.00001",
        title=title,
        daily_date="2026-11-25",
        upvotes=upvotes,
        comments=3,
        organization=org,
        read=read,
        favourite=fav,
    )
    cells = row_cells(row, width)
    from rich.cells import cell_len

    assert sum(cell_len(c) for c, _ in cells) == width
    assert not (set("".join(c for c, _ in cells)) & (CONTROL | {"\n"}))


def _rendered(record: PaperRecord, width: int = 80) -> str:
    out = io.StringIO()
    Console(
        file=out, width=width, color_system=None, force_terminal=False, legacy_windows=False
    ).print(render_record(record))
    return out.getvalue()


@given(
    title=hostile_text,
    summary=hostile_text,
    author=hostile_text,
    keyword=hostile_text,
    url=st.one_of(st.none(), hostile_text),
)
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_detail_never_raises_and_never_emits_controls(
    title: str, summary: str, author: str, keyword: str, url: str | None
) -> None:
    item = {
        "paper": {
            "id": "2611.00002",
            "title": title or "t",
            "summary": summary,
            "authors": [{"name": author}],
            "ai_keywords": [keyword],
            "githubRepo": url,
            "ai_summary": summary,
        }
    }
    try:
        paper = Paper.from_api(item)
    except Exception as exc:  # only the documented rejection is allowed
        assert type(exc).__name__ == "ItemError"
        return
    rendered = _rendered(PaperRecord(paper=paper))
    assert "\x1b" not in rendered
    assert not (set(rendered) & C1)


def test_huge_abstract_is_capped_and_renders() -> None:
    paper = Paper.from_api(
        {"paper": {"id": "2611.00003", "title": "Big", "summary": "word " * 25_000}}
    )
    assert len(paper.summary) <= 20_000
    assert "word" in _rendered(PaperRecord(paper=paper))


# -- hostile input -------------------------------------------------------------------

SEARCH = st.one_of(
    st.text(max_size=80),
    st.lists(
        st.sampled_from(
            [
                '"',
                "(",
                ")",
                "AND",
                "OR",
                "NOT",
                "NEAR(",
                "*",
                "^",
                "-",
                ":",
                "{title}",
                " ",
                "\t",
                "\x00",
                "'",
                "model",
                "NEAR/3",
                "+",
            ]
        ),
        max_size=8,
    ).map("".join),
)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    corpus = Corpus(TODAY - dt.timedelta(days=6), TODAY, seed=4, per_day=5, abstract_words=20)
    with Store(tmp_path_factory.mktemp("fuzz") / "fuzz.db") as s:
        with s.write():
            s.upsert_papers(papers_from(corpus.all_items()))
        yield s


@given(
    text=SEARCH,
    view=st.sampled_from(VIEWS),
    sort=st.sampled_from(SORTS),
    window=st.sampled_from([None, 1, 3, 1000]),
)
@settings(
    max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_search_box_any_input_never_raises(
    small_store: Store, text: str, view: Any, sort: Any, window: int | None
) -> None:
    flt = PaperFilter(view=view, search=text, sort=sort)
    ids, total = small_store.query_prefix(flt, 5, today=TODAY, rank_window=window)
    full = small_store.query_rids(flt, today=TODAY, rank_window=window)
    assert list(full[:5]) == ids and len(full) == total


@given(text=SEARCH)
@settings(
    max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_cli_search_any_input_never_raises(
    small_store: Store, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    code = main(["list", "--db", str(small_store.path), "--search", text, "--limit", "3"])
    _out, err = capsys.readouterr()
    assert code in (0, 2), err  # 2: argparse refused it (e.g. it looks like an option)
    assert "Traceback" not in err
    if code == 2:
        assert len(err.strip().splitlines()) == 1


# -- store faults --------------------------------------------------------------------


def _run_cli(
    args: list[str], *, env: dict[str, str], preexec: Any = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "paperreader", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        preexec_fn=preexec,
    )


def _without_root_powers() -> None:
    """Drop the capabilities that let root ignore file permissions (bounding set, so the
    exec'd process cannot regain them): a read-only folder is then read-only for real."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.mark.skipif(sys.platform != "linux", reason="uses Linux capabilities")
def test_read_only_store_folder_gives_a_clear_message(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    db = folder / "papers.db"
    with Store(db) as s:
        s.set_favourite("2611.00001", True)
    before = db.read_bytes()
    for leftover in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        leftover.unlink(missing_ok=True)
    folder.chmod(0o555)
    db.chmod(0o444)
    try:
        env = {**os.environ, "PAPERREADER_HOME": str(tmp_path / "home")}
        for args in (["list", "--db", str(db)], ["sync", "--days", "1", "--db", str(db)]):
            done = _run_cli(args, env=env, preexec=_without_root_powers)
            assert done.returncode == 1, done.stderr
            assert "cannot write" in done.stderr, done.stderr
            assert "Traceback" not in done.stderr
            assert len(done.stderr.strip().splitlines()) == 1
        assert db.read_bytes() == before
    finally:
        folder.chmod(0o755)
        db.chmod(0o600)


def test_full_disk_during_sync_is_reported_and_keeps_the_store(
    tmp_path: Path, live_hub: FakeHub
) -> None:
    db = tmp_path / "full.db"
    with Store(db) as s:
        s.set_favourite("2611.00001", True)
    size = db.stat().st_size

    def limit_file_size() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 64 * 1024, size + 64 * 1024))

    env = {**os.environ, "PAPERREADER_HOME": str(tmp_path / "home")}
    done = _run_cli(
        ["sync", "--days", "40", "--db", str(db), "--api-url", live_hub.url],
        env=env,
        preexec=limit_file_size,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "disk" in done.stderr or "full" in done.stderr, done.stderr
    with Store(db) as s:
        integrity(s)
        assert s.state("2611.00001") == (False, True)


def test_newer_store_via_cli_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "newer.db"
    with Store(db) as s, s.write():
        s.conn.execute("INSERT INTO _migrations VALUES ('m900_future', 'x')")
    before = db.read_bytes()
    assert main(["list", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "newer paperreader" in err and "Traceback" not in err
    assert db.read_bytes() == before


def test_browser_opener_never_uses_a_shell(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import webbrowser

    from paperreader.core.config import load_settings
    from paperreader.ui.app import PaperReaderApp

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(webbrowser, "open", lambda *a, **k: calls.append(a))
    store = Store(tmp_path / "b.db")
    app = PaperReaderApp(load_settings(db_path=store.path, offline=True), store)
    app.open_link("https://huggingface.co/papers/2611.00001")
    for bad in ("file:///etc/passwd", "javascript:alert(1)", "-x", "https://a b", "ftp://x"):
        app.open_link(bad)
    assert calls == [("https://huggingface.co/papers/2611.00001",)]
