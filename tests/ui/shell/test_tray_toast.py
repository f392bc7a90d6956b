"""The confirmation toast: what it says, where it goes, that it never takes the focus, and
that Undo names exactly its entry once."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QWidget

from quell.core.entries import Entry, Source
from quell.ui.shell.tray_toast import TrayToast, logged_text, logged_what, toast_position
from tests.conftest import LONDON


def entry(habit: str, amount: float, **detail: object) -> Entry:
    at = datetime(2026, 3, 2, 14, 0, tzinfo=LONDON)
    return Entry(id=7, habit=habit, at=at, day=at.date(), amount=amount, detail=dict(detail),
                 source=Source.TRAY)


@pytest.mark.parametrize(("made", "unit", "text"), [
    (entry("water", 250), "ml", "250 ml of water"),
    (entry("water", 500), "fl_oz", "16.9 fl oz of water"),
    (entry("caffeine", 63, preset="espresso"), "ml", "espresso (63 mg)"),
    (entry("caffeine", 120), "ml", "120 mg of caffeine"),
    (entry("caffeine", 70, preset="espresso"), "ml", "70 mg of caffeine"),  # edited amount
    (entry("stretching", 1), "ml", "a stretch"),
    (entry("stretching", 2), "ml", "Stretching: 2 sessions"),
    (entry("breathing", 1), "ml", "a breathing session"),
    (entry("stress", 2), "ml", "stress 2 of 5 (calm)"),
    (entry("nicotine", 1), "ml", "Nicotine: 1 dose"),
    (entry("minerals", 1), "ml", "Mg/K-rich food: 1 serving"),
])
def test_what_was_logged(made: Entry, unit: str, text: str) -> None:
    assert logged_what(made, unit) == text
    assert logged_text(made, unit) == f"Logged {text}"


SCREEN = QRect(0, 32, 1280, 768)  # a top panel 32 px high
SIZE = QSize(300, 40)


def test_next_to_a_top_tray_icon() -> None:
    spot = toast_position(SIZE, QRect(1250, 4, 24, 24), SCREEN)
    assert spot == QPoint(1280 - 300, 4 + 24 + 8)  # below the icon, kept inside the screen


def test_next_to_a_bottom_tray_icon() -> None:
    spot = toast_position(SIZE, QRect(600, 770, 24, 24), QRect(0, 0, 1280, 768))
    assert spot == QPoint(611 - 150, 770 - 40 - 8)  # QRect.center rounds down


def test_in_the_corner_when_the_icon_is_unknown() -> None:
    assert toast_position(SIZE, QRect(), SCREEN) == QPoint(1280 - 300 - 8, 32 + 8)
    bottom = toast_position(SIZE, QRect(), SCREEN, bottom=True)
    assert bottom == QPoint(1280 - 300 - 8, 800 - 40 - 8)
    # An icon somewhere off this screen (another monitor's) is not followed.
    assert toast_position(SIZE, QRect(3000, 0, 24, 24), SCREEN) == QPoint(972, 40)


def test_never_takes_the_focus(qtbot) -> None:
    toast = TrayToast()
    qtbot.addWidget(toast)
    assert toast.isWindow()
    flags = toast.windowFlags()
    assert flags & Qt.WindowType.WindowDoesNotAcceptFocus
    assert flags & Qt.WindowType.FramelessWindowHint
    assert toast.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    focus = QWidget()
    qtbot.addWidget(focus)
    focus.show()
    focus.activateWindow()
    qtbot.wait_until(focus.isActiveWindow)
    toast.show_logged("Logged 250 ml of water", 7, QRect(1250, 4, 24, 24))
    assert toast.isVisible()
    assert focus.isActiveWindow()
    toast.dismiss()


def test_undo_names_its_entry_once_and_it_goes_away(qtbot) -> None:
    toast = TrayToast()
    qtbot.addWidget(toast)
    toast.show_logged("Logged a stretch", 42)
    assert toast.message.text() == "Logged a stretch"
    assert toast.undo_button.text() == "&Undo"
    with qtbot.wait_signal(toast.undo_requested) as blocker:
        toast.undo_button.click()
    assert blocker.args == [42]
    assert not toast.isVisible() and toast.entry_id is None
    with qtbot.assert_not_emitted(toast.undo_requested):
        toast.undo_button.click()


def test_it_fades_after_its_seconds_and_stays_while_hovered(qtbot) -> None:
    toast = TrayToast()
    qtbot.addWidget(toast)
    assert toast.timer.interval() == 6000
    toast.timer.setInterval(30)
    toast.show_logged("Logged a stretch", 1)
    qtbot.wait_until(lambda: not toast.isVisible(), timeout=1000)
    toast.show_logged("Logged a stretch", 2)
    qtbot.mouseMove(toast)  # the pointer on it: it waits for the user
    toast.enterEvent(None)  # type: ignore[arg-type]  # offscreen sends no enter events
    assert not toast.timer.isActive()
    toast.leaveEvent(None)  # type: ignore[arg-type]
    assert toast.timer.isActive()
    qtbot.wait_until(lambda: not toast.isVisible(), timeout=1000)


def test_inside_a_window_tab_reaches_undo(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    toast = TrayToast(window)
    assert not toast.isWindow()
    window.show()
    toast.show_logged("Logged 250 ml of water", 3)
    assert toast.undo_button.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert toast.dismiss_button.accessibleName() == "Dismiss"
    toast.undo_button.setFocus()
    with qtbot.wait_signal(toast.undo_requested) as blocker:
        qtbot.keyClick(toast.undo_button, Qt.Key.Key_Space)
    assert blocker.args == [3]


def test_what_was_logged_of_a_user_habit() -> None:
    from quell.core.habits import Direction, Kind, user_habit

    juice = user_habit("Juice", "ml", Kind.AMOUNT, Direction.NONE, quick=(200,))
    mood = user_habit("Mood", "rating", Kind.RATING, Direction.NONE)
    assert logged_what(entry("juice", 200), "ml", juice) == "200 ml of juice"
    assert logged_what(entry("mood", 3), "ml", mood) == "Mood: 3 / 5"
    assert logged_what(entry("gone", 2), "ml") == "gone: 2"  # no definition: still words
