"""Settings: defaults < config file (TOML) < environment < command line.

The config file lives in the platform config dir (or ``$PAPERREADER_HOME/config``)::

    sync_interval = 30        # minutes between background syncs; 0 turns it off
    recent_days = 3           # days re-fetched on every sync (upvotes move)
    initial_days = 30         # history fetched by the first sync
    concurrency = 4           # periods fetched at once
    theme = "textual-dark"
    auto_read_seconds = 0     # mark read after N seconds in the detail pane; 0 = off
    api_url = "https://huggingface.co"

    [keymap]                  # binding id = keys (comma-separated)
    toggle_read = "r,x"
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paperreader.core import paths
from paperreader.core.branding import DEFAULT_API_URL

API_URL_ENV = "PAPERREADER_API_URL"


class ConfigError(Exception):
    """The config file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the app and the CLI need to know, resolved once at start-up."""

    db_path: Path = field(default_factory=paths.default_db_path)
    """The SQLite store."""
    api_url: str = DEFAULT_API_URL
    """Base URL of the Hugging Face API (a local fake server in tests)."""
    token: str | None = None
    """Optional HF token (from ``HF_TOKEN``); never stored in files we write."""
    offline: bool = False
    """Open on the store without any network access."""
    sync_interval: float = 30.0
    """Minutes between background syncs in the reader; 0 disables periodic syncs."""
    recent_days: int = 3
    """Days re-fetched on every sync, to refresh upvotes, comments and AI fields."""
    initial_days: int = 30
    """Days of history the first sync fetches."""
    concurrency: int = 4
    """Periods fetched in parallel."""
    max_attempts: int = 5
    """Tries per request (retries on timeouts, resets, 429 and 5xx) before giving up."""
    theme: str = "textual-dark"
    """Textual theme name; chosen from the command palette and remembered."""
    auto_read_seconds: float = 0.0
    """Mark a paper read once shown this long in the detail pane; 0 turns it off."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id → keys, overriding the defaults."""
    config_file: Path = field(default_factory=paths.config_path)
    demo: bool = False
    """Running on a temporary store filled with synthetic papers."""


_INT_KEYS = {
    "recent_days": (1, 60),
    "initial_days": (1, 3650),
    "concurrency": (1, 16),
    "max_attempts": (1, 10),
}
_FLOAT_KEYS = {"sync_interval": (0.0, 24 * 60.0), "auto_read_seconds": (0.0, 600.0)}
_STR_KEYS = {"theme", "api_url"}


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Resolve settings; raise ConfigError for an unreadable or invalid config file."""
    file = config_file or paths.config_path()
    values: dict[str, Any] = {"config_file": file}
    if file.exists():
        values.update(_read(file))
    env_url = os.environ.get(API_URL_ENV, "").strip()
    if env_url:
        values["api_url"] = env_url
    token = os.environ.get("HF_TOKEN", "").strip()
    if token:
        values["token"] = token
    values.update({k: v for k, v in overrides.items() if v is not None})
    if "db_path" in values:
        values["db_path"] = Path(values["db_path"]).expanduser()
    return Settings(**values)


def _read(file: Path) -> dict[str, Any]:
    import tomllib

    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {file}: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file} is not valid TOML: {exc}") from exc
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in _INT_KEYS:
            lo, hi = _INT_KEYS[key]
            if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
                raise ConfigError(f"{file}: {key} must be a whole number from {lo} to {hi}")
            out[key] = value
        elif key in _FLOAT_KEYS:
            lo_f, hi_f = _FLOAT_KEYS[key]
            if (
                not isinstance(value, int | float)
                or isinstance(value, bool)
                or not (lo_f <= value <= hi_f)
            ):
                raise ConfigError(f"{file}: {key} must be a number from {lo_f:g} to {hi_f:g}")
            out[key] = float(value)
        elif key in _STR_KEYS:
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{file}: {key} must be a non-empty string")
            out[key] = value.strip()
        elif key == "keymap":
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                raise ConfigError(f'{file}: [keymap] entries must look like  toggle_read = "x"')
            out["keymap"] = dict(value)
        else:
            raise ConfigError(f"{file}: unknown setting {key!r}")
    return out


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def save_setting(file: Path, key: str, value: Any) -> None:
    """Set one top-level key in the config file, keeping the others; written atomically."""
    import tomllib

    data: dict[str, Any] = {}
    if file.exists():
        with contextlib.suppress(tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
            data = tomllib.loads(file.read_text(encoding="utf-8"))
    data[key] = value
    lines = [f"{k} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    for table, entries in ((k, v) for k, v in data.items() if isinstance(v, dict)):
        lines.append(f"\n[{table}]")
        lines.extend(f'"{k}" = {_toml_value(v)}' for k, v in entries.items())
    atomic_write(file, "\n".join(lines) + "\n")


def atomic_write(file: Path, content: str) -> None:
    """Write via a temp file in the same folder, fsync, then rename over the target."""
    file.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, file)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
