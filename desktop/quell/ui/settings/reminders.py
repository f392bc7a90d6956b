"""The reminder settings page: each reminder on/off and tuned, quiet hours, days, how shown."""

from __future__ import annotations

import os
from datetime import date, time, timezone

from PySide6.QtCore import QLocale, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from quell.core import formatting, i18n
from quell.core.errors import InputError
from quell.core.habits import habit
from quell.core.parsing import parse_clock_time
from quell.core.reminders import DayFacts, ReminderKind, ReminderPolicy
from quell.core.settings import ReminderSettings, ReminderStyle, Settings
from quell.ui.common.dates import pytime, time_text
from quell.ui.common.style import InlineMessage, add_section, header_font, hint_label
from quell.ui.common.wheel_guard import guard_wheel
from quell.ui.services.session import Session

_COLUMNS = 6
DAY_BUTTON_STYLE = """
QToolButton { border: 1px solid palette(mid); border-radius: 4px; padding: 2px 5px;
              background: palette(button); color: palette(button-text); }
QToolButton:checked { background: palette(highlight); color: palette(highlighted-text);
                      border-color: palette(highlight); }
QToolButton:focus { border: 2px solid palette(highlight); }
QToolButton:checked:focus { border: 2px solid palette(window-text); }
QToolButton:disabled { color: palette(mid); }
QToolButton:checked:disabled { background: palette(mid); color: palette(window);
                               border-color: palette(mid); }
"""
_A_DAY = date(2001, 1, 1)  # any day: the preview has no drinks and no DST


