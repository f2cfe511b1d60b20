"""One home per idea, checked on the source: SQL in the store, time in the clock, views
and sorts in ``core.views``. A module that grows its own copy fails here."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import paperreader
from paperreader.cli.parser import build_parser
from paperreader.core import views

PACKAGE = Path(paperreader.__file__).parent
STORE = PACKAGE / "core" / "store"
CLOCK = PACKAGE / "core" / "clock.py"


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(), str(path))


def _name(node: ast.AST) -> str:
    """``a.b.c`` for an attribute chain, else ''."""
    if isinstance(node, ast.Attribute):
        inner = _name(node.value)
        return f"{inner}.{node.attr}" if inner else node.attr
    return node.id if isinstance(node, ast.Name) else ""


def test_no_sql_outside_the_store() -> None:
    offenders: list[str] = []
    for path, tree in _modules():
        if path.is_relative_to(STORE):
            continue
        for node in ast.walk(tree):
            imported = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(m.split(".")[0] in ("sqlite3", "sqlite_utils") for m in imported):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} imports SQLite")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in ("execute", "executemany", "executescript"):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} runs SQL")
                if _name(node.func).endswith(".conn.execute"):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} uses .conn")
    assert offenders == []


def test_only_the_clock_asks_the_time() -> None:
    asks = ("datetime.now", "datetime.utcnow", "date.today", "datetime.today", "time.time")
    offenders = [
        f"{path.relative_to(PACKAGE)}:{node.lineno} {_name(node.func)}"
        for path, tree in _modules()
        if path != CLOCK
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _name(node.func).endswith(asks)
    ]
    assert offenders == []


def test_only_the_clock_reads_and_writes_z_stamps() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path, tree in _modules()
        if path != CLOCK
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and ("+00:00" in node.value or "%SZ" in node.value)
    ]
    assert offenders == []


def test_command_line_sorts_are_the_views_module_sorts() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    listing = sub.choices["list"]  # type: ignore[index]
    sort = next(a for a in listing._actions if a.dest == "sort")
    assert tuple(sort.choices) == views.SORTS
    assert views.default_sort("  ") == "newest" and views.default_sort("x") == "relevance"
    assert set(views.VIEW_LABELS) == set(views.VIEWS)
    assert set(views.SORT_LABELS) == set(views.SORTS)
