"""Finding and scoring a profile's candidates over the postings (see :mod:`.rank`).

Neither looks at the whole library: candidates come from the postings of the
profile's heaviest terms within a budget, and exact weights are read per term by
whichever is cheaper, a walk of its postings or a bisection per candidate.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left

from paperreader.core.radar.index import TFW, TermIndex

#: The heaviest profile terms whose postings are walked to find candidates...
QUERY_TERMS = 48
#: ...within this many postings entries in all (a term over a quarter of it is skipped).
WALK_BUDGET = 1_200_000
#: A profile term's postings are walked for the exact scores when no longer than this
#: many entries per candidate, else each candidate is looked up by bisection.
WALK_FACTOR = 8


def candidates(
    index: TermIndex, profile: dict[int, float], idf: dict[int, float], skip: set[int], n: int
) -> list[int]:
    """Papers worth an exact score: the best by the profile's heaviest, cheapest terms.

    This is Lucene's "more like this": walk the postings of the top terms within a
    budget of entries (terms found in a large share of papers cost much and say
    little), accumulate dot products, and keep the best ``n`` by approximate cosine.
    """
    acc = [0.0] * index.slots
    budget = WALK_BUDGET
    for term in sorted(profile, key=profile.__getitem__, reverse=True)[:QUERY_TERMS]:
        entries = index.postings[term]
        # The heaviest term is always walked, so there are candidates however large.
        if budget < WALK_BUDGET and (len(entries) > budget or len(entries) > WALK_BUDGET // 4):
            continue
        budget -= len(entries)
        table = [profile[term] * idf[term] * w for w in TFW]
        for entry in entries:
            acc[entry >> 8] += table[entry & 255]
    norms, rids = index.norms, index.rid_of
    hits = (
        (a / norms[slot], slot)
        for slot, a in enumerate(acc)
        if a > 0.0 and norms[slot] > 0.0 and rids(slot) not in skip
    )
    return [slot for _, slot in heapq.nlargest(n, hits)]


def exact_vectors(
    index: TermIndex, slots: list[int], profile: dict[int, float], idf: dict[int, float]
) -> dict[int, dict[int, float]]:
    """Each candidate's tf-idf weights on the profile's terms.

    Per term, whichever is cheaper: walk its postings once, picking the candidates'
    entries, or look each candidate up (a bisect, resumed from the previous one since
    the candidates are taken in order). Rare terms are walked, common ones bisected.
    """
    out: dict[int, dict[int, float]] = {slot: {} for slot in slots}
    ordered = sorted(slots)
    for term in profile:
        entries, weight = index.postings[term], idf[term]
        if len(entries) <= WALK_FACTOR * len(ordered):
            for entry in entries:
                mine = out.get(entry >> 8)
                if mine is not None:
                    mine[term] = TFW[entry & 255] * weight
            continue
        i, end = 0, len(entries)
        for slot in ordered:
            i = bisect_left(entries, slot << 8, i)
            if i == end:
                break
            if entries[i] >> 8 == slot:
                out[slot][term] = TFW[entries[i] & 255] * weight
    return out
