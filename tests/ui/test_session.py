"""Session: one `changed` signal per committed change, none for rejected input."""

from __future__ import annotations

import pytest

from desktop.core.errors import InputError
from desktop.ui.session import Session


def test_log_emits_changed_once(qtbot, session: Session) -> None:
    with qtbot.wait_signal(session.changed, timeout=1000):
        session.log("water", 250)
    assert session.summary().get("water").total == 250


def test_rejected_input_emits_nothing(qtbot, session: Session) -> None:
    with qtbot.assert_not_emitted(session.changed), pytest.raises(InputError):
        session.log("water", 50_000)
    assert session.summary().get("water").total == 0


def test_day_rollover_emits_day_changed(qtbot, session: Session, clock) -> None:
    clock.advance(days=1)
    with qtbot.wait_signal(session.day_changed, timeout=1000):
        session.check_day()
