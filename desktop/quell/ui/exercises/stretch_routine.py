"""A three-minute illustrated stretch routine: six gentle steps of 30 seconds each."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from quell.core.entries import Source
from quell.core.i18n import _
from quell.ui.common.illustration import Illustration
from quell.ui.common.style import header_font, mix, small_font, track_color
from quell.ui.exercises.guided import GuidedExercise
from quell.ui.services.session import Session

STEP_SECONDS = 30
# A step counts as done once held this long; the routine counts once half its steps are done.
STEP_DONE_SECONDS = STEP_SECONDS // 2
_TICK_MS = 100


@dataclass(frozen=True)
class StretchStep:
    """One step: its illustration, its name and what to do (both translatable)."""

    illustration: str
    name: str
    instruction: str

    @property
    def title(self) -> str:
        return _(self.name)

    @property
    def text(self) -> str:
        return _(self.instruction)


STEPS: tuple[StretchStep, ...] = (
    StretchStep(
        "stretch-calves", "Calves",
        "Face a wall with your hands on it. Step one foot back, keep that heel down and the "
        "knee straight, and lean in until the calf feels a gentle pull. Switch legs halfway."),
    StretchStep(
        "stretch-thigh-front", "Front of the thighs",
        "Hold a chair or the wall. Bend one knee and bring the heel toward your seat, holding "
        "the ankle. Knees together, stand tall. Switch legs halfway."),
    StretchStep(
        "stretch-thigh-back", "Back of the thighs",
        "Put one heel forward with the leg straight and the toes up. Bend the other knee a "
        "little and lean forward from the hips, back long. Switch legs halfway."),
    StretchStep(
        "stretch-neck", "Neck",
        "Sit or stand tall with your shoulders low. Slowly tilt one ear toward the shoulder "
        "until the side of the neck feels a soft stretch. Breathe, then do the other side."),
    StretchStep(
        "stretch-shoulders", "Shoulders",
        "Roll both shoulders slowly up, back and down, five times. Then draw the shoulder "
        "blades gently together, hold for a breath, and let go."),
    StretchStep(
        "stretch-hands", "Forearms and hands",
        "Hold one arm out, palm away and fingers up, and ease the fingers back with the other "
        "hand. Switch arms halfway. Finish by spreading your fingers wide a few times."),
)


class CountdownRing(QWidget):
    """A ring that empties as a step's time runs out, with the seconds left inside."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fraction = 1.0
        self._seconds = STEP_SECONDS
        self.setFixedSize(72, 72)
        self.setAccessibleName(self.tr("Time left in this step"))

    def set_left(self, fraction: float, seconds: int) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        if (round(fraction, 3), seconds) != (round(self._fraction, 3), self._seconds):
            self._fraction, self._seconds = fraction, seconds
            self.setAccessibleDescription(self.tr("{n} seconds").format(n=seconds))
            self.update()

    @property
    def seconds(self) -> int:
        return self._seconds

    def paintEvent(self, _event: object) -> None:
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ring = QRectF(self.rect()).adjusted(5, 5, -5, -5)
        pen = QPen(track_color(palette), 5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawEllipse(ring)
        if self._fraction > 0:
            pen.setColor(palette.color(QPalette.ColorRole.Highlight))
            painter.setPen(pen)
            painter.drawArc(ring, 90 * 16, int(self._fraction * 360 * 16))
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 9) * 1.35)
        font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, str(self._seconds))
        painter.end()


