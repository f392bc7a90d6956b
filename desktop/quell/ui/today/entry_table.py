"""The Today window's list of the day's entries: a table over a plain list of rows.

A table view over its own model, not a tree of items: a tree view lays out every row again
when one is inserted (2.4 ms with 10,000 rows against 1.0 ms with none, measured), and an item
per cell costs about 3 KB a row; here a row is its id and four texts, and the view asks only
for the rows it shows. So a day's 3,000th entry costs what its first did. It behaves as
:class:`quell.ui.common.record_list.RecordList` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

_Index = QModelIndex | QPersistentModelIndex
_Row = tuple[int | None, tuple[str, ...]]


class EntryRows(QAbstractTableModel):
    """The rows shown: each a record's id and its column texts."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers = tuple(headers)
        self.rows: list[_Row] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        texts = self.rows[index.row()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == len(texts) - 1:
            return texts[-1] or None  # the note, in full
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def replace(self, rows: list[_Row]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def insert(self, position: int, row: _Row) -> None:
        self.beginInsertRows(QModelIndex(), position, position)
        self.rows.insert(position, row)
        self.endInsertRows()

    def remove(self, position: int) -> None:
        self.beginRemoveRows(QModelIndex(), position, position)
        del self.rows[position]
        self.endRemoveRows()


class EntryTable(QTableView):
    """Records as rows, one selected at a time; each row keeps its record's id.

    Enter or a double click asks to edit the selected record; Delete, Backspace or the context
    menu ask to delete it. The last column (the note) takes the spare width and repeats its
    text as a tooltip.

    Signals:
        edit_requested(): the user wants to edit the selected record.
        delete_requested(): the user wants to delete the selected record.
        selection_changed(): another row (or none) is selected.
    """

    edit_requested = Signal()
    delete_requested = Signal()
    selection_changed = Signal()

    def __init__(self, headers: Sequence[str], accessible_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = EntryRows(headers, self)
        self.setModel(self._rows)
        rows = self.verticalHeader()
        rows.hide()
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
        self.activated.connect(lambda _index: self.edit_requested.emit())
        self.selectionModel().selectionChanged.connect(
            lambda _selected, _deselected: self.selection_changed.emit())
        for text, signal in ((self.tr("Edit…"), self.edit_requested),
                             (self.tr("Delete"), self.delete_requested)):
            self.addAction(text).triggered.connect(lambda _c=False, s=signal: s.emit())

    # -- rows ---------------------------------------------------------------------------

    def show_records(self, rows: Iterable[tuple[int | None, Sequence[str]]]) -> None:
        """Show *rows* (a record's id and its column texts); the selected record stays so."""
        selected = self.selected_id()
        self._rows.replace([(record_id, tuple(texts)) for record_id, texts in rows])
        if selected is not None:
            self.select_id(selected)

    def insert_record(self, row: int, record_id: int | None, texts: Sequence[str]) -> None:
        self._rows.insert(row, (record_id, tuple(texts)))

    def take_record(self, row: int) -> None:
        self._rows.remove(row)

    def record_count(self) -> int:
        return len(self._rows.rows)

    def texts(self, row: int) -> list[str]:
        return list(self._rows.rows[row][1])

    def record_id(self, row: int) -> int | None:
        return self._rows.rows[row][0]

    def tooltip(self, row: int) -> str:
        value = self._rows.data(self._rows.index(row, self._rows.columnCount() - 1),
                                Qt.ItemDataRole.ToolTipRole)
        return str(value) if value else ""

    # -- selection ----------------------------------------------------------------------

    def selected_id(self) -> int | None:
        """The selected record's id; None when no row is selected."""
        selected = self.selectionModel().selectedRows()
        return self.record_id(selected[0].row()) if selected else None

    def select_id(self, record_id: int) -> None:
        """Select the row of record *record_id*, if it is shown."""
        for row, (shown_id, _texts) in enumerate(self._rows.rows):
            if shown_id == record_id:
                self._select(row)
                return

    def current_row(self) -> int:
        return self.currentIndex().row()

    def move_to_row(self, row: int) -> None:
        """Make row *row* current, or the last one when fewer are left (after a delete, the
        keyboard stays where it was)."""
        count = self.record_count()
        if count:
            self._select(min(row, count - 1))

    def _select(self, row: int) -> None:
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.selectionModel().setCurrentIndex(self._rows.index(row, 0), flags)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_requested.emit()
            return
        super().keyPressEvent(event)
