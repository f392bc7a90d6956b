"""What the History window's tabs share: the record they read, and their small pieces (stat
tiles, section titles, compact tables, scrolling pages)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolTip,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from quell.core.entries import Target
from quell.core.habits import HabitCatalog
from quell.core.history import HistoryReader
from quell.core.insights import Insights, compute
from quell.ui.common.style import bold_font, header_font, muted_color, set_text_color, small_font
from quell.ui.services.session import Session


class HistoryData:
    """The user's record as the tabs read it: re-read once per refresh, shared by every tab.

    Built from the session (settings, the day, the habits) and a reader for the aggregate
    queries (storage's HistoryStore). ``habits`` is the catalog read with the rest: the
    built-ins and the user's own, whose totals, calendars and insight triggers are shown like
    the built-ins'.
    """

    def __init__(self, session: Session, history: HistoryReader) -> None:
        self.session = session
        self.history = history
        self.habits = HabitCatalog()
        self.totals: dict[str, dict[date, float]] = {}
        self.targets: dict[str, list[Target]] = {}
        self.days_off: dict[date, str] = {}
        self.first_day: date | None = None
        # False until read, and again after a change while the window was hidden.
        self.loaded = False
        self._insights: Insights | None = None

    def reload(self) -> None:
        history = self.history
        self.habits = self.session.habits()
        self.totals = history.daily_totals(catalog=self.habits)
        self.targets = history.target_history()
        self.days_off = history.days_off()
        self.first_day = history.first_day()
        self._insights = None
        self.loaded = True

    @property
    def today(self) -> date:
        return self.session.current_day()

    def insights(self) -> Insights:
        if self._insights is None:
            ratings = self.history.twitch_ratings() if self.history.has_ratings() else None
            self._insights = compute(self.totals, self.targets, self.history.twitch_counts(),
                                     self.habits, ratings=ratings)
        return self._insights


def first_weekday() -> int:
    return int(QLocale().firstDayOfWeek().value) - 1


def muted(label: QLabel, palette: QPalette) -> QLabel:
    set_text_color(label, muted_color(palette))
    return label


def section(text: str, font_of: QWidget) -> QLabel:
    label = QLabel(text)
    label.setFont(bold_font(font_of.font()))
    return label


def compact(tree: QTreeWidget) -> None:
    """A read-only table as tall as its rows, columns as wide as their contents."""
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    tree.header().setStretchLastSection(False)
    tree.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    tree.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


def fit_rows(tree: QTreeWidget, most: int = 14) -> None:
    rows = min(most, max(1, tree.topLevelItemCount()))
    row_height = tree.sizeHintForRow(0) if tree.topLevelItemCount() else 20
    tree.setFixedHeight(tree.header().sizeHint().height() + rows * row_height
                        + 2 * tree.frameWidth() + 2)
    tree.setMaximumWidth(tree.header().length() + 2 * tree.frameWidth()
                         + tree.verticalScrollBar().sizeHint().width() + 4)


class ScrollPage(QScrollArea):
    """A tab whose content (``self.content``) scrolls, on the window's own background."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        content = QWidget()
        self.content = content
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(content)
        self.viewport().setAutoFillBackground(False)
        content.setAutoFillBackground(False)


def days_text(count: int) -> str:
    """'1 day', '12 days'."""
    if count == 1:
        return QCoreApplication.translate("history", "1 day")
    return QCoreApplication.translate("history", "{n} days").format(n=count)


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
        muted(self.caption, self.palette())
        self.detail = QLabel()
        self.detail.setFont(small_font(self.font()))
        muted(self.detail, self.palette())
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
