"""The argument parser: every command, option and the checks on their values.

Values are checked here, where argparse can name the option: a bad value is a usage
error (exit 2, one line), never an exception from deeper down.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import NoReturn

from paperreader import __version__
from paperreader.cli import radar_cmds, read_cmd, state_cmds
from paperreader.core import clock, text
from paperreader.core.config import INT_LIMITS
from paperreader.core.export import FORMATS

PROG = "paperreader"
EXPORT_FORMATS = FORMATS
SHELLS = ("bash", "zsh", "fish")
#: ``--days`` beyond this reaches before any paper (and overflows date arithmetic long before
#: 99,999,999).
MAX_DAYS = 10_000
MAX_LIMIT = 1_000_000_000
#: The API's own cap on a search query.
MAX_QUERY = 250


class UsageError(Exception):
    """Bad arguments: exit 2 with one line."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors become :class:`UsageError` (one line, exit 2)."""

    def error(self, message: str) -> NoReturn:
        """Raise instead of printing usage and exiting."""
        raise UsageError(f"{self.prog}: {message} (see --help)")


def _date(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2025-01-31") from None
    if day > clock.today():
        raise argparse.ArgumentTypeError(f"{value} is in the future")
    if day < dt.date(2000, 1, 1):
        raise argparse.ArgumentTypeError(f"{value} is before any paper")
    return day


def whole(lo: int, hi: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``lo`` to ``hi``."""

    def parse(value: str) -> int:
        """``value`` as an int in range, or an ArgumentTypeError argparse reports."""
        try:
            n = int(value.strip()) if len(value) <= 20 else None
        except ValueError:
            n = None
        if n is None:
            shown = text.one_line(value, max_len=30)
            raise argparse.ArgumentTypeError(f"{shown!r} is not a whole number")
        if n < lo:
            raise argparse.ArgumentTypeError(f"{n} must be at least {lo}")
        if n > hi:
            raise argparse.ArgumentTypeError(f"{n} must be at most {hi}")
        return n

    parse.__name__ = "whole number"
    return parse


def _search_text(value: str) -> str:
    return text.one_line(value, max_len=500)


def _query_text(value: str) -> str:
    cleaned = text.one_line(value, max_len=MAX_QUERY)
    if not cleaned:
        raise argparse.ArgumentTypeError("needs some text to search for")
    return cleaned


def _path(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("needs a file path")
    return value


def _limited(name: str) -> Callable[[str], int]:
    lo, hi = INT_LIMITS[name]
    return whole(lo, hi)


def _common() -> Parser:
    common = Parser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        type=_path,
        default=argparse.SUPPRESS,
        help="the store file (default: the platform data folder)",
    )
    common.add_argument(
        "--api-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="Hugging Face API base URL (env PAPERREADER_API_URL)",
    )
    return common


def build_parser() -> Parser:
    """The ``paperreader`` parser with every sub-command (also the source of completions)."""
    common = _common()
    parser = Parser(
        prog=PROG, parents=[common], description="A terminal reader for Hugging Face Daily Papers."
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--offline",
        action="store_true",
        help="open without syncing (before show, read or import: never fetch)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a temporary store of synthetic papers (no network)",
    )
    sub = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")
    _sync(sub.add_parser("sync", parents=[common], help="fetch papers into the store"))

    p_list = sub.add_parser("list", parents=[common], help="list stored papers")
    _filters(p_list)
    p_list.add_argument("--limit", type=whole(1, MAX_LIMIT), default=None, help="at most N papers")
    p_list.add_argument("--json", action="store_true", help="print a JSON array")

    p_show = sub.add_parser("show", parents=[common], help="show one paper")
    p_show.add_argument("id", metavar="ID", help="arXiv id, e.g. 2609.99901")
    p_show.add_argument("--json", action="store_true", help="print JSON")
    # A sub-command's own default would overwrite the top-level flag (argparse applies the
    # sub-parser's defaults last), so `paperreader --offline show ID` went to the network.
    p_show.add_argument(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS,
        help="do not fetch a paper missing from the store",
    )

    p_export = sub.add_parser("export", parents=[common], help="export papers")
    _filters(p_export)
    p_export.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p_export.add_argument(
        "-o", "--output", metavar="FILE", type=_path, help="write to FILE (atomic)"
    )

    _mark(sub.add_parser("mark", parents=[common], help="mark papers read, unread or favourite"))
    read_cmd.add_parser(sub, parents=[common])
    state_cmds.add_parsers(sub, parents=[common])
    radar_cmds.add_parsers(sub, parents=[common])

    p_comp = sub.add_parser("completion", help="print a shell completion script")
    p_comp.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    return parser


def _sync(p: argparse.ArgumentParser) -> None:
    when = p.add_mutually_exclusive_group()
    when.add_argument("--days", type=whole(1, MAX_DAYS), help="fetch the last N days")
    when.add_argument("--since", type=_date, metavar="DATE", help="fetch from DATE to today")
    when.add_argument(
        "--query", metavar="TEXT", type=_query_text, help="store the results of a remote search"
    )
    p.add_argument(
        "--refresh",
        action="store_true",
        help="fetch again periods that are already complete and final",
    )
    p.add_argument(
        "--nice",
        type=whole(0, 19),
        default=0,
        metavar="N",
        help="run at a lower CPU priority (0-19; the reader's background sync uses 10)",
    )
    p.add_argument(
        "--progress",
        choices=("bar", "json"),
        default="bar",
        help="progress as a bar (default) or JSON lines on stdout (for tools)",
    )
    for name, what in (
        ("max_attempts", "tries per request before a period counts as failed (default 5)"),
        ("recent_days", "days re-fetched on every sync (default 3)"),
        ("initial_days", "history fetched by a first sync (default 30)"),
        ("concurrency", "periods fetched at once (default 4)"),
    ):
        lo, hi = INT_LIMITS[name]
        p.add_argument(
            "--" + name.replace("_", "-"),
            type=_limited(name),
            default=None,
            metavar="N",
            help=f"{what}; {lo}-{hi}",
        )


def _mark(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "ids",
        metavar="ID",
        nargs="*",
        help="arXiv ids; '-' or none (with piped input) reads ids or `list --json` from stdin",
    )
    read = p.add_mutually_exclusive_group()
    read.add_argument("--read", dest="read", action="store_const", const=True, help="mark read")
    read.add_argument(
        "--unread", dest="read", action="store_const", const=False, help="mark unread"
    )
    fav = p.add_mutually_exclusive_group()
    fav.add_argument(
        "--favourite",
        "--favorite",
        dest="favourite",
        action="store_const",
        const=True,
        help="add to favourites",
    )
    fav.add_argument(
        "--unfavourite",
        "--unfavorite",
        dest="favourite",
        action="store_const",
        const=False,
        help="remove from favourites",
    )


def _tag(value: str) -> str:
    from paperreader.core.store.notes_tags import normalize_tag

    tag = normalize_tag(value)
    if tag is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a usable tag")
    return tag


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--unread", action="store_true", help="only unread papers")
    p.add_argument("--favourites", "--favorites", action="store_true", help="only favourites")
    p.add_argument("--search", type=_search_text, metavar="TEXT", help="full-text search")
    p.add_argument("--tag", type=_tag, metavar="NAME", help="only papers tagged NAME")
    p.add_argument("--since", type=_date, metavar="DATE", help="listed on or after DATE")
    p.add_argument(
        "--sort",
        choices=("newest", "upvotes", "rising", "trending", "relevance"),
        help="order (default: relevance with --search, else newest)",
    )
