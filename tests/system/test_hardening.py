"""Hostile networks, hostile text, hostile input and a hostile disk."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
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
from tests.conftest import MIDWEEK, TODAY, Sleeps, cannot_run, make_client, papers_from
from tests.support.fakehub import FakeHub, Fault
from tests.support.store_checks import assert_sound, paper_ids

C1 = {chr(c) for c in range(0x80, 0xA0)}
CONTROL = {chr(c) for c in range(0x20) if c != 0x0A} | {"\x7f"} | C1


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
    corpus.all_items()  # generated up front: the server answers every attempt at once
    store = Store(tmp_path / "chaos.db")
    sleeps = Sleeps()

    def page(month: str, p: int) -> str:
        return f"month={month}&limit=100&p={p}"

    # Each transient fault hits a page its month really asks for (every month has 6+ pages
    # and none fails before it): the URL is asked once more per fault, then answered.
    transient = [
        Fault("status", match=page(m[0], 0), status=429, headers={"RateLimit": '"api";r=0;t=20'}),
        Fault("status", match=page(m[0], 0), status=503, headers={"Retry-After": "3"}),
        Fault("status", match=page(m[1], 0), status=502, times=2),
        Fault("drip", match=page(m[1], 3)),
        Fault("reset", match=page(m[2], 1)),
        Fault("html", match=page(m[4], 0)),
        Fault("truncate", match=page(m[4], 2)),
    ]
    attempts = 4
    permanent = [
        Fault("status", match=page(m[2], 2), status=500, times=999),
        Fault("status", match=page(m[3], 0), status=503, times=999),
    ]
    with FakeHub(corpus, today=end) as hub:
        hub.faults += transient + permanent
        # The deadline only has to end the dripped body (60 s of it); a generous one keeps
        # ordinary pages on a loaded machine from timing out as well.
        async with make_client(hub.url, sleeps, deadline=5.0, max_attempts=attempts) as client:
            report = await sync.sync(store, client, since=start, today=end)
        asked: dict[str, int] = {}
        for r in hub.log:
            url = "&".join(f"{k}={v}" for k, v in r.query.items())
            asked[url] = asked.get(url, 0) + 1
    # Every queued fault fired: each transient one exactly as often as queued, each
    # permanent one on every attempt the client is allowed.
    assert [f.served for f in transient] == [1, 1, 2, 1, 1, 1, 1]
    assert [f.served for f in permanent] == [attempts, attempts]
    # ...and each one cost its URL a retry: the client saw it, not just the server. (At
    # least: on a very loaded machine an attempt can also run out of its deadline.)
    retried = {
        page(m[0], 0): 3,
        page(m[1], 0): 3,
        page(m[1], 3): 2,
        page(m[2], 1): 2,
        page(m[4], 0): 2,
        page(m[4], 2): 2,
    }
    assert all(asked.get(url, 0) >= n for url, n in retried.items()), asked
    assert asked[page(m[2], 2)] == asked[page(m[3], 0)] == attempts
    assert max(asked.values()) <= attempts  # bounded attempts
    assert set(report.periods_failed) == {m[2], m[3]}
    # Paced by RateLimit (t=20 → 21 s) and Retry-After (3 s).
    assert any(abs(s - 21.0) < 0.5 for s in sleeps.calls) and 3.0 in sleeps.calls
    assert_sound(store)
    stored = {r.id: r.daily_date or "" for r in store.query_rows(PaperFilter())}
    served = {it["paper"]["id"]: it["paper"]["submittedOnDailyAt"][:7] for it in corpus.all_items()}
    by_month = {key: {pid for pid, mon in served.items() if mon == key} for key in m}
    # Whole months came through every transient fault; nothing from the month whose first
    # page never came; the third month's good pages (0 and 1) are kept, its page 2 never came.
    for key in (m[0], m[1], m[4]):
        assert by_month[key] <= stored.keys(), key
    assert not by_month[m[3]] & stored.keys()
    assert len(by_month[m[2]] & stored.keys()) == 200
    assert store.count() == sum(len(by_month[k]) for k in (m[0], m[1], m[4])) + 200
    with FakeHub(corpus, today=end) as hub:
        async with make_client(hub.url, Sleeps()) as client:
            healed = await sync.sync(store, client, today=end)
    assert healed.ok
    assert store.count() == corpus.count()
    assert store.incomplete_periods() == []
    assert_sound(store)


async def test_slow_drip_cannot_hold_a_period_forever(tmp_path: Path, corpus: Corpus) -> None:
    store = Store(tmp_path / "drip.db")
    with FakeHub(corpus, today=TODAY) as hub:
        hub.faults.append(Fault("drip", match=f"date={MIDWEEK}", times=99))
        async with make_client(hub.url, Sleeps(), deadline=1.5, max_attempts=2) as client:
            report = await sync.sync(store, client, days=2, today=MIDWEEK)
    assert list(report.periods_failed) == [MIDWEEK.isoformat()]
    assert "within 1.5s" in report.periods_failed[MIDWEEK.isoformat()]
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


def _said(stderr: str) -> list[str]:
    """The lines a user reads (Rich's transient progress bar leaves a blank one)."""
    return [line for line in stderr.splitlines() if line.strip()]


#: The unprivileged user (``nobody``) a root test run drops to.
NOBODY = 65534


def _as_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def _without_root_powers() -> None:
    """Drop the capabilities that let root ignore file permissions (bounding set, so the
    exec'd process cannot regain them): a read-only folder is then read-only for real."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


_PROBE = """
import sys
import paperreader  # the child must be able to run the program at all
try:
    open(sys.argv[1], "x").close()
except PermissionError:
    sys.exit(0)
sys.exit(3)
"""


def _read_only_child(folder: Path, env: dict[str, str]) -> Any:
    """A ``preexec_fn`` under which ``folder`` is really read-only for the child.

    An ordinary user needs nothing: the folder's mode decides. Root ignores modes, so its
    child becomes ``nobody``, or (when ``nobody`` cannot reach the program) keeps root but
    loses the capabilities that override permissions. A probe proves the choice works.
    """
    candidates = [_as_nobody, _without_root_powers] if os.geteuid() == 0 else [None]
    reasons: list[str] = []
    for preexec in candidates:
        try:
            done = subprocess.run(
                [sys.executable, "-c", _PROBE, str(folder / "probe")],
                env=env,
                preexec_fn=preexec,
                capture_output=True,
                text=True,
                timeout=60,
            )
        except (OSError, subprocess.SubprocessError) as exc:  # the preexec or exec failed
            reasons.append(f"{getattr(preexec, '__name__', 'as is')}: {exc}")
            continue
        if done.returncode == 0:
            return preexec
        why = "the folder stays writable" if done.returncode == 3 else done.stderr.strip()
        reasons.append(f"{getattr(preexec, '__name__', 'as is')}: {why[-200:]}")
    cannot_run("cannot make a folder read-only for a child here: " + "; ".join(reasons))


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder an unprivileged child can reach (pytest's tmp folders are private to root)."""
    base = Path(tempfile.mkdtemp(prefix="paperreader-test-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        for folder, _dirs, files in os.walk(base):
            os.chmod(folder, 0o755)
            for name in files:
                os.chmod(os.path.join(folder, name), 0o644)
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.skipif(sys.platform != "linux", reason="uses Linux process credentials")
def test_read_only_store_folder_gives_a_clear_message(
    shared_dir: Path, live_hub: FakeHub, live_corpus: Corpus
) -> None:
    folder = shared_dir / "ro"
    db = folder / "papers.db"
    pid = live_corpus.all_items()[0]["paper"]["id"]
    with Store(db) as s:
        with s.write():
            s.upsert_papers(papers_from(live_corpus.all_items()[:5]))
        s.set_favourite(pid, True)
        s.set_read([pid])
    for leftover in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        leftover.unlink(missing_ok=True)
    home = shared_dir / "home"
    home.mkdir()
    if os.geteuid() == 0:
        os.chown(home, NOBODY, NOBODY)
    folder.chmod(0o555)
    db.chmod(0o444)
    before = db.read_bytes()
    env = {**os.environ, "PAPERREADER_HOME": str(home)}
    preexec = _read_only_child(folder, env)
    for args in (
        ["list", "--db", str(db)],
        ["sync", "--days", "1", "--db", str(db), "--api-url", live_hub.url],
    ):
        done = _run_cli(args, env=env, preexec=preexec)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        [line] = _said(done.stderr)
        assert line.startswith(f"paperreader: error: cannot write to {db} or its folder ("), line
    assert live_hub.log == []  # a store it cannot write is refused before any request
    assert db.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["papers.db"]
    folder.chmod(0o755)
    db.chmod(0o644)
    with Store(db) as s:  # writable again: the marks are all there
        assert s.state(pid) == (True, True)


class _FillingHub(FakeHub):
    """Answers ``good`` daily pages normally; on the next one, the syncing child's files
    stop growing (``RLIMIT_FSIZE``, as on a full disk) before the answer goes out."""

    LIMIT = 4096  # below every store file's size: no write that extends a file succeeds

    def __init__(self, corpus: Corpus, *, today: dt.date, good: int) -> None:
        super().__init__(corpus, today=today)
        self.good = good
        self.child: int | None = None
        self.stored_pages: list[list[str]] = []
        self.filled = False

    def route(self, path: str, q: dict[str, str]) -> tuple[int, Any]:
        status, payload = super().route(path, q)
        if path == "/api/daily_papers" and not self.filled:
            if len(self.stored_pages) == self.good:
                assert self.child is not None
                limit = (self.LIMIT, self.LIMIT)
                resource.prlimit(self.child, resource.RLIMIT_FSIZE, limit)
                self.filled = True
            else:
                self.stored_pages.append([it["paper"]["id"] for it in payload])
        return status, payload


def _ignore_sigxfsz() -> None:
    # EFBIG from write() instead of death by SIGXFSZ: what a full disk (ENOSPC) looks like
    # to the program, an error from the write. The disposition survives exec.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def test_full_disk_during_sync_is_reported_and_keeps_the_store(
    tmp_path: Path, live_corpus: Corpus
) -> None:
    db = tmp_path / "full.db"
    env = {**os.environ, "PAPERREADER_HOME": str(tmp_path / "home")}
    with FakeHub(live_corpus, today=TODAY) as hub:
        first = _run_cli(["sync", "--days", "5", "--db", str(db), "--api-url", hub.url], env=env)
    assert first.returncode == 0, first.stderr
    with Store(db) as s:
        before = paper_ids(s)
        marked = sorted(before)[:4]
        s.set_read(marked[:2])
        s.set_favourite(marked[1], True)
        s.set_favourite(marked[2], True)
        marks = {pid: s.state(pid) for pid in marked}
    assert len(before) > 0 and len(set(marks.values())) == 4  # every combination

    args = ["sync", "--days", "40", "--db", str(db), "--concurrency", "1"]
    with _FillingHub(live_corpus, today=TODAY, good=3) as hub:
        # One period at a time: when page 4 is asked for, pages 1-3 are committed.
        child = subprocess.Popen(
            [sys.executable, "-m", "paperreader", *args, "--api-url", hub.url],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_ignore_sigxfsz,
        )
        hub.child = child.pid
        out, err = child.communicate(timeout=120)
    assert hub.filled, "the sync finished before the disk filled"
    assert child.returncode == 1, err
    assert "Traceback" not in err and out == ""
    [line] = _said(err)
    assert line.startswith(f"paperreader: error: cannot write to {db}: disk I/O error"), line
    stored_before_full = {pid for page in hub.stored_pages for pid in page}
    assert stored_before_full - before, "the first pages brought no new papers"
    with Store(db) as s:
        assert_sound(s)
        after = paper_ids(s)
        assert before | stored_before_full <= after  # nothing stored is lost
        assert {pid: s.state(pid) for pid in marked} == marks
    with FakeHub(live_corpus, today=TODAY) as hub:  # room again: the next sync completes
        healed = _run_cli([*args, "--api-url", hub.url], env=env)
    assert healed.returncode == 0, healed.stderr
    with Store(db) as s:
        assert_sound(s)
        assert s.incomplete_periods() == []
        assert {pid: s.state(pid) for pid in marked} == marks


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
    assert len(err.strip().splitlines()) == 1
    assert db.read_bytes() == before


def test_browser_opener_never_uses_a_shell(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The real opener (webbrowser) launches the browser with an argument list: a URL full
    of shell syntax arrives as one argument and runs nothing."""
    import webbrowser

    from paperreader.core.config import load_settings
    from paperreader.ui.app import PaperReaderApp

    argv_file = tmp_path / "argv.json"
    pwned = tmp_path / "pwned"
    browser = tmp_path / "fake-browser"
    browser.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(argv_file)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    browser.chmod(0o755)
    for var in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("BROWSER", str(browser))
    monkeypatch.setattr(webbrowser, "_tryorder", None)  # forget browsers found earlier
    monkeypatch.setattr(webbrowser, "_browsers", {})
    launches: list[tuple[Any, dict[str, Any]]] = []
    real_popen = subprocess.Popen

    class SpyPopen(real_popen):  # type: ignore[misc, valid-type]
        def __init__(self, args: Any, *rest: Any, **kw: Any) -> None:
            launches.append((args, kw))
            super().__init__(args, *rest, **kw)

    def shell(*_a: Any, **_k: Any) -> None:
        raise AssertionError("the opener went through a shell")

    monkeypatch.setattr(subprocess, "Popen", SpyPopen)
    monkeypatch.setattr(os, "system", shell)
    monkeypatch.setattr(os, "popen", shell)
    store = Store(tmp_path / "b.db")
    app = PaperReaderApp(load_settings(db_path=store.path, offline=True), store)
    touch = f"touch${{IFS}}{pwned}"
    url = f"https://huggingface.co/papers/2611.00001?a=1;{touch};b=$({touch})&c=`{touch}`|{touch}"
    app.open_link(url)
    for bad in ("file:///etc/passwd", "javascript:alert(1)", "-x", "https://a b", "ftp://x"):
        app.open_link(bad)
    assert json.loads(argv_file.read_text()) == [url]  # one argument, byte for byte
    assert not pwned.exists()
    opened = [args for args, _ in launches if url in args or url == args]
    assert opened == [[str(browser), url]]  # an argument list, the URL untouched
    assert not any(kw.get("shell") for _, kw in launches)
