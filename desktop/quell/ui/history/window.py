"""The History & insights window: the frame around its tabs (habits over the year, twitches,
triggers and reminders), which it fills when shown and refreshes on changes."""

from __future__ import annotations

import enum

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from quell.core.history import HistoryReader
from quell.core.insights import Insights
from quell.ui.common.showing import bring_to_front
from quell.ui.common.wheel_guard import guard_wheel
from quell.ui.history.habits_tab import HabitsTab
from quell.ui.history.heatmap import HeatmapView
from quell.ui.history.insights_tab import InsightsTab
from quell.ui.history.reminders_tab import RemindersTab
from quell.ui.history.twitches_tab import TwitchesTab
from quell.ui.history.widgets import HistoryData
from quell.ui.services.session import Session


class HistoryTab(enum.Enum):
    """The window's tabs, for opening it on one (the tray, Today and the CLI ask by these)."""

    HABITS = "habits"
    TWITCHES = "twitches"
    INSIGHTS = "insights"
    REMINDERS = "reminders"


class HistoryWindow(QWidget):
    """History & insights, over the user's whole record.

    Built from the session (settings, the day, the habits, the ``changed`` signal) and a
    reader of the aggregate queries (storage's HistoryStore, built in app/). Each tab is
    filled the first time it is shown and re-filled on ``Session.changed`` while visible
    (cheaply, after the current event).
    """

    def __init__(self, session: Session, history: HistoryReader,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.data = HistoryData(session, history)
        self._stale_tabs: set[int] = set()
        self.setWindowTitle(self.tr("Quell — History & insights"))
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.resize(self.sizeHint())
        self.setMinimumSize(620, 480)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.habits_tab = HabitsTab(self.data, self._reload_now)
        self.twitches_tab = TwitchesTab(self.data)
        self.insights_tab = InsightsTab(self.data)
        self.reminders_tab = RemindersTab(self.data)
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

    @property
    def heatmap(self) -> HeatmapView:
        """The habits tab's calendar (the bench waits for its first paint)."""
        return self.habits_tab.heatmap

    # -- showing -------------------------------------------------------------------------

    def present(self, tab: HistoryTab | None = None) -> None:
        """Show the window in front, on *tab* (or on the tab it was on)."""
        if tab is not None:
            pages: dict[HistoryTab, QWidget] = {
                HistoryTab.HABITS: self.habits_tab, HistoryTab.TWITCHES: self.twitches_tab,
                HistoryTab.INSIGHTS: self.insights_tab, HistoryTab.REMINDERS: self.reminders_tab}
            # HistoryTab(...) also takes a tab's value ("insights") from older callers.
            self.tabs.setCurrentWidget(pages[HistoryTab(tab)])
        bring_to_front(self)

    def showEvent(self, event: QShowEvent) -> None:
        if not self.data.loaded:
            self.refresh()
        super().showEvent(event)

    def data_changed(self) -> None:
        """Reload soon if visible, else when next shown (connect any "data changed" signal)."""
        if self.isVisible():
            self._refresh_timer.start()
        else:
            self.data.loaded = False

    def refresh(self) -> None:
        """Re-read the data and re-fill the visible tab (the others when next shown)."""
        self.data.reload()
        self._stale_tabs = set(range(self.tabs.count()))
        self._fill_tab(self.tabs.currentIndex())

    def _reload_now(self) -> None:
        self.refresh()
        self._refresh_timer.stop()  # just re-read: the change's own refresh is not needed

    def _tab_changed(self, index: int) -> None:
        if self.data.loaded:
            self._fill_tab(index)

    def _fill_tab(self, index: int) -> None:
        if index not in self._stale_tabs:
            return
        self._stale_tabs.discard(index)
        page = self.tabs.widget(index)
        if isinstance(page, HabitsTab | TwitchesTab | InsightsTab | RemindersTab):
            page.fill()

    def insights(self) -> Insights:
        return self.data.insights()
