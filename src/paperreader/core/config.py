"""Settings: defaults < config file (TOML) < environment < command line.

The config file lives in the platform config dir (or ``$PAPERREADER_HOME/config``)::

    sync_interval = 30        # minutes between background syncs; 0 turns it off
    recent_days = 3           # days re-fetched on every sync (upvotes move)
    initial_days = 30         # history fetched by the first sync
    concurrency = 4           # periods fetched at once
    theme = "textual-dark"
    auto_read_seconds = 0     # mark read after N seconds in the detail pane; 0 = off
    api_url = "https://huggingface.co"
    token_hosts = ["hf-mirror.example.org"]   # more https hosts HF_TOKEN may be sent to
    state_dir = "~/Sync/paperreader"   # a synced folder: marks, notes and tags travel
    prefetch_favourites = false   # after a sync, store the full texts of favourites
    prefetch_top_n = 0        # … and of the newest day's N most upvoted papers (0-50)

    [keymap]                  # binding id = keys (comma-separated)
    toggle_read = "r,x"
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from paperreader.core import paths, text
from paperreader.core.branding import DEFAULT_API_URL

API_URL_ENV = "PAPERREADER_API_URL"
TOKEN_ENV = "HF_TOKEN"
STATE_DIR_ENV = "PAPERREADER_STATE_DIR"


class ConfigError(Exception):
    """The config file cannot be used; the message names the file and the problem."""


class EnvironmentSettingError(ConfigError):
    """An environment variable holds a value we cannot use (a bad argument, in effect)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the app and the CLI need to know, resolved once at start-up."""

    db_path: Path = field(default_factory=paths.default_db_path)
    """The SQLite store."""
    api_url: str = DEFAULT_API_URL
    """Base URL of the Hugging Face API (a local fake server in tests)."""
    token: str | None = None
    """Optional HF token (from ``HF_TOKEN``); never stored in files we write."""
    token_hosts: tuple[str, ...] = ()
    """Hosts besides huggingface.co the token may be sent to (over https only)."""
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
    state_dir: Path | None = None
    """A folder the user syncs (Syncthing, Dropbox, git): each machine's journal of marks,
    notes and tags goes there (env ``PAPERREADER_STATE_DIR``). None: state stays local."""
    prefetch_favourites: bool = False
    """After a sync, fetch and store the full texts of favourite papers (in the background)."""
    prefetch_top_n: int = 0
    """After a sync, also store the full texts of the newest day's N most upvoted papers."""


INT_LIMITS = {
    "recent_days": (1, 60),
    "initial_days": (1, 3650),
    "concurrency": (1, 16),
    "max_attempts": (1, 10),
    "prefetch_top_n": (0, 50),
}
"""Bounds of the whole-number settings; the command-line options use the same."""
_INT_KEYS = INT_LIMITS
_FLOAT_KEYS = {"sync_interval": (0.0, 24 * 60.0), "auto_read_seconds": (0.0, 600.0)}
_STR_KEYS = {"theme", "api_url", "state_dir"}
_BOOL_KEYS = {"prefetch_favourites"}


