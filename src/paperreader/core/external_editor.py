"""Editing text in the user's own editor ($VISUAL, then $EDITOR, then vi) via a temp file.

Used by ``paperreader note --edit`` and, inside ``App.suspend()``, by the reader.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path


class EditorError(Exception):
    """The editor could not be started or exited with an error; the text is unchanged."""


def editor_command() -> list[str]:
    """The user's editor as an argument list (``$VISUAL``, then ``$EDITOR``, then vi)."""
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        return shlex.split(raw) or ["vi"]
    except ValueError:  # unbalanced quotes: take it as one program name
        return [raw]


def edit_text(initial: str, label: str = "note") -> str | None:
    """Let the user edit ``initial``; the new text, or None when they left it unchanged.

    The temp file is private (0600, ``.md`` so editors highlight Markdown) and removed
    afterwards. Raises EditorError when the editor can't start or exits non-zero.
    """
    safe = "".join(ch if ch.isalnum() else "-" for ch in label)[:40]
    fd, name = tempfile.mkstemp(prefix=f"paperreader-{safe}-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(initial)
        command = [*editor_command(), str(path)]
        try:
            done = subprocess.run(command, check=False)
        except OSError as exc:
            raise EditorError(
                f"cannot start the editor {command[0]!r}: {exc.strerror or exc}"
            ) from None
        if done.returncode != 0:
            raise EditorError(f"the editor exited with status {done.returncode}; nothing saved")
        new = path.read_text(encoding="utf-8", errors="replace")
    finally:
        path.unlink(missing_ok=True)
    return None if new.rstrip() == initial.rstrip() else new
