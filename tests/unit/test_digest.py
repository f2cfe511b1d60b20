"""Digests in text, Markdown and HTML: complete, escaped, and self-contained."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from paperreader.core.models import Paper
from paperreader.core.radar.digest import (
    FOR_YOU,
    Digest,
    DigestGroup,
    DigestItem,
    md_escape,
    render_html,
    render_markdown,
    render_text,
)

HOSTILE = '<script>alert("x")</script> [click](javascript:alert(1)) **b** & \x1b[2J'


def _digest() -> Digest:
    calm = DigestItem(
        paper_id="2503.00001",
        title="Sparse Experts at Scale",
        upvotes=42,
        authors=("Ada Example", "Bo Sample", "Cy Stub", "Dee Mock"),
        summary="We scale sparse experts. Then we do more things.",
        reason="like: Diffusion Things · shares: sparse expert",
        github_repo="https://github.com/example/x",
        project_page="javascript:alert(1)",
    )
    hostile = DigestItem(
        paper_id="2503.00002",
        title=HOSTILE,
        upvotes=None,
        authors=(HOSTILE,),
        summary=HOSTILE + ". Second sentence.",
        reason=HOSTILE,
        project_page='https://example.org/"><script>x</script>',
    )
    return Digest(
        title="Radar <digest>",
        generated="2025-03-04",
        groups=[
            DigestGroup("diffusion & co", [calm, hostile], note="2 new since 2025-03-01"),
            DigestGroup(FOR_YOU, [calm]),
            DigestGroup("quiet watch", []),
        ],
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_one_line_summary_prefers_first_sentence_and_is_capped() -> None:
    item = DigestItem("1", "t", summary="First one.  Second one.\nThird.")
    assert item.line() == "First one."
    long = DigestItem("1", "t", summary="word " * 200)
    assert len(long.line()) == 240 and long.line().endswith("…")
    paper = Paper(id="2503.00009", title="T", summary="Abs one. Abs two.", ai_summary="AI one.")
    assert DigestItem.from_paper(paper).line() == "AI one."
    assert DigestItem.from_paper(Paper(id="2503.00009", title="T", summary="A. B.")).line() == "A."


def test_byline_and_links() -> None:
    item = _digest().groups[0].items[0]
    assert item.byline() == "▲ 42 · Ada Example, Bo Sample, Cy Stub +1 more"
    assert item.links() == [
        ("Hugging Face", "https://huggingface.co/papers/2503.00001"),
        ("arXiv", "https://arxiv.org/abs/2503.00001"),
        ("code", "https://github.com/example/x"),
    ]


def test_text_lists_every_group_and_paper_without_control_characters() -> None:
    out = render_text(_digest())
    assert "== diffusion & co (2) ==" in out and "== For you (1) ==" in out
    assert "== quiet watch (0) ==\nNothing new.\n" in out
    assert "▲ 42 · Ada Example" in out and "We scale sparse experts." in out
    assert "Then we do" not in out
    assert "https://huggingface.co/papers/2503.00002" in out
    assert "\x1b" not in out and "[2J" in out


def test_html_is_self_contained_and_escaped() -> None:
    out = render_html(_digest())
    assert "<script" not in out.lower()
    assert "src=" not in out.lower() and "url(" not in out.lower() and "@import" not in out
    parser = _Tags()
    parser.feed(out)
    assert {t for t, _ in parser.tags} <= {
        "html",
        "head",
        "meta",
        "title",
        "body",
        "h1",
        "h2",
        "p",
        "ol",
        "li",
        "a",
        "div",
    }
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert name in ("href", "style", "lang", "charset"), (tag, name)
            if name == "href":
                assert tag == "a" and value and value.startswith("https://")
    # Every URL in the page is an anchor's href: none outside attributes.
    hrefs = sum(1 for _, attrs in parser.tags for name, _ in attrs if name == "href")
    assert len(re.findall(r"https?:", out)) == hrefs
    text = "".join(parser.text)
    assert HOSTILE.replace("\x1b", "") in text  # shown literally, as text
    assert "Radar <digest>" in text and "diffusion & co (2)" in text


def test_markdown_renders_hostile_text_as_literal_text() -> None:
    md = render_markdown(_digest())
    rendered = MarkdownIt("commonmark").render(md)
    assert "<script" not in rendered and "<strong>b</strong>" not in rendered
    links = re.findall(r'href="([^"]*)"', rendered)
    assert links and all(u.startswith("https://") for u in links)
    assert "https://huggingface.co/papers/2503.00002" in links
    parser = _Tags()
    parser.feed(rendered)
    assert HOSTILE.replace("\x1b", "") in "".join(parser.text)


def test_md_escape_neutralises_every_markdown_construct() -> None:
    for raw in ("# h", "1. x", "- x", "> q", "`c`", "<b>", "[a](b)", "![i](s)", "&amp;", "a|b"):
        html_out = MarkdownIt("commonmark").render(md_escape(raw))
        assert html_out.strip() == f"<p>{_html_text(raw)}</p>", raw


def _html_text(raw: str) -> str:
    return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_papers_left_out_are_counted_after_the_group_not_under_its_heading() -> None:
    item = _digest().groups[1].items[0]
    digest = Digest(title="Radar", generated="today", groups=[DigestGroup("Top", [item], more=16)])
    for rendered in (render_text(digest), render_markdown(digest), render_html(digest)):
        more = rendered.index("and 16 more in the reader")
        assert rendered.index("Top") < rendered.index(item.title) < more
