"""A year of one habit as a calendar heatmap: an item view, so keys and screen readers work.

Each cell is a small gauge filled from the bottom by how much of the goal the day reached, so
the amount reads from the shape and not from colour alone; a passed limit is hatched, a day off
shows a dash, and every cell's tooltip (and accessible text) says the day and its value.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from quell.core import formatting
from quell.core.habits import Direction, Habit
from quell.core.history import HabitDay, Outcome, day_off_label, week_start
from quell.ui.common.dates import qdate
from quell.ui.common.style import mix, muted_color, small_font, track_color, warning_color

CELL = 15
GAP = 3
MIN_SLOT, MAX_SLOT = 12, 20  # a cell and its gap, in pixels
WEEKS = 53
DAY_ROLE = Qt.ItemDataRole.UserRole
FILL_ROLE = Qt.ItemDataRole.UserRole + 1
OUTCOME_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


def long_day_text(day: date) -> str:
    """'Tuesday 3 March 2026' in the user's language."""
    return QLocale().toString(qdate(day), "dddd d MMMM yyyy")


def describe_day(spec: Habit, habit_day: HabitDay, water_unit: str,
                 tr: Callable[[str], str]) -> str:
    """One day of one habit in words: what was logged against what goal, and how it went."""
    total = habit_day.total
    amount = (formatting.amount(spec, total, water_unit) if total is not None
              else tr("nothing logged"))
    if habit_day.target is not None:
        amount = tr("{amount} (goal {goal})").format(
            amount=amount, goal=_goal_text(spec, habit_day, water_unit, tr))
    outcome = habit_day.outcome
    verdict = {
        Outcome.MET: tr("✓ within the limit") if spec.direction is Direction.AT_MOST
        else tr("✓ goal met"),
        Outcome.PARTIAL: tr("part of the goal"),
        Outcome.MISSED: tr("goal not met"),
        Outcome.OVER: tr("▲ over the limit") if spec.direction is Direction.AT_MOST
        else tr("▲ more than planned"),
        Outcome.NO_DATA: tr("nothing logged at all that day"),
        Outcome.PENDING: tr("today, still going"),
        Outcome.NO_GOAL: "",
        Outcome.DAY_OFF: "",
    }[outcome]
    if outcome is Outcome.DAY_OFF:
        reason = day_off_label(habit_day.off_reason)
        verdict = (tr("day off ({reason})").format(reason=reason) if reason
                   else tr("day off"))
    parts = [long_day_text(habit_day.day), amount]
    if verdict:
        parts.append(verdict)
    return " · ".join(parts)


def _goal_text(spec: Habit, habit_day: HabitDay, water_unit: str,
               tr: Callable[[str], str]) -> str:
    assert habit_day.target is not None
    if spec.direction is Direction.RANGE and habit_day.target_max is not None:
        return tr("{low}–{high}").format(low=formatting.number(habit_day.target, 1),
                                        high=formatting.amount(spec, habit_day.target_max))
    if spec.direction is Direction.AT_MOST:
        return tr("at most {amount}").format(
            amount=formatting.amount(spec, habit_day.target, water_unit))
    return formatting.amount(spec, habit_day.target, water_unit)


class HeatmapModel(QAbstractTableModel):
    """Weeks as columns (oldest left), weekdays as rows, one cell per day of the last year."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._first = date(2000, 1, 1)  # replaced by set_days before any view asks
        self._first_weekday = 0
        self._cells: dict[date, HabitDay] = {}
        self._texts: dict[date, str] = {}
        self._fills: dict[date, float] = {}
        self._last = self._first
        self._month_starts: dict[int, str] = {}
        self._limit = False

    def set_days(self, spec: Habit, days: list[HabitDay], last_day: date, water_unit: str,
                 first_weekday: int = 0) -> None:
        """Show the 53 weeks ending with *last_day*'s week; *days* may reach further back."""
        self.beginResetModel()
        self._limit = spec.direction is Direction.AT_MOST
        self._first_weekday = first_weekday
        self._first = week_start(last_day, first_weekday) - timedelta(weeks=WEEKS - 1)
        self._last = last_day
        shown = [d for d in days if self._first <= d.day <= last_day]
        self._cells = {d.day: d for d in shown}
        tr = self.tr
        self._texts = {d.day: describe_day(spec, d, water_unit, tr) for d in shown}
        self._fills = _fills(spec, shown)
        self._month_starts = {}
        locale = QLocale()
        for column in range(WEEKS):
            start = self._first + timedelta(weeks=column)
            for offset in range(7):
                day = start + timedelta(days=offset)
                if day.day == 1:
                    self._month_starts[column] = locale.monthName(
                        day.month, QLocale.FormatType.ShortFormat)
        self.endResetModel()

    def day_at(self, index: _Index) -> date | None:
        if not index.isValid():
            return None
        day = self._first + timedelta(weeks=index.column(), days=index.row())
        return day if day <= self._last else None

    def index_of(self, day: date) -> QModelIndex:
        offset = (day - self._first).days
        if offset < 0 or day > self._last:
            return QModelIndex()
        return self.index(offset % 7, offset // 7)

    def habit_day(self, day: date) -> HabitDay | None:
        return self._cells.get(day)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else WEEKS

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if self.day_at(index) is None:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        day = self.day_at(index)
        if day is None:
            return None
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.DisplayRole):
            return self._texts.get(day) or self.tr("{day} · before you started").format(
                day=long_day_text(day))
        if role == DAY_ROLE:
            return day
        if role == FILL_ROLE:
            return self._fills.get(day)
        if role == OUTCOME_ROLE:
            cell = self._cells.get(day)
            if cell is None:
                return None
            if cell.outcome is Outcome.OVER and not self._limit:
                # Above a range (a long night) is drawn as a near miss, not as a passed limit.
                return Outcome.PARTIAL
            return cell.outcome
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._month_starts.get(section, "")
        weekday = (self._first_weekday + section) % 7
        if section % 2:
            return ""
        return QLocale().dayName(weekday + 1, QLocale.FormatType.ShortFormat)


