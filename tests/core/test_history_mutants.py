"""History edges a mutation run found untested: judging at each boundary of each kind of
goal, weekly bars around days off, unknown and pending days, and day-off labels."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quell.core.entries import Target
from quell.core.habits import habit
from quell.core.history import (
    HabitDay,
    HourOutcomes,
    Outcome,
    TargetTimeline,
    WeekBar,
    day_off_label,
    habit_days,
    judge,
    logged_days,
    weekly_bars,
)

MONDAY = date(2026, 1, 5)
ALWAYS = date(1, 1, 1)


def target(value: float | None, value_max: float | None = None, key: str = "water") -> Target:
    return Target(key, value, value_max, ALWAYS)  # type: ignore[arg-type]


def test_at_least_goals_at_and_around_the_goal() -> None:
    water = habit("water")
    goal = target(2000)
    assert judge(water, 2000, goal, logged_any=True) == (Outcome.MET, 1.0)
    assert judge(water, 1500, goal, logged_any=True) == (Outcome.PARTIAL, 0.75)
    assert judge(water, None, goal, logged_any=True) == (Outcome.MISSED, 0.0)
    assert judge(water, 0, goal, logged_any=True) == (Outcome.MISSED, 0.0)
    assert judge(water, 1500, goal, logged_any=True, is_today=True) == (Outcome.PENDING, None)
    assert judge(water, 2000, goal, logged_any=True, is_today=True) == (Outcome.MET, 1.0)
    assert judge(water, 0, target(0), logged_any=True) == (Outcome.MET, 1.0)


def test_at_most_limits_at_and_around_the_limit() -> None:
    caffeine = habit("caffeine")
    limit = target(300, key="caffeine")
    assert judge(caffeine, 300, limit, logged_any=True) == (Outcome.MET, 1.0)
    assert judge(caffeine, 301, limit, logged_any=True) == (Outcome.OVER, 0.0)
    assert judge(caffeine, 301, limit, logged_any=True, is_today=True) == (Outcome.OVER, 0.0)
    assert judge(caffeine, None, limit, logged_any=True) == (Outcome.MET, 1.0)
    assert judge(caffeine, None, limit, logged_any=False) == (Outcome.NO_DATA, None)
    assert judge(caffeine, 100, limit, logged_any=False) == (Outcome.MET, 1.0)
    assert judge(caffeine, 100, limit, logged_any=True, is_today=True) == (
        Outcome.PENDING, None)
    nicotine = habit("nicotine")
    assert judge(nicotine, 1, target(0, key="nicotine"), logged_any=True) == (Outcome.OVER, 0.0)
    assert judge(nicotine, None, target(0, key="nicotine"), logged_any=True) == (
        Outcome.MET, 1.0)


def test_ranges_at_and_around_both_ends() -> None:
    sleep = habit("sleep")
    goal = target(7, 9, key="sleep")
    assert judge(sleep, 7, goal, logged_any=True) == (Outcome.MET, 1.0)
    assert judge(sleep, 9, goal, logged_any=True) == (Outcome.MET, 1.0)
    assert judge(sleep, 3.5, goal, logged_any=True) == (Outcome.PARTIAL, 0.5)
    assert judge(sleep, 12, goal, logged_any=True) == (Outcome.OVER, 0.75)
    assert judge(sleep, None, goal, logged_any=True) == (Outcome.MISSED, 0.0)
    assert judge(sleep, None, goal, logged_any=True, is_today=True) == (Outcome.PENDING, None)
    assert judge(sleep, 5, goal, logged_any=True, is_today=True) == (Outcome.PENDING, None)
    assert judge(sleep, 12, goal, logged_any=True, is_today=True) == (Outcome.PENDING, None)
    assert judge(sleep, 8, goal, logged_any=True, is_today=True) == (Outcome.MET, 1.0)
    only_low = target(7, None, key="sleep")
    assert judge(sleep, 12, only_low, logged_any=True) == (Outcome.MET, 1.0)
    only_high = target(None, 9, key="sleep")
    assert judge(sleep, 1, only_high, logged_any=True) == (Outcome.MET, 1.0)
    assert judge(sleep, 10, only_high, logged_any=True) == (Outcome.OVER, 0.9)
    assert judge(sleep, 0, target(0, 9, key="sleep"), logged_any=True) == (Outcome.MET, 1.0)


def test_no_goal_at_all() -> None:
    assert judge(habit("water"), 500, None, logged_any=True) == (Outcome.NO_GOAL, None)
    assert judge(habit("water"), 500, target(None), logged_any=True) == (Outcome.NO_GOAL, None)
    assert judge(habit("stress"), 4, target(3, key="stress"), logged_any=True) == (
        Outcome.NO_GOAL, None)


def test_timeline_picks_the_target_in_force_from_its_first_day() -> None:
    first = Target("water", 2000, None, MONDAY)
    later = Target("water", 1500, None, MONDAY + timedelta(3))
    timeline = TargetTimeline([later, first])
    assert timeline.on(MONDAY - timedelta(1)) is None
    assert timeline.on(MONDAY) is first
    assert timeline.on(MONDAY + timedelta(2)) is first
    assert timeline.on(MONDAY + timedelta(3)) is later
    assert TargetTimeline([]).on(MONDAY) is None


def test_habit_days_carry_the_target_today_and_days_off() -> None:
    targets = [Target("sleep", 7, 9, ALWAYS)]
    days = habit_days(habit("sleep"), {MONDAY: 8.0}, targets, MONDAY, MONDAY + timedelta(2),
                      logged_days={MONDAY}, days_off={MONDAY + timedelta(1): "sick"},
                      today=MONDAY + timedelta(2))
    assert days == [
        HabitDay(MONDAY, 8.0, 7, 9, Outcome.MET, 1.0),
        HabitDay(MONDAY + timedelta(1), None, 7, 9, Outcome.DAY_OFF, None, "sick"),
        HabitDay(MONDAY + timedelta(2), None, 7, 9, Outcome.PENDING, None),
    ]
    assert habit_days(habit("sleep"), {}, [], MONDAY, MONDAY, logged_days=set()) == [
        HabitDay(MONDAY, None, None, None, Outcome.NO_GOAL, None)]


def day(offset: int, outcome: Outcome, total: float | None, value: float | None = 2000,
        value_max: float | None = None) -> HabitDay:
    return HabitDay(MONDAY + timedelta(offset), total, value, value_max, outcome, None)


def test_weekly_bars_leave_out_days_off_and_unknown_days_but_go_on_after_them() -> None:
    caffeine = habit("caffeine")
    days = [day(0, Outcome.MET, 100, 300), day(1, Outcome.DAY_OFF, 500, 300),
            day(2, Outcome.NO_DATA, None, 300), day(3, Outcome.MET, None, 300),
            day(4, Outcome.OVER, 400, 400)]
    assert weekly_bars(caffeine, days) == [WeekBar(MONDAY, pytest.approx(500 / 3), 3, 400, None)]


def test_weekly_bars_of_logged_only_habits_and_pending_days() -> None:
    sleep = habit("sleep")
    days = [day(0, Outcome.MET, 8, 7, 9), day(1, Outcome.MISSED, None, 7, 9),
            day(2, Outcome.MET, 7, 7, 9)]
    assert weekly_bars(sleep, days) == [WeekBar(MONDAY, 7.5, 2, 7, 9)]
    water = habit("water")
    pending = [day(0, Outcome.MET, 2000), day(1, Outcome.PENDING, None)]
    assert weekly_bars(water, pending) == [WeekBar(MONDAY, 2000.0, 1, 2000, None)]
    only_off = [day(0, Outcome.DAY_OFF, None)]
    assert weekly_bars(water, only_off) == [WeekBar(MONDAY, None, 0, 2000, None)]
    assert weekly_bars(water, []) == []


def test_weekly_bars_split_on_the_chosen_first_weekday() -> None:
    water = habit("water")
    days = [day(i, Outcome.MET, 1000.0 * (i + 1)) for i in range(8)]  # Monday .. next Monday
    by_monday = weekly_bars(water, days)
    assert [(b.start, b.days) for b in by_monday] == [(MONDAY, 7), (MONDAY + timedelta(7), 1)]
    by_sunday = weekly_bars(water, days, first_weekday=6)
    assert [(b.start, b.days) for b in by_sunday] == [
        (MONDAY - timedelta(1), 6), (MONDAY + timedelta(6), 2)]
    assert by_sunday[1].value == pytest.approx((7000 + 8000) / 2)


def test_day_off_labels() -> None:
    assert day_off_label("sick") == "sick"
    assert day_off_label("vacation") == "vacation"
    assert day_off_label("") == ""
    assert day_off_label("conference") == "conference"


def test_logged_days_of_no_habits() -> None:
    assert logged_days({}) == set()
    assert logged_days({"water": {MONDAY: 1.0}, "sleep": {}}) == {MONDAY}


def test_day_off_labels_go_through_the_translator() -> None:
    from quell.core import i18n

    i18n.install(lambda text: f"«{text}»")
    try:
        assert day_off_label("sick") == "«sick»"
        assert day_off_label("conference") == "conference"  # an unknown key is kept as it is
        assert day_off_label("") == ""
    finally:
        i18n.install(str)


def test_an_hours_outcomes_total_counts_every_outcome() -> None:
    assert HourOutcomes(9, {"done": 2, "missed": 1, "suppressed": 4}).total == 7
    assert HourOutcomes(3, {}).total == 0
