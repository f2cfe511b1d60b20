"""The note, tag, import and state commands, run in-process on a real store."""

from __future__ import annotations

import datetime as dt
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from paperreader.cli import state_cmds
from paperreader.cli.parser import Parser, UsageError
from paperreader.core.config import load_settings
from paperreader.core.corpus import Corpus
from paperreader.core.models import Paper
from paperreader.core.store import notes_tags
from tests.conftest import TODAY
from tests.support.fakehub import FakeHub
from tests.support.state import state_store

P1, P2, ABSENT = "2611.00001", "2611.00002", "2611.09999"
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """``cli("tag", P1, "+x")`` → (exit code, stdout, stderr) on one store."""
    monkeypatch.delenv("PAPERREADER_STATE_DIR", raising=False)
    db = tmp_path / "papers.db"
    with state_store(db) as store, store.write():
        store.upsert_papers([Paper(id=pid, title=f"Paper {pid}") for pid in (P1, P2)])

    def run(
        *argv: str, state_dir: Path | None = None, api_url: str | None = None
    ) -> tuple[int, str, str]:
        parser = Parser(prog="paperreader")
        state_cmds.add_parsers(parser.add_subparsers(dest="command", parser_class=Parser))
        capsys.readouterr()
        try:
            args = parser.parse_args(argv)
        except UsageError as exc:
            return 2, "", str(exc)
        # As cli.run.settings_from does: --offline is a setting from here on.
        offline = True if getattr(args, "offline", False) else None
        settings = load_settings(db_path=db, state_dir=state_dir, api_url=api_url, offline=offline)
        with state_store(db) as store:
            code = state_cmds.run(args, store, settings)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_note_set_show_and_remove(cli: Run) -> None:
    assert cli("note", P1, "--set", "first line\n\nsecond")[0] == 0
    assert cli("note", f"arXiv:{P1}v2")[1] == "first line\n\nsecond\n"
    code, _, err = cli("note", P1, "--set", "")
    assert code == 0 and "removed" in err
    code, out, err = cli("note", P1, "--show")
    assert (code, out) == (0, "") and "has no note" in err


def test_note_edit_runs_the_editor(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "editor.py"
    script.write_text("import sys\nwith open(sys.argv[1], 'a') as f:\n    f.write(' + edited')\n")
    monkeypatch.setenv("VISUAL", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    cli("note", P1, "--set", "draft")
    assert cli("note", P1, "--edit")[0] == 0
    assert cli("note", P1)[1] == "draft + edited\n"
    monkeypatch.setenv("VISUAL", f"{shlex.quote(sys.executable)} -c pass")
    code, _, err = cli("note", P1, "--edit")
    assert code == 0 and "unchanged" in err
    monkeypatch.setenv("VISUAL", f"{shlex.quote(sys.executable)} -c 'raise SystemExit(3)'")
    code, _, err = cli("note", P1, "--edit")
    assert code == 1 and "status 3" in err and err.count("\n") == 1
    assert cli("note", P1)[1] == "draft + edited\n"


def test_tag_adds_removes_and_lists(cli: Run) -> None:
    code, out, _ = cli("tag", P1, P2, "+RL", "+to read")
    assert code == 0 and out == f"{P1}: rl, to-read\n{P2}: rl, to-read\n"
    assert cli("tag", P1, "-rl")[1] == f"{P1}: to-read\n"
    assert cli("tag", P2)[1] == f"{P2}: rl, to-read\n"  # no +/-: just list


@pytest.mark.parametrize(
    ("argv", "code", "says"),
    [
        (("tag", "nonsense", "+x"), 2, "not an arXiv id"),
        (("tag", "+x"), 2, "at least one paper id"),
        (("tag", P1, "+,,"), 2, "not a usable tag"),
        (("tag", P1, "+x", "-x"), 2, "both adding and removing x"),
        (("tag", P1, "+x", "--db", "y"), 2, "go before the paper ids"),
        (("tag", ABSENT, "+x"), 1, "not in the store"),
        (("note", ABSENT, "--set", "x"), 1, "not in the store"),
        (("note", "12", "--set", "x"), 2, "not an arXiv id"),
        (("note", P1, "--set", "x", "--edit"), 2, "not allowed with"),
        (("import", "missing.bib"), 1, "no such file"),
        (("import", ".", "--tag", "x"), 1, "is a folder"),
        (("state", "merge"), 1, "no state_dir is set"),
        (("state", "import", "nowhere.jsonl"), 1, "no such file"),
    ],
)
def test_bad_input_is_one_line(cli: Run, argv: tuple[str, ...], code: int, says: str) -> None:
    got, out, err = cli(*argv)
    assert got == code and says in err
    assert out == "" and err.count("\n") <= 1 and "Traceback" not in err


def test_note_too_long_is_refused(cli: Run) -> None:
    code, _, err = cli("note", P1, "--set", "x" * (notes_tags.MAX_NOTE + 1))
    assert code == 1 and "limit is 100,000" in err


def test_import_offline_reports_and_marks(cli: Run, tmp_path: Path) -> None:
    bib = tmp_path / "zotero.bib"
    bib.write_text(
        f"@article{{a, title={{A}}, eprint={{{P1}}}, archivePrefix={{arXiv}}}}\n"
        f"@article{{b, title={{B}}, url={{https://arxiv.org/abs/{ABSENT}}}}}\n"
        "@book{c, title={No id}}\n"
    )
    code, out, _ = cli("import", str(bib), "--read", "--tag", "from zotero", "--offline")
    assert code == 0
    assert out.splitlines()[0].startswith("bibtex: 1 paper(s) marked (1 in the store, 0 fetched)")
    assert f"not fetched (1: offline): {ABSENT}" in out and "no arXiv id" in out
    assert cli("tag", P1)[1] == f"{P1}: from-zotero\n"


def test_import_fetches_missing_papers(cli: Run, tmp_path: Path) -> None:
    corpus = Corpus(TODAY - dt.timedelta(days=3), TODAY, seed=4, per_day=3, abstract_words=20)
    remote = corpus.all_items()[0]["paper"]["id"]
    listing = tmp_path / "ids.txt"
    listing.write_text(f"# my list\n{P2}\nhttps://huggingface.co/papers/{remote}\n2611.99998\n")
    with FakeHub(corpus, today=TODAY) as hub:
        code, out, _ = cli("import", str(listing), api_url=hub.url)
    assert code == 0
    assert out.splitlines()[0] == (
        "list: 2 paper(s) marked (1 in the store, 1 fetched), 2 value(s) changed"
    )
    assert "not on Hugging Face (1): 2611.99998" in out


def test_state_merge_export_import_and_status(cli: Run, tmp_path: Path) -> None:
    shared = tmp_path / "Sync"
    shared.mkdir()
    cli("tag", P1, "+shared")
    code, out, _ = cli("state", "merge", "--compact", state_dir=shared)
    assert code == 0 and "journal compacted 1→1 lines" in out
    code, out, _ = cli("state", state_dir=shared)
    assert code == 0 and "1 stamped, 0 waiting" in out and ".jsonl" in out
    file = tmp_path / "state.jsonl"
    assert cli("state", "export", str(file))[0] == 0
    cli("tag", P1, "-shared")
    code, out, _ = cli("state", "import", str(file))
    assert code == 0 and out.startswith("0 change(s)")  # the newer untagging stands
    assert cli("tag", P1)[1] == f"{P1}: (no tags)\n"