def _fills(spec: Habit, days: list[HabitDay]) -> dict[date, float]:
    """How full each cell is (0..1): the goal's share reached, or the value against the year's
    highest for habits without a goal."""
    if spec.direction is Direction.NONE:
        top = max((d.total for d in days if d.total is not None), default=0.0)
        return {d.day: (d.total / top if top and d.total is not None else 0.0) for d in days}
    fills = {}
    for habit_day in days:
        if habit_day.outcome is Outcome.MET or (habit_day.outcome is Outcome.OVER
                                                and spec.direction is Direction.AT_MOST):
            fills[habit_day.day] = 1.0
        elif habit_day.credit is not None:
            fills[habit_day.day] = habit_day.credit
        elif habit_day.outcome is Outcome.PENDING and habit_day.total and habit_day.target:
            fills[habit_day.day] = min(1.0, habit_day.total / habit_day.target)
        else:
            fills[habit_day.day] = 0.0
    return fills


def paint_cell(painter: QPainter, cell: QRectF, palette: QPalette, outcome: Outcome | None,
               fill: float) -> None:
    """One day's square: filled from the bottom by *fill* (0..1); hatched past a limit; a dash
    for a day off; dotted when unknown; a faint outline before tracking began."""
    accent = palette.color(QPalette.ColorRole.Highlight)
    window = palette.color(QPalette.ColorRole.Window)
    track = track_color(palette)
    shape = QPainterPath()
    shape.addRoundedRect(cell, 3, 3)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if outcome is None:
        painter.setPen(QPen(mix(window, track, 0.6), 1))
        painter.drawPath(shape)
        return
    if outcome is Outcome.DAY_OFF:
        painter.setPen(QPen(muted_color(palette), 1))
        painter.drawPath(shape)
        mid = cell.center().y()
        painter.drawLine(QPointF(cell.left() + 3.5, mid), QPointF(cell.right() - 3.5, mid))
        return
    if outcome is Outcome.NO_DATA:
        painter.setPen(QPen(track, 1, Qt.PenStyle.DotLine))
        painter.drawPath(shape)
        return
    painter.fillPath(shape, track)
    if fill > 0:
        painter.save()
        painter.setClipPath(shape)
        height = max(2.0, cell.height() * min(1.0, fill))
        level = QRectF(cell.left(), cell.bottom() - height, cell.width(), height)
        if outcome is Outcome.OVER:
            painter.fillRect(level, mix(warning_color(palette), window, 0.15))
            painter.fillRect(level, QBrush(window, Qt.BrushStyle.BDiagPattern))
        else:
            # Partial days are lighter as well as lower.
            painter.fillRect(level, mix(track, accent, 1.0 if fill >= 1 else 0.5 + 0.3 * fill))
        painter.restore()
    if outcome is Outcome.PENDING:
        painter.setPen(QPen(accent, 1.2))
        painter.drawPath(shape)


class CellSwatch(QWidget):
    """A legend entry drawn exactly like a heatmap cell."""

    def __init__(self, outcome: Outcome | None, fill: float,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._outcome, self._fill = outcome, fill
        self.setFixedSize(CELL, CELL)

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_cell(painter, QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), self.palette(),
                   self._outcome, self._fill)
        painter.end()


