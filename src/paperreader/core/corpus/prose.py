"""Titles, abstracts and AI summaries written from a paper's topics and the templates."""

from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass

from paperreader.core.corpus import templates as tpl
from paperreader.core.corpus.draw import pick, pick_three, pick_two
from paperreader.core.corpus.names import SYSTEM_NAMES, SYSTEM_SUFFIXES
from paperreader.core.corpus.phrases import (
    COMPONENTS,
    COSTS,
    EFFECTS,
    GENERIC_FINDINGS,
    LIMITATIONS,
    NUMBER_WORDS,
    RARE_TERMS,
    TITLE_ADJECTIVES,
)
from paperreader.core.corpus.topic import Topic, words

_SMALL = frozenset(words("a an and as at by for from in into of on or the to via vs with without"))
_WRAP = 80
"""arXiv abstracts arrive hard-wrapped; the feed keeps those line breaks."""
_KEYWORD_SLOTS = (
    "method",
    "task",
    "keyword",
    "keyword2",
    "objects",
    "method2",
    "dataset",
    "metric",
    "task2",
    "baseline",
    "sec_keyword",
)
"""Slots whose phrases become ``ai_keywords`` when the abstract uses them, in this order."""
RARE_SHARE = 0.02
"""Share of abstracts with a rare-term sentence (spread over ``RARE_TERMS``)."""


@dataclass(frozen=True)
class Prose:
    """The text of one paper."""

    title: str
    summary: str
    system: str
    """The bare name of the proposed system ("Lantern"), for repository URLs."""
    ai_summary: str
    ai_keywords: list[str]


@functools.cache
def title_case(phrase: str) -> str:
    """``phrase`` in headline style: "tool use in agents" -> "Tool Use in Agents"."""
    out = []
    for i, word in enumerate(phrase.split(" ")):
        parts = word.split("-")
        out.append(
            "-".join(
                p if (p in _SMALL and (i or j)) or not p[:1].islower() else p[:1].upper() + p[1:]
                for j, p in enumerate(parts)
            )
        )
    return " ".join(out)


def with_article(phrase: str) -> str:
    """``phrase`` after "a" or "an", chosen by its first letter."""
    first = phrase[:1].lower()
    vowel = first in "aeio" or (first == "u" and not phrase.startswith(("uni", "use", "usu")))
    return ("an " if vowel else "a ") + phrase


def _system_name(rng: random.Random) -> tuple[str, str]:
    base = pick(rng, SYSTEM_NAMES)
    roll = rng.random()
    if roll < 0.2:
        return base.upper(), base
    if roll < 0.45:
        return f"{base}-{pick(rng, SYSTEM_SUFFIXES)}", base
    return base, base


def _slots(rng: random.Random, main: Topic, second: Topic | None) -> dict[str, str]:
    method, method2, baseline = pick_three(rng, main.methods)
    task, task2 = pick_two(rng, main.tasks)
    problem, problem2 = pick_two(rng, main.problems)
    mechanism, mechanism2 = pick_two(rng, main.mechanisms)
    dataset, dataset2 = pick_two(rng, main.datasets)
    keyword, keyword2 = pick_two(rng, main.keywords)
    finding, finding2 = pick_two(rng, main.findings)
    system, base = _system_name(rng)
    extra = second or main
    return {
        "system": system,
        "base": base,
        "method": method,
        "a_method": with_article(method),
        "method2": method2,
        "baseline": baseline,
        "task": task,
        "task2": task2,
        "objects": pick(rng, main.objects),
        "problem": problem,
        "problem2": problem2,
        "mechanism": mechanism,
        "mechanism2": mechanism2,
        "dataset": dataset,
        "dataset2": dataset2,
        "metric": pick(rng, main.metrics),
        "keyword": keyword,
        "keyword2": keyword2,
        "finding": finding,
        "finding2": finding2,
        "sec_task": pick(rng, extra.tasks),
        "sec_keyword": pick(rng, extra.keywords),
        "sec_finding": pick(rng, extra.findings),
        "limitation": pick(rng, LIMITATIONS),
        "component": pick(rng, COMPONENTS),
        "effect": pick(rng, EFFECTS),
        "cost": pick(rng, COSTS),
        "generic_finding": pick(rng, GENERIC_FINDINGS),
        "rare": pick(rng, RARE_TERMS),
        "gain": f"{rng.uniform(1.2, 15.0):.1f}",
        "score": f"{rng.uniform(35.0, 94.0):.1f}",
        "speedup": f"{rng.uniform(1.3, 6.5):.1f}",
        "gain2": f"{rng.uniform(1.2, 15.0):.1f}",
        "score2": f"{rng.uniform(35.0, 94.0):.1f}",
        "speedup2": f"{rng.uniform(1.3, 6.5):.1f}",
        "count": f"{rng.randrange(2, 60) * 500:,}",
        "n_bench": pick(rng, NUMBER_WORDS),
    }


def _sentence(template: str, slots: dict[str, str]) -> str:
    text = template.format_map(slots)
    return text[0].upper() + text[1:]


