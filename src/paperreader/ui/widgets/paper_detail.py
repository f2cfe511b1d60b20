"""PaperDetail: everything about one paper, scrollable.

All paper text is appended to Rich ``Text`` objects as plain strings with styles
given separately, so nothing from the API is ever parsed as markup.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from paperreader.core import text
from paperreader.core.models import PaperRecord, paper_urls


def _clean(value: object) -> str:
    return text.one_line(value)


def render_record(record: PaperRecord) -> Group:
    """The detail view of ``record`` as Rich renderables (no markup anywhere)."""
    p = record.paper
    urls = paper_urls(p.id)
    parts: list[Text] = []

    title = Text(_clean(p.title), style="bold")
    parts.append(title)
    if p.authors:
        parts.append(Text(", ".join(_clean(a) for a in p.authors), style="italic"))
    who = [
        x
        for x in (p.organization, f"submitted by {p.submitted_by}" if p.submitted_by else None)
        if x
    ]
    if who:
        parts.append(Text(" · ".join(_clean(x) for x in who), style="dim"))

    facts = Text()
    facts.append(f"▲ {p.upvotes or 0}", style="bold")
    if p.comments is not None:
        facts.append(f"  ·  {p.comments} comment{'' if p.comments == 1 else 's'}")
    if p.published:
        facts.append(f"  ·  arXiv {p.published}")
    if p.daily_date:
        facts.append(f"  ·  Daily {p.daily_date}")
    parts.append(facts)

    marks = Text()
    marks.append("● unread" if not record.read else "✓ read", style="dim")
    if record.favourite:
        marks.append("   ★ favourite", style="bold yellow")
    if p.withdrawn_at:
        marks.append("   withdrawn", style="bold red")
    parts.append(marks)

    if len(record.signals) > 1:
        votes = [str(s[1]) for s in record.signals if s[1] is not None][-6:]
        parts.append(Text(f"upvotes over syncs: {' → '.join(votes)}", style="dim"))

    links = Text()
    if p.github_repo and text.is_safe_url(p.github_repo):
        links.append("code     ", style="dim")
        links.append(_clean(p.github_repo))
        if p.github_stars is not None:
            links.append(f"  ★ {p.github_stars}", style="dim")
        links.append("\n")
    if p.project_page and text.is_safe_url(p.project_page):
        links.append("project  ", style="dim")
        links.append(_clean(p.project_page) + "\n")
    if links:
        links.rstrip()
        parts.append(links)

    if p.ai_summary:
        parts.append(Text("AI summary", style="bold underline"))
        parts.append(Text(_clean(p.ai_summary)))
    if p.ai_keywords:
        parts.append(Text("keywords: " + " · ".join(_clean(k) for k in p.ai_keywords), style="dim"))

    parts.append(Text("Abstract", style="bold underline"))
    parts.append(Text(text.reflow(p.summary) or "(no abstract)"))

    foot = Text()
    for key, label, url in (
        ("o", "HF page", urls["hf"]),
        ("a", "arXiv", urls["arxiv"]),
        ("p", "PDF", urls["pdf"]),
    ):
        foot.append(f"[{key}] ", style="bold")
        foot.append(f"{label}  ", style="dim")
        foot.append(url + "\n")
    foot.rstrip()
    parts.append(foot)

    spaced: list[Text] = []
    for i, part in enumerate(parts):
        if (i and part.plain in ("AI summary", "Abstract")) or part is foot or part is links:
            spaced.append(Text(""))
        spaced.append(part)
    return Group(*spaced)


class PaperDetail(VerticalScroll, can_focus=True):
    """The detail pane: shows one ``PaperRecord`` or a hint when there is none."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.record: PaperRecord | None = None
        self._body = Static(Text("No paper selected.", style="dim"), id="detail-body")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def show(self, record: PaperRecord | None, *, empty_hint: str = "") -> None:
        same = (
            record is not None
            and self.record is not None
            and (record.paper.id == self.record.paper.id)
        )
        self.record = record
        if record is None:
            self._body.update(Text(empty_hint or "No paper selected.", style="dim"))
        else:
            self._body.update(render_record(record))
        if not same:
            self.scroll_home(animate=False)
