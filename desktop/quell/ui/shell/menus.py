"""Every habit and app action, made once and laid out both in the tray menu and the menu bar.

The tray menu and the main window's menu bar hold the *same* :class:`QAction` objects, so a
ticked stress rating, an Undo text or a switched-off habit is the same in both, and nothing
reachable from the tray can go missing from the window.

The habit actions are made from the definitions (:class:`~quell.core.habits.Habit`): one action
per quick amount, a submenu of presets (caffeine's drinks), a checkable submenu of ratings
(stress), and a dialog action for a habit that needs one (sleep, a workout) or takes any amount
("Other water amount…"). They are made again only when the habits change (one added, edited,
archived, switched on or off, or moved), never for a glass of water.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from quell.core import formatting
from quell.core.entries import Entry, Source
from quell.core.errors import InputError
from quell.core.habits import Habit, Kind
from quell.core.ratings import RATINGS, rating_label
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

# The built-ins' actions keep the object names scripts, shortcuts and tests know them by; a
# user habit's are made from its key (``log_<key>_<n>``, ``log_<key>_other``, ``<key>_<n>``).
_QUICK_NAMES: dict[tuple[str, int], str] = {
    ("water", 0): "logWaterGlass", ("water", 1): "logWaterBottle",
    ("stretching", 0): "logStretch", ("breathing", 0): "logBreathing",
    ("nicotine", 0): "logNicotine", ("minerals", 0): "logMinerals",
}
_DIALOG_NAMES: dict[str, str] = {"water": "waterOther", "caffeine": "caffeineOther",
                                 "sleep": "logSleep", "exercise": "logExercise"}
_ICONS: dict[str, str] = {"logWaterGlass": "quell-water"}
# A submenu's title with its mnemonic (the built-ins'; a user habit's is its name).
_MENU_TITLES: dict[str, str] = {"caffeine": "Ca&ffeine", "stress": "S&tress today"}
# Beyond this many user habits the tray's first level would stop being calm: the rest go
# under More (the window's Log menu lists them all).
TOP_LEVEL_USER_HABITS = 3


@dataclass
class HabitActions:
    """One habit's actions and where the tray puts them."""

    habit: Habit
    top: list[QAction | QMenu] = field(default_factory=list)      # one click, first level
    top_dialog: list[QAction] = field(default_factory=list)       # first level, after those
    more: list[QAction] = field(default_factory=list)             # under More
    everything: list[QAction | QMenu] = field(default_factory=list)  # the window's Log menu
    quick: list[tuple[QAction, float, str]] = field(default_factory=list)
    ratings: dict[int, QAction] = field(default_factory=dict)
    menus: list[QMenu] = field(default_factory=list)


def _escape(text: str) -> str:
    """A user's name as menu text: an ``&`` in it is a letter, not a mnemonic."""
    return text.replace("&", "&&")


