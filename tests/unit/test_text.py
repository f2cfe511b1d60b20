"""Cleaning untrusted text and URLs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperreader.core import text

ESC = "\x1b"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Title\x1b]2;PWNED\x1b\\ here", "Title]2;PWNED\\ here"),
        ("clip\x1b]52;c;ZXZpbA==\x07board", "clip]52;c;ZXZpbA==board"),
        ("clear\x1b[2J\x1b[Hscreen", "clear[2J[Hscreen"),
        ("c1\x9b31mred\x9d", "c131mred"),
        ("bidi\u202eevil\u202c ok", "bidievil ok"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("[bold]markup[/] stays", "[bold]markup[/] stays"),
    ],
)
def test_clean_removes_control_sequences_keeps_visible_text(raw: str, expected: str) -> None:
    assert text.clean(raw) == expected


def test_clean_caps_hostile_lengths() -> None:
    huge = "word " * 40_000
    assert len(text.clean(huge)) == text.MAX_FIELD
    assert text.clean(huge).endswith("…")


def test_reflow_joins_hard_breaks_and_keeps_paragraphs() -> None:
    raw = "We describe an invented\nbenchmark that\n  must be folded.\n\nSecond   paragraph\nhere."
    assert text.reflow(raw) == (
        "We describe an invented benchmark that must be folded.\n\nSecond paragraph here."
    )


def test_one_line_collapses_newlines_and_tabs() -> None:
    assert text.one_line("a\n\tb\u2028c  ") == "a b c"


@given(st.text())
@settings(max_examples=500)
def test_clean_never_leaves_escape_or_c1(s: str) -> None:
    out = text.clean(s)
    assert ESC not in out
    assert not any(0x80 <= ord(ch) <= 0x9F or (ord(ch) < 0x20 and ch != "\n") for ch in out)
    assert not any(0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069 for ch in out)


@pytest.mark.parametrize(
    "url",
    ["https://huggingface.co/papers/2609.99901", "http://example.org/a?b=c#d"],
)
def test_safe_urls_accepted(url: str) -> None:
    assert text.is_safe_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "--remote-debugging-port=9222",
        "-https://x.org",
        "https://exa mple.org",
        "https://example.org/\x1b[2J",
        " https://example.org",
        "ftp://example.org",
        "https://",
        "",
        None,
        42,
    ],
)
def test_unsafe_urls_refused(url: object) -> None:
    assert not text.is_safe_url(url)
    assert text.safe_url(url) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2609.99901", "2609.99901"),
        ("2602.08025v3", "2602.08025"),
        ("https://arxiv.org/abs/2401.12345v2", "2401.12345"),
        ("https://huggingface.co/papers/2401.12345", "2401.12345"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("../../etc/passwd", None),
        ("2609.9", None),
        ("", None),
    ],
)
def test_normalize_paper_id(raw: str, expected: str | None) -> None:
    assert text.normalize_paper_id(raw) == expected


def test_counted_says_one_period_and_two_periods() -> None:
    assert text.counted(1, "period") == "1 period"
    assert text.counted(2, "period") == "2 periods"
    assert text.counted(0, "paper") == "0 papers"
    assert text.counted(1, "entry", "entries") == "1 entry"
    assert text.counted(3, "entry", "entries") == "3 entries"
