"""The ``paperreader`` command line (see README "Usage").

Exit codes: 0 success, 1 a failure the user should know about (sync errors, store
problems, unknown paper), 2 bad arguments, 130 interrupted. Expected failures print
one clear line, never a traceback. Textual is imported only to open the reader.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import gc
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from paperreader import __version__
from paperreader.core import clock, text
from paperreader.core.config import ConfigError, Settings, atomic_write, load_settings
from paperreader.core.models import PaperFilter, PaperRecord, SyncProgress, SyncReport
from paperreader.core.render import NO_ABSTRACT, paper_text
from paperreader.core.store import Store, StoreError
from paperreader.core.views import SORTS, default_sort

PROG = "paperreader"


EXPORT_FORMATS = ("json", "csv", "markdown", "bibtex")


class UsageError(Exception):
    """Bad arguments: exit 2 with one line."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
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


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return n


def _search_text(value: str) -> str:
    cleaned = text.one_line(value, max_len=500)
    return cleaned


def build_parser() -> Parser:
    common = Parser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the store file (default: the platform data folder)",
    )
    common.add_argument(
        "--api-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="Hugging Face API base URL (env PAPERREADER_API_URL)",
    )

    parser = Parser(
        prog=PROG, parents=[common], description="A terminal reader for Hugging Face Daily Papers."
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--offline", action="store_true", help="open without syncing")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a temporary store of synthetic papers (no network)",
    )
    sub = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")

    p_sync = sub.add_parser("sync", parents=[common], help="fetch papers into the store")
    when = p_sync.add_mutually_exclusive_group()
    when.add_argument("--days", type=_positive, help="fetch the last N days")
    when.add_argument("--since", type=_date, metavar="DATE", help="fetch from DATE to today")
    p_sync.add_argument("--query", metavar="TEXT", help="store the results of a remote search")
    p_sync.add_argument(
        "--refresh",
        action="store_true",
        help="fetch again periods that are already complete and final",
    )
    p_sync.add_argument(
        "--progress",
        choices=("bar", "json"),
        default="bar",
        help="progress as a bar (default) or JSON lines on stdout (for tools)",
    )
    p_sync.add_argument(
        "--max-attempts",
        type=_positive,
        default=None,
        metavar="N",
        help="tries per request before a period counts as failed (default 5)",
    )
    p_sync.add_argument(
        "--recent-days",
        type=_positive,
        default=None,
        metavar="N",
        help="days re-fetched on every sync (default 3)",
    )
    p_sync.add_argument(
        "--initial-days",
        type=_positive,
        default=None,
        metavar="N",
        help="history fetched by a first sync (default 30)",
    )
    p_sync.add_argument(
        "--concurrency",
        type=_positive,
        default=None,
        metavar="N",
        help="periods fetched at once (default 4)",
    )

    p_list = sub.add_parser("list", parents=[common], help="list stored papers")
    _filters(p_list)
    p_list.add_argument("--limit", type=_positive, default=None, help="at most N papers")
    p_list.add_argument("--json", action="store_true", help="print a JSON array")

    p_show = sub.add_parser("show", parents=[common], help="show one paper")
    p_show.add_argument("id", metavar="ID", help="arXiv id, e.g. 2609.99901")
    p_show.add_argument("--json", action="store_true", help="print JSON")
    p_show.add_argument(
        "--offline", action="store_true", help="do not fetch a paper missing from the store"
    )

    p_export = sub.add_parser("export", parents=[common], help="export papers")
    _filters(p_export)
    p_export.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p_export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomic)")
    return parser


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--unread", action="store_true", help="only unread papers")
    p.add_argument("--favourites", "--favorites", action="store_true", help="only favourites")
    p.add_argument("--search", type=_search_text, metavar="TEXT", help="full-text search")
    p.add_argument("--since", type=_date, metavar="DATE", help="listed on or after DATE")
    p.add_argument(
        "--sort",
        choices=SORTS,
        help="order (default: relevance with --search, else newest)",
    )


def _filter_from(args: argparse.Namespace) -> PaperFilter:
    view = "favourites" if args.favourites else ("unread" if args.unread else "all")
    sort = args.sort or default_sort(args.search or "")
    return PaperFilter(
        view=view,  # type: ignore[arg-type]
        search=args.search or "",
        since=args.since.isoformat() if args.since else None,
        sort=sort,
    )


