"""Hardening, round two, from the command line: hostile servers, the token, permissions,
poisoned pages, bad arguments, big exports, marks from scripts and shell completion."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paperreader.cli import main
from paperreader.core import clock
from paperreader.core.corpus import Corpus, paper_item
from paperreader.core.models import Paper
from paperreader.core.store import Store
from tests.conftest import TODAY
from tests.support.fakehub import FakeHub, Fault

ESCAPE_BYTES = (b"\x1b", b"\x07", b"\xc2\x9b", b"\xc2\x9d")


def cli(
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
    preexec: Any = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[bytes]:
    """``paperreader ARGS`` as a child process (the environment of this test plus ``env``)."""
    return subprocess.run(
        [sys.executable, "-m", "paperreader", *args],
        capture_output=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        preexec_fn=preexec,
    )


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_clear_line(err: str) -> bool:
    return len(err.strip().splitlines()) == 1 and "Traceback" not in err


def write_config(home: Path, text: str) -> Path:
    config = home / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text)
    return config


# -- 1: nothing from the network reaches the terminal as an escape ------------------------

HOSTILE = [
    # Raw ESC bytes, as the reproduction sends them (not valid JSON).
    Fault("status", status=400, body='{"error": "\x1b]2;PWNED\x1b\\ \x1b[2J"}', times=999),
    # JSON-escaped: decodes to the same escapes.
    Fault(
        "status", status=400, body=json.dumps({"error": "\x1b]2;PWNED\x1b\\ \x1b[2J"}), times=999
    ),
    # BEL-terminated OSC (swallows the following output on some terminals) and 8-bit CSI.
    Fault(
        "status", status=400, body=json.dumps({"error": ["\x1b]0;PWNED\x07x", "\x9b2J"]}), times=999
    ),
    Fault("status", status=400, headers={"X-Error-Message": "\x1b]2;PWNED\x07"}, times=999),
]


@pytest.mark.parametrize("fault", HOSTILE, ids=["raw", "escaped", "bel", "header"])
@pytest.mark.parametrize("mode", ["bar", "json", "show"])
def test_hostile_error_text_never_reaches_stdout_or_stderr(
    live_hub: FakeHub, tmp_path: Path, fault: Fault, mode: str
) -> None:
    live_hub.faults.append(dataclasses.replace(fault))
    base = ["--db", str(tmp_path / "h.db"), "--api-url", live_hub.url]
    if mode == "show":
        done = cli(["show", "2611.00001", *base])
    else:
        done = cli(["sync", "--days", "3", "--progress", mode, *base])
    assert done.returncode == 1, done.stderr
    both = done.stdout + done.stderr
    assert b"HTTP 400" in both  # the server's answer was quoted...
    assert not [e for e in ESCAPE_BYTES if e in both], both  # ...without its escapes
    assert b"Traceback" not in both


def test_hostile_text_in_the_store_is_cleaned_on_every_output(tmp_path: Path) -> None:
    # Text is cleaned at ingest; this store was written by something that did not.
    db = tmp_path / "raw.db"
    evil = Paper(
        id="2611.00001",
        title="Title\x1b]2;PWNED\x07\x9b2J",
        summary="Abstract\x1b[2J\x07 \u202eevil",
        authors=("Eve\x1b[31m",),
        daily_date="2026-11-02",
        upvotes=3,
    )
    with Store(db) as store, store.write():
        store.upsert_papers([evil])
    for args in (
        ["list"],
        ["list", "--json"],
        ["show", "2611.00001", "--offline"],
        *(["export", "--format", f] for f in ("json", "csv", "markdown", "bibtex")),
    ):
        done = cli([*args, "--db", str(db)])
        assert done.returncode == 0, (args, done.stderr)
        assert b"PWNED" in done.stdout, args
        both = done.stdout + done.stderr
        assert not [e for e in (*ESCAPE_BYTES, "\u202e".encode()) if e in both], (args, both)


# -- 2: the token --------------------------------------------------------------------------


def test_token_is_never_sent_over_plain_http(
    live_hub: FakeHub, tmp_path: Path, isolated_home: Path
) -> None:
    write_config(isolated_home, 'token_hosts = ["127.0.0.1"]\n')
    env = {"HF_TOKEN": "hf_secret_token"}
    base = ["--db", str(tmp_path / "t.db"), "--api-url", live_hub.url]
    synced = cli(["sync", "--days", "2", *base], env=env)
    shown = cli(["show", "2611.99999", *base], env=env)
    assert synced.returncode == 0, synced.stderr
    assert shown.returncode == 1 and b"no such paper" in shown.stderr
    assert len(live_hub.log) >= 3
    assert all("Authorization" not in r.headers for r in live_hub.log)
    assert all("hf_secret_token" not in json.dumps(r.headers) for r in live_hub.log)
    assert b"HF_TOKEN is not sent to" in synced.stderr


# -- 3: permissions under umask 000 ---------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _umask_000() -> None:
    os.umask(0)


def test_everything_is_created_private_under_umask_000(tmp_path: Path) -> None:
    home = tmp_path / "fresh" / "home"
    done = cli(["list"], env={"PAPERREADER_HOME": str(home)}, preexec=_umask_000)
    assert done.returncode == 0, done.stderr
    db = home / "data" / "papers.db"
    assert {_mode(p) for p in (tmp_path / "fresh", home, home / "data")} == {0o700}
    assert _mode(db) == 0o600
    for extra in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        assert not extra.exists() or _mode(extra) == 0o600


def test_config_folder_and_file_are_created_private_under_umask_000(tmp_path: Path) -> None:
    from paperreader.core.config import save_setting

    config = tmp_path / "home" / "config" / "config.toml"
    old = os.umask(0)
    try:
        save_setting(config, "theme", "nord")
    finally:
        os.umask(old)
    assert (_mode(config.parent.parent), _mode(config.parent), _mode(config)) == (
        0o700,
        0o700,
        0o600,
    )


def test_existing_open_folders_and_files_are_tightened_on_open(
    tmp_path: Path, isolated_home: Path
) -> None:
    db = isolated_home / "data" / "papers.db"
    with Store(db):
        pass
    config = write_config(isolated_home, "theme = 'nord'\n")
    for path, mode in (
        (isolated_home, 0o777),
        (db.parent, 0o777),
        (db, 0o644),
        (config.parent, 0o777),
        (config, 0o666),
    ):
        path.chmod(mode)
    done = cli(["list"], preexec=_umask_000)
    assert done.returncode == 0, done.stderr
    modes = [_mode(p) for p in (isolated_home, db.parent, db, config.parent, config)]
    assert modes == [0o700, 0o700, 0o600, 0o700, 0o600]


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to give the file to another user")
def test_config_others_can_edit_is_refused_with_a_clear_line(isolated_home: Path) -> None:
    config = write_config(isolated_home, "api_url = 'https://huggingface.co'\n")
    os.chown(config, 65534, 65534)
    config.chmod(0o666)
    done = cli(["list"])
    err = done.stderr.decode()
    assert done.returncode == 1 and one_clear_line(err), err
    assert "can be changed by other users" in err and "chmod 600" in err


# -- 4: one bad item must not stop every future sync ---------------------------------------


def _whole_months_before(day: dt.date, n: int) -> list[str]:
    keys: list[str] = []
    cursor = day.replace(day=1)
    for _ in range(n):
        cursor = (cursor - dt.timedelta(days=1)).replace(day=1)
        keys.append(f"{cursor:%Y-%m}")
    return keys[::-1]


def _poison(items: Any) -> str:
    items[0]["paper"]["upvotes"] = 10**20
    items[1]["paper"]["githubStars"] = "HUGE"
    items[2]["paper"]["extra"] = "DEEP"
    text = json.dumps(items).replace('"HUGE"', "7" * 5000)
    return text.replace('"DEEP"', "[" * 100_000 + "]" * 100_000)


def test_poisoned_pages_cost_their_items_and_the_next_sync_heals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    m = _whole_months_before(TODAY, 3)
    start = dt.date.fromisoformat(f"{m[0]}-01")
    end = TODAY.replace(day=1) - dt.timedelta(days=1)
    monkeypatch.setenv(clock.ENV, end.isoformat())
    corpus = Corpus(start, end, seed=4, per_day=3, abstract_words=20)
    db = str(tmp_path / "p.db")
    args = ["sync", "--since", start.isoformat(), "--db", db, "--max-attempts", "2"]
    with FakeHub(corpus, today=end) as hub:
        hub.faults += [
            Fault("mangle", match=f"month={m[0]}&limit=100&p=0", mangle=_poison),
            Fault("redirect", match=f"month={m[1]}", status=302, times=999),
            Fault("mangle", match=f"month={m[2]}", times=999, mangle=lambda _: "[" * 100_000),
        ]
        code, _, err = run(capsys, *args, "--api-url", hub.url)
        assert code == 1 and "Traceback" not in err
        assert f"failed {m[1]}: " in err and "redirects in a loop" in err
        assert f"failed {m[2]}: " in err and "nested too deeply" in err
        assert "1 malformed items skipped" in err and "2 items kept without" in err
        _, out, _ = run(capsys, "list", "--json", "--db", db)
        stored = json.loads(out)
        assert {p["date"][:7] for p in stored} == {m[0]}
        assert len(stored) == len(corpus.month(*map(int, m[0].split("-")))) - 1
        hub.faults.clear()
        code, _, err = run(capsys, *args, "--api-url", hub.url)
    assert code == 0, err
    _, out, _ = run(capsys, "list", "--json", "--db", db)
    stored = json.loads(out)
    assert {p["date"][:7] for p in stored} == set(m)
    # The failed months are complete now; re-fetching the settled month with one skipped
    # item is issue 10 item 5 (the sync's rule for periods with incomplete items).
    assert corpus.count() - len(stored) in (0, 1)


def test_refused_connection_fails_at_once_naming_the_url(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    done = cli(["sync", "--days", "1", "--db", str(tmp_path / "r.db"), "--api-url", url])
    err = done.stderr.decode()
    assert done.returncode == 1 and "Traceback" not in err
    assert f"could not reach {url}: connection refused" in err
    assert "attempts" not in err  # one try, not five


# -- 8: bad local input: exit 2 (1 for the config file), one line, no traceback -------------


@pytest.mark.parametrize(
    ("argv", "env", "code", "needle"),
    [
        (["sync", "--days", "99999999"], {}, 2, "must be at most 10000"),
        (["list"], {"PAPERREADER_API_URL": "::::"}, 2, "PAPERREADER_API_URL must be an http(s)"),
        (["list"], {"PAPERREADER_API_URL": "file:///etc/passwd"}, 2, "must be an http(s) URL"),
        (["list"], {"PAPERREADER_API_URL": "https://u:p@h.example"}, 2, "user name or password"),
        (["sync", "--days", "1", "--api-url", "http://127.0.0.1:99999"], {}, 2, "invalid port"),
        (["list", "--db", ""], {}, 2, "needs a file path"),
        (["sync", "--query", ""], {}, 2, "needs some text"),
        (["sync", "--query", " \x1b\x07 "], {}, 2, "needs some text"),
        (["sync", "--concurrency", "100000"], {}, 2, "must be at most 16"),
        (["sync", "--max-attempts", "11"], {}, 2, "must be at most 10"),
        (["list", "--limit", "9" * 40], {}, 2, "is not a whole number"),
        (["mark", "2611.00001"], {}, 2, "--read, --unread, --favourite or --unfavourite"),
    ],
)
def test_bad_input_is_one_clear_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    env: dict[str, str],
    code: int,
    needle: str,
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    got, _, err = run(capsys, *argv)
    assert got == code and needle in err and one_clear_line(err), err


@pytest.mark.parametrize(
    "line", ['api_url = "file:///etc/passwd"', 'api_url = "https://127.0.0.1:99999"']
)
def test_api_url_in_the_config_is_checked_like_the_option(
    capsys: pytest.CaptureFixture[str], isolated_home: Path, line: str
) -> None:
    write_config(isolated_home, line + "\n")
    code, _, err = run(capsys, "sync", "--days", "1")
    assert code == 1 and "api_url" in err and one_clear_line(err), err


def test_export_never_creates_missing_folders(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "no" / "such" / "dir" / "x.json"
    db = tmp_path / "e.db"
    code, _, err = run(capsys, "export", "--format", "json", "-o", str(target), "--db", str(db))
    assert code == 2 and "does not exist" in err and one_clear_line(err), err
    assert not (tmp_path / "no").exists() and not db.exists()


def test_nonsense_keymap_entries_are_named_once_and_dropped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import paperreader.ui.app  # noqa: F401  (the reader's bindings, as when it opens)
    from paperreader.cli.run import _usable_keymap
    from paperreader.core.config import Settings

    settings = Settings(
        keymap={
            "quit": "ctrl+x",
            "frobnicate": "z",
            "help": " , ",
            "mark_unread": "ctrl+shift+",  # modifiers and no key
            "search": "f5,ctrl+shift+up,?",
        }
    )
    kept = _usable_keymap(settings)
    err = capsys.readouterr().err
    assert kept.keymap == {"quit": "ctrl+x", "search": "f5,ctrl+shift+up,?"}
    assert one_clear_line(err) and err.count("frobnicate") == 1 and "help" in err
    assert "mark_unread (keys 'ctrl+shift+')" in err


# -- 9: exports stream ----------------------------------------------------------------------


def _bulk_store(path: Path, n: int) -> Path:
    """``n`` papers in one transaction: 200 generated papers, re-used under new ids and days."""
    base = [
        dataclasses.replace(
            Paper.from_api(paper_item(dt.date(2026, 6, 30), i, seed=3, abstract_words=20)),
            raw={},
            ai_keywords=(),
        )
        for i in range(200)
    ]
    papers: list[Paper] = []
    day = dt.date(2026, 6, 30)
    while len(papers) < n:
        if day.weekday() < 5:
            papers += [
                dataclasses.replace(
                    b, id=f"{day:%y%m}.{day.day:02d}{i:03d}", daily_date=day.isoformat()
                )
                for i, b in enumerate(base[: n - len(papers)])
            ]
        day -= dt.timedelta(days=1)
    with Store(path) as store:
        with store.write():
            store.upsert_papers(papers, now="2026-07-01T00:00:00Z")
        store.checkpoint()
    return path


def test_list_json_writes_before_reading_more_than_one_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from paperreader.core.store import columns as reads

    db = _bulk_store(tmp_path / "s.db", 2000)
    built: list[int] = []
    at_first_write: list[int] = []
    real = reads.record_from

    def counting(*args: Any) -> Any:
        built.append(1)
        return real(*args)

    class Probe:
        def write(self, chunk: str) -> int:
            if not at_first_write:
                at_first_write.append(len(built))
            return len(chunk)

        def flush(self) -> None:
            pass

    monkeypatch.setattr(reads, "record_from", counting)
    monkeypatch.setattr(sys, "stdout", Probe())
    for argv in (["list", "--json"], *(["export", "--format", f] for f in ("csv", "bibtex"))):
        built.clear()
        at_first_write.clear()
        assert main([*argv, "--db", str(db)]) == 0
        assert len(built) == 2000 and at_first_write[0] <= 500, (argv, at_first_write)


_MEASURE = """
import sys
from paperreader.cli import main
db, out = sys.argv[1], sys.argv[2]
runs = [["list", "--json"], ["list"]] + [["export", "--format", f] for f in sys.argv[3:]]
for i, argv in enumerate(runs):
    with open(f"{out}.{i}", "w", encoding="utf-8") as handle:
        sys.stdout = handle
        assert main([*argv, "--db", db]) == 0, argv
    sys.stdout = sys.__stdout__
