"""Pilot tests of the reader's flows: keys in, store state out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.binding import Binding
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.timer import Timer
from textual.widgets import Input, OptionList

from paperreader.core.corpus import Corpus
from paperreader.core.listing import PREFIX_ROWS, RANK_WINDOW, Page, load_live
from paperreader.core.models import Paper, PaperFilter, SyncReport
from paperreader.core.store import Store
from paperreader.core.store.search import Search
from paperreader.ui.screens.help import HelpScreen
from paperreader.ui.widgets import FilterPane, PaperList
from tests.conftest import papers_from
from tests.support.app import (
    LATEST,
    TODAY,
    demo_store,
    hostile_paper,
    make_app,
    marks_saved,
    wait_for,
)
from tests.support.fakehub import FakeHub


@pytest.fixture
def demo(tmp_path: Path) -> Store:
    return demo_store(tmp_path / "demo.db")


def _list(app) -> PaperList:  # type: ignore[no-untyped-def]
    return app.main_screen.paper_list


async def test_move_mark_read_favourite_then_quit_persists(demo: Store, tmp_path: Path) -> None:
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        pl = _list(app)
        first = pl.current
        assert first is not None
        first_state = demo.state(first.id)
        await pilot.press("j", "j", "k")
        assert pl.cursor == 1
        second = pl.current
        assert second is not None and not second.read
        await pilot.press("r")  # mark read and move on
        assert pl.cursor == 2
        await pilot.press("k", "f")
        await pilot.press("q")
    assert first is not None and second is not None
    with Store(demo.path) as reopened:
        assert reopened.state(second.id) == (True, True)
        assert reopened.state(first.id) == first_state


async def test_r_never_unreads_and_n_jumps_to_next_unread(demo: Store) -> None:
    demo.set_read([r.id for r in demo.query_rows(PaperFilter(), limit=3)[1:3]])
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        pl = _list(app)
        await pilot.press("n")
        assert pl.cursor == 3  # rows 1 and 2 were read
        await pilot.press("N")
        assert pl.cursor == 0
        await pilot.press("j", "r")  # row 1 was read: r keeps it read, goes to the next unread
        assert pl.cursor == 3
        assert pl.row_at(1).read  # type: ignore[union-attr]
        await pilot.press("U")  # a separate key marks unread, and stays
        assert pl.cursor == 3
        assert pl.current is not None and not pl.current.read


async def test_search_as_you_type_and_escape_clears(demo: Store) -> None:
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        pl = _list(app)
        total = pl.count
        await pilot.press("slash", *"honesty")
        pane = app.main_screen.list_pane
        await wait_for(pilot, lambda: app.main_screen.listing.filter.search == "honesty")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert pane.showing == "honesty"
        assert 0 < pl.count < total
        for i in range(pl.count):
            row = pl.row_at(i)
            assert row is not None
            record = demo.get(row.id)
            assert record is not None
            haystack = " ".join(
                [record.paper.title, record.paper.summary, " ".join(record.paper.ai_keywords)]
            ).lower()
            assert "honest" in haystack
        await pilot.press("escape")
        await wait_for(pilot, lambda: pl.count == total)
        assert app.query_one("#search", Input).value == ""


async def test_a_new_search_starts_at_its_best_match(demo: Store) -> None:
    """Typed letter by letter, a search lands on its best match, not on the paper the
    cursor (or a keystroke's newest-first preview) happened to be on. Escape returns to
    the paper from before the search, or stays on the one the reader moved to in it."""
    ranked = demo.query_rows(PaperFilter(search="diffusion", sort="relevance"), today=TODAY)
    assert len(ranked) > 5
    worst = ranked[-1]
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        pl, screen = _list(app), app.main_screen
        screen.list_pane.load_whole_list()
        pl.move_to(list(pl.rids).index(worst.rid))
        await pilot.pause()
        assert pl.current is not None and pl.current.id == worst.id
        await pilot.press("slash", *"diffusion")
        await wait_for(pilot, lambda: screen.listing.filter.search == "diffusion")
        await wait_for(pilot, lambda: screen.list_pane.settled)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert pl.count == len(ranked)
        assert pl.cursor == 0
        assert pl.current is not None and pl.current.id == ranked[0].id
        # A look that chose nothing: escape goes back to the paper from before the search.
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.listing.filter.search == "")
        await pilot.pause()
        assert pl.current is not None and pl.current.id == worst.id
        await pilot.press("escape", "slash", *"diffusion")
        await wait_for(pilot, lambda: screen.listing.filter.search == "diffusion")
        await wait_for(pilot, lambda: screen.list_pane.settled)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert pl.cursor == 0
        await pilot.press("enter", "j", "j")  # read on down the answer
        third = pl.current
        assert pl.cursor == 2 and third is not None
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.listing.filter.search == "")
        await pilot.pause()
        assert pl.current is not None and pl.current.id == third.id


async def test_keys_typed_right_after_slash_go_to_the_search_box(demo: Store) -> None:
    """A burst such as "/fund" arrives in one read (a fast typist during a busy frame,
    tmux send-keys): the search box has focus for the very next key. The keys used to go
    to the list, where "f" starred a paper, "u" undid it and "n" moved the cursor."""
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        pl, screen = _list(app), app.main_screen
        row = pl.current
        assert row is not None
        before = demo.state(row.id)

        def burst(text: str) -> None:
            for ch in text:
                key = ch if ch.isalnum() else _character_to_key(ch)
                app.post_message(events.Key(key, ch))

        burst("/fund")
        await wait_for(pilot, lambda: screen.list_pane.search_box.value == "fund")
        await marks_saved(pilot, app)
        assert demo.state(row.id) == before
        assert screen.list_pane.search_box.has_focus
        # In a text field "/" is typed like any other character: here, and in the notes.
        burst("/a")
        await wait_for(pilot, lambda: screen.list_pane.search_box.value == "fund/a")


async def test_hostile_search_input_never_crashes(demo: Store) -> None:
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *'"(AND', "quotation_mark", "asterisk")
        await pilot.pause(0.3)
        await pilot.press("enter")
        assert app.is_running


#: Search-box input a reader could type or paste: FTS5 syntax, quotes, SQL, markup, escape
#: sequences, odd Unicode, and real words (so results are narrowed, not only all or none).
HOSTILE_SEARCHES = [
    *"\"()*^-:+'{}[]%\\_;.,/",
    '""',
    "()",
    "model",
    "-model",
    "model-",
    "title:model",
    "{title}:agent",
    "NEAR(",
    "NEAR(model agent",
    "model NEAR/3 agent",
    "AND",
    "OR",
    "NOT",
    "model AND",
    "OR model",
    "NOT NOT",
    "model*",
    "*model",
    'mod"el',
    '"model',
    'model"',
    "a'b",
    "model +agent",
    "' OR 1=1 --",
    "x'); DROP TABLE papers; --",
    "[bold]model[/]",
    "[@click=app.quit]agent[/]",
    "\x1b[31mmodel",
    "\x1b]2;PWNED\x07",
    "\x00model",
    "model\x00",
    "model\tagent",
    "model\nbreak",
    "\u202emodel",
    "ｍｏｄｅｌ",
    "modèle",
    "漢字",
    "😀 model",
    "e\u0301",
    "_",
    "__init__",
    "model_agent",
    "   model   ",
    " ",
    "benchmark reasoning agent vision language model training data",
    "a b c d e f g h i j k l m n o p q r s t",
    "x" * 600,
]
_SYNTAX = ['"', "(", ")", "AND", "OR", "NOT", "NEAR(", "NEAR/3", "*", "^", "-", "+", ":", "'"]
_PIECES = [*_SYNTAX, "é", "漢", "model", "agent", "learn", "vision", " ", "\t", "\x00", "\u202e"]


def _more_searches(n: int, seed: int = 8) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 8))) for _ in range(n)]


async def _until(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str, timeout: float = 20.0
) -> None:
    """Like ``wait_for``, polling in short steps: this test waits out many debounces."""
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never reached: {what}")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


#: Strings driven through the box; each waits out the real debounce (~0.3 s apiece).
SEARCHES = 100


@pytest.mark.slow
async def test_hostile_search_box_input_lists_what_the_store_finds(demo: Store) -> None:
    """Hostile strings typed (or pasted) into the real search box, debounce included: the
    reader keeps running and lists exactly what the store finds for the text in the box."""
    app = make_app(demo)
    searches = HOSTILE_SEARCHES + _more_searches(SEARCHES - len(HOSTILE_SEARCHES))
    narrowed = typed = 0
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        pl = _list(app)
        box = app.query_one("#search", Input)
        total = demo.count()
        await pilot.press("slash")
        for text in searches:
            box.value = ""
            if all(ch.isprintable() for ch in text):
                # Key by key, as a terminal sends them; each one restarts the debounce.
                for ch in text:
                    key = ch if ch.isalnum() else _character_to_key(ch)
                    app.post_message(events.Key(key, ch))
                typed += 1
                wanted = text
            else:  # tabs, newlines and control characters only arrive by pasting
                app.post_message(events.Paste(text))
                wanted = text.splitlines()[0] if text.splitlines() else ""
            await _until(pilot, lambda: box.value == wanted, f"the box holds {wanted!r}")  # noqa: B023
            value = box.value
            # The debounced query has run for exactly the text in the box.
            applied = f"the list searched for {value!r}"
            await _until(pilot, lambda: screen.listing.filter.search == value, applied)  # noqa: B023
            # The counted answer runs in a thread (a quick preview may be on screen first).
            await _until(pilot, lambda: screen.list_pane.settled, f"the answer for {value!r}")
            assert app.is_running
            flt = PaperFilter(search=value, sort="relevance" if value.strip() else "newest")
            assert screen.listing.filter == flt
            expected = demo.query_rids(flt, today=TODAY, rank_window=RANK_WINDOW)
            assert pl.count == len(expected), repr(value)
            shown = list(pl.rids)
            assert shown == list(expected[: len(shown)]), repr(value)
            # An independent check that the query was really applied: every listed paper
            # contains each plain word of the box (the last one as a prefix).
            words = [w for w in re.findall(r"\w+", value) if re.fullmatch(r"[A-Za-z0-9]+", w)]
            if words and len(re.findall(r"\w+", value)) <= 16:
                for rid in shown[:20]:
                    row = demo.conn.execute(
                        "SELECT title, summary, authors, keywords FROM papers WHERE rid = ?",
                        [rid],
                    ).fetchone()
                    haystack = _fold(" ".join(row))
                    assert all(w.casefold() in haystack for w in words), (value, row[0])
            narrowed += 0 < pl.count < total
    assert typed >= SEARCHES // 2 and typed < SEARCHES  # both ways in were used
    assert narrowed >= 20  # the checks above saw real, narrowed results (29 on any date)


async def test_views_unread_and_favourites(demo: Store) -> None:
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        pl = _list(app)
        await pilot.press("v")
        assert pl.count == demo.unread_count()
        await pilot.press("v")
        favs = {r.id for r in demo.query_rows(PaperFilter(view="favourites"))}
        assert pl.count == len(favs) == 3
        await pilot.press("v")
        assert {pl.row_at(i).daily_date for i in range(pl.count)} == {LATEST.isoformat()}  # type: ignore[union-attr]
        await pilot.press("V", "V", "V")
        assert pl.count == demo.count()


async def test_filter_change_keeps_cursor_on_the_same_paper(demo: Store) -> None:
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        pl = _list(app)
        await pilot.press("j", "j", "j")
        keep = pl.current
        assert keep is not None
        await pilot.press("v")  # unread view: the paper is unread, so it stays selected
        assert pl.current is not None and pl.current.id == keep.id
        await pilot.press("s")  # sort by upvotes
        assert pl.current is not None and pl.current.id == keep.id


async def test_enter_and_open_mark_read_and_only_web_urls_open(demo: Store) -> None:
    opened: list[str] = []
    app = make_app(demo, opened=opened)
    async with app.run_test(size=(120, 40)) as pilot:
        pl = _list(app)
        row = pl.current
        assert row is not None
        await pilot.press("enter")
        await marks_saved(pilot, app)
        assert demo.state(row.id)[0] is True
        await pilot.press("escape", "j", "o", "p")
        assert opened == [
            f"https://huggingface.co/papers/{pl.current.id}",  # type: ignore[union-attr]
            f"https://arxiv.org/pdf/{pl.current.id}",
        ]  # type: ignore[union-attr]
        app.open_link("file:///etc/passwd")
        app.open_link("--remote-debugging-port=9222")
        assert len(opened) == 2


async def test_auto_read_after_a_few_seconds(demo: Store) -> None:
    app = make_app(demo, auto_read_seconds=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        row = _list(app).current
        assert row is not None and not row.read
        await pilot.pause(0.5)
        await marks_saved(pilot, app)
        assert demo.state(row.id)[0] is True


async def test_help_lists_every_binding_and_keymap_remaps(demo: Store) -> None:
    app = make_app(demo, keymap={"toggle_read": "x"})  # the binding's old id still works
    async with app.run_test(size=(120, 40)) as pilot:
        row = _list(app).current
        assert row is not None
        await pilot.press("x")
        await marks_saved(pilot, app)
        assert demo.state(row.id)[0] is True
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        ids = {binding_id for _, _, binding_id in app.screen.rows}
        assert {
            "read_next",
            "mark_unread",
            "mark_day_read",
            "mark_above",
            "undo",
            "read_on",
            "copy_link",
            "next_view",
            "toggle_favourite",
            "search",
            "open_hf",
            "open_pdf",
            "sync_now",
            "help",
            "quit",
            "cursor_down",
            "first",
            "last",
            "page_down",
            "next_unread",
            "toggle_filters",
            "next_pane",
            "back",
            "open",
        } <= ids
        keys = {binding_id: keys for keys, _, binding_id in app.screen.rows}
        assert keys["read_next"] == "x"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_scrolls_with_the_lists_keys_and_says_how_to_close(demo: Store) -> None:
    from textual.containers import VerticalScroll

    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        box = app.screen.query_one("#help-box", VerticalScroll)
        assert box.max_scroll_y > 10  # at 80x24 the keys do not fit
        title = str(app.screen.query_one("#help-title").render())
        assert "j/k, space and g/G scroll · esc, q or ? closes" in title
        assert "4j moves four papers, 12g goes to the 12th" in app.screen.intro
        assert "undone with u." in app.screen.intro and "{" not in app.screen.intro
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert box.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert box.scroll_y == 2
        await pilot.press("G")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert box.scroll_y == 0
        await pilot.press("space")
        await pilot.pause()
        assert box.scroll_y > 10
        await pilot.press("q")
        assert not isinstance(app.screen, HelpScreen)


async def test_the_footer_shows_every_key_it_offers_in_full_at_80x24(demo: Store) -> None:
    import html

    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        svg = app.export_screenshot()
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg)
    painted = html.unescape("".join(texts)).replace("\xa0", " ")
    footer = painted[painted.rindex("r Done") :]
    offered = [
        b.description
        for b in [*app.main_screen.BINDINGS, *app.BINDINGS]
        if isinstance(b, Binding) and b.show
    ]
    assert len(offered) >= 8
    for description in offered:
        assert description in footer, (description, footer)
    assert footer.endswith("^p Commands")


async def test_mark_all_listed_read(demo: Store) -> None:
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "v", "v")  # today
        before = demo.unread_count()
        app.main_screen.action_triage("mark_all_read")
        await marks_saved(pilot, app)
        today = demo.query_rows(PaperFilter(view="today"), today=TODAY)
        assert today and all(r.read for r in today)
        assert demo.unread_count() > 0  # only the listed papers
        await pilot.press("ctrl+z")
        await marks_saved(pilot, app)
        assert demo.unread_count() == before


async def test_narrow_layout_detail_full_screen_and_back(demo: Store) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.main_screen
        assert screen.has_class("-stacked") and screen.has_class("-filters-hidden")
        await pilot.press("enter")
        assert screen.has_class("-detail-full")
        await pilot.press("escape")
        assert not screen.has_class("-detail-full")
        await pilot.press("F")
        assert not screen.has_class("-filters-hidden")


async def test_tab_cycles_panes(demo: Store) -> None:
    app = make_app(demo)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("tab")
        assert app.main_screen.detail.has_focus
        await pilot.press("tab")  # the filter pane is folded away at this width
        assert _list(app).has_focus
        await pilot.pause(0.2)
        await pilot.press("F")  # unfold it: focus goes to its first control
        assert app.main_screen.filters.has_focus_within
        await pilot.press(*["tab"] * len(FilterPane.CONTROLS))  # every control, then out
        assert _list(app).has_focus


async def test_mouse_click_selects_and_wheel_scrolls(demo: Store) -> None:
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        pl = _list(app)
        await pilot.click(PaperList, offset=(10, 4))
        assert pl.cursor == 3  # line 0 is the heading of the newest day
        for _ in range(3):
            pl.post_message(events.MouseScrollDown(pl, 10, 4, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert pl.scroll_y > 0


async def test_hostile_titles_are_literal_and_clicks_do_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.db")
    with store.write():
        store.upsert_papers([hostile_paper()])
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click(PaperList, offset=(20, 0))
        await pilot.click("#detail-body", offset=(3, 0))
        await pilot.pause()
        assert app.is_running
        strip = _list(app).render_line(1)  # line 0: the day's heading
        line = "".join(seg.text for seg in strip)
        assert "[@click=app.quit]Click me[/]" in line
        assert "\x1b" not in line


async def test_sync_lands_papers_and_cursor_stays(tmp_path: Path) -> None:
    corpus = Corpus(TODAY - dt.timedelta(days=20), TODAY, seed=5, per_day=10, abstract_words=30)
    store = Store(tmp_path / "s.db")
    cut = (TODAY - dt.timedelta(days=6)).isoformat()
    older = [it for it in corpus.all_items() if it["paper"]["submittedOnDailyAt"] < cut]
    with store.write():
        store.upsert_papers(papers_from(older))
    # The sync runs as a child process; it inherits the pinned clock.
    with FakeHub(corpus, today=TODAY) as hub:
        app = make_app(store, offline=False, api_url=hub.url)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("j", "j")
            keep = _list(app).current
            await wait_for(pilot, lambda: app.main_screen.status.sync.startswith("synced"))
            await wait_for(pilot, lambda: _list(app).complete)
            assert _list(app).count == corpus.count() > len(older)
            assert _list(app).current is not None and _list(app).current.id == keep.id  # type: ignore[union-attr]
            assert "new" in app.main_screen.status.sync
            app.main_screen.status.set_sync("")
            await pilot.press("R")
            await wait_for(pilot, lambda: app.main_screen.status.sync.startswith("synced"))
            assert "0 new" in app.main_screen.status.sync


async def test_offline_start_makes_no_requests(corpus: Corpus, demo: Store) -> None:
    with FakeHub(corpus, today=TODAY) as hub:
        app = make_app(demo, offline=True, api_url=hub.url)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("R")
            await pilot.pause()
            assert app.main_screen.status.sync.startswith("offline")
        assert hub.log == []


async def test_unreachable_api_opens_on_the_store_and_says_offline(demo: Store) -> None:
    app = make_app(demo, offline=False, api_url="http://127.0.0.1:9", max_attempts=1)
    app.settings = dataclasses.replace(app.settings, sync_interval=60.0)
    # Recorded as called: Textual drops a toast when its timeout passes, and a loaded
    # machine may take longer than that to run the syncs below.
    told: list[str] = []
    notify = app.notify
    app.notify = lambda message, **kw: (told.append(message), notify(message, **kw))[1]  # type: ignore[method-assign]
    timers: list[Timer] = []
    set_timer = app.set_timer

    def recording_timer(*args: Any, **kw: Any) -> Timer:
        timer = set_timer(*args, **kw)
        if kw.get("name") == "next-sync":
            timers.append(timer)
        return timer

    app.set_timer = recording_timer  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.main_screen.status.sync.startswith("offline"))
        assert _list(app).count == demo.count()
        assert not app.syncing
        # The status line has room for the start of the reason; a notification tells it all.
        await wait_for(pilot, lambda: len(told) == 1)
        assert told[0].startswith("Offline: could not reach http://127.0.0.1:9")
        assert told[0].endswith("R tries again.")
        # R shows at once that it is trying (a refused connection fails within a frame or
        # two, and the line would otherwise read the same before and after), and tells
        # the failure again: it was asked for.
        shown: list[str] = []
        status = app.main_screen.status
        set_sync = status.set_sync
        status.set_sync = lambda v, style="dim": (shown.append(v), set_sync(v, style))[1]  # type: ignore[method-assign]
        await pilot.press("R")
        assert shown[0] == "syncing 127.0.0.1:9…"
        await wait_for(pilot, lambda: not app.syncing and len(told) == 2)
        # A timed retry that fails the same way is not told again.
        app._sync_on_timer()
        assert app.syncing
        await wait_for(pilot, lambda: not app.syncing)
        await pilot.pause()
        assert app.main_screen.status.sync.startswith("offline")
        assert len(told) == 2
        # Three syncs ended, each setting the next one's timer: one runs, not three.
        assert len(timers) == 3
        assert [t._task is not None for t in timers] == [False, False, True]


async def test_empty_store_explains_what_to_do(tmp_path: Path) -> None:
    store = Store(tmp_path / "empty.db")
    app = make_app(store)
    async with app.run_test(size=(120, 40)):
        body = app.main_screen.detail.query_one("#detail-body")
        assert "store is empty" in str(body.render())


async def test_theme_choice_is_remembered(demo: Store, isolated_home: Path) -> None:
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme != "nord"
        app.theme = "nord"
        await pilot.pause()
    assert 'theme = "nord"' in app.settings.config_file.read_text()
    assert app.settings.config_file.is_relative_to(isolated_home)
    # The next start reads the same config file and opens in the chosen theme.
    again = make_app(demo)
    assert again.settings.theme == "nord"
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"
        assert again.current_theme.name == "nord"


async def test_list_loads_only_the_rows_on_screen(demo: Store) -> None:
    """No widget or row object per paper: the list asks the store for a window at a time."""
    requested: list[int] = []
    loader = demo.rows

    def counting(rowids):  # type: ignore[no-untyped-def]
        requested.extend(rowids)
        return loader(rowids)

    demo.rows = counting  # type: ignore[method-assign]
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        assert demo.count() > 600
        assert 0 < len(requested) <= 120
        await pilot.press("G")
        assert _list(app).cursor == demo.count() - 1
        assert len(set(requested)) <= 240


async def test_long_lists_load_the_rest_on_demand(tmp_path: Path) -> None:
    store = demo_store(tmp_path / "long.db", days=60, per_day=30)
    assert store.count() > 1000
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        pl = _list(app)
        assert pl.count == store.count() and not pl.complete  # first screenful only
        await pilot.press("G")  # the end: the rest arrives from a worker
        await wait_for(pilot, lambda: pl.complete)
        assert pl.cursor == pl.count - 1 and pl.current is not None
        last = store.query_rids(PaperFilter())[-1]
        assert pl.current.rid == last


async def test_each_keystroke_paints_a_quick_preview_before_the_full_answer(
    demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long pause before the full query, so the preview is what is on screen meanwhile
    # however slowly the machine runs the keys (enter asks for the answer at once).
    monkeypatch.setattr("paperreader.ui.widgets.search_box.SEARCH_DEBOUNCE", 30.0)
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.main_screen.list_pane
        await pilot.press("slash")
        await wait_for(pilot, lambda: pane._recent is not None)  # loads when the box is focused
        await pilot.press("m", "o")
        # Straight after the keys, before the debounce: newest-first matches are on screen.
        assert pane.showing == "mo"
        assert app.main_screen.listing.filter.search == ""
        shown = [pane.paper_list.row_at(i) for i in range(min(pane.paper_list.count, 20))]
        assert shown and all(r is not None for r in shown)
        rids = [r.rid for r in shown if r is not None]
        assert rids == sorted(rids, reverse=True)  # newest first
        for row in shown:
            record = demo.get(row.id)  # type: ignore[union-attr]
            assert record is not None
            text = " ".join(
                [
                    record.paper.title,
                    record.paper.summary,
                    *record.paper.authors,
                    *record.paper.ai_keywords,
                ]
            ).lower()
            assert " mo" in " " + " ".join(text.replace("-", " ").split())
        # Then the store's full answer: counted and in best-match order.
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.main_screen.listing.filter.search == "mo")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.main_screen.listing.filter.sort == "relevance"
        assert pane.paper_list.count == len(demo.query_rids(app.main_screen.listing.filter))


async def test_drawn_rows_follow_marks_the_cursor_and_the_theme(demo: Store) -> None:
    # The list keeps drawn rows; a mark, a cursor move or a theme change must redraw them.
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        pl = _list(app)
        await pilot.pause()

        def drawn(index: int) -> Any:
            return pl.render_line(pl.model.days.line_of(index) - int(pl.scroll_y))

        def text(index: int) -> str:
            return "".join(seg.text for seg in drawn(index))

        assert pl.cursor == 0 and "★" not in text(0)
        await pilot.press("f")  # favourite: the star shows at once
        await marks_saved(pilot, app)
        assert "★" in text(0)
        await pilot.press("j")
        assert pl.cursor == 1
        # Row 0 lost the cursor colour that row 1 now has.
        cursor = pl.get_component_rich_style("paper-list--cursor").bgcolor
        assert cursor is not None
        assert all(seg.style is not None and seg.style.bgcolor == cursor for seg in drawn(1))
        assert not any(seg.style is not None and seg.style.bgcolor == cursor for seg in drawn(0))
        before = list(drawn(1))
        app.theme = "nord" if app.theme != "nord" else "textual-dark"
        await pilot.pause()
        assert [s.text for s in drawn(1)] == [s.text for s in before]
        assert [s.style for s in drawn(1)] != [s.style for s in before]  # the new colours


async def test_a_search_still_being_counted_is_neither_the_whole_list_nor_stranded(
    demo: Store,
) -> None:
    # The page of a search is shown before its matches are counted. Meanwhile a live
    # re-query (a sync) must not make the count stale, and an action walking the whole
    # list must load it rather than stop at the page.
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.main_screen.list_pane
        listing = pane.listing
        flt = listing.searching("model")
        assert flt is not None
        everything = list(demo.query_rids(flt, today=TODAY, rank_window=RANK_WINDOW))
        assert len(everything) > PREFIX_ROWS
        generation = listing.begin(flt)
        pane.settled = False
        head = everything[:PREFIX_ROWS]
        pane._search_done(Page(head, PREFIX_ROWS + 1, generation), True)
        assert pane.counting and not pane.settled and not pane.paper_list.complete
        assert f"/{PREFIX_ROWS}+ · " in pane.summary()  # the cursor may be kept further down
        await pilot.pause()
        pane._live_result(load_live(demo.path, flt, TODAY, generation))
        assert listing.is_current(generation)  # the count on its way still counts
        pane._search_done(Page(head, len(everything), generation))
        assert not pane.counting and pane.settled and pane.paper_list.count == len(everything)
        # Again, and this time walk the whole list before the count comes.
        generation = listing.begin(flt)
        pane.settled = False
        pane._search_done(Page(head, PREFIX_ROWS + 1, generation), True)
        pane.load_whole_list()
        assert list(pane.paper_list.rids) == everything
        assert not pane.counting and pane.settled
        assert f"/{len(everything):,} · " in pane.summary()  # counted: no "+"


async def test_a_count_that_fails_is_reported_and_leaves_the_page_usable(
    demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paperreader.core.store import StoreError

    def broken(self: Store, head: Any) -> int:
        raise StoreError("the store is damaged (test)", reason="damaged")

    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.main_screen.list_pane
        monkeypatch.setattr(Store, "count_head", broken)
        pane.search("model")
        await wait_for(pilot, lambda: pane.settled)
        assert not pane.counting and pane.showing == "model"
        assert pane.paper_list.count > 0  # the page it found before counting stays
        # The notification is a message of its own: it lands after the pane has settled.
        await wait_for(
            pilot, lambda: any("damaged (test)" in str(n.message) for n in app._notifications)
        )


async def test_the_scrollbar_follows_each_new_list(demo: Store) -> None:
    # A new list sets the scrollable height without laying the screen out again, so
    # the scrollbar is updated by hand: its thumb, and whether it shows at all.
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        pl, pane = _list(app), app.main_screen.list_pane
        bar = pl.vertical_scrollbar
        total = pl.count

        def sized() -> bool:
            return bar.window_virtual_size == pl.virtual_size.height == pl.days.lines

        assert pl.show_vertical_scrollbar and sized()
        first = pl.current
        assert first is not None
        title = first.title  # a whole title: the paper itself and few if any others
        for search, fits in [(title, True), ("", False), ("model", False), ("", False)]:
            pane.search(search)
            await wait_for(pilot, lambda s=search: pane.settled and pane.showing == s)  # type: ignore[misc]
            await pilot.pause()
            assert (pl.days.lines <= pl.size.height) == fits, search
            assert pl.show_vertical_scrollbar != fits, search
            if not fits:
                assert sized(), search
        assert pl.count == total


async def test_keyword_facets_are_counted_after_the_first_frame_and_each_sync(
    demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Grouping every keyword takes ~60 ms at 100k papers, so it runs in a thread: the
    # filter pane's keyword list still shows the store's facets, and their new counts
    # once a sync has ended.
    check = Store(demo.path)  # this test's own view of the store
    on_ui_thread: list[bool] = []
    group = Search.keyword_facets

    def watched(self: Search, limit: int = 30) -> list[tuple[str, int]]:
        if self.conn is not check.conn:
            on_ui_thread.append(threading.current_thread() is threading.main_thread())
        return group(self, limit)

    monkeypatch.setattr(Search, "keyword_facets", watched)
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        options = app.main_screen.query_one("#keywords", OptionList)

        def listed() -> list[tuple[str, int]]:
            shown = [options.get_option_at_index(i) for i in range(1, options.option_count)]
            return [
                (str(o.id).removeprefix("kw:"), int(str(o.prompt).rsplit("(", 1)[1].rstrip(")")))
                for o in shown
            ]

        await wait_for(pilot, lambda: listed() == check.keyword_facets())
        keyword, count = check.keyword_facets()[0]
        paper = {"id": "2611.99999", "title": "One more", "ai_keywords": [keyword]}
        with check.write():
            check.upsert_papers([Paper.from_api({"paper": paper, "title": "One more"})])
        assert (keyword, count + 1) in check.keyword_facets()
        assert (keyword, count + 1) not in listed()
        app.sync_events.publish(SyncReport(new=1))
        await wait_for(pilot, lambda: listed() == check.keyword_facets())
        # The answer of an earlier count, arriving last, does not replace the newer one.
        screen = app.main_screen
        screen._show_facets([("stale", 1)], screen._facets_asked - 1)
        await pilot.pause()
        assert listed() == check.keyword_facets()
    check.close()
    assert on_ui_thread == [False, False]  # grouped twice by the reader, never on its UI thread


def test_slash_is_typed_in_any_text_field_and_bound_elsewhere() -> None:
    from textual.widgets import Input, Static, TextArea

    from paperreader.ui.screens.main import _takes_text

    assert _takes_text(Input()) and _takes_text(TextArea())
    assert not _takes_text(Static()) and not _takes_text(None)
