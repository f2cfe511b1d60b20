"""``paperreader read``: piped → the Markdown as served; stored → offline; 404 → the PDF."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from paperreader.cli.read_cmd import render
from paperreader.core.corpus import Corpus
from paperreader.core.store import Store
from paperreader.core.store.fulltext import load_fulltext
from tests.conftest import LATEST
from tests.support.fakehub import FakeHub


def read(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "paperreader.cli.read_cmd", *argv],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_piped_read_prints_plain_markdown_and_stores_it(
    tmp_path: Path, hub: FakeHub, corpus: Corpus
) -> None:
    db = str(tmp_path / "papers.db")
    pid = str(corpus.day(LATEST)[0]["paper"]["id"])
    done = read(pid, "--db", db, "--api-url", hub.url)
    assert done.returncode == 0, done.stderr
    assert done.stdout == hub.fulltext_for(pid)
    assert "\x1b" not in done.stdout  # plain: no styles, no pager
    with Store(db) as store:
        assert load_fulltext(store, pid) is not None
    requests = len(hub.log)
    again = read(pid, "--db", db, "--offline", "--plain")
    assert again.returncode == 0 and again.stdout == done.stdout
    assert len(hub.log) == requests  # offline: from the store


def test_missing_offline_and_404_fail_with_one_line(
    tmp_path: Path, hub: FakeHub, corpus: Corpus
) -> None:
    db = str(tmp_path / "papers.db")
    pid = str(corpus.day(LATEST)[1]["paper"]["id"])
    offline = read(pid, "--db", db, "--offline")
    assert offline.returncode == 1 and "not stored (offline)" in offline.stderr
    hub.no_fulltext.add(pid)
    missing = read(pid, "--db", db, "--api-url", hub.url)
    assert missing.returncode == 1
    assert "full text not available on Hugging Face for this paper" in missing.stderr
    assert f"https://arxiv.org/pdf/{pid}" in missing.stderr
    assert "Traceback" not in missing.stderr and missing.stdout == ""
    bad = read("not-an-id", "--db", db, "--offline")
    assert bad.returncode == 2 and "arXiv id" in bad.stderr


def test_plain_output_drops_escape_sequences(tmp_path: Path) -> None:
    db = tmp_path / "papers.db"
    with Store(db) as store:
        from paperreader.core.store.fulltext import save_fulltext

        save_fulltext(store, "2611.00001", "# T\x1b]2;PWNED\x07\n\nText \x1b[2J here.\n")
    done = read("2611.00001", "--db", str(db), "--offline")
    assert done.returncode == 0
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "PWNED" in done.stdout  # shown literally, never acted on


def test_terminal_rendering_lays_out_and_never_interprets_content() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=60, color_system="truecolor")
    hostile = (
        "# Title [bold]not markup[/bold]\n\n"
        + "A long paragraph that must be reflowed to the width of the console. " * 4
        + "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nInline $x^2$ and \x1b]2;PWNED\x07 text.\n"
    )
    render(hostile, console)
    out = buffer.getvalue()
    assert "[bold]not markup[/bold]" in out  # literal, not styled
    assert "\x1b]2;" not in out and "\x07" not in out  # the content's OSC never reaches the tty
    assert "\x1b[1m" in out or "\x1b[1;" in out  # the heading is styled by us
    plain = Console(file=io.StringIO(), width=60)
    render(hostile, plain)
    widths = [len(line) for line in plain.file.getvalue().splitlines()]  # type: ignore[attr-defined]
    assert max(widths) <= 60 and "x^2" in plain.file.getvalue()  # type: ignore[attr-defined]
