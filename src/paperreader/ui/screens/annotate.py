"""Notes and tags from the main screen: ``e`` note editor, ``E`` $EDITOR, ``t`` tags.

The dialogs run on the UI thread; what they hand back is written by a thread worker on
its own store connection through :mod:`paperreader.core.statesync.service`, so the write
is stamped (and journaled when ``state_dir`` is set) and waiting for a sync's write lock
or an fsync of the journal never freezes the reader. When the write is done the list
row, the detail pane and the tag facets are refreshed and the status line says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.binding import Binding

from paperreader.core import text
from paperreader.core.external_editor import edit_text
from paperreader.core.store import Store, StoreError
from paperreader.core.store import notes_tags as annot
from paperreader.ui.errors import reports_store_errors
from paperreader.ui.widgets.tag_facets import refresh_tag_facets

# The dialogs (TextArea and its document model) and the statesync service are imported
# when a note or tag is first edited, not at start-up.
if TYPE_CHECKING:
    from textual.app import App

    from paperreader.core.models import PaperRow
    from paperreader.core.statesync import service
    from paperreader.ui.screens.main import MainScreen
    from paperreader.ui.screens.note_editor import Editor
    from paperreader.ui.screens.tag_dialog import TagEdit

#: The main screen's keys for notes and tags (``annotate`` action; see :class:`Annotator`).
#: Not in the footer: at 80 columns it would push out q and ? (help lists them, and the
#: detail pane names e and t next to a paper's note and tags).
BINDINGS = [
    Binding(
        "e",
        "annotate('note')",
        "Note",
        show=False,
        tooltip="Write a note on this paper (ctrl+s saves)",
        id="edit_note",
    ),
    Binding(
        "E",
        "annotate('note_external')",
        "Note in $EDITOR",
        show=False,
        tooltip="Write the note in $EDITOR ($VISUAL, then $EDITOR, then vi)",
        id="edit_note_external",
    ),
    Binding(
        "t",
        "annotate('tags')",
        "Tags",
        show=False,
        tooltip="Add or remove tags (+tag -tag, tab completes)",
        id="edit_tags",
    ),
]

Write = Callable[[Store], "service.Recorded"]
"""One write through the service, given a store connection of the worker's own."""


class Annotator:
    """Opens the note editor, $EDITOR or the tag dialog for the highlighted paper."""

    WHAT = frozenset({"note", "note_external", "tags"})

    def __init__(self, screen: MainScreen, *, editor: Editor = edit_text) -> None:
        self.screen = screen
        self.editor = editor
        """Runs the external editor (tests inject one)."""

    def run(self, what: str) -> None:
        """Open the dialog ``what`` (note, note_external, tags) for the highlighted paper."""
        row = self.screen.paper_list.current
        if row is None or what not in self.WHAT:
            return
        if what == "tags":
            self._tags(row)
        else:
            self._note(row, external=what == "note_external")

    @reports_store_errors
    def _note(self, row: PaperRow, *, external: bool) -> None:
        from paperreader.ui.screens.note_editor import NoteEditor, edit_externally

        note = annot.annotation(self.screen.store, row.id).note or ""
        if external:
            # A final newline, as editors write files: what is typed goes on a line of its own.
            start = f"{note}\n" if note else ""
            edited = edit_externally(self.screen.app, start, row.id, self.editor)
            if edited is not None:
                self._save_note(row, edited)
            return

        def saved(edited: str | None) -> None:
            if edited is not None and edited.rstrip() != note.rstrip():
                self._save_note(row, edited)

        editor = NoteEditor(row.id, row.title, note, editor=self.editor)
        self.screen.app.push_screen(editor, saved)

    def _save_note(self, row: PaperRow, note: str) -> None:
        from paperreader.core.statesync import service

        state_dir = self.screen.settings.state_dir

        def write(store: Store) -> service.Recorded:
            return service.set_note(store, row.id, note, state_dir)

        self._write(row, write, "note saved" if note.strip() else "note removed")

    @reports_store_errors
    def _tags(self, row: PaperRow) -> None:
        from paperreader.core.statesync import service
        from paperreader.ui.screens.tag_dialog import TagDialog

        store = self.screen.store
        current = annot.annotation(store, row.id).tags
        known = annot.all_tags(store)

        def done(edit: TagEdit | None) -> None:
            if edit is None or not (edit.add or edit.remove):
                return
            state_dir = self.screen.settings.state_dir

            def write(store: Store) -> service.Recorded:
                return service.change_tags(store, [row.id], edit.add, edit.remove, state_dir)

            said = [f"+{tag}" for tag in edit.add] + [f"-{tag}" for tag in edit.remove]
            self._write(row, write, "tags " + " ".join(said))

        self.screen.app.push_screen(TagDialog(row.id, row.title, current, known), done)

    # -- writing off the UI thread ---------------------------------------------------------

    def _write(self, row: PaperRow, write: Write, what: str) -> None:
        path = self.screen.store.path
        app = self.screen.app

        def work() -> None:
            try:
                with Store(path, migrate=False) as store:
                    recorded = write(store)
            except (StoreError, ValueError) as exc:
                app.call_from_thread(self._failed, str(exc))
                return
            app.call_from_thread(self._written, row, recorded, what)

        self.screen.run_worker(
            work, thread=True, group="annotate", exit_on_error=False, description="annotate"
        )

    def _failed(self, reason: str) -> None:
        self.screen.notify(text.one_line(reason, max_len=200), severity="error")

    def _written(self, row: PaperRow, recorded: service.Recorded, what: str) -> None:
        screen = self.screen
        if not screen.is_attached:
            return
        self.refresh([row.rid])
        note = what if recorded.changes else "nothing changed"
        if recorded.problem:
            note += f" — {recorded.problem}"
        screen.status.set_note(note)

    # -- showing what changed --------------------------------------------------------------

    @reports_store_errors
    def refresh(self, rids: Sequence[int] | None = None) -> None:
        """Show the store's notes, tags and marks again: rows ``rids`` (None: everything,
        re-listed, since merged read marks can move papers in or out of a view)."""
        screen = self.screen
        if rids is None:
            screen.listing.unread_total = screen.store.unread_count()
            screen.list_pane.show()
        screen.paper_list.refresh_rows(rids)
        row = screen.paper_list.current
        if row is not None and (rids is None or row.rid in rids):
            screen.detail.show(screen.store.get(row.id, with_signals=True))
        refresh_tag_facets(screen, screen.store)

    # -- what the state follower needs (``state_follow.Host``) ------------------------------

    @property
    def app(self) -> App[object]:
        """The running app."""
        return self.screen.app

    def set_state_note(self, note: str) -> None:
        """Say ``note`` on the status line."""
        self.screen.status.set_note(note)

    def state_merged(self) -> None:
        """Other machines' changes came in: show them."""
        if self.screen.is_attached:
            self.refresh(None)