def api_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the API base URL, or ``None`` when it can.

    Only absolute http(s) URLs with a host and a valid port; no credentials, query or
    fragment (they would be sent, logged or silently dropped).
    """
    if not text.is_safe_url(url):
        return "must be an http(s) URL"
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a port out of range or not a number
    except ValueError:
        return "has an invalid port (1-65535)"
    if parts.username is not None or parts.password is not None:
        return "must not contain a user name or password"
    if parts.query or parts.fragment:
        return "must not contain a query or fragment"
    import httpx  # its parser is the one that will use the URL

    try:
        httpx.URL(url)
    except httpx.InvalidURL as exc:
        return f"is not a valid URL ({exc})"
    return None


def read_token() -> str | None:
    """``HF_TOKEN`` from the environment: the one place the token is read."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    return token or None


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Resolve settings; raise ConfigError for an unreadable or invalid config file.

    ``api_url`` is checked wherever it comes from (file, environment, override); a bad
    environment value raises :class:`EnvironmentSettingError`.
    """
    file = config_file or paths.config_path()
    values: dict[str, Any] = {"config_file": file}
    if file.exists():
        values.update(_read(file))
    env_url = os.environ.get(API_URL_ENV, "").strip()
    if env_url:
        problem = api_url_problem(env_url)
        if problem:
            shown = text.one_line(env_url, max_len=80)
            raise EnvironmentSettingError(f"{API_URL_ENV} {problem}, not {shown!r}")
        values["api_url"] = env_url
    env_state = os.environ.get(STATE_DIR_ENV, "").strip()
    if env_state:
        values["state_dir"] = env_state
    token = read_token()
    if token:
        values["token"] = token
    values.update({k: v for k, v in overrides.items() if v is not None})
    if "db_path" in values:
        values["db_path"] = Path(values["db_path"]).expanduser()
    if values.get("state_dir") is not None:
        values["state_dir"] = Path(values["state_dir"]).expanduser()
    return Settings(**values)


def _read(file: Path) -> dict[str, Any]:
    import tomllib

    try:
        # Whoever can edit this file can point api_url elsewhere: it must be ours alone.
        paths.check_private(file.parent, paths.PRIVATE_DIR)
        paths.check_private(file, paths.PRIVATE_FILE)
    except paths.UnsafePermissions as exc:
        raise ConfigError(str(exc)) from exc
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
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise ConfigError(f"{file}: {key} must be true or false")
            out[key] = value
        elif key in _STR_KEYS:
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{file}: {key} must be a non-empty string")
            out[key] = value.strip()
            problem = api_url_problem(out[key]) if key == "api_url" else None
            if problem:
                raise ConfigError(f"{file}: api_url {problem}")
        elif key == "token_hosts":
            if not isinstance(value, list) or not all(
                isinstance(h, str) and _HOST.fullmatch(h) for h in value
            ):
                raise ConfigError(
                    f'{file}: token_hosts must be a list of host names, like ["hf.example.org"]'
                )
            out["token_hosts"] = tuple(h.lower() for h in value)
        elif key == "keymap":
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                raise ConfigError(f'{file}: [keymap] entries must look like  toggle_read = "x"')
            out["keymap"] = dict(value)
        else:
            raise ConfigError(f"{file}: unknown setting {key!r}")
    return out


_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")
#: A key as Textual names it: modifiers, then one key name or printable character
#: ("ctrl+shift+" names no key; a control character would reach the screen in hints).
_KEY = re.compile(
    r"(?:(?:ctrl|shift|alt|meta|super|hyper)\+)*(?:[a-z0-9_]+|[^\s,\x00-\x1f\x7f-\x9f])"
)


def keymap_problems(keymap: dict[str, str], known_ids: set[str]) -> dict[str, str]:
    """The ``[keymap]`` entries that cannot work, binding id → why (unknown id, bad keys).

    The caller (the reader, which knows its binding ids) drops them and says so once.
    """
    bad: dict[str, str] = {}
    for binding_id, keys in keymap.items():
        names = [k.strip() for k in keys.split(",")]
        if binding_id not in known_ids:
            bad[binding_id] = "no such binding"
        elif not all(names) or not all(_KEY.fullmatch(k) for k in names):
            bad[binding_id] = f"keys {text.one_line(keys, max_len=40)!r}"
    return bad


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    quoted = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}"'


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
    paths.ensure_private_dir(file.parent)
    atomic_write(file, "\n".join(lines) + "\n")


def atomic_write(file: Path, content: str) -> None:
    """Write via a temp file in the same folder, fsync, then rename over the target.

    The folder must exist: creating folders is the caller's decision (the config folder is
    made private; an export never creates the folders a mistyped path names).
    """
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
