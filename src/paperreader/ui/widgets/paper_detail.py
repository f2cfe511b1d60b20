"""PaperDetail: everything about one paper, scrollable.

All paper text is appended to Rich ``Text`` objects as plain strings with styles
given separately, so nothing from the API is ever parsed as markup.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from paperreader.core.models import PaperRecord
from paperreader.core.render import NO_ABSTRACT, paper_text

#: The keys that open each of a paper's pages (bound in the main screen).
PAGE_KEYS = {"hf": "o", "arxiv": "a", "pdf": "p"}


def render_record(record: PaperRecord) -> Group:
    """The detail view of ``record`` as Rich renderables (no markup anywhere).

    What is said comes from ``core.render.paper_text``; this decides only the layout.
    """
    doc = paper_text(record)
    parts: list[Text] = [Text(doc.value("title"), style="bold")]
    if authors := doc.get("authors"):
        parts.append(Text(authors.value, style="italic"))
    who = [p.value if p.key == "organization" else f"{p.label} {p.value}" for p in doc.of("byline")]
    if who:
        parts.append(Text(" · ".join(who), style="dim"))

    facts = Text()
    facts.append(f"▲ {doc.value('upvotes')}", style="bold")
    if comments := doc.get("comments"):
        facts.append(f"  ·  {comments.value} {comments.label}")
    if published := doc.get("published"):
        facts.append(f"  ·  arXiv {published.value}")
    if daily := doc.get("daily_date"):
        facts.append(f"  ·  Daily {daily.value}")
    parts.append(facts)

    marks = Text()
    if read := doc.get("read"):
        marks.append(("✓ " if read.number else "● ") + read.label, style="dim")
    if doc.get("favourite"):
        marks.append("   ★ favourite", style="bold yellow")
    if doc.get("withdrawn"):
        marks.append("   withdrawn", style="bold red")
    parts.append(marks)

    if trend := doc.get("upvote_trend"):
        parts.append(Text(f"{trend.label}: {trend.value}", style="dim"))

    links = Text()
    for link in doc.of("link"):
        links.append(f"{link.label:<9}", style="dim")
        links.append(link.value)
        if link.number is not None:
            links.append(f"  ★ {link.number}", style="dim")
        links.append("\n")
    if links:
        links.rstrip()
        parts.append(links)

    if ai_summary := doc.get("ai_summary"):
        parts.append(Text(ai_summary.label, style="bold underline"))
        parts.append(Text(ai_summary.value))
    if keywords := doc.get("keywords"):
        parts.append(Text(f"{keywords.label}: " + " · ".join(keywords.items), style="dim"))

    abstract = doc.get("abstract")
    parts.append(Text("Abstract", style="bold underline"))
    parts.append(Text((abstract.value if abstract else "") or NO_ABSTRACT))

    foot = Text()
    for page in doc.of("page"):
        foot.append(f"[{PAGE_KEYS[page.key]}] ", style="bold")
        foot.append(f"{page.label}  ", style="dim")
        foot.append(page.value + "\n")
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
        """The body that shows the paper."""
        yield self._body

    def show(self, record: PaperRecord | None, *, empty_hint: str = "") -> None:
        """Show ``record``, or ``empty_hint`` when there is none."""
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
