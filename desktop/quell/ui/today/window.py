"""The Today window: each habit's progress, quick-add controls and the day's entries.

Each row is made from the habit's definition (built-in or the user's own): a button per quick
amount, a menu of its presets, a button per rating, or a button that opens its log dialog.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from functools import partial

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QPalette, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from quell.core.entries import Entry
from quell.core.errors import InputError
from quell.core.formatting import amount as amount_text
from quell.core.formatting import progress as progress_text
from quell.core.habits import Direction, Habit, Kind, habit
from quell.core.ratings import question
from quell.core.summary import DaySummary, HabitProgress, Status
from quell.ui.common.dates import day_text, pydate, qdate, time_text
from quell.ui.common.readable_widgets import scrolling
from quell.ui.common.record_list import DeletedRecords, edit_delete_buttons, list_or_empty
from quell.ui.common.showing import OpenDialog, bring_to_front
from quell.ui.common.style import (
    InlineMessage,
    ProgressBar,
    bold_font,
    header_font,
    link_color,
    muted_color,
    set_text_color,
    small_font,
    warning_color,
)
from quell.ui.common.undo_bar import UndoBar
from quell.ui.services.session import Session
from quell.ui.today.entry_dialogs import (
    EditEntryDialog,
    LogEntryDialog,
    intensity_text,
    preset_of,
    quick_name,
)
from quell.ui.today.entry_table import EntryTable

# Menu buttons say "▾" in their text; Fusion's own indicator would crowd the label.
_NO_MENU_INDICATOR = "QToolButton::menu-indicator { image: none; width: 0; }"

# Where an entry's row goes in the list: by time, then (at the same moment) in habit order,
# then in the order logged; the same order as sorting all of the day's entries by time.
_RowKey = tuple[datetime, int, int]


def entry_amount_text(entry: Entry, water_unit: str, spec: Habit | None = None) -> str:
    """An entry's amount with the detail that makes it recognisable ('Espresso · 63 mg').

    *spec* is the entry's habit (the catalog's; a built-in's is found by key without it).
    """
    if spec is None:
        spec = habit(entry.habit)
    text = amount_text(spec, entry.amount, water_unit)
    detail = entry.detail
    preset = preset_of(spec, entry) if spec.presets else None
    if preset is not None:
        return f"{preset.label} · {text}"
    if spec.intensities and detail.get("intensity"):
        return f"{text} · {intensity_text(spec, str(detail['intensity']))}"
    if spec.rating_labels and entry.amount == int(entry.amount):
        return f"{text} · {spec.rating_label(int(entry.amount))}"
    if spec.bed_and_wake and "bed" in detail and "wake" in detail:
        try:
            bed = datetime.fromisoformat(str(detail["bed"]))
            wake = datetime.fromisoformat(str(detail["wake"]))
        except ValueError:
            return text
        return f"{text} · {time_text(bed)}–{time_text(wake)}"
    return text


class HabitRow:
    """One habit's widgets in the Today grid; :meth:`update` refreshes texts only."""

    def __init__(self, window: TodayWindow, spec: Habit) -> None:
        self.habit = spec
        self._window = window
        tr = window.tr
        self.name = QLabel(spec.label)
        self.name.setFont(bold_font(window.font()))
        self.bar = ProgressBar()
        self.bar.setFixedHeight(8)
        self.bar.setAccessibleName(tr("{habit} progress").format(habit=spec.label))
        keep_space = self.bar.sizePolicy()
        keep_space.setRetainSizeWhenHidden(True)
        self.bar.setSizePolicy(keep_space)
        self.progress = QLabel()
        self.progress.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setFont(small_font(window.font()))
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Line one: name, progress and status; line two: the bar and the quick-add buttons.
        self.line = QWidget()
        line = QHBoxLayout(self.line)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(10)
        line.addWidget(self.name)
        line.addWidget(self.progress)
        line.addStretch(1)
        line.addWidget(self.status)
        self.button_box = QWidget()
        self.buttons = QHBoxLayout(self.button_box)
        self.buttons.setContentsMargins(0, 0, 0, 0)
        self.buttons.setSpacing(4)
        self.buttons.addStretch(1)
        self.widgets: list[QWidget] = [self.line, self.bar, self.button_box]
        self.controls: list[QWidget] = []
        self._add_quick_buttons()

    # -- quick-add controls --------------------------------------------------------------

    def _button(self, text: str, accessible: str, action: Callable[[], None]) -> QToolButton:
        # Tool buttons stay compact (a push button is at least 80 px wide in Fusion).
        button = QToolButton()
        button.setText(text)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setAccessibleName(accessible)
        button.setToolTip(accessible)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.setMinimumWidth(28)
        button.clicked.connect(lambda _checked=False: action())
        self.buttons.addWidget(button)
        self.controls.append(button)
        return button

    def _other_button(self) -> None:
        tr = self._window.tr
        self._button("…", tr("Log {habit} with details…").format(habit=self.habit.label.lower()),
                     self._open_dialog)

    def _open_dialog(self) -> None:
        self._window.open_log_dialog(self.habit.key)

    def _add_quick_buttons(self) -> None:
        tr = self._window.tr
        spec = self.habit
        key = spec.key
        quick = self._window.quick_log
        name = spec.label.lower()
        self.quick_buttons: list[tuple[QToolButton, float]] = []
        self.rating_buttons: list[QToolButton] = []
        if spec.needs_dialog:
            if spec.bed_and_wake:
                self._button(tr("Log sleep…"), tr("Log a night's sleep"), self._open_dialog)
            elif spec.intensities:
                self._button(tr("Log workout…"), tr("Log a workout"), self._open_dialog)
            else:
                self._button(tr("Log…"), tr("Log {habit}…").format(habit=name),
                             self._open_dialog)
            return
        amounts = [(index, q.amount) for index, q in enumerate(spec.quick)]
        if not amounts and not spec.presets and spec.kind is not Kind.RATING \
                and spec.default_amount is not None:
            amounts = [(-1, spec.default_amount)]  # a bare "+1"
        for index, value in amounts:
            short = quick_name(spec, index)
            if short is not None:
                text = tr("+ {name}").format(name=short)
            elif spec.kind is Kind.COUNT:
                text = f"+{amount_text(spec, value, with_unit=False)}"
            else:
                text = f"+{amount_text(spec, value, self._window.water_unit)}"
            button = self._button(text, "", partial(quick, key, value))
            if spec.kind is Kind.COUNT:
                button.setMinimumWidth(40)
            self.quick_buttons.append((button, value))
        self.set_water_unit(self._window.water_unit)
        if spec.presets:
            button = self._button(tr("+ Drink ▾"), tr("Add a caffeinated drink"), _nothing)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            button.setStyleSheet(_NO_MENU_INDICATOR)
            menu = QMenu(button)
            for preset in spec.presets:
                action = menu.addAction(tr("{drink} · {mg} mg").format(drink=preset.label,
                                                                        mg=preset.mg))
                action.setData(preset.key)
                action.triggered.connect(
                    lambda _checked=False, p=preset.key: self._window.quick_drink(p))
            menu.addSeparator()
            menu.addAction(tr("Other amount…")).triggered.connect(
                lambda _checked=False: self._open_dialog())
            button.setMenu(menu)
            self.drink_menu = menu
        if spec.kind is Kind.RATING:
            for rating in range(int(spec.min_amount), int(spec.max_amount) + 1):
                words = spec.rating_label(rating)
                if words != str(rating):
                    spoken = tr("{habit} {n}: {label}").format(habit=spec.label, n=rating,
                                                               label=words)
                else:
                    spoken = tr("{habit} {n}").format(habit=spec.label, n=rating)
                button = self._button(str(rating), spoken, partial(quick, key, rating))
                self.rating_buttons.append(button)
            return
        self._other_button()

    # The built-ins' buttons by the names the tests and the window's users know them by.

    @property
    def glass_button(self) -> QToolButton:
        return self.quick_buttons[0][0]

    @property
    def bottle_button(self) -> QToolButton:
        return self.quick_buttons[1][0]

    @property
    def plus_one(self) -> QToolButton:
        return self.quick_buttons[0][0]

    def set_water_unit(self, unit: str) -> None:
        """Name the quick amounts in the user's unit (for screen readers and tips)."""
        spec = self.habit
        tr = self._window.tr
        for button, value in self.quick_buttons:
            if spec.kind is Kind.COUNT and value == 1:
                text = tr("Add one to {habit}").format(habit=spec.label.lower())
            elif spec.kind is Kind.AMOUNT:
                text = tr("Add {amount} of {habit}").format(
                    amount=amount_text(spec, value, unit), habit=spec.label.lower())
            else:
                text = tr("Add {amount} to {habit}").format(
                    amount=amount_text(spec, value, unit), habit=spec.label.lower())
            button.setAccessibleName(text)
            button.setToolTip(text)

    # -- refreshing ----------------------------------------------------------------------

    def update(self, progress: HabitProgress, water_unit: str) -> None:
        spec = self.habit
        text = progress_text(spec, progress.total, progress.target, progress.target_max,
                             water_unit)
        status, warn = self._status_text(progress, water_unit)
        self.progress.setText(text)
        self.status.setText(status)
        palette = self._window.palette()
        set_text_color(self.status, warning_color(palette) if warn else muted_color(palette))
        if progress.status is Status.NO_GOAL:
            self.bar.hide()
        else:
            self.bar.show()
            fraction, marker = self._fraction(progress)
            self.bar.set_progress(fraction, warn=warn, marker=marker)
        self.bar.setAccessibleDescription(f"{text}. {status}")

    def _fraction(self, progress: HabitProgress) -> tuple[float, float | None]:
        if progress.habit.direction is Direction.RANGE and progress.target_max:
            total = progress.total or 0.0
            low = (progress.target or 0.0) / progress.target_max
            return total / progress.target_max, low
        return progress.fraction, None

    def _status_text(self, progress: HabitProgress, water_unit: str) -> tuple[str, bool]:
        tr = self._window.tr
        direction = progress.habit.direction
        status = progress.status
        if status is Status.MET:
            if direction is Direction.AT_MOST:
                return tr("✓ Within limit"), False
            if direction is Direction.RANGE:
                return tr("✓ In range"), False
            return tr("✓ Goal reached"), False
        if status is Status.ON_THE_WAY:
            left = (progress.target or 0.0) - (progress.total or 0.0)
            return tr("{amount} to go").format(
                amount=amount_text(progress.habit, left, water_unit)), False
        if status is Status.OVER:
            if direction is Direction.AT_MOST:
                return tr("▲ Over the limit"), True
            return tr("▲ More than planned"), False
        if status is Status.UNDER:
            return (tr("▼ Short night") if progress.habit.bed_and_wake
                    else tr("▼ Below the range")), False
        if status is Status.NOT_LOGGED:
            return (tr("Not logged yet") if self._window.is_today() else tr("Not logged")), False
        if progress.habit.rating_labels and progress.total is not None:
            return progress.habit.rating_label(int(progress.total)), False
        return "", False


