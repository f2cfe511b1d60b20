"""Saving a :class:`TermIndex` to a file and loading it back, so it is built only once.

The format is private to this module and versioned: a magic line, one JSON header
line (settings, term names, which terms are bigrams), then the arrays as raw bytes,
each preceded by its length. A file in any other format or version, or truncated,
raises :class:`IndexFileError`; callers then rebuild from the store. Counts of
not-yet-admitted words and bigrams are kept too: an index updated a few papers at a
time would otherwise never admit a word that turns up once per update.
"""

from __future__ import annotations

import json
import sys
from array import array
from typing import IO, Any

from paperreader.core.radar.index import TermIndex

MAGIC = b"paperreader-term-index\n"
VERSION = 2


class IndexFileError(ValueError):
    """The file is not a term index this version can read."""


def _write_array(fh: IO[bytes], values: array[Any]) -> None:
    data = values.tobytes()
    fh.write(len(data).to_bytes(8, "little"))
    fh.write(data)


def _read_array(fh: IO[bytes], typecode: str, swap: bool) -> array[Any]:
    size = int.from_bytes(fh.read(8), "little")
    data = fh.read(size)
    values = array(typecode)
    if len(data) != size or size % values.itemsize:
        raise IndexFileError("truncated term index")
    values.frombytes(data)
    if swap:
        values.byteswap()
    return values


def save(index: TermIndex, fh: IO[bytes], *, extra: dict[str, Any] | None = None) -> None:
    """Write ``index`` to the binary file ``fh`` (write to a temp file, then rename).

    ``extra`` is any JSON the caller wants kept with the index (e.g. what it covers).
    """
    header = {
        "version": VERSION,
        "byteorder": sys.byteorder,
        "max_terms": index.max_terms,
        "min_df": index.min_df,
        "bigram_min_df": index.bigram_min_df,
        "names": index.names,
        "pairs": [[a, b, term] for (a, b), term in index._pairs.items()],
        "pending_words": index._pending_words,
        "pending_pairs": [[a, b, n] for (a, b), n in index._pending_pairs.items()],
        "dead": index._dead,
        "weighed_at": index._weighed_at,
        "extra": extra or {},
    }
    fh.write(MAGIC)
    fh.write(json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n")
    _write_array(fh, index._rids)
    _write_array(fh, index.norms)
    _write_array(fh, array("Q", (len(p) for p in index.postings)))
    flat: array[int] = array("I")
    for entries in index.postings:
        flat.extend(entries)
    _write_array(fh, flat)


def load(fh: IO[bytes]) -> TermIndex:
    """Read an index written by :func:`save`; raise :class:`IndexFileError` if unusable."""
    return load_with_extra(fh)[0]


def load_with_extra(fh: IO[bytes]) -> tuple[TermIndex, dict[str, Any]]:
    """:func:`load`, and the ``extra`` JSON saved with the index."""
    if fh.read(len(MAGIC)) != MAGIC:
        raise IndexFileError("not a paperreader term index")
    try:
        header = json.loads(fh.readline().decode("utf-8"))
        if header["version"] != VERSION:
            raise IndexFileError(f"term index version {header['version']} is not {VERSION}")
        swap = header["byteorder"] != sys.byteorder
        index = TermIndex(
            max_terms=header["max_terms"],
            min_df=header["min_df"],
            bigram_min_df=header["bigram_min_df"],
        )
        names: list[str] = header["names"]
        pairs = {(a, b): term for a, b, term in header["pairs"]}
        pending_words = {str(w): int(n) for w, n in header["pending_words"].items()}
        pending_pairs = {(int(a), int(b)): int(n) for a, b, n in header["pending_pairs"]}
        extra = header.get("extra") or {}
        if not isinstance(extra, dict):
            raise TypeError("extra is not an object")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IndexFileError(f"unreadable term index header: {exc}") from None
    rids = _read_array(fh, "q", swap)
    norms = _read_array(fh, "d", swap)
    lengths = _read_array(fh, "Q", swap)
    flat = _read_array(fh, "I", swap)
    if len(norms) != len(rids) or len(lengths) != len(names) or sum(lengths) != len(flat):
        raise IndexFileError("inconsistent term index")
    bigrams = set(pairs.values())
    index.names = names
    index._pairs.update(pairs)
    # Updated in place: the index's lexicon holds this very dict.
    index._words.update((name, t) for t, name in enumerate(names) if t not in bigrams)
    index._rids = rids
    index._slot = {rid: slot for slot, rid in enumerate(rids) if rid >= 0}
    index.norms = norms
    index.postings, start = [], 0
    for n in lengths:
        index.postings.append(flat[start : start + n])
        start += n
    index._pending_words = pending_words
    index._pending_pairs = pending_pairs
    index._dead = int(header.get("dead", 0))
    index._weighed_at = int(header.get("weighed_at", 0))
    index._idf2 = [index.idf(t) ** 2 for t in range(len(names))]
    return index, extra
