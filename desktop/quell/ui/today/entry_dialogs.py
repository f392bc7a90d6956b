"""Dialogs to log one entry of a habit (today or a past day) and to edit a logged entry.

The fields follow the habit's definition: an amount in its unit within one entry's bounds,
buttons for its quick amounts, its presets (caffeine's drinks), its ratings (stress), bed and
wake times (sleep) or intensities (a workout); a user's own habit gets the same fields from its
kind, unit and bounds.
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from quell.core.days import hours_between, local_datetime
from quell.core.entries import Entry
from quell.core.errors import InputError
from quell.core.formatting import amount as amount_text
from quell.core.formatting import hours, number, water_in
from quell.core.habits import ML_PER_US_FL_OZ, DrinkPreset, Habit, Kind
from quell.core.tracker import Logged
from quell.ui.common.dates import date_edit, day_text, pydate, pytime, qdate, qtime, time_text
from quell.ui.common.form_dialog import FormDialog
from quell.ui.common.style import bold_font, muted_color, set_text_color, small_font
from quell.ui.services.session import Session

NOTE_MAX = 500

# Short names of the built-ins' quick amounts, for buttons ("+ Glass"); others show the amount.
QUICK_NAMES: dict[tuple[str, int], str] = {
    ("water", 0): str(QT_TRANSLATE_NOOP("entry_dialogs", "Glass")),
    ("water", 1): str(QT_TRANSLATE_NOOP("entry_dialogs", "Bottle")),
}


def _tr(text: str) -> str:
    """Translate text used outside a QObject (the context names this module)."""
    return QCoreApplication.translate("entry_dialogs", text)


def quick_name(spec: Habit, index: int) -> str | None:
    """The short name of *spec*'s quick amount number *index* ("Glass"), if it has one."""
    name = QUICK_NAMES.get((spec.key, index)) if spec.builtin else None
    return _tr(name) if name is not None else None


def preset_of(spec: Habit, entry: Entry) -> DrinkPreset | None:
    """The preset *entry* was logged as (an espresso), while its amount is still the preset's."""
    key = str(entry.detail.get("preset", ""))
    preset = next((p for p in spec.presets if p.key == key), None)
    return preset if preset is not None and preset.mg == entry.amount else None


def intensity_text(spec: Habit, key: str) -> str:
    """The words for a workout's intensity *key* ("Very hard"), or the key itself."""
    return _tr(dict(spec.intensities).get(key, key)) if spec.intensities else key


def _time_edit(value: time) -> QTimeEdit:
    edit = QTimeEdit(qtime(value))
    edit.setDisplayFormat(QLocale().timeFormat(QLocale.FormatType.ShortFormat))
    edit.setWrapping(True)
    return edit


