"""Guard against a PySide6 6.12.0 bug: Qt calls returning None decrement None's refcount.

On Python < 3.12 (where None is not immortal) that aborts a long-running app with
"none_dealloc". pyproject.toml excludes the broken release; this test fails if it comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QTreeWidget


def test_qt_calls_returning_none_keep_none_alive(qtbot) -> None:
    tree = QTreeWidget()
    qtbot.add_widget(tree)
    action = QAction("x")
    before = sys.getrefcount(None)
    for _ in range(500):
        assert tree.currentItem() is None
        assert action.menu() is None
    # Immortal None (3.12+) reports a huge constant; a mortal one must not have lost 1000 refs.
    assert sys.getrefcount(None) > before - 100
