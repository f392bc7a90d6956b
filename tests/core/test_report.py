"""The doctor's report: plain words for answers, habit and diary summaries, and the HTML."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quell.core.entries import Entry, Target
from quell.core.errors import InputError
from quell.core.habits import HABIT_KEYS, HABITS
from quell.core.report import (
    EPISODES_LISTED,
    SymptomCheck,
    answer_phrase,
    build_report,
    changed_answers,
    habit_sentence,
    level_label,
    named_triggers,
    recent_trigger_facts,
    report_html,
    reported_symptoms,
    summarize_habits,
)
from quell.core.summary import DaySummary, summarize_day
from quell.core.triage import ANSWER_KEYS, DEFAULT_ANSWERS, TriageLevel, parse_answers, triage
from quell.core.twitches import Twitch

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 10)
TARGETS = {h.key: Target(h.key, h.default_target, h.default_target_max, date(1, 1, 1))
           for h in HABITS if h.default_target is not None}


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def days_with(entries_by_day: dict[int, list[tuple[str, float]]], count: int = 7
              ) -> list[DaySummary]:
    """Summaries of the *count* days up to TODAY; keys are days before TODAY."""
    summaries = []
    for back in range(count - 1, -1, -1):
        day = TODAY - timedelta(days=back)
        entries = [Entry(key, at(day), day, amount) for key, amount in entries_by_day.get(back, [])]
        summaries.append(summarize_day(day, entries, TARGETS, list(HABIT_KEYS)))
    return summaries


# -- words for answers ----------------------------------------------------------------------

def test_every_answer_other_than_no_has_words() -> None:
    for name, key in ANSWER_KEYS.items():
        for value in key.values:
            phrase = answer_phrase(name, value)
            if value == key.default and name not in ("twitch_location", "twitch_duration"):
                assert phrase is None, name
            else:
                assert phrase and "\n" not in phrase, (name, value)


def test_reported_symptoms_and_triggers() -> None:
    answers = parse_answers({"weakness": "gradual_weeks_to_months", "family_history_mnd": True,
                             "twitch_duration": "over_3_months",
                             "trigger_caffeine_stimulants": True, "suspects_medication": True})
    assert reported_symptoms(answers) == (
        "weakness building up over weeks or months", "twitching in one area",
        "for more than 3 months", "family history of motor neurone disease (MND/ALS)",
        "a medicine may be playing a part")
    assert named_triggers(answers) == ("caffeine or other stimulants",)
    assert reported_symptoms(DEFAULT_ANSWERS) == ("twitching in one area",
                                                  "for less than 2 weeks")


def test_changed_answers_between_two_checks() -> None:
    before = parse_answers({"cramps": "occasional", "muscle_stiffness": True})
    after = parse_answers({"cramps": "frequent_or_disturbing_sleep", "tongue_twitching": True,
                           "twitch_duration": "2_weeks_to_3_months"})
    assert changed_answers(before, after) == (
        ("twitch_duration", "for less than 2 weeks", "for 2 weeks to 3 months"),
        ("tongue_twitching", None, "tongue twitching"),
        ("cramps", "occasional cramps", "frequent cramps, or cramps that disturb sleep"),
        ("muscle_stiffness", "stiff or tight muscles", None),
    )
    assert changed_answers(after, after) == ()


def test_every_level_has_a_short_label() -> None:
    labels = {level: level_label(level) for level in TriageLevel}
    assert len(set(labels.values())) == 5
    assert labels[TriageLevel.EMERGENCY].startswith("Emergency")


# -- habits over a period -------------------------------------------------------------------

def test_habit_summaries() -> None:
    summaries = days_with({
        0: [("caffeine", 400), ("water", 2500), ("sleep", 6), ("stress", 5)],
        1: [("caffeine", 100), ("water", 1000), ("sleep", 8)],
        2: [("water", 500), ("stress", 2)],
        3: [("stretching", 3)],
    })
    periods = {p.habit.key: p for p in summarize_habits(summaries)}
    assert list(periods) == ["water", "caffeine", "sleep", "stretching", "stress"]
    caffeine = periods["caffeine"]
    # no caffeine on a day with other entries counts as none
    assert (caffeine.days_considered, caffeine.days_counted, caffeine.days_over) == (4, 4, 1)
    assert caffeine.average == pytest.approx(125)
    water = periods["water"]
    assert (water.days_logged, water.days_met, water.days_under) == (3, 1, 2)
    sleep = periods["sleep"]
    assert (sleep.days_logged, sleep.days_met, sleep.days_under, sleep.days_over) == (2, 1, 1, 0)
    assert periods["stress"].high_stress_days == 1
    assert habit_sentence(caffeine) == (
        "Caffeine: 125 mg a day on average over 4 days; over the limit on 1 of them.")
    assert habit_sentence(sleep).startswith("Sleep: 7 h a night on average over 2 nights")
    assert habit_sentence(water, "fl_oz").startswith("Water: logged on 3 days, 45.1 fl oz")
    assert habit_sentence(periods["stress"]) == (
        "Stress: rated on 2 days, 3.5 / 5 on average; 4 or 5 on 1 of them.")
    assert summarize_habits(days_with({})) == ()


def test_recent_facts_follow_the_named_triggers() -> None:
    summaries = days_with({n: [("caffeine", 400 if n < 4 else 100), ("sleep", 6.5 if n < 2 else 8),
                               ("stress", 4 if n == 0 else 2)] for n in range(7)})
    twitches = [Twitch("eyelid", at(TODAY), TODAY), Twitch("eyelid", at(TODAY), TODAY),
                Twitch("calf", at(TODAY - timedelta(days=1)), TODAY - timedelta(days=1)),
                Twitch("calf", at(TODAY - timedelta(days=30)), TODAY - timedelta(days=30))]
    answers = parse_answers({"trigger_caffeine_stimulants": True, "trigger_poor_sleep": True,
                             "trigger_stress_anxiety": True})
    facts = recent_trigger_facts(answers, summaries, twitches)
    assert facts == (
        "Caffeine was over your limit on 4 of the last 7 days.",
        "You slept under 7 hours on 2 of the 7 nights you logged in the last 7 days "
        "(7 h 34 min on average).",
        "You rated your stress 4 or 5 on 1 of the 7 days you rated it in the last 7 days.",
        "Your diary has 3 twitches in the last 7 days, most often in the eyelid.",
    )
    # Only what was named, and only with data behind it.
    assert recent_trigger_facts(DEFAULT_ANSWERS, summaries) == ()
    assert recent_trigger_facts(answers, days_with({})) == ()


CAFFEINE = parse_answers({"trigger_caffeine_stimulants": True})


def test_one_day_of_data_claims_only_that_day() -> None:
    within = recent_trigger_facts(CAFFEINE, days_with({1: [("caffeine", 100)]}))
    assert within == ("Your caffeine stayed within your limit on the 1 day you logged it in "
                      "the last 7 days.",)
    over = recent_trigger_facts(CAFFEINE, days_with({1: [("caffeine", 400)]}))
    assert over == ("Caffeine was over your limit on the 1 day you logged it in the last 7 "
                    "days.",)


def test_some_days_of_data_claim_those_days() -> None:
    two = recent_trigger_facts(CAFFEINE, days_with({1: [("caffeine", 100)],
                                                    3: [("caffeine", 90)]}))
    assert two == ("Your caffeine stayed within your limit on each of the 2 days you logged it "
                   "in the last 7 days.",)
    over = recent_trigger_facts(CAFFEINE, days_with({1: [("caffeine", 500)],
                                                     3: [("caffeine", 90)]}))
    assert over == ("Caffeine was over your limit on 1 of the 2 days you logged it in the last "
                    "7 days.",)
    every = recent_trigger_facts(CAFFEINE, days_with({n: [("caffeine", 90)] for n in range(7)}))
    assert every == ("Your caffeine stayed within your limit on each of the last 7 days.",)


@pytest.mark.parametrize(("episodes", "said"), [
    (1, "Your diary has 1 twitch in the last 7 days, in the calf."),
    (2, "Your diary has 2 twitches in the last 7 days, most often in the calf."),
])
def test_the_diary_fact_counts_twitches_correctly(episodes: int, said: str) -> None:
    twitches = [Twitch("calf", at(TODAY), TODAY)] * episodes
    assert recent_trigger_facts(CAFFEINE, days_with({}), twitches)[-1] == said


def test_one_night_and_one_rating() -> None:
    answers = parse_answers({"trigger_poor_sleep": True, "trigger_stress_anxiety": True,
                             "trigger_dehydration_illness": True})
    facts = recent_trigger_facts(answers, days_with({2: [("sleep", 6), ("stress", 4),
                                                         ("water", 2500)]}))
    assert facts == (
        "You slept under 7 hours on the 1 night you logged in the last 7 days (6 h).",
        "You rated your stress 4 or 5 on the 1 day you rated it in the last 7 days.",
        "You reached your water goal on the 1 day you logged water in the last 7 days.",
    )
    calm = recent_trigger_facts(answers, days_with({2: [("sleep", 8), ("stress", 2),
                                                        ("water", 500)]}))
    assert calm == (
        "You slept 7 hours or more on the 1 night you logged in the last 7 days (8 h).",
        "You rated your stress under 4 on the 1 day you rated it in the last 7 days.",
        "You were under your water goal on the 1 day you logged water in the last 7 days.",
    )


def test_recent_facts_for_water_exercise_and_nicotine() -> None:
    summaries = days_with({0: [("water", 2500), ("exercise", 60), ("nicotine", 2)],
                           1: [("water", 1000)]})
    answers = parse_answers({"trigger_dehydration_illness": True, "trigger_hard_exercise": True,
                             "trigger_nicotine_alcohol": True})
    assert recent_trigger_facts(answers, summaries) == (
        "You reached your water goal on 1 of the 2 days you logged water in the last 7 days.",
        "You logged hard exercise on 1 of the last 7 days.",
        "You logged nicotine on 1 of the last 7 days.",
    )


# -- the report -----------------------------------------------------------------------------

def check(day: date, answers: dict[str, object], hour: int = 9, *, check_id: int = 1,
          revises: int | None = None, minute: int = 0) -> SymptomCheck:
    """A check made at *hour* on Quell day *day* (before 04:00 is the night after *day*)."""
    parsed = parse_answers(answers)
    result = triage(parsed, emergency_number="999")
    moment = at(day + timedelta(days=1) if hour < 4 else day, hour).replace(minute=minute)
    return SymptomCheck(moment, day, parsed, result.level, result.reasons, "0.1.0", check_id,
                        revises)


def test_build_report_keeps_to_the_period() -> None:
    first = TODAY - timedelta(days=13)
    twitches = [Twitch("calf", at(first - timedelta(days=1)), first - timedelta(days=1)),
                Twitch("calf", at(first), first, "left", 2, "after <coffee> & tea"),
                Twitch("eyelid", at(TODAY), TODAY, "", 4)]
    checks = [check(first - timedelta(days=2), {}),
              check(TODAY, {"twitch_duration": "over_3_months", "trigger_stress_anxiety": True})]
    summaries = days_with({0: [("caffeine", 350)], 20: [("water", 100)]}, count=30)
    report = build_report(first, TODAY, made_at=at(TODAY, 15), twitches=twitches,
                          checks=checks, day_summaries=summaries)
    assert report.days == 14
    assert [t.area for t in report.episodes] == ["calf", "eyelid"]
    assert [c.level for c in report.checks] == [TriageLevel.ROUTINE]
    assert [p.habit.key for p in report.habits] == ["caffeine"]
    assert report.diary.episodes == 2

    page = report_html(report)
    text = re.sub(r"<[^>]+>", " ", page)
    for words in ("Twitch diary", "2 episodes on 2 of 14 days", "Calf", "Eyelid",
                  "Symptom checks", "Routine appointment", "for more than 3 months",
                  "Possible triggers: stress or anxiety", "Habits",
                  "Caffeine: 350 mg on 1 day; days over the limit: 1.", "Every episode",
                  "not a diagnosis",
                  "25 Feb 2026 to 10 Mar 2026 (14 days)"):
        assert words in text, words
    assert "after &lt;coffee&gt; &amp; tea" in page  # notes are escaped
    assert "<coffee>" not in page


def test_empty_report_says_so() -> None:
    report = build_report(TODAY, TODAY, made_at=at(TODAY), twitches=[], checks=[],
                          day_summaries=[])
    text = report_html(report)
    assert "No twitches were logged in this period." in text
    assert "No symptom checks were done in this period." in text
    assert "No habits were logged in this period." in text
    assert "Every episode" not in text


def test_long_diaries_list_the_latest_episodes() -> None:
    first = TODAY - timedelta(days=99)
    twitches = [Twitch("calf", at(first + timedelta(days=n % 100), 8 + n % 10),
                       first + timedelta(days=n % 100)) for n in range(EPISODES_LISTED + 20)]
    report = build_report(first, TODAY, made_at=at(TODAY), twitches=twitches, checks=[],
                          day_summaries=[])
    text = report_html(report)
    assert f"The last {EPISODES_LISTED} of {EPISODES_LISTED + 20} episodes." in text


def test_period_in_the_wrong_order_is_refused() -> None:
    with pytest.raises(InputError, match=r"ends .* before it starts"):
        build_report(TODAY, TODAY - timedelta(days=1), made_at=at(TODAY), twitches=[],
                     checks=[], day_summaries=[])


def test_an_emergency_stop_does_not_report_questions_never_asked() -> None:
    early = check(TODAY, {"sudden_face_droop": True})
    assert early.stopped_early
    assert early.reported() == ("sudden drooping of the face",)
    later = check(TODAY, {"sudden_face_droop": True, "twitch_duration": "over_3_months"})
    assert not later.stopped_early  # a later answer shows the other pages were seen
    assert "for more than 3 months" in later.reported()
    assert not check(TODAY, {}).stopped_early
    report = build_report(TODAY, TODAY, made_at=at(TODAY), twitches=[], checks=[early],
                          day_summaries=[])
    text = report_html(report)
    assert "The check stopped at the emergency questions." in text
    assert "less than 2 weeks" not in text


def test_a_check_at_01_30_is_in_its_quell_days_report() -> None:
    night = check(TODAY - timedelta(days=1), {"suspects_medication": True}, hour=1, minute=30)
    assert night.at.date() == TODAY  # the calendar says the 10th; Quell files it on the 9th
    on_the_9th = build_report(TODAY - timedelta(days=1), TODAY - timedelta(days=1),
                              made_at=at(TODAY), twitches=[], checks=[night], day_summaries=[])
    assert on_the_9th.checks == (night,)
    assert "9 Mar 2026, 01:30 (after midnight)" in report_html(on_the_9th)
    on_the_10th = build_report(TODAY, TODAY, made_at=at(TODAY), twitches=[], checks=[night],
                               day_summaries=[])
    assert on_the_10th.checks == ()


def test_an_episode_at_03_48_is_listed_under_its_quell_day() -> None:
    moment = datetime(2026, 3, 10, 3, 48, tzinfo=LONDON)
    twitch = Twitch("calf", moment, TODAY - timedelta(days=1))
    report = build_report(TODAY - timedelta(days=1), TODAY, made_at=at(TODAY), twitches=[twitch],
                          checks=[], day_summaries=[])
    text = re.sub(r"<[^>]+>", " ", report_html(report))
    assert "9 Mar 2026, 03:48 (after midnight)" in text
    assert "10 Mar 2026, 03:48" not in text


def test_a_changed_check_and_the_one_it_revises_are_both_reported() -> None:
    first = check(TODAY, {"sudden_face_droop": True}, hour=14, minute=2, check_id=7)
    second = check(TODAY, {}, hour=14, minute=5, check_id=8, revises=7)
    report = build_report(TODAY, TODAY, made_at=at(TODAY, 15), twitches=[],
                          checks=[second, first], day_summaries=[])
    assert report.checks == (first, second)
    text = re.sub(r"<[^>]+>", " ", report_html(report))
    assert "Emergency: call now" in text and "Self-care" in text
    assert "Changed answers of the check at 14:02 (then: Emergency: call now)." in text
    # The revised check outside the period: still said, calmly.
    alone = build_report(TODAY, TODAY, made_at=at(TODAY, 15), twitches=[], checks=[second],
                         day_summaries=[])
    assert "Changed answers of an earlier check." in report_html(alone)


@pytest.mark.parametrize(("episodes", "said"), [
    (0, "No twitches were logged in this period."),
    (1, "1 episode on 1 of 1 day (1 a day on average)."),
    (2, "2 episodes on 1 of 1 day (2 a day on average)."),
])
def test_the_report_counts_in_correct_plurals(episodes: int, said: str) -> None:
    twitches = [Twitch("calf", at(TODAY), TODAY)] * episodes
    report = build_report(TODAY, TODAY, made_at=at(TODAY), twitches=twitches, checks=[],
                          day_summaries=[])
    text = report_html(report)
    assert said in text
    assert "(1 day). Made on" in text
    assert "1 episodes" not in text and "1 days" not in text


def test_habit_sentences_for_a_single_day() -> None:
    periods = {p.habit.key: p for p in summarize_habits(days_with({0: [
        ("caffeine", 400), ("water", 2500), ("sleep", 8), ("stress", 4), ("exercise", 30)]}))}
    assert habit_sentence(periods["caffeine"]) == (
        "Caffeine: 400 mg on 1 day; days over the limit: 1.")
    assert habit_sentence(periods["water"]) == (
        "Water: logged on 1 day, 2,500 ml; days with the goal reached: 1.")
    assert habit_sentence(periods["sleep"]).startswith("Sleep: 8 h on 1 night logged;")
    assert habit_sentence(periods["stress"]) == "Stress: rated on 1 day, 4 / 5."
    assert habit_sentence(periods["exercise"]) == "Hard exercise: logged on 1 day, 30 min."
    for period in periods.values():
        assert " 1 days" not in habit_sentence(period)
