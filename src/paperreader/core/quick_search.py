"""A first screenful of search results while the reader is still typing.

The store's full-text search is exact, ranked and counted, but a one- or two-letter
prefix ("m*") makes SQLite's FTS5 merge thousands of term lists: hundreds of ms at
100,000 papers. Short prefixes match nearly every paper, so the newest matches are
among the newest papers: ``RecentText`` keeps the text of the newest few thousand in
memory and finds the first screenful of newest-first matches by substring tests, in a
few ms, while the real query settles the order and the count a moment later.

Matching follows the store's tokens (words, case and accents folded): every word but
the last must appear whole, the last as a word prefix. The store also stems words
(``models`` finds ``model``), so this can only find fewer papers, except where a
prefix runs past a stem (``runn`` finds "running" here, not in the store) — the
refined list a moment later is the store's answer.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from paperreader.core.models import PaperFilter, PaperRecord
from paperreader.core.store import Store

_WORD = re.compile(r"\w+", re.UNICODE)
#: Newest papers kept in memory (~1.5 KB of text each).
RECENT = 2000
MAX_TOKENS = 16


def fold(text: str) -> str:
    """Lower-case ``text`` and drop accents, as the store's tokenizer does."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The searchable words of ``text`` (folded)."""
    return [w for w in _WORD.findall(fold(text)) if w.strip("_")][:MAX_TOKENS]


def _haystack(record: PaperRecord) -> str:
    p = record.paper
    text = " ".join([p.title, p.summary, " ".join(p.authors), " ".join(p.ai_keywords)])
    return " " + " ".join(_WORD.findall(fold(text))) + " "


@dataclass(frozen=True, slots=True)
class RecentText:
    """The searchable text of the newest papers, newest first, keyed by rid."""

    rids: Sequence[int]
    texts: Sequence[str]
    complete: bool
    """Every paper of the store is here: a short result is the whole result."""
    _all: str = field(init=False, repr=False)
    _starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # One string for all papers: str.find scans it at C speed, where a loop over
        # thousands of papers would cost tens of ms for a rare word.
        starts, at = [], 0
        for text in self.texts:
            starts.append(at)
            at += len(text) + 1
        object.__setattr__(self, "_all", "\n".join(self.texts))
        object.__setattr__(self, "_starts", starts)

    @classmethod
    def load(cls, store: Store, *, newest: int = RECENT) -> RecentText:
        """Read the newest ``newest`` papers of ``store`` (about a second: use a thread)."""
        rids = list(store.query_prefix(PaperFilter(), newest)[0])
        ids = {rid: row.id for rid, row in store.rows(rids).items()}
        records = {r.paper.id: r for r in store.records(PaperFilter(), limit=newest)}
        kept = [(rid, records[ids[rid]]) for rid in rids if ids.get(rid) in records]
        return cls(
            [rid for rid, _ in kept],
            [_haystack(record) for _, record in kept],
            complete=len(rids) < newest,
        )

    def match(self, text: str, limit: int) -> list[int] | None:
        """Rids of the newest papers matching ``text``, at most ``limit``; None if no words."""
        tokens = words(text)
        if not tokens:
            return None
        prefix = not text[-1:].isspace()
        whole = [f" {t} " for t in (tokens[:-1] if prefix else tokens)]
        start = f" {tokens[-1]}" if prefix else None
        needles = whole + ([start] if start else [])
        lead = max(needles, key=len)  # the longest needle is the rarest, most likely
        others = [n for n in needles if n is not lead]
        out: list[int] = []
        pos = self._all.find(lead)
        while pos != -1 and len(out) < limit:
            i = bisect_right(self._starts, pos) - 1
            if all(n in self.texts[i] for n in others):
                out.append(self.rids[i])
            nxt = self._starts[i + 1] if i + 1 < len(self._starts) else len(self._all)
            pos = self._all.find(lead, nxt)
        return out
