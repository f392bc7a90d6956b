"""Opens Quell's windows on request, each created on first use and reused afterwards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from desktop.ui.session import Session

if TYPE_CHECKING:
    import sqlite3

    from desktop.ui.history_window import HistoryWindow


class Windows(QObject):
    """Creates the Today window and dialogs lazily, so start-up only pays for the tray."""

    def __init__(self, session: Session, data_folder: str = "", log_file: str = "",
                 connection: sqlite3.Connection | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._connection = connection
        self._history: HistoryWindow | None = None
        self._data_folder = data_folder
        self._log_file = log_file
        self._about: QDialog | None = None
        self._today: QWidget | None = None
        self._settings: QDialog | None = None
        self._log_dialogs: dict[str, QDialog] = {}

    @property
    def today_window(self) -> QWidget | None:
        return self._today

    def show_today(self) -> None:
        from desktop.ui.today_window import TodayWindow

        if self._today is None:
            self._today = TodayWindow(self._session)
        self._today.present()  # type: ignore[attr-defined]

    def show_settings(self) -> None:
        from desktop.ui.settings_dialog import SettingsDialog

        if self._settings is None or not self._settings.isVisible():
            self._settings = SettingsDialog(self._session)
            self._settings.finished.connect(self._settings.deleteLater)
            self._settings.destroyed.connect(self._forget_settings)
        _present(self._settings)

    def show_log_dialog(self, habit_key: str) -> None:
        from desktop.ui.entry_dialogs import LogEntryDialog

        dialog = self._log_dialogs.get(habit_key)
        if dialog is None:
            dialog = LogEntryDialog(self._session, habit_key)
            dialog.finished.connect(dialog.deleteLater)
            dialog.destroyed.connect(lambda _obj=None, k=habit_key: self._log_dialogs.pop(k, None))
            self._log_dialogs[habit_key] = dialog
        _present(dialog)

    @property
    def history_window(self) -> HistoryWindow | None:
        return self._history

    def show_history(self, tab: str | None = None) -> None:
        """History & insights; *tab* is habits, twitches, insights or reminders."""
        from desktop.storage.history_store import HistoryStore
        from desktop.ui.history_window import HistoryWindow

        if self._connection is None:
            raise RuntimeError("Windows was built without the database connection")
        if self._history is None:
            self._history = HistoryWindow(self._session, HistoryStore(self._connection))
        self._history.present(tab)

    def show_about(self) -> None:
        from desktop.ui.about import AboutDialog

        if self._about is None:
            self._about = AboutDialog(self._data_folder, self._log_file)
        _present(self._about)

    def show_message(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text)
        box.setModal(False)
        box.finished.connect(box.deleteLater)
        _present(box)

    def _forget_settings(self) -> None:
        self._settings = None


def _present(widget: QWidget) -> None:
    widget.show()
    widget.raise_()
    widget.activateWindow()
