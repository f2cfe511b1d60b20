"""``paperreader completion bash|zsh|fish``: a completion script made from the parser.

shtab reads the argparse parser itself, so sub-commands and options never drift from
what the command accepts. It is imported only here.
"""

from __future__ import annotations

import argparse
import sys

from paperreader.cli.parser import build_parser

#: Options that take a file name: the shell completes paths for them.
_FILE_OPTIONS = {"db", "output"}


def script(shell: str) -> str:
    """The completion script for ``shell`` (bash, zsh or fish)."""
    import shtab

    parser = build_parser()
    for action in _actions(parser):
        if action.dest in _FILE_OPTIONS:
            action.complete = shtab.FILE  # type: ignore[attr-defined]
    text: str = shtab.complete(parser, shell=shell)
    return text


def _actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    found = list(parser._actions)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _actions(sub)
    return found


def run(args: argparse.Namespace) -> int:
    """Print the script (install: see the README's "Shell completion")."""
    sys.stdout.write(script(args.shell))  # ours, not the network's: written as is
    return 0
