"""The core stays pure: no Qt, no SQLite, no file system, no reading the clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "desktop" / "quell" / "core"
FORBIDDEN_MODULES = {"PySide6", "shiboken6", "sqlite3", "os", "pathlib", "io", "shutil",
                     "socket", "subprocess", "tempfile", "platformdirs", "apscheduler",
                     "tzlocal", "time", "quell.storage", "quell.ui", "quell.app"}
# datetime.now(), date.today() and friends: the core asks its injected Clock instead.
CLOCK_READS = {"now", "today", "utcnow", "fromtimestamp"}
CLOCK_CLASSES = {"datetime", "date"}


def core_modules() -> list[Path]:
    return sorted(CORE.glob("*.py"))


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: p.name)
def test_core_module_imports_nothing_impure(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert not any(name == bad or name.startswith(bad + ".")
                           for bad in FORBIDDEN_MODULES), f"{path.name} imports {name}"


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: p.name)
def test_core_module_reads_no_clock_and_no_files(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name):
            assert func.id != "open", f"{path.name}:{node.lineno} opens a file"
        elif (isinstance(func, ast.Attribute) and func.attr in CLOCK_READS
              and isinstance(func.value, ast.Name) and func.value.id in CLOCK_CLASSES):
            raise AssertionError(f"{path.name}:{node.lineno} reads the clock: "
                                 f"{func.value.id}.{func.attr}()")


def test_the_check_sees_the_core() -> None:
    assert len(core_modules()) >= 8
