"""Tokens and the lexicon: the fast ASCII path agrees with the general one."""

from __future__ import annotations

import re

import pytest

from paperreader.core.radar.terms import BREAK, OOV, Analyzer, Lexicon, analyse, tokens

SAMPLES = [
    "Reward-Models for LLM_agents: 3D scenes, GPT-4o & 2025 (v2)!",
    "a b c de f1 123 x9y",
    "  tabs\tand\nnewlines\r\n  ",
    "",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_ascii_tokens_match_the_unicode_rule(text: str) -> None:
    assert tokens(text) == re.findall(r"[^\W_]+", text.casefold())


def test_unicode_text_is_tokenised_by_letters() -> None:
    assert tokens("Ünïcödé ﬁne-tuning 数学 推理 𝔘𝔫𝔦") == [
        "ünïcödé",
        "fine",
        "tuning",
        "数学",
        "推理",
        "𝔘𝔫𝔦",  # mathematical letters have no lower case
    ]


def test_analyse_drops_non_words_and_folds_plurals() -> None:
    assert [analyse(w) for w in ["the", "x", "2025", "a" * 41, "agents", "strategies"]] == [
        "",
        "",
        "",
        "",
        "agent",
        "strategy",
    ]
    assert Analyzer().words("The agents of reward models") == ["agent", "reward", "model"]


def test_lexicon_maps_tokens_to_terms_and_learns_admissions() -> None:
    terms = {"agent": 0}
    lex = Lexicon(terms)
    ids, raw = lex.term_ids("Agents and agent of planners")
    assert raw == ["agents", "and", "agent", "of", "planners"]
    assert ids == [0, BREAK, 0, BREAK, OOV]
    assert lex.outside(ids, raw) == {"planner"}
    terms["planner"] = 1
    lex.admitted("planner", 1)
    assert lex.remap(raw) == [0, BREAK, 0, BREAK, 1]
    assert lex.term_ids("Planner planners")[0] == [1, 1]
    assert lex.outside(*lex.term_ids("planners")) == set()
