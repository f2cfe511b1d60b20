"""Taste ranking ("For you", "more like this"): Rocchio profiles over tf-idf postings.

The profile is the mean of the favourites' unit tf-idf vectors plus a weaker share of
the papers the user opened, cut to its ``PROFILE_TERMS`` heaviest terms. Ranking
never looks at the whole library:

1. candidates: the postings of the profile's heaviest terms are walked, within a
   budget of entries, accumulating dot products (Lucene's "more like this"), and the
   best ``RESCORE`` papers by approximate cosine are kept;
2. exact scores: the candidates' weights on every profile term are read (a rare
   term's postings walked once, a common one's bisected per candidate) and each
   candidate's cosine with the profile computed;
3. spread: the list is drawn best first, discounting papers whose nearest favourite
   already has several in the list, so every kind of favourite gets its turn.

So a refresh costs the summed document frequency of a few dozen terms plus a fixed
amount of work per candidate, not the size of the library. Every result says why:
the favourite it is nearest to and the shared terms that weighed most.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

from paperreader.core.radar.candidates import candidates, exact_vectors
from paperreader.core.radar.index import TFW, Doc, TermIndex
from paperreader.core.text import one_line

__all__ = ["Doc", "Ranked", "Reason", "TermIndex", "for_you", "more_like_this"]

#: How many of the profile's heaviest terms are used to find and score candidates.
PROFILE_TERMS = 200
#: Weight of papers opened in the reader, relative to favourites (Rocchio's beta/gamma).
OPENED_WEIGHT = 0.3
#: Shared terms named in a reason.
REASON_TERMS = 3
#: Candidates scored exactly against the whole profile (at least twice the limit).
RESCORE = 600
#: A paper's strongest terms compared with each favourite to find the nearest one.
NEAREST_TERMS = 12
#: Score discount per paper already listed near the same favourite (see ``_spread``).
SPREAD = 0.85
#: How alike its most alike favourite a paper must be (cosine over the paper's
#: ``NEAREST_TERMS`` strongest terms) to be called "like" it, and to be listed where
#: only good matches belong (a digest). On the demo corpus most new papers of the
#: favourites' topics reach it and few others do (0.1 let in four times as many).
MIN_SIMILARITY = 0.15
#: A term found in more than this share of the papers is too common to name in a
#: reason ("shares: model, data" says nothing).
REASON_MAX_DF = 0.2


class Reason(NamedTuple):
    """Why a paper was suggested: its nearest favourite and the terms that weighed most."""

    like_rid: int | None
    like_title: str
    terms: tuple[str, ...]

    def __str__(self) -> str:
        parts = [f"like: {self.like_title}"] if self.like_title else []
        if self.terms:
            parts.append("shares: " + ", ".join(self.terms))
        return " · ".join(parts)


class Ranked(NamedTuple):
    """One suggestion: the caller's row id, a score in 0..1 and the reason.

    The score is the paper's cosine with the profile, discounted by the spread; the
    list is in descending score order.
    """

    rid: int
    score: float
    reason: Reason


class _Seed(NamedTuple):
    rid: int
    title: str
    vector: dict[int, float]


def _unit(index: TermIndex, doc: Doc) -> dict[int, float]:
    weights = {t: TFW[min(n, 255)] * index.idf(t) for t, n in index.counts(doc).items()}
    weights = {t: w for t, w in weights.items() if w > 0.0}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


def _seeds(index: TermIndex, rows: Iterable[Doc | tuple[Any, ...]]) -> list[_Seed]:
    docs = [row if isinstance(row, Doc) else Doc(*row) for row in rows]
    return [_Seed(d.rid, one_line(d.title), _unit(index, d)) for d in docs]


def _profile(favourites: list[_Seed], opened: list[_Seed]) -> dict[int, float]:
    profile: dict[int, float] = {}
    for seeds, weight in ((favourites, 1.0), (opened, OPENED_WEIGHT)):
        share = weight / len(seeds) if seeds else 0.0
        for seed in seeds:
            for term, w in seed.vector.items():
                profile[term] = profile.get(term, 0.0) + w * share
    top = heapq.nlargest(PROFILE_TERMS, profile.items(), key=lambda kv: kv[1])
    return dict(top)


def for_you(
    index: TermIndex,
    favourites: Iterable[Doc | tuple[Any, ...]],
    *,
    opened: Iterable[Doc | tuple[Any, ...]] = (),
    exclude: Collection[int] = (),
    limit: int = 100,
    min_score: float = 0.0,
) -> list[Ranked]:
    """The ``limit`` indexed papers nearest the user's taste, best first, with reasons.

    ``favourites`` and ``opened`` carry their text (they need not be indexed); they
    and ``exclude`` (e.g. papers already read) are never suggested. No favourites, no
    suggestions: opened papers alone are too weak a signal to rank a library by.
    Papers less alike their most alike favourite than ``min_score`` are left
    out (a digest passes :data:`MIN_SIMILARITY`); only papers at least that alike are
    said to be "like" a favourite.
    """
    favs = [s for s in _seeds(index, favourites) if s.vector]
    if not favs or limit <= 0:
        return []
    seen = _seeds(index, opened)
    profile = _profile(favs, [s for s in seen if s.vector])
    skip = set(exclude) | {s.rid for s in favs} | {s.rid for s in seen}
    return _rank(index, profile, favs, skip, limit, min_score)


def more_like_this(
    index: TermIndex,
    paper: Doc | tuple[Any, ...],
    *,
    exclude: Collection[int] = (),
    limit: int = 20,
) -> list[Ranked]:
    """Indexed papers nearest to ``paper`` alone (it and ``exclude`` left out)."""
    return for_you(index, [paper], exclude=exclude, limit=limit)


def _rank(
    index: TermIndex,
    profile: dict[int, float],
    favs: list[_Seed],
    skip: set[int],
    limit: int,
    min_score: float = 0.0,
) -> list[Ranked]:
    idf = {t: index.idf(t) for t in profile}
    pool = candidates(index, profile, idf, skip, max(RESCORE, 2 * limit))
    pnorm = math.sqrt(sum(w * w for w in profile.values())) or 1.0
    holders: dict[int, list[tuple[int, float]]] = {}
    for i, seed in enumerate(favs):
        for term, w in seed.vector.items():
            if term in profile:
                holders.setdefault(term, []).append((i, w))
    groups: dict[int, list[tuple[float, int, list[int]]]] = {}
    vectors = exact_vectors(index, pool, profile, idf)
    close: set[int] = set()
    for slot in pool:
        mine = vectors[slot]
        strongest = sorted(mine, key=lambda t: mine[t] * profile[t], reverse=True)
        nearest, dot = _nearest(strongest[:NEAREST_TERMS], mine, holders)
        likeness = dot / index.norms[slot]
        if likeness < min_score:
            continue
        if likeness >= MIN_SIMILARITY:
            close.add(slot)
        score = sum(w * profile[t] for t, w in mine.items()) / (index.norms[slot] * pnorm)
        groups.setdefault(nearest, []).append((score, slot, strongest))
    return [
        Ranked(index.rid_of(s), score, _reason(index, strongest, favs, near, s in close))
        for score, s, strongest, near in _spread(groups, limit)
    ]


def _spread(
    groups: dict[int, list[tuple[float, int, list[int]]]], limit: int
) -> list[tuple[float, int, list[int], int]]:
    """Best first, each pick discounting later ones nearest to the same favourite.

    A favourite whose theme is spelt with more words (three terms for "code
    generation", one for "agents") would otherwise fill the list; with the discount
    every favourite's neighbourhood gets its turn. Scores are returned discounted.
    """
    for members in groups.values():
        members.sort(key=lambda m: (-m[0], m[1]))
    keys = sorted(groups)  # ties go to the lowest key, so the order is reproducible
    taken = dict.fromkeys(keys, 0)
    out: list[tuple[float, int, list[int], int]] = []
    while len(out) < limit:
        best, best_score = None, -1.0
        for key in keys:
            members, n = groups[key], taken[key]
            if n < len(members):
                score = members[n][0] * (SPREAD**n if key >= 0 else 1.0)
                if score > best_score:
                    best, best_score = key, score
        if best is None:
            break
        _, slot, strongest = groups[best][taken[best]]
        taken[best] += 1
        out.append((best_score, slot, strongest, best))
    return out


def _nearest(
    terms: list[int], mine: dict[int, float], holders: dict[int, list[tuple[int, float]]]
) -> tuple[int, float]:
    """The favourite (by position) most like the paper on ``terms`` and the paper's dot
    product with it there (divided by the paper's norm: how alike they are; being like
    one favourite says more than being a bit like all); (-1, 0.0) if none shares one."""
    dots: dict[int, float] = {}
    for term in terms:
        for i, w in holders.get(term, ()):
            dots[i] = dots.get(i, 0.0) + w * mine[term]
    if not dots:
        return -1, 0.0
    best = max(dots, key=lambda i: (dots[i], -i))
    return best, dots[best]


def _reason(
    index: TermIndex, strongest: list[int], favs: list[_Seed], nearest: int, close: bool
) -> Reason:
    """Name the nearest favourite (if ``close`` enough to be "like" it) and the heaviest
    shared terms that are not common in the library, without repeats."""
    names: list[str] = []
    common = REASON_MAX_DF * index.slots
    for term in strongest:
        if len(index.postings[term]) > common:
            continue
        name = index.names[term]
        # "reward model" already says "reward"; keep the reason short and varied.
        if not any(set(name.split()) & set(n.split()) for n in names):
            names.append(name)
            if len(names) == REASON_TERMS:
                break
    if nearest < 0 or not close:
        return Reason(None, "", tuple(names))
    return Reason(favs[nearest].rid, favs[nearest].title, tuple(names))
