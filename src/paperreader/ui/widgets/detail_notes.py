"""The reader's own tags and note in the detail pane, as Rich ``Text`` (never markup).

A note is Markdown source the reader typed (or another machine's journal brought): it is
shown as literal text, line for line, so ``[bold]`` or an escape sequence in it is just
characters. :func:`paperreader.core.render.paper_text` has already cleaned both.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from paperreader.core.render import PaperText


def tag_line(doc: PaperText, keys: Mapping[str, str]) -> list[Text]:
    """``tags  #rl #llm`` under the header, or nothing when the paper has no tags."""
    tags = doc.get("tags")
    if tags is None:
        return []
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append("tags  ", style="dim")
    line.append("  ".join(f"#{tag}" for tag in tags.items), style="bold cyan")
    line.append(f"   {keys['edit_tags']} to change", style="dim")
    return [line]


def note_block(doc: PaperText, keys: Mapping[str, str]) -> list[Text]:
    """A blank line, a heading and the note as typed; nothing when there is no note."""
    note = doc.get("note")
    if note is None:
        return []
    heading = Text("Your note", style="bold underline")
    edit, external = keys["edit_note"], keys["edit_note_external"]
    heading.append(f"   {edit} to edit · {external} in $EDITOR", style="dim")
    return [Text(" "), heading, Text(note.value)]
