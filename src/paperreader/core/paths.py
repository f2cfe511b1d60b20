"""Where paperreader keeps its store, config and cache.

Nothing here touches the filesystem at import time: every function resolves the
location when called, so tests can point ``PAPERREADER_HOME`` at a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "paperreader"
HOME_ENV = "PAPERREADER_HOME"


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    home = _home()
    if home:
        return home / "data"
    import platformdirs  # only when PAPERREADER_HOME does not say where

    return platformdirs.user_data_path(APP_NAME)


def config_dir() -> Path:
    home = _home()
    if home:
        return home / "config"
    import platformdirs  # only when PAPERREADER_HOME does not say where

    return platformdirs.user_config_path(APP_NAME)


def cache_dir() -> Path:
    home = _home()
    if home:
        return home / "cache"
    import platformdirs  # only when PAPERREADER_HOME does not say where

    return platformdirs.user_cache_path(APP_NAME)


def default_db_path() -> Path:
    return data_dir() / "papers.db"


def config_path() -> Path:
    return config_dir() / "config.toml"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable only by the user.

    Read marks and favourites are personal, so the folder holding them is 0700.
    """
    path.mkdir(parents=True, exist_ok=True)
    try:
        path.chmod(0o700)
    except OSError:
        pass  # Not ours to change (e.g. a shared folder given with --db); still usable.
    return path
