"""The layers stay apart: nothing under ``core/`` or ``cli/`` imports Textual, and nothing in
the installed package imports the test tooling. Modules are found by folder, not by a list."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "paperreader"


def _modules(folder: str) -> list[str]:
    root = PACKAGE / folder
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def _loaded_after_import(modules: list[str]) -> set[str]:
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules)
    code += "print('\\n'.join(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return set(done.stdout.split())


def test_headless_layers_are_found_by_folder() -> None:
    core, cli = _modules("core"), _modules("cli")
    # The rule is only worth something if it sees the modules that matter.
    assert {"paperreader.core.store", "paperreader.core.sync", "paperreader.core.hf_api"} <= set(
        core
    )
    assert "paperreader.cli" in cli


def test_core_and_cli_never_import_textual() -> None:
    loaded = _loaded_after_import(_modules("core") + _modules("cli"))
    ui = ("textual.", "paperreader.ui")
    bad = sorted(m for m in loaded if m == "textual" or m.startswith(ui))
    assert bad == []


def test_installed_package_never_imports_test_tooling() -> None:
    everything = _modules("core") + _modules("cli") + _modules("ui")
    loaded = _loaded_after_import(everything)
    assert not {m for m in loaded if m == "tests" or m.startswith("tests.")}
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from tests" not in text and "import tests" not in text, path


def test_cli_help_does_not_load_textual() -> None:
    code = (
        "import sys\nfrom paperreader.cli import main\n"
        "try:\n    main(['list', '--help'])\nexcept SystemExit:\n    pass\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
    )
    subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )


def test_the_reader_starts_without_the_http_client() -> None:
    # httpx costs ~80 ms of start-up; the reader needs it only for a fetch made later
    # (the sync runs in a child process).
    code = (
        "import sys\nimport paperreader.ui.app\n"
        "assert 'httpx' not in sys.modules, 'httpx was imported'\n"
    )
    subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )


def test_the_reader_starts_without_the_text_editor() -> None:
    # TextArea and its document model cost ~1.5 MB and ~20 ms of every start; only the
    # note editor uses it, and it loads when a note is first edited.
    code = (
        "import sys\nimport paperreader.ui.app\n"
        "loaded = [m for m in sys.modules if m.startswith(('textual.widgets._text_area',"
        " 'textual.document'))]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
