"""A generated morning: the newest day holds 25 papers of ~200-word abstracts, older days follow."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from paperreader.core.corpus import paper_item
from paperreader.core.corpus.items import paper_id
from paperreader.core.models import Paper, PaperFilter
from paperreader.core.store import Store

#: Papers on the newest day.
DAY_SIZE = 25
#: The newest day's text is always this day's: the morning's key count depends on how long
#: each abstract is, and the generated text (and, on Mondays, an AI summary) varies with the day.
CONTENT_DAY = dt.date(2026, 11, 25)


def newest_day_item(day: dt.date, index: int, seed: int) -> dict[str, Any]:
    """CONTENT_DAY's ``index``-th paper, listed on ``day`` instead (id and dates moved)."""
    item = paper_item(CONTENT_DAY, index, seed=seed, abstract_words=200)
    paper = item["paper"]
    paper["id"] = paper_id(day, index)
    old, new = CONTENT_DAY.isoformat(), day.isoformat()
    paper["submittedOnDailyAt"] = paper["submittedOnDailyAt"].replace(old, new)
    for holder in (item, paper):
        holder["publishedAt"] = new + holder["publishedAt"][len(old) :]
    return item


def morning_store(
    path: Path, day: dt.date, *, older_days: int = 6, per_day: int = 12, seed: int = 3
) -> Store:
    """A store whose newest day is ``day`` with 25 unread papers; older days are read."""
    store = Store(path)
    papers = [Paper.from_api(newest_day_item(day, i, seed)) for i in range(DAY_SIZE)]
    older: list[Paper] = []
    back = day
    while len({p.daily_date for p in older}) < older_days:
        back -= dt.timedelta(days=1)
        if back.weekday() < 5:
            older += [
                Paper.from_api(paper_item(back, i, seed=seed, abstract_words=120))
                for i in range(per_day)
            ]
    with store.write():
        store.upsert_papers(older + papers, now=f"{day.isoformat()}T06:00:00Z")
    store.set_read([p.id for p in older])
    return store


def states(store: Store) -> dict[str, tuple[bool, bool]]:
    """(read, favourite) of every paper in the store."""
    return {row.id: (row.read, row.favourite) for row in store.query_rows(PaperFilter())}


def detail_lines(detail: Any) -> list[str]:
    """The detail pane's text lines as they are on screen now (scroll position applied)."""
    body = detail.query_one("#detail-body")
    width = body.content_region.width
    console = detail.app.console
    lines = console.render_lines(body.content, console.options.update_width(width), pad=False)
    text = ["".join(seg.text for seg in line).rstrip() for line in lines]
    top = int(detail.scroll_y)
    return text[top : top + detail.scrollable_content_region.height]


def shows_whole(detail: Any, passage: str) -> bool:
    """Whether all of ``passage`` is on screen in the detail pane (wrapping ignored)."""
    visible = " ".join(" ".join(detail_lines(detail)).split())
    return " ".join(passage.split()) in visible


def detail_window(detail: Any) -> dict[int, str]:
    """The detail's visible lines keyed by their line number in the whole paper."""
    top = int(detail.scroll_y)
    return {top + i: line for i, line in enumerate(detail_lines(detail))}
