"""A saved term index loads back ranking exactly as before; damaged files are refused."""

from __future__ import annotations

import io

import pytest

from paperreader.core.radar import index_file
from paperreader.core.radar.rank import Doc, TermIndex, for_you

TOPICS = ["diffusion video frames", "robot grasping arms", "speech audio tokens"]


def _docs(n: int) -> list[Doc]:
    return [
        Doc(
            rid=1000 + i,
            id=f"2501.{i:05d}",
            title=f"{TOPICS[i % 3].title()} number {i}",
            abstract=f"We study {TOPICS[i % 3]} with method{i % 7} and ünïcode. " * 3,
            keywords=[TOPICS[i % 3].split()[0]],
        )
        for i in range(n)
    ]


def _saved(index: TermIndex) -> bytes:
    buffer = io.BytesIO()
    index_file.save(index, buffer)
    return buffer.getvalue()


def test_round_trip_ranks_identically_and_keeps_growing() -> None:
    index = TermIndex(min_df=1, bigram_min_df=1)
    docs = _docs(60)
    index.add(docs)
    index.remove([1003])
    loaded = index_file.load(io.BytesIO(_saved(index)))
    assert len(loaded) == len(index) == 59 and 1003 not in loaded
    assert loaded.names == index.names
    favourites = docs[:2]
    assert for_you(loaded, favourites, limit=30) == for_you(index, favourites, limit=30)
    more = _docs(70)[60:]
    index.add(more)
    loaded.add(more)
    assert for_you(loaded, favourites, limit=40) == for_you(index, favourites, limit=40)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b"not an index at all",
        lambda b: b[:-5],
        lambda b: b.replace(b'"version": 2', b'"version": 9', 1),
        lambda b: b.replace(b'"pending_words": {', b'"pending_words": [{', 1),
        lambda b: b[: b.index(b"\n", len(index_file.MAGIC)) - 3] + b"\n",
    ],
)
def test_damaged_files_are_refused(damage: object) -> None:
    index = TermIndex(min_df=1)
    index.add(_docs(10))
    data = damage(_saved(index))  # type: ignore[operator]
    with pytest.raises(index_file.IndexFileError):
        index_file.load(io.BytesIO(data))


def test_words_on_their_way_in_are_remembered() -> None:
    """An index fed one paper per update still admits a word seen in two of them."""
    index = TermIndex(min_df=2, bigram_min_df=2)
    index.add([Doc(1, "a", "Zebrafish Larvae", "zebrafish larvae swim")])
    assert "zebrafish" not in index.names
    loaded, extra = index_file.load_with_extra(io.BytesIO(_saved(index)))
    assert extra == {}
    loaded.add([Doc(2, "b", "Zebrafish Larvae", "more zebrafish")])
    assert {"zebrafish", "larvae"} <= set(loaded.names)
    assert "zebrafish larvae" not in loaded.names  # a bigram waits for both its words
    for rid in (3, 4):
        loaded = index_file.load(io.BytesIO(_saved(loaded)))
        loaded.add([Doc(rid, "c", "Zebrafish Larvae at Rest", "")])
    assert "zebrafish larvae" in loaded.names


def test_extra_json_travels_with_the_index() -> None:
    index = TermIndex()
    index.add(_docs(5))
    buffer = io.BytesIO()
    index_file.save(index, buffer, extra={"mark": "2026-01-01T00:00:00Z", "low": None})
    _, extra = index_file.load_with_extra(io.BytesIO(buffer.getvalue()))
    assert extra == {"mark": "2026-01-01T00:00:00Z", "low": None}