def _abstract(rng: random.Random, slots: dict[str, str], second: bool, words: int) -> str:
    """Sentences in abstract order (problem, method, results, claim), about ``words`` long.

    Sentences are taken by priority (method, result, problem, claim, then optional ones
    in random order) until the drawn length goal is met, skipping any that would overshoot
    1.25 x ``words``; short targets (tests) therefore still get the method and result.
    """
    details = pick_three(rng, tpl.DETAIL)
    results = pick_two(rng, tpl.RESULT)
    # The second result sentence reports its own numbers, not a copy of the first's.
    second_result = results[1].replace("{gain}", "{gain2}").replace("{score}", "{score2}")
    second_result = second_result.replace("{speedup}", "{speedup2}")
    core = [(3.0, pick(rng, tpl.METHOD)), (7.0, results[0]), (0.0, pick(rng, tpl.PROBLEM))]
    core.append((11.0, pick(rng, tpl.CLAIM)))
    if rng.random() < RARE_SHARE:
        core.append((10.0, tpl.RARE[0]))
    optional = [
        (1.0, pick(rng, tpl.CONTEXT)),
        (2.0, pick(rng, tpl.GAP)),
        (4.0, details[0]),
        (4.3, details[1]),
        (4.6, details[2]),
        (5.0, pick(rng, tpl.KEYWORD)),
        (6.0, pick(rng, tpl.DATA)),
        (7.5, second_result),
        (9.0, pick(rng, tpl.ANALYSIS)),
        (12.0, pick(rng, tpl.CLOSING)),
    ]
    if second:
        optional.append((8.0, pick(rng, tpl.SECONDARY)))
    rng.shuffle(optional)
    goal = min(max(rng.gauss(words, words * 0.12), words * 0.65), words * 1.15)
    limit = words * 1.25
    chosen: list[tuple[float, str]] = []
    count = 0
    misses = 0
    for rank, template in core + optional:
        if count >= goal or misses > 2:  # near the limit most sentences miss: stop trying
            break
        text = _sentence(template, slots)
        n = text.count(" ") + 1
        if chosen and count + n > limit:
            misses += 1
            continue
        chosen.append((rank, text))
        count += n
    chosen.sort(key=lambda pair: pair[0])
    return _wrap(" ".join(text for _, text in chosen))


def _wrap(text: str) -> str:
    lines: list[str] = []
    pos = 0
    while len(text) - pos > _WRAP:
        cut = text.rfind(" ", pos, pos + _WRAP + 1)
        if cut <= pos:  # one word longer than a line: break after it
            cut = text.find(" ", pos + _WRAP)
            if cut < 0:
                break
        lines.append(text[pos:cut])
        pos = cut + 1
    lines.append(text[pos:])
    return "\n".join(lines)


@functools.cache
def _content_words(phrase: str) -> frozenset[str]:
    words = re.sub(r"\{\w+\}|[^\w\s-]", " ", phrase).lower().replace("-", " ").split()
    return frozenset(w for w in words if w not in _SMALL)


def _title(rng: random.Random, slots: dict[str, str], main: Topic, second: Topic | None) -> str:
    pair = second is not None and rng.random() < 0.35
    values = {
        "System": slots["system"],
        "Subject": pick(rng, main.subjects),
        "Subject2": pick(rng, second.subjects) if second else "",
        "Method": title_case(slots["method"]),
        "Task": title_case(slots["task"]),
        "Objects": title_case(slots["objects"]),
        "Adj": pick(rng, TITLE_ADJECTIVES),
    }
    # Avoid "Planning in Planning Agents": retry shapes whose phrases share a word.
    for _ in range(6):
        template = pick(rng, tpl.PAIR_TITLES if pair else tpl.TITLES)
        seen = _content_words(template)  # "Understanding Chart Understanding" clashes too
        clash = False
        for name in ("Subject", "Subject2", "Method", "Task", "Objects"):
            if "{" + name + "}" in template:
                used = _content_words(values[name])
                clash = clash or bool(seen & used)
                seen |= used
        if not clash:
            break
    return template.format_map(values)


def _keywords(slots: dict[str, str], summary: str) -> list[str]:
    """The slot phrases the abstract really uses (what a keyword extractor would find)."""
    text = summary.replace("\n", " ").lower()
    found: list[str] = []
    for name in _KEYWORD_SLOTS:
        phrase = slots[name]
        if phrase not in found and phrase.lower() in text:
            found.append(phrase)
    return found[:8]


def write(rng: random.Random, main: Topic, second: Topic | None, words: int) -> Prose:
    """Title, abstract (about ``words`` words), AI summary and keywords of one paper."""
    slots = _slots(rng, main, second)
    title = _title(rng, slots, main, second)
    summary = _abstract(rng, slots, second is not None, words)
    ai_summary = _sentence(pick(rng, tpl.AI_SUMMARY), slots)
    return Prose(title, summary, slots["base"], ai_summary, _keywords(slots, summary))
