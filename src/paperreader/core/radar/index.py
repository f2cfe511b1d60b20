"""An incremental inverted index of paper terms for taste ranking (pure Python, compact).

Terms are words and adjacent-word bigrams (see :mod:`terms`). The vocabulary is
capped and admission is by document frequency: a word or bigram becomes a term once
``min_df`` (``bigram_min_df``) papers have contained it; the first few papers with it
simply lack it, much as terms under ``min_df`` are absent in scikit-learn. A bigram
is only a candidate when it occurs in a title or keyword: those are the phrases
authors chose ("reward models", "long context"); once admitted it is counted in
abstracts too. Abstract-only pairs are mostly accidents of wording, and admitting
them doubled the index for no gain in ranking. Bigrams may take at most half of the
vocabulary so new words can always get in. Counts of not-yet-admitted candidates
are kept in bounded tables (lossy counting).

Each term's postings are one ``array('I')`` of ``doc << 8 | tf`` (tf capped at 255),
in ascending paper order, so a lookup is a bisect and a walk is one tight loop.
Documents get dense internal numbers; ``rid`` is the caller's id. Replacing or
removing a paper leaves a dead entry that walks skip; :meth:`compact` drops them.
Paper norms use the idf known when they were added; :meth:`reweigh` refreshes them
and runs by itself each time the index doubles, so the cost stays linear.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain, pairwise, repeat
from typing import Any, NamedTuple

from paperreader.core.radar.terms import ABSTRACT, Analyzer

#: Sublinear term frequency, 1 + ln(tf), by tf (capped at 255).
TFW = [0.0] + [1.0 + math.log(tf) for tf in range(1, 256)]
_TFW2 = [w * w for w in TFW]
_PENDING_CAP = 200_000
_KEYWORD_SEP = re.compile(r"[,;\n]")

Pair = tuple[int, int]


class Doc(NamedTuple):
    """A paper's text as the ranker needs it: caller's row id, paper id, text fields.

    ``keywords`` is a sequence or one string separated by commas (the store's column).
    Any tuple of these fields in this order is accepted where a ``Doc`` is.
    """

    rid: int
    id: str
    title: str
    abstract: str = ""
    keywords: Sequence[str] | str = ()


class TermIndex:
    """Postings, norms and document frequencies of every indexed paper.

    Not thread-safe: build and query it from one worker (or guard it with a lock).
    """

    def __init__(self, *, max_terms: int = 1 << 16, min_df: int = 2, bigram_min_df: int = 4):
        self.max_terms = max(2, max_terms)
        self.min_df = max(1, min_df)
        self.bigram_min_df = max(1, bigram_min_df)
        self.analyzer = Analyzer()
        self.names: list[str] = []
        self.postings: list[array[int]] = []
        self.norms: array[float] = array("d")
        self._idf2: list[float] = []
        self._words: dict[str, int] = {}
        self._pairs: dict[Pair, int] = {}
        self._pending_words: dict[str, int] = {}
        self._pending_pairs: dict[Pair, int] = {}
        self._rids: array[int] = array("q")
        self._slot: dict[int, int] = {}
        self._dead = 0
        self._weighed_at = 0

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, rid: object) -> bool:
        return rid in self._slot

    @property
    def slots(self) -> int:
        """Internal paper numbers in use, dead ones included (the idf's N)."""
        return len(self._rids)

    def rid_of(self, slot: int) -> int:
        """The caller's id of internal paper ``slot`` (-1 once removed)."""
        return self._rids[slot]

    def slot_of(self, rid: int) -> int | None:
        """The internal number of ``rid``, or None if it is not indexed."""
        return self._slot.get(rid)

    def idf(self, term: int) -> float:
        """BM25's idf: near zero for a term in every paper, never negative.

        scikit-learn's smoothed idf adds 1, which keeps words found everywhere at full
        weight; across hundreds of such words their noise drowns the topical terms.
        """
        df = len(self.postings[term])
        return math.log(1.0 + (len(self._rids) - df + 0.5) / (df + 0.5))

    # -- analysis --------------------------------------------------------------------

    def counts(self, doc: Doc, *, admit: bool = False) -> dict[int, int]:
        """Term id -> frequency in ``doc``; ``admit`` counts unknown words towards entry."""
        keywords = (
            _KEYWORD_SEP.split(doc.keywords) if isinstance(doc.keywords, str) else doc.keywords
        )
        runs = self.analyzer.fields(doc.title or "", doc.abstract or "", keywords)
        words = self._words
        if admit and len(self.names) < self.max_terms:
            for word in set(chain.from_iterable(runs)).difference(words):
                self._admit_word(word)
        # -1 marks a word outside the vocabulary; it breaks bigrams like a stopword would.
        ids = [list(map(words.get, run, repeat(-1))) for run in runs]
        out: dict[int, int] = Counter(chain.from_iterable(ids))
        out.pop(-1, None)
        pairs = Counter(chain.from_iterable(map(pairwise, ids)))
        known = self._pairs
        phrases: set[Pair] = set()
        if admit and len(known) < self.max_terms // 2 and len(self.names) < self.max_terms:
            phrases.update(*(pairwise(r) for i, r in enumerate(ids) if i != ABSTRACT))
            phrases.difference_update(known)
        for key, n in pairs.items():
            term = known.get(key)
            if term is not None:
                out[term] = n
            elif key in phrases and key[0] >= 0 and key[1] >= 0:
                term = self._admit_pair(key)
                if term is not None:
                    out[term] = n
        return out

    def _admit_word(self, word: str) -> None:
        pending = self._pending_words
        seen = pending.pop(word, 0) + 1
        if seen >= self.min_df and len(self.names) < self.max_terms:
            self._words[word] = self._new_term(word)
            return
        pending[word] = seen
        if len(pending) > _PENDING_CAP:
            self._pending_words = _thin(pending)

    def _admit_pair(self, key: Pair) -> int | None:
        if key[0] == key[1]:
            return None  # "model model" says nothing "model" does not
        pending = self._pending_pairs
        seen = pending.pop(key, 0) + 1
        if seen >= self.bigram_min_df and len(self.names) < self.max_terms:
            name = f"{self.names[key[0]]} {self.names[key[1]]}"
            term = self._pairs[key] = self._new_term(name)
            return term
        pending[key] = seen
        if len(pending) > _PENDING_CAP:
            self._pending_pairs = _thin(pending)
        return None

    def _new_term(self, name: str) -> int:
        self.names.append(name)
        self.postings.append(array("I"))
        self._idf2.append(0.0)  # set when the first paper with it is added
        return len(self.names) - 1

    # -- updates ---------------------------------------------------------------------

    def add(self, docs: Iterable[Doc | tuple[Any, ...]]) -> int:
        """Index (or re-index, replacing) ``docs``; returns how many were added."""
        added = 0
        postings, idf2, norms = self.postings, self._idf2, self.norms
        for row in docs:
            doc = row if isinstance(row, Doc) else Doc(*row)
            self._drop(doc.rid)
            vector = self.counts(doc, admit=True)
            slot = len(self._rids)
            self._rids.append(doc.rid)
            self._slot[doc.rid] = slot
            total = 0.0
            for term, tf in vector.items():
                tf = tf if tf < 256 else 255
                postings[term].append(slot << 8 | tf)
                w2 = idf2[term]
                if not w2:
                    w2 = idf2[term] = self.idf(term) ** 2
                total += _TFW2[tf] * w2
            norms.append(math.sqrt(total))
            added += 1
        if self._dead > max(1000, len(self._rids) // 4):
            self.compact()
        elif len(self._rids) >= 2 * self._weighed_at:
            self.reweigh()
        return added

    def remove(self, rids: Iterable[int]) -> int:
        """Forget ``rids``; returns how many of them were indexed."""
        gone = sum(self._drop(rid) for rid in rids)
        if self._dead > max(1000, len(self._rids) // 4):
            self.compact()
        return gone

    def _drop(self, rid: int) -> bool:
        slot = self._slot.pop(rid, None)
        if slot is None:
            return False
        self._rids[slot] = -1
        self.norms[slot] = 0.0
        self._dead += 1
        return True

    def reweigh(self) -> None:
        """Recompute every paper's norm with today's idf (one walk over all postings)."""
        squares = [0.0] * len(self._rids)
        self._idf2 = [self.idf(t) ** 2 for t in range(len(self.names))]
        for entries, w2 in zip(self.postings, self._idf2, strict=True):
            table = [w2 * x for x in _TFW2]
            for entry in entries:
                squares[entry >> 8] += table[entry & 255]
        self.norms = array("d", map(math.sqrt, squares))
        for slot, rid in enumerate(self._rids):
            if rid < 0:
                self.norms[slot] = 0.0
        self._weighed_at = len(self._rids)

    def compact(self) -> None:
        """Drop removed papers from the postings and renumber the live ones."""
        renumber = array("q", [-1]) * len(self._rids)
        rids: array[int] = array("q")
        for slot, rid in enumerate(self._rids):
            if rid >= 0:
                renumber[slot] = len(rids) << 8
                rids.append(rid)
        self.postings = [
            array("I", [renumber[e >> 8] | e & 255 for e in entries if renumber[e >> 8] >= 0])
            for entries in self.postings
        ]
        self._rids = rids
        self._slot = {rid: slot for slot, rid in enumerate(rids)}
        self._dead = 0
        self.reweigh()


def _thin(pending: dict[Any, int]) -> dict[Any, int]:
    """Forget candidates seen once: lossy counting keeps the pending tables bounded."""
    kept = {k: n for k, n in pending.items() if n > 1}
    return kept if len(kept) < _PENDING_CAP // 2 else {}
