"""The full-text engine: parsing HF Markdown to blocks, lazy layout, positions, find."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rich.cells import cell_len

from paperreader.core.fulltext import document as document_module
from paperreader.core.fulltext.blocks import Kind, Position
from paperreader.core.fulltext.chunks import Splitter
from paperreader.core.fulltext.document import Document
from paperreader.core.fulltext.layout import Layout
from paperreader.core.fulltext.paint import DEFAULT_STYLES
from paperreader.core.fulltext.sample_doc import make_paper

SAMPLE = """# 1 Introduction

Plain text with $a_1 * b_2$ math, **bold**, *italic* and `code`.
A [link](https://example.org/page) and ![Figure 1: a cat](https://arxiv.org/x1.png).
It costs $5 and $10 dollars.

$$
\\mathcal{L} = -\\sum_t \\log p(y_t)
$$

## 1.1 Details

> quoted **text**

- first item
- second item
  1. nested one
  2. nested two

| Model | Score | Notes |
|---|---|---|
| Ours | 91.2 | best |
| Base | 80.0 | older |

---

```python
def f(x):
    return x + 1
```

## 1.1 Details
"""


def laid_out(text: str, width: int) -> Layout:
    layout = Layout(Document(text), width)
    layout.ensure_line(1 << 40)
    return layout


def all_text(layout: Layout) -> list[str]:
    return [layout.text(y) for y in range(layout.line_count)]


# -- parsing -----------------------------------------------------------------------------


def test_parse_builds_every_block_kind_in_reading_order() -> None:
    doc = Document(SAMPLE)
    doc.parse_all()
    kinds = [b.kind for b in doc.blocks]
    assert kinds == [
        Kind.HEADING,
        Kind.PARAGRAPH,
        Kind.MATH,
        Kind.HEADING,
        Kind.PARAGRAPH,  # quote
        Kind.PARAGRAPH,
        Kind.PARAGRAPH,
        Kind.PARAGRAPH,
        Kind.PARAGRAPH,
        Kind.TABLE,
        Kind.RULE,
        Kind.CODE,
        Kind.HEADING,
    ]
    assert [b.level for b in doc.blocks if b.kind is Kind.HEADING] == [1, 2, 2]


def test_links_and_figures_show_their_target_and_math_stays_latex_source() -> None:
    doc = Document(SAMPLE)
    para = doc.blocks[1] if doc.ensure(2) else None
    assert para is not None
    assert "A link ⟨https://example.org/page⟩" in para.text
    assert "[figure: Figure 1: a cat] (https://arxiv.org/x1.png)" in para.text
    assert ("$a_1 * b_2$", "math") in para.spans
    assert ("bold", "strong") in para.spans
    assert "$5 and $10 dollars" in para.text  # prices are not math
    assert not any(style == "math" and "5" in text for text, style in para.spans)


def test_in_page_anchors_are_not_spelled_out() -> None:
    doc = Document("As shown in [[12](#bib.bib12)] and [Section 3](#S3).\n")
    assert doc.ensure(1)
    assert doc.blocks[0].text == "As shown in [12] and Section 3."


def test_an_empty_paper_lays_out_to_nothing_without_errors() -> None:
    doc = Document("")
    layout = Layout(doc, 80)
    assert layout.line(0) == [] and layout.line_count == 0
    assert layout.position_of(5) == Position(0, 0) and layout.line_of(Position(3, 3)) == 0
    assert doc.toc() == [] and doc.find("x") == [] and doc.progress(Position(0, 0)) == 100.0
    assert layout.complete and layout.estimated_lines() == 0


def test_core_never_imports_textual() -> None:
    code = (
        "import sys, paperreader.core.fulltext as f, paperreader.core.fulltext.sample_doc\n"
        "f.Layout(f.Document('# x'), 40).line(0)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def test_nesting_becomes_prefixes_on_leaf_blocks() -> None:
    doc = Document(SAMPLE)
    doc.parse_all()
    by_text = {b.text: b for b in doc.blocks}
    assert by_text["quoted text"].lead == "│ "
    assert by_text["first item"].lead == "• "
    assert by_text["nested one"].lead == "  1. "
    assert by_text["nested one"].indent == "     "
    assert by_text["second item"].gap == 0  # a tight list keeps its items together


def test_table_keeps_cells_and_code_keeps_its_lines() -> None:
    doc = Document(SAMPLE)
    doc.parse_all()
    table = next(b for b in doc.blocks if b.kind is Kind.TABLE)
    assert [["".join(t for t, _ in cell) for cell in row] for row in table.rows] == [
        ["Model", "Score", "Notes"],
        ["Ours", "91.2", "best"],
        ["Base", "80.0", "older"],
    ]
    code = next(b for b in doc.blocks if b.kind is Kind.CODE)
    assert code.text == "def f(x):\n    return x + 1"


def test_creating_a_document_parses_nothing_until_asked() -> None:
    doc = Document(make_paper(12_000, seed=1))
    assert doc.parsed_chars == 0 and doc.blocks == []
    doc.ensure(1)
    assert 0 < doc.parsed_chars < doc.source_length


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_parsing_in_chunks_gives_the_same_blocks_as_one_parse(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = make_paper(8_000, seed=seed)
    chunked = Document(text)
    chunked.parse_all()
    monkeypatch.setattr(document_module, "FIRST_CHUNK", 10**9)
    whole = Document(text)
    whole.parse_all()
    assert len(chunked.blocks) > 50
    assert [(b.kind, b.text, b.lead, b.gap) for b in chunked.blocks] == [
        (b.kind, b.text, b.lead, b.gap) for b in whole.blocks
    ]


def test_a_fence_longer_than_a_chunk_stays_code() -> None:
    code = "\n".join(f"line {i}" for i in range(30_000))
    doc = Document(f"intro\n\n```\n{code}\n```\n\nafter\n")
    doc.parse_all()
    kinds = [b.kind for b in doc.blocks]
    assert kinds[0] is Kind.PARAGRAPH and kinds[-1] is Kind.PARAGRAPH
    assert set(kinds[1:-1]) == {Kind.CODE}
    assert "\n".join(b.text for b in doc.blocks[1:-1]) == code


def test_splitter_cuts_at_block_boundaries_only() -> None:
    text = "para one\nstill one\n\n- item\n\n  continued item\n\nnext para\n" * 50
    splitter = Splitter(text)
    cuts = []
    while not splitter.done:
        offset, _chunk = splitter.next(100)
        cuts.append(offset)
    assert len(cuts) > 5
    for offset in cuts[1:]:
        assert text[offset - 2 : offset] == "\n\n" and text[offset] != " "


# -- layout ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [40, 80, 200])
def test_every_line_fits_the_width(width: int) -> None:
    text = SAMPLE + "\n| " + " | ".join(f"column {i} header" for i in range(30)) + " |\n"
    text += "|" + "---|" * 30 + "\n| " + " | ".join("v" * 50 for _ in range(30)) + " |\n"
    layout = laid_out(text + make_paper(2_000, seed=4), width)
    assert layout.line_count > 0
    for y in range(layout.line_count):
        assert cell_len(layout.text(y)) <= width, (y, layout.text(y))


@pytest.mark.parametrize("width", [40, 80, 200])
def test_paragraphs_reflow_to_the_width_without_losing_words(width: int) -> None:
    doc = Document(make_paper(1_500, seed=5))
    layout = Layout(doc, width)
    layout.ensure_line(1 << 40)
    para_index = next(
        i for i, b in enumerate(doc.blocks) if b.kind is Kind.PARAGRAPH and len(b.text) > 400
    )
    first = layout.line_of(Position(para_index, 0))
    last = layout.line_of(Position(para_index + 1, 0))
    lines = [layout.text(y) for y in range(first, last) if layout.text(y)]
    assert " ".join(lines).split() == doc.blocks[para_index].text.split()
    assert len(lines) >= len(doc.blocks[para_index].text) // width
    # reflowed: lines are filled, not cut at arbitrary points
    assert all(cell_len(line) > width // 2 for line in lines[:-1])


def test_code_is_not_reflowed_and_long_code_lines_carry_a_marker() -> None:
    long_line = "x = " + "+".join(["1"] * 60)
    layout = laid_out(f"```\nshort()\n{long_line}\n```\n", 40)
    texts = [t for t in all_text(layout) if t.strip()]
    assert texts[0].strip() == "short()"
    assert texts[1].endswith("↩") and texts[-1].strip()
    assert "".join(t.strip().rstrip("↩") for t in texts[1:]) == long_line


def test_wide_table_wraps_or_cuts_columns_and_the_rest_is_unaffected() -> None:
    many = "| " + " | ".join(f"h{i}" for i in range(40)) + " |\n|" + "---|" * 40 + "\n"
    many += "| " + " | ".join("cell" for _ in range(40)) + " |\n\nAfter the table.\n"
    layout = laid_out(many, 60)
    texts = all_text(layout)
    assert all(cell_len(t) <= 60 for t in texts)
    assert texts[0].rstrip().endswith("›")  # columns were cut, and it says so
    assert "After the table." in texts


def test_table_of_contents_lists_headings_with_unique_anchors() -> None:
    doc = Document(SAMPLE)
    toc = doc.toc()
    assert [(e.level, e.text) for e in toc] == [
        (1, "1 Introduction"),
        (2, "1.1 Details"),
        (2, "1.1 Details"),
    ]
    assert [e.anchor for e in toc] == ["1-introduction", "11-details", "11-details-1"]
    assert all(doc.blocks[e.block].kind is Kind.HEADING for e in toc)


def test_find_returns_hits_that_map_to_lines_showing_them() -> None:
    text = make_paper(6_000, seed=6) + "\nThe ZEBRA crossing.\n\nA zebra\nagain.\n"
    doc = Document(text)
    hits = doc.find("zebra")
    assert len(hits) == 2
    assert doc.find("zebra  again") == doc.find("ZEBRA AGAIN") != []
    layout = Layout(doc, 80)
    for hit in hits:
        assert doc.blocks[hit.block].text[hit.offset : hit.offset + hit.length].lower() == "zebra"
        line = layout.line_of(Position(hit.block, hit.offset))
        assert "zebra" in layout.text(line).lower()
    assert doc.find("   ") == []


def test_find_highlights_matches_on_painted_lines() -> None:
    doc = Document("alpha beta gamma beta\n")
    layout = Layout(doc, 80)
    hit = doc.find("beta")[1]
    layout.set_marks(document_module.search_pattern("beta"), hit)
    segments = [(seg.text, seg.style) for seg in layout.line(0) if seg.text]
    match, current = DEFAULT_STYLES["match"], DEFAULT_STYLES["match.current"]
    assert [text for text, _ in segments] == ["alpha ", "beta", " gamma ", "beta"]
    assert segments[1][1] == match
    assert segments[0][1] != match and segments[2][1] != match
    assert segments[3][1] == match + current


def test_position_survives_a_width_change() -> None:
    doc = Document(make_paper(4_000, seed=7))
    wide, narrow = Layout(doc, 120), Layout(doc, 40)
    wide.ensure_line(1 << 40)
    for y in range(0, wide.line_count, 37):
        pos = wide.position_of(y)
        back = narrow.position_of(narrow.line_of(pos))
        assert back.block == pos.block
        assert back.offset <= pos.offset  # the narrow line starting at or before it
        assert wide.line_of(pos) == y or wide.text(y) == ""  # gap lines map to the text below


def test_progress_runs_from_zero_to_a_hundred() -> None:
    doc = Document(make_paper(3_000, seed=8))
    doc.parse_all()
    values = [doc.progress(Position(i, 0)) for i in range(len(doc.blocks))]
    assert values[0] == 0.0
    assert values == sorted(values)
    assert doc.progress(Position(len(doc.blocks) - 1, 10**9)) == pytest.approx(100.0, abs=0.5)


def test_estimated_lines_become_exact_when_complete() -> None:
    layout = Layout(Document(make_paper(6_000, seed=9)), 100)
    layout.ensure_line(50)
    assert layout.laid_blocks < 100  # far from done
    assert layout.estimated_lines() > layout.line_count
    while layout.extend(50):
        pass
    assert layout.complete and layout.estimated_lines() == layout.line_count


# -- hostile input -----------------------------------------------------------------------


def test_escape_sequences_are_stripped_and_markup_is_shown_literally() -> None:
    text = (
        "# Title \x1b]0;pwned\x07 here\n\n"
        "Red \x1b[31mtext\x1b[0m and [bold red]not markup[/bold red] \u202eevil\u202c.\n"
    )
    layout = laid_out(text, 80)
    segments = [seg for y in range(layout.line_count) for seg in layout.line(y)]
    joined = "".join(s.text for s in segments)
    assert "\x1b" not in joined and "\x07" not in joined and "\u202e" not in joined
    assert "[bold red]not markup[/bold red]" in joined
    assert all(s.style is None or not s.style.color for s in segments if "markup" in s.text)


def test_only_http_links_are_openable_but_all_are_shown() -> None:
    doc = Document(
        "[click](javascript:alert(1)) [file](file:///etc/passwd) [ok](https://arxiv.org/abs/1)\n"
    )
    links = {link.text: link for link in doc.links}
    assert not links["click"].openable and not links["file"].openable
    assert links["ok"].openable
    assert "click ⟨javascript:alert(1)⟩" in doc.blocks[0].text


def test_ten_thousand_headings_lay_out_the_first_screen_with_little_work() -> None:
    text = "".join(f"## Heading {i}\n" for i in range(10_000))
    doc = Document(text)
    layout = Layout(doc, 120)
    first_screen = [layout.text(y) for y in range(40)]
    assert first_screen[0] == "Heading 0"
    assert layout.laid_blocks <= 40
    assert doc.parsed_chars < len(text) // 10
    assert len(doc.toc()) == 10_000


def test_a_five_megabyte_paper_opens_by_parsing_only_its_start() -> None:
    text = make_paper(40_000, seed=10) * 18
    assert len(text) > 5_000_000
    doc = Document(text)
    layout = Layout(doc, 120)
    assert layout.text(0)
    for y in range(40):
        layout.line(y)
    assert layout.laid_blocks < 40
    assert doc.parsed_chars < 50_000


def test_one_five_megabyte_line_is_cut_into_bounded_chunks() -> None:
    doc = Document("word " * 1_000_000)
    layout = Layout(doc, 100)
    assert layout.text(0).startswith("word word")
    assert doc.parsed_chars <= 70_000


def test_deep_nesting_still_leaves_room_for_the_text() -> None:
    quotes = "> " * 300 + "deep quote\n\n"
    lists = "".join("  " * i + "- level\n" for i in range(60)) + "\n"
    layout = laid_out(quotes + lists + "end\n", 60)
    texts = all_text(layout)
    assert all(cell_len(t) <= 60 for t in texts)
    assert any("deep quote" in t for t in texts)
    assert texts[-1] == "end"


def test_bare_addresses_in_references_are_links_and_each_target_is_listed_once() -> None:
    doc = Document(
        "See [data](https://lab.example/data) and [data](https://lab.example/data).\n\n"
        "1. A. Author. A paper. arXiv, 2024. https://arxiv.org/abs/2401.00001.\n"
        "2. Code at (https://github.com/lab/x), and [javascript:alert(1)](https://ok.example/)\n"
    )
    urls = [link.url for link in doc.links]
    assert urls.count("https://lab.example/data") == 1
    assert "https://arxiv.org/abs/2401.00001" in urls  # the sentence's full stop left out
    assert "https://github.com/lab/x" in urls  # the parenthesis left out
    assert "javascript:alert(1)" not in urls  # a label is not a target
