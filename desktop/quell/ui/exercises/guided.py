"""The guided exercises' frame: a timed page, then a finish page logging what was done."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from quell.core.entries import Source
from quell.core.errors import InputError
from quell.ui.common.illustration import Illustration
from quell.ui.common.style import InlineMessage, header_font, muted_color, set_text_color
from quell.ui.services.session import Session


class GuidedExercise(QWidget):
    """A window that times an exercise and, at its end, logs one session of *habit* (once),
    but only when enough of it was done.

    A subclass builds the exercise page, hands it to :meth:`_set_pages` with the page from
    :meth:`_build_finish`, and fills in the hooks: :meth:`_tick` (the timer fired, or the clock
    was moved on), :meth:`_update_play` (the start/pause button's words), :meth:`_finish_words`
    and :meth:`_muted_labels`; :meth:`_enough_done` and :meth:`_finish_heading` when ending
    early can leave too little to count. *source* says where the window was opened from.

    Signals:
        completed(): the exercise ended with enough done to count as a session (and was
            logged when the habit can be logged).
    """

    completed = Signal()

    def __init__(self, session: Session, *, habit: str, source: Source, tick_ms: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._session = session
        self._habit = habit
        self.source = source
        self._running = False
        self._elapsed_ms = 0
        self._logged = False
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._tick)

    # -- building -------------------------------------------------------------------------

    def _set_pages(self, exercise: QWidget, finish: QWidget) -> None:
        self.pages = QStackedWidget()
        self.pages.addWidget(exercise)
        self.pages.addWidget(finish)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(self.pages)

    def _play_button(self, name: str) -> QPushButton:
        """The default button that starts and pauses the timer (its words: :meth:`_update_play`)."""
        button = QPushButton()
        button.setObjectName(name)
        button.setDefault(True)
        button.setMinimumWidth(110)
        button.clicked.connect(self.toggle)
        return button

    def _build_finish(self, art: str, title: str, again: str,
                      start_again: Callable[[], None]) -> QWidget:
        page = QWidget()
        self._heading = title
        self.finish_art = Illustration(art, QSize(96, 96))
        self.finish_art.setFixedSize(96, 96)
        self.finish_title = QLabel(title)
        self.finish_title.setFont(header_font(self.font(), scale=1.4))
        self.finish_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.finish_text = QLabel()
        self.finish_text.setWordWrap(True)
        self.finish_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.finish_problem = InlineMessage(page)
        self.again_button = QPushButton(again)
        self.again_button.clicked.connect(start_again)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.again_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.finish_art, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(8)
        layout.addWidget(self.finish_title)
        layout.addWidget(self.finish_text)
        layout.addWidget(self.finish_problem)
        layout.addStretch(2)
        layout.addLayout(buttons)
        return page

    # -- hooks for the exercise -----------------------------------------------------------

    def _tick(self) -> None:
        raise NotImplementedError

    def _update_play(self) -> None:
        raise NotImplementedError

    def _finish_words(self, *, logged: bool) -> str:
        """What the finish page says, with or without the session logged."""
        raise NotImplementedError

    def _enough_done(self) -> bool:
        """Whether what was done counts as a session (by default: reaching the end)."""
        return True

    def _finish_heading(self, *, enough: bool) -> str:
        """The finish page's title; praise only when enough was done."""
        return self._heading

    def _muted_labels(self) -> tuple[QLabel, ...]:
        """The exercise's secondary text, drawn in the muted colour."""
        return ()

    # -- state ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    @property
    def finished(self) -> bool:
        return self.pages.currentIndex() == 1

    def _restyle(self) -> None:
        for label in (*self._muted_labels(), self.finish_text):
            set_text_color(label, muted_color(self.palette()))

    # -- controls -------------------------------------------------------------------------

    def toggle(self) -> None:
        if self._running:
            self.pause()
        else:
            self.start()

    def start(self) -> None:
        self._running = True
        self._clock.restart()
        self._timer.start()
        self._update_play()

    def pause(self) -> None:
        if self._running:
            self._elapsed_ms += self._clock.elapsed()
        self._stop()
        self._update_play()

    def _stop(self) -> None:
        self._running = False
        self._timer.stop()

    def advance_time(self, milliseconds: int) -> None:
        """Move the exercise's clock on (for tests and demos)."""
        self._elapsed_ms += milliseconds
        self._tick()

    def finish(self) -> None:
        """The end: show the finish page and log one session (once) if enough was done."""
        self._stop()
        self.pages.setCurrentIndex(1)
        self.finish_problem.clear_message()
        enough = self._logged or self._enough_done()
        self.finish_title.setText(self._finish_heading(enough=enough))
        if not enough:
            self.finish_text.setText(self._finish_words(logged=False))
            self.close_button.setFocus()
            return
        if not self._logged:
            try:
                self._session.log(self._habit, 1, source=self.source)
            except InputError as error:
                self.finish_text.setText(self._finish_words(logged=False))
                self.finish_problem.show_message(str(error))
            else:
                self._logged = True
                self.finish_text.setText(self._finish_words(logged=True))
        self.close_button.setFocus()
        self.completed.emit()

    # -- events ---------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "finish_text"):
            self._restyle()
