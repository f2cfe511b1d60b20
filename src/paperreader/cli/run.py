"""The ``paperreader`` entry point: parse, resolve settings, run one command.

Exit codes: 0 success, 1 a failure the user should know about (sync errors, store
problems, unknown paper), 2 bad arguments (options, environment values), 130
interrupted. Expected failures print one clear line, never a traceback. Textual is
imported only to open the reader.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from paperreader.cli import output
from paperreader.cli.parser import PROG, UsageError, build_parser
from paperreader.core import text
from paperreader.core.config import (
    ConfigError,
    EnvironmentSettingError,
    Settings,
    api_url_problem,
    keymap_problems,
    load_settings,
)
from paperreader.core.store import Store, StoreError


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``paperreader`` with ``argv`` (default: the process arguments); the exit code."""
    try:
        args = build_parser().parse_args(argv)
        return _dispatch(args)
    except UsageError as exc:
        output.usage(str(exc))
        return 2
    except EnvironmentSettingError as exc:
        output.error(str(exc))
        return 2
    except (ConfigError, StoreError) as exc:
        output.error(str(exc))
        return 1
    except KeyboardInterrupt:
        output.note(f"{PROG}: interrupted")
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`| head`): not an error. Point stdout at
        # nothing so the interpreter's final flush does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings with ``--db``, ``--api-url`` and ``--offline`` applied; a bad ``--api-url`` is
    a usage error."""
    db = getattr(args, "db", None)
    api_url = getattr(args, "api_url", None)
    if api_url is not None:
        problem = api_url_problem(api_url)
        if problem:
            shown = text.one_line(api_url, max_len=80)
            raise UsageError(f"{PROG}: --api-url {problem}, not {shown!r}")
    # --offline, before or after the command, is a setting like any other from here on.
    offline = True if getattr(args, "offline", False) else None
    return load_settings(db_path=Path(db) if db else None, api_url=api_url, offline=offline)


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command is not None and args.demo:
        # The demo store is a temporary folder the reader opens; no command reads it.
        raise UsageError(
            f"{PROG}: --demo only opens the reader; it cannot be used with `{command}`"
        )
    if command == "sync" and args.offline:
        raise UsageError(
            f"{PROG}: --offline opens the reader without syncing; it cannot be used with `sync`"
        )
    if command == "completion":
        from paperreader.cli import completion_cmd

        return completion_cmd.run(args)
    if command is None:
        return _open_reader(args)
    settings = settings_from(args)
    if command == "sync":
        from paperreader.cli import sync_cmd

        overrides = {
            k: getattr(args, k)
            for k in ("recent_days", "initial_days", "concurrency", "max_attempts")
        }
        settings = dataclasses.replace(
            settings, **{k: v for k, v in overrides.items() if v is not None}
        )
        return sync_cmd.run(settings, args)
    # Argument checks that need no store run before it is opened (or created).
    target = None
    mark_ids: list[str] = []
    if command == "export":
        from paperreader.cli import export_cmd

        target = export_cmd.check_target(args)
    if command == "mark":
        from paperreader.cli import mark_cmd

        mark_ids = mark_cmd.wanted_ids(args)
    with Store(settings.db_path, upgrading=output.upgrading) as store:
        if command == "list":
            from paperreader.cli import list_cmd

            return list_cmd.run_list(store, args)
        if command == "show":
            from paperreader.cli import list_cmd

            return list_cmd.run_show(store, settings, args)
        if command == "export":
            return export_cmd.run(store, args, target)
        if command == "mark":
            return mark_cmd.run(store, args, mark_ids, settings.state_dir)
        if command == "read":
            from paperreader.cli import read_cmd

            return read_cmd.run(args, store, settings)
        from paperreader.cli import state_cmds

        if command in state_cmds.COMMANDS:
            return state_cmds.run(args, store, settings)
        from paperreader.cli import radar_cmds

        if command in radar_cmds.COMMANDS:
            return radar_cmds.run(args, store)
    raise UsageError(f"{PROG}: unknown command {command!r}")


def _open_reader(args: argparse.Namespace) -> int:
    # Start-up allocates a great many long-lived objects (Textual, widgets, styles) and
    # the collector would scan them over and over: pause it until the first frame is up
    # (PaperReaderApp.on_ready freezes that heap and turns collection back on).
    gc.disable()
    if args.demo:
        folder = tempfile.TemporaryDirectory(prefix="paperreader-demo-")
        db = Path(folder.name) / "demo.db"
        from paperreader.core.demo import fill_demo_store

        with Store(db) as store:
            fill_demo_store(store)
        settings = dataclasses.replace(settings_from(args), db_path=db, offline=True, demo=True)
    else:
        folder = None
        settings = settings_from(args)
    try:
        from paperreader.ui.app import run_app  # Textual is only imported on this path.

        return run_app(_usable_keymap(settings))
    finally:
        if folder is not None:
            folder.cleanup()


def _usable_keymap(settings: Settings) -> Settings:
    """Drop ``[keymap]`` entries the reader cannot use, naming them once on stderr."""
    if not settings.keymap:
        return settings
    known = binding_ids()
    if not set(settings.keymap) <= known:
        # The reading view and the help load when first opened: their bindings count too.
        from paperreader.ui.key_names import import_ui

        import_ui()
        known = binding_ids()
    bad = keymap_problems(settings.keymap, known)
    if not bad:
        return settings
    listed = ", ".join(f"{text.one_line(k, max_len=40)} ({why})" for k, why in bad.items())
    output.note(f"{PROG}: ignoring [keymap] entries in {settings.config_file}: {listed}")
    keymap = {k: v for k, v in settings.keymap.items() if k not in bad}
    return dataclasses.replace(settings, keymap=keymap)


def binding_ids() -> set[str]:
    """Every binding id the loaded reader and Textual classes declare (after importing the UI)."""
    from paperreader.ui.key_names import loaded_bindings

    return {binding_id for binding_id, _ in loaded_bindings(("paperreader.ui", "textual"))}
