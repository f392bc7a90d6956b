"""Diaphragmatic breathing, paced by a calm growing and shrinking circle, for 1 to 5 minutes."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
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
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from quell.core.entries import Source
from quell.ui.common.style import header_font, mix, track_color
from quell.ui.common.wheel_guard import guard_wheel
from quell.ui.exercises.guided import GuidedExercise
from quell.ui.services.session import Session
from quell.ui.settings.reminders import DAY_BUTTON_STYLE

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


class BreathingExercise(GuidedExercise):
    """Slow belly breathing for 1 to 5 minutes; reaching the end logs one breathing session.

    Space starts and pauses, Escape closes.

    Signals:
        completed(): the exercise ran to its end (and was logged when breathing is tracked).
    """

    def __init__(self, session: Session, *, minutes: int = 2, source: Source = Source.WINDOW,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, habit="breathing", source=source, tick_ms=_FRAME_MS,
                         parent=parent)
        self.setObjectName("breathingExercise")
        self.setWindowTitle(self.tr("Quell — Breathe"))
        self._phase_in: bool | None = None
        self._set_pages(self._build_exercise(min(max(minutes, 1), 5)),
                        self._build_finish("reminder-breathe", self.tr("Well done"),
                                           self.tr("Breathe again"), self.reset))
        self.reset()
        guard_wheel(self)

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
        self.start_button = self._play_button("startButton")

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

    def _seconds(self) -> float:
        running = self._clock.elapsed() if self._running else 0
        return (self._elapsed_ms + running) / 1000.0

    def reset(self) -> None:
        """Back to the start, paused (a new length or pace starts over)."""
        self._stop()
        self._elapsed_ms = 0
        self._logged = False
        self._phase_in = None
        self.pages.setCurrentIndex(0)
        self.phase.setText(self.tr("Ready when you are"))
        self.circle.set_state(0.0, 0.0, "")
        self._show_time_left(self.length_seconds)
        self._update_play()
        self._restyle()

    def _update_play(self) -> None:
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

    def _muted_labels(self) -> tuple[QLabel, ...]:
        return (self.intro, self.time_left, self._length_label)

    def _finish_words(self, *, logged: bool) -> str:
        if logged:
            return self.tr(
                "A few calm minutes, well spent. One breathing session is logged for today.")
        return self.tr("A few calm minutes, well spent.")

    # -- controls -------------------------------------------------------------------------

    def start(self) -> None:
        if self.finished:
            self.reset()
        super().start()
        self._tick()

    def _tick(self) -> None:
        """One frame of the animation, or the end of the exercise."""
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

    def hideEvent(self, event: object) -> None:
        # Hidden, the animation costs nothing: pause it.
        self.pause()
        super().hideEvent(event)  # type: ignore[arg-type]

    def closeEvent(self, event: QCloseEvent) -> None:
        self.reset()
        super().closeEvent(event)
