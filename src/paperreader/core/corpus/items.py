"""One synthetic DailyPaper item, deterministic in (seed, day, index)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from paperreader.core.corpus import people
from paperreader.core.corpus.draw import pick
from paperreader.core.corpus.names import SUMMARY_MODEL
from paperreader.core.corpus.prose import write
from paperreader.core.corpus.topic import Topic
from paperreader.core.corpus.topics import CUMULATIVE_WEIGHTS, TOPICS

SECONDARY_SHARE = 0.4
"""Share of papers that touch a second topic."""
IDS_PER_DAY = 400
"""Paper ids encode the day: ``YYMM.{day * 400 + index}`` (so ``find`` needs no index)."""


def daily_count(day: dt.date, per_day: int, seed: int) -> int:
    """Papers listed on ``day``: none at weekends, ``per_day`` ± 20% on weekdays."""
    if day.weekday() >= 5:
        return 0
    rng = random.Random(f"count-{seed}-{day.isoformat()}")
    return max(1, round(per_day * rng.uniform(0.8, 1.2)))


def paper_id(day: dt.date, index: int) -> str:
    """The arXiv-style id of the ``index``-th paper listed on ``day``."""
    return f"{day:%y%m}.{day.day * IDS_PER_DAY + index:05d}"


def parse_paper_id(pid: str) -> tuple[dt.date, int] | None:
    """The (day, index) a synthetic id was made from, or None if it is not one."""
    try:
        yymm, num = pid.split(".")
        day, index = divmod(int(num), IDS_PER_DAY)
        return dt.date(2000 + int(yymm[:2]), int(yymm[2:]), day), index
    except (ValueError, IndexError):
        return None


def _rng(day: dt.date, index: int, seed: int) -> random.Random:
    # An int seed is several times cheaper to set up than a string one (hashed with SHA-512).
    return random.Random((seed * 1_000_003 + day.toordinal()) * IDS_PER_DAY + index)


def _topics(rng: random.Random) -> tuple[Topic, Topic | None]:
    # Drawn first from the paper's generator, so paper_topics() can replay just this part.
    main = rng.choices(TOPICS, cum_weights=CUMULATIVE_WEIGHTS)[0]
    if rng.random() >= SECONDARY_SHARE:
        return main, None
    second = main
    while second is main:
        second = rng.choices(TOPICS, cum_weights=CUMULATIVE_WEIGHTS)[0]
    return main, second


def paper_topics(day: dt.date, index: int, *, seed: int = 0) -> tuple[str, ...]:
    """Topic keys of a paper: the main topic first, then the secondary one if any."""
    main, second = _topics(_rng(day, index, seed))
    return (main.key,) if second is None else (main.key, second.key)


def paper_item(
    day: dt.date, index: int, *, seed: int = 0, abstract_words: int = 200
) -> dict[str, Any]:
    """The DailyPaper item for the ``index``-th paper listed on ``day``."""
    rng = _rng(day, index, seed)
    main, second = _topics(rng)
    pid = paper_id(day, index)
    published = day - dt.timedelta(days=rng.randrange(0, 4))
    authors = people.authors(rng, day)
    if rng.random() < 0.4:  # often one of the authors puts the paper forward
        submitter = people.hub_user(rng, pick(rng, authors)["name"])
    else:
        submitter = people.hub_user(rng, people.full_name(rng))
    text = write(rng, main, second, abstract_words)
    upvotes = min(2500, max(0, int(rng.paretovariate(1.2) * 2.5) - 1))
    paper: dict[str, Any] = {
        "id": pid,
        "authors": authors,
        "publishedAt": people.timestamp(published, rng, midnight=rng.random() < 0.5),
        "submittedOnDailyAt": people.timestamp(day, rng),
        "title": text.title,
        "submittedOnDailyBy": {k: v for k, v in submitter.items() if k != "name"},
        "summary": text.summary,
        "upvotes": upvotes,
        "discussionId": people.object_id(rng),
    }
    org = people.organization(rng) if rng.random() < 0.65 else None
    owner = org["name"] if org else submitter["name"]
    repo_name = text.system.lower()
    if rng.random() < 0.52:
        paper["projectPage"] = f"https://{owner}.github.io/{repo_name}/"
    if rng.random() < 0.34:
        paper["githubRepo"] = f"https://github.com/{owner}/{repo_name}"
        paper["githubRepoAddedBy"] = pick(rng, ["user", "auto"])
        paper["githubStars"] = min(60_000, int(rng.paretovariate(0.9) * 8))
    if rng.random() < 0.34 or day.weekday() == 0:
        paper["ai_summary"] = text.ai_summary
        paper["ai_keywords"] = text.ai_keywords
        paper["ai_summary_model"] = SUMMARY_MODEL
    item: dict[str, Any] = {
        "paper": paper,
        "publishedAt": people.timestamp(published, rng),
        "title": text.title,
        "summary": text.summary,
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{pid}.png",
        "numComments": int(rng.expovariate(1.0) * (1 + upvotes / 20)),
        "submittedBy": {
            **submitter,
            "isHf": False,
            "isHfAdmin": False,
            "isMod": False,
            "followerCount": int(rng.paretovariate(1.0) * 20) - 20,
        },
        "isAuthorParticipating": rng.random() < 0.3,
    }
    if org is not None:
        paper["organization"] = org
        item["organization"] = org
    if rng.random() < 0.24:
        media = [
            f"https://cdn-uploads.huggingface.co/production/uploads/{submitter['_id']}/"
            f"{repo_name}-teaser.png"
        ]
        paper["mediaUrls"] = media
        item["mediaUrls"] = media
    return item
