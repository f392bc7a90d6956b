"""The report and the recent facts from the habits' definitions: the user's own habits are
summarized like the built-ins, and a fact's days are judged by the habit's trigger."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from quell.core.entries import Entry, Target
from quell.core.habits import Direction, Habit, Kind, Trigger, TriggerRule, habit, user_habit
from quell.core.report import habit_sentence, recent_trigger_facts, summarize_habits
from quell.core.summary import DaySummary, habit_progress
from quell.core.triage import parse_answers

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 10)
ALCOHOL = user_habit("Alcohol", "drinks", Kind.COUNT, Direction.AT_MOST, 2)
WALKING = user_habit("Walking", "minutes", Kind.DURATION, Direction.AT_LEAST, 30)
MOOD = user_habit("Mood", "rating", Kind.RATING, Direction.NONE)
NICOTINE_ALCOHOL = parse_answers({"trigger_nicotine_alcohol": True})


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)


def summaries(habits: list[Habit], by_day: dict[int, list[tuple[str, float]]],
              count: int = 7) -> list[DaySummary]:
    """*count* days up to TODAY with *habits* enabled; keys of *by_day* are days back."""
    days = []
    for back in range(count - 1, -1, -1):
        day = TODAY - timedelta(days=back)
        entries = [Entry(key, at(day), day, amount) for key, amount in by_day.get(back, [])]
        days.append(DaySummary(day, tuple(
            habit_progress(spec, [e for e in entries if e.habit == spec.key],
                           Target(spec.key, spec.default_target, spec.default_target_max,
                                  date(1, 1, 1)) if spec.default_target is not None else None)
            for spec in habits)))
    return days


def test_a_user_habit_named_alcohol_is_a_fact_for_nicotine_or_alcohol() -> None:
    days = summaries([habit("nicotine"), ALCOHOL],
                     {0: [("alcohol", 3)], 1: [("alcohol", 1)], 2: [("nicotine", 1)]})
    assert recent_trigger_facts(NICOTINE_ALCOHOL, days) == (
        "You logged nicotine on 1 of the last 7 days.",
        "Alcohol was over your limit on 1 of the 2 days you logged it in the last 7 days.",
    )
    within = summaries([ALCOHOL], {0: [("alcohol", 2)]})
    assert recent_trigger_facts(NICOTINE_ALCOHOL, within) == (
        "Your alcohol stayed within your limit on the 1 day you logged it in the last 7 days.",)


def test_each_rule_has_words_for_a_user_habit() -> None:
    # A user habit of a key a named trigger reads: its facts follow its rule's words.
    def facts(spec: Habit, amounts: dict[int, list[tuple[str, float]]]) -> tuple[str, ...]:
        alcohol = replace(spec, key="alcohol")
        return recent_trigger_facts(NICOTINE_ALCOHOL, summaries([alcohol], amounts))

    walking = {0: [("alcohol", 40)], 1: [("alcohol", 10)]}
    assert facts(WALKING, walking) == (
        "You reached your walking goal on 1 of the 2 days you logged walking in the last 7 "
        "days.",)
    screen = user_habit("Screen time", "hours", Kind.DURATION, Direction.RANGE, 1, 3)
    assert facts(screen, {0: [("alcohol", 4)], 1: [("alcohol", 2)]}) == (
        "Your screen time was outside your range on 1 of the 2 days you logged it in the last 7 "
        "days.",)
    assert facts(screen, {0: [("alcohol", 2)]}) == (
        "Your screen time was within your range on the 1 day you logged it in the last 7 "
        "days.",)
    assert facts(MOOD, {0: [("alcohol", 2)]}) == ("You logged mood on 1 of the last 7 days.",)
    below = replace(WALKING, trigger=Trigger("w", TriggerRule.BELOW, "W", "W", threshold=20))
    assert facts(below, {0: [("alcohol", 10)], 1: [("alcohol", 30)]}) == (
        "Your walking was under 20 min on 1 of the 2 days you logged it in the last 7 days "
        "(20 min on average).",)
    high = replace(MOOD, trigger=Trigger("m", TriggerRule.AT_LEAST, "M", "M", threshold=4))
    assert facts(high, {0: [("alcohol", 4)]}) == (
        "Your mood was 4 / 5 or more on the 1 day you logged it in the last 7 days.",)
    assert facts(replace(MOOD, trigger=None), {0: [("alcohol", 4)]}) == ()


def test_a_threshold_comes_from_the_habit() -> None:
    # A sleep habit whose trigger says under 6 h: 6.5 h is not short any more.
    sleep = habit("sleep")
    assert sleep.trigger is not None
    shorter = replace(sleep, trigger=replace(sleep.trigger, threshold=6.0))
    answers = parse_answers({"trigger_poor_sleep": True})
    assert recent_trigger_facts(answers, summaries([shorter], {0: [("sleep", 6.5)]})) == (
        "You slept 7 hours or more on the 1 night you logged in the last 7 days (6 h 30 min).",)
    assert recent_trigger_facts(answers, summaries([sleep], {0: [("sleep", 6.5)]})) == (
        "You slept under 7 hours on the 1 night you logged in the last 7 days (6 h 30 min).",)


def test_the_habit_summary_covers_user_habits_after_the_built_ins() -> None:
    days = summaries([ALCOHOL, habit("water"), MOOD, WALKING],
                     {0: [("alcohol", 3), ("water", 2500), ("mood", 4)],
                      1: [("alcohol", 1), ("mood", 2), ("walking", 45)]})
    periods = summarize_habits(days)
    assert [p.habit.key for p in periods] == ["water", "alcohol", "mood", "walking"]
    said = {p.habit.key: habit_sentence(p) for p in periods}
    # Days considered are those with any entry: 2 here, and a day without alcohol is none.
    assert said["alcohol"] == ("Alcohol: 2 drinks a day on average over 2 days; over the "
                               "limit on 1 of them.")
    assert said["mood"] == "Mood: rated on 2 days, 3 / 5 on average."
    assert said["walking"] == ("Walking: logged on 1 day, 45 min; days with the goal reached: "
                               "1.")
    assert all(p.high_stress_days == 0 for p in periods)
    one = summarize_habits(summaries([MOOD], {0: [("mood", 5)]}))
    assert habit_sentence(one[0]) == "Mood: rated on 1 day, 5 / 5."
