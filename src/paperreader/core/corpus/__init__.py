"""Synthetic Daily Papers that read like the real feed, for the demo, tests and benchmarks.

All content is invented here: topic phrase lists, sentence templates and name lists are
combined deterministically (same seed, same papers). Every word of a title, abstract or
summary comes from the data modules, so a vocabulary test can prove no gibberish appears.
"""

from __future__ import annotations

from paperreader.core.corpus.generate import DEFAULT_ABSTRACT_WORDS, Corpus
from paperreader.core.corpus.items import (
    daily_count,
    paper_id,
    paper_item,
    paper_topics,
    parse_paper_id,
)
from paperreader.core.corpus.phrases import RARE_TERMS
from paperreader.core.corpus.topic import Topic
from paperreader.core.corpus.topics import TOPIC_BY_KEY, TOPICS

__all__ = [
    "DEFAULT_ABSTRACT_WORDS",
    "RARE_TERMS",
    "TOPICS",
    "TOPIC_BY_KEY",
    "Corpus",
    "Topic",
    "daily_count",
    "paper_id",
    "paper_item",
    "paper_topics",
    "parse_paper_id",
]
