"""The History & insights window: habits over the year, twitches, triggers and reminders."""

from __future__ import annotations

import html
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QLocale, QSize, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QPalette, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QToolTip,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quell.core import formatting
from quell.core.entries import Target
from quell.core.errors import InputError
from quell.core.habits import HABITS, Direction, Habit, habit
from quell.core.history import (
    DAY_OFF_REASONS,
    HabitDay,
    Outcome,
    day_off_label,
    habit_days,
    logged_days,
    weekly_bars,
)
from quell.core.i18n import ngettext
from quell.core.insights import Insights, TriggerResult, caution, compute
from quell.core.streaks import Strength, explain, streaks, strength
from quell.storage.database import StorageError
from quell.storage.history_store import HistoryStore
from quell.ui.common.style import (
    InlineMessage,
    bold_font,
    header_font,
    muted_color,
    set_text_color,
    small_font,
)
from quell.ui.common.wheel_guard import guard_wheel
from quell.ui.history.charts import (
    ADHERENCE_OUTCOMES,
    HourChart,
    IntervalPlot,
    Swatch,
    TwitchChart,
    WeeklyChart,
    hour_text,
)
from quell.ui.history.heatmap import CellSwatch, HeatmapView, long_day_text, qdate
from quell.ui.services.session import Session

HABIT_KEY = Qt.ItemDataRole.UserRole
WEEKS_SHOWN = 26


def _muted(label: QLabel, palette: QPalette) -> QLabel:
    set_text_color(label, muted_color(palette))
    return label


def _compact(tree: QTreeWidget) -> None:
    """A read-only table as tall as its rows, columns as wide as their contents."""
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    tree.header().setStretchLastSection(False)
    tree.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    tree.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


def _fit_rows(tree: QTreeWidget, most: int = 14) -> None:
    rows = min(most, max(1, tree.topLevelItemCount()))
    row_height = tree.sizeHintForRow(0) if tree.topLevelItemCount() else 20
    tree.setFixedHeight(tree.header().sizeHint().height() + rows * row_height
                        + 2 * tree.frameWidth() + 2)
    tree.setMaximumWidth(tree.header().length() + 2 * tree.frameWidth()
                         + tree.verticalScrollBar().sizeHint().width() + 4)


