"""What the status line says about syncing: texts only, no widgets.

Each function returns ``(text, style)`` for the sync half of the status line. The
texts match the mode the reader runs in (``--demo`` never mentions ``--offline``)
and an outage names the server and the error, so a typo in ``api_url`` does not
look like being offline.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from paperreader.core import clock, text
from paperreader.core.config import Settings
from paperreader.core.models import SyncProgress, SyncReport

Status = tuple[str, str]

#: "https://host/path?… failed after N attempts: " or "… → ": the URL each failure repeats.
_URL_PREFIX = re.compile(r"^https?://\S+ (?:failed after \d+ attempts: |→ )")


def when(stamp: str | None) -> str:
    """A UTC timestamp as local wall-clock time (today) or date and time."""
    if not stamp:
        return "never"
    moment = clock.parse_stamp(stamp)
    if moment is None:
        return stamp
    local = moment.astimezone()
    now = clock.local_now()
    return f"{local:%H:%M}" if local.date() == now.date() else f"{local:%Y-%m-%d %H:%M}"


def host(url: str) -> str:
    """``host[:port]`` of ``url`` (the whole URL if it has none), for short status texts."""
    return urlsplit(url).netloc or url


def at_start(settings: Settings, last_sync: str | None) -> Status:
    """The status before any sync has run in this session."""
    if settings.demo:
        return "demo store (synthetic papers, no network)", "dim"
    if settings.offline:
        return "offline" + (f" · last sync {when(last_sync)}" if last_sync else ""), "dim"
    if last_sync:
        return f"last sync {when(last_sync)}", "dim"
    return "", "dim"


def cannot_sync(settings: Settings) -> str | None:
    """Why ``R`` cannot sync in this mode (a notification), or None when it can."""
    if settings.demo:
        return "The demo store is synthetic: nothing to sync (run `paperreader` for the real feed)"
    if settings.offline:
        return "Offline: start without --offline to sync"
    return None


def starting(api_url: str) -> Status:
    """A sync just asked for, before its first tick (a fast failure still shows a change)."""
    return f"syncing {host(api_url)}…", "bold"


def trouble(outcome: SyncReport | str, *, sync_key: str = "R") -> str | None:
    """The whole story of a sync that failed, for a notification (the status line has room
    for its start only); None if it went well. ``outcome``: the report, or why the sync
    could not run at all; ``sync_key`` the key that syncs now (the keymap may move it)."""
    if isinstance(outcome, str):
        return f"Sync failed: {text.one_line(outcome, max_len=300)}"
    failed = outcome.periods_failed
    if not failed:
        return None
    reason, offline = _failure(failed, max_len=300)
    if offline:
        return f"Offline: {reason}. Showing the stored papers; {sync_key} tries again."
    some = ", ".join(sorted(failed)[:3]) + (
        f" and {len(failed) - 3} more" if len(failed) > 3 else ""
    )
    return f"Sync could not fetch {some}: {reason}. The next sync retries them."


def progress(p: SyncProgress, api_url: str) -> Status:
    """A tick of a running sync."""
    total = f"/{p.total}" if p.total else ""
    return (
        f"syncing {host(api_url)} {p.done}{total} · {p.papers:,} papers · {p.message}",
        "bold",
    )


def _reason(error: str) -> str:
    return _URL_PREFIX.sub("", error)


def _failure(failed: dict[str, str], *, max_len: int) -> tuple[str, bool]:
    """One reason for the failed periods (cleaned, shortened), and whether every one of
    them failed for want of the server (being offline, or a typo in api_url)."""
    reason = text.one_line(min(_reason(e) for e in failed.values()), max_len=max_len)
    return reason, all("could not reach" in e for e in failed.values())


def finished(report: SyncReport, at: str, api_url: str) -> Status:
    """The end of a sync run: what it brought, or what failed and why."""
    summary = f"synced {when(at)} · {report.new:,} new · {report.updated:,} updated"
    failed = report.periods_failed
    if not failed:
        return summary, "green"
    reason, offline = _failure(failed, max_len=100)
    if offline:
        # The reason names the URL and the error: a typo in api_url is not an outage.
        return f"offline · {reason} · showing stored papers", "yellow"
    keys = ", ".join(sorted(failed)[:3])
    more = len(failed) - 3
    summary += f" · failed: {keys}" + (f" +{more}" if more > 0 else "")
    return f"{summary} · {reason}", "red"


def failed(reason: str) -> Status:
    """A sync that could not run at all."""
    return f"sync failed: {reason}", "red"
