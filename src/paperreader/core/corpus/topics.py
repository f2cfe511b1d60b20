"""Every topic of the synthetic corpus, and how often each one comes up."""

from __future__ import annotations

import itertools

from paperreader.core.corpus.topic import Topic
from paperreader.core.corpus.topics_efficiency import EFFICIENCY_TOPICS
from paperreader.core.corpus.topics_embodied import EMBODIED_TOPICS
from paperreader.core.corpus.topics_images import IMAGE_TOPICS
from paperreader.core.corpus.topics_language import LANGUAGE_TOPICS
from paperreader.core.corpus.topics_multimodal import MULTIMODAL_TOPICS
from paperreader.core.corpus.topics_research import RESEARCH_TOPICS
from paperreader.core.corpus.topics_text import TEXT_TOPICS

TOPICS: tuple[Topic, ...] = (
    *LANGUAGE_TOPICS,
    *TEXT_TOPICS,
    *IMAGE_TOPICS,
    *MULTIMODAL_TOPICS,
    *EMBODIED_TOPICS,
    *EFFICIENCY_TOPICS,
    *RESEARCH_TOPICS,
)
"""All topics. The order is part of the generator: changing it changes every paper."""

TOPIC_BY_KEY: dict[str, Topic] = {t.key: t for t in TOPICS}
"""Topics by ``Topic.key``."""

CUMULATIVE_WEIGHTS: tuple[int, ...] = tuple(itertools.accumulate(t.weight for t in TOPICS))
"""Running totals of ``Topic.weight``, for ``random.choices(cum_weights=...)``."""
