"""Hints name the keys the reader's [keymap] binds now, never the built-in ones it moved."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Group

import paperreader.ui.app  # loads every screen, so every binding is declared
from paperreader.core.listing import HINT_KEYS
from paperreader.core.store import Store
from paperreader.core.store import notes_tags as annot
from paperreader.ui.key_names import declared_keys, key_for, keys_for
from paperreader.ui.screens.help import HelpScreen, how_to
from tests.support.app import demo_store, make_app, marks_saved, wait_for

#: Every key a hint below names, moved somewhere else.
MOVED = {
    "undo": "z",
    "toggle_favourite": "y",
    "open_hf": "h",
    "copy_link": "x",
    "edit_tags": "i",
    "remote": "ctrl+o",
    "toggle_filters": "ctrl+f",
    "cycle_sort": "ctrl+t",
    "first": "home",
    "close_help": "escape,x",
}


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Store]:
    with demo_store(tmp_path / "demo.db") as store:
        yield store


def test_the_cores_hint_keys_are_the_readers_own() -> None:
    # listing.py cannot import the UI; its defaults must still be what the UI binds.
    for binding_id, shown in HINT_KEYS.items():
        assert key_for({}, binding_id) == shown, binding_id


def test_keys_come_from_the_keymap_else_from_the_binding() -> None:
    assert declared_keys("undo") == "u,ctrl+z"
    assert keys_for({}, "undo") == ["u", "ctrl+z"]
    assert key_for({"undo": "z"}, "undo") == "z"
    assert key_for({}, "search") == "/" and key_for({}, "help") == "?"
    assert how_to({}) == "j/k, space and g/G scroll · esc, q or ? closes"
    assert how_to({"close_help": "escape,x"}).endswith("· esc or x closes")
    with pytest.raises(KeyError, match="no binding has the id 'no_such_binding'"):
        key_for({}, "no_such_binding")


def _detail(app: paperreader.ui.app.PaperReaderApp) -> str:
    shown = app.main_screen.detail._body.content  # a paper (a Group) or a hint (a Text)
    parts = shown.renderables if isinstance(shown, Group) else [shown]
    return "\n".join(part.plain for part in parts)


async def test_a_moved_key_is_the_one_every_hint_names(demo: Store) -> None:
    app = make_app(demo, keymap=MOVED)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        row = app.main_screen.paper_list.current
        assert row is not None
        await pilot.press("i", *"+mine", "enter")  # tags, on their moved key
        await wait_for(pilot, lambda: annot.annotation(demo, row.id).tags == ("mine",))
        await wait_for(pilot, lambda: "#mine" in _detail(app))
        detail = _detail(app)
        assert "[h] " in detail and "[o] " not in detail  # open the HF page
        assert "[x] copy the HF link" in detail
        assert "i to change" in detail and "t to change" not in detail

        await pilot.press("y")  # the moved favourite key
        await marks_saved(pilot, app)
        assert demo.state(row.id)[1] is True
        note = app.main_screen.status.note
        assert note.endswith("— z to undo") and "u to undo" not in note
        await pilot.press("z")  # and the hint is true: z undoes
        await marks_saved(pilot, app)
        assert demo.state(row.id)[1] is False

        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "undone with z." in app.screen.intro and "12home goes" in app.screen.intro
        assert "esc or x closes" in str(app.screen.query_one("#help-title").render())
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)

        await pilot.press("ctrl+f")  # the filter pane, on its moved key, titles its sections
        await wait_for(pilot, lambda: bool(app.main_screen.query("#filters .pane-title")))
        titles = [str(t.render()) for t in app.main_screen.query("#filters .pane-title")]
        assert "Sort  (ctrl+t cycles)" in titles and "Views  (v cycles)" in titles, titles

        # An empty list says how to widen it with the keys as they are now.
        flt = dataclasses.replace(app.main_screen.listing.filter, min_upvotes=10**6)
        app.main_screen.list_pane.show(flt)
        await wait_for(pilot, lambda: app.main_screen.paper_list.count == 0)
        await wait_for(pilot, lambda: "No papers match" in _detail(app))
        assert "ctrl+f for the filters" in _detail(app)
        await pilot.press("slash", *"zebrafishes", "enter")
        await wait_for(pilot, lambda: "matches “zebrafishes”" in _detail(app))
        assert "ctrl+o searches all of Hugging Face" in _detail(app)


def _fresh_python(code: str) -> subprocess.CompletedProcess[str]:
    # A new interpreter: only what the code imports is loaded, as when the reader starts.
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


def test_a_keymap_may_move_keys_of_views_not_yet_opened() -> None:
    # The reader checks [keymap] as it starts, before the help or a paper was ever opened.
    done = _fresh_python(
        "import paperreader.ui.app\n"
        "from paperreader.cli.run import _usable_keymap\n"
        "from paperreader.core.config import Settings\n"
        "moved = {'close_help': 'escape,x', 'reading_close': 'x', 'undo': 'z'}\n"
        "print(sorted(_usable_keymap(Settings(keymap=moved)).keymap))\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # nothing named as unknown
    assert done.stdout == "['close_help', 'reading_close', 'undo']\n"


def test_a_detail_drawn_before_the_screens_load_names_their_keys() -> None:
    done = _fresh_python(
        "from paperreader.ui.widgets.paper_detail import DECLARED_KEYS\n"
        "print(DECLARED_KEYS['open_hf'], DECLARED_KEYS['copy_link'], DECLARED_KEYS['edit_tags'])\n"
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "o c t\n", "")


async def test_the_reading_views_status_names_its_moved_keys(demo: Store) -> None:
    from textual.widgets import Static

    from paperreader.core.store.fulltext import save_fulltext
    from paperreader.ui.screens.main import MainScreen
    from paperreader.ui.screens.reading import ReadingScreen

    moved = {"reading_contents": "i", "reading_close": "backspace", "reading_find": "ctrl+f"}
    app = make_app(demo, keymap=moved)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        row = app.main_screen.paper_list.current
        assert row is not None
        save_fulltext(demo, row.id, "# A paper\n\nSome text.\n\n## Methods\n\nMore text.\n")
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, ReadingScreen))
        screen = app.screen

        def status() -> str:
            return str(screen.query_one("#reading-status", Static).render())

        await wait_for(pilot, lambda: "contents" in status())
        assert "i contents · ctrl+f find · L links · backspace back" in status()
        await pilot.press("backspace")  # the hint is true: it goes back
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_a_moved_key_that_another_binding_takes_is_named_at_start(demo: Store) -> None:
    told: list[str] = []
    # read_next moved onto j, which the list (nearer the focus) keeps for moving down.
    app = make_app(demo, keymap={"read_next": "j", "undo": "z", "close_help": "escape,x"})
    notify = app.notify
    app.notify = lambda message, **kw: (told.append(message), notify(message, **kw))[1]  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(told))
        assert told == [
            '[keymap] entries that no key reaches here: read_next = "j" (j is cursor_down\'s)'
        ]
    told.clear()
    app = make_app(demo, keymap=MOVED)  # every key moved somewhere free: nothing to say
    notify = app.notify
    app.notify = lambda message, **kw: (told.append(message), notify(message, **kw))[1]  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        assert not [t for t in told if "[keymap]" in t]
