"""The shape of one research topic in the synthetic corpus (data only, no generation)."""

from __future__ import annotations

from dataclasses import dataclass


def phrases(text: str) -> tuple[str, ...]:
    """Split a ``|``-separated block of phrases, so data modules stay compact and readable."""
    return tuple(part.strip() for part in text.split("|") if part.strip())


def words(text: str) -> tuple[str, ...]:
    """Split a block of space-separated words (names, grammatical words)."""
    return tuple(text.split())


@dataclass(frozen=True)
class Topic:
    """One research area: the words a paper about it uses, slot by slot.

    Every phrase is real English written for these templates. Grammar each slot expects:
    ``subjects`` Title Case nouns for titles; ``objects`` plural nouns ("language models");
    ``tasks``, ``methods``, ``metrics`` and ``keywords`` lowercase noun phrases;
    ``problems`` and ``findings`` clauses without a final full stop; ``mechanisms`` verb
    phrases in the third person singular ("rewards each step"); ``datasets`` names.
    """

    key: str
    name: str
    weight: int
    subjects: tuple[str, ...]
    objects: tuple[str, ...]
    tasks: tuple[str, ...]
    problems: tuple[str, ...]
    methods: tuple[str, ...]
    mechanisms: tuple[str, ...]
    datasets: tuple[str, ...]
    metrics: tuple[str, ...]
    keywords: tuple[str, ...]
    findings: tuple[str, ...]
