"""The stretch routine: six illustrated steps of 30 s, back and skip, finishing logs a session."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtSvg import QSvgRenderer

from quell.core.entries import Source
from quell.ui.common.illustration import illustration_colors, render, svg_bytes
from quell.ui.exercises.stretch_routine import (
    STEP_DONE_SECONDS,
    STEP_SECONDS,
    STEPS,
    StretchRoutine,
)
from quell.ui.services.session import Session
from tests.ui.today.test_window import dark_palette


@pytest.fixture
def routine(qtbot, session: Session) -> StretchRoutine:
    widget = StretchRoutine(session)
    qtbot.addWidget(widget)
    return widget


def test_about_three_minutes_covering_the_four_areas() -> None:
    assert len(STEPS) * STEP_SECONDS == 180
    names = " ".join(step.name.lower() for step in STEPS)
    for area in ("calves", "thighs", "neck", "shoulders", "forearms", "hands"):
        assert area in names
    assert all(len(step.instruction) < 220 for step in STEPS)  # plain and short


@pytest.mark.parametrize("name", [s.illustration for s in STEPS] + [
    "reminder-water", "reminder-stretch", "reminder-breathe", "reminder-caffeine",
    "reminder-wind-down", "reminder-sleep-log", "reminder-away"])
def test_illustrations_render_in_palette_colours(qtbot, name: str) -> None:
    from PySide6.QtWidgets import QApplication

    for palette in (QApplication.palette(), dark_palette()):
        data = bytes(svg_bytes(name, palette).data()).decode()
        assert not any(p in data for p in illustration_colors(palette))  # all replaced
        assert QSvgRenderer(svg_bytes(name, palette)).isValid()
        image = render(name, QSize(120, 100), palette).toImage()
        assert not image.isNull()
        assert image.pixelColor(60, 50).alpha() > 0  # something is drawn in the middle


def test_steps_forward_and_back(qtbot, routine: StretchRoutine) -> None:
    assert routine.index == 0 and routine.step_title.text() == "Calves"
    assert not routine.back_button.isEnabled()
    assert routine.play_button.text() == "Start"
    routine.skip_button.click()
    assert routine.index == 1 and routine.counter.text() == "Step 2 of 6"
    qtbot.keyClick(routine, Qt.Key.Key_Right)
    assert routine.index == 2
    qtbot.keyClick(routine, Qt.Key.Key_Left)
    routine.back_button.click()
    assert routine.index == 0
    assert routine.illustration.name == "stretch-calves"


def test_the_timer_moves_through_the_steps(qtbot, routine: StretchRoutine) -> None:
    routine.start()
    assert routine.running and routine.play_button.text() == "Pause"
    routine.advance_time(10_000)
    assert routine.ring.seconds == 20
    routine.advance_time(20_001)
    assert routine.index == 1 and routine.seconds_left() == STEP_SECONDS
    routine.pause()
    assert routine.play_button.text() == "Resume"


def test_finishing_logs_one_session_once(qtbot, routine: StretchRoutine,
                                         session: Session) -> None:
    routine.source = Source.REMINDER
    routine.start()
    with qtbot.wait_signal(routine.completed, timeout=500):
        for _ in STEPS:
            routine.advance_time(STEP_SECONDS * 1000 + 1)
    assert routine.finished and not routine.running
    progress = session.summary().get("stretching")
    assert progress.total == 1 and progress.entries[0].source is Source.REMINDER
    assert routine.finish_text.text() == ("You held 6 of the 6 stretches. One stretching "
                                          "session is logged for today.")
    routine.finish()
    assert session.summary().get("stretching").total == 1
    routine.again_button.click()
    assert routine.index == 0 and not routine.finished


def stretching_total(session: Session) -> float:
    progress = session.summary().get("stretching")
    return progress.total if progress is not None else 0


def test_skipping_every_step_logs_nothing_and_says_so(qtbot, routine: StretchRoutine,
                                                      session: Session) -> None:
    completed: list[bool] = []
    routine.completed.connect(lambda: completed.append(True))
    for _ in range(len(STEPS) - 1):
        routine.skip()
    assert routine.skip_button.text() == "Finish"
    routine.skip_button.click()
    assert routine.finished
    assert stretching_total(session) == 0
    assert routine.finish_title.text() == "Nothing logged this time"
    assert "Nicely done" not in routine.finish_title.text()
    assert routine.finish_text.text().startswith("You held 0 of the 6 stretches. A session "
                                                 "counts once 3 are held for 15 seconds")
    assert "nothing was logged" in routine.finish_text.text()
    assert not completed
    # Finishing again does not log either; starting over and doing it does.
    routine.finish()
    assert stretching_total(session) == 0
    routine.again_button.click()
    routine.start()
    for _ in STEPS:
        routine.advance_time(STEP_SECONDS * 1000 + 1)
    assert routine.finished and stretching_total(session) == 1
    assert routine.finish_title.text() == "Nicely done" and completed == [True]


def hold(routine: StretchRoutine, milliseconds: int) -> None:
    routine.advance_time(milliseconds)
    routine.skip()


def test_half_the_routine_held_logs_one_session(qtbot, routine: StretchRoutine,
                                                session: Session) -> None:
    routine.start()
    for _ in range(3):
        hold(routine, STEP_DONE_SECONDS * 1000)
    assert routine.steps_done == 3
    while not routine.finished:
        routine.skip()
    assert stretching_total(session) == 1
    assert routine.finish_title.text() == "Nicely done"
    assert routine.finish_text.text() == ("You held 3 of the 6 stretches. One stretching "
                                          "session is logged for today.")


def test_just_short_of_half_logs_nothing(qtbot, routine: StretchRoutine,
                                         session: Session) -> None:
    routine.start()
    hold(routine, STEP_DONE_SECONDS * 1000)
    hold(routine, STEP_DONE_SECONDS * 1000)
    hold(routine, STEP_DONE_SECONDS * 1000 - 200)  # a step held 14.8 s is not done
    assert routine.steps_done == 2
    while not routine.finished:
        routine.skip()
    assert stretching_total(session) == 0
    assert routine.finish_text.text().startswith("You held 2 of the 6 stretches.")


def test_one_step_done_again_and_again_counts_once(qtbot, routine: StretchRoutine,
                                                   session: Session) -> None:
    routine.start()
    for _ in range(4):
        routine.advance_time(STEP_SECONDS * 1000 + 1)  # the timer moves on to step 2
        assert routine.index == 1
        routine.back()
    assert routine.steps_done == 1
    routine.finish()
    assert stretching_total(session) == 0


def test_time_spread_over_visits_to_a_step_adds_up(qtbot, routine: StretchRoutine,
                                                   session: Session) -> None:
    routine.start()
    for _ in range(3):
        routine.advance_time(8_000)
        routine.skip()
        routine.back()
    assert routine.steps_done == 1  # 3 x 8 s on the first step


def test_closing_starts_over(qtbot, routine: StretchRoutine) -> None:
    routine.show()
    routine.skip()
    routine.start()
    routine.close()
    assert routine.index == 0 and not routine.running


def test_controls_are_named_and_reachable(routine: StretchRoutine) -> None:
    for button in (routine.back_button, routine.play_button, routine.skip_button):
        assert button.accessibleName()
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_dark_palette_paints(qtbot, routine: StretchRoutine) -> None:
    routine.setPalette(dark_palette())
    routine.resize(460, 600)
    assert not routine.grab().toImage().isNull()
