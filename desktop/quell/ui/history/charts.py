"""Small charts drawn with QPainter in the palette's colours, each readable by keyboard too.

Every chart is a row of items (weeks, days, hours): hovering shows an item's tooltip, and with
focus the arrow keys walk the items and ``item_focused`` reports the focused item's text (the
window shows it in a label, and it becomes the accessible description).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QLocale, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from quell.core import formatting
from quell.core.habits import Direction, Habit
from quell.core.history import HourOutcomes, TwitchDay, WeekBar
from quell.core.i18n import ngettext
from quell.core.insights import Evidence, Outcome, TriggerResult
from quell.core.ratings import rating_label
from quell.ui.common.dates import qdate
from quell.ui.common.style import mix, muted_color, small_font, track_color, warning_color

ADHERENCE_OUTCOMES = ("done", "snoozed", "skipped", "missed")


def _qdate_text(day: date, pattern: str) -> str:
    return QLocale().toString(qdate(day), pattern)


def nice_ceiling(value: float) -> float:
    """A round number at or above *value* for an axis top (1, 1.5, 2, ... 8 times a power of
    10), whose half, the labelled middle line, reads exactly with one decimal: 1.5 drinks would
    put "0.8" on the 0.75 line, so the top is 2 instead. Never below 1."""
    if value <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        top = step * power
        if value <= top and round(top / 2, 1) == top / 2:
            return float(top)
    return float(10 * power)


class ItemChart(QWidget):
    """Base for charts made of a row of items, with hover tooltips and arrow-key focus.

    Signals:
        item_focused(str): the focused item's description (keyboard or click).
    """

    item_focused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._focused: int | None = None

    # Subclasses provide these.
    def item_count(self) -> int:
        return 0

    def item_rect(self, index: int) -> QRectF:
        return QRectF()

    def item_text(self, index: int) -> str:
        return ""

    @property
    def focused_item(self) -> int | None:
        return self._focused

    def focus_item(self, index: int | None) -> None:
        count = self.item_count()
        if index is not None and count:
            index = max(0, min(count - 1, index))
        elif not count:
            index = None
        if index != self._focused:
            self._focused = index
            self.update()
        text = self.item_text(index) if index is not None else ""
        self.setAccessibleDescription(text)
        if text:
            self.item_focused.emit(text)

    def _item_at(self, point: QPointF) -> int | None:
        for index in range(self.item_count()):
            rect = self.item_rect(index)
            if rect.left() <= point.x() <= rect.right():
                return index
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            index = self._item_at(QPointF(event.pos()))
            if index is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.item_text(index), self)
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self._item_at(event.position())
        if index is not None:
            self.focus_item(index)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        count = self.item_count()
        current = self._focused if self._focused is not None else count - 1
        key = event.key()
        if key == Qt.Key.Key_Left:
            self.focus_item(current - 1)
        elif key == Qt.Key.Key_Right:
            self.focus_item(current + 1)
        elif key == Qt.Key.Key_Home:
            self.focus_item(0)
        elif key == Qt.Key.Key_End:
            self.focus_item(count - 1)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self._focused is None and self.item_count():
            self.focus_item(self.item_count() - 1)
        else:
            self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def _paint_focus(self, painter: QPainter) -> None:
        if not self.hasFocus() or self._focused is None:
            return
        rect = self.item_rect(self._focused).adjusted(-1.5, -1.5, 1.5, 1.5)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.WindowText), 1.2,
                            Qt.PenStyle.DotLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, 3, 3)

    def _axis_label(self, painter: QPainter, rect: QRectF, text: str,
                    align: Qt.AlignmentFlag) -> None:
        painter.setPen(muted_color(self.palette()))
        painter.drawText(rect, int(align) | int(Qt.TextFlag.TextDontClip), text)

    def _start_painting(self) -> tuple[QPainter, QColor]:
        """A smoothed painter in the axis labels' small font, and the grid lines' colour."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.setFont(small_font(self.font()))
        return painter, mix(palette.color(QPalette.ColorRole.Window), track_color(palette), 0.7)

    def _grid_line(self, painter: QPainter, colour: QColor, area: QRectF, y: float,
                   label: str | None = None, *, label_width: float = 0.0,
                   style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> None:
        """A line across *area* at *y*, and *label* right-aligned in the margin left of it."""
        painter.setPen(QPen(colour, 1, style))
        painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        if label is not None:
            self._axis_label(painter, QRectF(0, y - 8, label_width, 16), label,
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class WeeklyChart(ItemChart):
    """Average per day for each week, with the goal as a dashed line (a band for a range)."""

    LEFT, RIGHT, TOP, BOTTOM = 52, 12, 14, 20

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._spec: Habit | None = None
        self._bars: list[WeekBar] = []
        self._unit = "ml"
        self._top = 1.0
        self.setMinimumHeight(150)

    def sizeHint(self) -> QSize:
        return QSize(640, 170)

    def set_bars(self, spec: Habit, bars: Sequence[WeekBar], water_unit: str) -> None:
        self._spec, self._bars, self._unit = spec, list(bars), water_unit
        values = [b.value for b in bars if b.value is not None]
        marks = [v for b in bars[-1:] for v in (b.target, b.target_max) if v is not None]
        self._top = nice_ceiling(max([*values, *marks, 0.0]) * 1.1)
        self._focused = None
        self.setAccessibleDescription("")
        self.update()

    @property
    def bars(self) -> list[WeekBar]:
        return self._bars

    def item_count(self) -> int:
        return len(self._bars)

    def _left(self) -> float:
        if self._spec is None:
            return float(self.LEFT)
        metrics = QFontMetrics(small_font(self.font()))
        widest = max(metrics.horizontalAdvance(self._amount(self._top * step / 4))
                     for step in (0, 2, 4))
        return float(max(self.LEFT, widest + 12))

    def _plot(self) -> QRectF:
        left = self._left()
        return QRectF(left, self.TOP, max(10, self.width() - left - self.RIGHT),
                      max(10, self.height() - self.TOP - self.BOTTOM))

    def _slot(self) -> float:
        return self._plot().width() / max(1, len(self._bars))

    def item_rect(self, index: int) -> QRectF:
        plot, slot = self._plot(), self._slot()
        return QRectF(plot.left() + index * slot, plot.top(), slot, plot.height())

    def _y(self, value: float) -> float:
        plot = self._plot()
        return plot.bottom() - plot.height() * min(1.0, value / self._top)

    def _amount(self, value: float) -> str:
        assert self._spec is not None
        return formatting.amount(self._spec, value, self._unit)

    def item_text(self, index: int) -> str:
        bar = self._bars[index]
        week = self.tr("Week of {day}").format(day=_qdate_text(bar.start, "d MMM yyyy"))
        if bar.value is None:
            return self.tr("{week}: nothing logged").format(week=week)
        text = self.tr("{week}: {amount} a day on average").format(
            week=week, amount=self._amount(bar.value))
        goal = self._goal_text(bar)
        return f"{text} ({goal})" if goal else text

    def _goal_text(self, bar: WeekBar) -> str:
        spec = self._spec
        if spec is None or bar.target is None:
            return ""
        if spec.direction is Direction.RANGE and bar.target_max is not None:
            return self.tr("goal {low}–{high}").format(low=formatting.number(bar.target, 1),
                                                      high=self._amount(bar.target_max))
        if spec.direction is Direction.AT_MOST:
            return self.tr("limit {amount}").format(amount=self._amount(bar.target))
        return self.tr("goal {amount}").format(amount=self._amount(bar.target))

    def _good(self, bar: WeekBar) -> bool:
        spec = self._spec
        if spec is None or bar.value is None or bar.target is None:
            return True
        if spec.direction is Direction.AT_MOST:
            return bar.value <= bar.target
        if spec.direction is Direction.RANGE:
            return bar.target <= bar.value <= (bar.target_max or bar.value)
        return bar.value >= bar.target

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter, grid = self._start_painting()
        palette = self.palette()
        plot = self._plot()
        for step in range(0, 5):
            value = self._top * step / 4
            labelled = step % 2 == 0 and self._spec is not None
            self._grid_line(painter, grid, plot, self._y(value),
                            self._amount(value) if labelled else None,
                            label_width=plot.left() - 8)
        if not self._bars:
            painter.end()
            return
        last = self._bars[-1]
        accent = palette.color(QPalette.ColorRole.Highlight)
        if (self._spec is not None and self._spec.direction is Direction.RANGE
                and last.target is not None and last.target_max is not None):
            band = QRectF(plot.left(), self._y(last.target_max), plot.width(),
                          self._y(last.target) - self._y(last.target_max))
            painter.fillRect(band, mix(palette.color(QPalette.ColorRole.Window), accent, 0.1))
        slot = self._slot()
        width = max(2.0, min(22.0, slot * 0.62))
        soft = mix(track_color(palette), accent, 0.55)
        warm = mix(warning_color(palette), palette.color(QPalette.ColorRole.Window), 0.2)
        for index, bar in enumerate(self._bars):
            if bar.value is None or bar.value <= 0:
                continue
            x = plot.left() + index * slot + (slot - width) / 2
            top = self._y(bar.value)
            path = QPainterPath()
            path.addRoundedRect(QRectF(x, top, width, plot.bottom() - top), 2, 2)
            over_limit = (self._spec is not None and self._spec.direction is Direction.AT_MOST
                          and not self._good(bar))
            painter.fillPath(path, warm if over_limit else (accent if self._good(bar) else soft))
        # The goal in force now, over the whole chart (older goals are in the tooltips).
        line = QPen(palette.color(QPalette.ColorRole.WindowText), 1.2, Qt.PenStyle.DashLine)
        for goal_value in (last.target, last.target_max):
            if (goal_value is None or self._spec is None
                    or self._spec.direction is Direction.NONE):
                continue
            y = self._y(goal_value)
            painter.setPen(line)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        goal = self._goal_text(last)
        if goal and last.target is not None:
            y = self._y(last.target_max if last.target_max is not None else last.target)
            self._axis_label(painter, QRectF(plot.left(), y - 16, plot.width(), 14), goal,
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        # Month names under the first week of each month.
        previous_month = None
        for index, bar in enumerate(self._bars):
            month = (bar.start + timedelta(days=6)).month
            if month != previous_month and index > 0:
                x = plot.left() + index * slot
                self._axis_label(painter, QRectF(x, plot.bottom() + 3, 60, 16),
                                 QLocale().monthName(month, QLocale.FormatType.ShortFormat),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            previous_month = month
        self._paint_focus(painter)
        painter.end()


class TwitchChart(ItemChart):
    """Twitch episodes per day as bars, and each day's average intensity (1–5) as a dot."""

    LEFT, RIGHT, TOP, BOTTOM = 52, 12, 18, 20
    GAP = 30

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._days: list[TwitchDay] = []
        self._first = date(2000, 1, 1)
        self._count = 0
        self._top = 1.0
        self.setMinimumHeight(220)

    def sizeHint(self) -> QSize:
        return QSize(640, 240)

    def set_days(self, days: Sequence[TwitchDay], first_day: date, last_day: date) -> None:
        self._first = first_day
        self._count = (last_day - first_day).days + 1
        by_day = {d.day: d for d in days}
        self._days = [by_day.get(first_day + timedelta(days=i),
                                 TwitchDay(first_day + timedelta(days=i), 0, 0.0))
                      for i in range(self._count)]
        self._top = nice_ceiling(max((d.episodes for d in self._days), default=0) or 1)
        self._focused = None
        self.update()

    def item_count(self) -> int:
        return self._count

    def _areas(self) -> tuple[QRectF, QRectF]:
        width = max(10, self.width() - self.LEFT - self.RIGHT)
        height = max(20, self.height() - self.TOP - self.BOTTOM - self.GAP)
        bars = QRectF(self.LEFT, self.TOP, width, height * 0.68)
        dots = QRectF(self.LEFT, bars.bottom() + self.GAP, width, height * 0.32)
        return bars, dots

    def item_rect(self, index: int) -> QRectF:
        bars, dots = self._areas()
        slot = bars.width() / max(1, self._count)
        return QRectF(bars.left() + index * slot, bars.top(), slot, dots.bottom() - bars.top())

    def item_text(self, index: int) -> str:
        day = self._days[index]
        when = _qdate_text(day.day, "ddd d MMM yyyy")
        if not day.episodes:
            return self.tr("{day}: no twitches logged").format(day=when)
        return ngettext("{day}: {n} episode, intensity {mean} of 5",
                        "{day}: {n} episodes, average intensity {mean} of 5",
                        day.episodes).format(
            day=when, n=day.episodes, mean=formatting.number(day.mean_intensity, 1))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter, grid = self._start_painting()
        palette = self.palette()
        bars, dots = self._areas()
        accent = palette.color(QPalette.ColorRole.Highlight)
        for step in range(3):
            self._grid_line(painter, grid, bars, bars.bottom() - bars.height() * step / 2,
                            formatting.number(self._top * step / 2, 1),
                            label_width=self.LEFT - 6)
        for rating in (1, 3, 5):
            self._grid_line(painter, grid, dots, dots.bottom() - dots.height() * (rating - 1) / 4,
                            str(rating), label_width=self.LEFT - 6, style=Qt.PenStyle.DotLine)
        self._axis_label(painter, QRectF(bars.left(), bars.top() - 18, 300, 14),
                         self.tr("Episodes per day"),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._axis_label(painter, QRectF(dots.left(), dots.top() - 22, 300, 14),
                         self.tr("Average intensity (1–5)"),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        slot = bars.width() / max(1, self._count)
        width = max(1.5, min(10.0, slot * 0.7))
        dot = max(2.0, min(3.5, slot * 0.35))
        line = QPolygonF()
        for index, day in enumerate(self._days):
            if not day.episodes:
                continue
            x = bars.left() + index * slot + (slot - width) / 2
            height = bars.height() * min(1.0, day.episodes / self._top)
            path = QPainterPath()
            path.addRoundedRect(QRectF(x, bars.bottom() - height, width, height), 1.5, 1.5)
            painter.fillPath(path, accent)
            centre = QPointF(x + width / 2,
                             dots.bottom() - dots.height() * (day.mean_intensity - 1) / 4)
            line.append(centre)
        painter.setPen(QPen(mix(track_color(palette), accent, 0.5), 1))
        painter.drawPolyline(line)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.WindowText))
        for index in range(line.size()):
            painter.drawEllipse(line.at(index), dot, dot)
        previous = None
        for index, day in enumerate(self._days):
            if day.day.month != previous and (index > 0 or day.day.day == 1):
                x = bars.left() + index * slot
                self._axis_label(painter, QRectF(x, dots.bottom() + 3, 60, 16),
                                 QLocale().monthName(day.day.month,
                                                     QLocale.FormatType.ShortFormat),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            previous = day.day.month
        self._paint_focus(painter)
        painter.end()


def outcome_brushes(palette: QPalette, outcome: str) -> tuple[QColor, QBrush | None]:
    """A reminder outcome's fill and its overlay pattern, so outcomes differ by more than hue."""
    accent = palette.color(QPalette.ColorRole.Highlight)
    window = palette.color(QPalette.ColorRole.Window)
    if outcome == "done":
        return accent, None
    if outcome == "snoozed":
        return mix(window, accent, 0.45), QBrush(accent, Qt.BrushStyle.Dense6Pattern)
    if outcome == "skipped":
        return track_color(palette), QBrush(muted_color(palette), Qt.BrushStyle.HorPattern)
    return (mix(warning_color(palette), window, 0.3),
            QBrush(window, Qt.BrushStyle.BDiagPattern))


class HourChart(ItemChart):
    """Reminder outcomes by hour of the day as stacked bars (done at the bottom)."""

    LEFT, RIGHT, TOP, BOTTOM = 40, 12, 10, 20

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hours: list[HourOutcomes] = []
        self._top = 1.0
        self.setMinimumHeight(170)

    def sizeHint(self) -> QSize:
        return QSize(640, 190)

    def set_hours(self, hours: Sequence[HourOutcomes]) -> None:
        self._hours = list(hours)
        totals = [sum(h.counts.get(o, 0) for o in ADHERENCE_OUTCOMES) for h in self._hours]
        self._top = nice_ceiling(max(totals, default=0) or 1)
        self._focused = None
        self.update()

    def item_count(self) -> int:
        return len(self._hours)

    def _plot(self) -> QRectF:
        return QRectF(self.LEFT, self.TOP, max(10, self.width() - self.LEFT - self.RIGHT),
                      max(10, self.height() - self.TOP - self.BOTTOM))

    def item_rect(self, index: int) -> QRectF:
        plot = self._plot()
        slot = plot.width() / 24
        return QRectF(plot.left() + index * slot, plot.top(), slot, plot.height())

    def item_text(self, index: int) -> str:
        return hour_text(self._hours[index], self.tr)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter, grid = self._start_painting()
        palette = self.palette()
        plot = self._plot()
        for step in range(3):
            self._grid_line(painter, grid, plot, plot.bottom() - plot.height() * step / 2,
                            formatting.number(self._top * step / 2, 1),
                            label_width=self.LEFT - 6)
        slot = plot.width() / 24
        width = max(3.0, min(20.0, slot * 0.66))
        for index, hour in enumerate(self._hours):
            x = plot.left() + index * slot + (slot - width) / 2
            bottom = plot.bottom()
            for outcome in ADHERENCE_OUTCOMES:
                count = hour.counts.get(outcome, 0)
                if not count:
                    continue
                height = plot.height() * count / self._top
                rect = QRectF(x, bottom - height, width, height)
                fill, pattern = outcome_brushes(palette, outcome)
                painter.fillRect(rect, fill)
                if pattern is not None:
                    painter.fillRect(rect, pattern)
                bottom -= height
            if index % 3 == 0:
                self._axis_label(painter, QRectF(x - 10, plot.bottom() + 3, width + 20, 16),
                                 f"{index:02d}", Qt.AlignmentFlag.AlignHCenter
                                 | Qt.AlignmentFlag.AlignTop)
        self._paint_focus(painter)
        painter.end()


def hour_text(hour: HourOutcomes, tr: object) -> str:
    """'09:00–10:00: 12 done, 3 snoozed, 1 skipped, 0 missed (75 % done)'."""
    translate = tr if callable(tr) else str
    counts = hour.counts
    shown = sum(counts.get(o, 0) for o in ADHERENCE_OUTCOMES)
    span = f"{hour.hour:02d}:00–{(hour.hour + 1) % 24:02d}:00"
    if not shown:
        return translate("{span}: no reminders").format(span=span)
    done = counts.get("done", 0)
    return translate("{span}: {done} done, {snoozed} snoozed, {skipped} skipped, {missed} "
                     "missed ({share} % done)").format(
        span=span, done=done, snoozed=counts.get("snoozed", 0),
        skipped=counts.get("skipped", 0), missed=counts.get("missed", 0),
        share=round(100 * done / shown))


class Swatch(QWidget):
    """A legend square painted like the chart part it names."""

    def __init__(self, outcome: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._outcome = outcome
        self.setFixedSize(12, 12)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        fill, pattern = outcome_brushes(self.palette(), self._outcome)
        painter.fillRect(self.rect(), fill)
        if pattern is not None:
            painter.fillRect(self.rect(), pattern)
        painter.end()


class RatingChart(ItemChart):
    """The daily twitch rating (0–4) as bars, a day rated 0 as a short mark on the base line
    and a day without a rating left empty."""

    LEFT, RIGHT, TOP, BOTTOM = 52, 12, 22, 20

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ratings: list[int | None] = []
        self._first = date(2000, 1, 1)
        self.setMinimumHeight(180)

    def sizeHint(self) -> QSize:
        return QSize(640, 200)

    def set_ratings(self, ratings: Mapping[date, int], first_day: date, last_day: date
                    ) -> None:
        self._first = first_day
        count = (last_day - first_day).days + 1
        self._ratings = [ratings.get(first_day + timedelta(days=i)) for i in range(count)]
        self._focused = None
        self.update()

    def item_count(self) -> int:
        return len(self._ratings)

    def _area(self) -> QRectF:
        return QRectF(self.LEFT, self.TOP, max(10, self.width() - self.LEFT - self.RIGHT),
                      max(20, self.height() - self.TOP - self.BOTTOM))

    def item_rect(self, index: int) -> QRectF:
        area = self._area()
        slot = area.width() / max(1, len(self._ratings))
        return QRectF(area.left() + index * slot, area.top(), slot, area.height())

    def item_text(self, index: int) -> str:
        day = self._first + timedelta(days=index)
        when = _qdate_text(day, "ddd d MMM yyyy")
        rating = self._ratings[index]
        if rating is None:
            return self.tr("{day}: not rated").format(day=when)
        return self.tr("{day}: {n} of 4, {label}").format(
            day=when, n=rating, label=rating_label(rating).lower())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter, grid = self._start_painting()
        palette = self.palette()
        area = self._area()
        accent = palette.color(QPalette.ColorRole.Highlight)
        for value in (0, 2, 4):
            self._grid_line(painter, grid, area, area.bottom() - area.height() * value / 4,
                            str(value), label_width=self.LEFT - 6)
        self._axis_label(painter, QRectF(area.left(), area.top() - 20, 400, 14),
                         self.tr("How much twitching bothered you (0 not at all – 4 a lot)"),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        slot = area.width() / max(1, len(self._ratings))
        width = max(1.5, min(10.0, slot * 0.7))
        for index, rating in enumerate(self._ratings):
            if rating is None:
                continue
            x = area.left() + index * slot + (slot - width) / 2
            height = max(2.0, area.height() * rating / 4)
            path = QPainterPath()
            path.addRoundedRect(QRectF(x, area.bottom() - height, width, height), 1.5, 1.5)
            painter.fillPath(path, accent if rating else mix(track_color(palette), accent, 0.5))
        previous = None
        for index in range(len(self._ratings)):
            day = self._first + timedelta(days=index)
            if day.month != previous and (index > 0 or day.day == 1):
                self._axis_label(painter, QRectF(area.left() + index * slot, area.bottom() + 3,
                                                 60, 16),
                                 QLocale().monthName(day.month, QLocale.FormatType.ShortFormat),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            previous = day.month
        self._paint_focus(painter)
        painter.end()


class IntervalPlot(QWidget):
    """A trigger's effect and its 95 % interval: a rate ratio on a log scale from ⅕× to 5×
    with 1× marked, or a difference in mean rating on a scale from −3 to +3 points with 0
    marked."""

    LOW, HIGH = 0.2, 5.0
    POINTS = 3.0  # the rating scale's reach either side of 0
    _RATIO_TICKS = ((0.25, "¼×"), (0.5, "½×"), (1.0, "1×"), (2.0, "2×"), (4.0, "4×"))
    _POINT_TICKS = ((-2.0, "−2"), (-1.0, "−1"), (0.0, "0"), (1.0, "+1"), (2.0, "+2"))

    def __init__(self, result: TriggerResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._result = result
        self._points = result.outcome is Outcome.RATING
        self.setMinimumSize(200, 34)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(260, 36)

    def _x(self, value: float) -> float:
        if self._points:
            value = min(self.POINTS, max(-self.POINTS, value))
            share = (value + self.POINTS) / (2 * self.POINTS)
        else:
            value = min(self.HIGH, max(self.LOW, value))
            share = (math.log(value) - math.log(self.LOW)) / (math.log(self.HIGH)
                                                              - math.log(self.LOW))
        return 8 + (self.width() - 16) * share

    def paintEvent(self, _event: QPaintEvent) -> None:
        result = self._result
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        font = small_font(self.font())
        painter.setFont(font)
        mid = 12.0
        track = track_color(palette)
        painter.setPen(QPen(track, 1))
        ends = (-self.POINTS, self.POINTS) if self._points else (self.LOW, self.HIGH)
        painter.drawLine(QPointF(self._x(ends[0]), mid), QPointF(self._x(ends[1]), mid))
        metrics = QFontMetrics(font)
        none = 0.0 if self._points else 1.0  # where "no difference" lies
        for tick, label in self._POINT_TICKS if self._points else self._RATIO_TICKS:
            x = self._x(tick)
            painter.setPen(QPen(muted_color(palette) if tick == none else track,
                                1.2 if tick == none else 1))
            painter.drawLine(QPointF(x, mid - (8 if tick == none else 3)),
                             QPointF(x, mid + (8 if tick == none else 3)))
            painter.setPen(muted_color(palette))
            width = metrics.horizontalAdvance(label)
            painter.drawText(QPointF(x - width / 2, mid + 10 + metrics.ascent()), label)
        value = result.difference if self._points else result.rate_ratio
        if value is None or result.ci_low is None or result.ci_high is None:
            painter.end()
            return
        clear = result.evidence in (Evidence.MORE, Evidence.FEWER)
        colour = (palette.color(QPalette.ColorRole.Highlight) if clear
                  else mix(track, palette.color(QPalette.ColorRole.WindowText), 0.55))
        low, high = self._x(result.ci_low), self._x(result.ci_high)
        painter.setPen(QPen(colour, 2.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(QPointF(low, mid), QPointF(high, mid))
        for x in (low, high):
            painter.drawLine(QPointF(x, mid - 4), QPointF(x, mid + 4))
        x = self._x(value)
        diamond = QPolygonF([QPointF(x, mid - 6), QPointF(x + 6, mid), QPointF(x, mid + 6),
                             QPointF(x - 6, mid)])
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Window), 1.5))
        painter.setBrush(colour)
        painter.drawPolygon(diamond)
        painter.end()