class HeatmapDelegate(QStyledItemDelegate):
    """Paints a cell as a rounded square gauge in the palette's colours."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        day = index.data(DAY_ROLE)
        if day is None:
            return
        palette: QPalette = option.palette
        rect: QRect = option.rect
        state = option.state
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_cell(painter, QRectF(rect).adjusted(GAP / 2, GAP / 2, -GAP / 2, -GAP / 2),
                   palette, index.data(OUTCOME_ROLE), float(index.data(FILL_ROLE) or 0.0))
        if state & QStyle.StateFlag.State_HasFocus or state & QStyle.StateFlag.State_Selected:
            ring = QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5)
            painter.setPen(QPen(palette.color(QPalette.ColorRole.WindowText), 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(ring, 4, 4)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(CELL + GAP, CELL + GAP)


def label_left(start: int, width: int, room: int) -> int:
    """Where a month name starting at *start* is drawn: there, or moved left just enough to
    end inside the *room* (the last month of the year would otherwise lose its end, "De")."""
    return max(0, min(start, room - width))


class LabelHeader(QHeaderView):
    """Header labels without bevels, free to run past their narrow sections (month names)."""

    def __init__(self, orientation: Qt.Orientation, parent: QWidget | None = None) -> None:
        super().__init__(orientation, parent)
        # Labels sit on the window's own background, like the rest of the page.
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.setSectionsClickable(False)
        self.setHighlightSections(False)
        self.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setDefaultSectionSize(CELL + GAP)
        self.setMinimumSectionSize(CELL + GAP)

    def paintSection(self, painter: QPainter, rect: QRect, logical_index: int) -> None:
        model = self.model()
        if model is None:
            return
        text = model.headerData(logical_index, self.orientation(),
                                Qt.ItemDataRole.DisplayRole)
        if not text:
            return
        painter.save()
        painter.setFont(small_font(self.font()))
        painter.setPen(muted_color(self.palette()))
        if self.orientation() == Qt.Orientation.Horizontal:
            width = painter.fontMetrics().horizontalAdvance(str(text))
            last = self.count() - 1
            # The grid's own right end: the viewport may run past it (a style's frame).
            room = min(self.viewport().width(),
                       self.sectionViewportPosition(last) + self.sectionSize(last))
            left = label_left(rect.left() + 1, width, room)
            target = QRect(left, rect.top(), max(width, 60), rect.height())
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
        else:
            target = QRect(rect.left(), rect.top(), rect.width() - 6, rect.height())
            flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(target, int(flags) | int(Qt.TextFlag.TextDontClip), str(text))
        painter.restore()

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        if self.orientation() == Qt.Orientation.Horizontal:
            return QSize(super().sizeHint().width(), metrics.height() + 4)
        widest = max((metrics.horizontalAdvance(QLocale().dayName(d, QLocale.FormatType
                                                                   .ShortFormat))
                      for d in range(1, 8)), default=24)
        return QSize(widest + 10, super().sizeHint().height())


class HeatmapView(QTableView):
    """The heatmap's view. Arrow keys move between days; ``day_selected`` reports the day.

    Signals:
        day_selected(object): the ``datetime.date`` of the current cell.
    """

    day_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeader(LabelHeader(Qt.Orientation.Horizontal, self))
        self.setVerticalHeader(LabelHeader(Qt.Orientation.Vertical, self))
        self.setShowGrid(False)
        self.setCornerButtonEnabled(False)
        self.setItemDelegate(HeatmapDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QTableView.Shape.NoFrame)
        self.setMouseTracking(True)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.setTabKeyNavigation(False)
        # The corner square between the headers would be painted as a blank button. (A style
        # sheet on the view itself would stop palette changes from reaching the cells.)
        corner = self.findChild(QAbstractButton)
        if corner is not None:
            corner.setStyleSheet("border: none; background: transparent;")
        self._slot = CELL + GAP
        self._model = HeatmapModel(self)
        self.setModel(self._model)
        self.selectionModel().currentChanged.connect(self._current_changed)

    @property
    def heatmap_model(self) -> HeatmapModel:
        return self._model

    def show_days(self, spec: Habit, days: list[HabitDay], last_day: date, water_unit: str,
                  first_weekday: int = 0) -> None:
        selected = self.current_day()
        self._model.set_days(spec, days, last_day, water_unit, first_weekday)
        self.select_day(selected if selected is not None else last_day)
        self.scrollTo(self._model.index_of(last_day))

    def current_day(self) -> date | None:
        return self._model.day_at(self.currentIndex())

    def select_day(self, day: date) -> None:
        index = self._model.index_of(day)
        if index.isValid():
            self.setCurrentIndex(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        day = self._model.day_at(current)
        if day is not None:
            self.day_selected.emit(day)

    def _fit_cells(self) -> None:
        """Size the cells so the whole year fits the width (within a readable range)."""
        spare = self.width() - self.verticalHeader().sizeHint().width() - 2 * self.frameWidth()
        size = max(MIN_SLOT, min(MAX_SLOT, spare // WEEKS))
        if size != self._slot:
            self._slot = size
            for header in (self.horizontalHeader(), self.verticalHeader()):
                header.setMinimumSectionSize(size)
                header.setDefaultSectionSize(size)
        height = self.horizontalHeader().sizeHint().height() + 7 * size + 2 * self.frameWidth()
        if size * WEEKS > spare:
            height += self.horizontalScrollBar().sizeHint().height()
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_cells()

    def sizeHint(self) -> QSize:
        width = (self.verticalHeader().sizeHint().width() + WEEKS * (CELL + GAP)
                 + 2 * self.frameWidth())
        height = (self.horizontalHeader().sizeHint().height() + 7 * self._slot
                  + 2 * self.frameWidth())
        return QSize(width, height)

    def minimumSizeHint(self) -> QSize:
        return QSize(320, self.sizeHint().height())
