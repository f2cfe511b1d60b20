"""The note editor: a modal TextArea for a paper's Markdown note, or the user's $EDITOR.

How the main screen binds it (``e``: note; ``E``: straight to $EDITOR)::

    Binding("e", "edit_note", "Note", id="edit_note"),
    Binding("E", "edit_note_external", "Note in $EDITOR", show=False, id="edit_note_external"),

    def action_edit_note(self) -> None:
        paper = ...  # the highlighted paper (id, title)
        note = notes_tags.annotation(store, paper.id).note or ""

        def saved(text: str | None) -> None:
            if text is not None:  # None: cancelled
                done = service.set_note(store, paper.id, text, settings.state_dir)
                # refresh the detail pane and the list's note marker; show done.problem if any

        self.app.push_screen(NoteEditor(paper.id, paper.title, note), saved)

    def action_edit_note_external(self) -> None:
        text = edit_externally(self.app, note, paper.id)  # None: unchanged or failed
        if text is not None:
            service.set_note(...)

``NoteEditor`` dismisses with the text (an empty text removes the note) or None.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App, ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from paperreader.core import text
from paperreader.core.external_editor import EditorError, edit_text

Editor = Callable[[str, str], str | None]
"""(text, label) → edited text or None (unchanged); may raise EditorError."""


def edit_externally(
    app: App[object], initial: str, label: str = "note", editor: Editor = edit_text
) -> str | None:
    """Suspend ``app``, run the user's editor on ``initial``, resume; the new text or None.

    When the terminal can't be handed over (a headless or web driver) or the editor
    fails, the app is told with a notification and None is returned.
    """
    try:
        with app.suspend():
            return editor(initial, label)
    except SuspendNotSupported:
        app.notify("An external editor can't be opened here.", severity="warning")
    except EditorError as exc:
        app.notify(text.one_line(str(exc), max_len=200), severity="error")
    return None


class NoteEditor(ModalScreen[str | None]):
    """Edits one paper's note: ctrl+s saves, escape cancels, ctrl+e hands it to $EDITOR."""

    DEFAULT_CSS = """
    NoteEditor { align: center middle; background: $background 40%; }
    NoteEditor > Vertical {
        width: 90%; max-width: 110; height: 80%; padding: 0 1;
        border: round $accent; background: $surface;
    }
    NoteEditor #note-title { text-style: bold; height: 1; }
    NoteEditor #note-help { color: $text-muted; height: 1; }
    NoteEditor TextArea { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("ctrl+e", "external", "Open in $EDITOR", priority=True),
    ]

    def __init__(
        self, paper_id: str, title: str, note: str = "", *, editor: Editor = edit_text
    ) -> None:
        super().__init__()
        self.paper_id = paper_id
        self._title = title
        self._note = note
        self._editor = editor

    def compose(self) -> ComposeResult:
        heading = f"Note on {text.one_line(self._title, max_len=90)} ({self.paper_id})"
        with Vertical():
            # Content(...) is plain text: a title from the network is never read as markup.
            yield Label(Content(heading), id="note-title")
            yield TextArea(self._note, soft_wrap=True, tab_behavior="indent", id="note-text")
            yield Label(
                Content("ctrl+s save · escape cancel · ctrl+e open in $EDITOR · Markdown"),
                id="note-help",
            )

    def on_mount(self) -> None:
        """Start typing at the end of the note."""
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        """What the editor holds now."""
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        """ctrl+s: hand back the text (empty removes the note)."""
        # ctrl+s is a priority binding: it runs as soon as the key arrives, while keys
        # typed just before it may still wait in the TextArea's queue (a fast typist, a
        # paste, a busy UI thread). Queue the save behind them, so none is lost.
        self.query_one(TextArea).call_later(self._save_now)

    def _save_now(self) -> None:
        if self.is_attached and self.app.screen is self:
            self.dismiss(self.text)

    def action_cancel(self) -> None:
        """Escape: close without saving."""
        self.dismiss(None)

    def action_external(self) -> None:
        """ctrl+e: continue in $EDITOR; its result comes back here to save or cancel."""
        edited = edit_externally(self.app, self.text, self.paper_id, self._editor)
        if edited is not None:
            area = self.query_one(TextArea)
            area.load_text(edited)
            area.move_cursor(area.document.end)
