"""The brief "Logged 250 ml of water — Undo" that confirms a log made from the tray or a menu.

A log made in one click from a menu has no window to show it; without a word back the user
cannot tell whether it counted, or take back a slip. The toast says what was logged, offers
Undo for a few seconds, and never takes the keyboard focus from what the user is doing (near
the tray it is a frameless window that does not activate; in the main window it is a bar that
Tab reaches). The tray menu's "Undo: …" stays for keyboard users after it has gone.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QEnterEvent, QGuiApplication, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from quell.core import formatting
from quell.core.entries import Entry
from quell.core.habits import Habit, Kind, find_habit
from quell.ui.common.undo_bar import undo_controls

TOAST_SECONDS = 6
MARGIN = 8
_PANEL = 96  # how far outside the available area a panel's icon may be


def _tr(text: str) -> str:
    return QCoreApplication.translate("tray_toast", text)


# How one session of these reads after "Logged" (the built-ins' own words).
_ONE_SESSION: dict[str, str] = {
    "stretching": str(QT_TRANSLATE_NOOP("tray_toast", "a stretch")),
    "breathing": str(QT_TRANSLATE_NOOP("tray_toast", "a breathing session")),
}


def logged_what(entry: Entry, water_unit: str, spec: Habit | None = None) -> str:
    """What *entry* is, in a few words that follow "Logged" or "Undo:" ("250 ml of water").

    *spec* is the entry's habit (the catalog's; a built-in's is found by key without it).
    """
    if spec is None:
        spec = find_habit(entry.habit)
    if spec is None:  # a habit no definition explains any more: its key and the number
        return _tr("{habit}: {amount}").format(habit=entry.habit,
                                               amount=formatting.number(entry.amount, 1))
    amount = formatting.amount(spec, entry.amount, water_unit)
    name = spec.label.lower()
    if spec.presets:
        preset = next((p for p in spec.presets
                       if p.key == str(entry.detail.get("preset", ""))), None)
        if preset is not None and preset.mg == entry.amount:
            return _tr("{drink} ({amount})").format(drink=preset.label.lower(), amount=amount)
    if entry.amount == 1 and spec.key in _ONE_SESSION and spec.builtin:
        return _tr(_ONE_SESSION[spec.key])
    if spec.kind is Kind.RATING and entry.amount == int(entry.amount):
        rating = int(entry.amount)
        words = spec.rating_label(rating)
        if words != str(rating):
            return _tr("{habit} {n} of {most} ({label})").format(
                habit=name, n=rating, most=int(spec.max_amount), label=words.lower())
    if spec.kind is Kind.AMOUNT:
        return _tr("{amount} of {habit}").format(amount=amount, habit=name)
    return _tr("{habit}: {amount}").format(habit=spec.label, amount=amount)


def logged_text(entry: Entry, water_unit: str, spec: Habit | None = None) -> str:
    """'Logged 250 ml of water'."""
    return _tr("Logged {what}").format(what=logged_what(entry, water_unit, spec))


def toast_position(size: QSize, icon: QRect, screen: QRect, *, bottom: bool = False) -> QPoint:
    """Where a toast of *size* goes: next to the tray *icon* (below it when the icon is in the
    top half of the *screen*, above otherwise), else in the corner where trays live (top
    right; bottom right with *bottom*, as on Windows); always inside *screen*."""
    width, height = size.width(), size.height()
    # The icon sits on a panel, just outside the available area: near it counts.
    if icon.isValid() and screen.adjusted(-_PANEL, -_PANEL, _PANEL, _PANEL).intersects(icon):
        x = icon.center().x() - width // 2
        if icon.center().y() < screen.center().y():
            y = icon.bottom() + 1 + MARGIN
        else:
            y = icon.top() - height - MARGIN
    else:
        x = screen.right() + 1 - width - MARGIN
        y = screen.bottom() + 1 - height - MARGIN if bottom else screen.top() + MARGIN
    x = max(screen.left(), min(x, screen.right() + 1 - width))
    y = max(screen.top(), min(y, screen.bottom() + 1 - height))
    return QPoint(x, y)


class TrayToast(QFrame):
    """"Logged 250 ml of water · Undo · ✕" for a few seconds.

    Without a parent it is a small frameless window that shows without activating (next to
    the tray); with one it is a bar inside that window. Hovering keeps it up.

    Signals:
        undo_requested(int): the user pressed Undo for the entry with this id.
    """

    undo_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, seconds: int = TOAST_SECONDS) -> None:
        super().__init__(parent)
        self.setObjectName("trayToast")
        self._entry_id: int | None = None
        if parent is None:
            flags = (Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
                     | Qt.WindowType.WindowDoesNotAcceptFocus)
            if QGuiApplication.platformName().startswith("wayland"):
                flags |= Qt.WindowType.Tool  # a parentless popup cannot exist on Wayland
            else:
                flags |= Qt.WindowType.ToolTip  # placed exactly, never in the task bar
            self.setWindowFlags(flags)
            self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
            self.setFrameShape(QFrame.Shape.Box)
        else:
            self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.setAutoFillBackground(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 6, 6)
        row.setSpacing(6)
        self.message = QLabel()
        self.message.setObjectName("toastMessage")
        self.undo_button, self.dismiss_button = undo_controls(
            row, self.message, self._undo, self.dismiss)
        self.undo_button.setObjectName("toastUndo")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(seconds * 1000)
        self.timer.timeout.connect(self.dismiss)
        self.hide()

    @property
    def entry_id(self) -> int | None:
        """The entry Undo would delete (None once undone or dismissed)."""
        return self._entry_id

    def show_logged(self, text: str, entry_id: int, icon: QRect | None = None) -> None:
        """Show *text* with Undo for entry *entry_id*; as a window, next to the tray *icon*."""
        self._entry_id = entry_id
        self.message.setText(text)
        self.undo_button.setToolTip(self.tr("Take back: {what}").format(what=text))
        self.setAccessibleName(text)
        if self.isWindow():
            self.adjustSize()
            screen = QGuiApplication.primaryScreen()
            if icon is not None and icon.isValid():
                screen = QGuiApplication.screenAt(icon.center()) or screen
            area = screen.availableGeometry() if screen is not None else QRect(0, 0, 800, 600)
            self.move(toast_position(self.sizeHint(), icon or QRect(), area,
                                     bottom=sys.platform == "win32"))
        self.show()
        if self.isWindow():
            self.raise_()
        self.timer.start()

    def dismiss(self) -> None:
        """Hide now (after Undo, on ✕, when the time is up)."""
        self.timer.stop()
        self._entry_id = None
        self.hide()

    def _undo(self) -> None:
        entry_id = self._entry_id
        self.dismiss()
        if entry_id is not None:
            self.undo_requested.emit(entry_id)

    def enterEvent(self, event: QEnterEvent) -> None:
        self.timer.stop()  # reading it, about to click: stay
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self.isVisible():
            self.timer.start()
        super().leaveEvent(event)
