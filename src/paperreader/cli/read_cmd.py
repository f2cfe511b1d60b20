"""``paperreader read ID [--offline] [--plain]``: a paper's full text in the terminal.

The stored text is used when there is one; otherwise it is fetched from Hugging Face
and stored (so the reader opens it offline later). On a terminal the paper is laid
out by the reader's own engine (headings, reflowed paragraphs, tables, LaTeX kept
as source, links with their targets) and shown in a pager; piped, or with
``--plain``, the Markdown is printed as served, minus control characters.

Registration (``cli/commands.py``)::

    read_cmd.add_parser(sub, parents=[common])
    ...
    if command == "read":
        return read_cmd.run(args, store, settings)

It also runs on its own: ``python -m paperreader.cli.read_cmd ID [--db PATH] [--api-url URL]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from paperreader.core import text
from paperreader.core.config import Settings, load_settings
from paperreader.core.models import paper_urls
from paperreader.core.store import Store, StoreError
from paperreader.core.store.fulltext import load_fulltext, save_fulltext

PROG = "paperreader"
#: Widest text column on a terminal: long lines are hard to read, whatever the window.
MAX_WIDTH = 120


def add_parser(subparsers: Any, *, parents: Sequence[argparse.ArgumentParser] = ()) -> Any:
    """Add the ``read`` sub-command to ``subparsers`` (from ``add_subparsers``)."""
    parser = subparsers.add_parser(
        "read", parents=list(parents), help="print a paper's full text (fetched once, then stored)"
    )
    parser.add_argument("id", metavar="ID", help="arXiv id, e.g. 2609.99901")
    # SUPPRESS: an unset sub-command flag must not overwrite `paperreader --offline read`.
    parser.add_argument(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS,
        help="only a stored text: never fetch it",
    )
    parser.add_argument(
        "--plain", action="store_true", help="print the Markdown as is (the default when piped)"
    )
    return parser


def run(args: argparse.Namespace, store: Store, settings: Settings) -> int:
    """Print the full text of ``args.id``; 0 on success, 1 when there is none to print."""
    pid = text.normalize_paper_id(args.id)
    if pid is None:
        print(f"{PROG} read: {args.id!r} is not an arXiv id like 2609.99901", file=sys.stderr)
        return 2
    stored = load_fulltext(store, pid)
    if stored is not None:
        markdown = stored.markdown
    elif settings.offline:
        pdf = paper_urls(pid)["pdf"]
        print(
            f"{PROG}: error: {pid}: full text not stored (offline); read the PDF: {pdf}",
            file=sys.stderr,
        )
        return 1
    else:
        fetched = _fetch(settings, pid)
        if fetched is None:
            return 1
        markdown = fetched
        try:
            save_fulltext(store, pid, markdown)
        except StoreError as exc:
            print(f"{PROG}: warning: not stored: {exc}", file=sys.stderr)
    if args.plain or not sys.stdout.isatty():
        cleaned = text.clean(markdown, max_len=len(markdown) + 1)
        sys.stdout.write(cleaned if cleaned.endswith("\n") else cleaned + "\n")
        return 0
    page(markdown)
    return 0


def _fetch(settings: Settings, pid: str) -> str | None:
    from paperreader.core.fulltext.fetch import FullTextError, fetch_fulltext
    from paperreader.core.hf_api import client_for

    async def go() -> str:
        async with client_for(settings) as client:
            return (await fetch_fulltext(client, pid)).markdown

    if sys.stderr.isatty():
        print(f"fetching the full text of {pid}…", file=sys.stderr)
    try:
        return asyncio.run(go())
    except FullTextError as exc:
        print(f"{PROG}: error: {pid}: {exc}; read the PDF: {exc.pdf_url}", file=sys.stderr)
        return None


def lines(markdown: str, width: int) -> Iterator[list[Any]]:
    """The paper laid out at ``width`` columns: Rich segments, one list per line."""
    from paperreader.core.fulltext.document import Document
    from paperreader.core.fulltext.layout import Layout

    layout = Layout(Document(markdown), width)
    y = 0
    while layout.ensure_line(y):
        yield layout.line(y)
        y += 1


def render(markdown: str, console: Any) -> None:
    """Print the laid-out paper on a Rich ``console`` (text reaches it only as segments)."""
    from rich.segment import Segment, Segments

    width = max(20, min(console.width, MAX_WIDTH))
    out: list[Segment] = []
    for line in lines(markdown, width):
        out.extend(line)
        out.append(Segment.line())
    console.print(Segments(out), end="", soft_wrap=True)


def page(markdown: str) -> None:
    """Show the laid-out paper in the pager ($PAGER, else less) with its styles."""
    from rich.console import Console

    if not os.environ.get("PAGER") and "R" not in os.environ.get("LESS", "").upper():
        os.environ["LESS"] = (os.environ.get("LESS", "") + " -R").strip()  # let less show styles
    console = Console()
    with console.pager(styles=True):
        render(markdown, console)


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry point (``python -m paperreader.cli.read_cmd``)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", help="the store file")
    common.add_argument("--api-url", metavar="URL", help="Hugging Face API base URL")
    parser = argparse.ArgumentParser(prog=PROG)
    sub = parser.add_subparsers(dest="command")
    add_parser(sub, parents=[common])
    args = parser.parse_args(["read", *(argv if argv is not None else sys.argv[1:])])
    if args.api_url is not None and not text.is_safe_url(args.api_url):
        parser.error("--api-url must be an http(s) URL")
    settings = load_settings(
        db_path=Path(args.db) if args.db else None,
        api_url=args.api_url,
        offline=True if getattr(args, "offline", False) else None,
    )
    try:
        with Store(settings.db_path) as store:
            return run(args, store, settings)
    except StoreError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