status = open("/proc/self/status").read()
print([line for line in status.splitlines() if line.startswith("VmHWM")][0], file=sys.stderr)
"""


@pytest.mark.slow
@pytest.mark.undated
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_120k_papers_list_and_export_in_flat_memory(tmp_path: Path) -> None:
    n = 120_000
    db = _bulk_store(tmp_path / "big.db", n)
    out = tmp_path / "out"
    formats = ["json", "csv", "markdown", "bibtex"]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(db), str(out), *formats],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr
    peak_kb = int(done.stderr.split("VmHWM:")[1].split()[0])
    assert peak_kb < 100 * 1024, f"peak RSS {peak_kb} kB"
    # Every paper made it out, in every format.
    for i in (0, 2):  # list --json, export json
        with open(f"{out}.{i}", encoding="utf-8") as handle:
            assert handle.read(4) == "[\n  "
            assert sum(1 for line in handle if line == "  },\n") == n - 1
    with open(f"{out}.1", encoding="utf-8") as handle:
        assert sum(1 for _ in handle) == n
    with open(f"{out}.3", encoding="utf-8") as handle:
        assert sum(1 for _ in handle) == n + 1  # header row; abstracts have no newlines here
    with open(f"{out}.4", encoding="utf-8") as handle:
        assert sum(1 for line in handle if line.startswith("## [")) == n
    with open(f"{out}.5", encoding="utf-8") as handle:
        assert sum(1 for line in handle if line.startswith("@misc{")) == n


# -- issue 11 item 6: marks from scripts ----------------------------------------------------


@pytest.fixture
def marked_store(tmp_path: Path, live_corpus: Corpus) -> Iterator[tuple[Path, list[str]]]:
    db = tmp_path / "m.db"
    papers = [Paper.from_api(it) for it in live_corpus.all_items()[:6]]
    with Store(db) as store, store.write():
        store.upsert_papers(papers)
    yield db, [p.id for p in papers]


def test_mark_applies_the_readers_rules_and_reports(
    marked_store: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    db, ids = marked_store
    code, _, err = run(capsys, "mark", ids[0], f"arxiv:{ids[1]}v2", "--read", "--db", str(db))
    assert code == 0 and "marked read: 2 papers" in err, err
    code, _, err = run(capsys, "mark", ids[0], ids[2], "--read", "--favourite", "--db", str(db))
    assert code == 0, err
    assert "marked read: 1 paper (1 already read)" in err
    assert "added to favourites: 2 papers" in err
    code, _, err = run(
        capsys, "mark", ids[0], "2611.99999", "nonsense", "--unread", "--db", str(db)
    )
    assert code == 1
    assert "marked unread: 1 paper" in err and "not in the store (1): 2611.99999" in err
    assert "not arXiv ids (1): nonsense" in err
    with Store(db) as store:
        assert [store.state(i) for i in ids[:4]] == [
            (False, True),
            (True, False),
            (True, True),
            (False, False),
        ]


@pytest.mark.parametrize(
    "shape",
    ["list --json", "jq .[]", "jq -c .[]", "jq .[].id", "jq -r .[].id", "jq [.[].id]", "words"],
)
def test_mark_reads_ids_from_stdin_in_every_shape_jq_prints(
    marked_store: tuple[Path, list[str]], shape: str
) -> None:
    db, ids = marked_store
    listed = cli(["list", "--json", "--db", str(db)])
    records = json.loads(listed.stdout)[:3]
    chosen = [r["id"] for r in records]
    piped = {
        "list --json": json.dumps(records, indent=2),
        "jq .[]": "\n".join(json.dumps(r, indent=2) for r in records),
        "jq -c .[]": "\n".join(json.dumps(r) for r in records),
        "jq .[].id": "\n".join(json.dumps(i) for i in chosen),
        "jq -r .[].id": "\n".join(chosen),
        "jq [.[].id]": json.dumps(chosen),
        "words": " ".join(chosen),
    }[shape]
    done = cli(["mark", "--favourite", "--db", str(db)], stdin=piped.encode() + b"\n")
    assert done.returncode == 0, done.stderr
    assert b"added to favourites: 3 papers" in done.stderr
    dashed = cli(["mark", "-", "--read", "--db", str(db)], stdin=piped.encode())
    assert dashed.returncode == 0 and b"marked read: 3 papers" in dashed.stderr
    with Store(db) as store:
        assert {i for i in ids if store.state(i) == (True, True)} == set(chosen)


def test_mark_refuses_stdin_that_is_neither_ids_nor_json(
    marked_store: tuple[Path, list[str]],
) -> None:
    db, _ = marked_store
    done = cli(["mark", "--read", "--db", str(db)], stdin=b'[{"id": "2611.0')
    err = done.stderr.decode()
    assert done.returncode == 2 and "neither ids nor JSON" in err and one_clear_line(err)


def test_mark_without_ids_and_with_nothing_piped_in_is_a_usage_error_exit_2(
    marked_store: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = marked_store
    # stdin at /dev/null (cron, `ssh host cmd`, a CI step): no ids came from anywhere.
    done = subprocess.run(
        [sys.executable, "-m", "paperreader", "mark", "--read", "--db", str(db)],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    err = done.stderr.decode()
    assert done.returncode == 2 and one_clear_line(err), err
    assert err == "paperreader mark: give paper ids, or pipe them in (e.g. from list --json)\n"
    # No stdin at all (closed), in process: the same.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys, "stdin", None)
        code, _, err = run(capsys, "mark", "--favourite", "--db", str(db))
    assert code == 2 and "give paper ids" in err


@pytest.mark.parametrize("dash", [False, True], ids=["piped", "dash"])
def test_mark_from_an_empty_pipe_or_dash_has_nothing_to_mark_and_exits_0(
    marked_store: tuple[Path, list[str]], dash: bool
) -> None:
    """The README's `list --json | jq 'select(…)' | paperreader mark` matching nothing is
    a script's empty selection, not a mistake: exit 0, saying there was nothing to mark."""
    db, ids = marked_store
    argv = ["mark", *(["-"] if dash else []), "--read", "--favourite", "--db", str(db)]
    for piped in (b"", b"\n", b"[]\n"):
        done = cli(argv, stdin=piped)
        assert done.returncode == 0, done.stderr
        assert done.stderr == b"nothing to mark: no ids on stdin\n"
    if dash:  # `-` asks for stdin explicitly, so /dev/null is an empty selection too
        done = subprocess.run(
            [sys.executable, "-m", "paperreader", *argv],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
        assert done.returncode == 0 and done.stderr == b"nothing to mark: no ids on stdin\n"
        # A closed stdin (`<&-`) leaves Python no sys.stdin at all: nothing, not a traceback.
        done = subprocess.run(
            [sys.executable, "-m", "paperreader", *argv],
            capture_output=True,
            stdin=None,
            preexec_fn=lambda: os.close(0),
            timeout=120,
        )
        assert done.returncode == 0 and done.stderr == b"nothing to mark: no ids on stdin\n"
    with Store(db) as store:
        assert {store.state(i) for i in ids} == {(False, False)}


# -- issue 15 item 3: shell completion ------------------------------------------------------


def _bash_complete(script: Path, *words: str) -> list[str]:
    line = " ".join(words)
    array = " ".join(f"'{w}'" for w in words)
    done = subprocess.run(
        [
            "bash",
            "-c",
            f"source {script}; COMP_WORDS=({array}); COMP_CWORD={len(words) - 1}; "
            f"COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; _shtab_paperreader; "
            'printf "%s\\n" "${COMPREPLY[@]}"',
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completion_completes_commands_and_options(tmp_path: Path) -> None:
    done = cli(["completion", "bash"])
    assert done.returncode == 0, done.stderr
    script = tmp_path / "paperreader.bash"
    script.write_bytes(done.stdout)
    assert _bash_complete(script, "paperreader", "sy") == ["sync"]
    assert "--favourites" in _bash_complete(script, "paperreader", "list", "--fav")
    assert "--format" in _bash_complete(script, "paperreader", "export", "--for")
    assert "--unfavourite" in _bash_complete(script, "paperreader", "mark", "--unf")


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_completion_scripts_generate(tmp_path: Path, shell: str) -> None:
    done = cli(["completion", shell])
    assert done.returncode == 0, done.stderr
    script = done.stdout.decode()
    assert "sync" in script and "completion" in script
    # zsh names options as typed; fish as ``-l favourites``.
    assert ("--favourites" if shell == "zsh" else "-l favourites") in script
    if shutil.which(shell):
        path = tmp_path / f"paperreader.{shell}"
        path.write_text(script)
        check = subprocess.run([shell, "-n", str(path)], capture_output=True, timeout=60)
        assert check.returncode == 0, check.stderr


def test_completion_is_not_imported_for_other_commands(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom paperreader.cli import main\n"
        f"main(['list', '--db', {str(tmp_path / 'c.db')!r}])\n"
        "assert 'shtab' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_a_keymap_key_with_a_control_character_is_refused() -> None:
    from paperreader.core.config import keymap_problems

    # Keymap keys are shown in hints ("… — z to undo"): an escape must never get there.
    bad = keymap_problems({"undo": "\x1b", "quit": "x,\x9b"}, {"undo", "quit"})
    assert set(bad) == {"undo", "quit"}
    assert keymap_problems({"undo": "z", "quit": "ctrl+q,?"}, {"undo", "quit"}) == {}
