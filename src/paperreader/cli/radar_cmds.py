"""The radar's commands: ``digest``, ``feed`` and ``watch add|list|rm``.

To register them, the main parser calls :func:`add_parsers` with its sub-parsers
(and the parent parser carrying ``--db``), and ``main`` hands any command in
:data:`COMMANDS` to :func:`run` with an open store. Exit codes follow the rest of
the CLI: 0 done, 1 a failure the user should know about, 2 bad arguments. All text
printed comes from the store (the network) and is cleaned to one line first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperreader.core import clock, text
from paperreader.core.config import atomic_write
from paperreader.core.radar import news, reports, service
from paperreader.core.radar.digest import Digest, render_html, render_markdown, render_text
from paperreader.core.radar.watch import Watch, WatchError
from paperreader.core.store import StoreError
from paperreader.core.store import radar as sql

if TYPE_CHECKING:
    from paperreader.core.store import Store

PROG = "paperreader"
COMMANDS = ("digest", "feed", "watch")
RENDER = {"text": render_text, "markdown": render_markdown, "html": render_html}


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return n


def _non_negative(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"{value} must not be negative")
    return n


def add_parsers(subparsers: Any, *, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add ``digest``, ``feed`` and ``watch`` to ``subparsers`` (from ``add_subparsers``)."""
    p = subparsers.add_parser(
        "digest", parents=parents, help="new papers by watch, For you and upvotes"
    )
    when = p.add_mutually_exclusive_group()
    when.add_argument(
        "--since-last",
        action="store_true",
        help="papers first stored since the last `digest --since-last` (remembered)",
    )
    when.add_argument(
        "--days", type=_positive, metavar="N", help="papers listed in the last N days (default 1)"
    )
    p.add_argument("--format", choices=tuple(RENDER), default="text")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomic)")
    p.add_argument("--limit", type=_positive, default=20, metavar="N", help="papers per group")

    p = subparsers.add_parser("feed", parents=parents, help="write an Atom feed file")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--watch", metavar="NAME", help="the papers of a saved watch")
    which.add_argument("--favourites", "--favorites", action="store_true", help="favourites")
    which.add_argument("--for-you", action="store_true", help="papers like your favourites")
    p.add_argument("-o", "--output", metavar="FILE.xml", required=True, help="the feed file")
    p.add_argument("--limit", type=_positive, default=50, metavar="N", help="entries (50)")

    p = subparsers.add_parser("watch", parents=parents, help="saved searches")
    actions = p.add_subparsers(dest="watch_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=parents, help="save a search as a watch")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--search", required=True, metavar="TEXT", help="full-text search")
    add.add_argument("--min-upvotes", type=_non_negative, default=0, metavar="N")
    lister = actions.add_parser("list", parents=parents, help="watches and their new papers")
    lister.add_argument("--json", action="store_true", help="print JSON")
    rm = actions.add_parser("rm", parents=parents, help="delete a watch")
    rm.add_argument("name", metavar="NAME")


def run(args: argparse.Namespace, store: Store) -> int:
    """Run the radar command in ``args`` against ``store``; returns the exit code."""
    try:
        with sql.guarded(store):
            return _run(args, store)
    except StoreError as exc:
        return _fail(str(exc))


def _run(args: argparse.Namespace, store: Store) -> int:
    sql.ensure_schema(store)
    if args.command == "digest":
        return _digest(args, store)
    if args.command == "feed":
        return _feed(args, store)
    if args.watch_command == "add":
        return _watch_add(args, store)
    if args.watch_command == "list":
        return _watch_list(args, store)
    return _watch_rm(args, store)


def _fail(message: str, code: int = 1) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return code


def _emit(content: str, output: str | None, what: str) -> bool:
    """Write ``content`` to ``output`` (atomically) or stdout; False if it failed."""
    if output is None:
        sys.stdout.write(content)
        return True
    try:
        atomic_write(Path(output), content)
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
        return False
    print(f"wrote {what} to {output}", file=sys.stderr)
    return True


