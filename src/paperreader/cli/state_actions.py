"""What ``note``, ``tag``, ``import`` and ``state`` do (parsed by :mod:`state_cmds`).

Each function prints its result and returns an exit code; expected failures raise
:class:`~paperreader.cli.state_cmds.Bad` (or a core error that ``state_cmds.run`` turns
into one line).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from paperreader.cli import output
from paperreader.cli.state_cmds import PROG, Bad
from paperreader.core import text
from paperreader.core.external_editor import EditorError, edit_text
from paperreader.core.statesync import service
from paperreader.core.statesync.importer import read_import_file
from paperreader.core.store import notes_tags as annot
from paperreader.core.store import state_stamps

if TYPE_CHECKING:
    from paperreader.core.config import Settings
    from paperreader.core.store import Store


def _paper_id(raw: str) -> str:
    pid = text.normalize_paper_id(raw)
    if pid is None:
        raise Bad(f"{text.one_line(raw, max_len=60)!r} is not an arXiv id like 2609.99901")
    return pid


def _known(store: Store, pid: str) -> None:
    if store.get(pid) is None:
        raise Bad(f"{pid} is not in the store (`{PROG} show {pid}` fetches it)", 1)


def _warn(problem: str | None) -> None:
    if problem:
        print(f"{PROG}: warning: {problem}", file=sys.stderr)


def note(args: argparse.Namespace, store: Store, settings: Settings) -> int:
    """``note ID [--show | --set TEXT | --edit]``."""
    pid = _paper_id(args.id)
    current = annot.annotation(store, pid).note
    if args.set is None and not args.edit:
        if current is None:
            _known(store, pid)  # a note on a paper not synced yet is still shown
            print(f"{pid} has no note", file=sys.stderr)
        else:
            print(text.clean(current, max_len=annot.MAX_NOTE + 1))
        return 0
    _known(store, pid)
    if args.edit:
        try:
            new = edit_text(current or "", pid)
        except EditorError as exc:
            raise Bad(str(exc), 1) from None
        if new is None:
            print(f"{pid}: note unchanged", file=sys.stderr)
            return 0
    else:
        new = output.stdin_text() if args.set == "-" else args.set
    done = service.set_note(store, pid, new, settings.state_dir)
    _warn(done.problem)
    what = (
        "unchanged"
        if not done.changes
        else ("removed" if done.changes[0].value is None else "saved")
    )
    print(f"{pid}: note {what}", file=sys.stderr)
    return 0


def parse_tag_items(items: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    """(paper ids, tags to add, tags to remove) from ``ID… +name -name``; Bad if unusable."""
    ids: list[str] = []
    add: list[str] = []
    remove: list[str] = []
    for item in items:
        if item.startswith("--"):
            raise Bad(f"options such as {item.split('=')[0]} go before the paper ids")
        if item[:1] in ("+", "-"):
            tag = annot.normalize_tag(item[1:])
            if tag is None:
                raise Bad(f"{text.one_line(item, max_len=60)!r} is not a usable tag")
            (add if item[0] == "+" else remove).append(tag)
        else:
            ids.append(_paper_id(item))
    if not ids:
        raise Bad("give at least one paper id, e.g. paperreader tag 2609.99901 +to-read")
    return ids, add, remove


def tag(items: Sequence[str], store: Store, settings: Settings) -> int:
    """``tag ID… +name -name`` (no +/-: list the papers' tags)."""
    ids, add, remove = parse_tag_items(items)
    if add or remove:
        for pid in ids:
            _known(store, pid)
        both = sorted(set(add) & set(remove))
        if both:
            raise Bad(f"both adding and removing {', '.join(both)}")
        _warn(service.change_tags(store, ids, add, remove, settings.state_dir).problem)
    found = annot.for_papers(store, ids)
    known = store.known(ids)
    unknown = []
    for pid in dict.fromkeys(ids):
        tags = found[pid].tags if pid in found else ()
        if not tags and pid not in known:  # (tags on a paper not synced yet are listed)
            unknown.append(pid)
            continue
        print(f"{pid}: {', '.join(tags) if tags else '(no tags)'}")
    if len(unknown) == 1:
        _known(store, unknown[0])  # raises with the same words as `note` and `tag ID +x`
    if unknown:
        raise Bad(f"not in the store ({len(unknown)}): {', '.join(unknown)}", 1)
    return 0


def import_file(args: argparse.Namespace, store: Store, settings: Settings) -> int:
    """``import FILE``: mark the file's papers, fetching missing ones unless offline."""
    from paperreader.core.statesync.importing import apply_import, hf_fetcher

    if args.tag is not None and annot.normalize_tag(args.tag) is None:
        raise Bad(f"{text.one_line(args.tag, max_len=60)!r} is not a usable tag")
    result = read_import_file(args.file)
    offline = settings.offline
    fetch = None if offline else hf_fetcher(settings.api_url, token=settings.token)
    report = apply_import(
        store,
        result,
        mode="read" if args.read else "favourite",
        tag=args.tag,
        fetch=fetch,
        state_dir=settings.state_dir,
    )
    for line in report.lines():
        print(text.one_line(line, max_len=400))
    failed = any(reason != "offline" for reason in report.not_fetched.values())
    return 1 if failed else 0


def state(args: argparse.Namespace, store: Store, settings: Settings) -> int:
    """``state [merge [--compact] | export FILE | import FILE]`` (none: status)."""
    action = args.state_action
    if action == "merge":
        report = service.merge_all(store, settings.state_dir)
        if args.compact and report.compacted is None:
            report.compacted = service.compact(store, settings.state_dir)
        print(report.summary())
        for problem in report.problems:
            print(f"  {text.one_line(problem, max_len=300)}", file=sys.stderr)
        return 0
    if action == "export":
        count = service.export_state(store, Path(args.file))
        print(f"exported {count} value(s) to {args.file}", file=sys.stderr)
        return 0
    if action == "import":
        path = Path(args.file)
        if not path.is_file():
            raise Bad(f"{text.one_line(args.file, max_len=200)}: no such file", 1)
        report = service.import_state(store, path)
        for problem in report.problems:
            print(f"  {text.one_line(problem, max_len=300)}", file=sys.stderr)
        _warn(service.journal_changes(store, report.applied, settings.state_dir).problem)
        print(report.summary())
        return 1 if report.problems and not report.applied else 0
    return _status(store, settings)


def _status(store: Store, settings: Settings) -> int:
    total, waiting = state_stamps.counts(store)
    print(f"machine: {state_stamps.machine_id(store)}")
    print(f"state_dir: {settings.state_dir or '(not set: marks, notes and tags stay here)'}")
    print(f"values: {total} stamped, {waiting} waiting for the journal")
    if settings.state_dir is not None and Path(settings.state_dir).is_dir():
        for path in sorted(Path(settings.state_dir).glob("*.jsonl")):
            print(f"  {path.name}  {path.stat().st_size:,} bytes")
    return 0
