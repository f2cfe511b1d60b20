"""PaperDetail: everything about one paper, the abstract first, scrollable by keys.

All paper text is appended to Rich ``Text`` objects as plain strings with styles
given separately, so nothing from the API is ever parsed as markup. The header is
kept to three lines (title, authors, facts) so a ~200-word abstract fits a 120x40
terminal without scrolling; summary, keywords and links follow it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from paperreader.core.models import PaperRecord
from paperreader.core.render import NO_ABSTRACT, PaperText, paper_text
from paperreader.ui.key_names import KeyNames, app_keymap
from paperreader.ui.widgets.detail_notes import note_block, tag_line

#: The bindings that open each of a paper's pages (in the main screen).
PAGE_BINDINGS = {"hf": "open_hf", "arxiv": "open_arxiv", "pdf": "open_pdf"}
#: Keys as the reader's own classes bind them (a widget outside the reader, a test).
DECLARED_KEYS: Mapping[str, str] = KeyNames({})
#: Authors named in the header before "+N more".
AUTHORS_SHOWN = 8


def _header(doc: PaperText) -> list[Text]:
    parts = [Text(doc.value("title"), style="bold")]
    if authors := doc.get("authors"):
        line = Text(", ".join(authors.items[:AUTHORS_SHOWN]), style="italic")
        if len(authors.items) > AUTHORS_SHOWN:
            line.append(f" +{len(authors.items) - AUTHORS_SHOWN} more", style="dim")
        line.no_wrap, line.overflow = True, "ellipsis"
        parts.append(line)
    facts = Text(no_wrap=True, overflow="ellipsis")
    if read := doc.get("read"):
        facts.append(("✓ " if read.number else "● ") + read.label, style="dim")
    if doc.get("favourite"):
        facts.append("  ★ favourite", style="bold yellow")
    if doc.get("withdrawn"):
        facts.append("  withdrawn", style="bold red")
    facts.append(f"  ▲ {doc.value('upvotes')}", style="bold")
    if comments := doc.get("comments"):
        facts.append(f" · {comments.value} {comments.label}")
    if daily := doc.get("daily_date"):
        facts.append(f" · Daily {daily.value}")
    if published := doc.get("published"):
        facts.append(f" · arXiv {published.value}")
    if organization := doc.get("organization"):
        facts.append(f" · {organization.value}", style="dim")
    parts.append(facts)
    return parts


def _more(doc: PaperText, keys: Mapping[str, str]) -> list[Text]:
    parts: list[Text] = []
    if ai_summary := doc.get("ai_summary"):
        parts += [Text(ai_summary.label, style="bold underline"), Text(ai_summary.value)]
    if keywords := doc.get("keywords"):
        parts.append(Text(f"{keywords.label}: " + " · ".join(keywords.items), style="dim"))
    if trend := doc.get("upvote_trend"):
        parts.append(Text(f"{trend.label}: {trend.value}", style="dim"))
    if submitted := doc.get("submitted_by"):
        parts.append(Text(f"{submitted.label} {submitted.value}", style="dim"))
    links = Text()
    for link in doc.of("link"):
        links.append(f"{link.label:<9}", style="dim")
        links.append(link.value)
        if link.number is not None:
            links.append(f"  ★ {link.number}", style="dim")
        links.append("\n")
    for page in doc.of("page"):
        links.append(f"[{keys[PAGE_BINDINGS[page.key]]}] ", style="bold")
        links.append(f"{page.label:<7}  ", style="dim")
        links.append(page.value + "\n")
    links.append(f"[{keys['copy_link']}] ", style="bold")
    links.append("copy the HF link", style="dim")
    parts.append(links)
    return parts


def reading_part(record: PaperRecord, keys: Mapping[str, str] = DECLARED_KEYS) -> list[Text]:
    """The top of the detail: header, tags, the abstract and the reader's note, the part
    a reader reads before moving on (``space`` pages until its end is on screen).

    ``keys`` names the key of each binding a hint mentions (binding id → key)."""
    doc = paper_text(record)
    abstract = doc.get("abstract")
    return [
        *_header(doc),
        *tag_line(doc, keys),
        Text(" "),
        Text((abstract.value if abstract else "") or NO_ABSTRACT),
        *note_block(doc, keys),
    ]


def render_record(record: PaperRecord, keys: Mapping[str, str] = DECLARED_KEYS) -> Group:
    """The detail view of ``record`` as Rich renderables (no markup anywhere).

    What is said comes from ``core.render.paper_text``; this decides only the layout:
    a three-line header, then the abstract, then everything else.
    """
    doc = paper_text(record)
    more = _more(doc, keys)
    spaced: list[Text] = reading_part(record, keys)
    for part in more:
        if part.plain == "AI summary" or part is more[0] or part is more[-1]:
            spaced.append(Text(" "))
        spaced.append(part)
    return Group(*spaced)


class PaperDetail(VerticalScroll, can_focus=True):
    """The detail pane: shows one ``PaperRecord`` or a hint when there is none."""

    BINDINGS = [
        Binding("j", "line(1)", "Scroll down", show=False),
        Binding("k", "line(-1)", "Scroll up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
    ]

    def __init__(self, *, id: str | None = None, extras: Sequence[Widget] = ()) -> None:
        super().__init__(id=id)
        self.record: PaperRecord | None = None
        self._body = Static(Text("No paper selected.", style="dim"), id="detail-body")
        self._extras = list(extras)
        """Blocks below the paper with ``show_paper(id)`` (``detail_extras``)."""

    def compose(self) -> ComposeResult:
        """The body that shows the paper, then the extra blocks."""
        yield self._body
        yield from self._extras

    def action_line(self, step: int) -> None:
        """Scroll ``step`` lines (no animation: a held key must not queue up motion)."""
        self.scroll_to(y=self.scroll_y + step, animate=False)

    def page_down(self) -> None:
        """Scroll a screenful down at once."""
        self.scroll_to(
            y=self.scroll_y + max(1, self.scrollable_content_region.height - 1), animate=False
        )

    @property
    def at_end(self) -> bool:
        """Whether the end of the paper is on screen (nothing left to page through)."""
        return self.scroll_y >= self.max_scroll_y

    @property
    def read_through(self) -> bool:
        """Whether the end of the abstract (and note) is on screen, or was scrolled past:
        what follows (AI summary, links, the Hub) is there to consult, not to page through."""
        if self.record is None or self.at_end:
            return True
        width = self._body.content_region.width
        if width <= 0:
            return True
        console = self.app.console
        options = console.options.update_width(width)
        part = reading_part(self.record, KeyNames(app_keymap(self)))
        lines = len(console.render_lines(Group(*part), options, pad=False))
        return self.scroll_y + self.scrollable_content_region.height >= lines

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
            self._body.update(render_record(record, KeyNames(app_keymap(self))))
        if not same:
            self.scroll_home(animate=False)
        for extra in self._extras:
            extra.show_paper(record.paper.id if record else None)  # type: ignore[attr-defined]
