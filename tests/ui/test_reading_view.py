"""ReadingView under Pilot: keys move, find jumps, contents jump, escape closes."""

from __future__ import annotations

import asyncio

from textual import events
from textual.app import App, ComposeResult

from paperreader.core.fulltext.blocks import Position
from paperreader.core.fulltext.sample_doc import make_paper
from paperreader.ui.widgets.reading_dialogs import ContentsDialog, FindDialog
from paperreader.ui.widgets.reading_view import ReadingView

LONG = make_paper(40_000, seed=21)
SIZE = (120, 40)


class ReaderApp(App[None]):
    """Mounts one ReadingView and records the messages it posts."""

    def __init__(self, text: str, position: Position | None = None) -> None:
        super().__init__()
        self.text = text
        self.position = position
        self.closed = 0
        self.moves: list[ReadingView.Moved] = []

    def compose(self) -> ComposeResult:
        yield ReadingView(self.text, position=self.position, id="reader")

    def on_mount(self) -> None:
        self.query_one(ReadingView).focus()

    def on_reading_view_closed(self, _: ReadingView.Closed) -> None:
        self.closed += 1

    def on_reading_view_moved(self, event: ReadingView.Moved) -> None:
        self.moves.append(event)


def screen_text(view: ReadingView) -> list[str]:
    return ["".join(seg.text for seg in view.render_line(y)) for y in range(view.size.height)]


async def settle(app: ReaderApp, view: ReadingView) -> None:
    """Let background layout (and a pending resize) finish."""
    for _ in range(400):
        await asyncio.sleep(0.01)
        if view.text_layout.complete and view._pending is None:
            break
    await app.workers.wait_for_complete()


async def test_opens_on_the_first_page_and_paints_only_what_is_visible() -> None:
    app = ReaderApp(LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ReadingView)
        assert view.painted
        assert screen_text(view)[0].strip() == view.document.blocks[0].text
        assert view.position == Position(0, 0)
        assert view.progress < 1.0


async def test_keys_move_by_line_page_and_to_the_ends() -> None:
    app = ReaderApp(LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ReadingView)
        await pilot.press("j", "j", "down")
        assert view.scroll_y == 3
        await pilot.press("k")
        assert view.scroll_y == 2
        await pilot.press("space")
        assert view.scroll_y == 2 + SIZE[1] - 1
        await pilot.press("pageup")
        assert view.scroll_y == 2
        await pilot.press("G")
        assert view.text_layout.complete
        assert view.scroll_y == view.max_scroll_y > 1000
        assert view.progress == 100.0
        assert any("arxiv.org/abs" in line for line in screen_text(view))
        await pilot.press("g")
        assert view.scroll_y == 0
        assert app.moves and app.moves[-1].position == Position(0, 0)


async def test_find_jumps_to_the_match_and_n_goes_to_the_next() -> None:
    app = ReaderApp(LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ReadingView)
        await pilot.press("slash")
        assert isinstance(app.screen, FindDialog)
        await pilot.press(*"references", "enter")
        await pilot.pause()
        assert view.hits == (1, 1)
        assert view.scroll_y > 1000
        assert any("References" in line for line in screen_text(view))
        count = view.find("arxiv preprint")
        assert count > 10
        first = view.hits
        await pilot.press("n")
        assert view.hits == (first[0] % count + 1, count)
        await pilot.press("N", "N")
        assert view.hits == ((first[0] - 2) % count + 1, count)


async def test_escape_clears_a_search_then_posts_closed() -> None:
    app = ReaderApp(LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ReadingView)
        assert view.find("model") > 0
        await pilot.press("escape")
        await pilot.pause()
        assert view.hits == (0, 0) and app.closed == 0
        await pilot.press("escape")
        await pilot.pause()
        assert app.closed == 1


async def test_contents_jumps_to_the_chosen_heading() -> None:
    app = ReaderApp(LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ReadingView)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ContentsDialog)
        await pilot.press("j", "j", "j", "enter")
        await pilot.pause()
        toc = view.document.toc()
        assert view.position == Position(toc[3].block, 0)
        assert screen_text(view)[0].strip() == toc[3].text


async def test_opens_at_a_stored_position() -> None:
    probe = ReaderApp(LONG)
    async with probe.run_test(size=SIZE) as pilot:
        await pilot.pause()
        target = probe.query_one(ReadingView).document.toc()[20].block
    app = ReaderApp(LONG, position=Position(target, 0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ReadingView)
        assert view.position == Position(target, 0)
        assert 0 < view.progress < 100


async def test_resize_keeps_the_reading_position() -> None:
    app = ReaderApp(LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ReadingView)
        for _ in range(10):
            await pilot.press("space")
        before = view.position
        await pilot.resize_terminal(70, 30)
        await settle(app, view)
        assert view.text_layout.width == 68
        after = view.position
        assert after.block == before.block and after.offset <= before.offset
        assert all(len(line) <= 70 for line in screen_text(view))


async def test_hostile_text_is_shown_literally() -> None:
    text = "# [bold]Title[/bold]\n\nEvil \x1b[2J\x1b]52;c;Zm9v\x07 [red]markup[/red] here.\n"
    app = ReaderApp(text)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = screen_text(app.query_one(ReadingView))
        assert lines[0].strip() == "[bold]Title[/bold]"
        assert "[red]markup[/red]" in lines[2]
        assert not any("\x1b" in line or "\x07" in line for line in lines)


async def test_theme_change_restyles_without_laying_out_again() -> None:
    app = ReaderApp(LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ReadingView)
        layout = view.text_layout
        before = layout.line(0)[0].style
        app.theme = "nord"
        await pilot.pause()
        view.render_line(0)
        assert view.text_layout is layout
        after = layout.line(0)[0].style
        assert before is not None and after is not None
        assert after.color != before.color
        assert after.color is not None and after.color.triplet is not None
        assert after.color.triplet.hex == str(app.current_theme.accent).lower()


async def test_mouse_wheel_scrolls_without_a_scrollbar() -> None:
    app = ReaderApp(LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ReadingView)
        await pilot.hover(ReadingView)
        view.post_message(events.MouseScrollDown(view, 5, 5, 0, 0, 0, False, False, False))
        await pilot.pause()
        assert view.scroll_y > 0