def _settings(args: argparse.Namespace) -> Settings:
    db = getattr(args, "db", None)
    api_url = getattr(args, "api_url", None)
    if api_url is not None and not text.is_safe_url(api_url):
        raise UsageError(f"{PROG}: --api-url must be an http(s) URL, not {api_url!r}")
    return load_settings(db_path=Path(db) if db else None, api_url=api_url)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return _dispatch(args)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except (ConfigError, StoreError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command is None:
        return _open_reader(args)
    settings = _settings(args)
    if command == "sync":
        overrides = {
            k: getattr(args, k)
            for k in ("recent_days", "initial_days", "concurrency", "max_attempts")
        }
        settings = dataclasses.replace(
            settings, **{k: v for k, v in overrides.items() if v is not None}
        )
        return _sync(settings, args)
    with Store(settings.db_path) as store:
        if command == "list":
            return _list(store, args)
        if command == "show":
            return _show(store, settings, args)
        if command == "export":
            return _export(store, args)
    raise UsageError(f"{PROG}: unknown command {command!r}")


def _open_reader(args: argparse.Namespace) -> int:
    # Start-up allocates a great many long-lived objects (Textual, widgets, styles) and
    # the collector would scan them over and over: pause it until the first frame is up
    # (PaperReaderApp.on_ready freezes that heap and turns collection back on).
    gc.disable()
    if args.demo:
        folder = tempfile.TemporaryDirectory(prefix="paperreader-demo-")
        db = Path(folder.name) / "demo.db"
        from paperreader.core.demo import fill_demo_store

        with Store(db) as store:
            fill_demo_store(store)
        settings = dataclasses.replace(_settings(args), db_path=db, offline=True, demo=True)
    else:
        folder = None
        settings = _settings(args)
        if args.offline:
            settings = dataclasses.replace(settings, offline=True)
    try:
        from paperreader.ui.app import run_app  # Textual is only imported on this path.

        return run_app(settings)
    finally:
        if folder is not None:
            folder.cleanup()


def _sync(settings: Settings, args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from paperreader.core import sync
    from paperreader.core.hf_api import HFClient

    console = Console(stderr=True, soft_wrap=True)

    async def go(store: Store, update: Any) -> SyncReport:
        async with HFClient(
            settings.api_url, token=settings.token, max_attempts=settings.max_attempts
        ) as client:
            return await sync.sync(
                store,
                client,
                since=args.since,
                days=args.days,
                query=args.query,
                recent_days=settings.recent_days,
                initial_days=settings.initial_days,
                concurrency=settings.concurrency,
                progress=update,
                refresh=args.refresh,
            )

    if args.progress == "json":
        return _sync_json(settings, go)
    with Store(settings.db_path) as store:
        with Progress(
            TextColumn("[bold]sync[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[papers]} papers · {task.description}", markup=False),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("starting", total=None, papers=0)

            def update(p: SyncProgress) -> None:
                bar.update(
                    task,
                    completed=p.done,
                    total=p.total or None,
                    description=text.one_line(p.message, max_len=60),
                    papers=p.papers,
                )

            report = asyncio.run(go(store, update))
        total = store.count()
    console.print(
        f"synced: {report.summary()}; {total} papers in the store", markup=False, highlight=False
    )
    if report.periods_failed:
        for line in failure_lines(report.periods_failed):
            console.print(line, markup=False, highlight=False)
        console.print(
            "what was fetched is kept; run `paperreader sync` again to retry the failed periods",
            markup=False,
            highlight=False,
        )
        return 1
    return 0


_URL_PREFIX = re.compile(r"^https?://\S+ (?:failed after \d+ attempts: |→ )")


def failure_lines(failed: dict[str, str]) -> list[str]:
    """One line per distinct reason, naming every period that failed for it."""
    by_reason: dict[str, list[str]] = {}
    for key, error in sorted(failed.items()):
        by_reason.setdefault(_URL_PREFIX.sub("", error), []).append(key)
    lines = []
    for reason, keys in by_reason.items():
        what = (
            f"failed {keys[0]}"
            if len(keys) == 1
            else f"failed {len(keys)} periods ({', '.join(keys)})"
        )
        lines.append(f"  {what}: {reason}")
    return lines


def _sync_json(settings: Settings, go: Any) -> int:
    """Machine-readable sync: one JSON object per line (the reader runs this as a child)."""

    def emit(event: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(event) + "\n")
        sys.stdout.flush()

    def update(p: SyncProgress) -> None:
        emit(
            {
                "event": "progress",
                "done": p.done,
                "total": p.total,
                "papers": p.papers,
                "message": p.message,
            }
        )

    with Store(settings.db_path) as store:
        report = asyncio.run(go(store, update))
    emit({"event": "report", **dataclasses.asdict(report)})
    return 0 if report.ok else 1


def _list(store: Store, args: argparse.Namespace) -> int:
    flt = _filter_from(args)
    if args.json:
        records = store.records(flt, limit=args.limit)
        json.dump([r.to_json() for r in records], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    rows = store.query_rows(flt, limit=args.limit)
    for row in rows:
        mark = ("●" if not row.read else " ") + ("★" if row.favourite else " ")
        title = text.one_line(row.title, max_len=200)
        print(f"{mark} ▲{row.upvotes:>4}  {row.daily_date or '          '}  {row.id:<11} {title}")
    if not rows:
        print(
            "no papers match"
            if store.count()
            else "the store is empty: run `paperreader sync` first",
            file=sys.stderr,
        )
    return 0


def _show(store: Store, settings: Settings, args: argparse.Namespace) -> int:
    pid = text.normalize_paper_id(args.id)
    if pid is None:
        raise UsageError(f"{PROG} show: {args.id!r} is not an arXiv id like 2609.99901")
    from paperreader.core.hf_api import ApiError

    record = store.get(pid, with_signals=True)
    if record is None and not args.offline:
        try:
            paper = asyncio.run(_fetch_one(settings, pid))
        except ApiError as exc:
            msg = "Hugging Face has no such paper" if exc.status == 404 else str(exc)
            print(f"{PROG}: error: {pid} is not in the store and {msg}", file=sys.stderr)
            return 1
        with store.write():
            store.upsert_papers([paper])
        record = store.get(pid, with_signals=True)
    if record is None:
        print(f"{PROG}: error: {pid} is not in the store", file=sys.stderr)
        return 1
    if args.json:
        data = record.to_json()
        data["signals"] = [
            {"at": s[0], "upvotes": s[1], "comments": s[2], "github_stars": s[3]}
            for s in record.signals
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(describe(record))
    return 0


async def _fetch_one(settings: Settings, pid: str) -> Any:
    from paperreader.core.hf_api import HFClient

    async with HFClient(settings.api_url, token=settings.token) as client:
        return await client.paper(pid)


def describe(record: PaperRecord) -> str:
    """A plain-text view of one paper (for ``show``), laid out from ``core.render``."""
    doc = paper_text(record)
    title = doc.value("title")
    lines = [title, "=" * min(len(title), 80)]
    if authors := doc.get("authors"):
        lines.append(authors.value)
    facts = [
        f"{p.value} {p.label}" if p.key == "comments" else f"{p.label} {p.value}"
        for key in ("id", "published", "daily_date", "upvotes", "comments")
        if (p := doc.get(key))
    ]
    lines.append(" · ".join(facts))
    if org := doc.get("organization"):
        lines.append(f"{org.label}: {org.value}")
    for link in doc.of("link"):
        stars = f" ({link.number} stars)" if link.number is not None else ""
        lines.append(f"{link.label}: {link.value}{stars}")
    marked = [
        m.label for m in doc.of("mark") if m.key == "favourite" or (m.key == "read" and m.number)
    ]
    if marked:
        lines.append("marked: " + ", ".join(marked))
    if ai_summary := doc.get("ai_summary"):
        lines += ["", f"{ai_summary.label}: {ai_summary.value}"]
    if keywords := doc.get("keywords"):
        lines.append(f"{keywords.label}: {keywords.value}")
    lines += ["", doc.value("abstract") or NO_ABSTRACT, ""]
    lines += [f"{page.label}: {page.url}" for page in doc.of("page")]
    return "\n".join(text.clean(line) for line in lines)


def _export(store: Store, args: argparse.Namespace) -> int:
    from paperreader.core.export import export

    records = store.records(_filter_from(args))
    content = export(records, args.format)
    if args.output:
        target = Path(args.output)
        try:
            atomic_write(target, content)
        except OSError as exc:
            print(f"{PROG}: error: cannot write {target}: {exc.strerror}", file=sys.stderr)
            return 1
        print(f"exported {len(records)} papers to {target}", file=sys.stderr)
    else:
        sys.stdout.write(content)
    return 0
