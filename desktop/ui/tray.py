"""The tray icon and its menu: log any habit in one or two clicks, see the day at a glance."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from desktop.core import formatting
from desktop.core.entries import Source
from desktop.core.errors import InputError
from desktop.core.habits import (
    CAFFEINE_PRESETS,
    WATER_BOTTLE_ML,
    WATER_GLASS_ML,
    habit,
    stress_label,
)
from desktop.core.i18n import ngettext
from desktop.core.summary import DaySummary, Status
from desktop.ui.session import Session
from desktop.ui.tray_icon import progress_step, tray_icon

log = logging.getLogger(__name__)

# Habits summarised in the tooltip, in this order (those enabled).
_TOOLTIP_HABITS = ("water", "caffeine", "sleep", "stretching", "breathing", "stress",
                   "nicotine", "minerals")


class TrayController(QObject):
    """Owns the tray icon and menu and keeps them in step with the session.

    Signals:
        open_today(): the user asked for the Today window (menu or a left click).
        open_settings(): the user asked for Settings.
        open_about(): the user asked what Quell is.
        open_history(): the user asked for History & insights.
        export_requested(), import_requested(): the user chose Export or Import data.
        open_twitch_log(), open_symptom_check(), open_twitch_diary(), open_check_history(),
            open_report(): the twitch diary, the red-flag symptom check and its history, and
            the report for a doctor.
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
    open_twitch_diary = Signal()
    open_check_history = Signal()
    open_report = Signal()
    import_requested = Signal()
    open_log_dialog = Signal(str)
    quit_requested = Signal()
    message = Signal(str, str)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._icon = QSystemTrayIcon(self)
        self._menu = QMenu()
        self._menu.setObjectName("quellTrayMenu")
        self._icon.setContextMenu(self._menu)
        self._icon.activated.connect(self._activated)
        # Right after a wake from sleep, the menu must already show the new day.
        self._menu.aboutToShow.connect(session.check_day)
        self._built_for: tuple[tuple[str, ...], str] | None = None
        self._header: QAction | None = None
        self._stress_actions: dict[int, QAction] = {}
        self._icon_key: tuple[int, bool] | None = None
        self._reminder_menu: QMenu | None = None
        self._reminder_status: Callable[[], str] | None = None
        session.changed.connect(self.refresh)
        session.settings_changed.connect(self.refresh)
        self.refresh()

    @property
    def icon(self) -> QSystemTrayIcon:
        return self._icon

    @property
    def menu(self) -> QMenu:
        return self._menu

    def show(self) -> None:
        self._icon.show()

    def hide(self) -> None:
        self._icon.hide()

    def set_reminder_menu(self, menu: QMenu, status: Callable[[], str]) -> None:
        """Add the reminders' submenu (pause, resume, settings) and their line in the tooltip."""
        self._reminder_menu = menu
        self._reminder_status = status
        self._built_for = None  # rebuild with the submenu in place
        self.refresh()

    def action(self, name: str) -> QAction:
        """The menu action with object name *name* (for tests and keyboard shortcuts)."""
        for action in self._all_actions(self._menu):
            if action.objectName() == name:
                return action
        raise KeyError(name)

    # -- refreshing ----------------------------------------------------------------------

    def refresh(self) -> None:
        summary = self._session.summary()
        water_unit = self._session.settings().water_unit
        key = (tuple(p.habit.key for p in summary.habits), water_unit)
        if key != self._built_for:
            self._build_menu(summary, water_unit)
            self._built_for = key
        self._update(summary, water_unit)

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
        lines = ["Quell — " + header]
        for key in _TOOLTIP_HABITS:
            progress = summary.get(key)
            if progress is None:
                continue
            if progress.habit.key == "stress" and progress.total is None:
                continue
            text = formatting.progress(progress.habit, progress.total, progress.target,
                                       progress.target_max, water_unit)
            flag = ""
            if progress.status is Status.OVER:
                flag = " ⚠"
            elif progress.status is Status.MET and progress.habit.direction.value != "at_most":
                flag = " ✓"
            lines.append(f"{progress.habit.label}: {text}{flag}")
        if self._reminder_status is not None:
            status = self._reminder_status()
            if status:
                lines.append(status)
        self._icon.setToolTip("\n".join(lines))
        stress = summary.get("stress")
        rating = int(stress.total) if stress and stress.total is not None else None
        for value, action in self._stress_actions.items():
            action.setChecked(value == rating)

    # -- building ------------------------------------------------------------------------

    def _build_menu(self, summary: DaySummary, water_unit: str) -> None:
        menu = self._menu
        menu.clear()
        for child in menu.findChildren(QMenu):
            if child is not self._reminder_menu:
                child.deleteLater()
        self._stress_actions = {}
        enabled = {p.habit.key for p in summary.habits}

        self._header = menu.addAction("")
        self._header.setEnabled(False)
        menu.addSeparator()

        self._add(menu, "logTwitch", self.tr("Log a t&witch…"), self.open_twitch_log.emit)
        self._add(menu, "symptomCheck", self.tr("Symptom &check…"),
                  self.open_symptom_check.emit)
        menu.addSeparator()

        water = habit("water")
        glass = formatting.amount(water, WATER_GLASS_ML, water_unit)
        self._add(menu, "logWaterGlass", self.tr("Glass of w&ater  (+{amount})").format(
            amount=glass), lambda: self._log("water", WATER_GLASS_ML), "quell-water")

        caffeine = menu.addMenu(self.tr("Ca&ffeine"))
        caffeine.setObjectName("caffeineMenu")
        for preset in CAFFEINE_PRESETS:
            self._add(caffeine, f"drink_{preset.key}",
                      self.tr("{name}  ({mg} mg)").format(name=preset.label, mg=preset.mg),
                      lambda p=preset.key: self._log_drink(p))
        caffeine.addSeparator()
        self._add(caffeine, "caffeineOther", self.tr("Other amount…"),
                  lambda: self.open_log_dialog.emit("caffeine"))

        self._add(menu, "logStretch", self.tr("&Stretched"), lambda: self._log("stretching"))
        if "breathing" in enabled:
            self._add(menu, "logBreathing", self.tr("&Breathing session"),
                      lambda: self._log("breathing"))
        if "stress" in enabled:
            stress = menu.addMenu(self.tr("S&tress today"))
            stress.setObjectName("stressMenu")
            group = QActionGroup(stress)
            for rating in range(1, 6):
                action = self._add(stress, f"stress_{rating}",
                                   f"&{rating} — {stress_label(rating)}",
                                   lambda r=rating: self._log("stress", r))
                action.setCheckable(True)
                group.addAction(action)
                self._stress_actions[rating] = action
        self._add(menu, "logSleep", self.tr("&Log last night's sleep…"),
                  lambda: self.open_log_dialog.emit("sleep"))

        more = menu.addMenu(self.tr("&More"))
        more.setObjectName("moreMenu")
        bottle = formatting.amount(water, WATER_BOTTLE_ML, water_unit)
        self._add(more, "logWaterBottle", self.tr("Bottle of water  (+{amount})").format(
            amount=bottle), lambda: self._log("water", WATER_BOTTLE_ML))
        self._add(more, "waterOther", self.tr("Other water amount…"),
                  lambda: self.open_log_dialog.emit("water"))
        if "minerals" in enabled:
            self._add(more, "logMinerals", self.tr("Magnesium/potassium-rich food  (+1)"),
                      lambda: self._log("minerals"))
        if "exercise" in enabled:
            self._add(more, "logExercise", self.tr("Hard exercise…"),
                      lambda: self.open_log_dialog.emit("exercise"))
        if "nicotine" in enabled:
            self._add(more, "logNicotine", self.tr("Nicotine  (+1)"),
                      lambda: self._log("nicotine"))

        more.addSeparator()
        self._add(more, "twitchDiary", self.tr("&Twitch diary…"), self.open_twitch_diary.emit)
        self._add(more, "checkHistory", self.tr("Symptom check &history…"),
                  self.open_check_history.emit)
        self._add(more, "doctorReport", self.tr("&Report for your doctor…"),
                  self.open_report.emit)
        more.addSeparator()
        self._add(more, "exportData", self.tr("E&xport data…"), self.export_requested.emit)
        self._add(more, "importData", self.tr("&Import data…"), self.import_requested.emit)

        menu.addSeparator()
        if self._reminder_menu is not None:
            menu.addMenu(self._reminder_menu)
        today = self._add(menu, "openToday", self.tr("&Open Today…"), self.open_today.emit)
        menu.setDefaultAction(today)
        self._add(menu, "openHistory", self.tr("&History && insights…"),
                  self.open_history.emit)
        self._add(menu, "openSettings", self.tr("S&ettings…"), self.open_settings.emit)
        self._add(menu, "openAbout", self.tr("Abo&ut Quell"), self.open_about.emit)
        menu.addSeparator()
        self._add(menu, "quit", self.tr("&Quit Quell"), self.quit_requested.emit)

    def _add(self, menu: QMenu, name: str, text: str, slot: Callable[[], object],
             icon_name: str | None = None) -> QAction:
        action = menu.addAction(text)
        action.setObjectName(name)
        if icon_name:
            action.setIcon(QIcon.fromTheme(icon_name))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _all_actions(self, menu: QMenu) -> list[QAction]:
        found = []
        for action in menu.actions():
            found.append(action)
            sub = action.menu()
            if isinstance(sub, QMenu):
                found.extend(self._all_actions(sub))
        return found

    # -- actions -------------------------------------------------------------------------

    def _log(self, key: str, amount: float | None = None) -> None:
        try:
            self._session.log(key, amount, source=Source.TRAY)
        except InputError as error:
            self.message.emit(self.tr("Not logged"), str(error))

    def _log_drink(self, preset: str) -> None:
        try:
            self._session.log_drink(preset, source=Source.TRAY)
        except InputError as error:
            self.message.emit(self.tr("Not logged"), str(error))

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_today.emit()
