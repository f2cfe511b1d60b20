"""Issue 10: a property test of the sync against generated hostile ``daily_papers`` pages.

A loopback FakeHub answers every ``/api/daily_papers`` request with a page Hypothesis
made: real items with fields deleted or replaced (wrong types, huge, negative and
5,000-digit numbers, NaN, long strings, unicode, lone surrogates, ESC/BEL/CSI bytes,
nested values), junk entries, and now and then a whole page that is not a list at all or
nested 100,000 deep. The real CLI runs the real sync through the real httpx client into
a fresh store, then ``list`` and ``show`` print it. Whatever was sent: no exception
escapes, every item is stored or counted as skipped, the store passes its integrity checks
with every row valid, and no ESC, BEL or C1 control byte reaches anything printed.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from paperreader.cli import main
from paperreader.core import safe_json
from paperreader.core.corpus import Corpus, paper_item
from paperreader.core.models import ItemError, Paper
from paperreader.core.store import Store
from tests.conftest import LATEST
from tests.support.fakehub import FakeHub, Fault
from tests.support.store_checks import assert_rows_valid, assert_sound

#: Generated pages per run (each is a full CLI sync + list + show on a fresh store);
#: PAPERREADER_FUZZ_EXAMPLES=2000 for a long hunt.
EXAMPLES = int(os.environ.get("PAPERREADER_FUZZ_EXAMPLES", "25"))
#: Items per generated page.
MAX_ITEMS = 6
#: ESC, BEL and every C1 control (CSI is \x9b): none may reach the terminal.
FORBIDDEN = re.compile("[\x07\x1b\x80-\x9f]")
#: Stands for a number too long for Python's int→str limit, spliced into the page text.
BIG = "@@BIG@@"
DEEP = "@@DEEP@@"

HOSTILE_TEXT = [
    "\x1b]2;PWNED\x07",
    "\x1b]2;PWNED\x1b\\ \x1b[2J",
    "\x1b[31mred\x1b[0m",
    "\x9b31mC1 CSI",
    "\x07\x07bell",
    "\x85next line\x8dreverse",
    "\u202eevil\u202c",
    "[bold]x[/] [@click=app.quit]quit[/]",
    "\x00nul\r\noverwrite",
    "\ud800lone surrogate",
    "2401.00001",
    "",
    " ",
]
FIELDS = [
    "id", "title", "summary", "authors", "upvotes", "publishedAt", "submittedOnDailyAt",
    "githubRepo", "githubStars", "projectPage", "ai_summary", "ai_keywords", "withdrawnAt",
    "organization", "submittedOnDailyBy",
]  # fmt: skip
ITEM_FIELDS = ["numComments", "title", "summary", "organization", "submittedBy", "paper"]
#: Fields ``list`` or ``show`` print.
PRINTED = ["title", "summary", "ai_summary", "authors", "organization", "submittedBy"]

#: An item whose raw JSON holds a lone surrogate (JSON allows "\ud800"; UTF-8 does not).
SURROGATE = paper_item(LATEST, 0, seed=7, abstract_words=12)
SURROGATE["paper"]["summary"] = "\ud800 lone surrogate"

texts = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=30),
    st.builds(
        lambda char, n: char * n, st.sampled_from("a\x1b\x9b日\u0301 "), st.integers(1, 100_000)
    ),
)
numbers = st.one_of(
    st.integers(-(10**25), 10**25),
    st.sampled_from([10**20, -1, 2**63, -(2**63) - 1, 2**64, 10**300, BIG]),
    st.floats(allow_nan=True, allow_infinity=True),
)
leaves = st.one_of(st.none(), st.booleans(), numbers, texts)
values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
edits = st.lists(
    st.tuples(st.booleans(), st.sampled_from(FIELDS + ITEM_FIELDS), st.none() | values),
    max_size=5,
)


@st.composite
def pages(draw: st.DrawFn) -> tuple[Any, int]:
    """(a page, how deep to nest it): items mangled by ``edits``, junk, or no list at all."""
    shape = draw(st.sampled_from(["items"] * 8 + ["not a list", "deep"]))
    if shape == "not a list":
        return draw(values), 0
    if shape == "deep":
        return [], draw(st.sampled_from([50, 5_000, 100_000]))
    page: list[Any] = []
    for index in range(draw(st.integers(0, MAX_ITEMS))):
        if draw(st.integers(0, 9)) == 0:
            page.append(draw(values))  # not an item at all
            continue
        item = paper_item(LATEST, index, seed=7, abstract_words=12)
        if draw(st.booleans()):  # hostile text where the CLI prints it
            shown = draw(st.sampled_from(PRINTED))
            holder = item["paper"] if shown in ("title", "summary", "ai_summary") else item
            if shown == "authors":
                item["paper"]["authors"] = [{"name": draw(texts)}, draw(texts)]
            elif shown in ("organization", "submittedBy"):
                item[shown] = {"fullname": draw(texts), "name": draw(texts)}
            else:
                holder[shown] = draw(texts)
        for in_paper, name, value in draw(edits):
            inner = item.get("paper")
            holder = inner if in_paper and name in FIELDS and isinstance(inner, dict) else item
            if value is None and draw(st.booleans()):
                holder.pop(name, None)  # missing, rather than null
            else:
                holder[name] = value
        page.append(item)
    return page, 0


def page_text(page: Any, depth: int) -> str:
    body = json.dumps(page)  # NaN/Infinity and \ud800 escapes: Python's json reads them back
    body = body.replace(json.dumps(BIG), "9" * 5_000)
    return "[" * depth + body + "]" * depth if depth else body


def expected(body: str) -> tuple[int, set[str]]:
    """(items a served page should cost, ids it should store), read as the client reads."""
    try:
        page = safe_json.loads(body)
    except ValueError:  # not JSON, or too deep to read item by item: the period fails
        return 0, set()
    if not isinstance(page, list):
        return 0, set()
    skipped, ids = 0, set()
    for item in page:
        try:
            ids.add(Paper.from_api(item).id)
        except ItemError:
            skipped += 1
    return skipped, ids


@pytest.fixture(scope="module")
def hub() -> Iterator[FakeHub]:
    corpus = Corpus(LATEST, LATEST, seed=7, per_day=3, abstract_words=12)
    with FakeHub(corpus, today=LATEST) as hub:
        yield hub


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
@given(generated=pages())
@example(generated=([SURROGATE], 0))  # found by a 400-example run: a traceback before
def test_hostile_pages_cost_only_their_items_and_print_nothing_raw(
    generated: tuple[Any, int],
    hub: FakeHub,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page, depth = generated
    body = page_text(page, depth)
    fault = Fault("mangle", match="/api/daily_papers", times=10_000, mangle=lambda _: body)
    hub.faults[:] = [fault]
    logged = len(hub.log)
    with tempfile.TemporaryDirectory() as home:
        monkeypatch.setenv("PAPERREADER_HOME", home)
        db = str(Path(home) / "fuzz.db")
        argv = ("--db", db)
        code, said = run(
            capsys, "sync", "--days", "1", "--max-attempts", "1", "--api-url", hub.url, *argv
        )
        assert code in (0, 1) and "Traceback" not in said
        skipped, ids = expected(body)
        # A good sync also asks for the trending ranking (same endpoint, same mangled body);
        # only the daily pages count towards the sync's "malformed items skipped".
        served = sum(
            1
            for r in hub.log[logged:]
            if r.path == "/api/daily_papers" and r.query.get("sort") != "trending"
        )
        assert served >= 1 and fault.served >= served
        event("items skipped" if skipped else "no item skipped")
        event("papers stored" if ids else "nothing stored")
        counted = re.findall(r"\b(\d+) malformed items skipped", said)
        assert counted == ([str(skipped * served)] if skipped else []), said
        printed = [said]
        for command in (["list"], ["list", "--json"], *(["show", pid] for pid in sorted(ids))):
            code, out = run(capsys, *command, *argv)
            assert code == 0 and "Traceback" not in out, (command, out)
            printed.append(out)
        with Store(Path(db)) as store:
            assert {r[0] for r in store.conn.execute("SELECT id FROM papers")} == ids
            assert_sound(store)
            assert_rows_valid(store)
    for out in printed:
        found = FORBIDDEN.search(out)
        assert found is None, (
            f"{found.group()!r} printed in {out[max(0, found.start() - 60) :][:120]!r}"
        )
