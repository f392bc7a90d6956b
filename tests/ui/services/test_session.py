"""Session: one `changed` signal per committed change, none for rejected input."""

from __future__ import annotations

import pytest

from quell.core.errors import InputError
from quell.ui.services.session import Session


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


def test_the_day_check_waits_for_the_next_day_start_not_a_poll(session: Session, clock) -> None:
    from quell.ui.services.session import DAY_CHECK_CAP_SECONDS

    # At 14:30 the next day starts at 04:00 tomorrow: the wait is capped, not 30 s polling.
    assert session._day_timer.isSingleShot()
    assert session._day_timer.interval() == DAY_CHECK_CAP_SECONDS * 1000
    clock.set(clock.now().replace(hour=3, minute=59, second=0))
    session.check_day()
    assert session._day_timer.interval() == 61_000
