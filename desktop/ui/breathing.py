"""Diaphragmatic breathing, paced by a calm growing and shrinking circle, for 1 to 5 minutes."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QElapsedTimer, QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QKeyEvent,
    QPainter,
    QPalette,
    QPen,
    QRadialGradient,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.entries import Source
from desktop.core.errors import InputError
from desktop.ui.illustration import Illustration
from desktop.ui.reminder_settings import DAY_BUTTON_STYLE
from desktop.ui.session import Session
from desktop.ui.style import (
    InlineMessage,
    header_font,
    mix,
    muted_color,
    set_text_color,
    track_color,
)

_FRAME_MS = 33  # about 30 frames a second, only while the exercise runs


@dataclass(frozen=True)
class Pace:
    """Seconds breathing in and out; the longer exhale is what calms."""

    inhale: float
    exhale: float

    @property
    def cycle(self) -> float:
        return self.inhale + self.exhale

    def at(self, seconds: float) -> tuple[bool, float, float]:
        """At *seconds* into the exercise: (breathing in?, how full the lungs are 0..1,
        seconds left in this half of the breath)."""
        into = seconds % self.cycle
        if into < self.inhale:
            share = into / self.inhale
            return True, 0.5 - 0.5 * math.cos(math.pi * share), self.inhale - into
        share = (into - self.inhale) / self.exhale
        return False, 0.5 + 0.5 * math.cos(math.pi * share), self.cycle - into

    def length(self, minutes: int) -> float:
        """*minutes* rounded up to whole breaths, so the exercise ends on a full exhale."""
        return math.ceil(minutes * 60 / self.cycle) * self.cycle


PACES: tuple[Pace, ...] = (Pace(4, 6), Pace(4, 4), Pace(5, 7))


class BreathingCircle(QWidget):
    """The pacing circle: it fills as you breathe in and empties as you breathe out.

    A thin outer ring shows how much of the exercise has passed; the number inside counts the
    seconds left in the current in- or out-breath.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fullness = 0.0
        self._progress = 0.0
        self._count = ""
        self.setMinimumSize(220, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Breathing guide"))

    def sizeHint(self) -> QSize:
        return QSize(300, 300)

    def set_state(self, fullness: float, progress: float, count: str) -> None:
        state = (round(fullness, 3), round(progress, 3), count)
        if state != (round(self._fullness, 3), round(self._progress, 3), self._count):
            self._fullness, self._progress, self._count = fullness, progress, count
            self.update()

    @property
    def fullness(self) -> float:
        return self._fullness

    def paintEvent(self, _event: object) -> None:
        palette = self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        accent = palette.color(QPalette.ColorRole.Highlight)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height())
        centre = QPointF(self.width() / 2, self.height() / 2)
        outer = side / 2 - 6
        # The session's progress, as a thin ring.
        ring = QRectF(centre.x() - outer, centre.y() - outer, outer * 2, outer * 2)
        pen = QPen(track_color(palette), 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawEllipse(ring)
        if self._progress > 0:
            pen.setColor(mix(accent, window, 0.25))
            painter.setPen(pen)
            painter.drawArc(ring, 90 * 16, -int(self._progress * 360 * 16))
        # The full-lungs guide, and the breath itself.
        largest = outer - 14
        smallest = largest * 0.42
        painter.setPen(QPen(mix(accent, window, 0.7), 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, largest, largest)
        radius = smallest + (largest - smallest) * self._fullness
        glow = QRadialGradient(centre, radius)
        glow.setColorAt(0.0, _alpha(accent, 0.88))
        glow.setColorAt(0.75, _alpha(accent, 0.66))
        glow.setColorAt(1.0, _alpha(accent, 0.38))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(glow)
        painter.drawEllipse(centre, radius, radius)
        if self._count:
            font = QFont(self.font())
            font.setPointSizeF(max(font.pointSizeF(), 9) * 2.2)
            font.setWeight(QFont.Weight.DemiBold)
            painter.setFont(font)
            painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
            painter.drawText(QRectF(centre.x() - smallest, centre.y() - smallest,
                                    smallest * 2, smallest * 2),
                             Qt.AlignmentFlag.AlignCenter, self._count)
        painter.end()


def _alpha(colour: QColor, alpha: float) -> QColor:
    result = QColor(colour)
    result.setAlphaF(alpha)
    return result


class BreathingExercise(QWidget):
    """Slow belly breathing for 1 to 5 minutes; reaching the end logs one breathing session.

    Space starts and pauses, Escape closes.

    Signals:
        completed(): the exercise ran to its end (and was logged when breathing is tracked).
    """

    completed = Signal()

    def __init__(self, session: Session, *, minutes: int = 2, source: Source = Source.WINDOW,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._session = session
        self.source = source
        self.setObjectName("breathingExercise")
        self.setWindowTitle(self.tr("Quell — Breathe"))
        self._running = False
        self._elapsed_ms = 0
        self._logged = False
        self._phase_in: bool | None = None
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(_FRAME_MS)
        self._timer.timeout.connect(self._frame)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_exercise(min(max(minutes, 1), 5)))
        self.pages.addWidget(self._build_finish())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(self.pages)
        self.reset()

    # -- building -------------------------------------------------------------------------

    def _build_exercise(self, minutes: int) -> QWidget:
        page = QWidget()
        self.title = QLabel(self.tr("Slow breathing"))
        self.title.setFont(header_font(self.font(), scale=1.3))
        self.intro = QLabel(self.tr(
            "Sit comfortably with a hand on your belly. Breathe in through your nose and let "
            "the belly rise; breathe out slowly, a little longer than you breathed in."))
        self.intro.setWordWrap(True)
        self.circle = BreathingCircle()
        self.phase = QLabel()
        self.phase.setObjectName("phaseLabel")
        self.phase.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.phase.setFont(header_font(self.font(), scale=1.35))
        self.time_left = QLabel()
        self.time_left.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.minute_buttons: dict[int, QToolButton] = {}
        self._minutes_group = QButtonGroup(self)
        self._minutes_group.setExclusive(True)
        length = QHBoxLayout()
        length.setSpacing(2)
        length_label = QLabel(self.tr("Minutes"))
        length.addWidget(length_label)
        length.addSpacing(6)
        for value in range(1, 6):
            button = QToolButton()
            button.setText(str(value))
            button.setMinimumWidth(30)
            button.setCheckable(True)
            button.setAutoRaise(False)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setAccessibleName(self.tr("{n} minutes").format(n=value))
            button.setChecked(value == minutes)
            self._minutes_group.addButton(button, value)
            self.minute_buttons[value] = button
            length.addWidget(button)
        self._minutes_group.idClicked.connect(lambda _id: self.reset())
        minutes_row = QWidget()
        minutes_row.setLayout(length)
        minutes_row.setStyleSheet(DAY_BUTTON_STYLE)
        self.pace = QComboBox()
        self.pace.setAccessibleName(self.tr("Breathing pace"))
        self.pace.setToolTip(self.tr("Seconds breathing in and out"))
        for pace in PACES:
            self.pace.addItem(self.tr("{inhale} in · {exhale} out").format(
                inhale=f"{pace.inhale:g}", exhale=f"{pace.exhale:g}"))
        self.pace.currentIndexChanged.connect(lambda _index: self.reset())
        self.start_button = QPushButton()
        self.start_button.setObjectName("startButton")
        self.start_button.setDefault(True)
        self.start_button.setMinimumWidth(110)
        self.start_button.clicked.connect(self.toggle)

        controls = QHBoxLayout()
        controls.addWidget(minutes_row)
        controls.addStretch(1)
        controls.addWidget(self.pace)
        start_row = QHBoxLayout()
        start_row.addStretch(1)
        start_row.addWidget(self.start_button)
        start_row.addStretch(1)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(self.circle, 1)
        layout.addWidget(self.phase)
        layout.addWidget(self.time_left)
        layout.addSpacing(6)
        layout.addLayout(controls)
        layout.addLayout(start_row)
        self._length_label = length_label
        return page

    def _build_finish(self) -> QWidget:
        page = QWidget()
        art = Illustration("reminder-breathe", QSize(96, 96))
        art.setFixedSize(96, 96)
        self.finish_title = QLabel(self.tr("Well done"))
        self.finish_title.setFont(header_font(self.font(), scale=1.4))
        self.finish_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.finish_text = QLabel()
        self.finish_text.setWordWrap(True)
        self.finish_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.finish_problem = InlineMessage(page)
        again = QPushButton(self.tr("Breathe again"))
        again.clicked.connect(self.reset)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(again)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(art, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(8)
        layout.addWidget(self.finish_title)
        layout.addWidget(self.finish_text)
        layout.addWidget(self.finish_problem)
        layout.addStretch(2)
        layout.addLayout(buttons)
        return page

    def sizeHint(self) -> QSize:
        return QSize(440, 620)

    # -- state ----------------------------------------------------------------------------

    @property
    def minutes(self) -> int:
        return max(1, self._minutes_group.checkedId())

    @property
    def current_pace(self) -> Pace:
        return PACES[max(0, self.pace.currentIndex())]

    @property
    def length_seconds(self) -> float:
        return self.current_pace.length(self.minutes)

    @property
    def running(self) -> bool:
        return self._running

    @property
    def finished(self) -> bool:
        return self.pages.currentIndex() == 1

    def _seconds(self) -> float:
        running = self._clock.elapsed() if self._running else 0
        return (self._elapsed_ms + running) / 1000.0

    def reset(self) -> None:
        """Back to the start, paused (a new length or pace starts over)."""
        self._running = False
        self._timer.stop()
        self._elapsed_ms = 0
        self._logged = False
        self._phase_in = None
        self.pages.setCurrentIndex(0)
        self.phase.setText(self.tr("Ready when you are"))
        self.circle.set_state(0.0, 0.0, "")
        self._show_time_left(self.length_seconds)
        self._update_button()
        self._restyle()

    def _update_button(self) -> None:
        if self._running:
            self.start_button.setText(self.tr("Pause"))
        elif self._elapsed_ms:
            self.start_button.setText(self.tr("Resume"))
        else:
            self.start_button.setText(self.tr("Start"))
        self.start_button.setAccessibleName(self.start_button.text())

    def _show_time_left(self, seconds: float) -> None:
        whole = max(0, math.ceil(seconds))
        self.time_left.setText(self.tr("{m}:{s:02d} left").format(m=whole // 60, s=whole % 60))

    def _restyle(self) -> None:
        for label in (self.intro, self.time_left, self.finish_text, self._length_label):
            set_text_color(label, muted_color(self.palette()))

    # -- controls -------------------------------------------------------------------------

    def toggle(self) -> None:
        if self._running:
            self.pause()
        else:
            self.start()

    def start(self) -> None:
        if self.finished:
            self.reset()
        self._running = True
        self._clock.restart()
        self._timer.start()
        self._update_button()
        self._frame()

    def pause(self) -> None:
        if self._running:
            self._elapsed_ms += self._clock.elapsed()
        self._running = False
        self._timer.stop()
        self._update_button()

    def advance_time(self, milliseconds: int) -> None:
        """Move the exercise's clock on (for tests and demos)."""
        self._elapsed_ms += milliseconds
        self._frame()

    def _frame(self) -> None:
        seconds = self._seconds()
        total = self.length_seconds
        if seconds >= total:
            self.finish()
            return
        breathing_in, fullness, left = self.current_pace.at(seconds)
        self.circle.set_state(fullness, seconds / total, str(max(1, math.ceil(left))))
        if breathing_in != self._phase_in:
            self._phase_in = breathing_in
            text = (self.tr("Breathe in through your nose") if breathing_in
                    else self.tr("Breathe out slowly"))
            self.phase.setText(text)
            self.circle.setAccessibleDescription(text)
        self._show_time_left(total - seconds)

    def finish(self) -> None:
        """The end: log one breathing session (once)."""
        self._running = False
        self._timer.stop()
        self.pages.setCurrentIndex(1)
        self.finish_problem.clear_message()
        if not self._logged:
            try:
                self._session.log("breathing", 1, source=self.source)
            except InputError as error:
                self.finish_text.setText(self.tr("A few calm minutes, well spent."))
                self.finish_problem.show_message(str(error))
            else:
                self._logged = True
                self.finish_text.setText(self.tr(
                    "A few calm minutes, well spent. One breathing session is logged for "
                    "today."))
        self.close_button.setFocus()
        self.completed.emit()

    # -- events ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        elif (event.key() == Qt.Key.Key_Space and not self.finished
              and self.focusWidget() not in (self.start_button, self.pace,
                                             *self.minute_buttons.values())):
            self.toggle()
        else:
            super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "finish_text"):
            self._restyle()

    def hideEvent(self, event: object) -> None:
        # Hidden, the animation costs nothing: pause it.
        self.pause()
        super().hideEvent(event)  # type: ignore[arg-type]

    def closeEvent(self, event: QCloseEvent) -> None:
        self.reset()
        super().closeEvent(event)
