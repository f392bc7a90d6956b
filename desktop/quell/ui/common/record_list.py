"""The list of stored records (habit entries, twitches) that a window shows, edits and deletes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from quell.core.errors import InputError
from quell.ui.common.style import InlineMessage, muted_color, set_text_color
from quell.ui.common.undo_bar import UndoBar

RECORD_ID = Qt.ItemDataRole.UserRole


class RecordList(QTreeWidget):
    """Records as rows, one selected at a time; each row keeps its record's id.

    Enter or a double click asks to edit the selected record; Delete, Backspace or the context
    menu ask to delete it. The last column (the note) takes the spare width and repeats its text
    as a tooltip.

    Signals:
        edit_requested(): the user wants to edit the selected record.
        delete_requested(): the user wants to delete the selected record.
    """

    edit_requested = Signal()
    delete_requested = Signal()

    def __init__(self, headers: Sequence[str], accessible_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(len(headers))
        self.setHeaderLabels(list(headers))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setAllColumnsShowFocus(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAccessibleName(accessible_name)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        header = self.header()
        header.setStretchLastSection(True)
        for column in range(len(headers) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.itemActivated.connect(lambda _item, _column: self.edit_requested.emit())
        for text, signal in ((self.tr("Edit…"), self.edit_requested),
                             (self.tr("Delete"), self.delete_requested)):
            self.addAction(text).triggered.connect(lambda _c=False, s=signal: s.emit())

    def show_records(self, rows: Iterable[tuple[int | None, Sequence[str]]]) -> None:
        """Show *rows* (a record's id and its column texts); the selected record stays so."""
        selected = self.selected_id()
        self.setUpdatesEnabled(False)
        self.clear()
        items = []
        for record_id, texts in rows:
            item = QTreeWidgetItem(list(texts))
            item.setData(0, RECORD_ID, record_id)
            item.setToolTip(len(texts) - 1, texts[-1])
            items.append(item)
        self.addTopLevelItems(items)
        for item in items:
            if item.data(0, RECORD_ID) == selected:
                self.setCurrentItem(item)
        self.setUpdatesEnabled(True)

    def selected_id(self) -> int | None:
        """The selected record's id; None when no row is selected."""
        item = self.currentItem()
        if item is None or not item.isSelected():
            return None
        value = item.data(0, RECORD_ID)
        return int(value) if value is not None else None

    def select_id(self, record_id: int) -> None:
        """Select the row of record *record_id*, if it is shown."""
        for index in range(self.topLevelItemCount()):
            item = self.topLevelItem(index)
            if item is not None and item.data(0, RECORD_ID) == record_id:
                self.setCurrentItem(item)
                item.setSelected(True)
                return

    def current_row(self) -> int:
        item = self.currentItem()
        return self.indexOfTopLevelItem(item) if item is not None else -1

    def move_to_row(self, row: int) -> None:
        """Make row *row* current, or the last one when fewer are left (after a delete, the
        keyboard stays where it was)."""
        item = self.topLevelItem(min(row, self.topLevelItemCount() - 1))
        if item is not None:
            self.setCurrentItem(item)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_requested.emit()
            return
        super().keyPressEvent(event)


def list_or_empty(records: QWidget, empty_text: str, palette: QPalette
                  ) -> tuple[QStackedWidget, QLabel]:
    """*records* in a stack with a calm, centred *empty_text* to show instead when there is
    nothing to list (the window switches between the two)."""
    empty = QLabel(empty_text)
    empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
    set_text_color(empty, muted_color(palette))
    stack = QStackedWidget()
    stack.addWidget(records)
    stack.addWidget(empty)
    return stack, empty


def edit_delete_buttons(delete_tip: str) -> tuple[QPushButton, QPushButton]:
    """The Edit… and Delete buttons under a record list; Enter in a field never presses them."""
    edit = QPushButton(QCoreApplication.translate("RecordList", "&Edit…"))
    delete = QPushButton(QCoreApplication.translate("RecordList", "&Delete"))
    delete.setToolTip(delete_tip)
    for button in (edit, delete):
        button.setAutoDefault(False)
    return edit, delete


class _Stored(Protocol):
    """A record as the store gave it back: with its id."""

    @property
    def id(self) -> int | None: ...


class _Rows(Protocol):
    """A list of records by id: a :class:`RecordList`, or Today's table of entries."""

    def current_row(self) -> int: ...

    def move_to_row(self, row: int) -> None: ...

    def select_id(self, record_id: int) -> None: ...


StoredT = TypeVar("StoredT", bound=_Stored)


class DeletedRecords(Generic[StoredT]):
    """What a window deleted from its list, to bring back: newest last, each with Undo.

    Deleting says what went in the undo bar and keeps the keyboard on the row. Undo (the bar's,
    or the window's Ctrl+Z after the bar has gone) brings back the newest and selects it; again
    brings back the one before.
    """

    def __init__(self, rows: _Rows, bar: UndoBar, error: InlineMessage,
                 restore: Callable[[int], object]) -> None:
        self._rows = rows
        self._bar = bar
        self._error = error
        self._restore = restore
        self._deleted: list[StoredT] = []

    def delete(self, delete: Callable[[], StoredT], said: Callable[[StoredT], str]
               ) -> StoredT | None:
        """Run *delete* (the store's delete of the selected record) and say *said(record)*.

        An InputError from it shows in the window's inline message instead, and None comes
        back.
        """
        row = self._rows.current_row()
        try:
            deleted = delete()
        except InputError as error:
            self._error.show_message(str(error))
            return None
        self._deleted.append(deleted)
        self._bar.show_deleted(said(deleted))
        self._rows.move_to_row(row)
        return deleted

    def undo_last(self) -> None:
        """Bring back the newest deleted record and select it; nothing when none is left."""
        if not self._deleted:
            return
        record = self._deleted.pop()
        assert record.id is not None
        self._restore(record.id)
        self._bar.dismiss()
        self._rows.select_id(record.id)