class AppActions(QObject):
    """The actions of the tray menu and the window's menus, and what they do.

    One-click logs go straight to the session; everything else is a signal that the app
    wires to its windows. The last one-click log can be undone once (:meth:`undo`).

    Signals:
        open_today(), open_settings(), open_about(), open_history(): show that window.
        export_requested(), import_requested(): Export or Import data.
        open_twitch_log(), open_symptom_check(), open_twitch_diary(), open_check_history(),
            open_report(): the twitch diary, the symptom check and its history, the report.
        open_emergency_signs(): the card of signs that mean calling emergency services now.
        open_twitch_rating(): the dialog of today's twitch rating with its body areas.
        rated(object): a rating from the "Twitching today" menu was stored (the
            :class:`~quell.core.ratings.RatingChange`).
        open_log_dialog(str): log habit *key* with a dialog (other amounts, sleep, exercise).
        quit_requested(): Quit.
        message(str, str): a (title, text) problem to show, e.g. a rejected entry.
        logged(object, str): a one-click action logged this :class:`Logged`; the second
            argument says where it came from, ``"tray"`` or ``"window"``.
        undone(object): the last one-click log (this :class:`Entry`) was undone.
        layout_changed(): the habit actions were made again (habits added, edited, archived,
            switched on or off, or moved): the tray lays its menu out again; the window's Log
            menus filled by :meth:`fill_log_menu` are filled again here.
    """

    open_today = Signal()
    open_settings = Signal()
    open_about = Signal()
    open_history = Signal()
    export_requested = Signal()
    import_requested = Signal()
    open_twitch_log = Signal()
    open_symptom_check = Signal()
    open_emergency_signs = Signal()
    open_twitch_rating = Signal()
    rated = Signal(object)
    open_twitch_diary = Signal()
    open_check_history = Signal()
    open_report = Signal()
    open_log_dialog = Signal(str)
    quit_requested = Signal()
    message = Signal(str, str)
    logged = Signal(object, str)
    undone = Signal(object)
    layout_changed = Signal()

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._actions: dict[str, QAction] = {}
        self._habits: dict[str, HabitActions] = {}
        self._shape: tuple[tuple[Habit, ...], tuple[str, ...]] | None = None
        self._log_menus: list[QMenu] = []
        self._last: Entry | None = None
        self._origin: str | None = None
        self._water_unit = session.settings().water_unit
        self._shortcuts_installed = False
        self._build()
        session.changed.connect(self.refresh)
        session.settings_changed.connect(self._settings_changed)
        session.day_changed.connect(self.forget_undo)
        self.refresh()

    # -- looking up ------------------------------------------------------------------------

    def action(self, name: str) -> QAction:
        """The action with object name *name* (shown or not)."""
        return self._actions[name]

    def names(self) -> list[str]:
        """Every action's object name, in the order made."""
        return list(self._actions)

    def habit_actions(self, key: str) -> HabitActions:
        """Habit *key*'s actions (an offered habit; KeyError otherwise)."""
        return self._habits[key]

    def submenu(self, key: str) -> QMenu:
        """Habit *key*'s submenu (its presets or its ratings)."""
        return self._habits[key].menus[0]

    @property
    def caffeine_menu(self) -> QMenu:
        return self.submenu("caffeine")

    @property
    def stress_menu(self) -> QMenu:
        return self.submenu("stress")

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
        self._build_rating_menu()
        self._add("logTwitch", tr("Log a t&witch…"), self.open_twitch_log.emit)
        self._add("symptomCheck", tr("Symptom &check…"), self.open_symptom_check.emit)
        self._add("emergencySigns", tr("Emergency si&gns…"), self.open_emergency_signs.emit)
        self._build_habits(self._current_shape())
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

    def _build_rating_menu(self) -> None:
        """"Twitching today": the day's rating, 0 to 4, in one click (the choice is ticked),
        and "Where…" for the body areas."""
        # Parentless on purpose: the tray and the menu bar both add it as a submenu.
        menu = QMenu(self.tr("Twitching to&day"))
        menu.setObjectName("twitchRatingMenu")
        menu.setToolTipsVisible(True)
        group = QActionGroup(menu)
        self._rating_actions: dict[int, QAction] = {}
        for value in RATINGS:
            action = self._add(f"rateTwitch_{value}",
                               f"&{value} — {_escape(rating_label(value))}",
                               partial(self._rate, value))
            action.setCheckable(True)
            group.addAction(action)
            menu.addAction(action)
            self._rating_actions[value] = action
        menu.addSeparator()
        menu.addAction(self._add("rateTwitchWhere", self.tr("&Where…"),
                                 self.open_twitch_rating.emit))
        self.rating_menu = menu

    def _rate(self, value: int) -> None:
        try:
            change = self._session.rate(value, areas=self._kept_areas())
        except InputError as error:
            self.message.emit(self.tr("Not saved"), str(error))
            self.refresh()
            return
        self.rated.emit(change)

    def _kept_areas(self) -> tuple[str, ...]:
        """A new rating of today from the menu keeps the areas already given today."""
        rating = self._session.today_rating()
        return rating.areas if rating is not None else ()

    def _current_shape(self) -> tuple[tuple[Habit, ...], tuple[str, ...]]:
        """What the habit actions are made from: every offered habit (its definition) in
        the user's order, the enabled ones first, and which are enabled."""
        enabled = tuple(p.habit.key for p in self._session.summary().habits)
        offered = {h.key: h for h in self._session.habits().offered()}
        ordered = [offered[k] for k in enabled if k in offered]
        ordered += [h for k, h in offered.items() if k not in enabled]
        return tuple(ordered), enabled

    def _build_habits(self, shape: tuple[tuple[Habit, ...], tuple[str, ...]]) -> None:
        self._shape = shape
        user_shown = 0
        for spec in shape[0]:
            crowded = False
            if not spec.builtin and spec.key in shape[1]:
                user_shown += 1
                crowded = user_shown > TOP_LEVEL_USER_HABITS
            self._habits[spec.key] = self._habit_actions(spec, crowded=crowded)

    def _habit_actions(self, spec: Habit, *, crowded: bool) -> HabitActions:
        tr = self.tr
        made = HabitActions(spec)
        key = spec.key
        for index, quick in enumerate(spec.quick):
            name = _QUICK_NAMES.get((key, index), f"log_{key}_{index}")
            label = tr(quick.label) if quick.label else \
                _escape(spec.label) + "  (+{amount})"
            action = self._add(name, "", partial(self._log, key, quick.amount),
                               _ICONS.get(name))
            made.quick.append((action, quick.amount, label))
            made.everything.append(action)
            # A user habit's first amount in the first level, the others under More.
            later = quick.more or (not spec.builtin and index > 0)
            (made.more if later or crowded else made.top).append(action)
        if spec.presets:
            menu = self._submenu(spec)
            made.menus.append(menu)
            for preset in spec.presets:
                menu.addAction(self._add(
                    f"drink_{preset.key}",
                    tr("{name}  ({mg} mg)").format(name=preset.label, mg=preset.mg),
                    partial(self._log_drink, preset.key)))
            menu.addSeparator()
            menu.addAction(self._add(_DIALOG_NAMES.get(key, f"log_{key}_other"),
                                     tr("Other amount…"), partial(self._ask, key)))
        if spec.kind is Kind.RATING and not spec.needs_dialog:
            menu = self._submenu(spec)
            made.menus.append(menu)
            group = QActionGroup(menu)
            for rating in range(int(spec.min_amount), int(spec.max_amount) + 1):
                action = self._add(f"{key}_{rating}",
                                   f"&{rating} — {_escape(spec.rating_label(rating))}",
                                   partial(self._log, key, rating))
                action.setCheckable(True)
                group.addAction(action)
                menu.addAction(action)
                made.ratings[rating] = action
        for menu in made.menus:
            made.everything.append(menu)
            if crowded:  # a submenu under More would be a third level: its actions instead
                made.more.extend(a for a in menu.actions() if not a.isSeparator())
            else:
                made.top.append(menu)
        dialog = self._dialog_action(spec)
        if dialog is not None:
            made.everything.append(dialog)
            # First level: a dialog a core habit cannot do without (sleep), or a habit's
            # only way to be logged; else under More.
            only_way = not spec.builtin and not (spec.quick or made.menus)
            first_level = ((spec.needs_dialog and not spec.optional) or only_way) \
                and not crowded
            (made.top_dialog if first_level else made.more).append(dialog)
        return made

    def _submenu(self, spec: Habit) -> QMenu:
        # Parentless on purpose: the tray and the menu bar both add it as a submenu.
        title = self.tr(_MENU_TITLES[spec.key]) if spec.key in _MENU_TITLES else \
            _escape(spec.label)
        menu = QMenu(title)
        menu.setObjectName(f"{spec.key}Menu")
        return menu

    def _dialog_action(self, spec: Habit) -> QAction | None:
        """The action that opens the log dialog: a habit that needs one (sleep, a workout),
        one that takes any amount ("Other water amount…"), or one with no quick way at all;
        None when the presets' submenu has it already, or a count's quick amount is enough."""
        if spec.presets:
            return None
        name = _DIALOG_NAMES.get(spec.key, f"log_{spec.key}_other")
        if spec.bed_and_wake:
            text = self.tr("&Log last night's sleep…")
        elif spec.needs_dialog or not (spec.quick or spec.kind is Kind.RATING):
            text = self.tr("{habit}…").format(habit=_escape(spec.label))
        elif spec.kind is Kind.AMOUNT:
            text = self.tr("Other {habit} amount…").format(habit=_escape(spec.label.lower()))
        elif not spec.builtin and spec.kind is Kind.COUNT:
            text = self.tr("Other {habit} count…").format(habit=_escape(spec.label.lower()))
        elif not spec.builtin and spec.kind is not Kind.RATING:
            text = self.tr("Other {habit} amount…").format(habit=_escape(spec.label.lower()))
        else:
            return None
        return self._add(name, text, partial(self._ask, spec.key))

    def _ask(self, key: str) -> None:
        self.open_log_dialog.emit(key)

    def _add(self, name: str, text: str, slot: Callable[[], object],
             icon_name: str | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if icon_name:
            action.setIcon(QIcon.fromTheme(icon_name))
        action.triggered.connect(lambda _checked=False: slot())
        self._actions[name] = action
        if self._shortcuts_installed and name in SHORTCUTS:
            self._set_shortcut(action, SHORTCUTS[name])
        return action

    def _rebuild_habits(self, shape: tuple[tuple[Habit, ...], tuple[str, ...]]) -> None:
        """Make the habit actions again, keeping the others (and their place in names())."""
        old = self._habits
        self._habits = {}
        gone: set[str] = set()
        for made in old.values():
            for action in made.everything:
                if isinstance(action, QAction):
                    gone.add(action.objectName())
                    action.deleteLater()
            for menu in made.menus:
                for action in menu.actions():
                    if action.parent() is self:
                        gone.add(action.objectName())
                        action.deleteLater()
                menu.deleteLater()
        kept = {name: action for name, action in self._actions.items() if name not in gone}
        self._actions = {}
        head = ("undoLast", *(f"rateTwitch_{value}" for value in RATINGS), "rateTwitchWhere",
                "logTwitch", "symptomCheck", "emergencySigns")
        for name in head:
            self._actions[name] = kept.pop(name)
        self._build_habits(shape)
        self._actions.update(kept)
        for menu in list(self._log_menus):
            self._fill_log_menu(menu)
        self.layout_changed.emit()

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
                self._set_shortcut(action, keys)

    @staticmethod
    def _set_shortcut(action: QAction, keys: str) -> None:
        action.setShortcut(QKeySequence(keys))
        # The tray menu is a context menu: it would list keys that work only in a window.
        action.setShortcutVisibleInContextMenu(False)

    # -- refreshing ------------------------------------------------------------------------

    def _settings_changed(self, keys: frozenset[str]) -> None:
        if "twitch_diary" in keys:
            self._refresh_twitches()
        if "water_unit" in keys:
            self._water_unit = self._session.settings().water_unit
            self._retext()
            if self._last is not None:
                self._show_undo(self._last)

    def refresh(self) -> None:
        """Show only the enabled habits' actions, amounts in the user's unit, today's ratings;
        make the habit actions again when the habits themselves changed."""
        shape = self._current_shape()
        if shape != self._shape:
            self._rebuild_habits(shape)
        enabled = set(shape[1])
        summary = self._session.summary()
        for key, made in self._habits.items():
            shown = key in enabled
            for item in made.everything:
                (item.menuAction() if isinstance(item, QMenu) else item).setVisible(shown)
            for action in made.more:
                action.setVisible(shown)
            for action in made.ratings.values():
                action.setVisible(shown)
            if made.ratings:
                progress = summary.get(key)
                rating = int(progress.total) if progress and progress.total is not None \
                    else None
                for value, action in made.ratings.items():
                    action.setChecked(value == rating)
        self._refresh_twitches()
        self._retext()

    def _refresh_twitches(self) -> None:
        """Tick today's twitch rating; offer "Log a twitch" only with the diary on."""
        rating = self._session.today_rating()
        for value, action in self._rating_actions.items():
            action.setChecked(rating is not None and value == rating.rating)
        self._actions["logTwitch"].setVisible(self._session.twitch_diary_offered())

    def _retext(self) -> None:
        unit = self._water_unit
        for made in self._habits.values():
            for action, amount, label in made.quick:
                text = label.format(amount=formatting.amount(made.habit, amount, unit))
                if action.text() != text:
                    action.setText(text)

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

        what = logged_what(entry, self._session.settings().water_unit,
                           self._session.habits().find(entry.habit))
        self.undo_action.setText(self.tr("&Undo: {what}").format(what=what.replace("&", "&&")))
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
        """Lay the actions out in the tray menu (cleared first); returns its header line.

        First level: each habit's one-click actions and submenus in the user's order, then
        the dialogs a habit cannot do without (last night's sleep). Under More: the second
        quick amounts, "Other … amount…", optional habits' dialogs, and the user's habits
        beyond the first :data:`TOP_LEVEL_USER_HABITS`.
        """
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
        menu.addMenu(self.rating_menu)
        menu.addActions(self._take("logTwitch", "symptomCheck", "emergencySigns"))
        menu.addSeparator()
        habits = list(self._habits.values())
        for made in habits:
            self._add_items(menu, made.top)
        for made in habits:
            menu.addActions(made.top_dialog)
        more = menu.addMenu(self.tr("&More"))
        more.setObjectName("moreMenu")
        for made in habits:
            if made.habit.builtin:
                more.addActions(made.more)
        more.addSeparator()  # the user's own apart (collapses when there are none)
        for made in habits:
            if not made.habit.builtin:
                more.addActions(made.more)
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

    @staticmethod
    def _add_items(menu: QMenu, items: list[QAction | QMenu]) -> None:
        for item in items:
            if isinstance(item, QMenu):
                menu.addMenu(item)
            else:
                menu.addAction(item)

    def fill_log_menu(self, menu: QMenu) -> None:
        """The window's Log menu: every habit, one click or with a dialog (filled again here
        when the habits change)."""
        if menu not in self._log_menus:
            self._log_menus.append(menu)
            menu.destroyed.connect(lambda _obj=None, m=menu: self._forget_log_menu(m))
        self._fill_log_menu(menu)

    def _forget_log_menu(self, menu: QMenu) -> None:
        if menu in self._log_menus:
            self._log_menus.remove(menu)

    def _fill_log_menu(self, menu: QMenu) -> None:
        menu.clear()
        menu.addAction(self.undo_action)
        menu.addSeparator()
        for made in self._habits.values():
            self._add_items(menu, made.everything)

    def fill_twitches_menu(self, menu: QMenu) -> None:
        """The window's Twitches menu: today's rating, the diary, the symptom check, the
        emergency signs, the doctor's report."""
        menu.addMenu(self.rating_menu)
        menu.addActions(self._take("logTwitch", "symptomCheck", "emergencySigns"))
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