def _digest(args: argparse.Namespace, store: Store) -> int:
    generated = f"{clock.local_now():%Y-%m-%d %H:%M %Z}".strip()
    if not store.count():
        return _empty_digest(args, generated)
    if args.since_last:
        before = news.load_seen(store, news.DIGEST)
        if before is None:  # a first run: the newest Daily Papers day
            rids = reports.listed_since(store, 1, today=_latest(store))
            _, seen = news.unseen(store, None)
            scope = "new papers"
        else:
            rids, seen = news.unseen(store, before)
            scope = "new since the last digest"
    else:
        days = args.days or 1
        rids, seen = reports.listed_since(store, days), None
        scope = "listed today" if days == 1 else f"listed in the last {days} days"
    digest = reports.build_digest(
        store, rids, title=f"paperreader digest: {scope}", generated=generated, limit=args.limit
    )
    if not _emit(RENDER[args.format](digest), args.output, f"a digest of {len(rids)} papers"):
        return 1
    if args.since_last:
        news.save_seen(store, news.DIGEST, seen)  # only once the digest is out
    return 0


def _empty_digest(args: argparse.Namespace, generated: str) -> int:
    """A digest of an empty store: one plain title in every format, no empty groups."""
    from paperreader.cli.list_cmd import EMPTY_STORE  # not at the top: it imports the parser

    digest = Digest(f"{PROG} digest: nothing to digest, the store is empty", generated, [])
    if not _emit(RENDER[args.format](digest), args.output, "an empty digest"):
        return 1
    print(EMPTY_STORE, file=sys.stderr)  # as `list` and `export` say it
    return 0  # nothing seen, so nothing for --since-last to remember


def _latest(store: Store) -> dt.date:
    day = store.latest_day()
    return dt.date.fromisoformat(day) if day else clock.today()


def _feed(args: argparse.Namespace, store: Store) -> int:
    if args.watch is not None:
        watch = next((w for w in sql.watches(store) if w.name == args.watch), None)
        if watch is None:
            return _fail(f"no watch named {text.one_line(args.watch)!r} (see `watch list`)")
        entries = reports.watch_entries(store, watch, args.limit)
        document = reports.feed_document("watch", entries, name=watch.name)
    elif args.favourites:
        entries = reports.favourite_entries(store, args.limit)
        document = reports.feed_document("favourites", entries)
    else:
        service.refresh(store)
        entries = reports.for_you_entries(store, args.limit)
        document = reports.feed_document("for-you", entries)
    return 0 if _emit(document, args.output, f"a feed of {len(entries)} papers") else 1


def _watch_add(args: argparse.Namespace, store: Store) -> int:
    try:
        watch = Watch(
            name=args.name,
            created=clock.stamp(),
            search=text.one_line(args.search, max_len=500),
            min_upvotes=args.min_upvotes,
            last_opened=news.watch_mark(store),  # existing matches are not new
        )
    except WatchError as exc:
        return _fail(f"watch add: {exc}", 2)
    if not watch.search and not watch.min_upvotes:
        return _fail("watch add: a watch needs a search (--search TEXT) or --min-upvotes N", 2)
    if not sql.insert_watch(store, watch):
        return _fail(f"a watch named {watch.name!r} exists; `watch rm` it first")
    print(f"saved watch {watch.name!r}", file=sys.stderr)
    return 0


def _watch_list(args: argparse.Namespace, store: Store) -> int:
    watches = sql.watches(store)
    counts = news.watch_new_counts(store)
    if args.json:
        data = [{**w.to_json(), "new": counts.get(w.name, 0)} for w in watches]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for w in watches:
        floor = f"  ▲≥{w.min_upvotes}" if w.min_upvotes else ""
        new = counts.get(w.name, 0)
        print(f"{text.one_line(w.name)}  {new} new  search: {text.one_line(w.search)}{floor}")
    if not watches:
        print("no watches: `paperreader watch add NAME --search TEXT`", file=sys.stderr)
    return 0


def _watch_rm(args: argparse.Namespace, store: Store) -> int:
    if not sql.delete_watch(store, args.name):
        return _fail(f"no watch named {text.one_line(args.name)!r}")
    print(f"deleted watch {text.one_line(args.name)!r}", file=sys.stderr)
    return 0
