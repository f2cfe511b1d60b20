"""The demo as a newcomer sees it: every word painted for its papers is real English.

The reader runs on the ``--demo`` store at 120x40; the test walks down the list and reads
each screen as painted (the SVG screenshot's text, line by line). The reader's own labels,
links, Hub user names and numbers are set aside; every other word must come from the
corpus's English word lists (:mod:`tests.support.vocabulary`). A title cut short with "…"
must be the start of a known word.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from paperreader.core.models import PaperFilter
from paperreader.core.store import Store
from tests.support.app import demo_store, make_app
from tests.support.vocabulary import NUMBER, VOCABULARY, tokens

#: Words of the reader itself (headers, status, footer, detail labels, dates), not of papers.
_CHROME = """
    paperreader search titles abstracts authors keywords papers unread read cmt comment
    comments daily arxiv submitted by code project demo store synthetic network all newest
    done fav favourite day undo paper view quit help sync commands hf abs github stars hub
    mon tue wed thu fri sat sun jan feb mar apr may jun jul aug sep oct nov dec
"""
CHROME = frozenset(_CHROME.split())
#: Links (``https://…``, ``github.com/…``) and Hub handles are identifiers, not prose.
IDENTIFIER = re.compile(r"\S+://\S+|\S+\.(?:com|io|org|co)/\S*|@\w+")
TRUNCATED = re.compile(r"([A-Za-z]+)…")
SPAN = re.compile(r'<text[^>]*? x="([\d.]+)" y="([\d.]+)" textLength="([\d.]+)"[^>]*>(.*?)</text>')


def screen_lines(svg: str) -> list[str]:
    """The painted text of an SVG screenshot, one string per terminal row.

    Blank cells are not drawn, so a gap between two spans becomes a space (the footer's
    keys and labels are separate spans).
    """
    rows: dict[float, list[tuple[float, float, str]]] = {}
    for match in SPAN.finditer(svg):
        x, y, width, content = match.groups()
        rows.setdefault(float(y), []).append((float(x), float(width), html.unescape(content)))
    lines = []
    for y in sorted(rows):
        line, end = "", 0.0
        for x, width, content in sorted(rows[y]):
            line += (" " if x > end + 1 else "") + content
            end = x + width
        lines.append(line.replace("\xa0", " "))
    return lines


def invented_words(line: str, submitters: set[str]) -> set[str]:
    """Words on a painted line that are neither English from the word lists nor chrome."""
    line = IDENTIFIER.sub(" ", line)
    found: set[str] = set()
    for match in TRUNCATED.finditer(line):
        start = match.group(1).lower()
        if not any(word.startswith(start) for word in VOCABULARY | CHROME):
            found.add(start + "…")
    line = TRUNCATED.sub(" ", line)
    for word in tokens(line):
        if word in VOCABULARY or word in CHROME or word in submitters:
            continue
        if NUMBER.fullmatch(word) or len(word) == 1:  # counts and footer key letters
            continue
        found.add(word)
    return found


def test_the_checker_flags_an_invented_word() -> None:
    # Only worth something if it can fail: the old corpus's made-up words, cut or whole.
    assert invented_words("The baimafou analysis of sparse attention", set()) == {"baimafou"}
    assert invented_words("Towards Bailitou…", set()) == {"bailitou…"}
    assert invented_words("Towards Efficient Tran…  https://x.io/abc  @user1", set()) == set()


async def test_every_word_the_demo_paints_is_english(tmp_path: Path) -> None:
    store = demo_store(tmp_path / "demo.db")
    # Hub user names ("submitted by …") are made from author names: lower-cased, run together.
    submitters = {word for name in submitter_names(store) for word in tokens(name)}
    app = make_app(store, demo=True)
    seen_titles = 0
    invented: dict[str, str] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        for _ in range(40):
            await pilot.press("j")
            await pilot.pause(0.06)  # the detail follows the cursor after 40 ms
            lines = screen_lines(app.export_screenshot())
            detail = app.main_screen.detail.record
            assert detail is not None
            seen_titles += any(detail.paper.title[:40] in line for line in lines)
            for line in lines:
                for word in invented_words(line, submitters):
                    invented.setdefault(word, line)
    assert seen_titles == 40  # the detail painted each paper the cursor reached
    assert not invented, sorted(invented)


def submitter_names(store: Store) -> list[str]:
    """Every paper's submitter as the detail paints it."""
    return [
        record.paper.submitted_by or "" for record in store.iter_records(PaperFilter(), limit=200)
    ]


#: The reading view's own words (status line, footer) and the fixed frame of the made-up
#: paper (section names, the results table, the reference): not generated prose.
_READING_CHROME = """
    contents find links esc back close copy pdf link
    abstract introduction conclusion references table ours gb kept see
"""
READING_CHROME = frozenset(_READING_CHROME.split())


async def test_the_demo_papers_full_text_is_english_too(tmp_path: Path) -> None:
    store = demo_store(tmp_path / "demo.db")
    app = make_app(store, demo=True)
    invented: dict[str, str] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("w")
        await pilot.pause(0.3)
        pages = 0
        while pages < 12:  # the whole made-up paper, a screenful at a time
            for line in screen_lines(app.export_screenshot()):
                for word in invented_words(line, set()) - CHROME - READING_CHROME:
                    invented.setdefault(word, line)
            await pilot.press("space")
            await pilot.pause(0.05)
            pages += 1
    assert not invented, sorted(invented)
