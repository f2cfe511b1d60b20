"""The synthetic corpus: deterministic, in the real JSON shape, and written in real English."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

import pytest

from paperreader.core.corpus import (
    RARE_TERMS,
    TOPIC_BY_KEY,
    TOPICS,
    Corpus,
    daily_count,
    paper_item,
    paper_topics,
)
from tests.support.vocabulary import VOCABULARY, tokens, unknown

START, END = dt.date(2026, 6, 1), dt.date(2026, 9, 30)
PAPER_REQUIRED = {
    "id", "authors", "publishedAt", "submittedOnDailyAt", "title", "submittedOnDailyBy",
    "summary", "upvotes", "discussionId",
}  # fmt: skip
PAPER_OPTIONAL = {
    "projectPage", "githubRepo", "githubRepoAddedBy", "githubStars", "ai_summary",
    "ai_keywords", "ai_summary_model", "organization", "mediaUrls",
}  # fmt: skip
ITEM_REQUIRED = {
    "paper", "publishedAt", "title", "summary", "thumbnail", "numComments", "submittedBy",
    "isAuthorParticipating",
}  # fmt: skip
ITEM_OPTIONAL = {"organization", "mediaUrls"}
USER_KEYS = {"_id", "avatarUrl", "isPro", "fullname", "user", "type", "name"}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(START, END, seed=4, per_day=25)


@pytest.fixture(scope="module")
def items(corpus: Corpus) -> list[dict[str, Any]]:
    return corpus.all_items()


def _texts(item: dict[str, Any]) -> list[str]:
    paper = item["paper"]
    return [
        item["title"],
        item["summary"],
        paper.get("ai_summary", ""),
        *paper.get("ai_keywords", []),
    ]


def test_same_seed_same_items_other_seed_other_items() -> None:
    first = Corpus(START, START + dt.timedelta(days=13), seed=9, per_day=10).all_items()
    again = Corpus(START, START + dt.timedelta(days=13), seed=9, per_day=10).all_items()
    other = Corpus(START, START + dt.timedelta(days=13), seed=10, per_day=10).all_items()
    assert first and first == again
    assert [i["title"] for i in first] != [i["title"] for i in other]


def test_items_have_every_field_of_the_feed_shape(items: list[dict[str, Any]]) -> None:
    seen_paper: set[str] = set()
    seen_item: set[str] = set()
    for item in items:
        paper = item["paper"]
        assert PAPER_REQUIRED <= paper.keys() <= PAPER_REQUIRED | PAPER_OPTIONAL
        assert ITEM_REQUIRED <= item.keys() <= ITEM_REQUIRED | ITEM_OPTIONAL
        seen_paper |= paper.keys()
        seen_item |= item.keys()
        assert item["title"] == paper["title"] and item["summary"] == paper["summary"]
        assert re.fullmatch(r"\d{4}\.\d{5}", paper["id"])
        assert re.fullmatch(r"[0-9a-f]{24}", paper["discussionId"])
        assert item["submittedBy"].keys() == USER_KEYS | {
            "isHf", "isHfAdmin", "isMod", "followerCount",
        }  # fmt: skip
        assert paper["submittedOnDailyBy"].keys() == USER_KEYS - {"name"}
        assert 1 <= len(paper["authors"]) <= 50
        for author in paper["authors"]:
            assert {"_id", "name", "hidden"} <= author.keys()
            assert " " in author["name"]
            if "user" in author:
                assert author["user"].keys() == USER_KEYS
        assert isinstance(paper["upvotes"], int) and isinstance(item["numComments"], int)
        if "organization" in item:
            assert item["organization"] is paper["organization"]
            assert item["organization"].keys() == {"_id", "name", "fullname", "avatar"}
        if "githubRepo" in paper:
            assert paper["githubRepo"].startswith("https://github.com/")
            assert isinstance(paper["githubStars"], int)
    assert seen_paper == PAPER_REQUIRED | PAPER_OPTIONAL
    assert seen_item == ITEM_REQUIRED | ITEM_OPTIONAL


def test_weekends_are_empty(corpus: Corpus, items: list[dict[str, Any]]) -> None:
    saturday = dt.date(2026, 6, 6)
    assert saturday.weekday() == 5
    assert corpus.day(saturday) == [] and corpus.day(saturday + dt.timedelta(days=1)) == []
    assert daily_count(saturday, 25, 4) == 0
    days = {dt.date.fromisoformat(i["paper"]["submittedOnDailyAt"][:10]) for i in items}
    assert days and all(d.weekday() < 5 for d in days)
    assert corpus.count() == len(items)


def test_default_abstracts_have_120_to_250_words(items: list[dict[str, Any]]) -> None:
    lengths = [len(i["summary"].split()) for i in items]
    assert min(lengths) >= 120 and max(lengths) <= 250
    assert 185 <= sum(lengths) / len(lengths) <= 215


def test_short_abstract_target_is_honoured() -> None:
    short = Corpus(START, START + dt.timedelta(days=20), seed=2, abstract_words=60).all_items()
    lengths = [len(i["summary"].split()) for i in short]
    assert min(lengths) >= 39 and max(lengths) <= 75


def test_checker_flags_invented_words() -> None:
    # The vocabulary check below is only worth something if it can fail.
    assert unknown("The baimafou analysis of sparse attention") == {"baimafou"}
    assert unknown("Lantern-7B improves pass@1 accuracy by 4.2x on MathStep-8K.") == set()


def test_every_word_is_from_the_packages_english_word_lists(items: list[dict[str, Any]]) -> None:
    invented = Counter(w for item in items for text in _texts(item) for w in unknown(text))
    assert not invented, invented.most_common(10)


def test_abstracts_read_like_english(items: list[dict[str, Any]]) -> None:
    words = Counter(w for i in items[:300] for w in tokens(i["summary"]))
    top = {w for w, _ in words.most_common(10)}
    assert {"the", "of", "and", "that"} <= top
    assert all(i["summary"].endswith(".") and not i["summary"][0].islower() for i in items)


def test_rare_terms_are_rare_and_only_in_rare_sentences(items: list[dict[str, Any]]) -> None:
    others = VOCABULARY - {t for term in RARE_TERMS for t in tokens(term)}
    assert all(term not in others for term in RARE_TERMS)
    with_rare = [i for i in items if any(term in i["summary"] for term in RARE_TERMS)]
    assert 0.005 < len(with_rare) / len(items) < 0.05


def test_topics_are_readable_and_match_the_text(
    corpus: Corpus, items: list[dict[str, Any]]
) -> None:
    assert len({t.key for t in TOPICS}) == len(TOPICS) == len(TOPIC_BY_KEY)
    for item in items:
        pid = item["paper"]["id"]
        keys = corpus.topics_of(pid)
        assert keys and corpus.topic_of(pid) == keys[0]
        main = TOPIC_BY_KEY[keys[0]]
        text = item["summary"].replace("\n", " ").lower()
        own = main.methods + main.mechanisms + main.tasks + main.problems
        assert any(phrase.lower() in text for phrase in own), (keys, text)
    assert len(Counter(corpus.topic_of(i["paper"]["id"]) for i in items)) == len(TOPICS)


def test_ai_keywords_come_from_the_papers_topics(
    corpus: Corpus, items: list[dict[str, Any]]
) -> None:
    total = on_topic = 0
    for item in items:
        keywords = item["paper"].get("ai_keywords", [])
        topics = [TOPIC_BY_KEY[k] for k in corpus.topics_of(item["paper"]["id"])]
        vocab = {
            p
            for t in topics
            for p in t.keywords + t.methods + t.tasks + t.metrics + t.objects + t.datasets
        }
        total += len(keywords)
        on_topic += sum(k in vocab for k in keywords)
        assert all(k.lower() in item["summary"].replace("\n", " ").lower() for k in keywords)
    assert on_topic == total and total / len(items) > 1.5


def test_topic_of_unknown_papers_is_none(corpus: Corpus) -> None:
    assert corpus.topic_of("not-an-id") is None
    assert corpus.topic_of("2606.02599") is None  # index 399 of June 6: beyond the day's count
    assert corpus.topic_of("2501.00800") is None  # before the corpus starts
    assert paper_topics(dt.date(2026, 6, 2), 0, seed=4) == corpus.topics_of("2606.00800")


def test_engagement_has_a_realistic_spread(items: list[dict[str, Any]]) -> None:
    upvotes = [i["paper"]["upvotes"] for i in items]
    assert sum(u <= 20 for u in upvotes) / len(upvotes) > 0.85
    assert max(upvotes) >= 100
    with_repo = sum("githubRepo" in i["paper"] for i in items) / len(items)
    assert 0.25 < with_repo < 0.42
    assert any(i["numComments"] > 3 for i in items)


def test_find_day_order_and_upvote_signals(corpus: Corpus) -> None:
    day = corpus.day(dt.date(2026, 6, 2))
    assert [i["paper"]["upvotes"] for i in day] == sorted(
        (i["paper"]["upvotes"] for i in day), reverse=True
    )
    pid = day[-1]["paper"]["id"]
    assert corpus.find(pid) == day[-1] and corpus.find("2606.99999") is None
    corpus.upvote_bonus[pid] = 10_000
    try:
        assert corpus.day(dt.date(2026, 6, 2))[0]["paper"]["id"] == pid
    finally:
        del corpus.upvote_bonus[pid]


def test_paper_item_is_a_pure_function_of_its_arguments() -> None:
    day = dt.date(2026, 6, 3)
    assert paper_item(day, 5, seed=1) == paper_item(day, 5, seed=1)
    assert paper_item(day, 5, seed=1) != paper_item(day, 6, seed=1)
