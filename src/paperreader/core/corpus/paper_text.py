"""A whole synthetic paper in Markdown, for the demo's reading view and the screenshots.

Every paragraph is the corpus's English (:func:`~paperreader.core.corpus.prose.write`)
on the topic that best matches the paper's own keywords, under the sections real papers
have, with a results table, inline LaTeX and a reference: what the reading view shows
for a real paper. Deterministic for a given paper id.
"""

from __future__ import annotations

import random
import zlib

from paperreader.core.corpus.prose import write
from paperreader.core.corpus.topic import Topic
from paperreader.core.corpus.topics import TOPICS

SECTIONS = ("Introduction", "Related Work", "Method", "Experiments", "Analysis", "Conclusion")


def _topic_for(keywords: tuple[str, ...] | list[str], rng: random.Random) -> Topic:
    wanted = {k.lower() for k in keywords}
    best = max(TOPICS, key=lambda t: len(wanted.intersection(t.keywords)))
    return best if wanted.intersection(best.keywords) else rng.choice(TOPICS)


def english_paper(
    paper_id: str, title: str, abstract: str = "", keywords: tuple[str, ...] | list[str] = ()
) -> str:
    """The Markdown of a made-up but readable paper titled ``title`` (its own abstract first)."""
    rng = random.Random(zlib.crc32(paper_id.encode()))
    topic = _topic_for(keywords, rng)

    def paragraph() -> str:
        return write(rng, topic, None, rng.randint(90, 140)).summary

    out = [f"# {title}", "", "## Abstract", "", abstract.strip() or paragraph(), ""]
    for number, section in enumerate(SECTIONS, 1):
        out += [f"## {number} {section}", ""]
        for _ in range(rng.randint(2, 4)):
            out += [paragraph(), ""]
        if section == "Experiments":
            out += [
                "| Method | Accuracy | Memory (GB) |",
                "|---|---:|---:|",
                "| Prior method | 71.2 | 24.1 |",
                "| Ours | **76.8** | 11.3 |",
                "",
                "Accuracy improves as more tokens are kept ($k = 0.25 n$), see Table 1.",
                "",
            ]
    out += [
        "## References",
        "",
        "1. An earlier method for this task. arXiv, 2025. https://arxiv.org/abs/2501.00001",
        "",
    ]
    return "\n".join(out)