class WeekdayPicker(QWidget):
    """Seven toggle buttons, Monday first, named in the user's language."""

    def __init__(self, days: tuple[int, ...], what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(what)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        locale = QLocale()
        self.buttons: dict[int, QToolButton] = {}
        for day in range(1, 8):
            button = QToolButton()
            short = locale.standaloneDayName(day, QLocale.FormatType.NarrowFormat)
            button.setText(short or str(day))
            button.setCheckable(True)
            button.setChecked(day in days)
            button.setMinimumWidth(26)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            full = locale.standaloneDayName(day, QLocale.FormatType.LongFormat)
            button.setAccessibleName(self.tr("{what}: {day}").format(what=what, day=full))
            button.setToolTip(full)
            self.buttons[day] = button
            layout.addWidget(button)
        layout.addStretch(1)
        # Fusion's checked tool buttons differ from unchecked ones by a shade: make the chosen
        # days unmistakable, still in the palette's own colours.
        self.setStyleSheet(DAY_BUTTON_STYLE)

    def days(self) -> tuple[int, ...]:
        return tuple(day for day, button in self.buttons.items() if button.isChecked())


class ReminderSettingsPage(QWidget):
    """Edits a copy of the reminder settings; :meth:`apply` checks and saves them all at once.

    The lead can place it in the settings dialog as a page, or use :class:`ReminderSettingsDialog`.
    *water_goal_ml* is the daily water goal in force (None: no goal), which decides whether the
    water reminder follows a pace or comes at every interval; the page says which.
    """

    def __init__(self, settings: Settings, parent: QWidget | None = None, *,
                 water_goal_ml: float | None = habit("water").default_target) -> None:
        super().__init__(parent)
        self._settings = settings
        # Tests set this False: Qt's own file dialog, which they can drive.
        self.native_dialogs = True
        r = settings.reminders
        self.switches: dict[ReminderKind, QCheckBox] = {}
        self.hints: dict[ReminderKind, QLabel] = {}
        self._fields: dict[ReminderKind, list[QWidget]] = {}
        self.day_pickers: dict[ReminderKind, WeekdayPicker] = {}

        inner = QWidget()
        self.grid = QGridLayout(inner)
        self.grid.setContentsMargins(4, 4, 12, 4)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(7)
        self.grid.setColumnStretch(_COLUMNS - 1, 1)
        self._row = 0

        self._section(self.tr("How reminders appear"))
        self._full_row(QLabel(self.tr("Show reminders as:")))
        self.style_card = QRadioButton(self.tr("A &card near the tray, with Done, Snooze and "
                                               "Skip"))
        self.style_notification = QRadioButton(self.tr(
            "A desktop &notification, with the same buttons where the desktop has them"))
        self.style_notification.setToolTip(self.tr(
            "Where the desktop's notifications have no buttons, the card comes instead."))
        self.style_both = QRadioButton(self.tr("&Both: the card and a notification"))
        self._style_group = QButtonGroup(self)
        self._styles = {ReminderStyle.CARD: self.style_card,
                        ReminderStyle.NOTIFICATION: self.style_notification,
                        ReminderStyle.BOTH: self.style_both}
        for button in self._styles.values():
            self._style_group.addButton(button)
            button.setAccessibleName(self.tr("Show reminders as: {style}").format(
                style=button.text().replace("&", "")))
            self._full_row(button, indent=True)
        self._styles.get(r.style, self.style_card).setChecked(True)
        self.sound = QCheckBox(self.tr("Play a soft &sound"))
        self.sound.setChecked(r.sound)
        self._full_row(self.sound)
        self.card_minutes = self._spin(1, 30, r.card_minutes, self.tr(" min"),
                                       self.tr("Minutes a reminder stays before it fades"))
        self._line(self.tr("Unanswered reminders fade after"), self.card_minutes,
                   self.tr("and count as missed"))

        self._section(self.tr("Quiet hours"))
        self.quiet = QCheckBox(self.tr("&No reminders from"))
        self.quiet.setChecked(r.quiet_hours)
        self.quiet_from = self._time(r.quiet_from, self.tr("Quiet hours start"))
        self.quiet_until = self._time(r.quiet_until, self.tr("Quiet hours end"))
        quiet_row = QHBoxLayout()
        quiet_row.setSpacing(8)
        to = QLabel(self.tr("to"))
        for widget in (self.quiet, self.quiet_from, to, self.quiet_until):
            quiet_row.addWidget(widget)
        quiet_row.addStretch(1)
        self.grid.addLayout(quiet_row, self._row, 0, 1, _COLUMNS)
        self._row += 1
        self._tie(self.quiet, [self.quiet_from, to, self.quiet_until])

        self._presence_section(r)

        self._section(self.tr("Reminders"))
        water = ReminderKind.WATER
        self.water_from = self._time(r.water_from, self.tr("Water reminders from"))
        self.water_until = self._time(r.water_until, self.tr("Water reminders until"))
        self.water_every = self._spin(15, 240, r.water_every_minutes, self.tr(" min"),
                                      self.tr("Check the water pace every"), step=15)
        self._reminder(water, r.water, "",
            [(self.tr("between"), self.water_from), (self.tr("and"), self.water_until),
             (self.tr("every"), self.water_every)], r.water_days)
        self.set_water_goal(water_goal_ml)

        self.stretch_from = self._time(r.stretch_from, self.tr("Working hours start"))
        self.stretch_until = self._time(r.stretch_until, self.tr("Working hours end"))
        self.stretch_every = self._spin(15, 240, r.stretch_every_minutes, self.tr(" min"),
                                        self.tr("A stretch break every"), step=15)
        self._reminder(ReminderKind.STRETCH, r.stretch, self.tr(
            "Skipped when you stretched in the last half hour."),
            [(self.tr("between"), self.stretch_from), (self.tr("and"), self.stretch_until),
             (self.tr("every"), self.stretch_every)], r.stretch_days)

        self.breathe_times = QLineEdit(", ".join(t.strftime("%H:%M") for t in r.breathe_times))
        self.breathe_times.setAccessibleName(self.tr("Breathing reminder times"))
        self.breathe_times.setPlaceholderText(self.tr("e.g. 13:00, 17:30"))
        self.breathe_minutes = self._spin(1, 5, r.breathe_minutes, self.tr(" min"),
                                          self.tr("Length of the breathing exercise"))
        self._reminder(ReminderKind.BREATHE, r.breathe, self.tr(
            "A few minutes of slow belly breathing, at the times you choose."),
            [(self.tr("at"), self.breathe_times), (self.tr("for"), self.breathe_minutes)],
            r.breathe_days)

        self.half_life = QDoubleSpinBox()
        self.half_life.setRange(1.0, 12.0)
        self.half_life.setDecimals(1)
        self.half_life.setSingleStep(0.5)
        self.half_life.setSuffix(self.tr(" h"))
        self.half_life.setValue(r.caffeine_half_life_hours)
        self.half_life.setAccessibleName(self.tr("Caffeine half-life"))
        self.half_life.setToolTip(self.tr("How long your body takes to clear half of the "
                                          "caffeine; about 5 hours for most adults (2 to 10)."))
        self.bedtime_mg = self._spin(5, 200, r.caffeine_bedtime_mg, self.tr(" mg"),
                                     self.tr("Most caffeine left at bedtime"), step=5)
        self.drink_mg = self._spin(10, 500, r.caffeine_drink_mg, self.tr(" mg"),
                                   self.tr("A typical drink"), step=5)
        self.notice = self._spin(0, 180, r.caffeine_notice_minutes, self.tr(" min"),
                                 self.tr("Last call before the cut-off"), step=5)
        self.cutoff_preview = self._hint("")
        self._reminder(ReminderKind.CAFFEINE_CUTOFF, r.caffeine_cutoff, self.tr(
            "The cut-off is worked out from your bedtime and today's drinks."),
            [(self.tr("half-life"), self.half_life), (self.tr("at most"), self.bedtime_mg),
             self.tr("at bedtime")],
            r.caffeine_days,
            more=[(self.tr("typical drink"), self.drink_mg), (self.tr("last call"), self.notice),
                  self.tr("before")],
            preview=self.cutoff_preview)
        for spin in (self.half_life, self.bedtime_mg, self.drink_mg, self.notice):
            spin.valueChanged.connect(self._update_preview)

        self.wind_down = self._spin(5, 180, r.wind_down_minutes, self.tr(" min"),
                                    self.tr("Wind down before bedtime"), step=5)
        self._reminder(ReminderKind.WIND_DOWN, r.wind_down, self.tr(
            "Before your planned bedtime ({bedtime}).").format(
                bedtime=time_text(settings.bedtime)),
            [("", self.wind_down), (self.tr("before bedtime"), None)], r.wind_down_days)

        self.sleep_log = self._spin(0, 240, r.sleep_log_minutes, self.tr(" min"),
                                    self.tr("Ask about sleep after waking"), step=5)
        self._reminder(ReminderKind.SLEEP_LOG, r.sleep_log, self.tr(
            "After your planned wake time ({wake}), if last night is not logged yet.").format(
                wake=time_text(settings.wake_time)),
            [("", self.sleep_log), (self.tr("after waking"), None)], r.sleep_log_days)

        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.error = InlineMessage(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        self._update_preview()
        guard_wheel(self)

    # -- building -------------------------------------------------------------------------

    def _section(self, title: str) -> None:
        self._row = add_section(self.grid, self._row, title, self.font(), columns=_COLUMNS)

    def _hint(self, text: str) -> QLabel:
        return hint_label(text, self.font(), self.palette())

    def _full_row(self, widget: QWidget | QHBoxLayout, *, indent: bool = False) -> None:
        if indent:
            row = QHBoxLayout()
            row.setContentsMargins(16, 0, 0, 0)
            if isinstance(widget, QWidget):
                row.addWidget(widget)
            else:
                row.addLayout(widget)
            widget = row
        if isinstance(widget, QWidget):
            self.grid.addWidget(widget, self._row, 0, 1, _COLUMNS)
        else:
            self.grid.addLayout(widget, self._row, 0, 1, _COLUMNS)
        self._row += 1

    def _presence_section(self, r: ReminderSettings) -> None:
        """When reminders wait: away, do not disturb, full screen, meetings."""
        self._section(self.tr("When reminders wait"))
        self._full_row(self._hint(self.tr(
            "Nothing is dropped: reminders that wait are shown once afterwards. While the "
            "screen is locked they always wait.")))
        self.hold_when_away = QCheckBox(self.tr("Wait while I am &away from the computer"))
        self.hold_when_away.setChecked(r.hold_when_away)
        self._full_row(self.hold_when_away)
        self.away_minutes = self._spin(2, 60, r.away_minutes, self.tr(" min"),
                                       self.tr("Away means no keyboard or mouse for"))
        self._line(self.tr("Away &means no keyboard or mouse for"), self.away_minutes,
                   indent=True)
        self._full_row(self._hint(self.tr(
            "Time away counts as a break: a stretch or breathing reminder that falls due "
            "while you are away is not shown.")), indent=True)
        self.hold_in_do_not_disturb = QCheckBox(self.tr("Wait while &do not disturb is on"))
        self.hold_in_do_not_disturb.setChecked(r.hold_in_do_not_disturb)
        self._full_row(self.hold_in_do_not_disturb)
        self.hold_in_fullscreen = QCheckBox(self.tr(
            "Wait while a f&ull-screen window is in front (a film, a talk, a game)"))
        self.hold_in_fullscreen.setChecked(r.hold_in_fullscreen)
        self._full_row(self.hold_in_fullscreen)

        self.calendar_path = QLineEdit(r.calendar_path)
        self.calendar_path.setAccessibleName(self.tr("Meetings: my calendar file"))
        self.calendar_path.setPlaceholderText(self.tr("an .ics file, or a folder of them"))
        self.calendar_path.setClearButtonEnabled(True)
        for clear in self.calendar_path.findChildren(QToolButton):
            clear.setAccessibleName(self.tr("Clear the calendar path"))
        self.calendar_path.setMinimumWidth(260)
        self.choose_calendar = QPushButton(self.tr("C&hoose…"))
        self.choose_calendar.setAccessibleName(self.tr("Choose the calendar file or folder"))
        # Enter in a field means OK, not "open this button's menu".
        self.choose_calendar.setAutoDefault(False)
        menu = QMenu(self.choose_calendar)
        self.choose_file_action = menu.addAction(self.tr("A calendar &file (.ics)…"))
        self.choose_folder_action = menu.addAction(self.tr("A f&older of calendar files…"))
        self.choose_file_action.triggered.connect(lambda: self.choose_calendar_path(False))
        self.choose_folder_action.triggered.connect(lambda: self.choose_calendar_path(True))
        self.choose_calendar.setMenu(menu)
        label = QLabel(self.tr("Meetings: my ca&lendar file"))
        label.setBuddy(self.calendar_path)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(label)
        row.addWidget(self.calendar_path, 1)
        row.addWidget(self.choose_calendar)
        self._full_row(row)
        self.calendar_status = self._hint("")
        self._full_row(self.calendar_status, indent=True)
        self._full_row(self._hint(self.tr(
            "Quell reads a local .ics file (for example one your calendar app exports or "
            "syncs) and never connects anywhere. Reminders wait during busy events; free, "
            "declined and all-day ones do not count.")), indent=True)
        self.calendar_path.textChanged.connect(self._update_calendar_status)
        self._update_calendar_status()

        self.meeting_apps = QLineEdit(", ".join(r.meeting_apps))
        self.meeting_apps.setAccessibleName(self.tr("Meeting apps"))
        self.meeting_apps.setPlaceholderText(self.tr("e.g. zoom, teams"))
        self.meeting_apps.setMinimumWidth(260)
        label = QLabel(self.tr("Meeting a&pps"))
        label.setBuddy(self.meeting_apps)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(label)
        row.addWidget(self.meeting_apps, 1)
        self._full_row(row)
        self._full_row(self._hint(self.tr(
            "Program names, separated by commas: reminders wait while one of them runs.")),
            indent=True)

    def _line(self, text: str, field: QWidget, after: str = "", *,
              indent: bool = False) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        row = QHBoxLayout()
        row.setSpacing(8)
        if indent:
            row.setContentsMargins(16, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(field)
        if after:
            row.addWidget(QLabel(after))
        row.addStretch(1)
        self.grid.addLayout(row, self._row, 0, 1, _COLUMNS)
        self._row += 1

    def _time(self, value: time, name: str) -> QTimeEdit:
        edit = QTimeEdit(QTime(value.hour, value.minute))
        edit.setDisplayFormat(self.locale().timeFormat(QLocale.FormatType.ShortFormat))
        edit.setWrapping(True)
        edit.setAccessibleName(name)
        return edit

    def _spin(self, low: int, high: int, value: int, suffix: str, name: str,
              step: int = 1) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.setValue(value)
        spin.setSuffix(suffix)
        spin.setAccessibleName(name)
        spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        return spin

    def _reminder(self, kind: ReminderKind, on: bool, hint: str,
                  fields: list[tuple[str, QWidget | None] | str],
                  days: tuple[int, ...], *,
                  more: list[tuple[str, QWidget | None] | str] | None = None,
                  preview: QLabel | None = None) -> None:
        switch = QCheckBox(kind.label)
        switch.setChecked(on)
        switch.setFont(header_font(self.font(), scale=1.0))
        switch.setAccessibleName(self.tr("{reminder} reminder").format(reminder=kind.label))
        self.switches[kind] = switch
        self.grid.addWidget(switch, self._row, 0)
        widgets: list[QWidget] = []
        for line in (fields, more or []):
            if not line:
                continue
            column = 1
            for item in line:
                words, field = (item, None) if isinstance(item, str) else item
                if words:
                    label = QLabel(words)
                    if field is not None:
                        label.setBuddy(field)
                    self.grid.addWidget(label, self._row, column)
                    widgets.append(label)
                    column += 1
                if field is not None:
                    self.grid.addWidget(field, self._row, column)
                    widgets.append(field)
                    column += 1
            self._row += 1
        if preview is not None:
            self.grid.addWidget(preview, self._row, 1, 1, _COLUMNS - 1)
            widgets.append(preview)
            self._row += 1
        picker = WeekdayPicker(days, self.tr("{reminder} days").format(reminder=kind.label))
        self.day_pickers[kind] = picker
        self.grid.addWidget(picker, self._row, 1, 1, _COLUMNS - 1)
        self._row += 1
        hint_label = self._hint(hint)
        self.hints[kind] = hint_label
        self.grid.addWidget(hint_label, self._row, 1, 1, _COLUMNS - 1)
        self._row += 1
        self._fields.setdefault(kind, []).extend([*widgets, picker, hint_label])
        self._tie(switch, self._fields[kind], kind)

    def _tie(self, switch: QCheckBox, widgets: list[QWidget],
             kind: ReminderKind | None = None) -> None:
        def apply(on: bool) -> None:
            for widget in (self._fields[kind] if kind is not None else widgets):
                widget.setEnabled(on)
        switch.toggled.connect(apply)
        apply(switch.isChecked())

    def set_water_goal(self, goal_ml: float | None, unit: str | None = None) -> None:
        """Say how the water reminder works with daily goal *goal_ml* (None or 0: no goal),
        shown in *unit* (default: the settings' water unit)."""
        self.water_paced = goal_ml is not None and goal_ml > 0
        if self.water_paced:
            assert goal_ml is not None
            text = self.tr("Paced toward your daily goal of {goal}: it nudges only when you "
                           "are behind.").format(goal=formatting.amount(
                               habit("water"), goal_ml, unit or self._settings.water_unit))
            name = self.tr("Check the water pace every")
        else:
            text = self.tr("No daily water goal is set, so there is no pace to follow: the "
                           "reminder comes at every interval. Set a water goal under Goals "
                           "and habits to have it paced.")
            name = self.tr("A water reminder every")
        self.hints[ReminderKind.WATER].setText(text)
        self.water_every.setAccessibleName(name)

    # -- reading --------------------------------------------------------------------------

    def _breathe_times(self) -> tuple[time, ...]:
        text = self.breathe_times.text().replace(";", ",")
        return tuple(sorted(parse_clock_time(part) for part in text.split(",") if part.strip()))

    def _calendar_text(self) -> str:
        text = self.calendar_path.text().strip()
        return os.path.expanduser(text) if text.startswith("~") else text

    def _meeting_apps(self) -> tuple[str, ...]:
        names = (part.strip() for part in self.meeting_apps.text().replace(";", ",").split(","))
        return tuple(dict.fromkeys(name for name in names if name))

    def _checked(self, field: QLineEdit, **changes: object) -> None:
        """Check *changes* with the settings' own rules; on a problem focus *field*, raise."""
        try:
            self._settings.reminders.replace(**changes)
        except InputError:
            field.setFocus()
            raise

    def value(self) -> ReminderSettings:
        """The settings as shown; raises InputError naming the problem (nothing is saved)."""
        try:
            breathe_times = self._breathe_times()
        except InputError:
            self.breathe_times.setFocus()
            raise
        calendar_path, meeting_apps = self._calendar_text(), self._meeting_apps()
        self._checked(self.calendar_path, calendar_path=calendar_path)
        self._checked(self.meeting_apps, meeting_apps=meeting_apps)
        style = next((name for name, button in self._styles.items() if button.isChecked()),
                     ReminderStyle.CARD)
        pick = self.day_pickers
        return self._settings.reminders.replace(
            water=self.switches[ReminderKind.WATER].isChecked(),
            water_from=pytime(self.water_from.time()),
            water_until=pytime(self.water_until.time()),
            water_every_minutes=self.water_every.value(),
            water_days=pick[ReminderKind.WATER].days(),
            stretch=self.switches[ReminderKind.STRETCH].isChecked(),
            stretch_from=pytime(self.stretch_from.time()),
            stretch_until=pytime(self.stretch_until.time()),
            stretch_every_minutes=self.stretch_every.value(),
            stretch_days=pick[ReminderKind.STRETCH].days(),
            breathe=self.switches[ReminderKind.BREATHE].isChecked(),
            breathe_times=breathe_times,
            breathe_minutes=self.breathe_minutes.value(),
            breathe_days=pick[ReminderKind.BREATHE].days(),
            caffeine_cutoff=self.switches[ReminderKind.CAFFEINE_CUTOFF].isChecked(),
            caffeine_half_life_hours=self.half_life.value(),
            caffeine_bedtime_mg=self.bedtime_mg.value(),
            caffeine_drink_mg=self.drink_mg.value(),
            caffeine_notice_minutes=self.notice.value(),
            caffeine_days=pick[ReminderKind.CAFFEINE_CUTOFF].days(),
            wind_down=self.switches[ReminderKind.WIND_DOWN].isChecked(),
            wind_down_minutes=self.wind_down.value(),
            wind_down_days=pick[ReminderKind.WIND_DOWN].days(),
            sleep_log=self.switches[ReminderKind.SLEEP_LOG].isChecked(),
            sleep_log_minutes=self.sleep_log.value(),
            sleep_log_days=pick[ReminderKind.SLEEP_LOG].days(),
            quiet_hours=self.quiet.isChecked(),
            quiet_from=pytime(self.quiet_from.time()),
            quiet_until=pytime(self.quiet_until.time()),
            style=style,
            sound=self.sound.isChecked(),
            card_minutes=self.card_minutes.value(),
            hold_when_away=self.hold_when_away.isChecked(),
            away_minutes=self.away_minutes.value(),
            hold_in_do_not_disturb=self.hold_in_do_not_disturb.isChecked(),
            hold_in_fullscreen=self.hold_in_fullscreen.isChecked(),
            calendar_path=calendar_path,
            meeting_apps=meeting_apps,
        )

    # -- meetings' calendar ---------------------------------------------------------------

    def choose_calendar_path(self, folder: bool) -> QFileDialog:
        """Open a file dialog for a calendar file (or, with *folder*, a folder of them); the
        choice goes into the field. Returns the dialog, open (window-modal, not blocking)."""
        current = self._calendar_text()
        start = current if os.path.isdir(current) else os.path.dirname(current)
        dialog = QFileDialog(self, self.tr("Choose a folder of calendar files") if folder
                             else self.tr("Choose a calendar file"),
                             start if start and os.path.isdir(start) else os.path.expanduser(
                                 "~"))
        dialog.setObjectName("calendarDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if folder:
            dialog.setFileMode(QFileDialog.FileMode.Directory)
            dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
            dialog.setNameFilters([self.tr("Calendar files (*.ics)"), self.tr("All files (*)")])
        if not self.native_dialogs:
            dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.fileSelected.connect(self._calendar_chosen)
        dialog.open()
        return dialog

    def _calendar_chosen(self, path: str) -> None:
        if path:
            self.calendar_path.setText(os.path.normpath(path))
            self.calendar_path.setFocus()

    def _update_calendar_status(self) -> None:
        """Say what is at the path now (a missing file may simply not be synced yet)."""
        path = self._calendar_text()
        text = ""
        if path and os.path.isabs(path):
            if os.path.isdir(path):
                try:
                    count = sum(1 for name in os.listdir(path) if name.lower().endswith(".ics"))
                except OSError:
                    count = 0
                text = i18n.count("A folder with {n} calendar file.",
                                  "A folder with {n} calendar files.", count)
            elif not os.path.exists(path):
                text = self.tr("Nothing is there yet: Quell reads it once it appears.")
        self.calendar_status.setText(text)
        self.calendar_status.setVisible(bool(text))

    def apply(self, session: Session) -> bool:
        """Check everything, then save it (keeping a pause that is running); False if bad."""
        try:
            reminders = self.value()
        except InputError as error:
            self.error.show_message(str(error))
            return False
        self.error.clear_message()
        current = session.settings()
        if reminders != current.reminders:
            session.save_settings(current.replace(reminders=reminders))
        self._settings = session.settings()
        return True

    def _update_preview(self) -> None:
        """Show today's cut-off for a day without drinks, as the fields now say."""
        try:
            reminders = self._settings.reminders.replace(
                caffeine_half_life_hours=self.half_life.value(),
                caffeine_bedtime_mg=self.bedtime_mg.value(),
                caffeine_drink_mg=self.drink_mg.value(),
                caffeine_notice_minutes=self.notice.value())
        except InputError:
            return
        settings = self._settings.replace(reminders=reminders)
        policy = ReminderPolicy(settings, timezone.utc)
        cutoff = policy.cutoff(DayFacts(_A_DAY))
        if cutoff is None:
            self.cutoff_preview.setText("")
            return
        self.cutoff_preview.setText(self.tr(
            "On a day without caffeine yet, the cut-off for a typical drink is {cutoff}, for "
            "bedtime at {bedtime}. Each drink you log moves it earlier.").format(
                cutoff=time_text(cutoff.time()), bedtime=time_text(settings.bedtime)))


class ReminderSettingsDialog(QDialog):
    """The page in a dialog of its own, for a tray "Reminder settings…" action."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setWindowTitle(self.tr("Quell — Reminders"))
        water = session.targets().get("water")
        self.page = ReminderSettingsPage(session.settings(), self,
                                         water_goal_ml=water.value if water else None)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.addWidget(self.page, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 720)

    def _submit(self) -> None:
        if self.page.apply(self._session):
            self.accept()

