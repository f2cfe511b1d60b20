"""The HTTP client against the fake hub over real loopback sockets."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperreader.core import safe_json
from paperreader.core.corpus import Corpus
from paperreader.core.hf_api import ApiError, may_send_token, parse_ratelimit, parse_retry_after
from tests.conftest import MIDWEEK, TODAY, Sleeps, make_client
from tests.support.fakehub import FakeHub, Fault

#: Dates inside the test corpus (it ends on the pinned TODAY), whatever TODAY is.
DAY = (MIDWEEK - dt.timedelta(days=1)).isoformat()  # a Tuesday with papers
SUNDAY = (MIDWEEK - dt.timedelta(days=3)).isoformat()
MONTH = f"{TODAY - dt.timedelta(days=60):%Y-%m}"  # a whole month of papers
FUTURE = (TODAY + dt.timedelta(days=6)).isoformat()


async def test_daily_paging_and_shapes(hub: FakeHub, sleeps: Sleeps) -> None:
    async with make_client(hub.url, sleeps) as client:
        first = await client.daily_papers(month=MONTH, limit=100, page=0)
        second = await client.daily_papers(month=MONTH, limit=100, page=1)
        past_end = await client.daily_papers(month=MONTH, limit=100, page=50)
    assert first.raw_count == 100 and len(first.papers) == 100
    assert not {p.id for p in first.papers} & {p.id for p in second.papers}
    assert past_end.raw_count == 0
    assert hub.log[0].query == {"month": MONTH, "limit": "100", "p": "0"}
    assert hub.log[0].headers["User-Agent"].startswith("paperreader/")
    assert "Authorization" not in hub.log[0].headers


async def test_weekend_day_is_empty_not_an_error(hub: FakeHub) -> None:
    async with make_client(hub.url) as client:
        page = await client.daily_papers(date=SUNDAY)  # a Sunday
    assert page.papers == [] and page.raw_count == 0


async def test_future_date_is_a_client_error_and_not_retried(hub: FakeHub, sleeps: Sleeps) -> None:
    async with make_client(hub.url, sleeps) as client:
        with pytest.raises(ApiError) as err:
            await client.daily_papers(date=FUTURE)
    assert err.value.status == 400 and err.value.is_client_error
    assert "future" in str(err.value)
    assert len(hub.log) == 1 and sleeps.calls == []


async def test_token_never_sent_over_plain_http(hub: FakeHub) -> None:
    # Even to a host the user named: plain http can be read by anyone on the path.
    for hosts in ((), ("127.0.0.1",)):
        async with make_client(hub.url, token="hf_secret", token_hosts=hosts) as client:
            await client.daily_papers(date=DAY)
            assert client.token_sent is False
    assert len(hub.log) == 2
    assert all("Authorization" not in r.headers for r in hub.log)
    assert all("hf_secret" not in str(r.headers) for r in hub.log)


@pytest.mark.parametrize(
    ("url", "hosts", "allowed"),
    [
        ("https://huggingface.co/api/daily_papers", (), True),
        ("https://HuggingFace.co./api", (), True),
        ("http://huggingface.co/api", (), False),
        ("https://huggingface.co.evil.example/api", (), False),
        ("https://evil.example/api", (), False),
        ("https://mirror.example/api", ("mirror.example",), True),
        ("http://mirror.example/api", ("mirror.example",), False),
        ("https://127.0.0.1:8443/api", (), False),
        ("file:///etc/passwd", ("",), False),
        ("::::", (), False),
    ],
)
def test_token_policy(url: str, hosts: tuple[str, ...], allowed: bool) -> None:
    assert may_send_token(url, hosts) is allowed


async def test_429_with_ratelimit_waits_for_the_window(hub: FakeHub, sleeps: Sleeps) -> None:
    hub.faults.append(Fault("status", status=429, times=2, headers={"RateLimit": '"api";r=0;t=37'}))
    async with make_client(hub.url, sleeps) as client:
        page = await client.daily_papers(date=DAY)
    assert page.papers
    assert sleeps.calls == [pytest.approx(38.0, abs=0.5)] * 2
    assert client.requests == 3


async def test_retry_after_seconds_and_http_date(hub: FakeHub, sleeps: Sleeps) -> None:
    future = email.utils.formatdate(time.time() + 120, usegmt=True)
    hub.faults += [
        Fault("status", status=503, headers={"Retry-After": "7"}),
        Fault("status", status=429, headers={"Retry-After": future}),
    ]
    async with make_client(hub.url, sleeps) as client:
        await client.daily_papers(date=DAY)
    assert sleeps.calls[0] == 7.0
    assert 100 < sleeps.calls[1] <= 121


async def test_backoff_is_capped(hub: FakeHub, sleeps: Sleeps) -> None:
    hub.faults.append(Fault("status", status=429, headers={"Retry-After": "99999"}))
    async with make_client(hub.url, sleeps) as client:
        await client.daily_papers(date=DAY)
    assert sleeps.calls == [300.0]


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
async def test_transient_statuses_retried_with_exponential_backoff(
    hub: FakeHub, sleeps: Sleeps, status: int
) -> None:
    hub.faults.append(Fault("status", status=status, times=3))
    async with make_client(hub.url, sleeps) as client:
        page = await client.daily_papers(date=DAY)
    assert page.papers
    assert sleeps.calls == [1.0, 2.0, 4.0]  # jitter fixed at the midpoint


async def test_attempts_are_bounded(hub: FakeHub, sleeps: Sleeps) -> None:
    hub.faults.append(Fault("status", status=500, times=99))
    async with make_client(hub.url, sleeps, max_attempts=5) as client:
        with pytest.raises(ApiError) as err:
            await client.daily_papers(date=DAY)
    assert len(hub.log) == 5
    assert "after 5 attempts" in str(err.value) and "HTTP 500" in str(err.value)
    assert err.value.status == 500


@pytest.mark.parametrize("kind", ["reset", "truncate", "html"])
async def test_broken_responses_are_retried(hub: FakeHub, sleeps: Sleeps, kind: str) -> None:
    hub.faults.append(Fault(kind, times=1))
    async with make_client(hub.url, sleeps) as client:
        page = await client.daily_papers(date=DAY)
    assert page.papers and len(hub.log) == 2


async def test_drip_feed_cannot_outlast_the_deadline(hub: FakeHub, sleeps: Sleeps) -> None:
    drip = Fault("drip", times=5)
    hub.faults.append(drip)
    # A byte every 2 s never trips the 5 s read timeout: only the 1 s deadline can end it.
    async with make_client(hub.url, sleeps, deadline=1.0, max_attempts=2, timeout=5.0) as c:
        with pytest.raises(ApiError) as err:
            await c.daily_papers(date=DAY)
    assert "after 2 attempts: no complete answer within 1s" in str(err.value)
    assert len(hub.log) == drip.served == 2  # each attempt was cut, then given up on
    assert sleeps.calls == [1.0]  # one backoff between the two attempts, nothing else


async def test_refused_connection_fails_at_once_naming_the_url(sleeps: Sleeps) -> None:
    async with make_client("http://127.0.0.1:9", sleeps, max_attempts=5) as client:
        with pytest.raises(ApiError) as err:
            await client.daily_papers(date=DAY)
    assert "could not reach http://127.0.0.1:9: connection refused" in str(err.value)
    assert client.requests == 1 and sleeps.calls == []


async def test_unknown_host_fails_at_once(sleeps: Sleeps, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    async with make_client("http://no-such-host.invalid", sleeps, max_attempts=5) as client:
        with pytest.raises(ApiError) as err:
            await client.daily_papers(date=DAY)
    assert "could not reach http://no-such-host.invalid: host not found" in str(err.value)
    assert client.requests == 1 and sleeps.calls == []


async def test_paper_detail_and_404(hub: FakeHub) -> None:
    async with make_client(hub.url) as client:
        some_id = (await client.daily_papers(date=DAY)).papers[0].id
        paper = await client.paper(some_id)
        with pytest.raises(ApiError) as err:
            await client.paper("1234.56789")
    assert paper.id == some_id and paper.comments is None
    assert err.value.status == 404 and "Paper not found" in str(err.value)


async def test_search_both_shapes(hub: FakeHub) -> None:
    async with make_client(hub.url) as client:
        wrapped = await client.search("honesty", limit=5)
        hub.legacy_search = True
        legacy = await client.search("honesty", limit=5)
    assert wrapped.papers and all("honesty" in p.title.lower() for p in wrapped.papers)
    assert [p.id for p in legacy.papers] == [p.id for p in wrapped.papers]
    assert all(p.upvotes is None for p in legacy.papers)
    assert hub.log[0].query == {"q": "honesty", "limit": "5"}


async def test_pacing_slows_down_before_the_quota_runs_out(corpus, sleeps: Sleeps) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import TODAY

    with FakeHub(corpus, today=TODAY, quota=4, window=60) as hub:
        async with make_client(hub.url, sleeps) as client:
            for _ in range(3):
                await client.daily_papers(date=DAY)
    # Once the server reports only a few calls left, the client waits for the window.
    assert sleeps.calls and 55 <= sleeps.calls[0] <= 62


def test_header_parsers() -> None:
    assert parse_ratelimit('"api";r=0;t=55') == (0, 55.0)
    assert parse_ratelimit(None) == (None, None)
    assert parse_ratelimit("garbage") == (None, None)
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("not a date") is None


def test_hostile_headers_never_raise() -> None:
    assert parse_ratelimit('"api";r=1.2.3;t=' + "9" * 400) == (None, None)
    assert parse_ratelimit('"api";r=' + "9" * 400 + ";t=5") == (None, 5.0)
    assert parse_retry_after("²") is None
    assert parse_retry_after("9" * 50) == 300.0
    assert parse_retry_after("Mon, 99 Foo 99999 99:99:99 GMT") is None


# -- hostile servers -------------------------------------------------------------------

ESCAPES = ("\x1b", "\x07", "\x9b")
HOSTILE_ERRORS = [
    # Raw bytes, as `printf` would send them (not valid JSON: no text to quote, still no ESC).
    Fault("status", status=400, body='{"error": "\x1b]2;PWNED\x1b\\ \x1b[2J"}'),
    # The same, JSON-escaped (valid JSON that decodes to ESC).
    Fault("status", status=400, body=json.dumps({"error": "\x1b]2;PWNED\x1b\\ \x1b[2J"})),
    # BEL-terminated OSC, which swallows what follows on some terminals.
    Fault("status", status=404, body=json.dumps({"error": ["\x1b]0;PWNED\x07", "\x9b2J"]})),
    Fault("status", status=400, headers={"X-Error-Message": "\x1b]2;PWNED\x07\x1b[2J"}),
]


@pytest.mark.parametrize("fault", HOSTILE_ERRORS)
async def test_server_error_text_reaches_no_output_with_escapes(
    hub: FakeHub, sleeps: Sleeps, fault: Fault
) -> None:
    hub.faults.append(fault)
    async with make_client(hub.url, sleeps) as client:
        with pytest.raises(ApiError) as err:
            await client.daily_papers(date=DAY)
    message = str(err.value)
    assert "HTTP 40" in message
    assert not any(ch in message for ch in ESCAPES), repr(message)
    assert "\n" not in message


async def test_redirect_loop_is_one_clear_failure(hub: FakeHub, sleeps: Sleeps) -> None:
    hub.faults.append(Fault("redirect", status=302, times=999))
    async with make_client(hub.url, sleeps, max_attempts=5) as client:
        with pytest.raises(ApiError) as err:
            await client.daily_papers(date=DAY)
    assert "redirects in a loop" in str(err.value)
    assert sleeps.calls == [] and client.requests == 1


async def test_redirect_off_the_web_is_one_clear_failure(hub: FakeHub, sleeps: Sleeps) -> None:
    hub.faults.append(Fault("redirect", status=302, body="file:///etc/passwd", times=999))
    async with make_client(hub.url, sleeps, max_attempts=5) as client:
        with pytest.raises(ApiError) as err:
            await client.daily_papers(date=DAY)
    assert "not http(s)" in str(err.value)
    assert sleeps.calls == [] and client.requests == 1


def _poison(payload: Any) -> str:
    """The real page with four bad items: huge, 5,000-digit and negative counts, deep JSON."""
    items = list(payload)
    items[0]["paper"]["upvotes"] = 10**20
    items[1]["paper"]["upvotes"] = "HUGE"
    items[2]["numComments"] = -5
    items[3]["paper"]["extra"] = "DEEP"
    text = json.dumps(items).replace('"HUGE"', "9" * 5000)  # past Python's 4,300-digit cap
    return text.replace('"DEEP"', "[" * 100_000 + "]" * 100_000)


async def test_poisoned_items_cost_only_themselves(hub: FakeHub, sleeps: Sleeps) -> None:
    async with make_client(hub.url, sleeps) as client:
        clean_page = await client.daily_papers(date=DAY)
        hub.faults.append(Fault("mangle", match=f"date={DAY}", mangle=_poison))
        page = await client.daily_papers(date=DAY)
    assert page.raw_count == clean_page.raw_count >= 5
    ids = [p.id for p in page.papers]
    assert ids == [p.id for i, p in enumerate(clean_page.papers) if i != 3]
    assert page.skipped == 1 and page.repaired == 3
    assert page.papers[0].upvotes is None and page.papers[0].problems == ("upvotes",)
    assert page.papers[1].upvotes is None and page.papers[2].comments is None
    assert page.papers[3].upvotes == clean_page.papers[4].upvotes
    assert sleeps.calls == []


async def test_deep_answer_that_is_no_list_is_a_clear_error(hub: FakeHub, sleeps: Sleeps) -> None:
    hub.faults.append(Fault("mangle", mangle=lambda _p: '{"a":' * 100_000 + "1" + "}" * 100_000))
    async with make_client(hub.url, sleeps) as client:
        with pytest.raises(ApiError) as err:
            await client.daily_papers(date=DAY)
    assert "nested too deeply" in str(err.value) and client.requests == 1


@pytest.fixture
def tls_cert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """A throwaway certificate for 127.0.0.1, trusted by httpx through SSL_CERT_FILE."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    monkeypatch.setenv("SSL_CERT_FILE", cert)
    return cert, key


