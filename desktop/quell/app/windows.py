"""Opens Quell's windows on request, each created on first use and reused afterwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QWidget

from quell.ui.services.session import Session

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from quell.storage.history_store import HistoryStore
    from quell.ui.history.window import HistoryTab, HistoryWindow
    from quell.ui.reminders.menu import ReminderTrayMenu
    from quell.ui.report.dialog import Gather
    from quell.ui.services.background import Connect
    from quell.ui.services.symptom_session import SymptomSession
    from quell.ui.shell.main_window import MainWindow
    from quell.ui.shell.menus import AppActions
    from quell.ui.symptoms.emergency_card import EmergencySignsCard
    from quell.ui.today.window import TodayWindow


@dataclass(frozen=True)
class WindowParts:
    """What the windows read beyond the session, built by the composition root (app/gui.py)
    and made on first use (start-up does not pay for them); nothing here opens a database.

    history: the History window's store. symptoms: the twitch diary and symptom checks.
    gather_report, connect: how the report dialog gathers its report on a worker thread, and
    opens that job's own database connection.
    """

    history: Callable[[], HistoryStore]
    symptoms: Callable[[], SymptomSession]
    gather_report: Gather | None = None
    connect: Connect | None = None


class Windows(QObject):
    """Creates the main window and dialogs lazily, so start-up only pays for the tray.

    The main window's menu bar lays out *actions*, the tray menu's own actions (made here
    when none are given, for a Windows without a tray). *parts* gives the stores behind
    History, the symptom windows and the report (without them those cannot open).
    """

    def __init__(self, session: Session, data_folder: str = "", log_file: str = "",
                 parent: QObject | None = None, *, actions: AppActions | None = None,
                 parts: WindowParts | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._actions = actions
        self._main: MainWindow | None = None
        self._reminders: tuple[ReminderTrayMenu, tuple[SignalInstance, ...]] | None = None
        self._parts = parts
        self._history: HistoryWindow | None = None
        self._data_folder = data_folder
        self._log_file = log_file
        self._about: QDialog | None = None
        self._symptoms: SymptomSession | None = None
        self._twitch_log: QDialog | None = None
        self._twitch_rating: QDialog | None = None
        self._wizard: QDialog | None = None
        self._diary: QWidget | None = None
        self._check_history: QDialog | None = None
        self._emergency_card: EmergencySignsCard | None = None
        self._report: QDialog | None = None
        self._messages: list[QWidget] = []
        self._settings: QDialog | None = None
        self._log_dialogs: dict[str, QDialog] = {}

    @property
    def main_window(self) -> MainWindow | None:
        return self._main

    @property
    def today_window(self) -> TodayWindow | None:
        """The Today view inside the main window (None until the window was first shown)."""
        return self._main.today if self._main is not None else None

    def show_today(self) -> None:
        """The main window (its Today view), in front."""
        self._session.check_day()  # after a wake from sleep, open on the new day
        self.main().present()

    def main(self) -> MainWindow:
        """The main window, made on first use."""
        from quell.ui.shell.main_window import MainWindow
        from quell.ui.shell.menus import AppActions

        if self._main is None:
            if self._actions is None:
                self._actions = AppActions(self._session, self)
            window = MainWindow(self._session, self._actions)
            today = window.today
            today.twitch_log_requested.connect(self.show_twitch_log)
            today.twitch_rating_requested.connect(self.show_twitch_rating)
            today.symptom_check_requested.connect(self.show_symptom_check)
            today.history_requested.connect(self.show_history)
            if self._reminders is not None:
                window.set_reminders(*self._reminders)
            self._main = window
        return self._main

    def set_reminders(self, menu: ReminderTrayMenu,
                      signals: tuple[SignalInstance, ...] = ()) -> None:
        """The reminders' menu for the main window's menu bar (now, or when it is made)."""
        self._reminders = (menu, signals)
        if self._main is not None:
            self._main.set_reminders(menu, signals)

    def hide_all(self) -> None:
        """Hide the main window without asking anything (Quell is quitting)."""
        if self._main is not None:
            self._main.hide()

    def show_settings(self, tab: str | None = None) -> None:
        """Settings; *tab* "reminders" opens on the reminders' page."""
        from quell.ui.settings.dialog import SettingsDialog

        if self._settings is None or not self._settings.isVisible():
            self._settings = SettingsDialog(self._session)
            self._settings.finished.connect(self._settings.deleteLater)
            self._settings.destroyed.connect(self._forget_settings)
        if tab == "reminders":
            dialog: SettingsDialog = self._settings  # type: ignore[assignment]
            dialog.tabs.setCurrentWidget(dialog.reminders_page)
        _present(self._settings)

    def show_log_dialog(self, habit_key: str) -> None:
        from quell.ui.today.entry_dialogs import LogEntryDialog

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

    def show_history(self, tab: HistoryTab | None = None) -> None:
        """History & insights, on *tab* (or on the tab it was on)."""
        from quell.ui.history.window import HistoryWindow

        if self._history is None:
            self._history = HistoryWindow(self._session, self._need_parts().history())
        self._history.present(tab)

    @property
    def symptoms(self) -> SymptomSession:
        """The twitch diary and symptom checks, set up on first use."""
        if self._symptoms is None:
            self._symptoms = self._need_parts().symptoms()
        return self._symptoms

    def _need_parts(self) -> WindowParts:
        if self._parts is None:
            raise RuntimeError("Windows was built without its parts (the stores)")
        return self._parts

    def show_twitch_log(self) -> None:
        """Log a twitch: an area button (side and strength as last time) is the second click."""
        from quell.ui.symptoms.twitch_diary import TwitchLogDialog

        self._open_transient("_twitch_log", lambda: TwitchLogDialog(self.symptoms))

    def show_twitch_rating(self, day: date | None = None) -> None:
        """The twitch rating of *day* (today when None) with its body areas (the menu's 0–4
        need no dialog); one open for another day gives way to it."""
        from quell.ui.symptoms.rating_dialog import TwitchRatingDialog

        day = day or self._session.current_day()
        open_now = self._twitch_rating
        if isinstance(open_now, TwitchRatingDialog) and open_now.day != day:
            open_now.reject()
            self._twitch_rating = None
        self._open_transient("_twitch_rating",
                             lambda: TwitchRatingDialog(self._session, day=day))

    @property
    def twitch_rating_dialog(self) -> QDialog | None:
        """The twitch rating dialog while it is open."""
        return self._twitch_rating

    def show_symptom_check(self) -> None:
        from quell.ui.symptoms.wizard import SymptomWizard

        def made() -> SymptomWizard:
            wizard = SymptomWizard(self.symptoms)
            wizard.emergency_signs_requested.connect(self.show_emergency_signs)
            return wizard

        self._open_transient("_wizard", made)

    @property
    def emergency_card(self) -> EmergencySignsCard | None:
        """The emergency signs card, once it has been opened."""
        return self._emergency_card

    def show_emergency_signs(self) -> None:
        """The emergency signs card: nothing is read or asked first, so it opens at once."""
        from quell.ui.services.symptom_session import emergency_number
        from quell.ui.symptoms.emergency_card import EmergencySignsCard

        number = emergency_number(self._session.settings().locale)
        if self._emergency_card is None:
            self._emergency_card = EmergencySignsCard(number)
        else:
            self._emergency_card.set_number(number)
        _present(self._emergency_card)

    def show_twitch_diary(self) -> None:
        from quell.ui.symptoms.twitch_diary import TwitchDiaryWindow

        if self._diary is None:
            self._diary = TwitchDiaryWindow(self.symptoms)
        self._diary.present()  # type: ignore[attr-defined]

    def show_check_history(self) -> None:
        from quell.ui.symptoms.check_history import CheckHistoryDialog

        if self._check_history is None:
            dialog = CheckHistoryDialog(self.symptoms)
            dialog.new_check_requested.connect(self.show_symptom_check)
            self._check_history = dialog
        _present(self._check_history)

    def show_report_dialog(self) -> None:
        from quell.ui.report.dialog import ReportDialog

        parts = self._need_parts()
        self._open_transient("_report", lambda: ReportDialog(
            self.symptoms, gather=parts.gather_report, connect=parts.connect))

    def show_about(self) -> None:
        from quell.ui.shell.about import AboutDialog

        if self._about is None:
            self._about = AboutDialog(self._data_folder, self._log_file)
        _present(self._about)

    def _open_transient(self, attribute: str, make: Callable[[], QDialog]) -> None:
        """Show the dialog kept in *attribute*, making it if needed; closing deletes it."""
        dialog: QDialog | None = getattr(self, attribute)
        if dialog is None:
            dialog = make()
            dialog.finished.connect(dialog.deleteLater)
            dialog.destroyed.connect(lambda _obj=None, d=dialog: self._forget(attribute, d))
            setattr(self, attribute, dialog)
        _present(dialog)

    def _forget(self, attribute: str, dialog: QDialog) -> None:
        """A transient dialog is gone: forget it, unless another has taken its place."""
        if getattr(self, attribute) is dialog:
            setattr(self, attribute, None)

    def show_message(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Information, title, text)
        box.setModal(False)
        # Held until closed: a parentless box whose Python wrapper is dropped vanishes at once.
        self._messages.append(box)
        box.finished.connect(lambda _result, b=box: self._close_message(b))
        _present(box)

    def _close_message(self, box: QWidget) -> None:
        self._messages.remove(box)
        box.deleteLater()

    def _forget_settings(self) -> None:
        self._settings = None


def _present(widget: QWidget) -> None:
    widget.show()
    widget.raise_()
    widget.activateWindow()
