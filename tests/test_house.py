"""The house stays one a newcomer finds their way in: every room and module says what it is for,
the tests mirror the package, and no module is too long to read in one sitting.

docs/architecture.md describes the rooms; these checks keep the tree matching it. They read the
files (nothing is imported), so they run in a blink and need no Qt.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "desktop" / "quell"
UI = PACKAGE / "ui"
TESTS = ROOT / "tests"
# A module a reader takes in in one sitting: about an hour's careful reading. Past this, split it
# by what its parts are for (as ui/history/ is split per tab).
MAX_LINES = 900
# Test folders that mirror no package folder: the benchmarks (`make bench`) are their own tool.
NOT_MIRRORS = {"bench"}


def package_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def rooms() -> list[Path]:
    return sorted(path.parent for path in UI.glob("*/__init__.py"))


def shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def summary_line(path: Path) -> str | None:
    """The first line of a module's docstring, or None when it opens with none."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    return docstring.strip().splitlines()[0].strip() if docstring and docstring.strip() else None


def says_a_role(line: str, path: Path) -> bool:
    """A first line that reads as a statement of purpose: a few words, starting like a sentence
    (a letter, a quote or a backquote: "logind's ..." is one), more than the module's own name."""
    words = re.findall(r"[\w'-]+", line)
    name = path.parent.name if path.name == "__init__.py" else path.stem
    restates_name = {word.lower() for word in words} <= {name.lower(), "module", "package",
                                                         "the", "a", "for", "of"}
    return len(words) >= 3 and bool(re.match(r"[^\W\d_]|[`\"'(]", line)) and not restates_name


# --- Every room and module says what it is for ----------------------------------------------


def test_every_ui_room_opens_with_a_docstring_saying_what_it_owns() -> None:
    missing = []
    for room in rooms():
        init = room / "__init__.py"
        line = summary_line(init)
        if line is None or not says_a_role(line, init):
            missing.append(f"{shown(init)}: {line!r}")
    assert not missing, "rooms without a docstring saying what they own:\n" + "\n".join(missing)


def test_every_module_opens_with_a_docstring_saying_its_role() -> None:
    missing = []
    for path in package_modules():
        line = summary_line(path)
        if line is None:
            missing.append(f"{shown(path)}:1: no module docstring")
        elif not says_a_role(line, path):
            missing.append(f"{shown(path)}:1: the first line says no role: {line!r}")
    assert not missing, "\n".join(missing)


def test_the_role_check_can_fail() -> None:
    module = PACKAGE / "ui" / "today" / "window.py"
    assert not says_a_role("window", module)
    assert not says_a_role("The window module.", module)
    assert not says_a_role("todo", module)
    assert not says_a_role("- a list, not a sentence", module)
    assert says_a_role("The Today window: each habit's progress and the day's entries.", module)
    assert says_a_role("`quell habit`: add, list and archive the user's own habits.", module)


# --- Tests mirror the package ---------------------------------------------------------------


def test_every_ui_test_folder_has_its_room() -> None:
    orphans = [shown(folder) for folder in sorted((TESTS / "ui").iterdir())
               if folder.is_dir() and folder.name != "__pycache__"
               and not (UI / folder.name / "__init__.py").exists()]
    assert not orphans, f"test folders without a matching room in {shown(UI)}: {orphans}"


def test_every_room_has_its_test_folder() -> None:
    untested = [shown(room) for room in rooms() if not (TESTS / "ui" / room.name).is_dir()]
    assert not untested, f"rooms whose tests do not live in tests/ui/<room>/: {untested}"


def test_every_test_layer_has_its_package_layer() -> None:
    orphans = [shown(folder) for folder in sorted(TESTS.iterdir())
               if folder.is_dir() and (folder / "__init__.py").exists()
               and folder.name not in NOT_MIRRORS
               and not (PACKAGE / folder.name / "__init__.py").exists()]
    assert not orphans, f"test folders without a matching {shown(PACKAGE)}/<layer>: {orphans}"


# --- No module too long to read in one sitting ----------------------------------------------


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_longer_than_a_sitting() -> None:
    long = sorted(((line_count(path), shown(path)) for path in package_modules()
                   if line_count(path) > MAX_LINES), reverse=True)
    assert not long, (f"modules over {MAX_LINES} lines (split them by what their parts are for):\n"
                      + "\n".join(f"{name}: {lines} lines" for lines, name in long))
