"""The twitch diary: log an episode in two clicks, and see, edit or delete past ones."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, Qt, QTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from quell.core.days import local_datetime
from quell.core.entries import Source
from quell.core.errors import InputError
from quell.core.formatting import time_on_day
from quell.core.i18n import count, ngettext
from quell.core.twitches import (
    AREAS,
    DEFAULT_INTENSITY,
    INTENSITIES,
    NOTE_MAX,
    SIDES,
    Twitch,
    area_label,
    intensity_label,
    side_label,
    summarize_twitches,
)
from quell.ui.common.dates import date_edit, day_text, pydate, pytime, qdate, time_text
from quell.ui.common.form_dialog import (
    StandardButton,
    apply_and_accept,
    ok_cancel_buttons,
    plain_button,
)
from quell.ui.common.record_list import (
    DeletedRecords,
    RecordList,
    edit_delete_buttons,
    list_or_empty,
)
from quell.ui.common.showing import OpenDialog, bring_to_front
from quell.ui.common.style import (
    InlineMessage,
    dialog_layout,
    header_font,
    muted_color,
    set_text_color,
)
from quell.ui.common.undo_bar import UndoBar
from quell.ui.services.symptom_session import SymptomSession

PERIODS = (7, 30, 90, 365)


def _tr(text: str) -> str:
    """Translate text used outside a QObject (the context names this module)."""
    return QCoreApplication.translate("twitch_dialog", text)


def _side_choice(side: str) -> str:
    """How the side reads on a button: '' is a place without sides (neck, chest) or unknown."""
    return side_label(side) if side else _tr("Doesn't apply")


def strength_text(intensity: int) -> str:
    """'3 · Moderate'."""
    return f"{intensity} · {intensity_label(intensity)}"


class _ChoiceRow(QWidget):
    """A row of radio buttons for a few choices; arrow keys move between them."""

    def __init__(self, choices: list[tuple[object, str]], accessible_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.row = row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        self.buttons: dict[object, QRadioButton] = {}
        for value, text in choices:
            button = QRadioButton(text)
            self.group.addButton(button)
            self.buttons[value] = button
            row.addWidget(button)
        row.addStretch(1)
        self.setAccessibleName(accessible_name)

    def value(self) -> object:
        return next(value for value, button in self.buttons.items() if button.isChecked())

    def set_value(self, value: object) -> None:
        self.buttons[value].setChecked(True)


class TwitchLogDialog(QDialog):
    """Log one twitch: choosing the body area logs it at once (side and strength preset).

    Side and strength start as they were for the last episode, so from the tray a repeat of
    the usual twitch takes two clicks: the menu item and the area.

    Signals:
        logged(object): the :class:`Twitch` just stored.
    """

    logged = Signal(object)

    def __init__(self, symptoms: SymptomSession, *, source: Source = Source.TRAY,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._symptoms = symptoms
        self._source = source
        self.twitch: Twitch | None = None
        self.setWindowTitle(self.tr("Log a twitch"))
        last = symptoms.last_twitch()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(8)
        self.side = _ChoiceRow([(side, _side_choice(side)) for side in SIDES[1:] + SIDES[:1]],
                               self.tr("Side"))
        self.side.set_value(last.side if last is not None else "")
        side_label_ = QLabel(self.tr("&Side"))
        side_label_.setBuddy(self.side.buttons["left"])
        form.addRow(side_label_, self.side)
        self.strength = _ChoiceRow([(n, f"&{n}") for n in INTENSITIES], self.tr("Strength"))
        for n, button in self.strength.buttons.items():
            button.setToolTip(strength_text(int(str(n))))
            button.setAccessibleName(strength_text(int(str(n))))
        self.strength_name = QLabel()
        set_text_color(self.strength_name, muted_color(self.palette()))
        self.strength.row.insertWidget(len(INTENSITIES), self.strength_name)
        self.strength.group.buttonToggled.connect(lambda _b, _on: self._name_strength())
        self.strength.set_value(last.intensity if last is not None else DEFAULT_INTENSITY)
        self._name_strength()
        form.addRow(self.tr("Strength"), self.strength)

        now = symptoms.now()
        when = QHBoxLayout()
        when.setSpacing(6)
        self.date = date_edit(now.date())
        self.date.setMaximumDate(qdate(now.date()))
        self.date.setAccessibleName(self.tr("Date"))
        self.time = QTimeEdit(QTime(now.hour, now.minute))
        self.time.setDisplayFormat("HH:mm")
        self.time.setAccessibleName(self.tr("Time"))
        self.time_hint = QLabel(self.tr("now"))
        set_text_color(self.time_hint, muted_color(self.palette()))
        self._time_touched = False
        self.time.timeChanged.connect(self._mark_touched)
        self.date.dateChanged.connect(self._mark_touched)
        when.addWidget(self.date)
        when.addWidget(self.time)
        when.addWidget(self.time_hint, 1)
        when_label = QLabel(self.tr("&When"))
        when_label.setBuddy(self.date)
        form.addRow(when_label, when)
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_MAX)
        self.note.setPlaceholderText(self.tr("optional, e.g. after coffee"))
        self.note.setClearButtonEnabled(True)
        form.addRow(self.tr("N&ote"), self.note)
        layout.addLayout(form)

        where = QLabel(self.tr("Where is it? Choosing the place logs it."))
        where.setFont(header_font(self.font(), scale=1.05))
        where.setWordWrap(True)
        layout.addWidget(where)
        grid = QGridLayout()
        grid.setSpacing(6)
        self.area_buttons: dict[str, QPushButton] = {}
        for index, area in enumerate(AREAS):
            area_button = plain_button(area_label(area),
                                       lambda _checked=False, a=area: self.log(a))
            area_button.setMinimumHeight(self.fontMetrics().height() * 2)
            area_button.setAccessibleName(self.tr("Log a twitch in the {area}").format(
                area=area_label(area).lower()))
            grid.addWidget(area_button, index // 4, index % 4)
            self.area_buttons[area] = area_button
        layout.addLayout(grid)
        self.error = InlineMessage(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        chain: list[QWidget] = [self.side.buttons["left"], self.strength.buttons[1], self.date,
                                self.time, self.note, *self.area_buttons.values()]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.area_buttons[AREAS[0]].setFocus()

    def _name_strength(self) -> None:
        checked = [n for n, b in self.strength.buttons.items() if b.isChecked()]
        self.strength_name.setText(intensity_label(int(str(checked[0]))) if checked else "")

    def _mark_touched(self) -> None:
        self._time_touched = True
        self.time_hint.clear()

    def moment(self) -> datetime | None:
        """When it happened; None for "now" (the moment it is logged)."""
        if not self._time_touched:
            return None
        return local_datetime(pydate(self.date.date()), pytime(self.time.time()),
                              self._symptoms.session.tracker.clock.tz)

    def log(self, area: str) -> Twitch | None:
        """Store the twitch in *area* with the chosen details and close; problems show inline."""
        try:
            twitch = self._symptoms.log_twitch(
                area, side=str(self.side.value()), intensity=int(str(self.strength.value())),
                at=self.moment(), note=self.note.text(), source=self._source)
        except InputError as error:
            self.error.show_message(str(error))
            return None
        self.twitch = twitch
        self.logged.emit(twitch)
        self.accept()
        return twitch


class EditTwitchDialog(QDialog):
    """Change a logged twitch; bad input shows inline and changes nothing."""

    def __init__(self, symptoms: SymptomSession, twitch: Twitch,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert twitch.id is not None
        self._symptoms = symptoms
        self.twitch = twitch
        self.edited: Twitch | None = None
        self.setWindowTitle(self.tr("Edit twitch"))
        layout = dialog_layout(self, self.tr("Edit twitch"))
        form = QFormLayout()
        form.setVerticalSpacing(8)
        self.area = QComboBox()
        for area in AREAS:
            self.area.addItem(area_label(area), area)
        self.area.setCurrentIndex(max(0, self.area.findData(twitch.area)))
        form.addRow(self.tr("&Where"), self.area)
        self.side = QComboBox()
        for side in SIDES[1:] + SIDES[:1]:
            self.side.addItem(_side_choice(side), side)
        self.side.setCurrentIndex(max(0, self.side.findData(twitch.side)))
        form.addRow(self.tr("&Side"), self.side)
        self.strength = QComboBox()
        for n in INTENSITIES:
            self.strength.addItem(strength_text(n), n)
        self.strength.setCurrentIndex(max(0, self.strength.findData(twitch.intensity)))
        form.addRow(self.tr("S&trength"), self.strength)
        local = twitch.at.astimezone(symptoms.session.tracker.clock.tz)
        self._local = local.replace(second=0, microsecond=0)
        when = QHBoxLayout()
        self.date = date_edit(local.date())
        self.date.setAccessibleName(self.tr("Date"))
        self.time = QTimeEdit(QTime(local.hour, local.minute))
        self.time.setDisplayFormat("HH:mm")
        self.time.setAccessibleName(self.tr("Time"))
        when.addWidget(self.date, 1)
        when.addWidget(self.time, 1)
        when_label = QLabel(self.tr("W&hen"))
        when_label.setBuddy(self.date)
        form.addRow(when_label, when)
        self.note = QLineEdit(twitch.note)
        self.note.setMaxLength(NOTE_MAX)
        self.note.setClearButtonEnabled(True)
        form.addRow(self.tr("N&ote"), self.note)
        layout.addLayout(form)
        self.error = InlineMessage(self)
        layout.addWidget(self.error)
        layout.addStretch(1)
        buttons, self.save_button = ok_cancel_buttons(self, self._submit,
                                                      ok=StandardButton.Save)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def _submit(self) -> None:
        tz = self._symptoms.session.tracker.clock.tz
        moment = local_datetime(pydate(self.date.date()), pytime(self.time.time()), tz)
        at = moment if moment != self._local else None
        twitch_id = self.twitch.id
        assert twitch_id is not None

        def edit() -> None:
            self.edited = self._symptoms.edit_twitch(
                twitch_id, area=str(self.area.currentData()),
                side=str(self.side.currentData()), intensity=int(self.strength.currentData()),
                at=at, note=self.note.text())

        apply_and_accept(self, self.error, edit)


class TwitchDiaryWindow(QWidget):
    """The twitch diary: recent episodes with a summary; log, edit and delete (undoable)."""

    def __init__(self, symptoms: SymptomSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._symptoms = symptoms
        self._dialog = OpenDialog()
        self._dirty = True
        self.setWindowTitle(self.tr("Quell — Twitch diary"))
        self.setWindowFlag(Qt.WindowType.Window, True)
        line = self.fontMetrics().height()
        self.resize(max(520, line * 36), max(480, line * 32))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        top = QHBoxLayout()
        title = QLabel(self.tr("Twitch diary"))
        title.setFont(header_font(self.font()))
        self.period = QComboBox()
        for days in PERIODS:
            self.period.addItem(count("Last {n} day", "Last {n} days", days), days)
        self.period.setCurrentIndex(1)
        self.period.setAccessibleName(self.tr("Period"))
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(title, 1)
        top.addWidget(self.period)
        layout.addLayout(top)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.error = InlineMessage(self)
        layout.addWidget(self.error)

        self.list = RecordList([self.tr("When"), self.tr("Where"), self.tr("Strength"),
                                self.tr("Note")], self.tr("Twitches"))
        self.list.edit_requested.connect(self.edit_selected)
        self.list.delete_requested.connect(self.delete_selected)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.stack, self.empty = list_or_empty(self.list, self.tr(
            "No twitches logged in this period.\nUse “Log a twitch…” when one starts."),
            self.palette())
        layout.addWidget(self.stack, 1)

        buttons = QHBoxLayout()
        self.log_button = plain_button(self.tr("&Log a twitch…"), self.open_log_dialog)
        self.edit_button, self.delete_button = edit_delete_buttons(
            self.tr("Delete the selected twitch (Del); you can undo it"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        buttons.addWidget(self.log_button)
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        layout.addLayout(buttons)
        self.undo_bar = UndoBar(self.tr("Bring the twitch back (Ctrl+Z)"))
        self.undo_bar.undo_requested.connect(self.undo_last_delete)
        self.undo_text, self.undo_button = self.undo_bar.message, self.undo_bar.undo_button
        layout.addWidget(self.undo_bar)
        self._deleted: DeletedRecords[Twitch] = DeletedRecords(
            self.list, self.undo_bar, self.error, symptoms.undo_delete_twitch)

        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_last_delete)
        QShortcut(QKeySequence.StandardKey.New, self, self.open_log_dialog)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        symptoms.twitches_changed.connect(self._on_changed)
        self.refresh()

    # -- showing -------------------------------------------------------------------------

    def present(self) -> None:
        """Show the window in front, restoring it if minimized."""
        bring_to_front(self)

    def period_days(self) -> int:
        return int(self.period.currentData())

    def _on_changed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def showEvent(self, event: object) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)  # type: ignore[arg-type]

    def refresh(self) -> None:
        self._dirty = False
        last = self._symptoms.current_day()
        first = last - timedelta(days=self.period_days() - 1)
        twitches = self._symptoms.twitches_between(first, last)
        self.list.show_records(
            (twitch.id, [f"{day_text(twitch.day)}, "
                         f"{time_on_day(time_text(twitch.at), twitch.at, twitch.day)}",
                         twitch.where(),
                         strength_text(twitch.intensity), twitch.note])
            for twitch in reversed(twitches))
        self.stack.setCurrentWidget(self.list if twitches else self.empty)
        summary = summarize_twitches(twitches, first, last)
        if summary.episodes and summary.main_area and summary.mean_intensity is not None:
            period = count("the last {n} day", "the last {n} days", summary.days)
            self.summary.setText(ngettext(
                "{n} twitch in {period}, in the {area}; strength {mean} of 5.",
                "{n} twitches on {d} of {period}, most often in the {area}; "
                "average strength {mean} of 5.", summary.episodes).format(
                n=summary.episodes, d=summary.days_with_twitches, period=period,
                area=area_label(summary.main_area).lower(),
                mean=f"{summary.mean_intensity:.1f}"))
        else:
            self.summary.setText("")
        self.summary.setVisible(bool(summary.episodes))
        self._update_buttons()

    # -- acting --------------------------------------------------------------------------

    def selected_id(self) -> int | None:
        return self.list.selected_id()

    def select(self, twitch_id: int) -> None:
        self.list.select_id(twitch_id)

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    @property
    def open_dialog(self) -> QDialog | None:
        return self._dialog.dialog

    def open_log_dialog(self) -> TwitchLogDialog:
        return self._dialog.open(
            TwitchLogDialog(self._symptoms, source=Source.WINDOW, parent=self))

    def edit_selected(self) -> EditTwitchDialog | None:
        twitch_id = self.selected_id()
        twitch = self._symptoms.diary.get(twitch_id) if twitch_id is not None else None
        if twitch is None:
            return None
        return self._dialog.open(EditTwitchDialog(self._symptoms, twitch, parent=self))

    def delete_selected(self) -> Twitch | None:
        twitch_id = self.selected_id()
        if twitch_id is None:
            return None
        deleted = self._deleted.delete(lambda: self._symptoms.delete_twitch(twitch_id),
                                       self._deleted_text)
        if deleted is not None:
            self.error.clear_message()
        return deleted

    def _deleted_text(self, deleted: Twitch) -> str:
        return self.tr("Deleted the twitch in the {where}, {when}.").format(
            where=deleted.where().lower(), when=time_text(deleted.at))

    def undo_last_delete(self) -> None:
        """Bring back the most recently deleted twitch (Ctrl+Z; repeatable)."""
        self._deleted.undo_last()

