"""The user's notes and tags on papers: cleaning, reading, facets, note search, and writes.

Functions take a :class:`~paperreader.core.store.Store`; writers expect the caller to hold
``store.write()``. Every SQLite failure comes out as a ``StoreError``. A paper's note is
Markdown in ``user_state.note``; its tags are rows of ``paper_tags`` (the index behind
facets and the tag filter) and the same list, as JSON, in ``user_state.tags`` (one-row
reads). ``notes_fts`` indexes notes for search; triggers keep it in step with
``user_state.note`` whoever writes it. Notes and tags may belong to a paper that is not in
the store yet (an import or another machine got there first): they show up once the paper
is fetched.

User-facing writes go through :mod:`paperreader.core.statesync.service`, which stamps each
change for the state journal; :func:`write_values` is its store-side half.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from paperreader.core import text
from paperreader.core.store.errors import guarded
from paperreader.core.store.sql import rows_in

if TYPE_CHECKING:
    from paperreader.core.store import Store

P = ParamSpec("P")
R = TypeVar("R")


MAX_TAG = 40
"""Longest tag, in characters."""
MAX_NOTE = 100_000
"""Longest note, in characters (a journal line holds up to 200,000)."""

_TAG_DROP = re.compile(r"[,;\"'`\\{}\[\]<>]")
_TAG_SPACE = re.compile(r"[\s_]+")
_TAG_EDGE = "+-#."

TAG_CONDITION = (
    "{R} IN (SELECT p2.rid FROM paper_tags t JOIN papers p2 ON p2.id = t.paper_id WHERE t.tag = ?)"
)
"""A ``query.Conditions`` term (parameter: a normalised tag) for ``list --tag`` and the UI."""
NOTE_CONDITION = (
    "{R} IN (SELECT p2.rid FROM notes_fts n JOIN papers p2 ON p2.id = n.paper_id "
    "WHERE notes_fts MATCH ?)"
)
"""A ``query.Conditions`` term matching papers whose note matches (``query.fts_query`` text)."""


class NoteTooLong(ValueError):
    """A note longer than :data:`MAX_NOTE` characters."""


def normalize_tag(raw: str) -> str | None:
    """A tag as stored: lower case, trimmed, printable, ≤ 40 characters; None if nothing is left.

    Runs of spaces become one ``-`` and separators that BibTeX ``keywords`` or a CSV cell
    would split on (``,`` ``;``) or that need quoting are dropped, so a tag is one word
    everywhere it goes. Leading ``+ - # .`` are dropped (``+tag``/``-tag`` is CLI syntax),
    and trailing ``-`` too.
    """
    cleaned = text.one_line(unicodedata.normalize("NFKC", raw), max_len=4 * MAX_TAG)
    cleaned = "".join(ch for ch in cleaned if unicodedata.category(ch)[0] != "C").lower()
    cleaned = _TAG_SPACE.sub("-", _TAG_DROP.sub("", cleaned)).lstrip(_TAG_EDGE)
    cleaned = cleaned[:MAX_TAG].rstrip("-.")
    return cleaned or None


def normalize_tags(raw: Iterable[str]) -> list[str]:
    """Normalised, de-duplicated and sorted tags (invalid ones dropped)."""
    return sorted({tag for item in raw if (tag := normalize_tag(item))})


def clean_note(raw: str | None) -> str | None:
    """A note as stored: control characters removed, ``\\r\\n`` → ``\\n``, tabs expanded,
    trailing space trimmed; None (no note) when nothing is left. Raises NoteTooLong."""
    if raw is None:
        return None
    if len(raw) > MAX_NOTE:
        raise NoteTooLong(f"the note is {len(raw):,} characters; the limit is {MAX_NOTE:,}")
    body = text.clean(raw.replace("\r\n", "\n").expandtabs(4), max_len=MAX_NOTE + 1)
    lines = [line.rstrip() for line in body.split("\n")]
    note = "\n".join(lines).strip("\n")
    return note or None


@dataclass(frozen=True, slots=True)
class Annotation:
    """A paper's note (None: none) and tags (sorted)."""

    note: str | None = None
    tags: tuple[str, ...] = ()


def tags_from_json(raw: str | None) -> tuple[str, ...]:
    """The tags in ``user_state.tags`` (a JSON list); () for none or anything unreadable."""
    try:
        data = json.loads(raw) if raw else []
    except ValueError:
        return ()
    return tuple(t for t in data if isinstance(t, str)) if isinstance(data, list) else ()


@guarded
def for_papers(store: Store, paper_ids: Sequence[str]) -> dict[str, Annotation]:
    """Note and tags of each paper that has either (others are absent)."""
    return {
        pid: Annotation(note, tags_from_json(tags))
        for pid, note, tags in rows_in(
            store.conn,
            "SELECT paper_id, note, tags FROM user_state WHERE paper_id IN ({marks}) "
            "AND (note IS NOT NULL OR tags IS NOT NULL)",
            list(dict.fromkeys(paper_ids)),
        )
    }


@guarded
def all_annotations(store: Store) -> dict[str, Annotation]:
    """Note and tags of every annotated paper (a few thousand at most): what a streaming
    export looks its records up in."""
    rows = store.conn.execute(
        "SELECT paper_id, note, tags FROM user_state WHERE note IS NOT NULL OR tags IS NOT NULL"
    )
    return {pid: Annotation(note, tags_from_json(tags)) for pid, note, tags in rows}


