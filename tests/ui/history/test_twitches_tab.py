"""The Twitches tab: its period box."""

from __future__ import annotations

from PySide6.QtCore import Qt

from quell.ui.history.window import HistoryWindow
from tests.ui.history.history_parts import show


def test_the_period_box_takes_the_wheel_only_when_focused(qtbot, window: HistoryWindow
                                                          ) -> None:
    from tests.ui.settings.test_dialog import wheel

    show(qtbot, window)
    window.tabs.setCurrentWidget(window.twitches_tab)
    box = window.twitches_tab.twitch_period
    assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus
    wheel(box, notches=-1)
    assert box.currentIndex() == 0