async def test_token_goes_only_to_named_https_hosts_and_not_through_redirects(
    corpus: Corpus, hub: FakeHub, tls_cert: tuple[str, str]
) -> None:
    with FakeHub(corpus, today=TODAY).use_tls(*tls_cert) as secure:
        async with make_client(secure.url, token="hf_secret", token_hosts=["127.0.0.1"]) as c:
            await c.daily_papers(date=DAY)
            assert c.token_sent is True
        async with make_client(secure.url, token="hf_secret") as client:
            await client.daily_papers(date=DAY)  # https, but not a named host
        # A named https host that redirects to another origin: the token stays behind.
        secure.faults.append(Fault("redirect", status=302, body=f"{hub.url}/api/daily_papers"))
        async with make_client(secure.url, token="hf_secret", token_hosts=["127.0.0.1"]) as c:
            await c.daily_papers(date=DAY)
    assert secure.log[0].headers.get("Authorization") == "Bearer hf_secret"
    assert "Authorization" not in secure.log[1].headers
    assert secure.log[2].headers.get("Authorization") == "Bearer hf_secret"
    assert len(hub.log) == 1 and "Authorization" not in hub.log[0].headers


# -- safe_json: hostile bodies ------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**25), max_value=10**25)
    | st.floats(allow_nan=False)
    | st.text(max_size=10),
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=5), kids, max_size=4)
    ),
    max_leaves=20,
)


