"""The inline "Deleted … · Undo" bar a window shows after the user deletes something."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

UNDO_SECONDS = 10


def undo_controls(row: QHBoxLayout, message: QWidget, on_undo: Callable[[], object],
                  on_dismiss: Callable[[], object]) -> tuple[QPushButton, QToolButton]:
    """*message*, then Undo and a ✕ button, in *row*; both buttons reachable with Tab."""
    undo = QPushButton(QCoreApplication.translate("UndoBar", "&Undo"))
    undo.setAutoDefault(False)
    undo.clicked.connect(lambda _checked=False: on_undo())
    dismiss = QToolButton()
    dismiss.setText("✕")
    dismiss.setAutoRaise(True)
    dismiss.setAccessibleName(QCoreApplication.translate("UndoBar", "Dismiss"))
    dismiss.setToolTip(QCoreApplication.translate("UndoBar", "Dismiss"))
    dismiss.clicked.connect(lambda _checked=False: on_dismiss())
    row.addWidget(message, 1)
    row.addWidget(undo)
    row.addWidget(dismiss)
    return undo, dismiss


class UndoBar(QFrame):
    """Says what was just deleted and offers Undo; it hides itself after a few seconds.

    The window keeps what can be undone (its Ctrl+Z works on after the bar has gone) and
    connects :attr:`undo_requested` to its undo. Undo and the ✕ button are reachable with Tab.

    Signals:
        undo_requested(): the user pressed Undo.
    """

    undo_requested = Signal()

    def __init__(self, undo_tip: str, *, seconds: int = UNDO_SECONDS,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.setAutoFillBackground(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 4, 4)
        self.message = QLabel()
        self.undo_button, self.dismiss_button = undo_controls(
            row, self.message, lambda: self.undo_requested.emit(), self.dismiss)
        self.undo_button.setToolTip(undo_tip)
        self.hide()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(seconds * 1000)
        self.timer.timeout.connect(self.hide)

    def show_deleted(self, text: str) -> None:
        """Show *text* ('Deleted water 250 ml.') with Undo, for the bar's few seconds."""
        self.message.setText(text)
        self.show()
        self.timer.start()

    def dismiss(self) -> None:
        """Hide the bar now (after an undo, on ✕, or when the window closes)."""
        self.hide()
        self.timer.stop()
