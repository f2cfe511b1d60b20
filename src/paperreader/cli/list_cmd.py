"""``paperreader list`` and ``show``: reading the store from the command line.

``list`` streams: rows are read and written 500 at a time, so the first line appears at
once and memory stays flat however many papers match.
"""

from __future__ import annotations

import argparse
import json

from paperreader.cli import output
from paperreader.cli.parser import PROG, UsageError
from paperreader.core import export, text
from paperreader.core.config import Settings
from paperreader.core.models import Paper, PaperFilter, PaperRecord
from paperreader.core.render import NO_ABSTRACT, paper_text
from paperreader.core.store import Store

CHUNK = 500
EMPTY_STORE = f"the store is empty: run `{PROG} sync` first"


def filter_from(args: argparse.Namespace) -> PaperFilter:
    """The store filter the ``--unread/--favourites/--search/--since/--sort`` options ask for."""
    view = "favourites" if args.favourites else ("unread" if args.unread else "all")
    sort = args.sort or ("relevance" if args.search else "newest")
    return PaperFilter(
        view=view,  # type: ignore[arg-type]
        search=args.search or "",
        since=args.since.isoformat() if args.since else None,
        sort=sort,  # type: ignore[arg-type]
        tag=args.tag,
    )


def run_list(store: Store, args: argparse.Namespace) -> int:
    """Print matching papers, one line each (or a JSON array with ``--json``)."""
    flt = filter_from(args)
    sink = output.stdout()
    if args.json:
        from paperreader.core.store.linked import linked_json
        from paperreader.core.store.notes_tags import all_annotations

        records = store.iter_records(flt, chunk=CHUNK, limit=args.limit)
        if not export.write_json(records, sink, all_annotations(store), linked_json(store)):
            say_none_found(store)  # `[]` alone cannot tell an empty store from no match
        return 0
    listed = 0
    for part in store.iter_rids(flt, chunk=CHUNK, limit=args.limit):
        listed += len(part)
        found = store.rows(part)
        lines = []
        for rid in part:
            row = found.get(rid)
            if row is None:
                continue
            mark = ("●" if not row.read else " ") + ("★" if row.favourite else " ")
            title = text.one_line(row.title, max_len=200)
            day = row.daily_date or "          "
            lines.append(f"{mark} ▲{row.upvotes:>4}  {day}  {row.id:<11} {title}\n")
        sink.write("".join(lines))
    if not listed:
        say_none_found(store)
    return 0


def say_none_found(store: Store) -> None:
    """Say on stderr why nothing came out: no paper matched, or the store is empty."""
    output.note("no papers match" if store.count() else EMPTY_STORE)


def run_show(store: Store, settings: Settings, args: argparse.Namespace) -> int:
    """Show one paper, fetching it from Hugging Face when the store does not have it."""
    pid = text.normalize_paper_id(args.id)
    if pid is None:
        shown = text.one_line(args.id, max_len=40)
        raise UsageError(f"{PROG} show: {shown!r} is not an arXiv id like 2609.99901")
    record = store.get(pid, with_signals=True)
    if record is None and not settings.offline:
        import asyncio

        from paperreader.core.hf_api import ApiError

        try:
            paper = asyncio.run(_fetch_one(settings, pid))
        except ApiError as exc:
            msg = "Hugging Face has no such paper" if exc.status == 404 else str(exc)
            output.error(f"{pid} is not in the store and {msg}")
            return 1
        with store.write():
            store.upsert_papers([paper])
        record = store.get(pid, with_signals=True)
    if record is None:
        output.error(f"{pid} is not in the store")
        return 1
    if args.json:
        data = record.to_json()
        data["signals"] = [
            {"at": s[0], "upvotes": s[1], "comments": s[2], "github_stars": s[3]}
            for s in record.signals
        ]
        from paperreader.core.store.linked import linked_json

        data.update(linked_json(store)(pid))  # the linked repos, when they were fetched
        output.out(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        output.out(describe(record))
    return 0


async def _fetch_one(settings: Settings, pid: str) -> Paper:
    from paperreader.core.hf_api import HFClient

    async with HFClient(
        settings.api_url, token=settings.token, token_hosts=settings.token_hosts
    ) as client:
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
    if tags := doc.get("tags"):
        lines.append(f"{tags.label}: {tags.value}")
    if ai_summary := doc.get("ai_summary"):
        lines += ["", f"{ai_summary.label}: {ai_summary.value}"]
    if keywords := doc.get("keywords"):
        lines.append(f"{keywords.label}: {keywords.value}")
    lines += ["", doc.value("abstract") or NO_ABSTRACT, ""]
    if note := doc.get("note"):
        lines += ["note:", *(f"  {line}" for line in note.value.split("\n")), ""]
    lines += [f"{page.label}: {page.url}" for page in doc.of("page")]
    return "\n".join(text.clean(line) for line in lines)
