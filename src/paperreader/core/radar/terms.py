"""Turning paper text into index terms: words, light plural folding, stopwords, bigrams.

Pure Python and deterministic. A word is a run of letters and digits (at least two
characters, not all digits); case is folded; a handful of plural endings are removed
so "agents" and "agent" meet. Stopwords are dropped before bigrams are formed, as in
scikit-learn, so "reward of the models" and "reward models" make the same bigram.

Speed matters (a first "For you" analyses every stored abstract): ASCII text, nearly
all of it, is split by one ``bytes.translate`` and ``split`` (four times faster than a
regular expression), and each distinct surface word is analysed once and cached, so
the per-word work is a dictionary lookup done in C by ``map``.
"""

from __future__ import annotations

import re
from itertools import repeat

_WORD = re.compile(r"[^\W_]+")
# ASCII letters and digits kept (lower-cased), every other byte becomes a space.
_ASCII_WORDS = (
    bytes(ord(chr(b).lower()) if chr(b).isalnum() else ord(" ") for b in range(128)) + b" " * 128
)

# English function words plus the boilerplate every abstract repeats; idf would damp
# these anyway, but dropping them keeps bigrams meaningful and posting lists short.
STOPWORDS = frozenset(
    """
    a about above after again against all also although am an and any are as at be
    because been before being below between both but by can could did do does doing
    done down during each either else etc even ever every few for from further had has
    have having he her here hers herself him himself his how however i if in into is it
    its itself just least less like made make makes many may me might more most much must
    my myself neither no nor not now of off often on once one only onto or other others
    otherwise our ours ourselves out over own per perhaps rather same several shall she
    should since so some such than that the their theirs them themselves then there
    thereby therefore these they this those though through thus to too toward towards
    under until up upon us use used uses using via was we well were what whatever when
    where whereas whether which while who whom whose why will with within without would
    yet you your yours yourself yourselves paper propose proposed present presents show
    shows shown demonstrate demonstrates introduce introduces based new novel approach
    work study results result achieve achieves existing recent recently different various
    first second significantly significant furthermore moreover additionally specifically
    respectively including include includes e g ie eg et al
    """.split()  # noqa: SIM905 - a word list reads better as prose
)

_KEEP_S = ("ss", "us", "is", "ys", "ics", "sis")
#: Longer "words" are hashes, URLs run together or hostile padding, never vocabulary.
MAX_WORD = 40


def fold(word: str) -> str:
    """A crude plural fold: "strategies" -> "strategy", "agents" -> "agent"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Lower-cased runs of letters and digits in ``text`` (any length, stopwords kept)."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split()
    return _WORD.findall(text.casefold())


def analyse(raw: str) -> str:
    """The index word for the token ``raw``, or "" if it is not one (see :class:`Analyzer`)."""
    if len(raw) < 2 or len(raw) > MAX_WORD or raw in STOPWORDS or raw.isdigit():
        return ""
    word = fold(raw)
    return "" if word in STOPWORDS else word


class Analyzer:
    """Caches the word -> term mapping, which is the costly part of analysis."""

    __slots__ = ("_cache",)

    #: Distinct surface words remembered before the cache is reset (bounds memory).
    CACHE_SIZE = 400_000

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def words(self, text: str) -> list[str]:
        """The index words of ``text`` in order; stopwords, numbers and runaway tokens removed."""
        cache = self._cache
        if len(cache) > self.CACHE_SIZE:
            cache.clear()
        raw = tokens(text)
        out: list[str | None] = list(map(cache.get, raw))
        if None in out:  # a scan in C; misses are rare once the common words are cached
            for i, word in enumerate(out):
                if word is None:
                    out[i] = cache[raw[i]] = analyse(raw[i])
        return list(filter(None, out))


#: The term id of a stopword or non-word: it breaks bigrams and is not counted.
BREAK = -2
#: The term id of a word outside the vocabulary (not admitted yet, or no room).
OOV = -1


class Lexicon:
    """Maps tokens straight to term ids, analysing each surface form once.

    The index's hot path: :meth:`term_ids` is one split and one ``map`` in C. ``terms``
    is the index's live word -> term dict; :meth:`admitted` tells the lexicon when a
    word joins it, and :meth:`outside` names the words of a text still outside it.
    """

    __slots__ = ("_forms", "_oov", "_term", "_terms")

    #: Distinct surface words remembered before the caches are reset (bounds memory).
    CACHE_SIZE = 400_000

    def __init__(self, terms: dict[str, int]) -> None:
        self._terms = terms
        self.reset()

    def reset(self) -> None:
        """Forget every cached analysis (the vocabulary itself lives in ``terms``)."""
        self._term: dict[str, int] = {}
        """Surface token -> term id, ``OOV`` or ``BREAK``."""
        self._oov: dict[str, str] = {}
        """Surface token -> its word, for words outside the vocabulary."""
        self._forms: dict[str, list[str]] = {}
        """Word outside the vocabulary -> its surface tokens seen so far."""

    def term_ids(self, text: str) -> tuple[list[int], list[str]]:
        """The term id of every token of ``text`` in order, and the tokens themselves."""
        if len(self._term) > self.CACHE_SIZE:
            self.reset()
        raw = tokens(text)
        ids = list(map(self._term.get, raw, repeat(_MISSING)))
        if _MISSING in ids:  # a scan in C; misses are rare once the common words are known
            for i, term in enumerate(ids):
                if term == _MISSING:
                    ids[i] = self._learn(raw[i])
        return ids, raw

    def remap(self, raw: list[str]) -> list[int]:
        """Term ids of tokens already seen by :meth:`term_ids` (after admissions)."""
        return list(map(self._term.__getitem__, raw))

    def _learn(self, raw: str) -> int:
        if raw in self._term:  # the same new token twice in one text
            return self._term[raw]
        word = analyse(raw)
        term = self._terms.get(word, OOV) if word else BREAK
        self._term[raw] = term
        if term == OOV:
            self._oov[raw] = word
            self._forms.setdefault(word, []).append(raw)
        return term

    def outside(self, ids: list[int], raw: list[str]) -> set[str]:
        """Words of a :meth:`term_ids` result that are outside the vocabulary."""
        oov = self._oov
        return {oov[r] for t, r in zip(ids, raw, strict=True) if t == OOV}

    def admitted(self, word: str, term: int) -> None:
        """``word`` is now term ``term``."""
        for raw in self._forms.pop(word, ()):
            self._term[raw] = term
            del self._oov[raw]


_MISSING = -3
