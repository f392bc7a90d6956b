"""Every habit and app action, made once and laid out both in the tray menu and the menu bar.

The tray menu and the main window's menu bar hold the *same* :class:`QAction` objects, so a
ticked stress rating, an Undo text or a switched-off habit is the same in both, and nothing
reachable from the tray can go missing from the window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from quell.core import formatting
from quell.core.entries import Entry, Source
from quell.core.errors import InputError
from quell.core.habits import (
    CAFFEINE_PRESETS,
    WATER_BOTTLE_ML,
    WATER_GLASS_ML,
    habit,
    stress_label,
)
from quell.core.tracker import Logged
from quell.ui.services.session import Session

# The main window's object name: a log made while it is the active window came from it.
MAIN_WINDOW_NAME = "quellMainWindow"

# Where a one-click log came from, for its confirmation (and the entry's source).
TRAY = "tray"
WINDOW = "window"

# Keyboard shortcuts (work in the main window; the tray menu does not show them).
SHORTCUTS: dict[str, str] = {
    "logTwitch": "Ctrl+T",
    "symptomCheck": "Ctrl+K",
    "logWaterGlass": "Ctrl+G",
    "twitchDiary": "Ctrl+D",
    "doctorReport": "Ctrl+P",
    "exportData": "Ctrl+E",
    "importData": "Ctrl+O",
    "openHistory": "Ctrl+H",
    "openSettings": "Ctrl+,",
    "openAbout": "F1",
    "quit": "Ctrl+Q",
}

# Optional habits whose actions show only while the habit is on.
_OPTIONAL_ACTIONS = {
    "logBreathing": "breathing",
    "logMinerals": "minerals",
    "logExercise": "exercise",
    "logNicotine": "nicotine",
}


class AppActions(QObject):
    """The actions of the tray menu and the window's menus, and what they do.

    One-click logs go straight to the session; everything else is a signal that the app
    wires to its windows. The last one-click log can be undone once (:meth:`undo`).

    Signals:
        open_today(), open_settings(), open_about(), open_history(): show that window.
        export_requested(), import_requested(): Export or Import data.
        open_twitch_log(), open_symptom_check(), open_twitch_diary(), open_check_history(),
            open_report(): the twitch diary, the symptom check and its history, the report.
        open_log_dialog(str): log habit *key* with a dialog (other amounts, sleep, exercise).
        quit_requested(): Quit.
        message(str, str): a (title, text) problem to show, e.g. a rejected entry.
        logged(object, str): a one-click action logged this :class:`Logged`; the second
            argument says where it came from, ``"tray"`` or ``"window"``.
        undone(object): the last one-click log (this :class:`Entry`) was undone.
    """

    open_today = Signal()
    open_settings = Signal()
    open_about = Signal()
    open_history = Signal()
    export_requested = Signal()
    import_requested = Signal()
    open_twitch_log = Signal()
    open_symptom_check = Signal()
    open_twitch_diary = Signal()
    open_check_history = Signal()
    open_report = Signal()
    open_log_dialog = Signal(str)
    quit_requested = Signal()
    message = Signal(str, str)
    logged = Signal(object, str)
    undone = Signal(object)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._actions: dict[str, QAction] = {}
        self._last: Entry | None = None
        self._origin: str | None = None
        self._water_unit: str | None = None
        # Parentless on purpose: the tray and the menu bar both add them as submenus.
        self.caffeine_menu = QMenu(self.tr("Ca&ffeine"))
        self.caffeine_menu.setObjectName("caffeineMenu")
        self.stress_menu = QMenu(self.tr("S&tress today"))
        self.stress_menu.setObjectName("stressMenu")
        self._stress: dict[int, QAction] = {}
        self._shortcuts_installed = False
        self._build()
        session.changed.connect(self.refresh)
        session.settings_changed.connect(self.refresh)
        session.day_changed.connect(self.forget_undo)
        self.refresh()

    # -- looking up ------------------------------------------------------------------------

    def action(self, name: str) -> QAction:
        """The action with object name *name* (shown or not)."""
        return self._actions[name]

    def names(self) -> list[str]:
        """Every action's object name, in the order made."""
        return list(self._actions)

    @property
    def undo_action(self) -> QAction:
        return self._actions["undoLast"]

    @property
    def last_logged(self) -> Entry | None:
        """What Undo would take back (None: nothing)."""
        return self._last

    def set_origin(self, origin: str | None) -> None:
        """Say where the next action comes from (the tray menu sets ``"tray"`` as it opens);
        None: worked out when it happens (the main window when it is active, else the tray)."""
        self._origin = origin

    def clear_origin_soon(self) -> None:
        """Forget the origin once the current action has run (a menu hides before it
        triggers its action)."""
        QTimer.singleShot(0, lambda: self.set_origin(None))

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.tr
        undo = self._add("undoLast", "", self.undo)
        undo.setVisible(False)
        self._add("logTwitch", tr("Log a t&witch…"), self.open_twitch_log.emit)
        self._add("symptomCheck", tr("Symptom &check…"), self.open_symptom_check.emit)
        self._add("logWaterGlass", "", lambda: self._log("water", WATER_GLASS_ML),
                  "quell-water")
        self._add("logWaterBottle", "", lambda: self._log("water", WATER_BOTTLE_ML))
        self._add("waterOther", tr("Other water amount…"),
                  lambda: self.open_log_dialog.emit("water"))
        for preset in CAFFEINE_PRESETS:
            self.caffeine_menu.addAction(self._add(
                f"drink_{preset.key}",
                tr("{name}  ({mg} mg)").format(name=preset.label, mg=preset.mg),
                partial(self._log_drink, preset.key)))
        self.caffeine_menu.addSeparator()
        self.caffeine_menu.addAction(self._add(
            "caffeineOther", tr("Other amount…"), lambda: self.open_log_dialog.emit("caffeine")))
        self._add("logStretch", tr("&Stretched"), lambda: self._log("stretching"))
        self._add("logBreathing", tr("&Breathing session"), lambda: self._log("breathing"))
        group = QActionGroup(self.stress_menu)
        for rating in range(1, 6):
            action = self._add(f"stress_{rating}", f"&{rating} — {stress_label(rating)}",
                               partial(self._log, "stress", rating))
            action.setCheckable(True)
            group.addAction(action)
            self.stress_menu.addAction(action)
            self._stress[rating] = action
        self._add("logSleep", tr("&Log last night's sleep…"),
                  lambda: self.open_log_dialog.emit("sleep"))
        self._add("logMinerals", tr("Magnesium/potassium-rich food  (+1)"),
                  lambda: self._log("minerals"))
        self._add("logExercise", tr("Hard exercise…"),
                  lambda: self.open_log_dialog.emit("exercise"))
        self._add("logNicotine", tr("Nicotine  (+1)"), lambda: self._log("nicotine"))
        self._add("twitchDiary", tr("&Twitch diary…"), self.open_twitch_diary.emit)
        self._add("checkHistory", tr("Symptom check &history…"), self.open_check_history.emit)
        self._add("doctorReport", tr("&Report for your doctor…"), self.open_report.emit)
        self._add("exportData", tr("E&xport data…"), self.export_requested.emit)
        self._add("importData", tr("&Import data…"), self.import_requested.emit)
        self._add("openToday", tr("&Open Today…"), self.open_today.emit)
        self._add("openHistory", tr("&History && insights…"), self.open_history.emit)
        self._add("openSettings", tr("S&ettings…"), self.open_settings.emit)
        self._add("openAbout", tr("Abo&ut Quell"), self.open_about.emit)
        self._add("quit", tr("&Quit Quell"), self.quit_requested.emit)

    def _add(self, name: str, text: str, slot: Callable[[], object],
             icon_name: str | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if icon_name:
            action.setIcon(QIcon.fromTheme(icon_name))
        action.triggered.connect(lambda _checked=False: slot())
        self._actions[name] = action
        return action

    def install_shortcuts(self) -> None:
        """Give the actions their keyboard shortcuts (by the main window, which they work in).

        Not at start-up: Qt's first shortcut loads the keyboard tables (about 13 ms), which a
        tray app that may never open its window need not pay for.
        """
        if self._shortcuts_installed:
            return
        self._shortcuts_installed = True
        for name, keys in SHORTCUTS.items():
            action = self._actions.get(name)
            if action is not None:
                action.setShortcut(QKeySequence(keys))
                # The tray menu is a context menu: it would list keys that work only in a
                # window.
                action.setShortcutVisibleInContextMenu(False)

    # -- refreshing ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show only the enabled habits' actions, amounts in the user's unit, today's stress."""
        summary = self._session.summary()
        enabled = {p.habit.key for p in summary.habits}
        for name, key in _OPTIONAL_ACTIONS.items():
            self._actions[name].setVisible(key in enabled)
        stress_on = "stress" in enabled
        self.stress_menu.menuAction().setVisible(stress_on)
        for action in self._stress.values():
            action.setVisible(stress_on)
        unit = self._session.settings().water_unit
        if unit != self._water_unit:
            self._water_unit = unit
            water = habit("water")
            self._actions["logWaterGlass"].setText(self.tr("Glass of w&ater  (+{amount})").format(
                amount=formatting.amount(water, WATER_GLASS_ML, unit)))
            self._actions["logWaterBottle"].setText(self.tr("Bottle of water  (+{amount})").format(
                amount=formatting.amount(water, WATER_BOTTLE_ML, unit)))
            if self._last is not None:
                self._show_undo(self._last)
        stress = summary.get("stress")
        rating = int(stress.total) if stress and stress.total is not None else None
        for value, action in self._stress.items():
            action.setChecked(value == rating)

    # -- logging and undo ------------------------------------------------------------------

    def _where(self) -> str:
        if self._origin is not None:
            return self._origin
        active = QApplication.activeWindow()
        if active is not None and active.isVisible() and active.objectName() == MAIN_WINDOW_NAME:
            return WINDOW
        return TRAY

    def _log(self, key: str, amount: float | None = None) -> None:
        origin = self._where()
        source = Source.WINDOW if origin == WINDOW else Source.TRAY
        self._logged(lambda: self._session.log(key, amount, source=source), origin)

    def _log_drink(self, preset: str) -> None:
        origin = self._where()
        source = Source.WINDOW if origin == WINDOW else Source.TRAY
        self._logged(lambda: self._session.log_drink(preset, source=source), origin)

    def _logged(self, log: Callable[[], Logged], origin: str) -> None:
        try:
            logged = log()
        except InputError as error:
            self.message.emit(self.tr("Not logged"), str(error))
            return
        self._last = logged.entry
        self._show_undo(logged.entry)
        self.logged.emit(logged, origin)

    def _show_undo(self, entry: Entry) -> None:
        from quell.ui.shell.tray_toast import logged_what

        what = logged_what(entry, self._session.settings().water_unit)
        self.undo_action.setText(self.tr("&Undo: {what}").format(what=what))
        self.undo_action.setVisible(True)

    def undo(self, entry_id: int | None = None) -> Entry | None:
        """Delete the last one-click log (or, if given, entry *entry_id* when it is that one);
        once: afterwards there is nothing to undo. Returns the deleted entry."""
        entry = self._last
        if entry is None or entry.id is None or (entry_id is not None and entry_id != entry.id):
            return None
        self.forget_undo()
        try:
            deleted = self._session.delete(entry.id)
        except InputError as error:  # e.g. already deleted in the Today window
            self.message.emit(self.tr("Not undone"), str(error))
            return None
        self.undone.emit(deleted)
        return deleted

    def forget_undo(self) -> None:
        """Nothing to undo any more (undone, or a new day began)."""
        self._last = None
        self.undo_action.setVisible(False)
        self.undo_action.setText("")

    # -- layouts ---------------------------------------------------------------------------

    def fill_tray_menu(self, menu: QMenu, reminder_menu: QMenu | None) -> QAction:
        """Lay the actions out in the tray menu (cleared first); returns its header line."""
        menu.clear()
        for child in menu.findChildren(QMenu):
            if child is not reminder_menu:
                child.deleteLater()
        header = menu.addAction("")
        header.setObjectName("trayHeader")
        header.setEnabled(False)
        menu.addSeparator()
        menu.addAction(self.undo_action)
        menu.addSeparator()  # collapses into the one above while there is nothing to undo
        menu.addActions(self._take("logTwitch", "symptomCheck"))
        menu.addSeparator()
        menu.addAction(self._actions["logWaterGlass"])
        menu.addMenu(self.caffeine_menu)
        menu.addActions(self._take("logStretch", "logBreathing"))
        menu.addMenu(self.stress_menu)
        menu.addAction(self._actions["logSleep"])
        more = menu.addMenu(self.tr("&More"))
        more.setObjectName("moreMenu")
        more.addActions(self._take("logWaterBottle", "waterOther", "logMinerals", "logExercise",
                                   "logNicotine"))
        more.addSeparator()
        more.addActions(self._take("twitchDiary", "checkHistory", "doctorReport"))
        more.addSeparator()
        more.addActions(self._take("exportData", "importData"))
        menu.addSeparator()
        if reminder_menu is not None:
            menu.addMenu(reminder_menu)
        menu.addAction(self._actions["openToday"])
        menu.setDefaultAction(self._actions["openToday"])
        menu.addActions(self._take("openHistory", "openSettings", "openAbout"))
        menu.addSeparator()
        menu.addAction(self._actions["quit"])
        return header

    def fill_log_menu(self, menu: QMenu) -> None:
        """The window's Log menu: every habit, one click or with a dialog."""
        menu.addAction(self.undo_action)
        menu.addSeparator()
        menu.addActions(self._take("logWaterGlass", "logWaterBottle", "waterOther"))
        menu.addMenu(self.caffeine_menu)
        menu.addActions(self._take("logStretch", "logBreathing"))
        menu.addMenu(self.stress_menu)
        menu.addActions(self._take("logSleep", "logMinerals", "logExercise", "logNicotine"))

    def fill_twitches_menu(self, menu: QMenu) -> None:
        """The window's Twitches menu: the diary, the symptom check, the doctor's report."""
        menu.addActions(self._take("logTwitch", "symptomCheck"))
        menu.addSeparator()
        menu.addActions(self._take("twitchDiary", "checkHistory", "doctorReport"))

    def fill_data_menu(self, menu: QMenu) -> None:
        menu.addActions(self._take("exportData", "importData"))
        menu.addSeparator()
        menu.addAction(self._actions["doctorReport"])

    def _take(self, *names: str) -> list[QAction]:
        return [self._actions[name] for name in names]


def menu_actions(menu: QMenu) -> Iterator[QAction]:
    """Every action in *menu* and its submenus, depth first (shown or not)."""
    for action in menu.actions():
        yield action
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from menu_actions(sub)
