"""The layers keep to their rules: the core stays pure, and each layer imports only what it may.

Every module of the package is parsed (never imported), and every import is seen: at the top,
inside a function (the lazy imports that keep start-up small), under `if TYPE_CHECKING:`, and
relative ones resolved to their absolute name. A failure names the file, the line and the rule.
The rules are those of docs/architecture.md ("Layers"); there is no allowlist: a module that
needs what its layer may not import belongs in another layer.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2] / "desktop"
PACKAGE = SOURCE / "quell"
CORE = PACKAGE / "core"
# What the core may not import: Qt, SQLite, the file system and the OS, the clock, threads,
# anything that talks to the world. (What it may import of ours is the next rule: only the core.)
IMPURE_MODULES = ("PySide6", "shiboken6", "sqlite3", "os", "pathlib", "io", "shutil",
                  "socket", "subprocess", "tempfile", "platformdirs", "apscheduler",
                  "tzlocal", "time", "glob", "fcntl", "mmap", "threading", "multiprocessing")
# datetime.now(), date.today() and friends: the core asks its injected Clock instead.
CLOCK_READS = {"now", "today", "utcnow", "fromtimestamp"}
CLOCK_CLASSES = {"datetime", "date"}


@dataclass(frozen=True)
class Import:
    """One name a module imports: `import a.b` gives a.b; `from a import b` gives a and a.b
    (b may be a submodule, and `from quell import storage` must count as quell.storage)."""

    path: Path
    line: int
    name: str


@dataclass(frozen=True)
class Rule:
    """A layer rule: modules it `covers` (by dotted name) must not import what it `forbids`."""

    text: str
    covers: Callable[[str], bool]
    forbids: Callable[[str], bool]


def within(name: str, *packages: str) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


RULES = (
    Rule("the core imports no Qt, SQLite, os, file system, clock or thread library",
         covers=lambda module: within(module, "quell.core"),
         forbids=lambda name: within(name, *IMPURE_MODULES)),
    Rule("the core imports nothing of ours outside the core",
         covers=lambda module: within(module, "quell.core"),
         forbids=lambda name: within(name, "quell") and not within(name, "quell.core")),
    Rule("only ui/services and app import quell.storage",
         covers=lambda module: not within(module, "quell.storage", "quell.ui.services",
                                          "quell.app"),
         forbids=lambda name: within(name, "quell.storage")),
    Rule("scheduling never imports quell.ui",
         covers=lambda module: within(module, "quell.scheduling"),
         forbids=lambda name: within(name, "quell.ui")),
    # A storage error reaches the ui as one of quell.storage.errors, through ui/services.
    Rule("the ui never imports sqlite3",
         covers=lambda module: within(module, "quell.ui"),
         forbids=lambda name: within(name, "sqlite3")),
    Rule("platform imports neither the ui nor storage",
         covers=lambda module: within(module, "quell.platform"),
         forbids=lambda name: within(name, "quell.ui", "quell.storage")),
    # The file primitives are shared by platform and storage, so they depend on neither.
    Rule("quell.files imports of ours only quell itself and quell.core.i18n",
         covers=lambda module: module == "quell.files",
         forbids=lambda name: (within(name, "quell") and name != "quell"
                               and not within(name, "quell.core.i18n")
                               and name not in {"quell.APP_ID", "quell.APP_NAME"})),
)


def module_name(path: Path) -> str:
    """desktop/quell/ui/today/window.py -> quell.ui.today.window (a package: its own name)."""
    parts = list(path.relative_to(SOURCE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_of(path: Path) -> str:
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imports_in(source: str, path: Path) -> Iterator[Import]:
    """Every import of a module's source, wherever it stands (ast.walk sees every block)."""
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(path, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = package_of(path).split(".")
                anchor = package[:len(package) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            if node.module or node.level:
                yield Import(path, node.lineno, base)
            for alias in node.names:
                if alias.name != "*":
                    yield Import(path, node.lineno, f"{base}.{alias.name}" if base else alias.name)


def package_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def core_modules() -> list[Path]:
    return sorted(CORE.glob("*.py"))


def shown(path: Path) -> str:
    return path.relative_to(SOURCE.parent).as_posix()


def violations(rule: Rule, paths: list[Path]) -> list[str]:
    found: list[str] = []
    for path in paths:
        if not rule.covers(module_name(path)):
            continue
        lines: set[int] = set()  # `from a.b import c` yields a.b and a.b.c: one report a line
        for imported in imports_in(path.read_text(encoding="utf-8"), path):
            if rule.forbids(imported.name) and imported.line not in lines:
                lines.add(imported.line)
                found.append(f"{shown(path)}:{imported.line}: imports {imported.name} "
                             f"(rule: {rule.text})")
    return found


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.text)
def test_every_module_keeps_the_layer_rule(rule: Rule) -> None:
    found = violations(rule, package_modules())
    assert not found, f"{len(found)} import(s) break a layer rule:\n" + "\n".join(found)


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: p.name)
def test_core_module_reads_no_clock_and_no_files(path: Path) -> None:
    rule = "the core reads no clock and opens no file"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name):
            assert func.id != "open", f"{shown(path)}:{node.lineno}: opens a file (rule: {rule})"
        elif (isinstance(func, ast.Attribute) and func.attr in CLOCK_READS
              and isinstance(func.value, ast.Name) and func.value.id in CLOCK_CLASSES):
            raise AssertionError(f"{shown(path)}:{node.lineno}: reads the clock: "
                                 f"{func.value.id}.{func.attr}() (rule: {rule})")


