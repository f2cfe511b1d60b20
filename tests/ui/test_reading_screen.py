"""ReadingScreen and LinkedReposView under Pilot, on a real store and the fake hub."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from paperreader.core.corpus import Corpus
from paperreader.core.fulltext.blocks import Position
from paperreader.core.fulltext.sample_doc import make_paper
from paperreader.core.hf_api import HFClient
from paperreader.core.store import Store
from paperreader.core.store.fulltext import load_fulltext, progress_for, save_fulltext
from paperreader.core.store.linked import load_linked
from paperreader.ui.screens.main import MainScreen
from paperreader.ui.screens.reading import ReadingScreen
from paperreader.ui.widgets.linked_repos import LinkedReposView
from paperreader.ui.widgets.links_dialog import LinksDialog
from paperreader.ui.widgets.reading_view import ReadingView
from tests.conftest import Sleeps, make_client
from tests.support.app import LATEST, make_app, wait_for
from tests.support.fakehub import FakeHub

SIZE = (100, 30)
PAPER = make_paper(6_000, seed=3)


def first_id(corpus: Corpus) -> str:
    return str(corpus.day(LATEST)[0]["paper"]["id"])


def factory(hub: FakeHub, sleeps: Sleeps | None = None) -> Callable[[], HFClient]:
    return lambda: make_client(hub.url, sleeps or Sleeps(), max_attempts=2)


async def reading(pilot, store: Store, pid: str, **kw) -> ReadingScreen:  # type: ignore[no-untyped-def]
    screen = ReadingScreen(
        store, pid, kw.pop("client_factory", None), kw.pop("offline", True), **kw
    )
    pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def test_stored_paper_reopens_where_it_was_left(filled: Store, corpus: Corpus) -> None:
    pid = first_id(corpus)
    save_fulltext(filled, pid, PAPER)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reading(pilot, filled, pid)
        view = screen.view
        assert view is not None and view.has_focus and view.painted
        await pilot.press("space", "space", "space", "j", "j")
        left_at = view.position
        assert left_at > Position(0, 0)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        stored = load_fulltext(filled, pid)
        assert stored is not None and stored.position == left_at
        assert 0 < progress_for(filled, [pid])[pid] < 100
        again = await reading(pilot, filled, pid)
        assert again.view is not None and again.view.position == left_at


async def test_position_is_saved_while_reading(filled: Store, corpus: Corpus) -> None:
    pid = first_id(corpus)
    save_fulltext(filled, pid, PAPER)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reading(pilot, filled, pid)
        await pilot.press("space", "space")
        assert screen.view is not None
        here = screen.view.position
        await wait_for(pilot, lambda: load_fulltext(filled, pid).position == here)  # type: ignore[union-attr]
        assert app.screen is screen  # saved without leaving


async def test_offline_stored_opens_and_unstored_says_so(filled: Store, corpus: Corpus) -> None:
    pid, other = first_id(corpus), str(corpus.day(LATEST)[1]["paper"]["id"])
    save_fulltext(filled, pid, PAPER)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reading(pilot, filled, pid, offline=True)
        assert screen.view is not None and screen.message == ""
        await pilot.press("escape")
        missing = await reading(pilot, filled, other, offline=True)
        assert missing.view is None
        assert "Full text not stored (offline)" in missing.message
        assert f"https://arxiv.org/pdf/{other}" in missing.message
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_first_open_fetches_and_stores(filled: Store, corpus: Corpus, hub: FakeHub) -> None:
    pid = first_id(corpus)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reading(pilot, filled, pid, client_factory=factory(hub), offline=False)
        await wait_for(pilot, lambda: screen.view is not None)
        stored = load_fulltext(filled, pid)
        assert stored is not None and stored.markdown == hub.fulltext_for(pid)
        assert [r.path for r in hub.log] == [f"/papers/{pid}.md"]


async def test_404_says_unavailable_and_offers_the_pdf(
    filled: Store, corpus: Corpus, hub: FakeHub
) -> None:
    pid = first_id(corpus)
    hub.no_fulltext.add(pid)
    opened: list[str] = []
    app = make_app(filled, opened=opened)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reading(pilot, filled, pid, client_factory=factory(hub), offline=False)
        await wait_for(pilot, lambda: not screen.fetching and bool(screen.message))
        assert "Full text not available on Hugging Face for this paper" in screen.message
        assert f"https://arxiv.org/pdf/{pid}" in screen.message
        await pilot.press("p")
        assert opened == [f"https://arxiv.org/pdf/{pid}"]
        assert load_fulltext(filled, pid) is None


async def test_escape_cancels_a_slow_fetch(filled: Store, corpus: Corpus, hub: FakeHub) -> None:
    pid = first_id(corpus)
    hub.fulltext_words = 30_000
    hub.pages_delay = 0.3
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reading(pilot, filled, pid, client_factory=factory(hub), offline=False)
        status = screen.query_one("#reading-status")
        await wait_for(pilot, lambda: "KB" in str(status.render()))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await app.workers.wait_for_complete()
    assert load_fulltext(filled, pid) is None


async def test_links_open_only_web_targets_and_copy(filled: Store, corpus: Corpus) -> None:
    pid = first_id(corpus)
    hostile = (
        "# T\n\nSee [code](https://github.com/lab/x) and [evil](javascript:alert(1)) "
        "and [disk](file:///etc/passwd).\n"
    )
    save_fulltext(filled, pid, hostile)
    opened: list[str] = []
    app = make_app(filled, opened=opened)
    async with app.run_test(size=SIZE) as pilot:
        await reading(pilot, filled, pid)
        await pilot.press("L")
        dialog = app.screen
        assert isinstance(dialog, LinksDialog)
        assert [link.url for link in dialog.links] == [
            "https://github.com/lab/x",
            "javascript:alert(1)",
            "file:///etc/passwd",
        ]
        await pilot.press("j", "enter")  # javascript: refused, dialog stays
        assert opened == [] and app.screen is dialog
        await pilot.press("c")
        assert app.clipboard == "javascript:alert(1)"
        await pilot.press("k", "enter")
        await pilot.pause()
        assert opened == ["https://github.com/lab/x"]
        assert isinstance(app.screen, ReadingScreen)


async def test_find_from_a_body_search_hit(filled: Store, corpus: Corpus) -> None:
    pid = first_id(corpus)
    save_fulltext(filled, pid, PAPER + "\n\nThe wombat protocol ends here.\n")
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reading(pilot, filled, pid, find="wombat protocol")
        await pilot.pause()
        view = screen.query_one(ReadingView)
        assert view.hits == (1, 1)
        assert view.position.block > 10


async def test_linked_repos_offline_then_fetched(
    filled: Store, corpus: Corpus, hub: FakeHub
) -> None:
    ids = [str(it["paper"]["id"]) for it in corpus.day(LATEST)]
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        offline = LinkedReposView(filled, offline=True)
        await app.screen.mount(offline)
        offline.show_paper(ids[0])
        assert "not fetched (offline)" in str(offline.render())
        online = LinkedReposView(filled, client_factory=factory(hub))
        await app.screen.mount(online)
        cited = next(pid for pid in ids if hub.repos(f"/api/arxiv/{pid}/repos")[1]["models"])
        online.show_paper(cited)
        await wait_for(pilot, lambda: online.repos is not None)
        shown = str(online.render())
        repos = load_linked(filled, cited)
        assert repos is not None and f"models {repos.count('model')}" in shown
        assert repos.of("model")[0].name in shown
        assert online.links()[0].url.startswith("https://huggingface.co/")
        assert [r.path for r in hub.log] == [f"/api/arxiv/{cited}/repos"]


async def test_five_megabytes_and_ten_thousand_headings_open_and_store(
    filled: Store, corpus: Corpus, hub: FakeHub
) -> None:
    pid = first_id(corpus)
    words = "lorem ipsum dolor sit amet consectetur " * 13
    hub.fulltext_overrides[pid] = "".join(f"## {i} Heading\n\n{words}\n\n" for i in range(10_000))
    assert len(hub.fulltext_overrides[pid]) > 5_000_000
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reading(pilot, filled, pid, client_factory=factory(hub), offline=False)
        await wait_for(pilot, lambda: screen.view is not None and screen.view.painted)
        await pilot.press("space", "space")
        assert screen.view is not None
        here = screen.view.position
        assert here > Position(0, 0)
        await wait_for(pilot, lambda: load_fulltext(filled, pid) is not None, timeout=60)
        await wait_for(pilot, lambda: load_fulltext(filled, pid).position == here)  # type: ignore[union-attr]
        await pilot.press("t")  # the contents of 10,000 headings
        await pilot.pause()
        assert "ContentsDialog" in type(app.screen).__name__


async def test_w_opens_the_current_paper_and_escape_returns_to_it(
    filled: Store, corpus: Corpus, tmp_path: Path
) -> None:
    app = make_app(filled)  # offline: only a stored text can open
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        main = app.screen
        assert isinstance(main, MainScreen)
        row = main.paper_list.current
        assert row is not None
        save_fulltext(filled, row.id, PAPER)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen) and app.screen.paper_id == row.id
        view = app.screen.query_one(ReadingView)
        assert view.document.blocks, "the stored text was laid out"
        await pilot.press("escape")
        await pilot.pause()
        back = main.paper_list.current  # the same paper, its row reloaded with its progress
        assert app.screen is main and back is not None and back.rid == row.rid
        assert back.progress == 0


async def test_the_demo_reads_a_made_up_paper_in_english(filled: Store, corpus: Corpus) -> None:
    app = make_app(filled, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        row = app.main_screen.paper_list.current
        assert row is not None
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, ReadingScreen))
        screen = app.screen
        assert isinstance(screen, ReadingScreen)
        await wait_for(pilot, lambda: screen.view is not None)
        assert screen.view is not None and screen.message == ""
        sections = [b.text for b in screen.view.document.toc()]
        assert sections[0] == row.title and "4 Experiments" in sections
        record = filled.get(row.id)
        assert record is not None
        stored = load_fulltext(filled, row.id)
        assert stored is not None and record.paper.summary.strip() in stored.markdown


REPEATED = "# A paper\n\n## Method\n\n" + "The kernel is fast. " * 6 + "\n\n## Results\n\nDone.\n"


def status_text(screen: ReadingScreen) -> str:
    return str(screen.query_one("#reading-status").render())


async def test_the_match_counter_follows_n_when_the_match_is_already_on_screen(
    filled: Store, corpus: Corpus
) -> None:
    pid = first_id(corpus)
    save_fulltext(filled, pid, REPEATED)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reading(pilot, filled, pid)
        assert screen.view is not None
        screen.view.find("kernel")
        await pilot.pause()
        assert "match 1/6" in status_text(screen)
        await pilot.press("n")
        await pilot.pause()
        assert "match 2/6" in status_text(screen)  # every match fits: the view did not scroll
        await pilot.press("N", "N")
        await pilot.pause()
        assert "match 6/6" in status_text(screen)


async def test_c_copies_the_pdf_link_when_the_text_is_not_stored(
    filled: Store, corpus: Corpus
) -> None:
    pid = first_id(corpus)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reading(pilot, filled, pid, offline=True)
        assert screen.view is None and "c copies it" in screen.message
        await pilot.press("c")
        assert app.clipboard == f"https://arxiv.org/pdf/{pid}"
        assert not screen.check_action("links", ())  # no text, no links to list


LONG = (
    "# A paper\n\n## Method\n\n"
    + "A paragraph of method.\n\n" * 80
    + "## Results\n\n"
    + ("A paragraph of results.\n\n" * 80)
)


async def test_the_palette_jumps_to_a_section_by_name(filled: Store, corpus: Corpus) -> None:
    pid = first_id(corpus)
    save_fulltext(filled, pid, LONG)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reading(pilot, filled, pid)
        view = screen.view
        assert view is not None
        results = next(b for b in view.document.toc() if b.text == "Results").block
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"go to results")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.screen is screen and view.position.block == results


async def test_help_in_the_reading_view_lists_its_keys_and_introduces_the_view(
    filled: Store, corpus: Corpus
) -> None:
    from paperreader.ui.screens.help import HelpScreen, help_rows

    pid = first_id(corpus)
    save_fulltext(filled, pid, REPEATED)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reading(pilot, filled, pid)
        assert screen.view is not None
        ids = {row[2] for row in help_rows([screen.view, screen, app], {})}
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        intro = app.screen.intro
        assert intro.startswith("The whole paper")  # the reading view's, not the list's
        assert "esc goes back to the list" in intro and "/ finds words" in intro
        assert "(n and N step through" in intro and "t jumps" in intro and "{" not in intro
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)
    assert {"reading_find", "reading_contents", "reading_next_match", "reading_down"} <= ids
    assert {"reading_copy_link", "reading_links"} <= ids


async def test_a_wide_terminal_keeps_lines_readable_and_centred(
    filled: Store, corpus: Corpus
) -> None:
    pid = first_id(corpus)
    save_fulltext(filled, pid, PAPER)
    app = make_app(filled)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await reading(pilot, filled, pid)
        view = screen.view
        assert view is not None
        assert view.text_layout.width == 100
        first = "".join(seg.text for seg in view.render_line(0))
        assert first.startswith(" " * 40) and first.strip()


async def test_at_80_columns_a_long_section_title_leaves_the_keys_on_the_status_line(
    filled: Store, corpus: Corpus
) -> None:
    from textual.widgets import Static

    pid = first_id(corpus)
    long_title = "Scaling Action Tokenization for Robotic Manipulation in the Wild at Last"
    save_fulltext(filled, pid, f"# {long_title}\n\n" + "Words here. " * 50 + "\n")
    app = make_app(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await reading(pilot, filled, pid)
        await pilot.pause()
        line = str(screen.query_one("#reading-status", Static).render())
        # It used to read "0% · Scaling Action Tokenization … · t contents · /" and stop.
        assert line.endswith("t contents · / find · L links · esc back"), line
        assert "Scaling Action" in line and "…" in line  # the title is shortened, not lost
        assert len(line) <= 78
        await pilot.resize_terminal(160, 30)  # wider: the title gets its room back
        await pilot.pause()
        line = str(screen.query_one("#reading-status", Static).render())
        assert long_title[:59] in line and line.endswith("esc back"), line
