"""Daily judging, streaks and the habit-strength score (with its reasons)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quell.core.entries import Target
from quell.core.habits import habit
from quell.core.history import (
    HabitDay,
    Outcome,
    TargetTimeline,
    habit_days,
    logged_days,
    week_start,
    weekly_bars,
)
from quell.core.streaks import day_reason, decay, half_life_days, streaks, strength

START = date(2026, 1, 5)  # a Monday
ALWAYS = date(1, 1, 1)
WATER = [Target("water", 2000, None, ALWAYS)]
CAFFEINE = [Target("caffeine", 300, None, ALWAYS)]
SLEEP = [Target("sleep", 7, 9, ALWAYS)]


def span(n: int) -> tuple[date, date]:
    return START, START + timedelta(days=n - 1)


def water_days(values: list[float | None], **kwargs: object) -> list:
    first, last = span(len(values))
    totals = {START + timedelta(days=i): v for i, v in enumerate(values) if v is not None}
    logged = kwargs.pop("logged", set(totals) | {first + timedelta(days=i)
                                                 for i in range(len(values))})
    return habit_days(habit("water"), totals, WATER, first, last, logged_days=logged,
                      **kwargs)  # type: ignore[arg-type]


def test_half_life_follows_frequency() -> None:
    assert half_life_days() == 13
    assert half_life_days(4) == 6.5
    # After 13 days a day's weight halves.
    assert decay() ** 13 == pytest.approx(0.5)


def test_at_least_judging_and_credit() -> None:
    days = water_days([2000, 1000, None, 2500])
    assert [d.outcome for d in days] == [Outcome.MET, Outcome.PARTIAL, Outcome.MISSED,
                                         Outcome.MET]
    assert [d.credit for d in days] == [1.0, 0.5, 0.0, 1.0]
    assert days[1].target == 2000


def test_targets_in_force_each_day() -> None:
    targets = [Target("water", 2000, None, ALWAYS), Target("water", 1500, None, START +
                                                           timedelta(days=1))]
    first, last = span(2)
    totals = {START: 1600.0, START + timedelta(days=1): 1600.0}
    days = habit_days(habit("water"), totals, targets, first, last, logged_days=set(totals))
    assert [d.outcome for d in days] == [Outcome.PARTIAL, Outcome.MET]
    timeline = TargetTimeline(targets)
    assert timeline.on(START).value == 2000
    assert timeline.on(date(2030, 1, 1)).value == 1500


def test_at_most_empty_days() -> None:
    first, last = span(4)
    totals = {START: 400.0, START + timedelta(days=1): 100.0}
    # Day 3 had other entries (so no caffeine means none); day 4 had nothing at all.
    logged = {START, START + timedelta(days=1), START + timedelta(days=2)}
    days = habit_days(habit("caffeine"), totals, CAFFEINE, first, last, logged_days=logged)
    assert [d.outcome for d in days] == [Outcome.OVER, Outcome.MET, Outcome.MET,
                                         Outcome.NO_DATA]


def test_nicotine_limit_zero() -> None:
    first, last = span(2)
    targets = [Target("nicotine", 0, None, ALWAYS)]
    days = habit_days(habit("nicotine"), {START: 1.0}, targets, first, last,
                      logged_days={START, last})
    assert [d.outcome for d in days] == [Outcome.OVER, Outcome.MET]


def test_range_habit() -> None:
    first, last = span(4)
    totals = {START: 6.0, START + timedelta(days=1): 8.0, START + timedelta(days=2): 10.0}
    days = habit_days(habit("sleep"), totals, SLEEP, first, last, logged_days=set(totals))
    assert [d.outcome for d in days] == [Outcome.PARTIAL, Outcome.MET, Outcome.OVER,
                                         Outcome.MISSED]
    assert days[0].credit == pytest.approx(6 / 7)
    assert days[2].credit == pytest.approx(9 / 10)


def test_no_goal_habits() -> None:
    first, last = span(2)
    days = habit_days(habit("stress"), {START: 4.0}, [], first, last, logged_days={START})
    assert {d.outcome for d in days} == {Outcome.NO_GOAL}
    assert streaks(days).best == 0
    assert strength(habit("stress"), days).score == 0


def test_today_is_pending_until_met() -> None:
    today = START + timedelta(days=2)
    days = water_days([2000, 2000, 500], today=today)
    assert days[-1].outcome is Outcome.PENDING
    assert streaks(days).current == 2
    days = water_days([2000, 2000, 2100], today=today)
    assert days[-1].outcome is Outcome.MET
    assert streaks(days).current == 3


def test_streaks_current_and_best() -> None:
    days = water_days([2000, 2000, 2000, 0, 2000, 2000])
    found = streaks(days)
    assert (found.current, found.best) == (2, 3)
    assert found.best_from == START and found.best_to == START + timedelta(days=2)
    assert found.current_since == START + timedelta(days=4)
    assert streaks(water_days([2000, 0])).current == 0


def test_days_off_freeze_streak_and_score() -> None:
    off = {START + timedelta(days=2): "sick", START + timedelta(days=3): "sick"}
    days = water_days([2000, 2000, None, None, 2000], days_off=off)
    assert [d.outcome for d in days][2:4] == [Outcome.DAY_OFF, Outcome.DAY_OFF]
    assert streaks(days).current == 3
    score = strength(habit("water"), days)
    plain = strength(habit("water"), water_days([2000, 2000, 2000]))
    assert score.score == pytest.approx(plain.score)
    frozen = [s for s in score.steps if s.outcome is Outcome.DAY_OFF]
    assert len(frozen) == 2 and all(s.before == s.after for s in frozen)
    assert "day off (sick)" in frozen[0].reason


def test_score_follows_the_moving_average() -> None:
    carry = 0.5 ** (1 / 13)
    days = water_days([2000, 1000, 0])
    score = strength(habit("water"), days)
    expected = 0.0
    for credit in (1.0, 0.5, 0.0):
        expected = expected * carry + credit * (1 - carry)
    assert score.score == pytest.approx(expected)
    # Thirteen perfect days from zero reach half: the half-life at work.
    assert strength(habit("water"), water_days([2000] * 13)).score == pytest.approx(0.5)
    # A long perfect run approaches 100 %.
    assert strength(habit("water"), water_days([2500] * 200)).percent == 100


def test_at_most_habits_do_not_start_at_100() -> None:
    first, last = span(1)
    days = habit_days(habit("caffeine"), {START: 100.0}, CAFFEINE, first, last,
                      logged_days={START})
    score = strength(habit("caffeine"), days)
    assert score.percent == 5  # one good day out of a 13-day half-life, not 100 %
    assert score.steps[0].before == 0


def test_unknown_days_keep_the_score() -> None:
    first, last = span(3)
    logged = {START, last}
    days = habit_days(habit("caffeine"), {START: 100.0, last: 100.0}, CAFFEINE, first, last,
                      logged_days=logged)
    score = strength(habit("caffeine"), days)
    middle = score.steps[1]
    assert middle.outcome is Outcome.NO_DATA and middle.before == middle.after
    assert "can't tell" in middle.reason
    # The score keeps, but the streak does not: a day not judged good ends it.
    assert streaks(days).current == 1
    assert streaks(days).current_since == last
    assert streaks(days).best == 1


def caffeine_days(totals: dict[date, float], first: date, last: date, *, logged: set[date],
                  today: date | None = None, days_off: dict[date, str] | None = None) -> list:
    return habit_days(habit("caffeine"), totals, CAFFEINE, first, last, logged_days=logged,
                      today=today, days_off=days_off)


def test_an_at_most_streak_ends_when_quell_was_not_used() -> None:
    # Five good caffeine days from 5 January, then nothing at all logged until today.
    good = {START + timedelta(days=i): 95.0 for i in range(5)}
    today = date(2026, 3, 2)
    days = caffeine_days(good, START, today, logged=set(good), today=today)
    found = streaks(days)
    assert found.current == 0 and found.current_since is None
    assert (found.best, found.best_from, found.best_to) == (5, START, START + timedelta(days=4))


def test_an_at_most_streak_is_kept_by_today_and_days_off() -> None:
    # Three good days, a day off, a good day with no caffeine (other entries), and today.
    today = START + timedelta(days=5)
    totals = {START: 95.0, START + timedelta(days=2): 200.0}
    logged = set(totals) | {START + timedelta(days=1), START + timedelta(days=4)}
    off = {START + timedelta(days=3): "vacation"}
    days = caffeine_days(totals, START, today, logged=logged, today=today, days_off=off)
    assert [d.outcome for d in days] == [Outcome.MET, Outcome.MET, Outcome.MET,
                                         Outcome.DAY_OFF, Outcome.MET, Outcome.PENDING]
    found = streaks(days)
    assert (found.current, found.current_since) == (4, START)
    # The same run with yesterday unlogged (no entry of any habit) is over.
    days = caffeine_days(totals, START, today, logged=logged - {START + timedelta(days=4)},
                         today=today, days_off=off)
    assert days[4].outcome is Outcome.NO_DATA
    assert streaks(days).current == 0 and streaks(days).best == 3


def test_an_over_day_ends_an_at_most_streak() -> None:
    totals = {START: 95.0, START + timedelta(days=1): 400.0, START + timedelta(days=2): 95.0}
    days = caffeine_days(totals, START, START + timedelta(days=2), logged=set(totals))
    found = streaks(days)
    assert (found.current, found.best) == (1, 1)
    assert found.current_since == START + timedelta(days=2)


def test_every_step_says_why() -> None:
    days = water_days([2000, 1000, 0])
    steps = strength(habit("water"), days).steps
    assert steps[0].reason == "goal reached: 2,000 of 2,000 ml"
    assert steps[1].reason == "part of the goal: 1,000 of 2,000 ml (50 %)"
    assert steps[2].reason == "nothing toward the goal of 2,000 ml"
    assert steps[0].change_points == 5 and steps[2].change_points < 0
    first, last = span(2)
    caffeine = habit_days(habit("caffeine"), {START: 400.0, last: 95.0}, CAFFEINE, first, last,
                          logged_days={START, last})
    reasons = [s.reason for s in strength(habit("caffeine"), caffeine).steps]
    assert reasons == ["over the limit: 400 of 300 mg", "within the limit: 95 of 300 mg"]
    sleep = habit_days(habit("sleep"), {START: 6.5}, SLEEP, START, START, logged_days={START})
    assert strength(habit("sleep"), sleep).steps[0].reason == "short: 6 h 30 min (goal 7–9 h)"


def test_steps_are_capped() -> None:
    score = strength(habit("water"), water_days([2000] * 100), keep_steps=14)
    assert len(score.steps) == 14
    assert score.steps[-1].day == START + timedelta(days=99)


def test_weekly_bars_average_per_day() -> None:
    # Monday 5 Jan .. Sunday 18 Jan: week one has 2000 on three days (the rest empty: 0).
    values: list[float | None] = [2000, 2000, 2000, None, None, None, None] + [1000] * 7
    bars = weekly_bars(habit("water"), water_days(values))
    assert [b.start for b in bars] == [START, START + timedelta(days=7)]
    assert bars[0].value == pytest.approx(6000 / 7)
    assert bars[1].value == pytest.approx(1000)
    assert bars[0].target == 2000
    # Sleep averages the nights logged.
    first, last = span(7)
    sleep = habit_days(habit("sleep"), {START: 6.0, last: 8.0}, SLEEP, first, last,
                       logged_days={START, last})
    assert weekly_bars(habit("sleep"), sleep)[0].value == pytest.approx(7.0)


def test_week_start_follows_the_locale() -> None:
    wednesday = START + timedelta(days=2)
    assert week_start(wednesday) == START
    assert week_start(wednesday, 6) == START - timedelta(days=1)  # Sunday-first


def test_logged_days_unions_habits() -> None:
    assert logged_days({"water": {START: 1.0}, "sleep": {START + timedelta(days=1): 7.0}}) == {
        START, START + timedelta(days=1)}


def test_a_sleep_range_with_halves_reads_as_one_range() -> None:
    # Found by mutation testing: the low end was a number and the high end a duration.
    sleep = HabitDay(date(2026, 3, 2), total=8.0, target=6.5, target_max=8.5,
                     outcome=Outcome.MET, credit=1.0)
    assert day_reason(habit("sleep"), sleep) == "in range: 8 h (goal 6.5–8.5 h)"
