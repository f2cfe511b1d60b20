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
        lambda b: b.replace(b'"version": 1', b'"version": 9', 1),
        lambda b: b[: b.index(b"\n", len(index_file.MAGIC)) - 3] + b"\n",
    ],
)
def test_damaged_files_are_refused(damage: object) -> None:
    index = TermIndex(min_df=1)
    index.add(_docs(10))
    data = damage(_saved(index))  # type: ignore[operator]
    with pytest.raises(index_file.IndexFileError):
        index_file.load(io.BytesIO(data))
