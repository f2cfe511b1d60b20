"""The last word of a search, spelled out as the words of the index it begins.

Search as you type makes the last word a prefix ("model" also finds "modelnet"). FTS5
answers a prefix by merging the doclists of every index word it begins into one list in
memory before the first row comes back, while a whole word is read lazily, newest first,
and stops at the rows asked for. At 100,000 papers ``"model"*`` costs ~20 ms where
``"model"`` costs ~8 (bm25 included), for the same papers. So a prefix that begins few
index words is rewritten as those words::

    "model"*   ->   ("model" OR "modelnet")

The rewrite matches exactly the papers the prefix does. The tokenizer stems a prefix too
("training"* asks for the words "train" begins), so the words are those the typed word's
stem begins, and the typed word itself, quoted, stands for its stem. A quoted word is
stemmed again, and 3% of the index's own words are not left alone by a second stemming
("diffus" becomes "diffu"): such a word keeps its ``*``, which asks for every word its
stem begins. That is exact only when the stem still begins the word and lies inside the
prefix's range; otherwise nothing is rewritten.

The papers are the same, but a best-match order is not: bm25 weighs each word of an OR
by its own rarity, and a prefix as one phrase. A search ranked by bm25 is therefore
rewritten only when its prefix begins one index word, which is the common case of a word
typed in full ("model", "training"); other sorts take every rewrite.

Three-letter prefixes are read from the index's own prefix table (migration m006), and
shorter ones begin too many words; both are left as they are, as is a prefix that
begins more than ``MAX_WORDS`` words.
"""

from __future__ import annotations

import re
import sqlite3
import threading

#: Longer index words a prefix may begin and still be rewritten as them.
MAX_WORDS = 24
#: The shortest prefix rewritten (shorter ones have the prefix table, or too many words).
MIN_LETTERS = 4
_LAST = re.compile(r'^(?P<head>.*?)"(?P<word>[0-9a-z]+)"\*$', re.IGNORECASE)
_VOCAB = "temp.papers_fts_words"


def prepare(conn: sqlite3.Connection) -> None:
    """Give ``conn`` the view of the index's words (once, before any query runs on it:
    a schema change while another statement is stepping would fail)."""
    try:
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {_VOCAB} USING fts5vocab(main, papers_fts, 'row')"
        )
    except sqlite3.Error:
        pass  # searches go unrewritten; the store's own queries say what is wrong


def spelled_out(conn: sqlite3.Connection, fts: str | None, *, ranked: bool) -> str | None:
    """``fts`` (a MATCH from ``query.fts_query``) with its prefix spelled out as words.

    Returns ``fts`` unchanged when the rewrite would not be exact or not be cheaper. A
    ``ranked`` search (bm25) is rewritten only when the prefix begins one word: bm25
    weighs each word of an OR by its own rarity where it weighs a prefix as one phrase,
    so a paper using a rare variant would climb the best-match order.
    """
    if fts is None:
        return None
    found = _LAST.match(fts)
    if found is None:
        return fts
    typed = found["word"].lower()  # as the tokenizer folds it
    stem = stemmed([typed])[0]
    if len(stem) < MIN_LETTERS:
        return fts
    try:
        # Ranked, one longer word is enough to say no (each one listed costs a count of
        # its papers).
        longer = _longer_words(conn, stem, 0 if ranked else MAX_WORDS)
    except sqlite3.Error:
        return fts  # the query itself will say what is wrong with the store
    if longer is None:
        return fts
    # ``"t"*`` matches the words that t's stem begins: exact only if that stem still
    # begins t and lies inside the prefix's own range.
    starred: dict[str, str] = {}
    for word, word_stem in zip(longer, stemmed(longer), strict=True):
        if word_stem != word:
            if word_stem == stem or not (word_stem.startswith(stem) and word.startswith(word_stem)):
                return fts  # not exact, or no cheaper than the prefix itself
            starred[word] = word_stem
    spelled = [f'"{typed}"']  # quoted, the tokenizer turns it into ``stem`` again
    covered: list[str] = []  # stems whose ``*`` is already asked for
    for word in longer:
        if any(word.startswith(c) for c in covered):
            continue
        if word in starred:
            covered.append(starred[word])
            spelled.append(f'"{word}"*')
        else:
            spelled.append(f'"{word}"')
    words = spelled[0] if len(spelled) == 1 else f"({' OR '.join(spelled)})"
    head = found["head"].strip()
    return f"{head} AND {words}" if head else words


def _longer_words(conn: sqlite3.Connection, prefix: str, most: int) -> list[str] | None:
    """The index words longer than ``prefix`` that begin with it (None: over ``most``)."""
    # Every longer word sorts at or after prefix + "0": tokens hold letters and digits
    # (and non-ASCII characters, which sort after both). Asking from the prefix itself
    # would make FTS5 count the prefix's own (possibly huge) doclist first.
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    rows = conn.execute(
        f"SELECT term FROM {_VOCAB} WHERE term >= ? AND term < ? LIMIT ?",
        [prefix + "0", upper, most + 1],
    ).fetchall()
    if len(rows) > most:
        return None
    return [r[0] for r in rows if r[0].startswith(prefix)]


_stems: dict[str, str] = {}
_lock = threading.Lock()
_stemmer: sqlite3.Connection | None = None


def stemmed(words: list[str]) -> list[str]:
    """What the index's tokenizer makes of each of ``words`` ("" if not one token)."""
    with _lock:  # searches run in threads; the cache may be cleared by another
        missing = [w for w in dict.fromkeys(words) if w not in _stems]
        if missing:
            if len(_stems) > 50_000:  # a long session's worth of typed words
                _stems.clear()
            _stems.update(_stem(missing))
        return [_stems[w] for w in words]


def _stem(words: list[str]) -> dict[str, str]:
    # The tokenizer is SQLite's own (porter over unicode61): ask a private in-memory
    # index, one row per word, rather than re-implement it.
    global _stemmer
    if _stemmer is None:
        _stemmer = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        _stemmer.execute(
            "CREATE VIRTUAL TABLE w USING fts5(x, tokenize='porter unicode61 remove_diacritics 2')"
        )
        _stemmer.execute("CREATE VIRTUAL TABLE wv USING fts5vocab(w, 'instance')")
    _stemmer.execute("DELETE FROM w")
    _stemmer.executemany("INSERT INTO w (rowid, x) VALUES (?, ?)", enumerate(words))
    tokens: dict[int, list[str]] = {}
    for doc, term in _stemmer.execute("SELECT doc, term FROM wv"):
        tokens.setdefault(doc, []).append(term)
    return {w: (t[0] if len(t := tokens.get(i, [])) == 1 else "") for i, w in enumerate(words)}
