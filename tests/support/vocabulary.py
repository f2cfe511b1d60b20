"""The demo corpus's own English: every word its data modules spell out.

The corpus writes titles and abstracts from word lists of real English (names, phrases,
templates, topics); a word outside them means the generator made one up. Used by the
corpus unit tests and by the Pilot test that reads the demo off the screen.
"""

from __future__ import annotations

import dataclasses
import re
from types import ModuleType

from paperreader.core.corpus import (
    Topic,
    names,
    phrases,
    templates,
    topics_efficiency,
    topics_embodied,
    topics_images,
    topics_language,
    topics_multimodal,
    topics_research,
    topics_text,
)

DATA_MODULES: tuple[ModuleType, ...] = (
    names,
    phrases,
    templates,
    topics_efficiency,
    topics_embodied,
    topics_images,
    topics_language,
    topics_multimodal,
    topics_research,
    topics_text,
)
#: Numbers the templates print: "12", "4.2x" (tokenised as "4", "2x"), "14,500", "pass@1".
NUMBER = re.compile(r"\d+x?")
SLOT = re.compile(r"\{\w+\}")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple | list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, Topic):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name))]
    return []


def tokens(text: str) -> list[str]:
    """Lower-case words and numbers of ``text`` (template slots dropped)."""
    return re.findall(r"[a-z0-9]+", SLOT.sub(" ", text).lower())


def vocabulary_of_modules() -> frozenset[str]:
    """Every word the data modules spell out (template slot names are not words)."""
    words: set[str] = set()
    for module in DATA_MODULES:
        for name, value in vars(module).items():
            if not name.startswith("_"):
                words.update(t for s in _strings(value) for t in tokens(s))
    return frozenset(words)


VOCABULARY = vocabulary_of_modules()


def unknown(text: str) -> set[str]:
    """Words of ``text`` that are neither in the vocabulary nor numbers."""
    return {t for t in tokens(text) if t not in VOCABULARY and not NUMBER.fullmatch(t)}
