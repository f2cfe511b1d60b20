"""End to end in a real terminal: the reader runs in tmux, keys go in, marks land in the store."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from paperreader.core.models import PaperFilter, PaperRow
from paperreader.core.store import Store
from tests.conftest import cannot_run
from tests.support.fakehub import FakeHub

pytestmark = pytest.mark.slow

#: How long the terminal may take to show something (a start-up, a sync, a quit).
PATIENCE = 60.0


class Terminal:
    """One tmux server of our own (its own socket, no config file), holding one session."""

    def __init__(self, socket: Path) -> None:
        self.tmux = ["tmux", "-S", str(socket), "-f", "/dev/null"]

    def start(self, command: str, *, size: tuple[int, int], env: dict[str, str]) -> None:
        width, height = size
        # Named explicitly, not left to what tmux copies from its first client's environment.
        pinned = [f"-e{k}={env[k]}" for k in ("PAPERREADER_HOME", "PAPERREADER_TODAY")]
        geometry = ["-x", str(width), "-y", str(height)]
        subprocess.run(
            [*self.tmux, "new-session", "-d", "-s", "e2e", *geometry, *pinned, command],
            env=env,
            check=True,
            timeout=30,
        )

    def screen(self) -> str:
        done = subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", "e2e"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        return done.stdout

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", "e2e", *keys], check=True, timeout=30)

    def wait(self, what: str, condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + PATIENCE
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {what}; the screen:\n{self.screen()}")
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True, timeout=30)


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        cannot_run("tmux is not installed")
    # A short socket path: pytest's tmp folders can exceed the 108-byte limit of a socket.
    folder = Path(tempfile.mkdtemp(prefix="prtmux-"))
    term = Terminal(folder / "s")
    try:
        yield term
    finally:
        term.close()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_keys_in_a_real_terminal_end_up_in_the_store(
    tmp_path: Path, live_hub: FakeHub, terminal: Terminal, size: tuple[int, int]
) -> None:
    db = tmp_path / "tmux.db"
    env = {**os.environ, "PAPERREADER_HOME": str(tmp_path / "home")}
    reader = [sys.executable, "-m", "paperreader", "--db", str(db), "--api-url", live_hub.url]
    # A synced store, so the rows on screen are known before the reader starts.
    first = subprocess.run(
        [*reader[:3], "sync", *reader[3:], "--days", "10"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert first.returncode == 0, first.stderr
    with Store(db) as store:
        rows: list[PaperRow] = store.query_rows(PaperFilter(), limit=3)
        unread = store.count()
        assert [store.state(r.id) for r in rows] == [(False, False)] * 3
    live_hub.log.clear()
    exit_file = tmp_path / "exit-status"
    status = shlex.quote(str(exit_file))
    terminal.start(
        f"{shlex.join(reader)}; echo $? > {status}.tmp; mv {status}.tmp {status}",
        size=size,
        env=env,
    )
    # The list is painted (the newest paper's title is on screen) and the reader's start-up
    # sync, which asks the fake hub for the recent days, has finished ("synced …").
    terminal.wait("the first paper", lambda: rows[0].title[:12] in terminal.screen())
    terminal.wait("the sync finish", lambda: "synced" in terminal.screen())
    assert f"{unread} unread" in terminal.screen()
    terminal.keys("j", "f", "r")  # second paper: favourite, then read (the cursor moves on)
    terminal.wait("one paper fewer unread", lambda: f"{unread - 1} unread" in terminal.screen())
    terminal.keys("f", "q")  # third paper: favourite; quit
    terminal.wait("the reader exit", exit_file.exists)
    assert exit_file.read_text().strip() == "0"
    with Store(db) as store:
        assert [store.state(r.id) for r in rows] == [(False, False), (True, True), (False, True)]
    assert any(r.path == "/api/daily_papers" for r in live_hub.log)  # the reader's own sync


def test_a_closed_terminal_quits_the_reader_cleanly(
    tmp_path: Path, live_hub: FakeHub, terminal: Terminal
) -> None:
    """SIGHUP (the terminal window closed) quits like q: exit 0, the star is kept."""
    db = tmp_path / "hup.db"
    env = {**os.environ, "PAPERREADER_HOME": str(tmp_path / "home")}
    base = [sys.executable, "-m", "paperreader", "--db", str(db)]
    first = subprocess.run(
        [*base, "sync", "--api-url", live_hub.url, "--days", "5"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert first.returncode == 0, first.stderr
    with Store(db) as store:
        top = store.query_rows(PaperFilter(), limit=1)[0]
    exit_file = tmp_path / "exit-status"
    status = shlex.quote(str(exit_file))
    reader = shlex.join([*base, "--offline"])
    terminal.start(
        f"{reader}; echo $? > {status}.tmp; mv {status}.tmp {status}", size=(100, 30), env=env
    )
    terminal.wait("the first paper", lambda: top.title[:12] in terminal.screen())
    terminal.keys("f")
    terminal.wait("the star", lambda: "1 starred" in terminal.screen())
    shell = subprocess.run(
        [*terminal.tmux, "list-panes", "-t", "e2e", "-F", "#{pane_pid}"],
        capture_output=True, text=True, check=True, timeout=30,
    ).stdout.split()[0]  # fmt: skip
    child = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True, timeout=30)
    pids = [int(p) for p in child.stdout.split()]
    assert len(pids) == 1, child.stdout
    os.kill(pids[0], signal.SIGHUP)
    terminal.wait("the reader exit", exit_file.exists)
    assert exit_file.read_text().strip() == "0"  # 129 when the hang-up killed it
    with Store(db) as store:
        assert store.state(top.id) == (False, True)
