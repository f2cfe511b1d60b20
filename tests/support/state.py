"""Stores with the notes/tags/journal tables, before and after the lead registers the migration."""

from __future__ import annotations

from pathlib import Path

from paperreader.core.store import Store, migrations
from paperreader.core.store.annotation_schema import m004_notes_tags_state


def register_state_migration() -> None:
    """Add the notes/tags/state migration unless ``migrations.py`` already has it."""
    if all(fn is not m004_notes_tags_state for _, fn in migrations.MIGRATIONS):
        migrations.MIGRATIONS.append((m004_notes_tags_state.__name__, m004_notes_tags_state))


def state_store(path: Path) -> Store:
    """A store at ``path`` with every migration, the state one included."""
    register_state_migration()
    return Store(path)
