"""The tray icon and its menu: log any habit in one or two clicks, see the day at a glance."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from quell.core import formatting
from quell.core.habits import Direction
from quell.core.i18n import ngettext
from quell.core.ratings import RatingChange
from quell.core.summary import DaySummary, Status
from quell.core.tracker import Logged
from quell.ui.services.session import Session
from quell.ui.shell.menus import TRAY, AppActions, menu_actions
from quell.ui.shell.tray_icon import progress_step, tray_icon

if TYPE_CHECKING:
    from quell.ui.shell.tray_toast import TrayToast

log = logging.getLogger(__name__)

# The settings the tooltip shows (amounts in the water unit); a new day start comes as a
# new day through ``Session.changed``.
_SHOWN_SETTINGS = frozenset({"water_unit", "day_start_hour"})

# How long the tooltip starts with "Logged …" after a one-click log.
CONFIRMATION_SECONDS = 6


class TrayController(QObject):
    """Owns the tray icon and menu and keeps them in step with the session.

    The menu's actions are :class:`~quell.ui.shell.menus.AppActions`, shared with the main
    window's menu bar; their signals are passed on as this controller's own.

    Signals:
        open_today(): the user asked for the Today window (menu or a left click).
        open_settings(): the user asked for Settings.
        open_about(): the user asked what Quell is.
        open_history(): the user asked for History & insights.
        export_requested(), import_requested(): the user chose Export or Import data.
        open_twitch_log(), open_symptom_check(), open_twitch_diary(), open_check_history(),
            open_report(): the twitch diary, the red-flag symptom check and its history, and
            the report for a doctor.
        open_emergency_signs(): the card of signs that mean calling emergency services now.
        open_twitch_rating(): today's twitch rating with its body areas.
        open_log_dialog(str): the user asked to log habit *key* with a dialog (other amounts,
            sleep, exercise).
        quit_requested(): the user chose Quit.
        message(str, str): a (title, text) problem to show the user, e.g. a rejected entry.
    """

    open_today = Signal()
    open_settings = Signal()
    open_about = Signal()
    open_history = Signal()
    export_requested = Signal()
    open_twitch_log = Signal()
    open_symptom_check = Signal()
    open_emergency_signs = Signal()
    open_twitch_rating = Signal()
    open_twitch_diary = Signal()
    open_check_history = Signal()
    open_report = Signal()
    import_requested = Signal()
    open_log_dialog = Signal(str)
    quit_requested = Signal()
    message = Signal(str, str)

    def __init__(self, session: Session, parent: QObject | None = None, *,
                 actions: AppActions | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.actions = actions if actions is not None else AppActions(session, self)
        for name in ("open_today", "open_settings", "open_about", "open_history",
                     "export_requested", "import_requested", "open_twitch_log",
                     "open_symptom_check", "open_twitch_diary", "open_check_history",
                     "open_report", "open_emergency_signs", "open_twitch_rating",
                     "open_log_dialog", "quit_requested", "message"):
            getattr(self.actions, name).connect(getattr(self, name))
        self._icon = QSystemTrayIcon(self)
        self._menu = QMenu()
        self._menu.setObjectName("quellTrayMenu")
        self._icon.setContextMenu(self._menu)
        self._icon.activated.connect(self._activated)
        # Right after a wake from sleep, the menu must already show the new day.
        self._menu.aboutToShow.connect(session.check_day)
        # What is chosen in this menu came from the tray (its confirmation shows there).
        self._menu.aboutToShow.connect(lambda: self.actions.set_origin(TRAY))
        self._menu.aboutToHide.connect(self.actions.clear_origin_soon)
        self._header: QAction | None = None
        self._icon_key: tuple[int, bool] | None = None
        self._reminder_menu: QMenu | None = None
        self._reminder_status: Callable[[], str] | None = None
        self._confirmation = ""
        self._confirmation_timer = QTimer(self)
        self._confirmation_timer.setSingleShot(True)
        self._confirmation_timer.setInterval(CONFIRMATION_SECONDS * 1000)
        self._confirmation_timer.timeout.connect(self._end_confirmation)
        self._toast: TrayToast | None = None
        self.actions.logged.connect(self._logged)
        self.actions.rated.connect(self._rated)
        self.actions.undone.connect(self._undone)
        self.actions.layout_changed.connect(self._relayout)
        session.changed.connect(self.refresh)
        session.settings_changed.connect(self._settings_changed)
        self._build_menu()
        self.refresh()

    @property
    def icon(self) -> QSystemTrayIcon:
        return self._icon

    @property
    def menu(self) -> QMenu:
        return self._menu

    @property
    def toast(self) -> TrayToast | None:
        """The confirmation next to the tray, once a one-click log has shown it."""
        return self._toast

    def show(self) -> None:
        self._icon.show()

    def hide(self) -> None:
        self._icon.hide()
        if self._toast is not None:
            self._toast.dismiss()

    def set_reminder_menu(self, menu: QMenu, status: Callable[[], str]) -> None:
        """Add the reminders' submenu (pause, resume, settings) and their line in the tooltip."""
        self._reminder_menu = menu
        self._reminder_status = status
        self._build_menu()  # rebuild with the submenu in place
        self.refresh()

    def action(self, name: str) -> QAction:
        """The shown menu action with object name *name* (for tests and keyboard shortcuts)."""
        for action in self._shown_actions(self._menu):
            if action.objectName() == name:
                return action
        raise KeyError(name)

    # -- refreshing ----------------------------------------------------------------------

    def _settings_changed(self, keys: frozenset[str]) -> None:
        if keys & _SHOWN_SETTINGS:
            self.refresh()

    def refresh(self) -> None:
        self._update(self._session.summary(), self._session.settings().water_unit)

    def _update(self, summary: DaySummary, water_unit: str) -> None:
        limit_passed = bool(summary.limits_passed)
        icon_key = (progress_step(summary.score), limit_passed)
        if icon_key != self._icon_key:
            self._icon.setIcon(tray_icon(*icon_key))
            self._icon_key = icon_key
        goals = summary.goals
        header = ngettext("Today: {met} of {total} goal on track",
                          "Today: {met} of {total} goals on track", len(goals)).format(
            met=summary.goals_met, total=len(goals))
        if self._header is not None:
            self._header.setText(header)
        lines = [self._confirmation] if self._confirmation else []
        lines.append("Quell — " + header)
        # Every enabled habit in the user's order; one without a goal only once logged.
        for progress in summary.habits:
            spec = progress.habit
            if spec.direction is Direction.NONE and progress.total is None:
                continue
            text = formatting.progress(spec, progress.total, progress.target,
                                       progress.target_max, water_unit)
            flag = ""
            if progress.status is Status.OVER:
                flag = " ⚠"
            elif progress.status is Status.MET and spec.direction is not Direction.AT_MOST:
                flag = " ✓"
            lines.append(f"{spec.label}: {text}{flag}")
        if self._reminder_status is not None:
            status = self._reminder_status()
            if status:
                lines.append(status)
        self._icon.setToolTip("\n".join(lines))

    # -- building ------------------------------------------------------------------------

    def _relayout(self) -> None:
        """The habits changed (added, archived, moved): lay the menu out again."""
        self._build_menu()
        self.refresh()

    def _build_menu(self) -> None:
        self._header = self.actions.fill_tray_menu(self._menu, self._reminder_menu)

    def _shown_actions(self, menu: QMenu) -> list[QAction]:
        found = []
        for action in menu.actions():
            if not action.isVisible():
                continue
            found.append(action)
            sub = action.menu()
            if isinstance(sub, QMenu):
                found.extend(self._shown_actions(sub))
        return found

    def all_actions(self) -> list[QAction]:
        """Every action the tray menu holds, shown or not (submenus included)."""
        return list(menu_actions(self._menu))

    # -- confirmations -------------------------------------------------------------------

    def _logged(self, logged: Logged, origin: str) -> None:
        from quell.ui.shell.tray_toast import TrayToast, logged_text

        text = logged_text(logged.entry, self._session.settings().water_unit,
                           self._session.habits().find(logged.entry.habit))
        self._confirmation = text
        self._confirmation_timer.start()
        self.refresh()
        if origin != TRAY or logged.entry.id is None:
            return  # the main window confirms its own
        if self._toast is None:
            self._toast = TrayToast()
            self._toast.undo_requested.connect(self.actions.undo)
        self._toast.show_logged(text, logged.entry.id, self._icon.geometry())

    def _rated(self, change: RatingChange) -> None:
        """A rating from the menu: the tick in the menu shows it; the tooltip says it too."""
        self._confirmation = self.tr("Twitching today: {rating}").format(
            rating=change.rating.in_words())
        self._confirmation_timer.start()
        self.refresh()

    def _undone(self, _entry: object) -> None:
        if self._toast is not None:
            self._toast.dismiss()
        self._end_confirmation()

    def _end_confirmation(self) -> None:
        self._confirmation_timer.stop()
        if self._confirmation:
            self._confirmation = ""
            self.refresh()

    # -- actions -------------------------------------------------------------------------

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_today.emit()
