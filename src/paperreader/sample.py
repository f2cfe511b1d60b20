"""Synthetic Daily Papers in the real JSON shape, for the demo, tests and benchmarks.

All content is invented here (no copied titles or abstracts). Generation is
deterministic: the same seed and day always give the same papers, so a fake server
can answer any query without storing anything.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import random
from collections.abc import Iterator
from typing import Any

_TOPICS = [
    "Diffusion",
    "Transformers",
    "Agents",
    "Reasoning",
    "Alignment",
    "Retrieval",
    "Vision",
    "Speech",
    "Robotics",
    "Video",
    "Tokenizers",
    "Sparse Experts",
    "Reward Models",
    "Honesty",
    "Planning",
    "Memory",
    "Code Generation",
    "Multilingual Models",
    "World Models",
    "Distillation",
    "Quantization",
    "Long Context",
    "Benchmarks",
]
_PATTERNS = [
    "{A}: Scaling {t} for {u}",
    "Towards {adj} {t} with {u}",
    "{A}: A {adj} Benchmark for {t}",
    "Rethinking {t} through {u}",
    "When {t} Meets {u}",
    "{adj} {t} at Scale",
    "Learning {t} from {u} without Labels",
    "{A}: Efficient {t} via {u}",
    "On the Limits of {t} in {u}",
]
_ADJ = [
    "Robust",
    "Efficient",
    "Sparse",
    "Unified",
    "Adaptive",
    "Faithful",
    "Lightweight",
    "Open",
    "Calibrated",
    "Compositional",
    "Self-Improving",
    "Grounded",
]
_ACRO = [
    "LUMEN",
    "Quill",
    "Orca-Lite",
    "Tessel",
    "Marble",
    "Fable",
    "Kite",
    "Nimbus",
    "Pebble",
    "Sable",
    "Vireo",
    "Wren",
    "Atlas-0",
    "Cinder",
]
_WORDS = [
    "we",
    "propose",
    "method",
    "model",
    "data",
    "training",
    "results",
    "show",
    "that",
    "our",
    "approach",
    "improves",
    "performance",
    "across",
    "tasks",
    "benchmark",
    "evaluation",
    "large",
    "language",
    "models",
    "tokens",
    "context",
    "experiments",
    "baseline",
    "state",
    "of",
    "the",
    "art",
    "efficient",
    "scalable",
    "robust",
    "novel",
    "framework",
    "analysis",
    "dataset",
    "fine-tuning",
    "inference",
    "latency",
    "accuracy",
    "generalization",
    "robustness",
    "multimodal",
    "reward",
    "policy",
    "learning",
    "signal",
    "optimization",
    "sparse",
    "dense",
    "attention",
    "layer",
    "architecture",
    "pretraining",
    "objective",
    "loss",
    "curriculum",
]
_FIRST = [
    "Ada",
    "Bo",
    "Cy",
    "Dee",
    "Eli",
    "Fay",
    "Gus",
    "Hana",
    "Ivo",
    "Jun",
    "Kai",
    "Lena",
    "Mo",
    "Noor",
    "Oli",
    "Pia",
    "Quin",
    "Rae",
    "Sol",
    "Tam",
    "Uma",
    "Vik",
    "Wei",
    "Yara",
]
_LAST = [
    "Example",
    "Sample",
    "Placeholder",
    "Fixture",
    "Mock",
    "Stub",
    "Dummy",
    "Tester",
    "Synth",
    "Invent",
    "Madeup",
    "Fiction",
    "Pretend",
    "Notreal",
    "Imaginary",
]
_ORGS = [
    ("example-lab", "Example Lab"),
    ("fictional-ai", "Fictional AI"),
    ("sample-univ", "Sample University"),
    ("nowhere-institute", "Nowhere Institute"),
    ("placeholder-research", "Placeholder Research"),
]


def _oid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def _iso(day: dt.date, rng: random.Random, *, midnight: bool = False) -> str:
    if midnight:
        return f"{day.isoformat()}T00:00:00.000Z"
    return (
        f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:"
        f"{rng.randrange(60):02d}.{rng.randrange(1000):03d}Z"
    )


def _user(rng: random.Random, name: str) -> dict[str, Any]:
    handle = name.lower().replace(" ", "-")
    return {
        "_id": _oid(rng),
        "avatarUrl": f"/avatars/{rng.getrandbits(128):032x}.svg",
        "isPro": rng.random() < 0.2,
        "fullname": name,
        "user": handle,
        "type": "user",
        "name": handle,
    }


def _title(rng: random.Random) -> tuple[str, list[str]]:
    t, u = rng.sample(_TOPICS, 2)
    title = rng.choice(_PATTERNS).format(A=rng.choice(_ACRO), t=t, u=u, adj=rng.choice(_ADJ))
    return title, [t, u]


def _pseudo_vocabulary(size: int = 3000) -> list[str]:
    """Invented words (Zipf-weighted below), so term frequencies look like real text."""
    rng = random.Random("vocabulary")
    onsets = [
        "b",
        "c",
        "d",
        "f",
        "g",
        "l",
        "m",
        "n",
        "p",
        "r",
        "s",
        "t",
        "v",
        "z",
        "qu",
        "st",
        "tr",
        "pl",
        "gr",
    ]
    vowels = ["a", "e", "i", "o", "u", "ai", "ou"]
    words: set[str] = set()
    while len(words) < size:
        syllables = rng.choice((2, 2, 3, 3, 4))
        words.add("".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables)))
    return sorted(words)


_VOCAB = _pseudo_vocabulary()
_VOCAB_WEIGHTS = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(_VOCAB))))
_TOPIC_WORDS = sorted({w.lower() for t in _TOPICS for w in t.split()})


def _abstract(rng: random.Random, words: int, topics: list[str]) -> str:
    own = [w.lower() for t in topics for w in t.split()]
    out: list[str] = []
    line: list[str] = []
    sentence_start = True
    for _ in range(words):
        roll = rng.random()
        if roll < 0.35:
            word = rng.choice(_WORDS)
        elif roll < 0.41:
            word = rng.choice(own)
        elif roll < 0.415:
            word = rng.choice(_TOPIC_WORDS)
        else:
            word = rng.choices(_VOCAB, cum_weights=_VOCAB_WEIGHTS)[0]
        line.append(word.capitalize() if sentence_start else word)
        sentence_start = rng.random() < 0.07
        if sentence_start:
            line[-1] += "."
        if len(line) >= 12:  # arXiv abstracts arrive with hard line breaks
            out.append(" ".join(line))
            line = []
    if line:
        out.append(" ".join(line))
    return "\n".join(out).rstrip(".") + "."


def daily_count(day: dt.date, per_day: int, seed: int) -> int:
    """Papers listed on ``day``: none at weekends, ``per_day`` ± 20% on weekdays."""
    if day.weekday() >= 5:
        return 0
    rng = random.Random(f"count-{seed}-{day.isoformat()}")
    return max(1, round(per_day * rng.uniform(0.8, 1.2)))


def paper_item(
    day: dt.date, index: int, *, seed: int = 0, abstract_words: int = 180
) -> dict[str, Any]:
    """The DailyPaper item for the ``index``-th paper listed on ``day``."""
    rng = random.Random(f"paper-{seed}-{day.isoformat()}-{index}")
    pid = f"{day:%y%m}.{day.day * 400 + index:05d}"
    published = day - dt.timedelta(days=rng.randrange(0, 4))
    authors = []
    for _ in range(min(50, max(1, int(rng.paretovariate(1.1) * 2)))):
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        author: dict[str, Any] = {"_id": _oid(rng), "name": name, "hidden": False}
        if rng.random() < 0.15:
            author["user"] = _user(rng, name)
            author["status"] = rng.choice(["claimed_verified", "admin_assigned", ""])
            author["statusLastChangedAt"] = _iso(day, rng)
        authors.append(author)
    submitter = _user(rng, f"{rng.choice(_FIRST)} {rng.choice(_LAST)}")
    title, topics = _title(rng)
    summary = _abstract(rng, max(40, int(rng.gauss(abstract_words, abstract_words / 5))), topics)
    paper: dict[str, Any] = {
        "id": pid,
        "authors": authors,
        "publishedAt": _iso(published, rng, midnight=rng.random() < 0.5),
        "submittedOnDailyAt": _iso(day, rng),
        "title": title,
        "submittedOnDailyBy": {k: v for k, v in submitter.items() if k != "name"},
        "summary": summary,
        "upvotes": min(3000, int(rng.paretovariate(1.3) * 3) - 2),
        "discussionId": _oid(rng),
    }
    if rng.random() < 0.52:
        paper["projectPage"] = f"https://example.org/{pid.replace('.', '-')}"
    if rng.random() < 0.54:
        paper["githubRepo"] = f"https://github.com/example-lab/project-{pid.replace('.', '')}"
        paper["githubRepoAddedBy"] = rng.choice(["user", "auto"])
        paper["githubStars"] = int(rng.paretovariate(1.0) * 5)
    if rng.random() < 0.34 or day.weekday() == 0:
        kws = rng.sample(_TOPICS, 4)
        paper["ai_summary"] = f"An invented study of {kws[0].lower()} and {kws[1].lower()}."
        paper["ai_keywords"] = [k.lower() for k in kws]
        paper["ai_summary_model"] = "example-org/example-summarizer"
    item: dict[str, Any] = {
        "paper": paper,
        "publishedAt": _iso(published, rng),
        "title": title,
        "summary": summary,
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{pid}.png",
        "numComments": int(rng.expovariate(0.5)),
        "submittedBy": {
            **submitter,
            "isHf": False,
            "isHfAdmin": False,
            "isMod": False,
            "followerCount": rng.randrange(500),
        },
        "isAuthorParticipating": rng.random() < 0.3,
    }
    if rng.random() < 0.65:
        slug, name = rng.choice(_ORGS)
        org = {
            "_id": _oid(rng),
            "name": slug,
            "fullname": name,
            "avatar": f"https://cdn-avatars.huggingface.co/v1/production/uploads/{slug}.png",
        }
        paper["organization"] = org
        item["organization"] = org
    if rng.random() < 0.24:
        media = [f"https://cdn-uploads.huggingface.co/production/uploads/{pid}/teaser.png"]
        paper["mediaUrls"] = media
        item["mediaUrls"] = media
    return item


class Corpus:
    """Every synthetic paper between ``start`` and ``end``, generated on demand."""

    def __init__(
        self,
        start: dt.date,
        end: dt.date,
        *,
        seed: int = 0,
        per_day: int = 25,
        abstract_words: int = 180,
    ) -> None:
        self.start = start
        self.end = end
        self.seed = seed
        self.per_day = per_day
        self.abstract_words = abstract_words
        self.upvote_bonus: dict[str, int] = {}
        """Extra upvotes per paper id, to simulate community signals moving between syncs."""
        self.upvote_shift = 0
        """Extra upvotes for every paper (every paper changes: a full rewrite on re-sync)."""
        self.overrides: dict[str, dict[str, Any]] = {}
        self._days: dict[dt.date, tuple[dict[str, Any], ...]] = {}
        """Replacement items by paper id (hostile titles, schema drift)."""

    def _day(self, day: dt.date) -> tuple[dict[str, Any], ...]:
        # A cache per corpus (not functools.lru_cache on the method, which would keep
        # every corpus ever made alive through its class-level cache).
        cached = self._days.get(day)
        if cached is not None:
            return cached
        if day < self.start or day > self.end:
            return ()
        n = daily_count(day, self.per_day, self.seed)
        items = tuple(
            paper_item(day, i, seed=self.seed, abstract_words=self.abstract_words) for i in range(n)
        )
        self._days[day] = items
        return items

    def day(self, day: dt.date) -> list[dict[str, Any]]:
        out = []
        for item in self._day(day):
            pid = item["paper"]["id"]
            if pid in self.overrides:
                out.append(self.overrides[pid])
                continue
            bonus = self.upvote_bonus.get(pid, 0) + self.upvote_shift
            if bonus:
                item = {
                    **item,
                    "paper": {**item["paper"], "upvotes": item["paper"]["upvotes"] + bonus},
                }
            out.append(item)
        # Within a day the site lists the most upvoted first.
        return sorted(out, key=lambda it: -_upvotes(it))

    def days(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        d = max(start, self.start)
        while d <= min(end, self.end):
            yield d
            d += dt.timedelta(days=1)

    def span(self, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
        """All items listed between two days, newest day first."""
        out: list[dict[str, Any]] = []
        for d in reversed(list(self.days(start, end))):
            out.extend(self.day(d))
        return out

    def month(self, year: int, month: int) -> list[dict[str, Any]]:
        last = calendar.monthrange(year, month)[1]
        return self.span(dt.date(year, month, 1), dt.date(year, month, last))

    def week(self, year: int, week: int) -> list[dict[str, Any]]:
        monday = dt.date.fromisocalendar(year, week, 1)
        return self.span(monday, monday + dt.timedelta(days=6))

    def all_items(self) -> list[dict[str, Any]]:
        return self.span(self.start, self.end)

    def find(self, paper_id: str) -> dict[str, Any] | None:
        try:
            yymm, num = paper_id.split(".")
            day = dt.date(2000 + int(yymm[:2]), int(yymm[2:]), int(num) // 400)
        except (ValueError, IndexError):
            return None
        for item in self.day(day):
            if item.get("paper", {}).get("id") == paper_id:
                return item
        return None

    def count(self) -> int:
        return sum(daily_count(d, self.per_day, self.seed) for d in self.days(self.start, self.end))


def _upvotes(item: dict[str, Any]) -> int:
    paper = item.get("paper")
    value = paper.get("upvotes") if isinstance(paper, dict) else None
    return value if isinstance(value, int) else 0
