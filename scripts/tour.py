"""Record the README's animated tour from the running reader, in a real terminal.

    python scripts/tour.py            # needs tmux and asciinema (pip install asciinema)

asciinema records ``paperreader --demo`` inside a tmux window while this script types
the keys of a short morning (the same keys a person would press), with pauses a viewer
can follow. The result is ``screenshots/tour.cast`` (play it with ``asciinema play``).
When ``npx`` can run svg-term-cli, the cast is also rendered to ``screenshots/tour.svg``,
an animated SVG that GitHub shows inline. Nothing is drawn by hand; the clock is pinned so
the demo shows the same week every time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
SIZE = (100, 30)
TODAY = "2026-11-25"
SESSION = "paperreader-tour"

#: (keys for tmux send-keys, seconds to hold the frame after them, what the viewer sees)
SCRIPT: list[tuple[list[str], float, str]] = [
    ([], 2.5, "the newest day, unread papers first in line"),
    (["j"], 1.2, "the detail follows the cursor"),
    (["j"], 1.2, ""),
    (["f"], 1.5, "star it"),
    (["r"], 1.5, "done: marked read, on to the next unread"),
    (["r"], 1.5, ""),
    (["/"], 0.6, "search as you type"),
    (list("diffusion"), 2.5, ""),
    (["Escape"], 1.0, "back to the feed"),
    (["Escape"], 1.0, ""),
    (["D"], 2.5, "the rest of the day read, one key (u undoes it)"),
    (["u"], 2.0, "undone"),
    (["w"], 2.5, "the whole paper, full screen (the demo stores none: it offers the PDF)"),
    (["Escape"], 1.2, ""),
    (["?"], 3.0, "every key"),
    (["Escape"], 1.0, ""),
    (["q"], 1.0, "quit"),
]


def tmux(*args: str) -> str:
    """Run a tmux command and return its output."""
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def record(cast: Path, home: Path) -> None:
    """Play SCRIPT into ``paperreader --demo`` while asciinema records it to ``cast``."""
    asciinema = shutil.which("asciinema") or str(Path(sys.executable).parent / "asciinema")
    reader = Path(sys.executable).parent / "paperreader"
    env = {
        "PAPERREADER_HOME": str(home),
        "PAPERREADER_TODAY": TODAY,
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    command = (
        f"env {exports} {asciinema} rec --quiet --overwrite --idle-time-limit 3 "
        f"--cols {SIZE[0]} --rows {SIZE[1]} -c '{reader} --demo' {cast}"
    )
    subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
    tmux("new-session", "-d", "-s", SESSION, "-x", str(SIZE[0]), "-y", str(SIZE[1]), command)
    try:
        wait_for_text("papers")
        for keys, hold, _caption in SCRIPT:
            for key in keys:
                tmux("send-keys", "-t", SESSION, key)
                time.sleep(0.12)  # a person's typing speed, so search-as-you-type shows
            time.sleep(hold)
        deadline = time.monotonic() + 15
        while session_alive() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)


def session_alive() -> bool:
    """Whether the tmux session (and so the recording) is still running."""
    probe = subprocess.run(["tmux", "has-session", "-t", SESSION], capture_output=True)
    return probe.returncode == 0


def wait_for_text(text: str, timeout: float = 30.0) -> None:
    """Wait until the reader has painted ``text`` (it starts in a second or two)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in tmux("capture-pane", "-p", "-t", SESSION):
            return
        time.sleep(0.2)
    raise SystemExit(f"the reader did not show {text!r} within {timeout:.0f} s")


def render_svg(cast: Path, svg: Path) -> bool:
    """Render the cast to an animated SVG with svg-term-cli, if npx can run it."""
    npx = shutil.which("npx")
    if npx is None:
        return False
    result = subprocess.run(
        [npx, "--yes", "svg-term-cli", "--in", str(cast), "--out", str(svg), "--window",
         "--width", str(SIZE[0]), "--height", str(SIZE[1])],
        capture_output=True,
        text=True,
    )  # fmt: skip
    if result.returncode != 0:
        print(f"svg-term-cli failed: {result.stderr.strip()[:300]}", file=sys.stderr)
    return result.returncode == 0


def main() -> int:
    """Record the tour; write screenshots/tour.cast and, when possible, tour.svg."""
    if shutil.which("tmux") is None:
        print("the tour needs tmux", file=sys.stderr)
        return 1
    OUT.mkdir(exist_ok=True)
    cast, svg = OUT / "tour.cast", OUT / "tour.svg"
    with tempfile.TemporaryDirectory() as home:
        os.chmod(home, 0o700)
        record(cast, Path(home))
    print(f"wrote {cast.relative_to(ROOT)}")
    if render_svg(cast, svg):
        print(f"wrote {svg.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
