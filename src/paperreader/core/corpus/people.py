"""Invented people, Hub users and organisations in the JSON shape of the Daily Papers API."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from paperreader.core.corpus.draw import pick
from paperreader.core.corpus.names import FIRST_NAMES, ORGANIZATIONS, SURNAMES


def object_id(rng: random.Random) -> str:
    """A 24-hex id like the Hub's MongoDB ObjectIds."""
    return f"{rng.getrandbits(96):024x}"


def timestamp(day: dt.date, rng: random.Random, *, midnight: bool = False) -> str:
    """An ISO-8601 UTC time on ``day`` with milliseconds, as the API writes them."""
    if midnight:
        return f"{day.isoformat()}T00:00:00.000Z"
    ms = int(rng.random() * 86_400_000)  # one draw for the whole time of day
    minutes, millis = divmod(ms, 60_000)
    return f"{day.isoformat()}T{minutes // 60:02d}:{minutes % 60:02d}:{millis / 1000:06.3f}Z"


def full_name(rng: random.Random) -> str:
    """A given name and a surname, drawn independently (so nobody real is meant)."""
    return f"{pick(rng, FIRST_NAMES)} {pick(rng, SURNAMES)}"


def handle(rng: random.Random, name: str) -> str:
    """A Hub username for ``name`` in one of the styles people pick."""
    first, _, last = name.lower().partition(" ")
    style = int(rng.random() * 4)
    if style == 0:
        return f"{first}-{last}"
    if style == 1:
        return f"{first}{last}"
    if style == 2:
        return f"{first[0]}{last}"
    return f"{last}{first}{10 + int(rng.random() * 90)}"


def hub_user(rng: random.Random, name: str) -> dict[str, Any]:
    """A UserOverview object (``submittedBy`` / ``authors[].user``)."""
    username = handle(rng, name)
    return {
        "_id": object_id(rng),
        "avatarUrl": f"/avatars/{rng.getrandbits(128):032x}.svg",
        "isPro": rng.random() < 0.2,
        "fullname": name,
        "user": username,
        "type": "user",
        "name": username,
    }


def authors(rng: random.Random, day: dt.date) -> list[dict[str, Any]]:
    """An author list: long-tailed length (1 to 50), a few linked to Hub accounts."""
    out = []
    for _ in range(min(50, max(1, int(rng.paretovariate(1.1) * 2)))):
        name = full_name(rng)
        author: dict[str, Any] = {"_id": object_id(rng), "name": name, "hidden": False}
        if rng.random() < 0.15:
            author["user"] = hub_user(rng, name)
            author["status"] = pick(rng, ["claimed_verified", "admin_assigned", ""])
            author["statusLastChangedAt"] = timestamp(day, rng)
        out.append(author)
    return out


def organization(rng: random.Random) -> dict[str, Any]:
    """An Organization object for one of the invented organisations."""
    fullname = pick(rng, ORGANIZATIONS)
    slug = fullname.lower().replace(" ", "-")
    return {
        "_id": object_id(rng),
        "name": slug,
        "fullname": fullname,
        "avatar": f"https://cdn-avatars.huggingface.co/v1/production/uploads/{slug}.png",
    }