class AmountField:
    """A spin box for one habit's amount, shown in the user's unit, read back in the base unit.

    The spin box lets out-of-range numbers through on purpose: the core's checks name the
    problem, where a silently clamped value would log something the user did not type.
    """

    def __init__(self, spec: Habit, water_unit: str, base_value: float) -> None:
        self.habit = spec
        # Millilitres show in the user's water unit (water's, and a user habit's in ml).
        self.fl_oz = spec.unit == "ml" and water_unit == "fl_oz"
        spin = QDoubleSpinBox()
        spin.setDecimals(self._decimals())
        spin.setRange(0, self._maximum())
        spin.setSingleStep(self._step())
        if spec.kind not in (Kind.COUNT, Kind.RATING):  # the label says "Sessions"
            spin.setSuffix(" " + self._unit())
        spin.setMinimumWidth(120)
        spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        spin.setAccelerated(True)
        self.spin = spin
        self._shown = 0.0
        self._exact = 0.0
        self.set_base(base_value)

    def _unit(self) -> str:
        if self.fl_oz:
            return _tr("fl oz")
        return self.habit.unit_text

    def _decimals(self) -> int:
        spec = self.habit
        if spec.unit == "hours":
            return 2
        if self.fl_oz:
            return 1
        # Whole units, and amounts counted in hundreds or more (ml, mg, minutes), take no
        # decimals; small units (litres, drinks) take one.
        return 0 if spec.integer or spec.max_amount > 100 else 1

    def _maximum(self) -> float:
        if self.habit.unit == "hours":
            return self.habit.max_amount * 2
        shown_max = water_in(self.habit.max_amount, "fl_oz") if self.fl_oz else \
            self.habit.max_amount
        return float(int(shown_max * 20))

    def _step(self) -> float:
        if self.fl_oz:
            return 1.0
        return {"ml": 50.0, "mg": 5.0, "hours": 0.25, "minutes": 5.0}.get(
            self.habit.unit, 1.0 if self._decimals() == 0 else 0.5)

    def set_base(self, value: float) -> None:
        """Show *value* (base unit), remembering it exactly so an untouched field is lossless."""
        shown = water_in(value, "fl_oz") if self.fl_oz else value
        self.spin.setValue(shown)
        self._shown = self.spin.value()
        self._exact = value

    @property
    def touched(self) -> bool:
        return self.spin.value() != self._shown

    def base_value(self) -> float:
        """The amount in the habit's base unit; raises InputError when it is out of range."""
        value = self.spin.value()
        if not self.touched:
            return self._exact
        if not self.fl_oz:
            return value
        ml = value * ML_PER_US_FL_OZ
        if not self.habit.accepts(ml):
            # Say the limit in the unit the user is looking at, not in ml.
            raise InputError(_tr(
                "{habit} must be more than 0 and at most {high} fl oz per entry, not {amount}"
            ).format(habit=self.habit.label.lower(),
                     high=number(water_in(self.habit.max_amount, "fl_oz"), 1),
                     amount=number(value, 1)))
        return ml


class _EntryDialogBase(FormDialog):
    """The frame both dialogs share: a form with a subtitle under its title, and the note."""

    def __init__(self, session: Session, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._session = session
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setFont(small_font(self.font()))
        set_text_color(self.subtitle, muted_color(self.palette()))
        self.subtitle.hide()
        self.heading.addWidget(self.subtitle)
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_MAX)
        self.note.setPlaceholderText(self.tr("optional"))
        self.note.setClearButtonEnabled(True)


def _no_default(button: QAbstractButton) -> QAbstractButton:
    """Helper buttons must not catch Enter, which submits the dialog."""
    if isinstance(button, QPushButton):
        button.setAutoDefault(False)
        button.setDefault(False)
    return button


