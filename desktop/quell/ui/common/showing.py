"""Showing Quell's windows: bringing one to the front, and the one dialog it has open at a time."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

DialogT = TypeVar("DialogT", bound=QDialog)


def bring_to_front(window: QWidget) -> None:
    """Show *window* in front of the others, restoring it from the taskbar if minimized."""
    window.show()
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.raise_()
    window.activateWindow()


class OpenDialog:
    """The dialog a window has open: window-modal (the window waits, the app does not) and
    deleted once it closes. :attr:`dialog` is it while it is open, None after it finished."""

    def __init__(self) -> None:
        self._dialog: QDialog | None = None

    @property
    def dialog(self) -> QDialog | None:
        return self._dialog

    def open(self, dialog: DialogT) -> DialogT:
        """Open *dialog* and hand it back (to its caller, and tests)."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._finished)
        self._dialog = dialog
        dialog.open()
        return dialog

    def _finished(self) -> None:
        self._dialog = None
