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
    """The data folder (the store): ``$PAPERREADER_HOME/data`` or the platform's."""
    home = _home()
    if home:
        return home / "data"
    import platformdirs  # only when PAPERREADER_HOME does not say where

    return platformdirs.user_data_path(APP_NAME)


def config_dir() -> Path:
    """The config folder: ``$PAPERREADER_HOME/config`` or the platform's."""
    home = _home()
    if home:
        return home / "config"
    import platformdirs  # only when PAPERREADER_HOME does not say where

    return platformdirs.user_config_path(APP_NAME)


def cache_dir() -> Path:
    """The cache folder: ``$PAPERREADER_HOME/cache`` or the platform's."""
    home = _home()
    if home:
        return home / "cache"
    import platformdirs  # only when PAPERREADER_HOME does not say where

    return platformdirs.user_cache_path(APP_NAME)


def default_db_path() -> Path:
    """The store file used when ``--db`` does not name one."""
    return data_dir() / "papers.db"


def config_path() -> Path:
    """The config file (TOML)."""
    return config_dir() / "config.toml"


PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


class UnsafePermissions(OSError):
    """A file or folder of ours is open to other users and we cannot close it."""


def app_dirs() -> set[Path]:
    """The folders that belong to paperreader alone (so we may tighten them)."""
    found = {data_dir(), config_dir(), cache_dir()}
    home = _home()
    if home:
        found.add(home)
    return {p.absolute() for p in found}


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents readable only by the user (0700).

    Read marks and favourites are personal, and whoever can write the config folder can
    point ``api_url`` elsewhere, so every folder we create is 0700 whatever the umask
    (``mkdir(parents=True)`` would make the parents 0777 under umask 000). An existing
    folder of ours (``app_dirs``) open to others is tightened; other existing folders (a
    shared one given with ``--db``) are left as they are.
    """
    missing: list[Path] = []
    cursor = path
    while not cursor.exists() and cursor != cursor.parent:
        missing.append(cursor)
        cursor = cursor.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            continue  # made at the same moment by another process: check it below
        os.chmod(folder, PRIVATE_DIR)  # the umask may have taken bits mkdir was given
    ours = app_dirs()
    for folder in (path, *path.parents):
        if folder.absolute() in ours:
            check_private(folder, PRIVATE_DIR)
    return path


def check_private(path: Path, mode: int) -> None:
    """Make an existing ``path`` no more open than ``mode`` (0700 / 0600), or refuse.

    Our own files and folders are tightened with chmod. One owned by someone else that
    others may write raises :class:`UnsafePermissions`, with a line saying how to fix it.
    Missing paths are fine (they will be created private).
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    current = st.st_mode & 0o777
    if not current & ~mode:
        return
    if st.st_uid == os.getuid():
        try:
            os.chmod(path, current & mode)
            return
        except OSError:
            pass
    if current & 0o022:
        raise UnsafePermissions(
            f"{path} can be changed by other users (mode {current:04o}); "
            f"run  chmod {mode:o} {path}  and try again"
        )


def tighten_store(path: Path) -> None:
    """Keep a store (and its -wal/-shm files) 0600, and its folder 0700 if it is ours.

    Called on every open, so a store created before this rule, or copied in with 0644,
    is made private. Raises :class:`UnsafePermissions` when it cannot be.
    """
    folder = path.parent
    if folder.absolute() in app_dirs():
        ensure_private_dir(folder)
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        check_private(file, PRIVATE_FILE)