class LogEntryDialog(_EntryDialogBase):
    """Log one entry of a habit, on today or on a past *day*.

    After it is accepted, :attr:`logged` holds what was stored. Bad input shows inline and writes
    nothing; the fields keep what the user typed.
    """

    def __init__(self, session: Session, habit_key: str, *, day: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.habit = session.habits().get(habit_key)
        tracker = session.tracker
        today = session.current_day()
        self.day = min(day, today) if day is not None else today
        self.is_today = self.day == today
        self.logged: Logged | None = None
        self._water_unit = session.settings().water_unit
        self.setWindowTitle(self.tr("Log {habit}").format(habit=self.habit.label.lower()))
        self.title.setText(self.windowTitle())
        self.ok_button.setText(self.tr("&Log"))
        if not self.is_today:
            self.subtitle.setText(self.tr("For {day} (a past day)").format(
                day=day_text(self.day)))
            self.subtitle.show()

        self.amount: AmountField | None = None
        self.drink: QComboBox | None = None
        self.intensity: QComboBox | None = None
        self.ratings: QButtonGroup | None = None
        self.bed: QTimeEdit | None = None
        self.wake: QTimeEdit | None = None
        self.wake_date: QDateEdit | None = None
        self.sleep_hours: QLabel | None = None
        self.time: QTimeEdit | None = None
        spec = self.habit
        if spec.bed_and_wake:
            self._build_sleep()
        elif spec.presets:
            self._build_presets()
        elif spec.intensities:
            self._build_exercise()
        elif spec.kind is Kind.RATING:
            self._build_rating()
        elif spec.quick and spec.kind is not Kind.COUNT:
            self._build_amount()
        else:
            self._build_count()

        if not spec.bed_and_wake:
            start = tracker.moment_on_day(self.day)
            self.time = _time_edit(start.time())
            self._time_touched = False
            self.time.timeChanged.connect(self._mark_time_touched)
            row = QHBoxLayout()
            row.setSpacing(8)
            row.addWidget(self.time)
            self.time_hint = QLabel(self.tr("now") if self.is_today else "")
            set_text_color(self.time_hint, muted_color(self.palette()))
            row.addWidget(self.time_hint, 1)
            label = QLabel(self.tr("&Time"))
            label.setBuddy(self.time)
            self.form.addRow(label, row)
        self.form.addRow(self.tr("N&ote"), self.note)
        self.setMinimumWidth(420)

    # -- per-habit fields --------------------------------------------------------------

    def _preset(self) -> DrinkPreset | None:
        assert self.drink is not None
        key = self.drink.currentData()
        return next((p for p in self.habit.presets if p.key == key), None)

    def _build_presets(self) -> None:
        presets = self.habit.presets
        self.drink = QComboBox()
        for preset in presets:
            self.drink.addItem(self.tr("{drink} · {mg} mg").format(drink=preset.label,
                                                                   mg=preset.mg), preset.key)
        self.drink.addItem(self.tr("Other drink (enter mg)"), None)
        # The second is the everyday one (a filter coffee), when there is a second.
        first = presets[min(1, len(presets) - 1)]
        self.drink.setCurrentIndex(presets.index(first))
        self.amount = AmountField(self.habit, self._water_unit, first.mg)
        self.drink.currentIndexChanged.connect(self._drink_chosen)
        self.amount.spin.valueChanged.connect(self._mg_typed)
        self.form.addRow(self.tr("&Drink"), self.drink)
        self.form.addRow("&" + self.habit.label, self.amount.spin)

    def _drink_chosen(self) -> None:
        assert self.drink is not None and self.amount is not None
        preset = self._preset()
        if preset is not None:
            self.amount.spin.blockSignals(True)
            self.amount.set_base(preset.mg)
            self.amount.spin.blockSignals(False)
        else:
            self.amount.spin.setFocus()
            self.amount.spin.selectAll()

    def _mg_typed(self, value: float) -> None:
        assert self.drink is not None
        preset = self._preset()
        if preset is not None and value != preset.mg:
            self.drink.blockSignals(True)
            self.drink.setCurrentIndex(self.drink.count() - 1)
            self.drink.blockSignals(False)

    def _build_amount(self) -> None:
        """An amount, with a button for each quick amount ("Glass", "Bottle")."""
        spec = self.habit
        self.amount = AmountField(spec, self._water_unit, spec.quick[0].amount)
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.amount.spin, 1)
        self.quick_buttons: list[QPushButton] = []
        for index, quick in enumerate(spec.quick):
            shown = amount_text(spec, quick.amount, self._water_unit)
            name = quick_name(spec, index)
            button = QPushButton("&" + name if name else shown)
            _no_default(button)
            button.setToolTip(self.tr("Set the amount to {amount}").format(amount=shown))
            button.setAccessibleName(button.toolTip())
            button.clicked.connect(
                lambda _checked=False, value=quick.amount: self._set_amount(value))
            row.addWidget(button)
            self.quick_buttons.append(button)
        label = QLabel(self.tr("&Amount"))
        label.setBuddy(self.amount.spin)
        self.form.addRow(label, row)

    def _set_amount(self, value: float) -> None:
        assert self.amount is not None
        self.amount.set_base(value)
        self.amount.spin.setFocus()

    def _build_sleep(self) -> None:
        settings = self._session.settings()
        tracker = self._session.tracker
        self.bed = _time_edit(settings.bedtime)
        self.wake = _time_edit(settings.wake_time)
        wake_day = tracker.moment_on_day(self.day, settings.wake_time).date()
        self.wake_date = date_edit(wake_day)
        self.wake_date.setMaximumDate(qdate(tracker.clock.now().date()))
        self.sleep_hours = QLabel()
        self.sleep_hours.setFont(bold_font(self.font()))
        self.sleep_hours.setAccessibleName(self.tr("Hours of sleep"))
        self.sleep_day = QLabel()
        self.sleep_day.setFont(small_font(self.font()))
        set_text_color(self.sleep_day, muted_color(self.palette()))
        sleep_box = QVBoxLayout()
        sleep_box.setSpacing(0)
        sleep_box.addWidget(self.sleep_hours)
        sleep_box.addWidget(self.sleep_day)
        for edit in (self.bed, self.wake):
            edit.timeChanged.connect(self._update_sleep_hours)
        self.wake_date.dateChanged.connect(self._update_sleep_hours)
        self.form.addRow(self.tr("Went to &bed"), self.bed)
        self.form.addRow(self.tr("&Woke up"), self.wake)
        self.form.addRow(self.tr("Woke up &on"), self.wake_date)
        self.form.addRow(self.tr("Slept"), sleep_box)
        self._update_sleep_hours()

    def _sleep_moments(self) -> tuple[datetime, datetime]:
        assert self.bed is not None and self.wake is not None and self.wake_date is not None
        return self._session.tracker.sleep_times(pytime(self.bed.time()),
                                                  pytime(self.wake.time()),
                                                  pydate(self.wake_date.date()))

    def _update_sleep_hours(self) -> None:
        assert self.sleep_hours is not None
        bed_at, wake_at = self._sleep_moments()
        slept = hours_between(bed_at, wake_at)
        counts_on = self._session.tracker.day_of(wake_at)
        self.sleep_hours.setText(hours(slept))
        self.sleep_day.setText(self.tr("counts on {day}").format(day=day_text(counts_on)))

    @property
    def sleep_hours_text(self) -> str:
        return self.sleep_hours.text() if self.sleep_hours is not None else ""

    def _build_exercise(self) -> None:
        self.amount = AmountField(self.habit, self._water_unit, 30)
        self.intensity = QComboBox()
        for key, _name in self.habit.intensities:
            self.intensity.addItem(intensity_text(self.habit, key), key)
        self.intensity.setCurrentIndex(1)
        self.form.addRow(self.tr("&Minutes"), self.amount.spin)
        self.form.addRow(self.tr("&How hard"), self.intensity)

    def _build_rating(self) -> None:
        spec = self.habit
        self.ratings = QButtonGroup(self)
        column = QVBoxLayout()
        column.setSpacing(4)
        for rating in _ratings(spec):
            words = spec.rating_label(rating)
            text = self.tr("&{n} · {label}").format(n=rating, label=words) \
                if words != str(rating) else f"&{rating}"
            button = QRadioButton(text)
            self.ratings.addButton(button, rating)
            column.addWidget(button)
        self.form.addRow(self.tr("{habit} today").format(habit=spec.label), column)

    def _build_count(self) -> None:
        spec = self.habit
        self.amount = AmountField(spec, self._water_unit,
                                  spec.default_amount or max(spec.min_amount, 1))
        label = spec.unit_text if spec.kind is Kind.COUNT else self.tr("Amount")
        self.form.addRow("&" + label[:1].upper() + label[1:], self.amount.spin)

    def _mark_time_touched(self) -> None:
        self._time_touched = True
        self.time_hint.clear()

    # -- submitting ----------------------------------------------------------------------

    def _moment(self) -> datetime | None:
        assert self.time is not None
        if self.is_today and not self._time_touched:
            return None  # "now" at the moment of logging, not when the dialog opened
        return self._session.tracker.moment_on_day(self.day, pytime(self.time.time()))

    def _apply(self) -> None:
        session = self._session
        note = self.note.text()
        spec = self.habit
        key = spec.key
        if spec.bed_and_wake:
            bed_at, wake_at = self._sleep_moments()
            self.logged = session.log_sleep(bed_at, wake_at, note=note)
            return
        at = self._moment()
        if self.ratings is not None:
            rating = self.ratings.checkedId()
            low, high = int(spec.min_amount), int(spec.max_amount)
            if rating < low:
                raise InputError(self.tr("choose how your {habit} is, from {low} to {high}")
                                 .format(habit=spec.label.lower(), low=low, high=high))
            self.logged = session.log(key, rating, at=at, note=note)
            return
        assert self.amount is not None
        value = self.amount.base_value()
        if self.intensity is not None:
            self.logged = session.log_exercise(value, self.intensity.currentData(), at=at,
                                               note=note)
        elif self.drink is not None:
            preset = self._preset()
            detail = {"preset": preset.key} if preset and value == preset.mg else None
            self.logged = session.log(key, value, at=at, note=note, detail=detail)
        else:
            self.logged = session.log(key, value, at=at, note=note)