# --- The check itself: it sees every layer, and every kind of import ------------------------


def test_the_check_sees_every_layer() -> None:
    layers = {module_name(path).split(".")[1] for path in package_modules()
              if module_name(path).count(".")}
    assert {"core", "storage", "scheduling", "platform", "ui", "app"} <= layers
    assert len(core_modules()) >= 8


def test_imports_inside_functions_type_checking_and_relative_ones_are_seen() -> None:
    source = (
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from quell.storage.store import Store\n"
        "def later() -> None:\n"
        "    import sqlite3\n"
        "class Late:\n"
        "    def method(self) -> None:\n"
        "        from ..storage import errors\n"
        "from . import card\n"
    )
    path = PACKAGE / "ui" / "reminders" / "presenter.py"
    names = {(item.line, item.name) for item in imports_in(source, path)}
    assert (4, "quell.storage.store") in names
    assert (6, "sqlite3") in names
    assert (9, "quell.ui.storage.errors") in names
    assert (10, "quell.ui.reminders.card") in names
    # `from quell import storage` is an import of quell.storage.
    assert (1, "quell.storage") in {(item.line, item.name) for item in
                                    imports_in("from quell import storage\n", path)}


def test_a_violation_names_the_file_the_line_and_the_rule() -> None:
    rule = next(rule for rule in RULES if rule.text.startswith("the ui never imports sqlite3"))
    module = PACKAGE / "ui" / "today" / "window.py"
    found = [f"{shown(module)}:{item.line}: imports {item.name} (rule: {rule.text})"
             for item in imports_in("x = 1\n\ndef f():\n    import sqlite3\n", module)
             if rule.covers(module_name(module)) and rule.forbids(item.name)]
    assert found == ["desktop/quell/ui/today/window.py:4: imports sqlite3 "
                     f"(rule: {rule.text})"]


def test_each_rule_covers_the_layers_the_issue_names() -> None:
    by_text = {rule.text: rule for rule in RULES}
    storage = by_text["only ui/services and app import quell.storage"]
    assert not storage.covers("quell.ui.services.session")
    assert not storage.covers("quell.app.windows")
    assert not storage.covers("quell.storage.store")
    for importer in ("quell.ui.history.charts", "quell.scheduling.reminders",
                     "quell.platform.dbus", "quell.core.tracker", "quell"):
        assert storage.covers(importer) and storage.forbids("quell.storage.store")
    outside = by_text["the core imports nothing of ours outside the core"]
    assert outside.forbids("quell.ui.services") and outside.forbids("quell.APP_NAME")
    assert not outside.forbids("quell.core.habits") and not outside.forbids("quellish")
