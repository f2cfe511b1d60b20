"""The Atom feed parses cleanly in an independent reader, whatever the titles contain."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser  # type: ignore[import-untyped]
import pytest

from paperreader.core.models import Paper
from paperreader.core.radar.feed import ATOM_NS, FeedEntry, atom_feed, rfc3339

NOW = dt.datetime(2025, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
HOSTILE = ["<script>alert(1)</script>", "a ]]> b", "\x1b[2J cleared", "R&D & <b>bold</b>"]


def _entries() -> list[FeedEntry]:
    return [
        FeedEntry(
            paper_id=f"2503.{i:05d}",
            title=title,
            updated=f"2025-03-0{i + 1}T10:00:00.123Z",
            summary=f"Summary {title}\nsecond line",
            authors=("Ada Example", f"Bo {title}"),
            published="2025-03-01",
            keywords=("diffusion", title),
        )
        for i, title in enumerate(HOSTILE)
    ]


def _parse(xml: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_feed_parses_without_bozo_and_has_required_elements() -> None:
    xml = atom_feed(_entries(), feed_id="tag:paperreader,2025:test", title="Radar", updated=NOW)
    parsed = _parse(xml)
    assert parsed.version == "atom10"
    assert parsed.feed.id == "tag:paperreader,2025:test"
    assert parsed.feed.title == "Radar"
    assert parsed.feed.updated == "2025-03-04T05:06:07Z"
    assert len(parsed.entries) == len(HOSTILE)


def test_entry_ids_are_stable_hf_urls_with_alternate_links() -> None:
    first = atom_feed(_entries(), feed_id="urn:x", title="t", updated=NOW)
    again = atom_feed(_entries()[::-1], feed_id="urn:x", title="t", updated=NOW)
    ids = [e.id for e in _parse(first).entries]
    assert ids == [f"https://huggingface.co/papers/2503.{i:05d}" for i in range(len(HOSTILE))]
    assert sorted(e.id for e in _parse(again).entries) == sorted(ids)
    for entry in _parse(first).entries:
        (alternate,) = [link for link in entry.links if link.rel == "alternate"]
        assert alternate.href == entry.id


def test_hostile_text_round_trips_literally_with_controls_stripped() -> None:
    parsed = _parse(atom_feed(_entries(), feed_id="urn:x", title="<i>&", updated=NOW))
    assert parsed.feed.title == "<i>&"
    expected = [t.replace("\x1b", "") for t in HOSTILE]
    assert [e.title for e in parsed.entries] == expected
    for entry, title in zip(parsed.entries, expected, strict=True):
        assert entry.summary == f"Summary {title}\nsecond line"
        assert [a.name for a in entry.authors] == ["Ada Example", f"Bo {title}"]
        assert [t.term for t in entry.tags] == ["diffusion", title]


def test_output_is_well_formed_xml_with_no_control_characters() -> None:
    entry = FeedEntry(
        "2503.00001", "nul\x00 bell\x07 c1\x85 ok", "2025-03-01", summary="\x1b]0;x\x07"
    )
    xml = atom_feed([entry], feed_id="urn:x", title="t", updated=NOW)
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == f"{{{ATOM_NS}}}feed"
    assert not any((ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F for ch in xml)
    assert _parse(xml).entries[0].title == "nul bell c1 ok"


def test_updated_times_are_rfc3339_and_fall_back_to_the_feed_time() -> None:
    entries = [
        FeedEntry("2503.00001", "a", "2025-03-01T10:00:00.5+02:00"),
        FeedEntry("2503.00002", "b", "2025-03-02"),
        FeedEntry("2503.00003", "c", "not a date"),
    ]
    parsed = _parse(atom_feed(entries, feed_id="urn:x", title="t", updated="2025-03-04"))
    assert [e.updated for e in parsed.entries] == [
        "2025-03-01T08:00:00Z",
        "2025-03-02T00:00:00Z",
        "2025-03-04T00:00:00Z",
    ]


def test_unreadable_feed_time_is_refused() -> None:
    with pytest.raises(ValueError):
        atom_feed([], feed_id="urn:x", title="t", updated="yesterday")
    assert rfc3339(dt.datetime(2025, 1, 1, 12)) == "2025-01-01T12:00:00Z"


def test_entry_from_paper_uses_ai_summary_and_listing_time() -> None:
    paper = Paper(
        id="2503.00007",
        title="T",
        summary="Abstract.",
        authors=("A B",),
        submitted_at="2025-03-05T01:02:03.000Z",
        ai_summary="AI line.",
        ai_keywords=("k",),
    )
    entry = FeedEntry.from_paper(paper)
    assert (entry.summary, entry.updated, tuple(entry.keywords)) == (
        "AI line.",
        "2025-03-05T01:02:03.000Z",
        ("k",),
    )
    parsed = _parse(atom_feed([entry], feed_id="urn:x", title="t", updated=NOW))
    assert parsed.entries[0].updated == "2025-03-05T01:02:03Z"
