"""``note``, ``tag``, ``import`` and ``state``: the user's own state from the command line.

Registration, as for ``read_cmd``: ``state_cmds.add_parsers(sub, parents=[common])`` in
``parser.build_parser`` and, with the store open in ``run._dispatch``,
``if command in state_cmds.COMMANDS: return state_cmds.run(args, store, settings)``.

Only argparse is imported here (``build_parser`` runs on every start); the commands
themselves are in :mod:`paperreader.cli.state_actions`, imported when one runs.

Exit codes follow the CLI's: 0 done, 1 a failure to know about (unknown paper, unreadable
file, unusable ``state_dir``, fetches that failed), 2 bad arguments. Every failure is one
line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paperreader.core.config import Settings
    from paperreader.core.store import Store

PROG = "paperreader"
COMMANDS = ("note", "tag", "import", "state")


class Bad(Exception):
    """One line for stderr and an exit code (2: bad arguments, 1: a failure)."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def add_parsers(subparsers: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add the four commands to ``build_parser``'s sub-parsers (``parents``: --db, --api-url)."""
    common = list(parents)
    p_note = subparsers.add_parser("note", parents=common, help="show or write a paper's note")
    p_note.add_argument("id", metavar="ID", help="arXiv id, e.g. 2609.99901")
    how = p_note.add_mutually_exclusive_group()
    how.add_argument("--show", action="store_true", help="print the note (the default)")
    how.add_argument("--set", metavar="TEXT", help="replace the note (- reads stdin; '' removes)")
    how.add_argument("--edit", action="store_true", help="edit the note in $VISUAL / $EDITOR")

    p_tag = subparsers.add_parser(
        "tag",
        parents=common,
        help="add (+name) or remove (-name) tags",
        description="paperreader tag ID... +name -name  (no +/-: list the papers' tags). "
        "Options go before the first id.",
    )
    p_tag.add_argument("items", nargs=argparse.REMAINDER, metavar="ID… +NAME -NAME")

    p_import = subparsers.add_parser(
        "import", parents=common, help="mark the papers of a JSON export, BibTeX file or id list"
    )
    p_import.add_argument("file", metavar="FILE")
    mark = p_import.add_mutually_exclusive_group()
    mark.add_argument("--favourite", "--favorite", action="store_true", help="(default)")
    mark.add_argument("--read", action="store_true", help="mark them read instead")
    p_import.add_argument("--tag", metavar="NAME", help="also tag them NAME")
    p_import.add_argument(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS,  # keeps `paperreader --offline import …`
        help="do not fetch missing papers",
    )

    p_state = subparsers.add_parser(
        "state", parents=common, help="the state shared through state_dir (status by default)"
    )
    actions = p_state.add_subparsers(dest="state_action", metavar="ACTION")
    actions.add_parser("merge", help="merge every journal now").add_argument(
        "--compact", action="store_true", help="also compact this machine's journal"
    )
    actions.add_parser(
        "export", help="write all marks, notes and tags as a journal file"
    ).add_argument("file", metavar="FILE")
    actions.add_parser("import", help="merge a file written by state export").add_argument(
        "file", metavar="FILE"
    )


def run(args: argparse.Namespace, store: Store, settings: Settings) -> int:
    """Run one of :data:`COMMANDS`; expected failures are one line and an exit code."""
    from paperreader.cli import state_actions as act
    from paperreader.core.statesync.importer import ImportFileError
    from paperreader.core.statesync.service import StateDirError
    from paperreader.core.store.notes_tags import NoteTooLong

    name = args.command
    try:
        if name == "note":
            return act.note(args, store, settings)
        if name == "tag":
            return act.tag(args.items, store, settings)
        if name == "import":
            return act.import_file(args, store, settings)
        return act.state(args, store, settings)
    except Bad as exc:
        print(f"{PROG} {name}: {exc}", file=sys.stderr)
        return exc.code
    except (StateDirError, ImportFileError, NoteTooLong) as exc:
        print(f"{PROG} {name}: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"{PROG} {name}: error:{where} {exc.strerror or exc}", file=sys.stderr)
        return 1
