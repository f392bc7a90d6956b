"""Qt loads for the tray without PySide6 keeping a copy of each module's source (7 MB)."""

from __future__ import annotations

import json
import linecache
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, cast

from quell.app.qt_start import keeping_no_source

ROOT = Path(__file__).resolve().parents[2]

LOAD = """
import json, linecache, os, sys
from quell.app.qt_start import load_qt  # as main() does: before Qt
import PySide6.QtCore
if sys.argv[1] == "lean":
    load_qt()
    load_qt()  # twice is once
import quell.ui.shell.tray
from shibokensupport import feature
ours = os.path.dirname(quell.__file__) + os.sep  # the package's files (not a checkout's path)
print(json.dumps({
    "cached": sorted(n for n in linecache.cache if n.startswith(ours)),
    "answers": {k: v for k, v in feature.pyside_feature_dict.items() if k.startswith("quell")},
    "check": feature._mod_uses_pyside.__qualname__,
    "wrapped": [c.cell_contents.__name__ for c in feature._mod_uses_pyside.__closure__ or ()
                if callable(c.cell_contents)]}))
"""


def loaded(how: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", LOAD, how], capture_output=True, text=True,
                          timeout=60, check=True, cwd=ROOT)
    return cast(dict[str, Any], json.loads(done.stdout.strip().splitlines()[-1]))


def test_modules_imported_after_qt_leave_no_source_in_memory() -> None:
    plain, lean = loaded("plain"), loaded("lean")
    assert len(plain["cached"]) > 10  # PySide6 alone: every module's lines, for good
    assert lean["cached"] == []
    # PySide6's own answer for each module is kept (0: names PySide6, -1: does not).
    assert lean["answers"] == plain["answers"]
    assert lean["answers"]["quell.ui.shell.menus"] == 0
    assert lean["answers"]["quell.core.habits"] == -1
    assert lean["wrapped"] == ["_mod_uses_pyside"]  # wrapped once, not twice


def test_the_wrapped_check_drops_only_the_lines_it_added(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine.py", tmp_path / "theirs.py"
    mine.write_text("import PySide6\n")
    theirs.write_text("x = 1\n")
    linecache.getlines(str(theirs))  # cached before, by someone else

    def reads_source(module: ModuleType) -> bool:
        return "PySide6" in "".join(linecache.getlines(str(mine)))

    try:
        assert keeping_no_source(reads_source)(ModuleType("mine")) is True
        assert str(mine) not in linecache.cache
        assert str(theirs) in linecache.cache
    finally:
        linecache.cache.pop(str(theirs), None)
