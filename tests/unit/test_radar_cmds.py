"""``digest``, ``feed`` and ``watch`` run against a real store filled with the demo corpus."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import feedparser  # type: ignore[import-untyped]
import pytest

from paperreader.cli import radar_cmds
from paperreader.core.corpus import Corpus
from paperreader.core.demo import fill_demo_store
from paperreader.core.models import Paper
from paperreader.core.radar import news
from paperreader.core.store import Store
from paperreader.core.store import radar as sql
from tests.conftest import TODAY

HOSTILE = "[bold]Diffusion[/] \x1b]2;PWNED\x07 <script>alert(1)</script> & ]]>"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "papers.db") as store:
        fill_demo_store(store, today=TODAY, days=20, per_day=15, seed=3)
        yield store


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db")
    parser = argparse.ArgumentParser(prog="paperreader")
    radar_cmds.add_parsers(parser.add_subparsers(dest="command"), parents=[common])
    return parser


def _run(store: Store, *argv: str) -> int:
    return radar_cmds.run(_parser().parse_args(argv), store)


def _new_papers(store: Store, n: int, *, seed: int, stamp: str) -> list[Paper]:
    later = Corpus(TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=9), seed=seed)
    papers = [Paper.from_api(item) for item in later.all_items()[:n]]
    with store.write():
        store.upsert_papers(papers, now=stamp)
    return papers


def test_watch_add_list_rm(demo: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(demo, "watch", "add", "diffusion", "--search", "diffusion") == 0
    assert _run(demo, "watch", "add", "busy", "--search", "language", "--min-upvotes", "5") == 0
    assert _run(demo, "watch", "add", "diffusion", "--search", "other") == 1
    assert _run(demo, "watch", "add", "bad\x1bname", "--search", "x") == 2
    assert "control" in capsys.readouterr().err
    assert _run(demo, "watch", "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["busy", "diffusion"]
    matches = len(demo.query_rids(sql.watches(demo)[1].to_filter()))
    # A new watch starts with nothing new: its existing matches were there before it.
    assert matches > 0 and "diffusion  0 new  search: diffusion" in lines
    assert "▲≥5" in lines[0]
    assert _run(demo, "watch", "rm", "busy") == 0
    assert _run(demo, "watch", "rm", "busy") == 1
    assert [w.name for w in sql.watches(demo)] == ["diffusion"]
    with pytest.raises(SystemExit):
        _parser().parse_args(["watch", "add", "x", "--search", "y", "--min-upvotes", "-1"])


def test_watch_add_refuses_a_watch_with_no_search_and_no_filter(
    demo: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert _run(demo, "watch", "add", "everything", "--search", "") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "a watch needs a search" in err[0]
    assert sql.watches(demo) == []
    assert _run(demo, "watch", "add", "popular", "--search", "", "--min-upvotes", "5") == 0


def test_watch_counts_rise_with_new_matches_and_clear_when_opened(demo: Store) -> None:
    _run(demo, "watch", "add", "all", "--search", "the")
    assert demo.query_rids(sql.watches(demo)[0].to_filter())
    assert news.watch_new_counts(demo)["all"] == 0  # like a watch saved with W
    opened = news.open_watch(demo, "all")
    assert opened is not None and opened.last_opened is not None
    assert news.watch_new_counts(demo)["all"] == 0
    _new_papers(demo, 7, seed=41, stamp="2099-01-01T00:00:00Z")
    assert news.watch_new_counts(demo)["all"] == 7
    news.open_watch(demo, "all")
    assert news.watch_new_counts(demo)["all"] == 0
    assert news.open_watch(demo, "nope") is None


def test_digest_since_last_twice_lists_nothing_new(
    demo: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(demo, "watch", "add", "everything", "--search", "the")
    assert _run(demo, "digest", "--since-last") == 0
    first = capsys.readouterr().out
    assert _items(first) > 0 and "== For you" in first
    assert _run(demo, "digest", "--since-last") == 0
    second = capsys.readouterr().out
    assert _items(second) == 0 and second.count("Nothing new.") == 3
    fresh = _new_papers(demo, 5, seed=42, stamp="2099-01-01T00:00:00Z")
    assert _run(demo, "digest", "--since-last") == 0
    third = capsys.readouterr().out
    assert "== Most upvoted (5) ==" in third and "== everything (" in third
    for paper in fresh:
        assert f"https://huggingface.co/papers/{paper.id}" in third
    # A digest by days leaves the since-last mark alone.
    assert _run(demo, "digest", "--days", "3") == 0 and _items(capsys.readouterr().out) > 0
    assert _run(demo, "digest", "--since-last") == 0
    assert _items(capsys.readouterr().out) == 0


def _items(out: str) -> int:
    return len(re.findall(r"^\s*\d+\. ", out, flags=re.M))


def test_digest_files_in_every_format(demo: Store, tmp_path: Path) -> None:
    _new_papers(demo, 1, seed=43, stamp="2099-01-01T00:00:00Z")
    for fmt in ("text", "markdown", "html"):
        target = tmp_path / f"digest.{fmt}"
        assert _run(demo, "digest", "--days", "5", "--format", fmt, "-o", str(target)) == 0
        content = target.read_text(encoding="utf-8")
        assert "\x1b" not in content and "paperreader digest" in content
    page = (tmp_path / "digest.html").read_text(encoding="utf-8")
    assert "<script" not in page and not re.search(r"\bsrc\s*=", page)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    (tmp_path / "a-file").write_text("")
    assert _run(demo, "digest", "-o", str(tmp_path / "a-file" / "digest.txt")) == 1


def test_feeds_parse_cleanly_with_stable_ids(demo: Store, tmp_path: Path) -> None:
    hostile = Paper(id="2611.09999", title=HOSTILE, summary=HOSTILE, daily_date=TODAY.isoformat())
    with demo.write():
        demo.upsert_papers([hostile], now="2099-01-01T00:00:00Z")
    demo.set_favourite(hostile.id, True)
    _run(demo, "watch", "add", "diffusion", "--search", "diffusion")
    for argv in (["--watch", "diffusion"], ["--favourites"], ["--for-you"]):
        target = tmp_path / "feed.xml"
        assert _run(demo, "feed", *argv, "-o", str(target)) == 0
        parsed = feedparser.parse(target.read_bytes())
        assert not parsed.bozo, (argv, parsed.get("bozo_exception"))
        assert parsed.version == "atom10" and parsed.entries, argv
        ids = [e.id for e in parsed.entries]
        assert len(set(ids)) == len(ids)
        assert all(i.startswith("https://huggingface.co/papers/") for i in ids)
        assert _run(demo, "feed", *argv, "-o", str(target)) == 0
        assert [e.id for e in feedparser.parse(target.read_bytes()).entries] == ids
        assert b"\x1b" not in target.read_bytes() and b"<script>" not in target.read_bytes()
    for_you = feedparser.parse((tmp_path / "feed.xml").read_bytes())
    assert for_you.entries[0].summary.startswith("like: ")
    assert _run(demo, "feed", "--watch", "nope", "-o", str(tmp_path / "n.xml")) == 1
    assert not (tmp_path / "n.xml").exists()


def test_watches_can_be_edited_and_renamed(demo: Store) -> None:
    _run(demo, "watch", "add", "a", "--search", "robots")
    _run(demo, "watch", "add", "b", "--search", "speech")
    old = sql.watches(demo)[0]
    edited = dataclasses.replace(old, name="arms", search="robot arms", min_upvotes=3)
    assert sql.replace_watch(demo, "a", edited)
    assert [(w.name, w.search, w.min_upvotes) for w in sql.watches(demo)] == [
        ("arms", "robot arms", 3),
        ("b", "speech", 0),
    ]
    assert not sql.replace_watch(demo, "b", dataclasses.replace(edited, name="arms"))
    assert not sql.replace_watch(demo, "gone", edited)