class EditEntryDialog(_EntryDialogBase):
    """Change a logged entry's amount, time or note; bad input shows inline, nothing changes."""

    def __init__(self, session: Session, entry: Entry, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        assert entry.id is not None
        self.entry = entry
        self.habit = session.habits().get(entry.habit)
        self.edited: Entry | None = None
        self.setWindowTitle(self.tr("Edit {habit} entry").format(
            habit=self.habit.label.lower()))
        self.title.setText(self.tr("Edit {habit}").format(habit=self.habit.label.lower()))
        self.subtitle.setText(self.tr("Logged {day}, {time}").format(
            day=day_text(entry.day), time=time_text(entry.at)))
        self.subtitle.show()
        self.ok_button.setText(self.tr("&Save"))
        tz = session.tracker.clock.tz
        local = entry.at.astimezone(tz)
        self._local = local

        self.rating: QComboBox | None = None
        self.amount: AmountField | None = None
        spec = self.habit
        if spec.kind is Kind.RATING:
            self.rating = QComboBox()
            for value in _ratings(spec):
                words = spec.rating_label(value)
                self.rating.addItem(self.tr("{n} · {label}").format(n=value, label=words)
                                    if words != str(value) else str(value), value)
            self.rating.setCurrentIndex(max(0, self.rating.findData(int(entry.amount))))
            self.form.addRow(self.tr("&Rating"), self.rating)
        else:
            self.amount = AmountField(spec, session.settings().water_unit, entry.amount)
            amount_label = self.tr("&Hours slept") if spec.bed_and_wake else \
                self.tr("&Amount")
            self.form.addRow(amount_label, self.amount.spin)

        when = QHBoxLayout()
        when.setSpacing(6)
        self.date = date_edit(local.date())
        self.time = _time_edit(local.time())
        self.date.setAccessibleName(self.tr("Date"))
        self.time.setAccessibleName(self.tr("Time"))
        when.addWidget(self.date, 1)
        when.addWidget(self.time, 1)
        when_label = self.tr("&Woke up at") if spec.bed_and_wake else self.tr("&When")
        label = QLabel(when_label)
        label.setBuddy(self.date)
        self.form.addRow(label, when)
        self.note.setText(entry.note)
        self.form.addRow(self.tr("N&ote"), self.note)
        self.setMinimumWidth(380)

    def _apply(self) -> None:
        amount: float | None = None
        if self.rating is not None:
            rating = float(self.rating.currentData())
            amount = rating if rating != self.entry.amount else None
        elif self.amount is not None and self.amount.touched:
            amount = self.amount.base_value()
        at: datetime | None = None
        new_day, new_time = pydate(self.date.date()), pytime(self.time.time())
        if (new_day, new_time) != (self._local.date(), self._local.time().replace(second=0,
                                                                                 microsecond=0)):
            at = local_datetime(new_day, new_time, self._session.tracker.clock.tz)
        note = self.note.text() if self.note.text() != self.entry.note else None
        assert self.entry.id is not None
        self.edited = self._session.edit(self.entry.id, amount=amount, at=at, note=note)


def _ratings(spec: Habit) -> range:
    """The ratings a rating habit takes (1 to 5)."""
    return range(int(spec.min_amount), int(spec.max_amount) + 1)
