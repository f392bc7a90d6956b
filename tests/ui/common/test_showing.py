"""Bringing a window to the front, and the one dialog a window has open at a time."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from quell.ui.common.showing import OpenDialog, bring_to_front


def test_bring_to_front_shows_and_restores_a_minimized_window(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.setWindowState(Qt.WindowState.WindowMinimized)
    bring_to_front(window)
    assert window.isVisible()
    assert not window.windowState() & Qt.WindowState.WindowMinimized


def test_the_open_dialog_is_window_modal_and_forgotten_when_it_finishes(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    slot = OpenDialog()
    assert slot.dialog is None
    dialog = QDialog(window)
    assert slot.open(dialog) is dialog
    assert slot.dialog is dialog and dialog.isVisible()
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    assert dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.reject()
    assert slot.dialog is None
    qtbot.wait_until(lambda: not shiboken6.isValid(dialog))  # deleted once it closed


def test_a_second_dialog_takes_the_place_of_the_first(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    slot = OpenDialog()
    first = slot.open(QDialog(window))
    first.accept()
    second = slot.open(QDialog(window))
    assert slot.dialog is second
    second.reject()
    assert slot.dialog is None
