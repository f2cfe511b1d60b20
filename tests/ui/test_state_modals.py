"""The note editor and the tag dialog, mounted in a small app and driven by Pilot."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Label, TextArea

from paperreader.core.external_editor import EditorError
from paperreader.ui.screens.note_editor import NoteEditor
from paperreader.ui.screens.tag_dialog import TagDialog, TagEdit, TagSuggester, parse_tag_text

HOSTILE = "[bold]Not bold[/] \x1b]2;PWNED\x07 [@click=app.quit]x[/]"


class Host(App[None]):
    """Pushes one modal and keeps what it was dismissed with."""

    def __init__(self, modal: Screen[Any]) -> None:
        super().__init__()
        self.modal = modal
        self.result: Any = "still open"

    def on_mount(self) -> None:
        self.push_screen(self.modal, self._done)

    def _done(self, value: Any) -> None:
        self.result = value


def _label(app: App[None], selector: str) -> str:
    return str(app.screen.query_one(selector, Label).render())


async def test_note_editor_saves_with_ctrl_s() -> None:
    app = Host(NoteEditor("2611.00001", "A paper", "first line"))
    async with app.run_test() as pilot:
        await pilot.press("enter", *"more", "ctrl+s")
        await pilot.pause()
    assert app.result == "first line\nmore"


async def test_note_editor_escape_cancels() -> None:
    app = Host(NoteEditor("2611.00001", "A paper", "keep me"))
    async with app.run_test() as pilot:
        await pilot.press(*"typed", "escape")
        await pilot.pause()
    assert app.result is None


async def test_note_editor_shows_a_hostile_title_literally() -> None:
    app = Host(NoteEditor("2611.00001", HOSTILE))
    async with app.run_test() as pilot:
        await pilot.pause()
        title = _label(app, "#note-title")
        assert "[bold]Not bold[/]" in title and "\x1b" not in title
        assert "[@click=app.quit]" in title
        await pilot.press("escape")


async def test_ctrl_e_hands_the_text_to_the_external_editor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, str]] = []

    def editor(text: str, label: str) -> str | None:
        seen.append((text, label))
        return text + "\nfrom $EDITOR"

    app = Host(NoteEditor("2611.00001", "A paper", "draft", editor=editor))

    @contextlib.contextmanager
    def suspended() -> Iterator[None]:
        yield

    monkeypatch.setattr(app, "suspend", suspended)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "draft\nfrom $EDITOR"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert seen == [("draft", "2611.00001")]
    assert app.result == "draft\nfrom $EDITOR"


async def test_ctrl_e_without_a_terminal_to_hand_over_says_so() -> None:
    def editor(text: str, label: str) -> str | None:
        raise AssertionError("the editor must not run")

    app = Host(NoteEditor("2611.00001", "A paper", "draft", editor=editor))
    async with app.run_test() as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "draft"
        assert any("can't be opened" in str(n.message) for n in app._notifications)


async def test_a_failing_editor_is_reported_and_keeps_the_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def editor(text: str, label: str) -> str | None:
        raise EditorError("the editor exited with status 3; nothing saved")

    app = Host(NoteEditor("2611.00001", "A paper", "draft", editor=editor))
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "draft"
        assert any("status 3" in str(n.message) for n in app._notifications)


async def test_tag_dialog_completes_and_applies() -> None:
    app = Host(TagDialog("2611.00001", "A paper", current=["old"], known=["rl", "robotics"]))
    async with app.run_test() as pilot:
        await pilot.press("plus", "r", "l")
        await pilot.pause()
        await pilot.press("space", "plus", "r", "o")
        await pilot.pause()
        await pilot.press("tab")
        assert app.screen.query_one(Input).value == "+rl +robotics"
        await pilot.press("space", "minus", "o")
        await pilot.pause()
        await pilot.press("tab", "enter")
        await pilot.pause()
    assert app.result == TagEdit(add=("rl", "robotics"), remove=("old",))


async def test_tag_dialog_stays_open_on_a_bad_tag_and_escape_cancels() -> None:
    app = Host(TagDialog("2611.00001", HOSTILE))
    async with app.run_test() as pilot:
        await pilot.press("plus", "comma", "enter")
        await pilot.pause()
        assert app.result == "still open"
        assert "not a usable tag" in _label(app, "#tag-error")
        assert "[bold]Not bold[/]" in _label(app, "#tag-title")
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


def test_parse_tag_text() -> None:
    assert parse_tag_text("+RL -old  new ") == TagEdit(add=("new", "rl"), remove=("old",))
    assert parse_tag_text("") == TagEdit()
    with pytest.raises(ValueError, match="both adding and removing x"):
        parse_tag_text("+x -X")


async def test_suggester_completes_the_last_word_only() -> None:
    suggest = TagSuggester(["llm", "rl"], current=["old"])
    assert await suggest.get_suggestion("+rl L") == "+rl Llm"
    assert await suggest.get_suggestion("-o") == "-old"
    assert await suggest.get_suggestion("-l") is None  # removal completes the paper's tags
    assert await suggest.get_suggestion("+rl ") is None


async def test_note_editor_keeps_keys_typed_just_before_ctrl_s() -> None:
    # ctrl+s is a priority binding: it used to run before characters still queued at the
    # TextArea (seen in tmux: a note typed fast and saved at once lost its end).
    from textual import events

    app = Host(NoteEditor("2611.00001", "A paper", ""))
    async with app.run_test() as pilot:
        await pilot.pause()
        typed = "Expert parallelism: worth trying on our cluster"
        for ch in typed:
            app.post_message(events.Key("space" if ch == " " else ch, ch))
        app.post_message(events.Key("ctrl+s", None))
        await pilot.pause(0.5)
    assert app.result == typed
