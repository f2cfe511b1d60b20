"""Fast random picks: ``random.choice``/``sample`` cost microseconds each, and a paper
makes about a hundred of them (the fake server generates up to 100k papers)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One item of ``items``, uniformly."""
    return items[int(rng.random() * len(items))]


def pick_two(rng: random.Random, items: Sequence[T]) -> tuple[T, T]:
    """Two different items of ``items`` (which must hold at least two)."""
    n = len(items)
    i = int(rng.random() * n)
    j = int(rng.random() * (n - 1))
    return items[i], items[j + 1 if j >= i else j]


def pick_three(rng: random.Random, items: Sequence[T]) -> tuple[T, T, T]:
    """Three different items of ``items`` (which must hold at least three)."""
    n = len(items)
    i = int(rng.random() * n)
    j = (i + 1 + int(rng.random() * (n - 1))) % n
    k = i
    while k in (i, j):
        k = int(rng.random() * n)
    return items[i], items[j], items[k]
