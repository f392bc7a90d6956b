"""The inline "Deleted … · Undo" bar a window shows after the user deletes something."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

UNDO_SECONDS = 10


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
        self.undo_button = QPushButton(self.tr("&Undo"))
        self.undo_button.setAutoDefault(False)
        self.undo_button.setToolTip(undo_tip)
        self.undo_button.clicked.connect(lambda _checked=False: self.undo_requested.emit())
        self.dismiss_button = QToolButton()
        self.dismiss_button.setText("✕")
        self.dismiss_button.setAutoRaise(True)
        self.dismiss_button.setAccessibleName(self.tr("Dismiss"))
        self.dismiss_button.setToolTip(self.tr("Dismiss"))
        self.dismiss_button.clicked.connect(self.dismiss)
        row.addWidget(self.message, 1)
        row.addWidget(self.undo_button)
        row.addWidget(self.dismiss_button)
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
