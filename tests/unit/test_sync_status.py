"""Status texts about syncing: they match the mode and name what failed."""

from __future__ import annotations

from pathlib import Path

from paperreader.core import sync_status
from paperreader.core.config import load_settings
from paperreader.core.models import SyncProgress, SyncReport


def test_the_sync_key_explains_each_mode_in_its_own_words(tmp_path: Path) -> None:
    demo = load_settings(db_path=tmp_path / "d.db", offline=True, demo=True)
    offline = load_settings(db_path=tmp_path / "d.db", offline=True)
    online = load_settings(db_path=tmp_path / "d.db")
    demo_text = sync_status.cannot_sync(demo)
    assert demo_text and "demo" in demo_text and "--offline" not in demo_text
    assert "--offline" in (sync_status.cannot_sync(offline) or "")
    assert sync_status.cannot_sync(online) is None


def test_an_outage_names_the_server_and_the_error() -> None:
    report = SyncReport(
        periods_failed={
            "2026-11": "http://127.0.0.1:9/api/daily_papers?month=2026-11 failed after 1 "
            "attempts: could not reach http://127.0.0.1:9 (ConnectError: refused)",
        }
    )
    text, style = sync_status.finished(report, "2026-11-25T06:00:00Z", "http://127.0.0.1:9")
    assert text.startswith("offline · could not reach http://127.0.0.1:9 (ConnectError")
    assert style == "yellow"


def test_other_failures_list_periods_and_the_reason() -> None:
    report = SyncReport(new=3, periods_failed={"2026-11": "https://x/api → HTTP 404: gone"})
    text, style = sync_status.finished(report, "2026-11-25T06:00:00Z", "https://x")
    assert "failed: 2026-11" in text and "HTTP 404: gone" in text and style == "red"


def test_counts_are_written_as_the_list_writes_them() -> None:
    report = SyncReport(new=12467, updated=1003)
    text, style = sync_status.finished(report, "2026-11-25T06:00:00Z", "https://x")
    assert text.endswith("· 12,467 new · 1,003 updated") and style == "green"


def test_progress_names_the_host() -> None:
    text, _ = sync_status.progress(SyncProgress(1, 4, 250, "2026-11"), "http://127.0.0.1:8765")
    assert text == "syncing 127.0.0.1:8765 1/4 · 250 papers · 2026-11"


def test_trouble_tells_a_failure_in_full_and_nothing_for_a_good_sync() -> None:
    long_reason = "could not reach http://127.0.0.1:9 (ConnectError: " + "x" * 150 + ")"
    outage = SyncReport(
        periods_failed={
            "2026-11": f"http://127.0.0.1:9/api/daily_papers?month=2026-11 failed after 1 "
            f"attempts: {long_reason}",
        }
    )
    told = sync_status.trouble(outage)
    assert told == f"Offline: {long_reason}. Showing the stored papers; R tries again."
    moved = sync_status.trouble(outage, sync_key="ctrl+y")  # the keymap moved sync
    assert moved is not None and moved.endswith("; ctrl+y tries again.")
    status, _ = sync_status.finished(outage, "2026-11-25T06:00:00Z", "http://127.0.0.1:9")
    assert long_reason not in status  # the line shortens it; the notification does not
    partial = SyncReport(
        new=3, periods_failed=dict.fromkeys(("a", "b", "c", "d"), "https://x/api → HTTP 500: oops")
    )
    told = sync_status.trouble(partial)
    assert (
        told
        == "Sync could not fetch a, b, c and 1 more: HTTP 500: oops. The next sync retries them."
    )
    assert sync_status.trouble(SyncReport(new=3)) is None
    crashed = sync_status.trouble("sync exited with 1\x1b[2J\nTraceback")
    assert crashed is not None and crashed.startswith("Sync failed: sync exited with 1")
    assert "\x1b" not in crashed and "\n" not in crashed
