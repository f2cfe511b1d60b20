"""A deterministic generator of long, realistic-looking papers in HF's Markdown shape.

Tests and benchmarks need papers of a chosen length without the network. The text
is invented, but the structure follows what ``/papers/{id}.md`` returns for arXiv
HTML: numbered ``##``/``###`` sections, long paragraphs with inline LaTeX and
citations, display math, pipe tables, lists, figures as image links and a
numbered reference list with URLs.
"""

from __future__ import annotations

import random


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SYLLABLES = _words(
    "ka lo ri ta ne mo sa vi de lu pra to gen en ar is ul ex form ent ion al ic ous "
    "trans la tent dif fu sion mod el rea son ing ro bot ic vi sion lan guage gra "
    "dient"
)
_COMMON = _words(
    "the of and to in we a is that for with on as by this our are from be an which it "
    "model method results show data training performance task using approach each can"
)
_MATH = (
    r"\mathcal{L}(\theta)",
    r"x_i \in \mathbb{R}^d",
    r"\alpha = 0.1",
    r"p_\theta(y \mid x)",
    r"\sum_{i=1}^{N} w_i",
    r"O(n \log n)",
    r"\|W\|_2 \le 1",
    r"\hat{y}_t",
)
_DISPLAY = (
    r"\mathcal{L}(\theta) = -\sum_{t=1}^{T} \log p_\theta(y_t \mid y_{<t}, x)",
    r"\mathrm{Attn}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right) V",
    r"\nabla_\theta J = \mathbb{E}_{\tau \sim \pi_\theta}\left[\sum_t A_t "
    r"\nabla_\theta \log \pi_\theta(a_t \mid s_t)\right]",
)
_SECTIONS = _words(
    "Introduction Related Work Method Background Experiments Results Analysis "
    "Ablations Discussion Limitations Evaluation Setup Datasets Architecture Training "
    "Inference"
)


class _Writer:
    """Keeps the random stream and the running word count for one paper."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        vocab = {
            "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(1, 3)))
            for _ in range(3000)
        }
        self.vocab = sorted(vocab)
        self.words = 0

    def word(self) -> str:
        self.words += 1
        if self.rng.random() < 0.45:
            return self.rng.choice(_COMMON)
        return self.rng.choice(self.vocab)

    def sentence(self) -> str:
        rng = self.rng
        parts = [self.word() for _ in range(rng.randint(8, 24))]
        roll = rng.random()
        if roll < 0.18:
            parts.insert(rng.randrange(len(parts)), f"${rng.choice(_MATH)}$")
        elif roll < 0.28:
            parts.insert(rng.randrange(len(parts)), f"**{self.word()}**")
        elif roll < 0.34:
            parts.insert(rng.randrange(len(parts)), f"*{self.word()} {self.word()}*")
        elif roll < 0.37:
            name = self.word()
            parts.insert(rng.randrange(len(parts)), f"[{name}](https://github.com/lab/{name})")
        if rng.random() < 0.3:
            parts.append(f"[{rng.randint(1, 60)}]")
        text = " ".join(parts)
        return text[0].upper() + text[1:] + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 8)))

    def table(self, number: int) -> str:
        rng = self.rng
        cols = rng.randint(3, 7)
        head = ["Method", *(self.word().title() for _ in range(cols - 1))]
        lines = [
            f"Table {number}: {self.sentence()}",
            "",
            "| " + " | ".join(head) + " |",
            "|" + "---|" * cols,
        ]
        for _ in range(rng.randint(4, 10)):
            cells = [self.word().title()] + [f"{rng.uniform(0, 100):.1f}" for _ in range(cols - 1)]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def items(self, ordered: bool) -> str:
        out = []
        for n in range(1, self.rng.randint(3, 6)):
            mark = f"{n}." if ordered else "-"
            out.append(f"{mark} {self.sentence()}")
            if self.rng.random() < 0.25:
                out.append(f"   - {self.sentence()}")
        return "\n".join(out)

    def figure(self, number: int, paper_id: str) -> str:
        caption = f"Figure {number}: {self.sentence()}"
        return f"![{caption}](https://arxiv.org/html/{paper_id}v1/x{number}.png)"

    def display(self) -> str:
        return f"$$\n{self.rng.choice(_DISPLAY)}\n$$"


def make_paper(words: int = 12_000, seed: int = 0) -> str:
    """Return a Markdown paper of about ``words`` words; the same seed gives the same text.

    Section, table and figure counts scale with length (about one section per
    400 words and one table per 2,000), like the papers measured in the notes.
    """
    w = _Writer(seed)
    rng = w.rng
    paper_id = f"2609.{seed % 100_000:05d}"
    title = " ".join(w.word().title() for _ in range(rng.randint(5, 10)))
    authors = ", ".join(f"{w.word().title()} {w.word().title()}" for _ in range(rng.randint(3, 8)))
    out = [f"# {title}", "", authors, "", "## Abstract", "", w.paragraph()]
    budget_refs = max(10, words // 400)
    body_words = words - budget_refs * 22
    section = figures = tables = 0
    while w.words < body_words:
        section += 1
        out += ["", f"## {section} {rng.choice(_SECTIONS)}", ""]
        sub = 0
        section_end = w.words + 400
        while w.words < min(section_end, body_words):
            roll = rng.random()
            if roll < 0.08 and section % 2 == 1:
                sub += 1
                out += [f"### {section}.{sub} {w.word().title()} {w.word()}", ""]
            if roll < 0.06:
                out += [w.display(), ""]
            elif roll < 0.10:
                out += [w.items(ordered=rng.random() < 0.4), ""]
            elif roll < 0.12:
                figures += 1
                out += [w.figure(figures, paper_id), ""]
            elif roll < 0.16 and tables * 2000 < w.words:
                tables += 1
                out += [w.table(tables), ""]
            out += [w.paragraph(), ""]
    out += ["", "## References", ""]
    for n in range(1, budget_refs + 1):
        names = ", ".join(f"{w.word().title()} {w.word().title()[0]}." for _ in range(3))
        year = rng.randint(1995, 2026)
        ref = f"{n}. {names} {w.sentence()} *arXiv preprint*, {year}."
        out.append(ref + f" https://arxiv.org/abs/{year % 100:02d}{rng.randint(1, 12):02d}.{n:05d}")
    return "\n".join(out) + "\n"
