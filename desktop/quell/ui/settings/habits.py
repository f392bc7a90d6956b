"""Settings → Habits: the user's own habits (add, edit, archive, restore) and the habits' order.

Changes here are saved at once through the session (each is one transaction there), like a
list editor, not on the settings dialog's OK: an added habit is a thing of its own, and the
dialog's Cancel must not silently take it back. A bad definition shows inline and writes
nothing; the editor keeps what the user typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from quell.core.errors import InputError
from quell.core.formatting import amount as amount_text
from quell.core.habits import (
    MAX_NAME_LENGTH,
    MAX_QUICK_AMOUNTS,
    UNITS,
    Direction,
    Habit,
    Kind,
    user_habit,
)
from quell.core.habits import (
    unit as unit_of,
)
from quell.ui.common.form_dialog import FormDialog
from quell.ui.common.style import InlineMessage, hint_label
from quell.ui.services.session import Session

_KEY_ROLE = Qt.ItemDataRole.UserRole
_SPLIT = re.compile(r"[\s,;]+")


def _tr(text: str) -> str:
    return QCoreApplication.translate("habits", text)


def parse_quick(text: str) -> tuple[float, ...]:
    """The quick amounts typed as "1, 2.5  3" (commas, semicolons or spaces between), or
    InputError naming the first that is not a number."""
    amounts: list[float] = []
    for part in _SPLIT.split(text.strip()):
        if not part:
            continue
        try:
            amounts.append(float(part))
        except ValueError:
            raise InputError(_tr(
                "{text!r} is not a number; type the quick amounts like 1, 2").format(
                    text=part)) from None
    return tuple(amounts)


class HabitEditor(FormDialog):
    """Add a habit of the user's own, or edit one (*habit* given): name, kind, unit, direction,
    target(s) and up to four quick amounts.

    On OK the definition goes through :func:`~quell.core.habits.user_habit` and the session;
    a problem shows inline, the fields keep what was typed, and nothing is written. After it
    is accepted, :attr:`saved` holds the stored definition.
    """

    def __init__(self, session: Session, habit: Habit | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._editing = habit
        self.saved: Habit | None = None
        self.setWindowTitle(self.tr("Edit {habit}").format(habit=habit.label) if habit
                            else self.tr("Add a habit"))
        self.title.setText(self.windowTitle())

        self.name = QLineEdit()
        self.name.setMaxLength(MAX_NAME_LENGTH)
        self.name.setPlaceholderText(self.tr("e.g. Alcohol, Screen time, Ate late"))
        self.kind = QComboBox()
        for kind, text in ((Kind.COUNT, self.tr("Count (times, drinks, pills…)")),
                           (Kind.AMOUNT, self.tr("Amount (ml, mg, g…)")),
                           (Kind.DURATION, self.tr("Duration (minutes, hours)")),
                           (Kind.RATING, self.tr("Rating (1 to 5)"))):
            self.kind.addItem(text, kind)
        self.unit = QComboBox()
        self.direction = QComboBox()
        for direction, text in ((Direction.AT_MOST, self.tr("At most (a limit)")),
                                (Direction.AT_LEAST, self.tr("At least (a goal)")),
                                (Direction.RANGE, self.tr("Between (a range)")),
                                (Direction.NONE, self.tr("No goal, just track it"))):
            self.direction.addItem(text, direction)
        self.target = self._spin()
        self.target.setAccessibleName(self.tr("Daily target"))
        self.target_max = self._spin()
        self.target_max.setAccessibleName(self.tr("Upper end of the range"))
        self.and_label = QLabel(self.tr("and"))
        targets = QHBoxLayout()
        targets.setSpacing(8)
        targets.addWidget(self.target)
        targets.addWidget(self.and_label)
        targets.addWidget(self.target_max)
        targets.addStretch(1)
        self.quick = QLineEdit()
        self.quick.setPlaceholderText(self.tr("e.g. 1, 2 (up to {n})").format(
            n=MAX_QUICK_AMOUNTS))
        self.quick.setToolTip(self.tr(
            "Amounts the tray and Today log in one click, in the habit's unit."))

        form = self.form
        form.addRow(self.tr("&Name"), self.name)
        form.addRow(self.tr("&Kind"), self.kind)
        form.addRow(self.tr("&Unit"), self.unit)
        form.addRow(self.tr("&Goal"), self.direction)
        self.target_label = QLabel(self.tr("&Target per day"))
        self.target_label.setBuddy(self.target)
        form.addRow(self.target_label, targets)
        form.addRow(self.tr("&Quick amounts"), self.quick)
        self.ok_button.setText(self.tr("&Save") if habit else self.tr("&Add"))
        self.name.setFocus()  # the editor opens on the name, not on OK
        self.setMinimumWidth(440)

        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self.unit.currentIndexChanged.connect(self._unit_chosen)
        self.direction.currentIndexChanged.connect(self._direction_picked)
        for spin in (self.target, self.target_max):
            spin.valueChanged.connect(self._suffixes)
        if habit is not None:
            self._show(habit)
        else:
            self._kind_chosen()
            self._direction_chosen()

    def _spin(self) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setDecimals(2)
        # Generous: the core's checks name a bad value; a clamped one would hide it.
        spin.setRange(0, 10_000_000)
        spin.setGroupSeparatorShown(True)
        spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        spin.setMinimumWidth(110)
        return spin

    def _show(self, habit: Habit) -> None:
        self.name.setText(habit.label)
        self.kind.setCurrentIndex(self.kind.findData(habit.kind))
        self._kind_chosen()
        self.unit.setCurrentIndex(max(0, self.unit.findData(habit.unit)))
        self.direction.setCurrentIndex(self.direction.findData(habit.direction))
        target = self._session.targets().get(habit.key)
        low = target.value if target is not None else habit.default_target
        high = target.value_max if target is not None else habit.default_target_max
        self.target.setValue(low or 0)
        self.target_max.setValue(high or 0)
        self.quick.setText(", ".join(f"{q.amount:g}" for q in habit.quick))
        self._direction_chosen()

    def _kind_chosen(self) -> None:
        kind = self.kind.currentData()
        before = self.unit.currentData()
        self.unit.blockSignals(True)
        self.unit.clear()
        for unit in UNITS:
            if kind in unit.kinds:
                self.unit.addItem(unit.text, unit.key)
        self.unit.setCurrentIndex(max(0, self.unit.findData(before)))
        self.unit.blockSignals(False)
        self._unit_chosen()

    def _unit_chosen(self) -> None:
        found = unit_of(str(self.unit.currentData() or ""))
        whole = self.kind.currentData() in (Kind.COUNT, Kind.RATING) or (
            found is not None and found.integer)
        for spin in (self.target, self.target_max):
            spin.setDecimals(0 if whole else 2)
        self._suffixes()

    def _suffixes(self) -> None:
        """Each target reads with its unit: '1 drink', '2 drinks'."""
        found = unit_of(str(self.unit.currentData() or ""))
        for spin in (self.target, self.target_max):
            text = found.text_for(spin.value()) if found is not None else ""
            suffix = " " + text if text else ""
            if spin.suffix() != suffix:
                spin.setSuffix(suffix)

    def _direction_picked(self) -> None:
        if self.direction.currentData() is Direction.AT_LEAST and self.target.value() == 0:
            # A new habit's limit starts at 0 (none at all); a goal of 0 is always met. (When
            # a stored habit is shown, its own target is set after this.)
            self.target.setValue(1)
        self._direction_chosen()

    def _direction_chosen(self) -> None:
        direction = self.direction.currentData()
        has_target = direction is not Direction.NONE
        self.target.setEnabled(has_target)
        self.target_label.setEnabled(has_target)
        ranged = direction is Direction.RANGE
        self.and_label.setVisible(ranged)
        self.target_max.setVisible(ranged)

    def definition(self) -> Habit:
        """The habit the fields describe, or InputError naming the problem."""
        direction: Direction = self.direction.currentData()
        target = self.target.value() if direction is not Direction.NONE else None
        target_max = self.target_max.value() if direction is Direction.RANGE else None
        catalog = self._session.habits()
        editing = self._editing
        return user_habit(self.name.text(), str(self.unit.currentData() or ""),
                          self.kind.currentData(), direction, target, target_max,
                          parse_quick(self.quick.text()), catalog=catalog,
                          key=editing.key if editing is not None else None)

    def _apply(self) -> None:
        habit = self.definition()
        if self._editing is None:
            self.saved = self._session.add_habit(habit)
        else:
            self.saved = self._session.update_habit(habit)


class HabitsPage(QWidget):
    """The habits in the order the tray and Today show them, the user's own to add, edit and
    archive, and the archived ones to restore.

    Signals:
        editor_opened(object): the :class:`HabitEditor` just opened (for the dialog and tests).
    """

    editor_opened = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.editor: HabitEditor | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 6)
        layout.setSpacing(8)
        layout.addWidget(hint_label(self.tr(
            "Add what you want to keep an eye on (alcohol, screen time, a medicine): it shows "
            "in the tray, Today, History and the report. Changes here are saved at once. "
            "Quell's own habits are switched on or off on the first tab."),
            self.font(), self.palette()))

        row = QHBoxLayout()
        row.setSpacing(8)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Habits, in the order they are shown"))
        self.list.setSpacing(2)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.list.itemDoubleClicked.connect(lambda _item: self.edit_selected())
        row.addWidget(self.list, 1)
        column = QVBoxLayout()
        column.setSpacing(6)
        self.add_button = self._button(self.tr("&Add…"), self.add)
        self.edit_button = self._button(self.tr("&Edit…"), self.edit_selected)
        self.archive_button = self._button(self.tr("Arc&hive"), self.archive_selected)
        self.archive_button.setToolTip(self.tr(
            "Offer it nowhere any more; its history stays and you can restore it."))
        self.up_button = self._button(self.tr("Move &up"), lambda: self.move_selected(-1))
        self.up_button.setToolTip(self.tr("Show it earlier (Ctrl+Up)"))
        self.down_button = self._button(self.tr("Move &down"), lambda: self.move_selected(1))
        self.down_button.setToolTip(self.tr("Show it later (Ctrl+Down)"))
        for button in (self.add_button, self.edit_button, self.archive_button):
            column.addWidget(button)
        column.addSpacing(12)
        column.addWidget(self.up_button)
        column.addWidget(self.down_button)
        column.addStretch(1)
        row.addLayout(column)
        layout.addLayout(row, 1)
        self.list.installEventFilter(self)  # Ctrl+Up / Ctrl+Down move the selected habit

        self.archived_title = QLabel(self.tr("Archived (history kept)"))
        layout.addWidget(self.archived_title)
        archived_row = QHBoxLayout()
        archived_row.setSpacing(8)
        self.archived_list = QListWidget()
        self.archived_list.setAccessibleName(self.tr("Archived habits"))
        self.archived_list.setSpacing(2)
        self.archived_list.setMaximumHeight(90)
        self.archived_list.currentRowChanged.connect(self._update_buttons)
        archived_row.addWidget(self.archived_list, 1)
        self.restore_button = self._button(self.tr("&Restore"), self.restore_selected)
        restore_column = QVBoxLayout()
        restore_column.addWidget(self.restore_button)
        restore_column.addStretch(1)
        archived_row.addLayout(restore_column)
        layout.addLayout(archived_row)
        self.error = InlineMessage(self)
        layout.addWidget(self.error)
        # One width for the buttons of both lists, so the lists line up.
        buttons = (self.add_button, self.edit_button, self.archive_button, self.up_button,
                   self.down_button, self.restore_button)
        width = max(b.sizeHint().width() for b in buttons)
        for button in buttons:
            button.setMinimumWidth(width)
        self._shown: tuple[object, ...] | None = None
        self.reload()
        # A habit added from the command line (or another window) meanwhile shows up too;
        # a glass of water changes nothing here and rebuilds nothing.
        session.changed.connect(self._maybe_reload)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() is QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) \
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier \
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_selected(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)  # Enter belongs to the settings dialog's OK
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- what is shown -------------------------------------------------------------------

    def order(self) -> list[str]:
        """Every offered habit's key, as the list shows them."""
        return [str(self.list.item(i).data(_KEY_ROLE)) for i in range(self.list.count())]

    def _ordered(self) -> list[Habit]:
        offered = {h.key: h for h in self._session.habits().offered()}
        enabled = [k for k in self._session.enabled_habits() if k in offered]
        # Switched-off habits keep no place of their own in what the tray shows: after.
        return [offered[k] for k in enabled] + [h for k, h in offered.items()
                                                if k not in enabled]

    def _state(self) -> tuple[object, ...]:
        catalog = self._session.habits()
        return (tuple(self._ordered()), tuple(self._session.enabled_habits()),
                tuple(h for h in catalog.user if h.archived),
                tuple(self._session.targets().get(h.key) for h in catalog.user))

    def _maybe_reload(self) -> None:
        if self._state() != self._shown:
            self.reload()

    def reload(self, select: str | None = None) -> None:
        """Show the habits as the session has them now (selecting *select*)."""
        self._shown = self._state()
        current = select or self.selected_key()
        enabled = set(self._session.enabled_habits())
        self.list.clear()
        for spec in self._ordered():
            item = QListWidgetItem(self._describe(spec, spec.key in enabled))
            item.setData(_KEY_ROLE, spec.key)
            self.list.addItem(item)
            if spec.key == current:
                self.list.setCurrentItem(item)
        self.archived_list.clear()
        archived = [h for h in self._session.habits().user if h.archived]
        for spec in archived:
            item = QListWidgetItem(spec.label)
            item.setData(_KEY_ROLE, spec.key)
            self.archived_list.addItem(item)
        shown = bool(archived)
        self.archived_title.setVisible(shown)
        self.archived_list.setVisible(shown)
        self.restore_button.setVisible(shown)
        self._update_buttons()

    def _describe(self, spec: Habit, enabled: bool) -> str:
        tr = self.tr
        if not enabled:
            return tr("{habit} — switched off").format(habit=spec.label)
        if spec.builtin:
            return spec.label
        target = self._session.targets().get(spec.key)
        low = target.value if target is not None else spec.default_target
        high = target.value_max if target is not None else spec.default_target_max
        unit = self._session.settings().water_unit
        if spec.direction is Direction.AT_MOST and low is not None:
            goal = tr("at most {amount} a day").format(amount=amount_text(spec, low, unit))
        elif spec.direction is Direction.AT_LEAST and low is not None:
            goal = tr("at least {amount} a day").format(amount=amount_text(spec, low, unit))
        elif spec.direction is Direction.RANGE and low is not None and high is not None:
            goal = tr("{low} to {high} a day").format(
                low=amount_text(spec, low, unit, with_unit=False),
                high=amount_text(spec, high, unit))
        else:
            goal = tr("no goal")
        return tr("{habit} — your own, {goal}").format(habit=spec.label, goal=goal)

    def selected_key(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(_KEY_ROLE)) if item is not None else None

    def _selected(self) -> Habit | None:
        key = self.selected_key()
        return self._session.habits().find(key) if key is not None else None

    def select(self, key: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(_KEY_ROLE) == key:
                self.list.setCurrentRow(i)
                return

    def _update_buttons(self) -> None:
        spec = self._selected()
        own = spec is not None and not spec.builtin
        self.edit_button.setEnabled(own)
        self.archive_button.setEnabled(own)
        row = self.list.currentRow()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.list.count() - 1)
        self.restore_button.setEnabled(self.archived_list.currentItem() is not None)

    # -- changes -------------------------------------------------------------------------

    def add(self) -> HabitEditor:
        return self._open(HabitEditor(self._session, parent=self))

    def edit_selected(self) -> HabitEditor | None:
        spec = self._selected()
        if spec is None or spec.builtin:
            return None
        return self._open(HabitEditor(self._session, spec, parent=self))

    def _open(self, editor: HabitEditor) -> HabitEditor:
        self.error.clear_message()
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.accepted.connect(lambda: self._saved(editor))
        editor.finished.connect(self._editor_closed)
        self.editor = editor
        editor.open()
        self.editor_opened.emit(editor)
        return editor

    def _saved(self, editor: HabitEditor) -> None:
        self.reload(select=editor.saved.key if editor.saved is not None else None)

    def _editor_closed(self) -> None:
        self.editor = None

    def archive_selected(self) -> None:
        spec = self._selected()
        if spec is None or spec.builtin:
            return
        row = self.list.currentRow()
        if self._run(lambda: self._session.archive_habit(spec.key)):
            self.reload()
            self.list.setCurrentRow(min(row, self.list.count() - 1))

    def restore_selected(self) -> None:
        item = self.archived_list.currentItem()
        if item is None:
            return
        key = str(item.data(_KEY_ROLE))
        if self._run(lambda: self._session.restore_habit(key)):
            self.reload(select=key)

    def move_selected(self, step: int) -> None:
        """Move the selected habit *step* places (−1 up, 1 down), saved at once."""
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        keys = self.order()
        keys.insert(target, keys.pop(row))
        key = keys[target]
        if self._run(lambda: self._session.set_habit_order(keys)):
            self.reload(select=key)
            self.list.setFocus()

    def _run(self, change: Callable[[], object]) -> bool:
        try:
            change()
        except InputError as error:
            self.error.show_message(str(error))
            return False
        self.error.clear_message()
        return True

