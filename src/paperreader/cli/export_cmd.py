"""``paperreader export``: papers as JSON, CSV, Markdown or BibTeX, streamed.

Records are read 500 at a time and written as they come, to stdout or to a temp file
next to ``-o FILE`` that replaces it only when complete (an interrupted export never
leaves half a file). ``-o`` never creates folders: a mistyped path is an error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
from pathlib import Path

from paperreader.cli import output
from paperreader.cli.list_cmd import CHUNK, filter_from, say_none_found
from paperreader.cli.parser import PROG, UsageError
from paperreader.core import export
from paperreader.core.store import Store


def check_target(args: argparse.Namespace) -> Path | None:
    """The ``-o`` file, after checking its folder exists (before the store is opened)."""
    if not args.output:
        return None
    target = Path(args.output).expanduser()
    if target.is_dir():
        raise UsageError(f"{PROG} export: -o {target} is a folder; name a file in it")
    if not target.parent.is_dir():
        raise UsageError(
            f"{PROG} export: the folder {target.parent} does not exist (it is not created)"
        )
    return target


def run(store: Store, args: argparse.Namespace, target: Path | None) -> int:
    """Stream the matching papers in ``args.format`` to stdout or ``target``."""
    records = store.iter_records(filter_from(args), chunk=CHUNK)
    from paperreader.core.store.notes_tags import all_annotations

    notes = all_annotations(store)  # only annotated papers: small next to the records
    if target is None:
        if not export.write(records, args.format, output.stdout(), notes):
            say_none_found(store)
        return 0
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        output.error(f"cannot write {target}: {exc.strerror}")
        return 1
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            count = export.write(records, args.format, handle, notes)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        output.error(f"cannot write {target}: {exc.strerror}")
        return 1
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    output.note(f"exported {count} papers to {target}")
    if not count:
        say_none_found(store)
    return 0
