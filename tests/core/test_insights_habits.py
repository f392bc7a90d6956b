"""Insights from the habits' definitions: the user's own habits feed triggers judged by their
rule like the built-ins, each rule at its exact boundary, and the evidence as an enum."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quell.core.entries import Target
from quell.core.habits import (
    HIGH_STRESS_FROM,
    SHORT_SLEEP_HOURS,
    Direction,
    HabitCatalog,
    Kind,
    Trigger,
    TriggerRule,
    habit,
    user_habit,
)
from quell.core.insights import (
    TRIGGER_KEYS,
    Evidence,
    TriggerResult,
    compute,
    judge_day,
)

START = date(2026, 1, 5)
ALWAYS = date(1, 1, 1)
ALCOHOL = user_habit("Alcohol", "drinks", Kind.COUNT, Direction.AT_MOST, 2)
WALKING = user_habit("Walking", "minutes", Kind.DURATION, Direction.AT_LEAST, 30)
SCREEN = user_habit("Screen time", "hours", Kind.DURATION, Direction.RANGE, 1, 3)
ATE_LATE = user_habit("Ate late", "times", Kind.COUNT, Direction.NONE)
MOOD = user_habit("Mood", "rating", Kind.RATING, Direction.NONE)
CATALOG = HabitCatalog([ALCOHOL, WALKING, SCREEN, ATE_LATE, MOOD])


def on(index: int) -> date:
    return START + timedelta(days=index)


def target(value: float | None, value_max: float | None = None) -> Target:
    return Target("x", value, value_max, ALWAYS)


def found(insights_triggers: tuple[TriggerResult, ...], key: str) -> TriggerResult:
    return next(t for t in insights_triggers if t.key == key)


def test_user_habits_feed_triggers_after_the_built_ins() -> None:
    insights = compute({}, {}, {}, CATALOG)
    keys = [t.key for t in insights.triggers]
    assert keys == [*TRIGGER_KEYS, "alcohol_over_limit", "walking_under_target",
                    "screen_time_outside_range", "ate_late_any", "mood_any"]
    # Without a catalog: the built-ins alone, as before.
    assert [t.key for t in compute({}, {}, {}).triggers] == list(TRIGGER_KEYS)


def test_a_user_at_most_habit_over_its_limit() -> None:
    # 10 days with 3 drinks (over the limit of 2), 10 days with 2 or none; more twitches when
    # over. A day without alcohol counts as none (at most: no entry means none taken).
    totals = {"alcohol": {on(i): 3.0 for i in range(10)} | {on(10): 2.0},
              "water": {on(i): 1000.0 for i in range(20)}}
    twitches = {on(i): 3 if i < 10 else 1 for i in range(20)}
    targets = {"alcohol": [Target("alcohol", 2, None, ALWAYS)]}
    insights = compute(totals, targets, twitches, CATALOG)
    result = found(insights.triggers, "alcohol_over_limit")
    assert (result.days_with, result.days_without) == (10, 10)
    assert (result.episodes_with, result.episodes_without) == (30, 10)
    assert result.rate_ratio == pytest.approx(3.0)
    assert result.evidence is Evidence.MORE
    assert result.name == "Alcohol over your limit"
    assert result.sentence == ("On days with more than your limit of alcohol you logged 3 times "
                               "as many twitches: 10 days vs 10 days.")
    assert insights.triggers[0].key == "alcohol_over_limit"  # the strongest evidence first
    assert result.to_json()["key"] == "alcohol_over_limit"


def test_a_user_habit_without_a_target_in_force_is_not_judged() -> None:
    totals = {"alcohol": {on(0): 5.0}, "walking": {on(0): 10.0}}
    insights = compute(totals, {}, {}, CATALOG)
    for key in ("alcohol_over_limit", "walking_under_target", "screen_time_outside_range"):
        result = found(insights.triggers, key)
        assert (result.days_with, result.days_without) == (0, 0)


def test_user_at_least_range_and_any_habits_judged_only_when_logged() -> None:
    totals = {"walking": {on(0): 29.0, on(1): 30.0},
              "screen_time": {on(0): 0.5, on(1): 1.0, on(2): 3.0, on(3): 3.5},
              "ate_late": {on(4): 1.0},
              "water": {on(5): 1.0}}
    targets = {"walking": [Target("walking", 30, None, ALWAYS)],
               "screen_time": [Target("screen_time", 1, 3, ALWAYS)]}
    insights = compute(totals, targets, {}, CATALOG)
    walking = found(insights.triggers, "walking_under_target")
    assert (walking.days_with, walking.days_without) == (1, 1)
    screen = found(insights.triggers, "screen_time_outside_range")
    assert (screen.days_with, screen.days_without) == (2, 2)
    # "Any": no entry means none (6 considered days, one of them with the habit).
    late = found(insights.triggers, "ate_late_any")
    assert (late.days_with, late.days_without) == (1, 5)
    assert late.name == "Any ate late"


def test_an_archived_user_habit_feeds_no_trigger() -> None:
    from dataclasses import replace

    archived = HabitCatalog([replace(ALCOHOL, archived=True)])
    assert "alcohol_over_limit" not in [t.key for t in compute({}, {}, {}, archived).triggers]


# -- each rule at its boundary -----------------------------------------------------------


def rule(kind: TriggerRule, threshold: float | None = None, none_is_zero: bool = False
         ) -> Trigger:
    return Trigger("t", kind, "T", "On days with t", threshold=threshold,
                   none_is_zero=none_is_zero)


def test_over_and_under_target_at_the_target() -> None:
    over, under = rule(TriggerRule.OVER_TARGET), rule(TriggerRule.UNDER_TARGET)
    assert judge_day(over, 300.0, target(300)) is False
    assert judge_day(over, 300.5, target(300)) is True
    assert judge_day(under, 2000.0, target(2000)) is False
    assert judge_day(under, 1999.5, target(2000)) is True
    for trigger in (over, under, rule(TriggerRule.OUTSIDE_RANGE)):
        assert judge_day(trigger, 1.0, None) is None
        assert judge_day(trigger, 1.0, target(None)) is None


def test_outside_range_at_both_ends() -> None:
    outside = rule(TriggerRule.OUTSIDE_RANGE)
    assert judge_day(outside, 1.0, target(1, 3)) is False
    assert judge_day(outside, 3.0, target(1, 3)) is False
    assert judge_day(outside, 0.9, target(1, 3)) is True
    assert judge_day(outside, 3.1, target(1, 3)) is True
    # A range without a high end is judged against its low end on both sides.
    assert judge_day(outside, 2.0, target(2)) is False
    assert judge_day(outside, 2.5, target(2)) is True


def test_below_and_at_least_at_the_threshold() -> None:
    below = rule(TriggerRule.BELOW, SHORT_SLEEP_HOURS)
    assert judge_day(below, SHORT_SLEEP_HOURS, None) is False
    assert judge_day(below, SHORT_SLEEP_HOURS - 0.1, None) is True
    at_least = rule(TriggerRule.AT_LEAST, HIGH_STRESS_FROM)
    assert judge_day(at_least, HIGH_STRESS_FROM, None) is True
    assert judge_day(at_least, HIGH_STRESS_FROM - 0.5, None) is False
    # Without a threshold these rules cannot judge a day.
    assert judge_day(rule(TriggerRule.BELOW), 1.0, None) is None
    assert judge_day(rule(TriggerRule.AT_LEAST), 1.0, None) is None


def test_any_and_none_and_a_day_without_an_entry() -> None:
    assert judge_day(rule(TriggerRule.ANY), 0.5, None) is True
    assert judge_day(rule(TriggerRule.ANY), 0.0, None) is False
    assert judge_day(rule(TriggerRule.NONE), 0.0, None) is True
    assert judge_day(rule(TriggerRule.NONE), 1.0, None) is False
    assert judge_day(rule(TriggerRule.ANY), None, None) is None
    assert judge_day(rule(TriggerRule.ANY, none_is_zero=True), None, None) is False
    assert judge_day(rule(TriggerRule.NONE, none_is_zero=True), None, None) is True


def test_the_thresholds_are_the_habits_own() -> None:
    sleep, stress = habit("sleep").trigger, habit("stress").trigger
    assert sleep is not None and sleep.threshold == SHORT_SLEEP_HOURS
    assert stress is not None and stress.threshold == HIGH_STRESS_FROM


def test_day_before_marks_the_next_day_and_needs_one_judged_day() -> None:
    from dataclasses import replace

    # A trigger of its day and the next, on a habit judged only where it was logged.
    late = replace(ATE_LATE, trigger=Trigger("late_any", TriggerRule.ANY, "Late",
                                             "On days of or after eating late", day_before=True))
    totals = {"ate_late": {on(1): 1.0, on(3): 0.0},
              "water": {on(i): 1.0 for i in range(7)}}
    result = found(compute(totals, {}, {}, HabitCatalog([late])).triggers, "late_any")
    # Day 1 and 2 with it; 3 and 4 without (a logged 0 on day 3 that day or the day before);
    # days 0, 5 and 6 have nothing logged that day or the day before: not judged.
    assert (result.days_with, result.days_without) == (2, 2)


# -- evidence ---------------------------------------------------------------------------


def test_evidence_is_an_enum_with_the_old_strings() -> None:
    assert [e.value for e in Evidence] == ["more", "fewer", "unclear", "not_enough"]
    assert TriggerResult("nicotine", 6, 7, 1, 1, None, None, None).evidence is (
        Evidence.NOT_ENOUGH)
    assert TriggerResult("nicotine", 7, 6, 1, 1, None, None, None).evidence is (
        Evidence.NOT_ENOUGH)
    assert TriggerResult("nicotine", 7, 7, 9, 1, 2.0, 1.5, 3.0).evidence is Evidence.MORE
    assert TriggerResult("nicotine", 7, 7, 1, 9, 0.5, 0.2, 0.9).evidence is Evidence.FEWER
