"""Turning paper text into index terms: words, light plural folding, stopwords, bigrams.

Pure Python and deterministic. A word is a run of letters and digits (at least two
characters, not all digits); case is folded; a handful of plural endings are removed
so "agents" and "agent" meet. Stopwords are dropped before bigrams are formed, as in
scikit-learn, so "reward of models" does not make a bigram but "reward models" does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[^\W_]{2,}")

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
#: Position of the abstract among :meth:`Analyzer.fields`' runs.
ABSTRACT = 2


def fold(word: str) -> str:
    """A crude plural fold: "strategies" -> "strategy", "agents" -> "agent"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


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
        out: list[str] = []
        for raw in _WORD.findall(text.casefold()):
            word = cache.get(raw)
            if word is None:
                drop = raw in STOPWORDS or raw.isdigit() or len(raw) > MAX_WORD
                word = "" if drop else fold(raw)
                if word in STOPWORDS:
                    word = ""
                cache[raw] = word
            if word:
                out.append(word)
        return out

    def fields(self, title: str, abstract: str, keywords: Iterable[str]) -> list[list[str]]:
        """Word runs: the title twice, the abstract (at ``ABSTRACT``), each keyword.

        The title counts double because it is what authors chose to say first; bigrams
        never cross from one run to the next.
        """
        head = self.words(title)
        runs = [head, head, self.words(abstract)]
        runs.extend(self.words(k) for k in keywords)
        return runs
