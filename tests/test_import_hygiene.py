"""The headless core must never import Textual (harlequin's rule, checked at run time)."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "paths",
    "config",
    "models",
    "hf_api",
    "store",
    "store_reads",
    "branding",
    "sync",
    "export",
    "cli",
    "migrations",
    "query",
    "text",
    "sample",
    "fakehub",
    "demo",
]


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        + "".join(f"import paperreader.{m}\n" for m in CORE)
        + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')"
        " or m.startswith(('paperreader.app', 'paperreader.screens', 'paperreader.widgets')))\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == ""


def test_cli_help_does_not_load_textual() -> None:
    code = (
        "import sys\nfrom paperreader.cli import main\n"
        "try:\n    main(['list', '--help'])\nexcept SystemExit:\n    pass\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
    )
    subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