def _scroll(content: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(content)
    scroll.viewport().setAutoFillBackground(False)
    content.setAutoFillBackground(False)
    return scroll


class StatTile(QFrame):
    """A number with its caption ('12 days' over 'Current streak'); focusable, so its
    tooltip and description reach keyboard and screen-reader users too."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        column.setSpacing(0)
        self.value = QLabel()
        self.value.setFont(header_font(self.font(), scale=1.5))
        self.caption = QLabel(caption)
        self.caption.setFont(small_font(self.font()))
        _muted(self.caption, self.palette())
        self.detail = QLabel()
        self.detail.setFont(small_font(self.font()))
        _muted(self.detail, self.palette())
        column.addWidget(self.caption)
        column.addWidget(self.value)
        column.addWidget(self.detail)
        self._caption = caption

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The tooltip holds the "why": Space or Enter shows it without a mouse.
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                self.toolTip()):
            QToolTip.showText(self.mapToGlobal(self.rect().bottomLeft()), self.toolTip(), self)
            return
        super().keyPressEvent(event)

    def set_value(self, value: str, detail: str = "", tooltip: str = "",
                  description: str = "") -> None:
        self.value.setText(value)
        # Kept even when empty, so the tiles in a row stay the same height.
        self.detail.setText(detail or " ")
        self.setToolTip(tooltip)
        self.setAccessibleName(f"{self._caption}: {value}")
        self.setAccessibleDescription(description or detail)


class HistoryWindow(QWidget):
    """History & insights, over the user's whole record.

    Built from the session (settings, the day, the ``changed`` signal) and a HistoryStore for
    the aggregate queries. Each tab is filled the first time it is shown and re-filled on
    ``Session.changed`` while visible (cheaply, after the current event).
    """

    def __init__(self, session: Session, history: HistoryStore,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._history = history
        self._totals: dict[str, dict[date, float]] = {}
        self._targets: dict[str, list[Target]] = {}
        self._days_off: dict[date, str] = {}
        self._first_day: date | None = None
        self._stale_tabs: set[int] = set()
        self._loaded = False
        self._insights: Insights | None = None
        self.setWindowTitle(self.tr("Quell — History & insights"))
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.resize(self.sizeHint())
        self.setMinimumSize(620, 480)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.habits_tab = self._build_habits_tab()
        self.twitches_tab = self._build_twitches_tab()
        self.insights_tab = self._build_insights_tab()
        self.reminders_tab = self._build_reminders_tab()
        self.tabs.addTab(self.habits_tab, self.tr("&Habits"))
        self.tabs.addTab(self.twitches_tab, self.tr("T&witches"))
        self.tabs.addTab(self.insights_tab, self.tr("&Insights"))
        self.tabs.addTab(self.reminders_tab, self.tr("&Reminders"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)
        session.changed.connect(self.data_changed)
        session.settings_changed.connect(self.data_changed)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        guard_wheel(self)

    def sizeHint(self) -> QSize:
        return QSize(1040, 760)

    # -- showing -------------------------------------------------------------------------

    def present(self, tab: str | None = None) -> None:
        """Show the window in front, on *tab* ('habits', 'twitches', 'insights', 'reminders')."""
        if tab is not None:
            pages = {"habits": self.habits_tab, "twitches": self.twitches_tab,
                     "insights": self.insights_tab, "reminders": self.reminders_tab}
            self.tabs.setCurrentWidget(pages[tab])
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()

    def showEvent(self, event: QShowEvent) -> None:
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def data_changed(self) -> None:
        """Reload soon if visible, else when next shown (connect any "data changed" signal)."""
        if self.isVisible():
            self._refresh_timer.start()
        else:
            self._loaded = False

    def refresh(self) -> None:
        """Re-read the data and re-fill the visible tab (the others when next shown)."""
        history = self._history
        self._totals = history.daily_totals()
        self._targets = history.target_history()
        self._days_off = history.days_off()
        self._first_day = history.first_day()
        self._insights = None
        self._loaded = True
        self._stale_tabs = set(range(self.tabs.count()))
        self._fill_tab(self.tabs.currentIndex())

    def _tab_changed(self, index: int) -> None:
        if self._loaded:
            self._fill_tab(index)

    def _fill_tab(self, index: int) -> None:
        if index not in self._stale_tabs:
            return
        self._stale_tabs.discard(index)
        page = self.tabs.widget(index)
        if page is self.habits_tab:
            self._fill_habits()
        elif page is self.twitches_tab:
            self._fill_twitches()
        elif page is self.insights_tab:
            self._fill_insights()
        elif page is self.reminders_tab:
            self._fill_reminders()

    @property
    def today(self) -> date:
        return self._session.current_day()

    def _first_weekday(self) -> int:
        return int(QLocale().firstDayOfWeek().value) - 1

    # -- habits --------------------------------------------------------------------------

    def _build_habits_tab(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
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

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 8, 8)
        column.setSpacing(6)
        self.habit_title = QLabel()
        self.habit_title.setFont(header_font(self.font(), scale=1.35))
        self.habit_goal = _muted(QLabel(), self.palette())
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

        column.addWidget(self._section(self.tr("Last 12 months")))
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

        column.addWidget(self._section(self.tr("Average per day, week by week")))
        self.weekly_chart = WeeklyChart()
        self.weekly_chart.setAccessibleName(self.tr("Average per day, week by week"))
        self.weekly_note = _muted(QLabel(), self.palette())
        self.weekly_note.setFont(small_font(self.font()))
        self.weekly_chart.item_focused.connect(self.weekly_note.setText)
        column.addWidget(self.weekly_chart)
        column.addWidget(self.weekly_note)
        column.addStretch(1)
        row.addWidget(_scroll(content), 1)
        return page

    def _section(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setFont(bold_font(self.font()))
        return label

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
            label = _muted(QLabel(text), self.palette())
            label.setFont(small_font(self.font()))
            legend.addWidget(swatch)
            legend.addWidget(label)
            legend.addSpacing(8)
        return legend

    def _habit_keys(self) -> list[str]:
        enabled = self._session.enabled_habits()
        # Switched-off habits with history stay visible, after the enabled ones.
        rest = [h.key for h in HABITS if h.key not in enabled and self._totals.get(h.key)]
        return enabled + rest

    def _fill_habits(self) -> None:
        keys = self._habit_keys()
        current = self.selected_habit
        listed = [self.habit_list.item(i).data(HABIT_KEY)
                  for i in range(self.habit_list.count())]
        if listed != keys:
            self.habit_list.blockSignals(True)
            self.habit_list.clear()
            for key in keys:
                item = QListWidgetItem(habit(key).label)
                item.setData(HABIT_KEY, key)
                item.setSizeHint(QSize(0, 30))
                self.habit_list.addItem(item)
            self.habit_list.blockSignals(False)
        row = keys.index(current) if current in keys else 0
        self.habit_list.setCurrentRow(row)
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
        if current is not None and self._loaded:
            self._show_habit(str(current.data(HABIT_KEY)))

    def habit_days(self, key: str) -> list[HabitDay]:
        """The habit judged day by day, from the first day anything was logged to today."""
        today = self.today
        first = min(self._first_day or today, today)
        return habit_days(habit(key), self._totals.get(key, {}), self._targets.get(key, []),
                          first, today, logged_days=self._logged_days(),
                          days_off=self._days_off, today=today)

    def _logged_days(self) -> set[date]:
        return logged_days(self._totals)

    def _show_habit(self, key: str | None) -> None:
        if key is None:
            return
        spec = habit(key)
        unit = self._session.settings().water_unit
        days = self.habit_days(key)
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
                self._days_text(run.current),
                self.tr("since {day}").format(day=self._short_day(run.current_since))
                if run.current_since else self.tr("meet the goal to start one"))
            best_detail = (self.tr("{start} – {end}").format(
                start=self._short_day(run.best_from), end=self._short_day(run.best_to))
                if run.best_from and run.best_to else "")
            self.best_tile.set_value(self._days_text(run.best), best_detail)
            self.strength_tile.show()
            self._show_strength(strength(spec, days, water_unit=unit))
        self.heatmap.show_days(spec, days, self.today, unit, self._first_weekday())
        bars = weekly_bars(spec, days, self._first_weekday())[-WEEKS_SHOWN:]
        self.weekly_chart.set_bars(spec, bars, unit)
        self.weekly_note.setText(self.tr("Hover over a week, or focus the chart and use the "
                                         "arrow keys, to read its numbers."))
        self._day_selected(self.heatmap.current_day() or self.today)

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

    def _days_text(self, count: int) -> str:
        return self.tr("1 day") if count == 1 else self.tr("{n} days").format(n=count)

    @staticmethod
    def _short_day(day: date | None) -> str:
        if day is None:
            return ""
        return QLocale().toString(qdate(day), "d MMM yyyy")

    def _show_strength(self, score: Strength) -> None:
        last = score.last_change
        detail = ""
        if last is not None and last.outcome.counts:
            change = last.change_points
            detail = (self.tr("▲ {n} on {day}") if change > 0 else
                      self.tr("▼ {n} on {day}") if change < 0 else
                      self.tr("no change on {day}")).format(
                n=abs(change), day=self._short_day(last.day))
        elif last is not None:
            detail = self.tr("kept on {day}").format(day=self._short_day(last.day))
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
        is_off = day in self._days_off
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
            self._session.set_day_off(day, off, reason, store=self._history.mark_day_off)
        except (InputError, StorageError) as error:
            self.day_off_problem.show_message(str(error))
            return False
        self.day_off_problem.clear_message()
        self.refresh()
        self._refresh_timer.stop()  # just re-read: the change's own refresh is not needed
        return True

    # -- twitches ------------------------------------------------------------------------

    def _build_twitches_tab(self) -> QWidget:
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(4, 12, 8, 8)
        column.setSpacing(8)
        top = QHBoxLayout()
        self.twitch_summary = QLabel()
        self.twitch_summary.setWordWrap(True)
        self.twitch_summary.setFont(header_font(self.font(), scale=1.1))
        self.twitch_period = QComboBox()
        self.twitch_period.setAccessibleName(self.tr("Period"))
        for days, text in ((91, self.tr("Last 3 months")), (365, self.tr("Last 12 months")),
                           (0, self.tr("All time"))):
            self.twitch_period.addItem(text, days)
        self.twitch_period.currentIndexChanged.connect(lambda _i: self._fill_twitches())
        top.addWidget(self.twitch_summary, 1)
        top.addWidget(self.twitch_period)
        column.addLayout(top)
        self.twitch_chart = TwitchChart()
        self.twitch_chart.setAccessibleName(self.tr("Twitch episodes per day"))
        self.twitch_note = _muted(QLabel(), self.palette())
        self.twitch_note.setFont(small_font(self.font()))
        self.twitch_chart.item_focused.connect(self.twitch_note.setText)
        column.addWidget(self.twitch_chart)
        column.addWidget(self.twitch_note)
        column.addSpacing(8)
        column.addWidget(self._section(self.tr("Body areas")))
        self.area_list = QTreeWidget()
        self.area_list.setHeaderLabels([self.tr("Area"), self.tr("Episodes"),
                                        self.tr("Share"), self.tr("Average intensity"),
                                        self.tr("Last logged")])
        _compact(self.area_list)
        column.addWidget(self.area_list)
        self.twitch_empty = _muted(QLabel(self.tr(
            "No twitches logged yet. Log one from the tray menu or with "
            "“quell twitch eyelid”; after a few weeks you will see here how they come and "
            "go.")), self.palette())
        self.twitch_empty.setWordWrap(True)
        column.addWidget(self.twitch_empty)
        column.addStretch(1)
        return _scroll(content)

    def _twitch_range(self) -> tuple[date | None, date]:
        today = self.today
        days = int(self.twitch_period.currentData() or 0)
        if days:
            return today - timedelta(days=days - 1), today
        return None, today

    def _fill_twitches(self) -> None:
        first, last = self._twitch_range()
        days = self._history.twitch_days(first, last)
        areas = self._history.twitch_areas(first, last)
        chart_first = first or (days[0].day if days else last - timedelta(days=90))
        self.twitch_chart.set_days(days, chart_first, last)
        episodes = sum(d.episodes for d in days)
        has_any = bool(episodes)
        self.twitch_empty.setVisible(not has_any)
        self.area_list.setVisible(has_any)
        if has_any:
            mean = sum(d.mean_intensity * d.episodes for d in days) / episodes
            self.twitch_summary.setText(ngettext(
                "{n} episode on {d} of {total} days · intensity {mean} of 5",
                "{n} episodes on {d} of {total} days · average intensity {mean} of 5",
                episodes).format(
                n=formatting.number(episodes), d=len(days),
                total=(last - chart_first).days + 1, mean=formatting.number(mean, 1)))
        else:
            self.twitch_summary.setText(self.tr("No twitches in this period"))
        self.twitch_note.setText(self.tr("Hover over a day, or focus the chart and use the "
                                         "arrow keys, to read its numbers."))
        self.area_list.clear()
        for area in areas:
            share = round(100 * area.episodes / episodes) if episodes else 0
            item = QTreeWidgetItem([
                _area_label(area.area), formatting.number(area.episodes),
                f"{share} %", formatting.number(area.mean_intensity, 1),
                QLocale().toString(qdate(area.last_day), "d MMM yyyy")])
            for column in (1, 2, 3):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            self.area_list.addTopLevelItem(item)
        _fit_rows(self.area_list)

    # -- insights ------------------------------------------------------------------------

    def _build_insights_tab(self) -> QWidget:
        content = QWidget()
        self.insights_column = QVBoxLayout(content)
        self.insights_column.setContentsMargins(4, 12, 12, 12)
        self.insights_column.setSpacing(10)
        title = QLabel(self.tr("What goes with your twitches"))
        title.setFont(header_font(self.font(), scale=1.25))
        self.insights_summary = _muted(QLabel(), self.palette())
        self.insights_summary.setWordWrap(True)
        caution_box = QFrame()
        caution_box.setFrameShape(QFrame.Shape.StyledPanel)
        caution_box.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        caution_box.setAutoFillBackground(True)
        caution_row = QHBoxLayout(caution_box)
        caution_row.setContentsMargins(10, 6, 10, 6)
        self.caution_label = QLabel(caution())
        self.caution_label.setWordWrap(True)
        caution_row.addWidget(self.caution_label)
        self.insights_column.addWidget(title)
        self.insights_column.addWidget(self.insights_summary)
        self.insights_column.addWidget(caution_box)
        self.insight_cards = QVBoxLayout()
        self.insight_cards.setSpacing(8)
        self.insights_column.addLayout(self.insight_cards)
        self.insights_column.addStretch(1)
        return _scroll(content)

    def insights(self) -> Insights:
        if self._insights is None:
            self._insights = compute(self._totals, self._targets, self._history.twitch_counts())
        return self._insights

    def _fill_insights(self) -> None:
        insights = self.insights()
        self.insights_summary.setText(self.tr(
            "Based on {days} with entries and {episodes}. Each trigger "
            "compares twitches per day on days with it and without it; the strongest evidence "
            "of more twitches comes first.").format(
            days=ngettext("{n} day", "{n} days", insights.days_considered).format(
                n=formatting.number(insights.days_considered)),
            episodes=ngettext("{n} twitch episode", "{n} twitch episodes",
                              insights.episodes).format(n=formatting.number(insights.episodes))))
        while self.insight_cards.count():
            item = self.insight_cards.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        ready = [t for t in insights.triggers if t.enough_data]
        waiting = [t for t in insights.triggers if not t.enough_data]
        for rank, result in enumerate(ready, start=1):
            self.insight_cards.addWidget(self._insight_card(rank, result))
        if waiting:
            heading = self._section(self.tr("Not enough data yet"))
            self.insight_cards.addSpacing(6)
            self.insight_cards.addWidget(heading)
            note = _muted(QLabel(self.tr(
                "Each comparison needs at least 7 days with the trigger and 7 without. Keep "
                "logging and these fill in.")), self.palette())
            note.setWordWrap(True)
            self.insight_cards.addWidget(note)
            for result in waiting:
                self.insight_cards.addWidget(self._waiting_row(result))

    def _insight_card(self, rank: int, result: TriggerResult) -> QWidget:
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setObjectName(f"insight-{result.key}")
        row = QHBoxLayout(card)
        row.setContentsMargins(12, 10, 12, 10)
        row.setSpacing(16)
        text = QVBoxLayout()
        text.setSpacing(3)
        name = QLabel(f"{rank}. {result.name}")
        name.setFont(bold_font(self.font()))
        sentence = QLabel(result.sentence)
        sentence.setWordWrap(True)
        sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        certainty = _muted(QLabel(result.certainty), self.palette())
        certainty.setWordWrap(True)
        certainty.setFont(small_font(self.font()))
        text.addWidget(name)
        text.addWidget(sentence)
        text.addWidget(certainty)
        row.addLayout(text, 1)
        figure = QVBoxLayout()
        figure.setSpacing(0)
        ratio = QLabel(self.tr("{ratio}×").format(
            ratio=formatting.number(result.rate_ratio or 0.0, 1)))
        ratio.setFont(header_font(self.font(), scale=1.2))
        ratio.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        ratio.setToolTip(self.tr("Twitches per day with the trigger, divided by twitches per "
                                 "day without it"))
        plot = IntervalPlot(result)
        plot.setFixedWidth(300)
        plot.setAccessibleName(self.tr("Rate ratio and 95 % range for {name}").format(
            name=result.name))
        plot.setAccessibleDescription(f"{result.sentence} {result.certainty}")
        plot.setToolTip(self.tr("The diamond is the rate ratio; the line its 95 % range. "
                                "Right of 1× means more twitches on days with the trigger."))
        figure.addWidget(ratio)
        figure.addWidget(plot)
        row.addLayout(figure)
        card.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        card.setAccessibleName(result.name)
        card.setAccessibleDescription(f"{result.sentence} {result.certainty}")
        return card

    def _waiting_row(self, result: TriggerResult) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        name = QLabel(result.name)
        name.setMinimumWidth(200)
        text = _muted(QLabel(self.tr("{with_} with · {without} without").format(
            with_=self._days_text(result.days_with),
            without=self._days_text(result.days_without))), self.palette())
        line.addWidget(name)
        line.addWidget(text, 1)
        row.setObjectName(f"waiting-{result.key}")
        row.setAccessibleName(f"{result.name}: {result.sentence}")
        return row

    # -- reminders -----------------------------------------------------------------------

    def _build_reminders_tab(self) -> QWidget:
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(4, 12, 8, 8)
        column.setSpacing(8)
        self.reminder_summary = QLabel()
        self.reminder_summary.setFont(header_font(self.font(), scale=1.1))
        self.reminder_summary.setWordWrap(True)
        column.addWidget(self.reminder_summary)
        column.addWidget(_muted(QLabel(self.tr(
            "When reminders fell due, by hour of the day, and what you did with them.")),
            self.palette()))
        self.hour_chart = HourChart()
        self.hour_chart.setAccessibleName(self.tr("Reminder outcomes by hour of day"))
        column.addWidget(self.hour_chart)
        legend = QHBoxLayout()
        legend.setSpacing(5)
        names = {"done": self.tr("done"), "snoozed": self.tr("snoozed"),
                 "skipped": self.tr("skipped"), "missed": self.tr("missed")}
        for outcome in ADHERENCE_OUTCOMES:
            legend.addWidget(Swatch(outcome))
            label = QLabel(names[outcome])
            label.setFont(small_font(self.font()))
            legend.addWidget(label)
            legend.addSpacing(10)
        legend.addStretch(1)
        column.addLayout(legend)
        self.hour_note = _muted(QLabel(), self.palette())
        self.hour_note.setFont(small_font(self.font()))
        self.hour_chart.item_focused.connect(self.hour_note.setText)
        column.addWidget(self.hour_note)
        self.hour_list = QTreeWidget()
        self.hour_list.setHeaderLabels([self.tr("Hour"), self.tr("Done"), self.tr("Snoozed"),
                                        self.tr("Skipped"), self.tr("Missed"),
                                        self.tr("Share done")])
        _compact(self.hour_list)
        column.addWidget(self.hour_list)
        column.addStretch(1)
        return _scroll(content)

    def _fill_reminders(self) -> None:
        hours = self._history.reminder_outcomes_by_hour()
        self.hour_chart.set_hours(hours)
        total = sum(sum(h.counts.get(o, 0) for o in ADHERENCE_OUTCOMES) for h in hours)
        done = sum(h.counts.get("done", 0) for h in hours)
        if total:
            self.reminder_summary.setText(ngettext(
                "{done} of {total} reminder done ({share} %)",
                "{done} of {total} reminders done ({share} %)", total).format(
                done=formatting.number(done), total=formatting.number(total),
                share=round(100 * done / total)))
        else:
            self.reminder_summary.setText(self.tr(
                "No reminders yet: once they run, you will see here which hours work for you."))
        self.hour_note.setText(self.tr("Hover over an hour, or focus the chart and use the "
                                       "arrow keys, to read its numbers."))
        self.hour_list.clear()
        for hour in hours:
            counts = hour.counts
            shown = sum(counts.get(o, 0) for o in ADHERENCE_OUTCOMES)
            if not shown:
                continue
            item = QTreeWidgetItem(
                [f"{hour.hour:02d}:00"]
                + [str(counts.get(o, 0)) for o in ADHERENCE_OUTCOMES]
                + [f"{round(100 * counts.get('done', 0) / shown)} %"])
            item.setToolTip(0, hour_text(hour, self.tr))
            for column in range(1, 6):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            self.hour_list.addTopLevelItem(item)
        _fit_rows(self.hour_list)
        self.hour_list.setVisible(bool(total))


def _area_label(area: str) -> str:
    """A body area's name in the user's language."""
    def tr(text: str) -> str:
        return QCoreApplication.translate("history", text)

    names = {"eyelid": tr("Eyelid"), "face": tr("Face"), "neck": tr("Neck"),
             "shoulder": tr("Shoulder"), "arm": tr("Arm"), "hand": tr("Hand"),
             "chest": tr("Chest"), "back": tr("Back"), "abdomen": tr("Abdomen"),
             "thigh": tr("Thigh"), "calf": tr("Calf"), "foot": tr("Foot"), "other": tr("Other")}
    return names.get(area, area)
