"""The stretch routine: six illustrated steps of 30 s, back and skip, finishing logs a session."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtSvg import QSvgRenderer

from desktop.core.entries import Source
from desktop.ui.illustration import illustration_colors, render, svg_bytes
from desktop.ui.session import Session
from desktop.ui.stretch_routine import STEP_SECONDS, STEPS, StretchRoutine
from tests.ui.test_today_window import dark_palette


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
    assert "logged" in routine.finish_text.text()
    routine.finish()
    assert session.summary().get("stretching").total == 1
    routine.again_button.click()
    assert routine.index == 0 and not routine.finished


def test_skip_on_the_last_step_finishes(qtbot, routine: StretchRoutine,
                                        session: Session) -> None:
    for _ in range(len(STEPS) - 1):
        routine.skip()
    assert routine.skip_button.text() == "Finish"
    routine.skip_button.click()
    assert routine.finished
    assert session.summary().get("stretching").total == 1


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
