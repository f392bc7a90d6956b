"""The History window's Habits tab: one habit's year as a calendar, its streaks and strength,
its weekly averages, and days off."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QLocale, QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from quell.core import formatting
from quell.core.habits import Direction, Habit
from quell.core.history import (
    DAY_OFF_REASONS,
    HabitDay,
    Outcome,
    day_off_label,
    habit_days,
    logged_days,
    weekly_bars,
)
from quell.core.streaks import Strength, explain, streaks, strength
from quell.ui.common.dates import qdate
from quell.ui.common.style import InlineMessage, header_font, small_font
from quell.ui.history.charts import WeeklyChart
from quell.ui.history.heatmap import CellSwatch, HeatmapView, long_day_text
from quell.ui.history.widgets import (
    HistoryData,
    ScrollPage,
    StatTile,
    days_text,
    first_weekday,
    muted,
    section,
)
from quell.ui.services.background import USER_ERRORS

HABIT_KEY = Qt.ItemDataRole.UserRole
WEEKS_SHOWN = 26


class HabitsTab(QWidget):
    """The habits listed on the left; the chosen one's calendar, tiles and weeks on the right.

    *reload* re-reads the record now (after a day off was saved here).
    """

    def __init__(self, data: HistoryData, reload: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._reload = reload
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 12, 0, 0)
        row.setSpacing(16)
        self.habit_list = QListWidget()
        self.habit_list.setAccessibleName(self.tr("Habits"))
        self.habit_list.setFixedWidth(160)
        self.habit_list.setFrameShape(QFrame.Shape.NoFrame)
        self.habit_list.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.habit_list.setSpacing(1)
        self.habit_list.currentItemChanged.connect(self._habit_chosen)
        row.addWidget(self.habit_list)

        page = ScrollPage()
        content = page.content
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 8, 8)
        column.setSpacing(6)
        self.habit_title = QLabel()
        self.habit_title.setFont(header_font(self.font(), scale=1.35))
        self.habit_goal = muted(QLabel(), self.palette())
        column.addWidget(self.habit_title)
        column.addWidget(self.habit_goal)
        column.addSpacing(6)

        tiles = QHBoxLayout()
        tiles.setSpacing(10)
        self.current_tile = StatTile(self.tr("Current streak"))
        self.best_tile = StatTile(self.tr("Best streak"))
        self.strength_tile = StatTile(self.tr("Habit strength"))
        for tile in (self.current_tile, self.best_tile, self.strength_tile):
            tiles.addWidget(tile)
        column.addLayout(tiles)
        column.addSpacing(12)

        column.addWidget(section(self.tr("Last 12 months"), self))
        self.heatmap = HeatmapView()
        self.heatmap.setAccessibleName(self.tr("Calendar of the last 12 months"))
        self.heatmap.day_selected.connect(self._day_selected)
        column.addWidget(self.heatmap)
        column.addLayout(self._legend())

        day_row = QHBoxLayout()
        day_row.setSpacing(8)
        self.day_text = QLabel()
        self.day_text.setWordWrap(True)
        self.day_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.day_off_button = QToolButton()
        self.day_off_button.setText(self.tr("Mark as day off ▾"))
        self.day_off_button.setToolTip(self.tr(
            "Sick or on vacation: the day leaves score and streaks as they were"))
        self.day_off_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.day_off_button.setStyleSheet(
            "QToolButton::menu-indicator { image: none; width: 0; }")
        menu = QMenu(self.day_off_button)
        for key, _label in DAY_OFF_REASONS:
            action = menu.addAction(day_off_label(key).capitalize())
            action.triggered.connect(lambda _checked=False, k=key: self.mark_day_off(k))
        self.day_off_button.setMenu(menu)
        self.clear_off_button = QPushButton(self.tr("Not a day off"))
        self.clear_off_button.setAutoDefault(False)
        self.clear_off_button.clicked.connect(self.clear_day_off)
        day_row.addWidget(self.day_text, 1)
        day_row.addWidget(self.day_off_button)
        day_row.addWidget(self.clear_off_button)
        column.addLayout(day_row)
        # A day off that could not be saved says why here, next to where it was asked for.
        self.day_off_problem = InlineMessage(content)
        column.addWidget(self.day_off_problem)
        column.addSpacing(14)

        column.addWidget(section(self.tr("Average per day, week by week"), self))
        self.weekly_chart = WeeklyChart()
        self.weekly_chart.setAccessibleName(self.tr("Average per day, week by week"))
        self.weekly_note = muted(QLabel(), self.palette())
        self.weekly_note.setFont(small_font(self.font()))
        self.weekly_chart.item_focused.connect(self.weekly_note.setText)
        column.addWidget(self.weekly_chart)
        column.addWidget(self.weekly_note)
        column.addStretch(1)
        row.addWidget(page, 1)

    def _legend(self) -> QHBoxLayout:
        legend = QHBoxLayout()
        legend.setSpacing(5)
        legend.addStretch(1)
        entries = [
            (CellSwatch(Outcome.PARTIAL, 0.0), self.tr("nothing")),
            (CellSwatch(Outcome.PARTIAL, 0.5), self.tr("part way")),
            (CellSwatch(Outcome.MET, 1.0), self.tr("goal met")),
            (CellSwatch(Outcome.OVER, 1.0), self.tr("over the limit")),
            (CellSwatch(Outcome.DAY_OFF, 0.0), self.tr("day off")),
        ]
        for swatch, text in entries:
            label = muted(QLabel(text), self.palette())
            label.setFont(small_font(self.font()))
            legend.addWidget(swatch)
            legend.addWidget(label)
            legend.addSpacing(8)
        return legend

    def _habit_keys(self) -> list[str]:
        habits = self._data.habits
        enabled = [key for key in self._data.session.enabled_habits() if key in habits]
        # Switched-off (and archived) habits with history stay visible, after the enabled ones.
        rest = [h.key for h in habits if h.key not in enabled and self._data.totals.get(h.key)]
        return enabled + rest

    def fill(self) -> None:
        keys = self._habit_keys()
        current = self.selected_habit
        listed = [self.habit_list.item(i).data(HABIT_KEY)
                  for i in range(self.habit_list.count())]
        labels = [self._data.habits.get(key).label for key in keys]
        shown = [self.habit_list.item(i).text() for i in range(self.habit_list.count())]
        row = keys.index(current) if current in keys else 0
        # The list changes without announcing it: the habit is shown once, below.
        self.habit_list.blockSignals(True)
        if listed != keys or shown != labels:
            self.habit_list.clear()
            for key, label in zip(keys, labels, strict=True):
                item = QListWidgetItem(label)
                item.setData(HABIT_KEY, key)
                item.setSizeHint(QSize(0, 30))
                self.habit_list.addItem(item)
        self.habit_list.setCurrentRow(row)
        self.habit_list.blockSignals(False)
        self._show_habit(keys[row] if keys else None)

    @property
    def selected_habit(self) -> str | None:
        item = self.habit_list.currentItem()
        return str(item.data(HABIT_KEY)) if item is not None else None

    def select_habit(self, key: str) -> None:
        for index in range(self.habit_list.count()):
            if self.habit_list.item(index).data(HABIT_KEY) == key:
                self.habit_list.setCurrentRow(index)
                return

    def _habit_chosen(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None and self._data.loaded:
            self._show_habit(str(current.data(HABIT_KEY)))

    def habit_days(self, key: str) -> list[HabitDay]:
        """The habit judged day by day, from the first day anything was logged to today."""
        data = self._data
        today = data.today
        first = min(data.first_day or today, today)
        return habit_days(data.habits.get(key), data.totals.get(key, {}),
                          data.targets.get(key, []),
                          first, today, logged_days=logged_days(data.totals),
                          days_off=data.days_off, today=today)

    def _show_habit(self, key: str | None) -> None:
        if key is None:
            return
        spec = self._data.habits.get(key)
        unit = self._data.session.settings().water_unit
        days = self.habit_days(key)
        today = self._data.today
        self.habit_title.setText(spec.label)
        self.habit_goal.setText(self._goal_sentence(spec, days, unit))
        if spec.direction is Direction.NONE:
            logged = [d for d in days if d.total is not None]
            self.current_tile.caption.setText(self.tr("Days logged"))
            self.current_tile.set_value(str(len(logged)))
            self.best_tile.caption.setText(self.tr("Average when logged"))
            mean = (sum(d.total or 0.0 for d in logged) / len(logged)) if logged else None
            self.best_tile.set_value(formatting.amount(spec, mean, unit) if mean is not None
                                     else "–")
            self.strength_tile.hide()
        else:
            run = streaks(days)
            self.current_tile.caption.setText(self.tr("Current streak"))
            self.best_tile.caption.setText(self.tr("Best streak"))
            self.current_tile.set_value(
                days_text(run.current),
                self.tr("since {day}").format(day=_short_day(run.current_since))
                if run.current_since else self.tr("meet the goal to start one"))
            best_detail = (self.tr("{start} – {end}").format(
                start=_short_day(run.best_from), end=_short_day(run.best_to))
                if run.best_from and run.best_to else "")
            self.best_tile.set_value(days_text(run.best), best_detail)
            self.strength_tile.show()
            self._show_strength(strength(spec, days, water_unit=unit))
        self.heatmap.show_days(spec, days, today, unit, first_weekday())
        bars = weekly_bars(spec, days, first_weekday())[-WEEKS_SHOWN:]
        self.weekly_chart.set_bars(spec, bars, unit)
        self.weekly_note.setText(self.tr("Hover over a week, or focus the chart and use the "
                                         "arrow keys, to read its numbers."))
        self._day_selected(self.heatmap.current_day() or today)

    def _goal_sentence(self, spec: Habit, days: list[HabitDay], unit: str) -> str:
        last = days[-1] if days else None
        if spec.direction is Direction.NONE or last is None or last.target is None:
            return self.tr("Tracked without a goal.")
        amount = formatting.amount(spec, last.target, unit)
        if spec.direction is Direction.AT_MOST:
            return self.tr("Limit: at most {amount} a day.").format(amount=amount)
        if spec.direction is Direction.RANGE and last.target_max is not None:
            return self.tr("Goal: {low} to {high} a night.").format(
                low=formatting.amount(spec, last.target, unit),
                high=formatting.amount(spec, last.target_max, unit))
        return self.tr("Goal: at least {amount} a day.").format(amount=amount)

    def _show_strength(self, score: Strength) -> None:
        last = score.last_change
        detail = ""
        if last is not None and last.outcome.counts:
            change = last.change_points
            detail = (self.tr("▲ {n} on {day}") if change > 0 else
                      self.tr("▼ {n} on {day}") if change < 0 else
                      self.tr("no change on {day}")).format(
                n=abs(change), day=_short_day(last.day))
        elif last is not None:
            detail = self.tr("kept on {day}").format(day=_short_day(last.day))
        detail = self.tr("{change} · hover for why").format(change=detail) if detail else ""
        lines = [f"<b>{html.escape(self.tr('Habit strength: {n} %').format(n=score.percent))}"
                 "</b>", html.escape(self.tr("Why it changed lately:"))]
        plain = []
        for step in reversed(score.steps[-7:]):
            when = QLocale().toString(qdate(step.day), "ddd d MMM")
            line = self.tr("{day}: {before} → {after} % · {reason}").format(
                day=when, before=round(step.before * 100), after=round(step.after * 100),
                reason=step.reason)
            plain.append(line)
            lines.append("&nbsp;&nbsp;" + html.escape(line))
        lines.append(f"<i>{html.escape(explain(score))}</i>")
        tooltip = "<p style='white-space:pre'>" + "<br>".join(lines[:-1]) + "</p>" + (
            f"<p>{lines[-1]}</p>")
        self.strength_tile.set_value(self.tr("{n} %").format(n=score.percent), detail,
                                     tooltip, " ".join(plain[:3]))

    def _day_selected(self, day: date) -> None:
        model = self.heatmap.heatmap_model
        index = model.index_of(day)
        text = str(model.data(index, Qt.ItemDataRole.ToolTipRole) or long_day_text(day))
        self.day_text.setText(text)
        cell = model.habit_day(day)
        is_off = day in self._data.days_off
        self.day_off_button.setEnabled(cell is not None and not is_off)
        self.clear_off_button.setVisible(is_off)
        self.day_off_problem.clear_message()  # it was about the day shown before

    def mark_day_off(self, reason: str) -> bool:
        """Mark the day selected in the calendar as a day off (for every habit); False, with
        the reason shown in the window, when it could not be saved."""
        return self._change_day_off(True, reason)

    def clear_day_off(self) -> bool:
        """The selected day is a normal day again; False (and why) when it could not be saved."""
        return self._change_day_off(False)

    def _change_day_off(self, off: bool, reason: str = "") -> bool:
        day = self.heatmap.current_day()
        if day is None:
            return False
        # Through the session, so the Today window, the tray and the reminders hear of it.
        try:
            self._data.session.set_day_off(day, off, reason,
                                           store=self._data.history.mark_day_off)
        except USER_ERRORS as error:
            self.day_off_problem.show_message(str(error))
            return False
        self.day_off_problem.clear_message()
        self._reload()
        return True


def _short_day(day: date | None) -> str:
    if day is None:
        return ""
    return QLocale().toString(qdate(day), "d MMM yyyy")