def annotation(store: Store, paper_id: str) -> Annotation:
    """One paper's note and tags (empty when it has none)."""
    return for_papers(store, [paper_id]).get(paper_id, Annotation())


@guarded
def tag_facets(store: Store, limit: int = 50) -> list[tuple[str, int]]:
    """(tag, papers) for the most used tags, counting papers in the store only."""
    return [
        (row[0], row[1])
        for row in store.conn.execute(
            "SELECT t.tag, count(*) AS n FROM paper_tags t JOIN papers p ON p.id = t.paper_id "
            "GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT ?",
            [limit],
        )
    ]


@guarded
def all_tags(store: Store) -> list[str]:
    """Every tag in use, most used first (for completion), whether or not its papers are here."""
    return [
        row[0]
        for row in store.conn.execute(
            "SELECT tag FROM paper_tags GROUP BY tag ORDER BY count(*) DESC, tag"
        )
    ]


@guarded
def papers_with_tag(store: Store, tag: str) -> list[str]:
    """Ids of the papers carrying ``tag`` (normalised first), sorted."""
    name = normalize_tag(tag)
    return [
        row[0]
        for row in store.conn.execute(
            "SELECT paper_id FROM paper_tags WHERE tag = ? ORDER BY paper_id", [name]
        )
    ]


@guarded
def search_notes(store: Store, words: str, *, limit: int = 1000) -> list[str]:
    """Ids of papers whose note matches ``words`` (same tokenizer and rules as paper search),
    best match first."""
    from paperreader.core.store.query import fts_query  # query.py may import this module

    match = fts_query(words)
    if match is None:
        return []
    return [
        row[0]
        for row in store.conn.execute(
            "SELECT paper_id FROM notes_fts WHERE notes_fts MATCH ? ORDER BY rank LIMIT ?",
            [match, limit],
        )
    ]


@guarded
def noted_ids(store: Store, paper_ids: Sequence[str]) -> set[str]:
    """Which of ``paper_ids`` have a note (for the list's marker)."""
    sql = "SELECT paper_id FROM user_state WHERE paper_id IN ({marks}) AND note IS NOT NULL"
    return {row[0] for row in rows_in(store.conn, sql, list(paper_ids))}


@guarded
def present_ids(store: Store, paper_ids: Sequence[str]) -> set[str]:
    """Which of ``paper_ids`` are papers in the store (an import marks only those)."""
    sql = "SELECT id FROM papers WHERE id IN ({marks})"
    return {row[0] for row in rows_in(store.conn, sql, list(paper_ids))}


@guarded
def write_values(store: Store, values: Iterable[tuple[str, str, Any, str]]) -> None:
    """Store (paper id, field, value, when) for read/favourite/note/tags; caller holds write().

    ``when`` is the ``…Z`` time stamped on read/favourite marks. Values must already be
    clean (:func:`clean_note`, :func:`normalize_tags`); other fields are ignored. One
    statement per field for all papers: an import of thousands stays one quick batch.
    """
    conn = store.conn
    by_field: dict[str, list[tuple[str, Any, str]]] = {}
    for pid, field, value, when in values:
        by_field.setdefault(field, []).append((pid, value, when))
    pids = {pid for rows in by_field.values() for pid, _, _ in rows}
    conn.executemany(
        "INSERT OR IGNORE INTO user_state (paper_id) VALUES (?)", [(pid,) for pid in pids]
    )
    for field, stamp_column in (("read", "read_at"), ("favourite", "favourited_at")):
        conn.executemany(
            f"UPDATE user_state SET {field} = ?, {stamp_column} = ? WHERE paper_id = ?",
            [(int(v), when if v else None, pid) for pid, v, when in by_field.get(field, ())],
        )
    conn.executemany(
        "UPDATE user_state SET note = ? WHERE paper_id = ?",
        [(note, pid) for pid, note, _ in by_field.get("note", ())],
    )
    tagged = by_field.get("tags", [])
    conn.executemany(
        "UPDATE user_state SET tags = ? WHERE paper_id = ?",
        [(json.dumps(list(t), ensure_ascii=False) if t else None, pid) for pid, t, _ in tagged],
    )
    conn.executemany("DELETE FROM paper_tags WHERE paper_id = ?", [(pid,) for pid, _, _ in tagged])
    conn.executemany(
        "INSERT OR IGNORE INTO paper_tags (paper_id, tag) VALUES (?, ?)",
        [(pid, tag) for pid, tags, _ in tagged for tag in tags],
    )


@guarded
def current_values(store: Store, paper_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """What the store holds now for each paper with a ``user_state`` row:
    ``{"read": bool, "favourite": bool, "note": str | None, "tags": [..]}``."""
    return {
        pid: {
            "read": bool(read),
            "favourite": bool(fav),
            "note": note,
            "tags": list(tags_from_json(tags)),
        }
        for pid, read, fav, note, tags in rows_in(
            store.conn,
            "SELECT paper_id, read, favourite, note, tags FROM user_state "
            "WHERE paper_id IN ({marks})",
            list(dict.fromkeys(paper_ids)),
        )
    }


DEFAULTS: dict[str, Any] = {"read": False, "favourite": False, "note": None, "tags": []}
"""A paper's values when it has no ``user_state`` row."""
