"""Quell's main window: the Today view under a menu bar that offers everything the tray does.

On a desktop without a tray (stock GNOME) this window is the only way in, so its menus hold
the very actions of the tray menu (:class:`~quell.ui.shell.menus.AppActions`), keyboard first.
Closing it hides it; Quell keeps running for its reminders, and where no tray icon can bring
the window back it says so, and how, and offers to quit instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPalette, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from quell import APP_NAME
from quell.core.tracker import Logged
from quell.ui.common.showing import bring_to_front
from quell.ui.common.style import small_font
from quell.ui.services.session import Session
from quell.ui.shell.menus import MAIN_WINDOW_NAME, WINDOW, AppActions, menu_actions
from quell.ui.shell.tray_toast import TrayToast, logged_text
from quell.ui.today.window import TodayWindow

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from quell.ui.reminders.menu import ReminderTrayMenu


def gnome_without_tray(tray_available: bool, desktop: str | None = None) -> bool:
    """True on GNOME with no tray: there the AppIndicator extension brings the icon back."""
    if desktop is None:
        desktop = os.environ.get("XDG_CURRENT_DESKTOP", "")
    return not tray_available and "GNOME" in desktop.upper().split(":")


class MainWindow(QMainWindow):
    """The Today view, a menu bar with every tray action, and the reminders' status line.

    *tray_available* is asked each time it matters (a tray can come and go); it is
    :meth:`QSystemTrayIcon.isSystemTrayAvailable` unless a test says otherwise.
    """

    def __init__(self, session: Session, actions: AppActions, *,
                 tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._actions = actions
        actions.install_shortcuts()
        self._tray_available = tray_available
        self._reminder_menu: ReminderTrayMenu | None = None
        self._close_box: QMessageBox | None = None
        self.setObjectName(MAIN_WINDOW_NAME)
        self.setWindowTitle(self.tr("Quell — Today"))

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.hint_banner = self._build_hint_banner()
        banner_row = QHBoxLayout()
        banner_row.setContentsMargins(12, 8, 12, 0)
        banner_row.addWidget(self.hint_banner)
        layout.addLayout(banner_row)
        self.today = TodayWindow(session)
        # Its own Ctrl+W would close (hide) the embedded view; the window's Close does it.
        close_keys = QKeySequence(QKeySequence.StandardKey.Close)
        for shortcut in self.today.findChildren(QShortcut):
            if shortcut.key() == close_keys:
                shortcut.setEnabled(False)
        layout.addWidget(self.today, 1)
        self.toast = TrayToast(central)
        toast_row = QHBoxLayout()
        toast_row.setContentsMargins(16, 0, 16, 8)
        toast_row.addWidget(self.toast)
        layout.addLayout(toast_row)
        self.setCentralWidget(central)

        self.reminder_status = QLabel()
        self.reminder_status.setObjectName("reminderStatusLine")
        self.reminder_status.setAccessibleName(self.tr("Reminders"))
        self.reminder_status.setFont(small_font(self.font()))
        self.reminder_status.setContentsMargins(12, 2, 12, 4)  # in line with the Today view
        self.statusBar().addWidget(self.reminder_status, 1)
        self.statusBar().setSizeGripEnabled(False)

        self._build_menus()
        self._show_hint_once()
        actions.logged.connect(self._logged)
        actions.undone.connect(lambda _entry: self.toast.dismiss())
        self.toast.undo_requested.connect(actions.undo)
        self.resize(520, 720)

    # -- building --------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        actions = self._actions
        # Menu-bar mnemonics (Q L I R V A P) leave the Today view's buttons their Alt keys.
        quell = bar.addMenu(self.tr("&Quell"))
        quell.setObjectName("quellMenu")
        quell.addAction(actions.action("openSettings"))
        quell.addSeparator()
        self.close_action = QAction(self.tr("&Close window"), self)
        self.close_action.setObjectName("closeWindow")
        ctrl_w = QKeySequence("Ctrl+W")  # first, so the menu shows it (Ctrl+F4 works too)
        self.close_action.setShortcuts([ctrl_w] + [
            keys for keys in QKeySequence.keyBindings(QKeySequence.StandardKey.Close)
            if keys != ctrl_w])
        self.close_action.triggered.connect(self.close)
        quell.addAction(self.close_action)
        quell.addAction(actions.action("quit"))

        log = bar.addMenu(self.tr("&Log"))
        log.setObjectName("logMenu")
        actions.fill_log_menu(log)
        twitches = bar.addMenu(self.tr("Tw&itches"))
        twitches.setObjectName("twitchesMenu")
        actions.fill_twitches_menu(twitches)
        self.reminders_placeholder = bar.addMenu(self.tr("&Reminders"))
        self.reminders_placeholder.setObjectName("remindersPlaceholder")
        self.reminders_placeholder.setEnabled(False)
        view = bar.addMenu(self.tr("&View"))
        view.setObjectName("viewMenu")
        view.addAction(actions.action("openToday"))
        view.addAction(actions.action("openHistory"))
        data = bar.addMenu(self.tr("D&ata"))
        data.setObjectName("dataMenu")
        actions.fill_data_menu(data)
        help_menu = bar.addMenu(self.tr("Hel&p"))
        help_menu.setObjectName("helpMenu")
        self.tray_help_action = QAction(self.tr("Quell in the &tray…"), self)
        self.tray_help_action.setObjectName("trayHelp")
        self.tray_help_action.triggered.connect(self.show_tray_help)
        help_menu.addAction(self.tray_help_action)
        help_menu.addSeparator()
        help_menu.addAction(actions.action("openAbout"))
        for menu in (quell, log, twitches, view, data, help_menu):
            self._watch_menu(menu)

    def _watch_menu(self, menu: QMenu) -> None:
        # What is chosen in this window's menus came from the window (its toast shows here).
        menu.aboutToShow.connect(lambda: self._actions.set_origin(WINDOW))
        menu.aboutToHide.connect(self._actions.clear_origin_soon)

    def _build_hint_banner(self) -> QFrame:
        banner = QFrame()
        banner.setObjectName("trayHintBanner")
        banner.setFrameShape(QFrame.Shape.StyledPanel)
        banner.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        banner.setAutoFillBackground(True)
        row = QHBoxLayout(banner)
        row.setContentsMargins(12, 8, 8, 8)
        self.hint_text = QLabel(self.tray_hint())
        self.hint_text.setWordWrap(True)
        self.hint_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.hint_text, 1)
        self.hint_dismiss = QPushButton(self.tr("&Got it"))
        self.hint_dismiss.setObjectName("dismissTrayHint")
        self.hint_dismiss.setAutoDefault(False)
        self.hint_dismiss.setToolTip(self.tr("Hide this hint (Help ▸ Quell in the tray shows "
                                             "it again)"))
        self.hint_dismiss.clicked.connect(self.dismiss_tray_hint)
        row.addWidget(self.hint_dismiss, 0, Qt.AlignmentFlag.AlignTop)
        banner.hide()
        return banner

    # -- the reminders ---------------------------------------------------------------------

    def set_reminders(self, menu: ReminderTrayMenu,
                      signals: tuple[SignalInstance, ...] = ()) -> None:
        """Put the reminders' menu (the tray's own object) in the menu bar, and keep the status
        line in step with *signals* (schedule, pause and hold changes)."""
        if self._reminder_menu is menu:
            return
        self._reminder_menu = menu
        bar = self.menuBar()
        # The menu's own title says "paused until …" or "waiting: …" (right in the tray's
        # menu, too long for a menu bar, where the status line says it). So the bar gets a
        # menu of its own, with a short title, showing the same actions.
        entry = QMenu(self.tr("&Reminders"), self)
        entry.setObjectName("remindersMenuEntry")
        entry.aboutToShow.connect(lambda: self._fill_reminders(entry, menu))
        self._fill_reminders(entry, menu)
        bar.insertMenu(self.reminders_placeholder.menuAction(), entry)
        self.reminders_menu = entry
        bar.removeAction(self.reminders_placeholder.menuAction())
        self._watch_menu(entry)
        for signal in signals:
            signal.connect(self.refresh_status)
        self.refresh_status()

    @staticmethod
    def _fill_reminders(entry: QMenu, menu: ReminderTrayMenu) -> None:
        menu.aboutToShow.emit()  # a fresh look at the hold and the next reminder
        # Not clear(): that deletes actions it considers its own. These are the tray menu's.
        for action in entry.actions():
            entry.removeAction(action)
        entry.addActions(menu.actions())

    def refresh_status(self) -> None:
        menu = self._reminder_menu
        self.reminder_status.setText(menu.status_text() if menu is not None else "")

    # -- the tray hint ---------------------------------------------------------------------

    def tray_hint(self) -> str:
        """What to tell this desktop about the tray icon."""
        available = self._tray_available()
        if gnome_without_tray(available):
            return self.tr("Your desktop shows no tray icons. To keep Quell in the top bar, "
                           "install the AppIndicator extension "
                           "(gnome-shell-extension-appindicator), then log out and back in.")
        if not available:
            return self.tr("Your desktop shows no tray icons. Quell keeps running in the "
                           "background for your reminders; open it again from the "
                           "applications menu.")
        return self.tr("Quell lives in your tray: click its icon for this window, or "
                       "right-click it to log a habit in two clicks.")

    def _show_hint_once(self) -> None:
        shown = self._session.settings().tray_hint_shown
        self.hint_banner.setVisible(not shown and gnome_without_tray(self._tray_available()))

    def dismiss_tray_hint(self) -> None:
        """Hide the banner for good (saved: it is not shown on the next start)."""
        self.hint_banner.hide()
        settings = self._session.settings()
        if not settings.tray_hint_shown:
            self._session.save_settings(settings.replace(tray_hint_shown=True))

    def show_tray_help(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information, APP_NAME, self.tray_hint(),
                          QMessageBox.StandardButton.Close, self)
        box.setObjectName("trayHelpBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # -- confirmations ---------------------------------------------------------------------

    def _logged(self, logged: Logged, origin: str) -> None:
        if origin != WINDOW or logged.entry.id is None or not self.isVisible():
            return
        text = logged_text(logged.entry, self._session.settings().water_unit)
        self.toast.show_logged(text, logged.entry.id)

    # -- showing and closing ---------------------------------------------------------------

    def present(self) -> None:
        """Show the window in front, restoring it from the taskbar if minimized."""
        bring_to_front(self)

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh_status()
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._tray_available():
            self._hide_now()  # the tray icon brings it back
            event.accept()
            return
        # No tray: closing must not look like quitting, nor quit without a word.
        event.ignore()
        self.ask_how_to_close()

    def ask_how_to_close(self) -> QMessageBox:
        """Say that Quell keeps running (and how to come back); offer Keep running or Quit."""
        if self._close_box is not None:
            self._close_box.raise_()
            return self._close_box
        box = QMessageBox(self)
        box.setObjectName("closeBox")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Close Quell's window"))
        box.setText(self.tr("Quell keeps running in the background."))
        box.setInformativeText(self.tr(
            "Your reminders and their notifications still come. To bring this window back, "
            "open Quell again from the applications menu."))
        keep = box.addButton(self.tr("&Keep running"), QMessageBox.ButtonRole.AcceptRole)
        keep.setObjectName("keepRunning")
        quit_button = box.addButton(self.tr("&Quit Quell"),
                                    QMessageBox.ButtonRole.DestructiveRole)
        quit_button.setObjectName("quitQuell")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self._close_answered(button is quit_button))
        box.destroyed.connect(self._forget_close_box)
        self._close_box = box
        box.open()
        return box

    def _close_answered(self, quit_quell: bool) -> None:
        if quit_quell:
            self._actions.action("quit").trigger()
        else:
            self._hide_now()

    def _forget_close_box(self) -> None:
        self._close_box = None

    def _hide_now(self) -> None:
        self.today.undo_bar.dismiss()
        self.toast.dismiss()
        self.hide()

    def all_actions(self) -> list[QAction]:
        """Every action of the menu bar, shown or not (submenus included)."""
        found: list[QAction] = []
        for action in self.menuBar().actions():
            found.append(action)
            menu = action.menu()
            if isinstance(menu, QMenu):
                found.extend(menu_actions(menu))
        return found
