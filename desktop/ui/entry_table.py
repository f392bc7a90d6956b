"""The Today window's list of the day's entries: a table whose rows are added one by one.

A table, not a tree: a tree view lays out every row again when one is inserted (2.4 ms with
10,000 rows against 1.0 ms with none, measured), a table only the rows it shows, so a day's
3,000th entry costs what its first did. It behaves as :class:`RecordList` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

RECORD_ID = Qt.ItemDataRole.UserRole


class EntryTable(QTableWidget):
    """Records as rows, one selected at a time; each row keeps its record's id (column 0).

    Enter or a double click asks to edit the selected record; Delete, Backspace or the context
    menu ask to delete it. The last column (the note) takes the spare width and repeats its
    text as a tooltip.

    Signals:
        edit_requested(): the user wants to edit the selected record.
        delete_requested(): the user wants to delete the selected record.
    """

    edit_requested = Signal()
    delete_requested = Signal()

    def __init__(self, headers: Sequence[str], accessible_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
        self.verticalHeader().hide()
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)  # a list's row, not a grid's
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)  # Tab leaves the list, as in any other list
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAccessibleName(accessible_name)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        # Column widths from the rows in view: a full day's rows are not measured each time.
        header.setResizeContentsPrecision(0)
        for column in range(len(headers) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.itemActivated.connect(lambda _item: self.edit_requested.emit())
        for text, signal in ((self.tr("Edit…"), self.edit_requested),
                             (self.tr("Delete"), self.delete_requested)):
            self.addAction(text).triggered.connect(lambda _c=False, s=signal: s.emit())

    # -- rows ---------------------------------------------------------------------------

    def show_records(self, rows: Iterable[tuple[int | None, Sequence[str]]]) -> None:
        """Show *rows* (a record's id and its column texts); the selected record stays so."""
        selected = self.selected_id()
        self.setUpdatesEnabled(False)
        self.setRowCount(0)
        records = list(rows)
        self.setRowCount(len(records))
        for row, (record_id, texts) in enumerate(records):
            self._fill(row, record_id, texts)
        if selected is not None:
            self.select_id(selected)
        self.setUpdatesEnabled(True)

    def insert_record(self, row: int, record_id: int | None, texts: Sequence[str]) -> None:
        self.insertRow(row)
        self._fill(row, record_id, texts)

    def take_record(self, row: int) -> None:
        self.removeRow(row)

    def record_count(self) -> int:
        return self.rowCount()

    def texts(self, row: int) -> list[str]:
        """The column texts of row *row* (for tests and screen readers' sake)."""
        return [self._item(row, column).text() for column in range(self.columnCount())]

    def record_id(self, row: int) -> int | None:
        value = self._item(row, 0).data(RECORD_ID)
        return int(value) if value is not None else None

    def tooltip(self, row: int) -> str:
        return self._item(row, self.columnCount() - 1).toolTip()

    def _fill(self, row: int, record_id: int | None, texts: Sequence[str]) -> None:
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if column == 0:
                item.setData(RECORD_ID, record_id)
            self.setItem(row, column, item)
        last = self.item(row, len(texts) - 1)
        if last is not None:
            last.setToolTip(texts[-1])

    def _item(self, row: int, column: int) -> QTableWidgetItem:
        item = self.item(row, column)
        if item is None:
            raise IndexError(row)
        return item

    # -- selection ----------------------------------------------------------------------

    def selected_id(self) -> int | None:
        """The selected record's id; None when no row is selected."""
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        return self.record_id(rows[0].row())

    def select_id(self, record_id: int) -> None:
        """Select the row of record *record_id*, if it is shown."""
        for row in range(self.rowCount()):
            if self.record_id(row) == record_id:
                self.selectRow(row)
                return

    def current_row(self) -> int:
        return self.currentRow()

    def move_to_row(self, row: int) -> None:
        """Make row *row* current, or the last one when fewer are left (after a delete, the
        keyboard stays where it was)."""
        count = self.rowCount()
        if count:
            self.setCurrentCell(min(row, count - 1), 0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_requested.emit()
            return
        super().keyPressEvent(event)
