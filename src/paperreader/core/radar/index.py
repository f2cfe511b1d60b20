"""An incremental inverted index of paper terms for taste ranking (pure Python, compact).

Terms are words and adjacent-word bigrams (see :mod:`terms`). The vocabulary is
capped and admission is by document frequency: a word or bigram becomes a term once
``min_df`` (``bigram_min_df``) papers have contained it; the first few papers with it
simply lack it, much as terms under ``min_df`` are absent in scikit-learn. Bigrams
are counted only in titles and keywords: those are the phrases authors chose
("reward models", "long context"). Abstract pairs are mostly accidents of wording;
admitting them doubled the index, and even counting the known ones there cost a
quarter of the build, for no measurable gain in ranking. Bigrams may take at most
half of the vocabulary so new words can always get in. Counts of not-yet-admitted
candidates are kept in bounded tables (lossy counting).

Each term's postings are one ``array('I')`` of ``doc << 8 | tf`` (tf capped at 255),
in ascending paper order, so a lookup is a bisect and a walk is one tight loop.
Documents get dense internal numbers; ``rid`` is the caller's id. Replacing or
removing a paper leaves a dead entry that walks skip; :meth:`compact` drops them.
Paper norms use the idf known when they were added; :meth:`reweigh` refreshes them
and runs by itself each time the index doubles, so the cost stays linear (a build
from empty skips the per-paper sums and weighs once at the end).
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from itertools import chain, pairwise
from typing import Any, NamedTuple

from paperreader.core.radar.terms import BREAK, OOV, Lexicon

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
        self.names: list[str] = []
        self.postings: list[array[int]] = []
        self.norms: array[float] = array("d")
        self._idf2: list[float] = []
        self._words: dict[str, int] = {}
        self.lexicon = Lexicon(self._words)
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

    def rids(self) -> Collection[int]:
        """The caller's ids of every indexed paper (a live view: copy before removing)."""
        return self._slot.keys()

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
        """Term id -> frequency in ``doc``; ``admit`` counts unknown words towards entry.

        The title counts twice, the abstract and each keyword once; bigrams never cross
        from one of these to the next, nor over a stopword. The per-word work is done
        in C (``map``, ``Counter``, ``pairwise``); Python loops only over words not yet
        in the vocabulary and over the few bigrams.
        """
        # One text for all keywords, joined by a stopword so no bigram spans two.
        if isinstance(doc.keywords, str):
            keywords = _KEYWORD_SEP.sub(" and ", doc.keywords)
        else:
            keywords = " and ".join(doc.keywords)
        lex = self.lexicon
        title, t_raw = lex.term_ids(doc.title or "")
        abstract, a_raw = lex.term_ids(doc.abstract or "")
        phrases, k_raw = lex.term_ids(keywords)
        room = len(self.names) < self.max_terms
        if admit and room and (OOV in title or OOV in abstract or OOV in phrases):
            new = lex.outside(title, t_raw) | lex.outside(abstract, a_raw)
            for word in sorted(new | lex.outside(phrases, k_raw)):
                self._admit_word(word)
            title, abstract, phrases = map(lex.remap, (t_raw, a_raw, k_raw))
        out = Counter(chain(title, title, abstract, phrases))
        out.pop(OOV, None)
        out.pop(BREAK, None)
        # Bigrams only from the phrases authors chose: counting them in abstracts too
        # cost a quarter of the build for no measurable gain in ranking (keywords
        # already name an abstract's phrases).
        pairs = Counter(chain(pairwise(title), pairwise(title), pairwise(phrases)))
        known = self._pairs
        room = room and len(known) < self.max_terms // 2
        # set.difference with a dict walks the (small) set; dict views would walk `known`.
        fresh = sorted(set(pairs).difference(known)) if admit and room else []
        for key in sorted(pairs.keys() & known.keys()):
            out[known[key]] = pairs[key]
        for key in fresh:
            if key[0] >= 0 and key[1] >= 0 and key[0] != key[1]:  # "model model": no
                term = self._admit_pair(key)
                if term is not None:
                    out[term] = pairs[key]
        return out

    def _admit_word(self, word: str) -> None:
        pending = self._pending_words
        seen = pending.pop(word, 0) + 1
        if seen >= self.min_df and len(self.names) < self.max_terms:
            term = self._words[word] = self._new_term(word)
            self.lexicon.admitted(word, term)
            return
        pending[word] = seen
        if len(pending) > _PENDING_CAP:
            self._pending_words = _thin(pending)

    def _admit_pair(self, key: Pair) -> int | None:
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
        # Its idf as a term of one paper; the norms are refreshed as the index grows.
        n = len(self._rids) + 1
        self._idf2.append(math.log(1.0 + (n - 0.5) / 1.5) ** 2)
        return len(self.names) - 1

    # -- updates ---------------------------------------------------------------------

    def add(self, docs: Iterable[Doc | tuple[Any, ...]]) -> int:
        """Index (or re-index, replacing) ``docs``; returns how many were added."""
        added = 0
        rids, slot_of, norms, postings = self._rids, self._slot, self.norms, self.postings
        # An empty index is reweighed at the end anyway: its norms need not be summed.
        weigh = bool(rids)
        for row in docs:
            doc = row if isinstance(row, Doc) else Doc(*row)
            self._drop(doc.rid)
            vector = self.counts(doc, admit=True)
            slot = len(rids)
            rids.append(doc.rid)
            slot_of[doc.rid] = slot
            base, idf2, total = slot << 8, self._idf2, 0.0
            for term, tf in vector.items():
                if tf > 255:
                    tf = 255
                postings[term].append(base | tf)
                if weigh:
                    total += _TFW2[tf] * idf2[term]
            norms.append(math.sqrt(total))
            added += 1
        if self._dead > max(1000, len(self._rids) // 4):
            self.compact()
        elif not weigh or len(self._rids) >= 2 * self._weighed_at:
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