class StepDots(QWidget):
    """Where the routine is: one short bar per step, done ones filled."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._count = count
        self._index = 0
        self.setFixedHeight(6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_index(self, index: int) -> None:
        self._index = index
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(self._count * 30, 6)

    def paintEvent(self, _event: object) -> None:
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        gap = 6.0
        width = (self.width() - gap * (self._count - 1)) / self._count
        accent = palette.color(QPalette.ColorRole.Highlight)
        for index in range(self._count):
            if index < self._index:
                colour = mix(accent, palette.color(QPalette.ColorRole.Window), 0.45)
            elif index == self._index:
                colour = accent
            else:
                colour = track_color(palette)
            painter.setBrush(colour)
            painter.drawRoundedRect(QRectF(index * (width + gap), 0, width, 6), 3, 3)
        painter.end()


class StretchRoutine(GuidedExercise):
    """The guided routine: illustration, plain instruction, a 30-second timer per step.

    Back and Skip move between steps; Space pauses, the arrow keys go back and forward. The
    end logs one stretching session (*source* says where it was opened from) when at least
    half the steps were held for half their time or more; skipping through logs nothing, and
    the finish page says which it was.

    Signals:
        completed(): the routine ended with enough done (and was logged, when stretching can
            be logged).
    """

    def __init__(self, session: Session, *, source: Source = Source.WINDOW,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, habit="stretching", source=source, tick_ms=_TICK_MS,
                         parent=parent)
        self.setObjectName("stretchRoutine")
        self.setWindowTitle(self.tr("Quell — Stretch break"))
        self._index = 0
        self._started = False
        self._held_ms = [0] * len(STEPS)  # per step, the time its timer ran
        self._set_pages(self._build_steps(),
                        self._build_finish("reminder-stretch", self.tr("Nicely done"),
                                           self.tr("Start again"), self.restart))
        self.close_button.setObjectName("closeButton")
        self._show_step(0)

    # -- building -------------------------------------------------------------------------

    def _build_steps(self) -> QWidget:
        page = QWidget()
        self.counter = QLabel()
        self.counter.setFont(small_font(self.font()))
        self.dots = StepDots(len(STEPS))
        self.illustration = Illustration("", QSize(300, 250))
        self.illustration.setMinimumSize(240, 200)
        self.step_title = QLabel()
        self.step_title.setObjectName("stepTitle")
        self.step_title.setFont(header_font(self.font(), scale=1.3))
        self.instruction = QLabel()
        self.instruction.setObjectName("stepInstruction")
        self.instruction.setWordWrap(True)
        self.instruction.setTextFormat(Qt.TextFormat.PlainText)
        self.instruction.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.note = QLabel(self.tr("Stretch gently: a soft pull is right, pain is not."))
        self.note.setWordWrap(True)
        self.note.setFont(small_font(self.font()))
        self.ring = CountdownRing()

        self.back_button = QPushButton(self.tr("Back"))
        self.back_button.setObjectName("backButton")
        self.back_button.setAccessibleName(self.tr("Previous step"))
        self.back_button.clicked.connect(self.back)
        self.play_button = self._play_button("playButton")
        self.skip_button = QPushButton()
        self.skip_button.setObjectName("skipButton")
        self.skip_button.clicked.connect(self.skip)

        header = QHBoxLayout()
        header.addWidget(self.counter)
        header.addSpacing(12)
        header.addWidget(self.dots, 1)
        title_row = QHBoxLayout()
        title_text = QVBoxLayout()
        title_text.setSpacing(6)
        title_text.addWidget(self.step_title)
        title_text.addWidget(self.instruction)
        title_row.addLayout(title_text, 1)
        title_row.addSpacing(12)
        title_row.addWidget(self.ring, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.play_button)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addWidget(self.illustration, 1)
        layout.addLayout(title_row)
        layout.addWidget(self.note)
        layout.addSpacing(4)
        layout.addLayout(buttons)
        return page

    def sizeHint(self) -> QSize:
        return QSize(460, 600)

    # -- state ----------------------------------------------------------------------------

    @property
    def index(self) -> int:
        return self._index

    def seconds_left(self) -> int:
        return max(0, STEP_SECONDS - self._elapsed_ms // 1000)

    @property
    def steps_done(self) -> int:
        """Steps held for at least :data:`STEP_DONE_SECONDS` (the current one as far as now)."""
        held = list(self._held_ms)
        held[self._index] += self._step_ms()
        return sum(1 for ms in held if ms >= STEP_DONE_SECONDS * 1000)

    @staticmethod
    def steps_needed() -> int:
        """Steps done for the routine to count as a session: half of them, rounded up."""
        return (len(STEPS) + 1) // 2

    def _step_ms(self) -> int:
        """How long the current step's timer has run since it was credited."""
        return self._elapsed_ms + (self._clock.elapsed() if self._running else 0)

    def _credit_step(self) -> None:
        """Add the current step's time to what it was held (once: its clock starts over)."""
        total = self._held_ms[self._index] + self._step_ms()
        self._held_ms[self._index] = min(total, STEP_SECONDS * 1000)
        self._elapsed_ms = 0
        self._clock.restart()

    def _show_step(self, index: int) -> None:
        self._index = index
        self._elapsed_ms = 0
        self._clock.restart()
        step = STEPS[index]
        self.pages.setCurrentIndex(0)
        self.counter.setText(self.tr("Step {n} of {total}").format(n=index + 1,
                                                                    total=len(STEPS)))
        self.dots.set_index(index)
        self.illustration.set_name(step.illustration)
        self.illustration.setAccessibleName(self.tr("Illustration: {step}").format(
            step=step.title))
        self.step_title.setText(step.title)
        self.instruction.setText(step.text)
        self.back_button.setEnabled(index > 0)
        last = index == len(STEPS) - 1
        self.skip_button.setText(self.tr("Finish") if last else self.tr("Skip"))
        self.skip_button.setAccessibleName(
            self.tr("Finish the routine") if last else self.tr("Next step"))
        self._update_play()
        self.ring.set_left(1.0, STEP_SECONDS)
        self._restyle()

    def _update_play(self) -> None:
        if self._running:
            text, name = self.tr("Pause"), self.tr("Pause the timer")
        elif not self._started:
            text, name = self.tr("Start"), self.tr("Start the timer")
        else:
            text, name = self.tr("Resume"), self.tr("Resume the timer")
        self.play_button.setText(text)
        self.play_button.setAccessibleName(name)

    def _muted_labels(self) -> tuple[QLabel, ...]:
        return (self.counter, self.note)

    def _enough_done(self) -> bool:
        return self.steps_done >= self.steps_needed()

    def _finish_heading(self, *, enough: bool) -> str:
        return self._heading if enough else self.tr("Nothing logged this time")

    def _finish_words(self, *, logged: bool) -> str:
        done = self.tr("You held {done} of the {total} stretches.").format(
            done=self.steps_done, total=len(STEPS))
        if logged:
            return done + " " + self.tr("One stretching session is logged for today.")
        if self._enough_done():
            return done  # enough, but it could not be logged: the problem shows below
        return done + " " + self.tr(
            "A session counts once {needed} are held for {seconds} seconds or more, so "
            "nothing was logged. Start again whenever you have three minutes.").format(
                needed=self.steps_needed(), seconds=STEP_DONE_SECONDS)

    # -- controls -------------------------------------------------------------------------

    def start(self) -> None:
        if self.finished:
            return
        self._started = True
        super().start()

    def back(self) -> None:
        if self._index > 0:
            self._credit_step()
            self._show_step(self._index - 1)

    def skip(self) -> None:
        if self._index < len(STEPS) - 1:
            self._credit_step()
            self._show_step(self._index + 1)
        else:
            self.finish()

    def finish(self) -> None:
        if not self.finished:
            self._credit_step()
        super().finish()

    def restart(self) -> None:
        self._logged = False
        self._started = False
        self._stop()
        self._held_ms = [0] * len(STEPS)
        self._show_step(0)

    def _tick(self) -> None:
        elapsed = self._elapsed_ms + self._clock.elapsed()
        left_ms = STEP_SECONDS * 1000 - elapsed
        if left_ms <= 0:
            if self._index < len(STEPS) - 1:
                self._credit_step()
                self._show_step(self._index + 1)
            else:
                self.finish()
            return
        self.ring.set_left(left_ms / (STEP_SECONDS * 1000), (left_ms + 999) // 1000)

    # -- events ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self.finished:
            super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_Space and not (self.play_button.hasFocus() or
                                            self.back_button.hasFocus() or
                                            self.skip_button.hasFocus()):
            self.toggle()
        elif key == Qt.Key.Key_Left:
            self.back()
        elif key == Qt.Key.Key_Right:
            self.skip()
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing mid-way stops the clock; opening again starts over.
        self.restart()
        super().closeEvent(event)
