"""A dialog's frame: its column of parts with the heading at the top."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QLabel

from quell.ui.common.style import dialog_layout


def test_a_small_dialog_gets_the_heading_and_the_small_frame(qtbot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = dialog_layout(dialog, "Edit twitch")
    assert dialog.layout() is layout
    margins = layout.contentsMargins()
    assert (margins.left(), margins.top(), margins.right(), margins.bottom()) == (18, 14, 18, 14)
    assert layout.spacing() == 10
    heading = layout.itemAt(0).widget()
    assert isinstance(heading, QLabel) and heading.text() == "Edit twitch"
    assert heading.font().weight() == QFont.Weight.DemiBold


def test_a_window_sized_dialog_passes_its_own_frame(qtbot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = dialog_layout(dialog, "Your symptom checks", margins=(16, 12, 16, 12), spacing=8)
    margins = layout.contentsMargins()
    assert (margins.left(), margins.top(), layout.spacing()) == (16, 12, 8)
    assert layout.count() == 1
