"""The command line: exit codes, JSON contract, sync/list/show/export end to end."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from paperreader.cli import main
from paperreader.core import clock
from paperreader.core.corpus import Corpus
from tests.conftest import MIDWEEK
from tests.support.fakehub import FakeHub, Fault

CONTRACT_KEYS = {
    "id",
    "title",
    "authors",
    "date",
    "published",
    "upvotes",
    "comments",
    "read",
    "favourite",
    "url",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def synced(live_hub: FakeHub, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    db = tmp_path / "cli.db"
    code, _, err = run(capsys, "sync", "--days", "40", "--db", str(db), "--api-url", live_hub.url)
    assert code == 0, err
    return db


def test_sync_then_list_json_contract(
    synced: Path, live_corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "list", "--json", "--db", str(synced))
    assert code == 0
    papers: list[dict[str, Any]] = json.loads(out)
    assert papers and set(papers[0]) >= CONTRACT_KEYS
    assert papers[0]["read"] is False and papers[0]["favourite"] is False
    assert papers[0]["url"] == f"https://huggingface.co/papers/{papers[0]['id']}"
    dates = [p["date"] for p in papers]
    assert dates == sorted(dates, reverse=True)
    code, out, _ = run(capsys, "--db", str(synced), "list", "--limit", "5")
    assert code == 0 and len(out.strip().splitlines()) == 5


def test_sync_summary_and_second_run_changes_nothing(
    live_hub: FakeHub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "s.db"
    args = ("sync", "--days", "10", "--db", str(db), "--api-url", live_hub.url)
    code, _, err = run(capsys, *args)
    assert code == 0 and "new" in err and "requests" in err
    code, _, err = run(capsys, *args)
    assert code == 0 and "0 new, 0 updated" in err


def test_search_ranks_title_hits_first(synced: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--search", "honesty", "--json", "--db", str(synced))
    papers = json.loads(out)
    assert code == 0 and papers and "honesty" in papers[0]["title"].lower()


def test_favourites_and_show(synced: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from paperreader.core.store import Store

    _, out, _ = run(capsys, "list", "--json", "--limit", "1", "--db", str(synced))
    pid = json.loads(out)[0]["id"]
    with Store(synced) as s:
        s.set_favourite(pid, True)
    _, out, _ = run(capsys, "list", "--favourites", "--json", "--db", str(synced))
    assert [p["id"] for p in json.loads(out)] == [pid]
    code, out, _ = run(capsys, "show", pid, "--db", str(synced))
    assert code == 0 and pid in out and "https://arxiv.org/pdf/" in out
    code, out, _ = run(capsys, "show", pid, "--json", "--db", str(synced))
    data = json.loads(out)
    assert data["favourite"] is True and data["signals"]


def test_show_fetches_unknown_paper_and_reports_404(
    live_hub: FakeHub, live_corpus: Corpus, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "x.db")
    target = live_corpus.all_items()[0]["paper"]["id"]
    code, out, _ = run(capsys, "show", target, "--db", db, "--api-url", live_hub.url)
    assert code == 0 and target in out
    code, _, err = run(capsys, "show", "1234.56789", "--db", db, "--api-url", live_hub.url)
    assert code == 1 and "no such paper" in err
    code, _, err = run(capsys, "show", "1234.56789", "--offline", "--db", db)
    assert code == 1 and "not in the store" in err


@pytest.mark.parametrize(
    ("command", "refusal"),
    [
        ("show", "not in the store"),
        ("read", "full text not stored (offline)"),
        ("import", "1: offline"),
    ],
)
def test_offline_before_the_command_is_kept(
    live_hub: FakeHub,
    live_corpus: Corpus,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    command: str,
    refusal: str,
) -> None:
    # `paperreader --offline show ID`: the sub-command's own unset --offline used to
    # overwrite the global one, and the paper was fetched from the network anyway.
    db = str(tmp_path / "x.db")
    target = live_corpus.all_items()[0]["paper"]["id"]
    ids = tmp_path / "ids.txt"
    ids.write_text(target + "\n")
    arg = str(ids) if command == "import" else target
    code, out, err = run(capsys, "--offline", "--db", db, "--api-url", live_hub.url, command, arg)
    assert refusal in out + err
    assert code == (0 if command == "import" else 1)
    assert live_hub.log == []  # not one request


def test_offline_with_sync_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "x.db"
    code, out, err = run(capsys, "--offline", "sync", "--db", str(db))
    assert code == 2 and out == ""
    assert err == (
        "paperreader: --offline opens the reader without syncing; it cannot be used with `sync`\n"
    )
    assert not db.exists()


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["sync", "--since", "2025-13-45"], "not a date"),
        (["sync", "--since", "2999-01-01"], "in the future"),
        (["sync", "--days", "0"], "at least 1"),
        (["sync", "--days", "3", "--since", "2025-01-01"], "not allowed with"),
        (["list", "--limit", "many"], "not a whole number"),
        (["export", "--format", "docx"], "invalid choice"),
        (["show", "not-an-id"], "not an arXiv id"),
        (["frobnicate"], "invalid choice"),
        (["--api-url", "file:///etc/passwd", "list"], "must be an http(s) URL"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_sync_failure_names_periods_and_keeps_data(
    live_corpus: Corpus,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "f.db"
    # "Today" is a Wednesday, so the three days synced (Mon–Wed) all have papers.
    monkeypatch.setenv(clock.ENV, MIDWEEK.isoformat())
    with FakeHub(live_corpus, today=MIDWEEK) as hub:
        # Every request for one day fails for good; the other days succeed.
        target = MIDWEEK.isoformat()
        hub.faults.append(Fault("status", match=f"date={target}", status=500, times=999))
        # Two tries, as real backoff sleeps would make this test slow.
        code, _, err = run(
            capsys,
            "sync",
            "--days",
            "3",
            "--db",
            str(db),
            "--api-url",
            hub.url,
            "--max-attempts",
            "2",
        )
    assert code == 1
    assert f"failed {target}" in err and "HTTP 500" in err
    assert "Traceback" not in err
    code, out, _ = run(capsys, "list", "--json", "--db", str(db))
    kept = json.loads(out)
    days = {p["date"] for p in kept}
    assert target not in days
    assert days == {(MIDWEEK - dt.timedelta(days=n)).isoformat() for n in (1, 2)}


def test_network_down_is_a_clear_failure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(
        capsys,
        "sync",
        "--days",
        "1",
        "--db",
        str(tmp_path / "n.db"),
        "--api-url",
        "http://127.0.0.1:9",
        "--max-attempts",
        "1",
    )
    assert code == 1 and "could not reach" in err and "Traceback" not in err


def test_corrupt_store_is_a_clear_failure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.db"
    bad.write_text("garbage" * 200)
    before = bad.read_bytes()
    code, out, err = run(capsys, "list", "--db", str(bad))
    assert code == 1 and out == ""
    assert "Traceback" not in err
    [line] = err.strip().splitlines()
    assert line.startswith(f"paperreader: error: {bad} is damaged ("), line
    assert "Nothing was changed" in line and "PRAGMA integrity_check" in line
    assert "run `paperreader sync` to fetch the papers again" in line
    assert "it is not a usable paperreader store" in line
    assert bad.read_bytes() == before  # never "repaired" by overwriting


def _limit_file_size(limit: int) -> Any:
    def preexec() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG from write(), not death
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def test_export_to_file_atomically(
    synced: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "out" / "papers.bib"
    target.parent.mkdir()  # export -o never creates folders (tests/system/test_hardening2.py)
    args = ("export", "--format", "bibtex", "-o", str(target), "--db", str(synced))
    code, _, err = run(capsys, *args)
    assert code == 0 and "exported" in err
    full = target.read_text()
    assert full.startswith("@misc{") and full.rstrip().endswith("}")
    # An export that dies half-way (the file may grow only to half the new content) leaves
    # the previous file exactly as it was, and no temporary file behind.
    old = "@misc{previous, title={The export before this one}}\n"
    target.write_text(old)
    env = {**os.environ, "PAPERREADER_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "paperreader", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        preexec_fn=_limit_file_size(len(full.encode()) // 2),
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == f"paperreader: error: cannot write {target}: File too large"
    assert target.read_text() == old
    assert sorted(p.name for p in target.parent.iterdir()) == ["papers.bib"]


def test_empty_store_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "list", "--db", str(tmp_path / "empty.db"))
    assert code == 0 and out == "" and "paperreader sync" in err


def test_entry_points_run_as_processes(tmp_path: Path) -> None:
    env = {**os.environ, "PAPERREADER_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "paperreader", "--version"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout.startswith("paperreader ")
    bad = subprocess.run(
        [sys.executable, "-m", "paperreader", "list", "--since", "nope"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_a_good_sync_from_the_command_line_stores_the_trending_ranking(
    live_hub: FakeHub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from paperreader.core.store import Store
    from paperreader.core.store.trending import trending_ranks

    db = tmp_path / "cli.db"
    code, _, err = run(capsys, "sync", "--days", "10", "--db", str(db), "--api-url", live_hub.url)
    assert code == 0, err
    with Store(db) as store:
        assert len(trending_ranks(store)) > 0
    code, out, _ = run(capsys, "list", "--sort", "trending", "--json", "--db", str(db))
    assert code == 0 and len(json.loads(out)) > 0


# -- a newcomer's findings: every command answers the same way for the same situation ------


@pytest.mark.parametrize(
    "argv",
    [["list"], ["export", "--format", "json"], ["mark", "2611.00001", "--read"], ["digest"]],
)
def test_demo_with_a_command_is_a_usage_error_not_silently_your_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    db = tmp_path / "mine.db"
    code, out, err = run(capsys, "--demo", "--db", str(db), *argv)
    assert code == 2 and out == ""
    assert err == f"paperreader: --demo only opens the reader; it cannot be used with `{argv[0]}`\n"
    assert not db.exists()  # the user's store was not even opened


def _one_paper_store(db: Path, corpus: Corpus) -> str:
    from paperreader.core.models import Paper
    from paperreader.core.store import Store

    paper = Paper.from_api(corpus.all_items()[0])
    with Store(db) as store, store.write():
        store.upsert_papers([paper])
    return paper.id


def test_note_and_tag_on_a_paper_not_in_the_store_exit_1_as_mark_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, live_corpus: Corpus
) -> None:
    db = tmp_path / "one.db"
    known = _one_paper_store(db, live_corpus)
    missing = "2611.99999"
    said = f"{missing} is not in the store (`paperreader show {missing}` fetches it)"
    for argv in (["note", missing, "--show"], ["note", missing], ["tag", missing]):
        code, out, err = run(capsys, "--db", str(db), *argv)
        assert (code, out) == (1, ""), argv
        assert err == f"paperreader {argv[0]}: {said}\n", argv
    code, _, err = run(capsys, "mark", missing, "--read", "--db", str(db))
    assert code == 1 and f"not in the store (1): {missing}" in err
    # The known paper is listed; the unknown ones are named on stderr, and the run fails.
    code, out, err = run(capsys, "--db", str(db), "tag", known, missing, "2611.99998")
    assert code == 1 and out == f"{known}: (no tags)\n"
    assert err == f"paperreader tag: not in the store (2): {missing}, 2611.99998\n"
    code, _, err = run(capsys, "note", known, "--show", "--db", str(db))
    assert code == 0 and err == f"{known} has no note\n"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_digest_of_an_empty_store_says_plainly_there_is_nothing_to_digest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    code, out, err = run(capsys, "digest", "--format", fmt, "--db", str(tmp_path / "e.db"))
    assert code == 0
    title = "paperreader digest: nothing to digest, the store is empty"
    if fmt == "text":
        assert out.splitlines()[0] == title and len(out.splitlines()) == 2
    elif fmt == "markdown":
        assert out.startswith("# paperreader digest\\: nothing to digest\\, the store is empty\n")
    else:
        assert "<h1 style=" in out and f">{title}</h1>" in out
    assert "listed today" not in out and "Nothing new" not in out and "(0)" not in out
    assert err == "the store is empty: run `paperreader sync` first\n"


def test_sync_off_a_terminal_starts_stderr_with_its_summary_not_a_blank_line(
    live_hub: FakeHub,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):  # Rich: "a terminal"
        monkeypatch.delenv(name, raising=False)
    db = tmp_path / "s.db"
    code, out, err = run(capsys, "sync", "--days", "3", "--db", str(db), "--api-url", live_hub.url)
    assert code == 0 and out == ""
    assert err.startswith("synced: "), repr(err)
    assert "" not in err.splitlines() and "\x1b" not in err


@pytest.mark.parametrize("fmt", ["bibtex", "json", "markdown"])
def test_export_of_an_empty_store_says_so_on_stderr_as_list_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, live_corpus: Corpus, fmt: str
) -> None:
    empty = tmp_path / "e.db"
    said = "the store is empty: run `paperreader sync` first\n"
    code, out, err = run(capsys, "export", "--format", fmt, "--db", str(empty))
    assert code == 0 and err == said
    assert out == {"bibtex": "", "json": "[]\n", "markdown": "# Papers\n"}[fmt]
    assert run(capsys, "list", "--db", str(empty)) == (0, "", said)
    assert run(capsys, "list", "--json", "--db", str(empty)) == (0, "[]\n", said)
    target = tmp_path / "out.bib"
    code, _, err = run(capsys, "export", "--format", fmt, "-o", str(target), "--db", str(empty))
    assert code == 0 and err == f"exported 0 papers to {target}\n{said}"
    # With papers stored, a filter that matches none says so, again as `list` does.
    one = tmp_path / "one.db"
    _one_paper_store(one, live_corpus)
    code, out, err = run(capsys, "export", "--format", fmt, "--tag", "nope", "--db", str(one))
    assert code == 0 and err == "no papers match\n"
    assert run(capsys, "list", "--tag", "nope", "--db", str(one)) == (0, "", "no papers match\n")
    assert run(capsys, "list", "--json", "--tag", "nope", "--db", str(one)) == (
        0,
        "[]\n",
        "no papers match\n",
    )
