"""The reminder card: Quell's own small window near the tray, with Done, Snooze and Skip."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from PySide6.QtCore import (
    QEasingCurve,
    QPoint,
    QPropertyAnimation,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QEnterEvent,
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from quell.core.reminders import (
    Reminder,
)
from quell.scheduling.reminders import LONG_SNOOZE, SNOOZE, locale_time
from quell.ui.common.illustration import Illustration
from quell.ui.common.style import header_font, mix, muted_color, set_text_color, small_font
from quell.ui.reminders.presenter import ICONS as _ICONS
from quell.ui.reminders.presenter import reminder_text

log = logging.getLogger(__name__)

CARD_WIDTH = 380
MARGIN = 12
FADE_IN_MS = 180
FADE_OUT_MS = 1200
_ICON_GAP = 12
_TEXT_GAP = 4
_ROW_GAP = 12



def card_position(card: QSize, available: QRect, tray: QRect | None,
                  margin: int = MARGIN) -> QPoint:
    """Where the card goes: next to the tray icon when its place is known (below a top panel,
    above a bottom one), else the bottom-right corner; always inside *available*."""
    left_limit = available.left() + margin
    right_limit = available.right() + 1 - margin - card.width()
    if tray is not None and tray.isValid() and not tray.isEmpty():
        x = min(max(tray.right() + 1 - card.width(), left_limit), right_limit)
        if tray.center().y() < available.center().y():
            y = max(available.top(), tray.bottom() + 1) + margin
        else:
            y = min(available.bottom() + 1, tray.top()) - margin - card.height()
    else:
        x = right_limit
        y = available.bottom() + 1 - margin - card.height()
    top_limit = available.top() + margin
    bottom_limit = available.bottom() + 1 - margin - card.height()
    return QPoint(x, min(max(y, top_limit), max(top_limit, bottom_limit)))


class ReminderCard(QWidget):
    """A small frameless card that never takes keyboard focus by itself.

    It shows a reminder (Done / Snooze 10 min with a 30 min menu / Skip) or a notice (OK only),
    fades after a while unless the pointer rests on it, and is keyboard-usable once
    :meth:`take_focus` is called (a click on it, or the tray's "Answer the reminder").

    Signals:
        done(): the Done button (its text says what it does).
        snoozed(int): snooze for this many minutes.
        skipped(): Skip, or Escape.
        acknowledged(): OK on a notice.
        faded(): the card faded away unanswered.
    """

    done = Signal()
    snoozed = Signal(int)
    skipped = Signal()
    acknowledged = Signal()
    faded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        flags = (Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                 | Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.WindowDoesNotAcceptFocus)
        super().__init__(parent, flags)
        self.setObjectName("quellReminderCard")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.setAccessibleDescription(self.tr("Quell reminder"))
        self.setFixedWidth(CARD_WIDTH)
        self._visible_for = timedelta(minutes=2)
        self._notice = False
        self._answered = False

        self.icon = Illustration("", QSize(40, 40))
        self.icon.setFixedSize(40, 40)
        self.title = QLabel()
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)
        self.title.setFont(header_font(self.font(), scale=1.08))
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.when = QLabel()
        self.when.setFont(small_font(self.font()))
        # Kept out of the layouts: it sits in the top-right corner, and the title leaves room.
        self.when.setParent(self)
        self.when.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.body = QLabel()
        self.body.setObjectName("cardBody")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.body.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self.done_button = QPushButton()
        self.done_button.setObjectName("doneButton")
        self.done_button.setDefault(True)
        self.done_button.clicked.connect(self._done)
        self.snooze_button = QToolButton()
        self.snooze_button.setObjectName("snoozeButton")
        self.snooze_button.setText(self.tr("Snooze 10 min"))
        self.snooze_button.setAccessibleName(self.tr("Snooze for 10 minutes"))
        self.snooze_button.setToolTip(self.tr("Remind me again in 10 minutes; the arrow offers "
                                              "30 minutes"))
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.snooze_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.snooze_button.clicked.connect(lambda _checked=False: self._snooze(SNOOZE))
        self.snooze_menu = QMenu(self.snooze_button)
        self.snooze_menu.setObjectName("snoozeMenu")
        self.snooze_menu.setAccessibleName(self.tr("Snooze for how long"))
        self.snooze_10 = self.snooze_menu.addAction(self.tr("Snooze 10 minutes"))
        self.snooze_10.triggered.connect(lambda _checked=False: self._snooze(SNOOZE))
        self.snooze_30 = self.snooze_menu.addAction(self.tr("Snooze 30 minutes"))
        self.snooze_30.triggered.connect(lambda _checked=False: self._snooze(LONG_SNOOZE))
        self.snooze_button.setMenu(self.snooze_menu)
        self.skip_button = QPushButton(self.tr("Skip"))
        self.skip_button.setObjectName("skipButton")
        self.skip_button.setAccessibleName(self.tr("Skip this reminder"))
        self.skip_button.setFlat(True)
        self.skip_button.clicked.connect(self._skip)
        self.ok_button = QPushButton(self.tr("OK"))
        self.ok_button.setObjectName("okButton")
        self.ok_button.clicked.connect(self._acknowledge)

        text = QVBoxLayout()
        text.setSpacing(_TEXT_GAP)
        text.addWidget(self.title)
        text.addWidget(self.body)
        top = QHBoxLayout()
        top.setSpacing(_ICON_GAP)
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(text, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addStretch(1)
        for button in (self.skip_button, self.snooze_button, self.done_button, self.ok_button):
            buttons.addWidget(button)
        self._column = layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 14, 12)
        layout.setSpacing(_ROW_GAP)
        layout.addLayout(top)
        layout.addLayout(buttons)
        self.setTabOrder(self.done_button, self.snooze_button)
        self.setTabOrder(self.snooze_button, self.skip_button)

        self._fade_timer = QTimer(self)
        self._fade_timer.setSingleShot(True)
        self._fade_timer.timeout.connect(self._fade_out)
        self._animation = QPropertyAnimation(self, b"windowOpacity", self)
        self._animation.setEasingCurve(QEasingCurve.Type.InOutQuad)
        self._animation.finished.connect(self._animation_finished)
        self._fading_out = False

    # -- content --------------------------------------------------------------------------

    @property
    def is_notice(self) -> bool:
        return self._notice

    def show_reminder(self, reminder: Reminder, visible_for: timedelta) -> None:
        self._fill(_ICONS[reminder.kind], reminder.title, reminder_text(reminder),
                   self.tr("due {time}").format(time=locale_time(reminder.due)), notice=False)
        self.done_button.setText(reminder.done_label)
        self.done_button.setAccessibleName(reminder.done_label)
        self._visible_for = visible_for

    def show_notice(self, icon: str, title: str, body: str, visible_for: timedelta,
                    lines: Sequence[str] = ()) -> None:
        listed = "\n".join("• " + line for line in lines)
        text = "\n\n".join(part for part in (listed, body) if part)
        self._fill(icon, title, text, "", notice=True)
        self._visible_for = visible_for

    def _fill(self, icon: str, title: str, body: str, when: str, *, notice: bool) -> None:
        self._notice = notice
        self._answered = False
        self.icon.set_name(icon)
        self.title.setText(title)
        self.body.setText(body)
        self.when.setText(when)
        self.when.setVisible(bool(when))
        self.when.adjustSize()
        self.title.setContentsMargins(0, 0, self.when.width() + 8 if when else 0, 0)
        self.setAccessibleName(title)
        self.setWindowTitle(title)
        for button in (self.done_button, self.snooze_button, self.skip_button):
            button.setVisible(not notice)
        self.ok_button.setVisible(notice)
        self.ok_button.setDefault(notice)
        self.done_button.setDefault(not notice)
        self._restyle()
        self._fit()

    def _fit(self) -> None:
        # Word-wrapped labels need their height for the card's fixed width; box layouts ask
        # them with a guessed width, so the height is summed here from the known one.
        margins = self._column.contentsMargins()
        text_width = (CARD_WIDTH - margins.left() - margins.right() - self.icon.width()
                      - _ICON_GAP)
        text = self.title.heightForWidth(text_width) + _TEXT_GAP
        text += self.body.heightForWidth(text_width) if self.body.text() else 0
        buttons = max(b.sizeHint().height() for b in (self.done_button, self.snooze_button,
                                                        self.skip_button, self.ok_button))
        self.setFixedHeight(margins.top() + max(self.icon.height(), text) + _ROW_GAP
                            + buttons + margins.bottom())

    def _restyle(self) -> None:
        set_text_color(self.when, muted_color(self.palette()))
        set_text_color(self.body, mix(self.palette().color(QPalette.ColorRole.WindowText),
                                      self.palette().color(QPalette.ColorRole.Window), 0.15))

    # -- showing and fading ---------------------------------------------------------------

    def present(self, tray: QRect | None = None) -> None:
        """Show the card near the tray without taking focus, fading in."""
        self._fading_out = False
        self._animation.stop()
        self._fit()
        screen = None
        if tray is not None and tray.isValid():
            screen = QGuiApplication.screenAt(tray.center())
        screen = screen or QGuiApplication.primaryScreen()
        if screen is not None:
            self.move(card_position(self.size(), screen.availableGeometry(), tray))
        self.setWindowOpacity(0.0)
        self.show()
        self._animate(1.0, FADE_IN_MS)
        self._fade_timer.start(int(self._visible_for.total_seconds() * 1000))

    def take_focus(self) -> None:
        """Let the keyboard in: the card becomes an ordinary focusable window for a moment."""
        if not self.isVisible():
            return
        self._fade_timer.stop()
        self._animation.stop()
        self._fading_out = False
        self.setWindowOpacity(1.0)
        if self.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus:
            self.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus, False)
            self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
            self.show()
        self.raise_()
        self.activateWindow()
        (self.ok_button if self._notice else self.done_button).setFocus(
            Qt.FocusReason.ActiveWindowFocusReason)

    def dismiss(self) -> None:
        """Close at once (answered elsewhere, or withdrawn)."""
        self._fade_timer.stop()
        self._animation.stop()
        self._fading_out = False
        self.hide()
        # Next time it shows without stealing focus again.
        self.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus, True)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)

    def _fade_out(self) -> None:
        self._fading_out = True
        self._animate(0.0, FADE_OUT_MS)

    def _animate(self, target: float, ms: int) -> None:
        self._animation.stop()
        self._animation.setDuration(ms)
        self._animation.setStartValue(self.windowOpacity())
        self._animation.setEndValue(target)
        self._animation.start()

    def _animation_finished(self) -> None:
        if self._fading_out:
            self._fading_out = False
            self.dismiss()
            if not self._answered:
                self._answered = True
                self.faded.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        margins = self._column.contentsMargins()
        self.when.move(self.width() - margins.right() - self.when.width(), margins.top() + 2)
        super().resizeEvent(event)

    def enterEvent(self, event: QEnterEvent) -> None:
        # Resting the pointer on the card keeps it: people read at their own pace.
        self._fade_timer.stop()
        if self._fading_out:
            self._fading_out = False
            self._animate(1.0, FADE_IN_MS)
        super().enterEvent(event)

    def leaveEvent(self, event: object) -> None:
        if self.isVisible() and not self._answered:
            self._fade_timer.start(max(30_000, self._fade_timer.interval() // 4))
        super().leaveEvent(event)  # type: ignore[arg-type]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.take_focus()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self._acknowledge() if self._notice else self._skip()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self._restyle()
        super().showEvent(event)

    def paintEvent(self, _event: object) -> None:
        palette = self.palette()
        painter = QPainter(self)
        window = palette.color(QPalette.ColorRole.Window)
        painter.fillRect(self.rect(), window)
        accent = palette.color(QPalette.ColorRole.Highlight)
        painter.fillRect(QRect(0, 0, 4, self.height()), mix(accent, window, 0.15))
        painter.setPen(mix(palette.color(QPalette.ColorRole.WindowText), window, 0.78))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    # -- answers --------------------------------------------------------------------------

    def _answer(self) -> bool:
        if self._answered:
            return False
        self._answered = True
        self.dismiss()
        return True

    def _done(self) -> None:
        if self._answer():
            self.done.emit()

    def _snooze(self, length: timedelta) -> None:
        if self._answer():
            self.snoozed.emit(int(length.total_seconds() // 60))

    def _skip(self) -> None:
        if self._answer():
            self.skipped.emit()

    def _acknowledge(self) -> None:
        if self._answer():
            self.acknowledged.emit()
