"""The tag dialog: ``+tag -tag`` in one line, completing from the tags already in use.

How the main screen binds it (``t``: tags of the highlighted paper)::

    Binding("t", "edit_tags", "Tags", id="edit_tags"),

    def action_edit_tags(self) -> None:
        paper = ...  # the highlighted paper (id, title)
        current = notes_tags.annotation(store, paper.id).tags
        known = notes_tags.all_tags(store)  # most used first

        def done(edit: TagEdit | None) -> None:
            if edit is not None and (edit.add or edit.remove):
                result = service.change_tags(
                    store, [paper.id], edit.add, edit.remove, settings.state_dir
                )
                # refresh the detail pane, the list row and the tag facets; show result.problem

        self.app.push_screen(TagDialog(paper.id, paper.title, current, known), done)

Words without a sign are added too (``rl llm`` = ``+rl +llm``). Tab or → accepts the
completion shown after the cursor; ``-`` completes from the paper's own tags.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label

from paperreader.core import text
from paperreader.core.store.notes_tags import normalize_tag


@dataclass(frozen=True, slots=True)
class TagEdit:
    """Tags to add and to remove (normalised, sorted)."""

    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


def parse_tag_text(line: str) -> TagEdit:
    """``+a -b c`` → add a and c, remove b; ValueError naming the first unusable word."""
    add: set[str] = set()
    remove: set[str] = set()
    for word in line.split():
        sign = word[0] if word[0] in "+-" else "+"
        tag = normalize_tag(word[1:] if word[0] in "+-" else word)
        if tag is None:
            raise ValueError(f"{text.one_line(word, max_len=40)!r} is not a usable tag")
        (add if sign == "+" else remove).add(tag)
    both = add & remove
    if both:
        raise ValueError(f"both adding and removing {', '.join(sorted(both))}")
    return TagEdit(tuple(sorted(add)), tuple(sorted(remove)))


class TagSuggester(Suggester):
    """Completes the word being typed: ``+``/bare from every tag, ``-`` from the paper's.

    Textual's ``SuggestFromList`` completes the whole value; this completes its last word,
    so several ``+tag -tag`` fit on one line.
    """

    def __init__(self, known: Sequence[str], current: Sequence[str] = ()) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._known = list(known)
        self._current = list(current)

    async def get_suggestion(self, value: str) -> str | None:
        """The value with its last word completed, or None."""
        last = value.rsplit(" ", 1)[-1]
        sign = last[:1] if last[:1] in ("+", "-") else ""
        stem = last[len(sign) :].lower()
        if not stem:
            return None
        pool = self._current if sign == "-" else self._known
        for tag in pool:
            if tag.startswith(stem) and tag != stem:
                return value + tag[len(stem) :]
        return None


class TagDialog(ModalScreen[TagEdit | None]):
    """Asks for ``+tag -tag``; dismisses with a TagEdit, or None when cancelled."""

    DEFAULT_CSS = """
    TagDialog { align: center middle; background: $background 40%; }
    TagDialog > Vertical {
        width: 70%; min-width: 40; max-width: 100; height: auto; padding: 0 1;
        border: round $accent; background: $surface;
    }
    TagDialog #tag-error { color: $error; height: auto; }
    TagDialog .muted { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("tab", "complete", "Complete", priority=True, show=False),
    ]

    def __init__(
        self,
        paper_id: str,
        title: str,
        current: Sequence[str] = (),
        known: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.paper_id = paper_id
        self._title = title
        self._current = list(current)
        self._known = list(known)

    def compose(self) -> ComposeResult:
        heading = f"Tags of {text.one_line(self._title, max_len=80)} ({self.paper_id})"
        now = ", ".join(self._current) if self._current else "(none yet)"
        with Vertical():
            yield Label(Content(heading), id="tag-title")
            yield Label(Content(f"now: {now}"), id="tag-current", classes="muted")
            yield Input(
                placeholder="+tag -tag  (tab completes, enter applies, escape cancels)",
                suggester=TagSuggester(self._known, self._current),
                id="tag-input",
            )
            yield Label("", id="tag-error")

    def on_mount(self) -> None:
        """Type straight away."""
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: apply, or say what is wrong and stay open."""
        event.stop()
        try:
            edit = parse_tag_text(event.value)
        except ValueError as exc:
            self.query_one("#tag-error", Label).update(Content(str(exc)))
            return
        self.dismiss(edit)

    def action_complete(self) -> None:
        """Tab: accept the completion (→ at the end of the line does the same)."""
        field = self.query_one(Input)
        field.cursor_position = len(field.value)
        field.action_cursor_right()

    def action_cancel(self) -> None:
        """Escape: close without changing tags."""
        self.dismiss(None)
