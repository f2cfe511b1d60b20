"""Watches validate their fields and survive a JSON round trip."""

from __future__ import annotations

import json

import pytest

from paperreader.core.models import PaperFilter
from paperreader.core.radar.watch import NAME_MAX, Watch, WatchError

CREATED = "2025-03-01T09:00:00Z"


def test_json_round_trip_keeps_every_field() -> None:
    watch = Watch(
        name="Diffusion ≥ 10 ▲",
        created=CREATED,
        search="diffusion video",
        min_upvotes=10,
        view="unread",
        keyword="diffusion",
        last_opened="2025-03-02T10:00:00+00:00",
    )
    assert Watch.from_json(json.loads(json.dumps(watch.to_json()))) == watch


def test_unknown_keys_are_ignored_and_defaults_apply() -> None:
    watch = Watch.from_json({"name": "w", "created": CREATED, "colour": "red"})
    assert (watch.search, watch.min_upvotes, watch.view, watch.last_opened) == ("", 0, "all", None)


@pytest.mark.parametrize(
    "name",
    ["", "   ", "x" * (NAME_MAX + 1), "bell\x07", "esc\x1b[2J", "rtl\u202eevil", " padded"],
)
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(WatchError):
        Watch(name=name, created=CREATED)


def test_longest_allowed_name_is_accepted() -> None:
    assert Watch(name="x" * NAME_MAX, created=CREATED).name == "x" * NAME_MAX


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"name": "w"},
        {"created": CREATED},
        {"name": 3, "created": CREATED},
        {"name": "w", "created": "yesterday"},
        {"name": "w", "created": CREATED, "min_upvotes": -1},
        {"name": "w", "created": CREATED, "min_upvotes": True},
        {"name": "w", "created": CREATED, "min_upvotes": "5"},
        {"name": "w", "created": CREATED, "view": "everything"},
        {"name": "w", "created": CREATED, "search": "a\x00b"},
        {"name": "w", "created": CREATED, "last_opened": 5},
    ],
)
def test_malformed_json_raises_watch_error(data: object) -> None:
    with pytest.raises(WatchError):
        Watch.from_json(data)


def test_opened_stamps_and_filter_matches() -> None:
    watch = Watch(name="w", created=CREATED, search="agents", min_upvotes=3, view="week")
    later = watch.opened("2025-03-05T00:00:00Z")
    assert later.last_opened == "2025-03-05T00:00:00Z" and watch.last_opened is None
    assert later.to_filter() == PaperFilter(view="week", search="agents", min_upvotes=3)
