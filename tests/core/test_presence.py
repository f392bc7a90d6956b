"""Presence in the core: hold reasons and their order, the texts, which holds the settings
allow, and the span of time away that counts as a natural break."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from quell.core.presence import (
    BREAK_REASONS,
    PRIORITY,
    AwaySpan,
    Hold,
    HoldReason,
    extend_span,
    first_hold,
    hold_wanted,
    waited_text,
    waiting_text,
)
from quell.core.settings import ReminderSettings
from tests.conftest import LONDON

T0 = datetime(2026, 3, 10, 14, 0, tzinfo=LONDON)


def minutes(count: float) -> datetime:
    return T0 + timedelta(minutes=count)


def hhmm(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def test_reasons_have_their_json_values_and_priority() -> None:
    assert [r.value for r in HoldReason] == [
        "screen_locked", "away", "meeting", "fullscreen", "do_not_disturb"]
    assert PRIORITY == (HoldReason.SCREEN_LOCKED, HoldReason.AWAY, HoldReason.MEETING,
                        HoldReason.FULLSCREEN, HoldReason.DO_NOT_DISTURB)
    assert {HoldReason.AWAY, HoldReason.SCREEN_LOCKED} == BREAK_REASONS


def test_to_json() -> None:
    assert Hold(HoldReason.AWAY, T0).to_json() == {
        "reason": "away", "since": "2026-03-10T14:00:00+00:00", "until": None}
    assert Hold(HoldReason.MEETING, T0, minutes(90)).to_json() == {
        "reason": "meeting", "since": "2026-03-10T14:00:00+00:00",
        "until": "2026-03-10T15:30:00+00:00"}


def test_first_hold_names_the_strongest_reason() -> None:
    dnd = Hold(HoldReason.DO_NOT_DISTURB, T0)
    meeting = Hold(HoldReason.MEETING, minutes(5), minutes(60))
    locked = Hold(HoldReason.SCREEN_LOCKED, minutes(10))
    assert first_hold([]) is None
    assert first_hold([None, None]) is None
    assert first_hold([None, dnd]) is dnd
    assert first_hold([dnd, meeting, None]) is meeting
    assert first_hold([dnd, locked, meeting]) is locked
    fullscreen = Hold(HoldReason.FULLSCREEN, T0)
    assert first_hold([dnd, fullscreen]) is fullscreen
    away = Hold(HoldReason.AWAY, T0)
    assert first_hold([meeting, away]) is away
    # Every pair picks the earlier of the two in PRIORITY, whatever the order given.
    for i, a in enumerate(PRIORITY):
        for b in PRIORITY[i + 1:]:
            first, second = Hold(a, T0), Hold(b, T0)
            assert first_hold([second, first]) is first
            assert first_hold([first, second]) is first


def test_waiting_text_for_each_reason() -> None:
    def text(reason: HoldReason, until: datetime | None = None) -> str:
        return waiting_text(Hold(reason, T0, until), hhmm)

    assert text(HoldReason.SCREEN_LOCKED) == "Reminders waiting: the screen is locked"
    assert text(HoldReason.AWAY) == "Reminders waiting: you are away"
    assert text(HoldReason.MEETING) == "Reminders waiting: you are in a meeting"
    assert text(HoldReason.MEETING, minutes(90)) == (
        "Reminders waiting: your meeting until 15:30")
    assert text(HoldReason.FULLSCREEN) == "Reminders waiting: a full-screen window is in front"
    assert text(HoldReason.DO_NOT_DISTURB) == "Reminders waiting: do not disturb is on"
    # Only a meeting says its end; an until on another hold is not shown.
    assert text(HoldReason.AWAY, minutes(90)) == "Reminders waiting: you are away"


def test_waited_text_for_each_reason() -> None:
    assert waited_text(HoldReason.SCREEN_LOCKED) == "It waited while the screen was locked."
    assert waited_text(HoldReason.AWAY) == "It waited while you were away."
    assert waited_text(HoldReason.MEETING) == "It waited until your meeting was over."
    assert waited_text(HoldReason.FULLSCREEN) == (
        "It waited until the full-screen window was closed.")
    assert waited_text(HoldReason.DO_NOT_DISTURB) == "It waited until do not disturb was off."


@pytest.mark.parametrize(("field", "reason"), [
    ("hold_when_away", HoldReason.AWAY),
    ("hold_in_do_not_disturb", HoldReason.DO_NOT_DISTURB),
    ("hold_in_fullscreen", HoldReason.FULLSCREEN),
])
def test_each_setting_turns_off_its_own_hold_only(field: str, reason: HoldReason) -> None:
    on = ReminderSettings()
    off = on.replace(**{field: False})
    assert hold_wanted(reason, on)
    assert not hold_wanted(reason, off)
    for other in HoldReason:
        if other is not reason:
            assert hold_wanted(other, off) == hold_wanted(other, on)


def test_lock_and_meetings_always_hold() -> None:
    nothing = ReminderSettings(hold_when_away=False, hold_in_do_not_disturb=False,
                               hold_in_fullscreen=False)
    assert hold_wanted(HoldReason.SCREEN_LOCKED, nothing)
    assert hold_wanted(HoldReason.MEETING, nothing)
    assert [r for r in HoldReason if hold_wanted(r, nothing)] == [
        HoldReason.SCREEN_LOCKED, HoldReason.MEETING]
    assert all(hold_wanted(r, ReminderSettings()) for r in HoldReason)


def test_a_span_covers_both_ends_and_measures_its_length() -> None:
    span = AwaySpan(minutes(0), minutes(5))
    assert span.covers(minutes(0)) and span.covers(minutes(5)) and span.covers(minutes(2))
    assert not span.covers(minutes(-0.01)) and not span.covers(minutes(5.01))
    assert span.lasted(timedelta(minutes=5))
    assert not span.lasted(timedelta(minutes=5, seconds=1))
    assert span.lasted(timedelta(0))


def test_a_span_compares_moments_in_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    span = AwaySpan(minutes(0), minutes(10))
    # 16:05 at +02:00 is 14:05 in London (UTC in March).
    assert span.covers(datetime(2026, 3, 10, 16, 5, tzinfo=plus_two))
    assert not span.covers(datetime(2026, 3, 10, 14, 5, tzinfo=plus_two))
    mixed = AwaySpan(datetime(2026, 3, 10, 16, 0, tzinfo=plus_two), minutes(5))
    assert mixed.lasted(timedelta(minutes=5))
    assert not mixed.lasted(timedelta(minutes=6))


def test_extend_span_starts_at_since_and_runs_to_now() -> None:
    away = Hold(HoldReason.AWAY, minutes(-6))
    assert extend_span(None, away, minutes(0)) == AwaySpan(minutes(-6), minutes(0))
    locked = Hold(HoldReason.SCREEN_LOCKED, minutes(-10))
    assert extend_span(None, locked, minutes(0)) == AwaySpan(minutes(-10), minutes(0))


def test_extend_span_keeps_the_earliest_start() -> None:
    span = AwaySpan(minutes(-6), minutes(0))
    later = Hold(HoldReason.AWAY, minutes(-5))
    assert extend_span(span, later, minutes(3)) == AwaySpan(minutes(-6), minutes(3))
    earlier = Hold(HoldReason.SCREEN_LOCKED, minutes(-9))
    assert extend_span(span, earlier, minutes(3)) == AwaySpan(minutes(-9), minutes(3))
    same = Hold(HoldReason.AWAY, minutes(-6))
    assert extend_span(span, same, minutes(4)) == AwaySpan(minutes(-6), minutes(4))


def test_extend_span_ignores_other_holds_and_none() -> None:
    span = AwaySpan(minutes(-6), minutes(0))
    for reason in (HoldReason.MEETING, HoldReason.FULLSCREEN, HoldReason.DO_NOT_DISTURB):
        assert extend_span(span, Hold(reason, minutes(-30)), minutes(9)) is span
        assert extend_span(None, Hold(reason, minutes(-30)), minutes(9)) is None
    assert extend_span(span, None, minutes(9)) is span
    assert extend_span(None, None, minutes(9)) is None
