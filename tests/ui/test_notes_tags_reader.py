"""Notes and tags in the running reader: e / E / t, the detail pane, the list row, the tag
facets, and other machines' changes arriving through a shared state folder."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paperreader.core.statesync import service
from paperreader.core.store import Store
from paperreader.core.store import notes_tags as annot
from paperreader.ui import state_follow
from paperreader.ui.app import PaperReaderApp
from tests.support.app import demo_store, make_app, marks_saved, wait_for

HOSTILE_NOTE = "line one [bold]not bold[/]\n[@click=app.quit]quit[/] \x1b]2;PWNED\x07 end"


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "shared-state"
    folder.mkdir()
    return folder


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with demo_store(tmp_path / "a.db") as s:
        yield s


async def _settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)


def _detail_text(app: PaperReaderApp) -> str:
    return "\n".join(part.plain for part in app.main_screen.detail._body.content.renderables)


async def test_e_writes_a_note_stamped_and_journaled_and_the_detail_shows_it_literally(
    store: Store, shared: Path
) -> None:
    app = make_app(store, state_dir=shared)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        row = app.main_screen.paper_list.current
        assert row is not None
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#note-text").load_text(HOSTILE_NOTE)  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await _settle(pilot)
        stored = annot.annotation(store, row.id).note
        assert stored is not None and "[bold]not bold[/]" in stored and "\x1b" not in stored
        shown = _detail_text(app)
        assert "[bold]not bold[/]" in shown and "[@click=app.quit]quit[/]" in shown
        assert "PWNED" in shown and "\x1b" not in shown
        assert app.main_screen.paper_list.current.noted  # type: ignore[union-attr]
        assert "note saved" in app.main_screen.status.note
    journals = list(shared.glob("*.jsonl"))
    assert len(journals) == 1 and row.id in journals[0].read_text()


async def test_E_hands_the_note_to_the_external_editor(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    seen: list[str] = []

    def editor(initial: str, label: str) -> str | None:
        seen.append(label)
        return initial + "written in vi"

    @contextlib.contextmanager
    def suspended() -> Iterator[None]:
        yield

    monkeypatch.setattr(app, "suspend", suspended)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        app.main_screen.annotator.editor = editor
        row = app.main_screen.paper_list.current
        assert row is not None
        await pilot.press("E")
        await _settle(pilot)
        assert seen == [row.id]
        assert annot.annotation(store, row.id).note == "written in vi"
        assert "written in vi" in _detail_text(app)


async def test_t_tags_with_completion_and_the_row_and_detail_show_them(store: Store) -> None:
    oldest = store.query_rids(_all(), today=_today())[-1]  # newest first: not the row at the top
    other = store.paper_ids([oldest])[0]
    service.change_tags(store, [other], ["reinforcement-learning"])
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        row = app.main_screen.paper_list.current
        assert row is not None
        await pilot.press("t", *"+rein", "tab", "space", *"mine", "enter")
        await _settle(pilot)
        assert annot.annotation(store, row.id).tags == ("mine", "reinforcement-learning")
        current = app.main_screen.paper_list.current
        assert current is not None and current.tags == ("mine", "reinforcement-learning")
        assert "#mine  #reinforcement-learning" in _detail_text(app)
        assert "tags +mine +reinforcement-learning" in app.main_screen.status.note
        # Removing from the keyboard too: "-" completes from the paper's own tags.
        await pilot.press("t", *"-mi", "tab", "enter")
        await _settle(pilot)
        assert annot.annotation(store, row.id).tags == ("reinforcement-learning",)


async def test_a_tag_facet_chosen_from_the_keyboard_filters_the_list(store: Store) -> None:
    ids = store.paper_ids(list(store.query_rids(_all(), today=_today())))
    tagged = sorted(ids[3:6])
    service.change_tags(store, tagged, ["to-read"])
    service.change_tags(store, [ids[7]], ["other"])
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("F")  # show the filter pane, first control focused
        await _settle(pilot)
        facets = app.screen.query_one("#tag-facets")
        for _ in range(10):
            if facets.has_focus:
                break
            await pilot.press("tab")
        assert facets.has_focus
        labels = [str(o.prompt) for o in facets._options]  # type: ignore[attr-defined]
        assert labels == ["any tag", "#to-read (3)", "#other (1)"]
        await pilot.press("down", "enter")
        await _settle(pilot)
        pl = app.main_screen.paper_list
        assert pl.count == 3
        listed = sorted(store.paper_ids(list(pl.rids)))
        assert listed == tagged
        assert "tag to-read" in app.main_screen.status.listing
        await pilot.press("up", "enter")  # any tag: everything again
        await _settle(pilot)
        assert pl.count == len(ids)


async def test_another_stores_change_in_the_shared_folder_shows_up_after_the_poll(
    tmp_path: Path, store: Store, shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state_follow, "POLL_SECONDS", 0.2)
    app = make_app(store, state_dir=shared)
    async with app.run_test(size=(120, 40)) as pilot:
        follower = app.main_screen.state
        await wait_for(pilot, lambda: follower.merges >= 1)
        row = app.main_screen.paper_list.current
        assert row is not None
        # Another machine (its own store, same folder) notes and tags the paper on screen.
        with demo_store(tmp_path / "b.db") as other:
            service.set_note(other, row.id, "seen on the laptop", shared)
            service.change_tags(other, [row.id], ["laptop"], (), shared)
        await wait_for(pilot, lambda: annot.annotation(store, row.id).tags == ("laptop",))
        await wait_for(pilot, lambda: "seen on the laptop" in _detail_text(app))
        assert annot.annotation(store, row.id).note == "seen on the laptop"
        assert "merged 2 change(s) from 1 machine(s)" in app.main_screen.status.note
        assert "#laptop" in _detail_text(app)
        current = app.main_screen.paper_list.current
        assert current is not None and current.noted and current.tags == ("laptop",)


async def test_a_missing_state_folder_is_one_calm_status_line(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state_follow, "POLL_SECONDS", 0.1)
    app = make_app(store, state_dir=tmp_path / "not-mounted")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "does not exist" in app.main_screen.status.note)
        await pilot.press("j")  # still reading
        await pilot.pause(0.5)  # several polls: no error, no repeated merge attempts
        assert app.main_screen.state.merges == 0
        assert app.is_running


def _all() -> Any:
    from paperreader.core.models import PaperFilter

    return PaperFilter()


def _today() -> Any:
    from tests.support.app import TODAY

    return TODAY


async def test_the_help_screen_lists_the_note_and_tag_keys(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        rows = {binding_id: keys for keys, _, binding_id in app.screen.rows}  # type: ignore[attr-defined]
        assert rows["edit_note"] == "e" and rows["edit_note_external"] == "E"
        assert rows["edit_tags"] == "t"


async def test_marks_made_in_the_reader_reach_the_other_store_both_ways(
    tmp_path: Path, store: Store, shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state_follow, "POLL_SECONDS", 0.2)
    app = make_app(store, state_dir=shared)
    with demo_store(tmp_path / "b.db") as other:
        async with app.run_test(size=(120, 40)) as pilot:
            follower = app.main_screen.state
            await wait_for(pilot, lambda: follower.merges >= 1)
            row = app.main_screen.paper_list.current
            assert row is not None and not row.read
            service.set_read(other, [row.id], True, shared)  # read on the laptop
            await wait_for(pilot, lambda: bool(app.main_screen.paper_list.current.read))  # type: ignore[union-attr]
            await pilot.press("U", "f")  # here: unread again, and a star
            await marks_saved(pilot, app)  # written off the UI thread first
            await wait_for(pilot, lambda: _pending(store) == 0)  # the poll sent them out
        service.merge_all(other, shared)
        assert other.get(row.id).read is False  # type: ignore[union-attr]
        assert other.get(row.id).favourite is True  # type: ignore[union-attr]


def _pending(store: Store) -> int:
    from paperreader.core.store import state_stamps

    return state_stamps.counts(store)[1]


def test_marks_still_queued_are_sent_out_as_the_reader_closes(
    tmp_path: Path, store: Store, shared: Path
) -> None:
    pid = store.paper_ids([store.query_rids(_all(), today=_today())[0]])[0]
    service.set_favourite(store, [pid], True)  # stamped, not yet journaled
    state_follow.flush_on_exit(store, tmp_path / "unmounted")  # no folder: kept, no error
    assert _pending(store) == 1
    state_follow.flush_on_exit(store, shared)
    assert _pending(store) == 0 and pid in next(shared.glob("*.jsonl")).read_text()
