"""The settings dialog: daily goals and limits, which habits are on, units, day and night times;
the user's own habits on their own page (:mod:`quell.ui.settings.habits`)."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSizePolicy,
    QStyle,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from quell.core.errors import InputError
from quell.core.formatting import water_in
from quell.core.habits import HABITS, ML_PER_US_FL_OZ, Direction, Habit
from quell.core.settings import (
    HIDE_CHARTS_FOR,
    ReminderSettings,
    Settings,
    TwitchDiary,
    twitch_charts_hidden,
)
from quell.platform.autostart import AutostartError, autostart_enabled, set_autostart
from quell.ui.common.dates import day_text, pytime, time_text
from quell.ui.common.form_dialog import ok_cancel_buttons
from quell.ui.common.style import InlineMessage, add_section, hint_label
from quell.ui.common.wheel_guard import guard_wheel
from quell.ui.services.session import Session
from quell.ui.services.symptom_session import emergency_number
from quell.ui.settings.habits import HabitsPage
from quell.ui.settings.reminders import ReminderSettingsPage

# Target per habit: (value, value_max); value_max only for a range (sleep).
TargetValues = dict[str, tuple[float | None, float | None]]
# Grid columns: name, "at least", value, "and", upper value (sleep), stretch.
_COLUMNS = 6


class SettingsDialog(QDialog):
    """Edit a copy of the preferences and targets; OK checks everything, then applies it all.

    Nothing is applied when any value is bad: the problem shows inline, naming the field, and
    the dialog stays open with what the user typed.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._settings = session.settings()
        self._targets = session.targets()
        self._enabled = session.enabled_habits()
        self._water_unit = self._settings.water_unit
        self._unit = self._water_unit  # the unit the water goal is shown in right now
        self.target_spins: dict[str, QDoubleSpinBox] = {}
        self.enabled_boxes: dict[str, QCheckBox] = {}
        # A range's upper end, by habit (sleep's 9 h).
        self.max_spins: dict[str, QDoubleSpinBox] = {}
        self._water_ml: float = 0.0
        self.setWindowTitle(self.tr("Quell — Settings"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs)
        habits_page = QWidget()
        self.tabs.addTab(habits_page, self.tr("&Goals and habits"))
        water = self._targets.get("water")
        self.reminders_page = ReminderSettingsPage(
            self._settings, water_goal_ml=water.value if water else None)
        # The user's own habits next to the goals: both are about what is tracked.
        self.habits_page = HabitsPage(session)
        self.tabs.addTab(self.habits_page, self.tr("&Your habits"))
        self.tabs.addTab(self.reminders_page, self.tr("&Reminders"))
        outer = layout
        layout = QVBoxLayout(habits_page)
        layout.setContentsMargins(12, 10, 12, 6)
        layout.setSpacing(10)
        # One grid for every section, so names, words and fields line up down the dialog.
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(7)
        self.grid.setColumnStretch(_COLUMNS - 1, 1)
        self._row = 0
        self._section(self.tr("Daily goals and limits"), self.tr(
            "A changed goal counts from today on; earlier days keep the goal they had."))
        self._add_habits(optional=False)
        self._section(self.tr("Optional habits"),
                      self.tr("Switch on what you want to keep an eye on."))
        self._add_habits(optional=True)
        self._section(self.tr("Units and your day"), None)
        self._add_preferences()
        self._section(self.tr("Twitches"), None)
        self._add_twitch_choices()
        self._section(self.tr("Starting Quell"), None)
        self._add_autostart()
        layout.addLayout(self.grid)
        layout.addStretch(1)
        layout = outer
        self.error = InlineMessage(self)
        layout.addWidget(self.error)
        self.buttons, self.ok_button = ok_cancel_buttons(self, self._submit)
        layout.addWidget(self.buttons)
        guard_wheel(self)

    @property
    def sleep_max_spin(self) -> QDoubleSpinBox | None:
        return self.max_spins.get("sleep")

    # -- building ------------------------------------------------------------------------

    def _section(self, title: str, hint: str | None) -> None:
        self._row = add_section(self.grid, self._row, title, self.font(), columns=_COLUMNS)
        if hint:
            self.grid.addWidget(self._hint(hint), self._row, 0, 1, _COLUMNS)
            self._row += 1

    def _hint(self, text: str) -> QLabel:
        return hint_label(text, self.font(), self.palette())

    def _add_habits(self, *, optional: bool) -> None:
        for spec in (h for h in HABITS if h.optional == optional):
            row = self._row
            self._row += 1
            if optional:
                box = QCheckBox(spec.label)
                box.setChecked(spec.key in self._enabled)
                box.setToolTip(self.tr("Track {habit}").format(habit=spec.label.lower()))
                self.enabled_boxes[spec.key] = box
                self.grid.addWidget(box, row, 0)
            else:
                name = QLabel(spec.label)
                name.setToolTip(self.tr("Always tracked"))
                # Line the name up with the optional habits' names, past their checkboxes.
                style = self.style()
                name.setIndent(style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
                               + style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing))
                self.grid.addWidget(name, row, 0)
            self._add_target(row, spec)
            if optional:
                box = self.enabled_boxes[spec.key]
                for field in self._target_fields(spec.key):
                    field.setEnabled(box.isChecked())
                    box.toggled.connect(field.setEnabled)

    def _target_fields(self, key: str) -> list[QWidget]:
        fields: list[QWidget] = []
        if key in self.target_spins:
            fields.append(self.target_spins[key])
        if key in self.max_spins:
            fields.append(self.max_spins[key])
        return fields

    def _add_target(self, row: int, spec: Habit) -> None:
        grid = self.grid
        direction = spec.direction
        if direction is Direction.NONE:
            grid.addWidget(self._hint(self.tr("tracked without a goal")), row, 1, 1,
                           _COLUMNS - 1)
            return
        target = self._targets.get(spec.key)
        value = target.value if target and target.value is not None else spec.default_target
        words = {Direction.AT_LEAST: self.tr("at least"), Direction.AT_MOST: self.tr("at most"),
                 Direction.RANGE: self.tr("between")}[direction]
        grid.addWidget(QLabel(words), row, 1)
        spin = self._spin(spec)
        label_text = (self.tr("{habit} daily limit") if direction is Direction.AT_MOST
                      else self.tr("{habit} daily goal")).format(habit=spec.label)
        spin.setAccessibleName(label_text)
        self.target_spins[spec.key] = spin
        if spec.key == "water":
            self._water_ml = float(value or 0)
            self._set_water_spin()
            spin.valueChanged.connect(self._water_typed)
        else:
            spin.setValue(float(value or 0))
        grid.addWidget(spin, row, 2)
        if direction is Direction.RANGE:
            high = target.value_max if target and target.value_max is not None \
                else spec.default_target_max
            top = self._spin(spec)
            top.setValue(float(high or 0))
            spin.setAccessibleName(self.tr("Fewest {unit} of {habit}").format(
                unit=spec.unit, habit=spec.label.lower()))
            top.setAccessibleName(self.tr("Most {unit} of {habit}").format(
                unit=spec.unit, habit=spec.label.lower()))
            self.max_spins[spec.key] = top
            grid.addWidget(QLabel(self.tr("and")), row, 3)
            grid.addWidget(top, row, 4)

    def _spin(self, spec: Habit) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        spin.setAccelerated(True)
        spin.setGroupSeparatorShown(True)
        # Generous bounds: the core's checks explain a bad value; clamping would hide it.
        if spec.unit == "hours":
            spin.setDecimals(1)
            spin.setRange(0, spec.max_amount * 2)
            spin.setSingleStep(0.5)
            spin.setSuffix(" " + self.tr("h"))
        elif spec.unit == "ml":
            self._configure_water_spin(spin, self._water_unit)
        else:
            spin.setDecimals(0)
            spin.setRange(0, spec.max_amount * 20)
            spin.setSingleStep(25 if spec.unit == "mg" else 1)
            spin.setSuffix(" " + spec.unit_text)
        spin.setMinimumWidth(120)
        spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return spin

    def _configure_water_spin(self, spin: QDoubleSpinBox, unit: str) -> None:
        if unit == "fl_oz":
            spin.setDecimals(1)
            spin.setRange(0, 9999)
            spin.setSingleStep(4)
            spin.setSuffix(" " + self.tr("fl oz"))
        else:
            spin.setDecimals(0)
            spin.setRange(0, 999_999)
            spin.setSingleStep(250)
            spin.setSuffix(" " + self.tr("ml"))

    def _add_preference(self, text: str, field: QWidget | QHBoxLayout) -> None:
        label = QLabel(text)
        if isinstance(field, QWidget):
            label.setBuddy(field)
            self.grid.addWidget(field, self._row, 1, 1, 2)
        else:
            self.grid.addLayout(field, self._row, 1, 1, _COLUMNS - 1)
        self.grid.addWidget(label, self._row, 0)
        self._row += 1

    def _add_preferences(self) -> None:
        units = QHBoxLayout()
        units.setSpacing(14)
        self.unit_ml = QRadioButton(self.tr("&ml"))
        self.unit_fl_oz = QRadioButton(self.tr("US fl &oz"))
        self._unit_group = QButtonGroup(self)
        self._unit_group.addButton(self.unit_ml)
        self._unit_group.addButton(self.unit_fl_oz)
        (self.unit_fl_oz if self._water_unit == "fl_oz" else self.unit_ml).setChecked(True)
        self.unit_fl_oz.toggled.connect(self._unit_changed)
        units.addWidget(self.unit_ml)
        units.addWidget(self.unit_fl_oz)
        units.addStretch(1)
        self._add_preference(self.tr("Water in"), units)

        self.day_start = QComboBox()
        for hour in range(0, 13):
            self.day_start.addItem(time_text(time(hour, 0)), hour)
        self.day_start.setCurrentIndex(max(0, self._settings.day_start_hour))
        self.day_start.setToolTip(self.tr(
            "Anything logged before this hour counts for the day before (late nights)."))
        self._add_preference(self.tr("&Day starts at"), self.day_start)

        self.bedtime = self._time_edit(self._settings.bedtime)
        self.wake_time = self._time_edit(self._settings.wake_time)
        self._add_preference(self.tr("Planned &bedtime"), self.bedtime)
        self._add_preference(self.tr("Planned &wake time"), self.wake_time)

        self.region = QComboBox()
        system = emergency_number("")
        self.region.addItem(self.tr("From this computer's settings ({number})").format(
            number=_short_number(system)), "")
        for code, name in _REGIONS:
            self.region.addItem(f"{self.tr(name)} ({_short_number(emergency_number(code))})",
                                code)
        index = self.region.findData(self._settings.locale)
        self.region.setCurrentIndex(max(0, index))
        self.region.setToolTip(self.tr(
            "The symptom check tells you which number to call in an emergency. "
            "Quell never dials it."))
        self._add_preference(self.tr("Emergency &number for"), self.region)

    def _add_twitch_choices(self) -> None:
        self._diary_was = self._session.twitch_diary_offered()
        self.diary_box = QCheckBox(self.tr("&Log each twitch (beside the daily rating)"))
        self.diary_box.setChecked(self._diary_was)
        self.grid.addWidget(self.diary_box, self._row, 0, 1, _COLUMNS)
        self._row += 1
        self.grid.addWidget(self._hint(self.tr(
            "One rating at the end of the day is usually enough: counting every twitch tends "
            "to draw attention to it.")), self._row, 0, 1, _COLUMNS)
        self._row += 1
        now = self._session.tracker.clock.now()
        self._hidden_was = twitch_charts_hidden(self._settings, now)
        self.hide_charts_box = QCheckBox(self.tr("&Hide twitch charts for two weeks"))
        self.hide_charts_box.setChecked(self._hidden_was)
        until = self._settings.twitch_charts_hidden_until
        if self._hidden_was and until is not None:
            self.hide_charts_box.setToolTip(self.tr("Hidden until {day}").format(
                day=day_text(until.astimezone(now.tzinfo).date())))
        self.grid.addWidget(self.hide_charts_box, self._row, 0, 1, _COLUMNS)
        self._row += 1

    def _twitch_changes(self) -> dict[str, object]:
        """The twitch settings the boxes change; an untouched box leaves its setting alone (a
        diary never chosen stays "as it is used")."""
        changes: dict[str, object] = {}
        if self.diary_box.isChecked() != self._diary_was:
            changes["twitch_diary"] = (TwitchDiary.ON if self.diary_box.isChecked()
                                       else TwitchDiary.OFF)
        if self.hide_charts_box.isChecked() != self._hidden_was:
            changes["twitch_charts_hidden_until"] = (
                self._session.tracker.clock.now() + HIDE_CHARTS_FOR
                if self.hide_charts_box.isChecked() else None)
        return changes

    def _add_autostart(self) -> None:
        self._autostart_was = autostart_enabled()
        self.autostart_box = QCheckBox(self.tr("&Start Quell when I log in"))
        self.autostart_box.setChecked(self._autostart_was)
        self.autostart_box.setToolTip(self.tr(
            "Quell starts in the tray, without opening a window, so the reminders come every "
            "day."))
        self.grid.addWidget(self.autostart_box, self._row, 0, 1, _COLUMNS)
        self._row += 1

    def _time_edit(self, value: time) -> QTimeEdit:
        edit = QTimeEdit(QTime(value.hour, value.minute))
        edit.setDisplayFormat(self.locale().timeFormat(self.locale().FormatType.ShortFormat))
        edit.setWrapping(True)
        return edit

    # -- water unit ----------------------------------------------------------------------

    def _current_unit(self) -> str:
        return self._unit

    def _set_water_spin(self) -> None:
        spin = self.target_spins["water"]
        spin.blockSignals(True)
        spin.setValue(water_in(self._water_ml, self._current_unit()))
        spin.blockSignals(False)

    def _water_typed(self, value: float) -> None:
        # Keep the exact ml: switching units back and forth must not drift 2000 to 1999.
        self._water_ml = value * ML_PER_US_FL_OZ if self._current_unit() == "fl_oz" else value
        self.reminders_page.set_water_goal(self._water_ml, self._current_unit())

    def _unit_changed(self) -> None:
        self._unit = "fl_oz" if self.unit_fl_oz.isChecked() else "ml"
        spin = self.target_spins["water"]
        spin.blockSignals(True)
        self._configure_water_spin(spin, self._current_unit())
        spin.blockSignals(False)
        self._set_water_spin()
        self.reminders_page.set_water_goal(self._water_ml, self._current_unit())

    # -- applying ------------------------------------------------------------------------

    def _changed_targets(self) -> TargetValues:
        changed: TargetValues = {}
        for key, spin in self.target_spins.items():
            if key == "water":
                value: float = round(self._water_ml)
            else:
                value = spin.value()
            top = self.max_spins.get(key)
            value_max = top.value() if top is not None else None
            current = self._targets.get(key)
            if current is None or (current.value, current.value_max) != (value, value_max):
                changed[key] = (value, value_max)
        return changed

    def _enabled_keys(self) -> list[str]:
        """The built-ins as ticked here, and the user's habits as they are (their page saves
        its changes at once)."""
        own = [k for k in self._session.enabled_habits()
               if (spec := self._session.habits().find(k)) is not None and not spec.builtin]
        return [h.key for h in HABITS
                if not h.optional or (h.key in self.enabled_boxes
                                      and self.enabled_boxes[h.key].isChecked())] + own

    def _new_settings(self, reminders: ReminderSettings) -> Settings:
        # Based on the settings as they are now, not as the dialog opened: a pause started
        # from the tray or the command line meanwhile must survive OK.
        return self._session.settings().replace(
            reminders=reminders,
            locale=str(self.region.currentData()),
            water_unit=self._current_unit(),
            day_start_hour=int(self.day_start.currentData()),
            bedtime=pytime(self.bedtime.time()),
            wake_time=pytime(self.wake_time.time()),
            **self._twitch_changes(),
        )

    def _submit(self) -> None:
        tracker = self._session.tracker
        targets = self._changed_targets()
        for key, (value, value_max) in targets.items():
            try:
                tracker.validate_target(key, value, value_max)
            except InputError as error:
                self._reject_field(str(error), self.target_spins[key])
                return
        try:
            reminders = self.reminders_page.value()
        except InputError as error:
            self.tabs.setCurrentWidget(self.reminders_page)
            self._reject_field(str(error), self.reminders_page.focusWidget() or self.tabs)
            return
        try:
            settings = self._new_settings(reminders)
        except InputError as error:
            self._reject_field(str(error), self.bedtime)
            return
        enabled = self._enabled_keys()
        # Everything is valid. Starting at login first: it is the one change that can still
        # fail (a read-only folder, a portal that says no), and then nothing is applied.
        wanted = self.autostart_box.isChecked()
        if wanted != self._autostart_was and wanted != autostart_enabled():
            try:
                set_autostart(wanted)
            except AutostartError as error:
                self.tabs.setCurrentIndex(0)
                self._reject_field(str(error), self.autostart_box)
                return
        self._autostart_was = wanted
        self.error.clear_message()
        if targets:
            self._session.set_targets(targets)
        if set(enabled) != set(self._session.enabled_habits()):
            self._session.set_enabled_habits(enabled)
        if settings != self._session.settings():
            self._session.save_settings(settings)
        self.accept()

    def _reject_field(self, message: str, field: QWidget) -> None:
        self.error.show_message(message)
        field.setFocus()
        if isinstance(field, QAbstractSpinBox):
            field.selectAll()


# Where the symptom check's emergency number differs or people often live (TRIAGE.md).
_REGIONS = (
    ("GB", "United Kingdom"), ("IE", "Ireland"), ("US", "United States"), ("CA", "Canada"),
    ("AU", "Australia"), ("NZ", "New Zealand"), ("IN", "India"), ("DE", "Germany"),
    ("FR", "France"), ("ES", "Spain"), ("IT", "Italy"), ("NL", "the Netherlands"),
    ("ZZ", "Another country"),
)


def _short_number(text: str) -> str:
    """'999', or '112 in many countries' for the long fallback sentence."""
    return text if text.isdigit() else "112 in many countries"
