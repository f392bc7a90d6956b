"""The breathing exercise: the pace, the animation's state, finishing logs a session."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from quell.ui.exercises.breathing import PACES, BreathingExercise, Pace
from quell.ui.services.session import Session
from tests.ui.today.test_window import dark_palette


@pytest.fixture
def exercise(qtbot, session: Session) -> BreathingExercise:
    widget = BreathingExercise(session, minutes=2)
    qtbot.addWidget(widget)
    return widget


def test_pace_in_and_out() -> None:
    pace = Pace(4, 6)
    assert pace.at(0) == (True, 0.0, 4)
    breathing_in, fullness, left = pace.at(2)
    assert breathing_in and fullness == pytest.approx(0.5) and left == pytest.approx(2)
    breathing_in, fullness, _left = pace.at(4)
    assert not breathing_in and fullness == pytest.approx(1.0)
    assert pace.at(9.999)[1] == pytest.approx(0.0, abs=1e-3)
    assert pace.at(10) == (True, 0.0, 4)


def test_length_ends_on_a_full_breath() -> None:
    assert Pace(4, 6).length(2) == 120
    assert Pace(5, 7).length(1) == 60
    assert Pace(4, 4).length(1) == 64
    assert PACES[0] == Pace(4, 6)


def test_runs_and_animates(qtbot, exercise: BreathingExercise) -> None:
    assert exercise.start_button.text() == "Start"
    assert exercise.time_left.text() == "2:00 left"
    exercise.start()
    assert exercise.running and exercise.start_button.text() == "Pause"
    exercise.advance_time(2000)
    assert exercise.phase.text() == "Breathe in through your nose"
    assert 0.4 < exercise.circle.fullness < 0.6
    exercise.advance_time(3000)
    assert exercise.phase.text() == "Breathe out slowly"
    assert exercise.circle.accessibleDescription() == "Breathe out slowly"
    exercise.pause()
    assert exercise.start_button.text() == "Resume"


def test_finishing_logs_one_session(qtbot, exercise: BreathingExercise,
                                    session: Session) -> None:
    exercise.start()
    with qtbot.wait_signal(exercise.completed, timeout=500):
        exercise.advance_time(120_001)
    assert exercise.finished
    assert session.summary().get("breathing").total == 1
    exercise.finish()
    assert session.summary().get("breathing").total == 1


def test_breathing_switched_off_is_not_logged_but_explained(
        qtbot, exercise: BreathingExercise, session: Session) -> None:
    session.set_enabled_habits([k for k in session.enabled_habits() if k != "breathing"])
    exercise.start()
    exercise.advance_time(120_001)
    assert exercise.finished
    assert "switched off" in exercise.finish_problem.message


def test_length_and_pace_choices(qtbot, exercise: BreathingExercise) -> None:
    exercise.minute_buttons[5].click()
    assert exercise.minutes == 5 and exercise.time_left.text() == "5:00 left"
    exercise.pace.setCurrentIndex(2)
    assert exercise.current_pace == Pace(5, 7)
    for button in exercise.minute_buttons.values():
        assert button.accessibleName() and button.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_hidden_means_no_animation(qtbot, exercise: BreathingExercise) -> None:
    exercise.show()
    exercise.start()
    exercise.hide()
    assert not exercise.running


def test_dark_palette_paints(qtbot, exercise: BreathingExercise) -> None:
    exercise.setPalette(dark_palette())
    exercise.start()
    exercise.advance_time(3000)
    assert not exercise.grab().toImage().isNull()


def test_stopping_early_logs_nothing(qtbot, exercise: BreathingExercise,
                                     session: Session) -> None:
    # Checked for the stretch routine's flaw: breathing only ends (and logs) when its whole
    # length has run; pausing, changing the length, hiding or closing part-way logs nothing.
    completed: list[bool] = []
    exercise.completed.connect(lambda: completed.append(True))
    exercise.show()
    exercise.start()
    exercise.advance_time(119_000)
    exercise.pause()
    qtbot.keyClick(exercise, Qt.Key.Key_Right)  # no key skips to the end
    assert not exercise.finished
    exercise.minute_buttons[1].click()  # a new length starts over
    assert exercise.time_left.text() == "1:00 left"
    exercise.start()
    exercise.advance_time(59_000)
    exercise.close()
    assert session.summary().get("breathing") is None or \
        session.summary().get("breathing").total == 0
    assert not completed and not exercise.finished