@given(value=json_values)
@settings(max_examples=300, deadline=None)
def test_safe_json_reads_honest_answers_like_json(value: Any) -> None:
    body = json.dumps(value).encode()
    assert safe_json.loads(body) == json.loads(body)


@given(
    items=st.lists(json_values, max_size=6),
    poison=st.sampled_from(
        ["9" * 5000, "[" * 50_000 + "]" * 50_000, '{"a":' * 3000 + "1" + "}" * 3000]
    ),
    at=st.integers(min_value=0, max_value=6),
)
@settings(max_examples=60, deadline=None)
def test_safe_json_one_poisoned_item_costs_only_that_item(
    items: list[Any], poison: str, at: int
) -> None:
    at = min(at, len(items))
    parts = [json.dumps(v) for v in items]
    parts.insert(at, poison)
    decoded = safe_json.loads(("[" + ",".join(parts) + "]").encode())
    assert isinstance(decoded, list) and len(decoded) == len(items) + 1
    assert [v for i, v in enumerate(decoded) if i != at] == items
    assert decoded[at] is None or decoded[at] == "9" * 5000


@given(body=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
@settings(max_examples=300, deadline=None)
def test_safe_json_raises_only_what_the_client_handles(body: bytes) -> None:
    try:
        safe_json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError, safe_json.UnreadableJSON):
        pass
