"""Streak and strength edges a mutation run found untested: ties for the best run, days that
say nothing in the middle of a series, step trimming, and every reason's exact words."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quell.core.habits import habit
from quell.core.history import HabitDay, Outcome
from quell.core.streaks import (
    ScoreStep,
    Strength,
    day_reason,
    decay,
    explain,
    streaks,
    strength,
)

START = date(2026, 1, 5)


def day(index: int, outcome: Outcome, credit: float | None = None, total: float | None = None,
        target: float | None = 2000.0, target_max: float | None = None,
        off_reason: str = "") -> HabitDay:
    if credit is None and outcome.counts:
        credit = 1.0 if outcome is Outcome.MET else 0.0
    return HabitDay(START + timedelta(days=index), total, target, target_max, outcome, credit,
                    off_reason)


def series(*outcomes: Outcome) -> list[HabitDay]:
    return [day(i, outcome) for i, outcome in enumerate(outcomes)]


MET, MISSED, OVER = Outcome.MET, Outcome.MISSED, Outcome.OVER


def test_the_first_of_two_equal_runs_stays_the_best() -> None:
    found = streaks(series(MET, MET, MISSED, MET, MET))
    assert (found.best, found.best_from, found.best_to) == (2, START, START + timedelta(1))
    assert (found.current, found.current_since) == (2, START + timedelta(3))


def test_a_longer_later_run_becomes_the_best() -> None:
    found = streaks(series(MET, OVER, MET, MET, MISSED))
    assert (found.best, found.best_from, found.best_to) == (
        2, START + timedelta(2), START + timedelta(3))
    assert (found.current, found.current_since) == (0, None)


@pytest.mark.parametrize("breaker", [Outcome.PARTIAL, Outcome.MISSED, Outcome.OVER,
                                     Outcome.NO_DATA])
def test_every_day_not_judged_good_ends_a_run(breaker: Outcome) -> None:
    found = streaks(series(MET, MET, breaker, MET))
    assert (found.current, found.current_since) == (1, START + timedelta(3))
    assert found.best == 2


@pytest.mark.parametrize("neutral", [Outcome.DAY_OFF, Outcome.PENDING, Outcome.NO_GOAL])
def test_days_that_freeze_neither_add_nor_break(neutral: Outcome) -> None:
    found = streaks(series(MET, neutral, MET))
    assert (found.current, found.best, found.current_since) == (2, 2, START)
    assert found.best_to == START + timedelta(2)


def test_no_days_no_streaks() -> None:
    found = streaks([])
    assert (found.current, found.best, found.current_since, found.best_from,
            found.best_to) == (0, 0, None, None, None)


def test_a_day_without_a_goal_in_the_middle_does_not_stop_the_score() -> None:
    spec = habit("water")
    days = [day(0, MET), day(1, Outcome.NO_GOAL, target=None), day(2, MET)]
    carry = decay()
    result = strength(spec, days)
    assert result.score == pytest.approx((1 - carry) * carry + (1 - carry))
    assert [step.day for step in result.steps] == [START, START + timedelta(2)]


def test_days_off_and_unknown_days_keep_the_score_and_say_so() -> None:
    spec = habit("caffeine")
    days = [day(0, MET, target=300), day(1, Outcome.DAY_OFF, off_reason="sick"),
            day(2, Outcome.NO_DATA, target=300)]
    result = strength(spec, days)
    first = result.steps[0].after
    assert [s.before for s in result.steps[1:]] == [first, first]
    assert [s.after for s in result.steps[1:]] == [first, first]
    assert result.steps[1].reason == "day off (sick): score and streak kept"
    assert result.steps[2].reason == (
        "nothing logged that day, so Quell can't tell: score kept")
    assert result.steps[1].change_points == 0


def test_partial_credit_moves_the_score_by_its_share() -> None:
    carry = decay()
    result = strength(habit("water"), [day(0, Outcome.PARTIAL, credit=0.5, total=1000)])
    assert result.score == pytest.approx(0.5 * (1 - carry))
    step = result.steps[0]
    assert (step.before, step.outcome) == (0.0, Outcome.PARTIAL)
    assert step.after == result.score


def test_a_counted_day_without_credit_leaves_the_score() -> None:
    # A counted outcome the judge gave no credit (none can be computed) moves nothing.
    uncredited = HabitDay(START + timedelta(1), None, 2000, None, MISSED, None)
    one = strength(habit("water"), [day(0, MET)])
    assert strength(habit("water"), [day(0, MET), uncredited]).score == one.score
    assert strength(habit("water"), [day(0, MET), day(1, MISSED)]).score < one.score


def test_a_higher_frequency_changes_faster() -> None:
    days = series(MET, MET, MET)
    daily = strength(habit("water"), days)
    often = strength(habit("water"), days, frequency=4)
    assert often.score > daily.score
    assert often.half_life == 6.5 and daily.half_life == 13.0


def test_steps_are_trimmed_to_the_latest_in_long_series() -> None:
    days = [day(i, MET if i % 2 else MISSED) for i in range(40)]
    result = strength(habit("water"), days, keep_steps=5)
    assert [s.day for s in result.steps] == [START + timedelta(i) for i in range(35, 40)]
    steps_all = strength(habit("water"), days, keep_steps=40).steps
    assert len(steps_all) == 40
    for kept in (1, 3, 7):
        trimmed = strength(habit("water"), days, keep_steps=kept).steps
        assert trimmed == steps_all[-kept:]


def test_percent_rounds_and_last_change_is_the_latest_step() -> None:
    step = ScoreStep(START, 0.0, 0.456, MET, "why")
    assert Strength(0.456, (step,), 13.0).percent == 46
    assert Strength(0.454, (), 13.0).percent == 45
    assert Strength(0.0, (), 13.0).last_change is None
    other = ScoreStep(START + timedelta(1), 0.456, 0.5, MET, "why")
    assert Strength(0.5, (step, other), 13.0).last_change is other
    assert other.change_points == 4
    assert ScoreStep(START, 0.004, 0.006, MET, "").change_points == 1


def test_every_reason_in_words() -> None:
    water, caffeine, sleep = habit("water"), habit("caffeine"), habit("sleep")
    assert day_reason(water, day(0, Outcome.DAY_OFF)) == "day off: score and streak kept"
    assert day_reason(water, day(0, MET, total=2500)) == "goal reached: 2,500 of 2,000 ml"
    assert day_reason(water, day(0, Outcome.PARTIAL, credit=0.25, total=500)) == (
        "part of the goal: 500 of 2,000 ml (25 %)")
    assert day_reason(water, day(0, MISSED, total=None)) == (
        "nothing toward the goal of 2,000 ml")
    assert day_reason(water, day(0, MISSED, total=0), "fl_oz").endswith("fl oz")
    assert day_reason(caffeine, day(0, OVER, total=400, target=300)) == (
        "over the limit: 400 of 300 mg")
    assert day_reason(caffeine, day(0, MET, total=95, target=300)) == (
        "within the limit: 95 of 300 mg")
    assert day_reason(caffeine, day(0, MET, total=None, target=300)) == (
        "within the limit: nothing logged of 300 mg")
    in_range = day(0, MET, total=8, target=7, target_max=9)
    assert day_reason(sleep, in_range) == "in range: 8 h (goal 7–9 h)"
    assert day_reason(sleep, day(0, OVER, total=10, target=7, target_max=9)) == (
        "more than planned: 10 h (goal 7–9 h)")
    assert day_reason(sleep, day(0, Outcome.PARTIAL, credit=0.5, total=6, target=7,
                                 target_max=9)) == "short: 6 h (goal 7–9 h)"
    assert day_reason(sleep, day(0, MISSED, total=None, target=7, target_max=9)) == "not logged"
    assert day_reason(sleep, day(0, MET, total=8, target=7, target_max=None)) == (
        "in range: 8 h (7 h)")


def test_the_explanation_names_the_half_life() -> None:
    text = explain(strength(habit("water"), series(MET), frequency=4))
    # A 6.5-day half-life, rounded to whole days.
    assert text.startswith("Each day counts by how well it went; a day's weight halves after "
                           "6 days, so one off day costs little and steady weeks add up.")
    assert text.endswith("Days off and days Quell can't judge leave the score as it was.")


def test_reasons_use_the_water_unit_and_round_the_share() -> None:
    water = habit("water")
    days = [day(0, Outcome.PARTIAL, credit=1 / 3, total=666)]
    step = strength(water, days, water_unit="fl_oz").steps[0]
    assert step.reason == "part of the goal: 22.5 of 67.6 fl oz (33 %)"
    assert strength(water, days).steps[0].reason == "part of the goal: 666 of 2,000 ml (33 %)"


def test_fourteen_steps_are_kept_by_default() -> None:
    result = strength(habit("water"), [day(i, MET) for i in range(20)])
    assert [s.day for s in result.steps] == [START + timedelta(i) for i in range(6, 20)]


def test_a_streak_that_ended_has_no_start() -> None:
    found = streaks(series(MET, MISSED))
    assert (found.current, found.current_since) == (0, None)
    assert (found.best, found.best_from, found.best_to) == (1, START, START)