# The settings the Today view shows (the water unit; the day start moves "today").
_SHOWN_SETTINGS = frozenset({"water_unit", "day_start_hour", "twitch_diary"})


class TodayWindow(QWidget):
    """Quell's main window: a day at a glance, quick logging, and the day's entries.

    It shows today by default; navigating to a past day makes every quick-add and dialog log on
    that day ("I forgot yesterday"). It re-reads the session on ``Session.changed`` (cheaply:
    only texts and values change; widgets are rebuilt only when the enabled habits change).

    Signals:
        twitch_log_requested(), symptom_check_requested(), history_requested(): the buttons
            at the bottom, so everything the tray offers is reachable from the window too.
        twitch_rating_requested(date): rate the twitching of the day shown.
    """

    twitch_log_requested = Signal()
    twitch_rating_requested = Signal(object)
    symptom_check_requested = Signal()
    history_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._day = session.current_day()
        self._rows: dict[str, HabitRow] = {}
        self._dirty = True
        # What the entry list shows, so a change adds or removes only the rows it touched.
        self._listed_for: tuple[date, str, tuple[Habit, ...]] | None = None
        self._listed: dict[str, tuple[Entry, ...]] = {}
        self._row_keys: list[_RowKey] = []
        self._dialog = OpenDialog()
        self.water_unit = session.settings().water_unit
        self.setWindowTitle(self.tr("Quell — Today"))
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.resize(480, 720)
        self.setMinimumSize(420, 420)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(self._build_day_bar())
        layout.addWidget(self._build_past_banner())
        self.error = InlineMessage(self)
        layout.addWidget(self.error)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_habits())
        splitter.addWidget(self._build_entries())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([380, 220])
        self.splitter = splitter
        layout.addWidget(splitter, 1)
        self.undo_bar = UndoBar(self.tr("Bring the entry back (Ctrl+Z)"))
        self.undo_bar.undo_requested.connect(self.undo_last_delete)
        self.undo_text, self.undo_button = self.undo_bar.message, self.undo_bar.undo_button
        layout.addWidget(self.undo_bar)
        self._deleted: DeletedRecords[Entry] = DeletedRecords(
            self.entry_list, self.undo_bar, self.error, session.undo_delete)
        layout.addLayout(self._build_action_strip())

        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_last_delete)
        QShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), self, self.previous_day)
        QShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Right), self, self.next_day)
        QShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Home), self, self.go_today)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)

        session.changed.connect(self._on_changed)
        session.day_changed.connect(self._on_day_changed)
        session.settings_changed.connect(self._on_settings_changed)
        self._refresh()

    # -- building ------------------------------------------------------------------------

    def _build_action_strip(self) -> QHBoxLayout:
        strip = QHBoxLayout()
        strip.setSpacing(6)
        self.rating_button = QPushButton()
        self.rating_button.clicked.connect(lambda: self.twitch_rating_requested.emit(self._day))
        self.twitch_button = QPushButton(self.tr("Log a t&witch…"))
        self.twitch_button.clicked.connect(self.twitch_log_requested)
        self.check_button = QPushButton(self.tr("Symptom &check…"))
        self.check_button.setToolTip(self.tr("Is this twitch something to worry about?"))
        self.check_button.clicked.connect(self.symptom_check_requested)
        self.history_button = QPushButton(self.tr("&History && insights…"))
        self.history_button.clicked.connect(self.history_requested)
        for button in (self.rating_button, self.twitch_button, self.check_button,
                       self.history_button):
            button.setAutoDefault(False)
            strip.addWidget(button)
        strip.addStretch(1)
        return strip

    def _build_day_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.previous_button = QToolButton()
        self.previous_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.previous_button.setAccessibleName(self.tr("Previous day"))
        self.previous_button.setToolTip(self.tr("Previous day (Alt+Left)"))
        self.previous_button.clicked.connect(self.previous_day)
        self.day_button = QToolButton()
        self.day_button.setFont(header_font(self.font()))
        self.day_button.setAutoRaise(True)
        self.day_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.day_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # The title says "▾" itself; Fusion's indicator would sit below the text baseline.
        self.day_button.setStyleSheet(_NO_MENU_INDICATOR)
        self.day_button.setAccessibleName(self.tr("Choose a day"))
        self.day_button.setToolTip(self.tr("Choose a day"))
        self.day_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        menu = QMenu(self.day_button)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.clicked.connect(self._calendar_chosen)
        self.calendar.activated.connect(self._calendar_chosen)
        picker = QWidgetAction(menu)
        picker.setDefaultWidget(self.calendar)
        menu.addAction(picker)
        menu.aboutToShow.connect(self._prepare_calendar)
        self.day_menu = menu
        self.day_button.setMenu(menu)
        self.next_button = QToolButton()
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.next_button.setAccessibleName(self.tr("Next day"))
        self.next_button.setToolTip(self.tr("Next day (Alt+Right)"))
        self.next_button.clicked.connect(self.next_day)
        self.today_button = QPushButton(self.tr("&Today"))
        self.today_button.setAutoDefault(False)
        self.today_button.setToolTip(self.tr("Back to today (Alt+Home)"))
        self.today_button.clicked.connect(self.go_today)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.day_button, 1)
        bar.addWidget(self.next_button)
        bar.addWidget(self.today_button)
        return bar

    def _build_past_banner(self) -> QWidget:
        """'Forgot yesterday?' on today; on a past day, a reminder of where entries go."""
        banner = QFrame()
        row = QHBoxLayout(banner)
        row.setContentsMargins(8, 2, 2, 2)
        row.setSpacing(8)
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.banner_text.setFont(small_font(self.font()))
        self.banner_button = QPushButton()
        self.banner_button.setAutoDefault(False)
        self.banner_button.setFlat(True)
        self.banner_button.setCursor(Qt.CursorShape.PointingHandCursor)
        link_font = self.banner_button.font()
        link_font.setUnderline(True)
        self.banner_button.setFont(link_font)
        self.banner_button.clicked.connect(self._banner_clicked)
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.banner_button)
        banner.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.banner = banner
        self.banner_row = row
        return banner

    def _build_habits(self) -> QWidget:
        self.habit_grid = QGridLayout()
        self.habit_grid.setContentsMargins(2, 4, 6, 4)
        self.habit_grid.setHorizontalSpacing(12)
        self.habit_grid.setVerticalSpacing(3)
        self.habit_grid.setColumnStretch(0, 1)
        holder = QWidget()
        outer = QVBoxLayout(holder)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.habit_grid)
        outer.addStretch(1)
        self.habit_area = scrolling(holder)
        return self.habit_area

    def _build_entries(self) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 8, 0, 0)
        column.setSpacing(6)
        self.entries_title = QLabel()
        self.entries_title.setFont(bold_font(self.font()))
        column.addWidget(self.entries_title)

        self.entry_list = EntryTable([self.tr("Time"), self.tr("Habit"), self.tr("Amount"),
                                      self.tr("Note")], self.tr("Entries of the day"))
        self.entry_list.edit_requested.connect(self.edit_selected)
        self.entry_list.delete_requested.connect(self.delete_selected)
        self.entry_list.selection_changed.connect(self._update_entry_buttons)

        self.entry_stack, self.empty_label = list_or_empty(self.entry_list, self.tr(
            "Nothing logged for this day yet.\nUse the buttons above to add something."),
            self.palette())
        column.addWidget(self.entry_stack, 1)

        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        self.edit_button, self.delete_button = edit_delete_buttons(
            self.tr("Delete the selected entry (Del); you can undo it"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        return panel

    def _rebuild_rows(self, specs: list[Habit]) -> None:
        """Recreate the habit rows; only needed when the enabled habits (or one's definition,
        or their order) change."""
        for row in self._rows.values():
            for widget in row.widgets:
                widget.setParent(None)
                widget.deleteLater()
        self._rows.clear()
        grid = self.habit_grid
        for index, spec in enumerate(specs):
            key = spec.key
            row = HabitRow(self, spec)
            top = index * 3
            grid.addWidget(row.line, top, 0, 1, 2)
            grid.addWidget(row.bar, top + 1, 0, Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(row.button_box, top + 1, 1)
            grid.setRowMinimumHeight(top + 2, 12)
            self._rows[key] = row
        self._fix_tab_order()

    def _fix_tab_order(self) -> None:
        chain: list[QWidget] = [self.previous_button, self.day_button, self.next_button,
                                self.today_button, self.banner_button]
        for row in self._rows.values():
            chain.extend(row.controls)
        chain.extend([self.entry_list, self.edit_button, self.delete_button])
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- what is shown -------------------------------------------------------------------

    @property
    def day(self) -> date:
        return self._day

    @property
    def rows(self) -> dict[str, HabitRow]:
        return self._rows

    def show_day(self, day: date) -> None:
        """Show *day* (a future day shows today); quick-adds then log on that day."""
        self._day = min(day, self._session.current_day())
        self.error.clear_message()
        self._refresh()

    def previous_day(self) -> None:
        self.show_day(self._day - timedelta(days=1))

    def next_day(self) -> None:
        self.show_day(self._day + timedelta(days=1))

    def go_today(self) -> None:
        self.show_day(self._session.current_day())

    def present(self) -> None:
        """Show the window in front, restoring it from the taskbar if minimized."""
        bring_to_front(self)

    def is_today(self) -> bool:
        return self._day == self._session.current_day()

    def _on_changed(self) -> None:
        if self.isVisible():
            self._refresh()
        else:
            self._dirty = True  # a hidden window costs nothing on the logging path

    def _on_settings_changed(self, keys: frozenset[str]) -> None:
        if keys & _SHOWN_SETTINGS:
            self._on_changed()

    def _on_day_changed(self) -> None:
        # Whoever was looking at "today" keeps looking at today after the rollover.
        if self._day == self._session.current_day() - timedelta(days=1):
            self._day = self._session.current_day()
        self._on_changed()

    def showEvent(self, event: QShowEvent) -> None:
        if self._dirty:
            self._refresh()
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.undo_bar.dismiss()
        super().closeEvent(event)

    def _refresh(self) -> None:
        self._dirty = False
        session = self._session
        today = session.current_day()
        self._day = min(self._day, today)
        summary = session.summary(self._day)
        unit = session.settings().water_unit
        specs = [p.habit for p in summary.habits]
        if specs != [row.habit for row in self._rows.values()]:
            self._rebuild_rows(specs)
        if unit != self.water_unit:
            self.water_unit = unit
            for row in self._rows.values():
                row.set_water_unit(unit)
        for progress in summary.habits:
            self._rows[progress.habit.key].update(progress, unit)
        self._refresh_day_bar(today)
        self._refresh_entries(summary, unit)
        self._refresh_twitch_buttons(today)

    def _refresh_twitch_buttons(self, today: date) -> None:
        """The day's rating on its button; "Log a twitch" only with the diary on."""
        rating = self._session.rating_on(self._day) if self._day != today \
            else self._session.today_rating()
        if rating is None:
            text = (self.tr("Twitching t&oday…") if self._day == today
                    else self.tr("Twitching on this &day…"))
        else:
            text = (self.tr("Twitching t&oday: {rating}…") if self._day == today
                    else self.tr("Twitching on this &day: {rating}…")).format(
                rating=rating.in_words().replace("&", "&&"))
        self.rating_button.setText(text)
        self.rating_button.setToolTip(question() if self._day == today else "")
        self.twitch_button.setVisible(self._session.twitch_diary_offered())

    def _refresh_day_bar(self, today: date) -> None:
        day = self._day
        if day == today:
            title = self.tr("Today · {day}").format(day=day_text(day))
            self.banner_text.setText(self.tr("Forgot to log something yesterday?"))
            self.banner_button.setText(self.tr("Record &yesterday"))
        else:
            name = (self.tr("Yesterday · {day}") if day == today - timedelta(days=1)
                    else "{day}").format(day=day_text(day))
            title = name
            self.banner_text.setText(self.tr("Filling in a past day: what you add counts "
                                             "on that day."))
            self.banner_button.setText(self.tr("Back to &today"))
        # On a past day the banner is tinted, so the state is hard to miss.
        past = day != today
        self.banner.setAutoFillBackground(past)
        self.banner.setFrameShape(QFrame.Shape.StyledPanel if past else QFrame.Shape.NoFrame)
        self.banner_row.setContentsMargins(8 if past else 2, 2, 2, 2)
        set_text_color(self.banner_text, muted_color(self.palette()))
        link = QPalette(self.banner_button.palette())
        link.setColor(QPalette.ColorRole.ButtonText, link_color(self.palette()))
        self.banner_button.setPalette(link)
        self.day_button.setText(f"{title}  ▾")
        self.day_button.setAccessibleDescription(title)
        self.next_button.setEnabled(day < today)
        self.today_button.setEnabled(day != today)

    def _refresh_entries(self, summary: DaySummary, unit: str) -> None:
        listed_for = (summary.day, unit, tuple(p.habit for p in summary.habits))
        if listed_for != self._listed_for:
            self._list_all(summary, unit)
            self._listed_for = listed_for
        else:
            # A write changes one habit: its entries are a new tuple, the others the same.
            for position, progress in enumerate(summary.habits):
                shown = self._listed.get(progress.habit.key, ())
                if progress.entries is not shown:
                    self._relist(position, progress.habit, shown, progress.entries, unit)
                    self._listed[progress.habit.key] = progress.entries
        count = len(self._row_keys)
        self.entry_stack.setCurrentWidget(self.entry_list if count else self.empty_label)
        self.entries_title.setText(self.tr("Entries ({count})").format(count=count)
                                   if count else self.tr("Entries"))
        self._update_entry_buttons()

    def _list_all(self, summary: DaySummary, unit: str) -> None:
        keyed = sorted(((_row_key(entry, position), entry, progress.habit)
                        for position, progress in enumerate(summary.habits)
                        for entry in progress.entries), key=lambda item: item[0])
        self.entry_list.show_records((entry.id, self._entry_texts(entry, spec, unit))
                                     for _key, entry, spec in keyed)
        self._row_keys = [key for key, _entry, _spec in keyed]
        self._listed = {p.habit.key: p.entries for p in summary.habits}

    def _relist(self, position: int, spec: Habit, shown: Sequence[Entry],
                entries: Sequence[Entry], unit: str) -> None:
        """Update the rows of one habit from the entries *shown* to *entries*."""
        if len(entries) >= len(shown) and tuple(entries[:len(shown)]) == tuple(shown):
            gone: list[Entry] = []  # the usual case: entries were added at the end
            new = list(entries[len(shown):])
        else:
            # The summary keeps an unchanged entry's object: identity is enough, and cheap.
            now = {e.id: e for e in entries}
            before = {e.id: e for e in shown}
            gone = [e for e in shown if now.get(e.id) is not e]
            new = [e for e in entries if before.get(e.id) is not e]
        for entry in gone:
            key = _row_key(entry, position)
            index = bisect.bisect_left(self._row_keys, key)
            if index < len(self._row_keys) and self._row_keys[index] == key:
                del self._row_keys[index]
                self.entry_list.take_record(index)
        for entry in new:
            key = _row_key(entry, position)
            index = bisect.bisect_right(self._row_keys, key)
            self._row_keys.insert(index, key)
            self.entry_list.insert_record(index, entry.id,
                                          self._entry_texts(entry, spec, unit))

    def _entry_texts(self, entry: Entry, spec: Habit, unit: str) -> list[str]:
        return [self._entry_time(entry), spec.label, entry_amount_text(entry, unit, spec),
                entry.note]

    def _entry_time(self, entry: Entry) -> str:
        text = time_text(entry.at)
        if entry.at.date() != self._day:
            # After midnight but before the day-start hour: still this day, say which night.
            text = f"{text} (+1)" if entry.at.date() > self._day else f"{text} (−1)"
        return text

    # -- logging -------------------------------------------------------------------------

    def _moment(self) -> datetime | None:
        if self.is_today():
            return None
        return self._session.tracker.moment_on_day(self._day)

    def quick_log(self, key: str, amount: float | None) -> None:
        """One-click logging on the day shown; problems show inline."""
        self._run(lambda: self._session.log(key, amount, at=self._moment()))

    def quick_drink(self, preset: str) -> None:
        self._run(lambda: self._session.log_drink(preset, at=self._moment()))

    def _run(self, action: Callable[[], object]) -> None:
        try:
            action()
        except InputError as error:
            self.error.show_message(str(error))
        else:
            self.error.clear_message()

    def open_log_dialog(self, key: str) -> LogEntryDialog:
        """Open the detailed log dialog for *key* on the day shown (window-modal)."""
        return self._dialog.open(
            LogEntryDialog(self._session, key, day=self._day, parent=self))

    @property
    def open_dialog(self) -> QDialog | None:
        """The dialog this window has open, if any."""
        return self._dialog.dialog

    # -- entries -------------------------------------------------------------------------

    def _selected_entry(self) -> Entry | None:
        entry_id = self.entry_list.selected_id()
        if entry_id is None:
            return None
        summary = self._session.summary(self._day)
        return next((e for p in summary.habits for e in p.entries if e.id == entry_id), None)

    def _update_entry_buttons(self) -> None:
        has = self.entry_list.selected_id() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def select_entry(self, entry_id: int) -> None:
        self.entry_list.select_id(entry_id)

    def edit_selected(self) -> EditEntryDialog | None:
        entry = self._selected_entry()
        if entry is None:
            return None
        return self._dialog.open(EditEntryDialog(self._session, entry, parent=self))

    def delete_selected(self) -> Entry | None:
        entry = self._selected_entry()
        if entry is None or entry.id is None:
            return None
        entry_id = entry.id
        return self._deleted.delete(lambda: self._session.delete(entry_id), self._deleted_text)

    def _deleted_text(self, deleted: Entry) -> str:
        spec = self._session.habits().get(deleted.habit)
        return self.tr("Deleted {habit} {amount}.").format(
            habit=spec.label.lower(), amount=entry_amount_text(deleted, self.water_unit, spec))

    def undo_last_delete(self) -> None:
        """Bring back the most recently deleted entry (Ctrl+Z; repeatable)."""
        self._deleted.undo_last()

    def _banner_clicked(self) -> None:
        if self.is_today():
            self.previous_day()
        else:
            self.go_today()

    def _prepare_calendar(self) -> None:
        today = self._session.current_day()
        self.calendar.setMaximumDate(qdate(today))
        self.calendar.setSelectedDate(qdate(self._day))

    def _calendar_chosen(self, chosen: QDate) -> None:
        self.day_menu.close()
        self.show_day(pydate(chosen))

    def sizeHint(self) -> QSize:
        return QSize(480, 640)


def _nothing() -> None:
    """A menu button's click: its menu opens by itself."""


def _row_key(entry: Entry, position: int) -> _RowKey:
    return entry.at, position, entry.id or 0
