"""Reminder policy edges a mutation run found untested: the show flag as well as the reason,
every boundary of quiet hours, pauses, pace and "recently", and the texts' exact numbers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from quell.core.caffeine import Drink
from quell.core.entries import Entry, Target
from quell.core.errors import InputError
from quell.core.reminders import (
    PACE_SLACK_ML,
    RECENTLY,
    DayFacts,
    DayFactsReader,
    Decision,
    Occurrence,
    Reason,
    ReminderKind,
    ReminderPolicy,
    next_wake,
    parse_pause,
)
from quell.core.settings import Settings
from tests.conftest import LONDON

TUESDAY = date(2026, 3, 10)
WEDNESDAY = date(2026, 3, 11)
SATURDAY = date(2026, 3, 14)


def policy(settings: Settings | None = None, **reminders: Any) -> ReminderPolicy:
    settings = settings or Settings()
    if reminders:
        settings = settings.replace(reminders=settings.reminders.replace(**reminders))
    return ReminderPolicy(settings, LONDON)


def facts(day: date = TUESDAY, **values: Any) -> DayFacts:
    values.setdefault("water_target_ml", 2000.0)
    values.setdefault("caffeine_limit_mg", 300.0)
    return DayFacts(day, **values)


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=LONDON)


def due(kind: ReminderKind, moment: datetime) -> Occurrence:
    return Occurrence(kind, moment, TUESDAY)


SHOWN = Decision(True, None)


def hidden(reason: Reason) -> Decision:
    return Decision(False, reason)


# -- decide: the flag, not only the reason ---------------------------------------------------


def test_every_suppression_hides_the_reminder() -> None:
    p = policy()
    noon = at(TUESDAY, 12)
    assert p.decide(due(ReminderKind.WATER, noon), noon, facts(water_ml=2000)) == hidden(
        Reason.GOAL_MET)
    assert p.decide(due(ReminderKind.WATER, noon), noon, facts(water_ml=500)) == hidden(
        Reason.ON_PACE)
    assert p.decide(due(ReminderKind.CAFFEINE_CUTOFF, noon), noon,
                    facts(caffeine_mg=300)) == hidden(Reason.LIMIT_REACHED)
    assert p.decide(due(ReminderKind.STRETCH, noon), noon,
                    facts(last_stretch=at(TUESDAY, 11, 50))) == hidden(Reason.STRETCHED_RECENTLY)
    assert p.decide(due(ReminderKind.BREATHE, noon), noon,
                    facts(last_breathing=at(TUESDAY, 11, 50))) == hidden(
                        Reason.BREATHED_RECENTLY)
    assert p.decide(due(ReminderKind.SLEEP_LOG, noon), noon,
                    facts(sleep_logged=True)) == hidden(Reason.ALREADY_LOGGED)
    paused = policy(Settings(paused_until=at(TUESDAY, 13)))
    assert paused.decide(due(ReminderKind.WIND_DOWN, noon), noon, facts()) == hidden(
        Reason.PAUSED)
    quiet = policy(quiet_hours=True, quiet_from=time(11), quiet_until=time(13))
    assert quiet.decide(due(ReminderKind.WIND_DOWN, noon), noon, facts()) == hidden(
        Reason.QUIET_HOURS)


@pytest.mark.parametrize("kind", list(ReminderKind))
def test_nothing_to_suppress_shows_every_kind(kind: ReminderKind) -> None:
    noon = at(TUESDAY, 12)
    assert policy().decide(due(kind, noon), noon, facts(water_ml=0)) == SHOWN


def test_caffeine_last_call_hides_from_the_limit_itself() -> None:
    p = policy()
    moment = at(TUESDAY, 17, 52)
    call = due(ReminderKind.CAFFEINE_CUTOFF, moment)
    assert p.decide(call, moment, facts(caffeine_mg=299)) == SHOWN
    assert p.decide(call, moment, facts(caffeine_mg=300)) == hidden(Reason.LIMIT_REACHED)
    assert p.decide(call, moment, facts(caffeine_mg=900, caffeine_limit_mg=None)) == SHOWN


def test_water_goal_met_from_the_goal_itself_and_pace_slack_boundary() -> None:
    p = policy()
    noon = at(TUESDAY, 12)
    water = due(ReminderKind.WATER, noon)
    expected = p.water_expected(noon, facts())
    assert p.decide(water, noon, facts(water_ml=1999.0)).reason is not Reason.GOAL_MET
    assert p.decide(water, noon, facts(water_ml=2000.0)) == hidden(Reason.GOAL_MET)
    # Exactly PACE_SLACK_ML behind is no longer on pace; a millilitre less behind is.
    assert p.decide(water, noon, facts(water_ml=expected - PACE_SLACK_ML)) == SHOWN
    assert p.decide(water, noon, facts(water_ml=expected - PACE_SLACK_ML + 1)) == hidden(
        Reason.ON_PACE)


def test_a_zero_water_goal_is_no_pace_and_never_met() -> None:
    p = policy()
    noon = at(TUESDAY, 12)
    zero = facts(water_target_ml=0.0, water_ml=0.0)
    assert p.decide(due(ReminderKind.WATER, noon), noon, zero) == SHOWN
    assert p.occurrences_on(ReminderKind.WATER, zero) != []
    assert p.water_expected(noon, zero) == 0.0


@pytest.mark.parametrize(("start", "end", "inside", "outside"), [
    (time(22), time(8), [time(22), time(23, 59), time(0), time(7, 59)],
     [time(21, 59), time(8), time(12)]),
    (time(12), time(14), [time(12), time(13, 59)], [time(11, 59), time(14), time(23)]),
])
def test_quiet_hours_start_on_their_first_minute_and_end_before_their_last(
        start: time, end: time, inside: list[time], outside: list[time]) -> None:
    p = policy(quiet_hours=True, quiet_from=start, quiet_until=end)
    for clock in inside:
        assert p.in_quiet_hours(at(TUESDAY, clock.hour, clock.minute)), clock
    for clock in outside:
        assert not p.in_quiet_hours(at(TUESDAY, clock.hour, clock.minute)), clock
    # Seconds do not matter: 21:59:59 is still before 22:00, 07:59:59 still inside.
    assert p.in_quiet_hours(at(TUESDAY, start.hour, start.minute, 30))


def test_quiet_hours_switched_off_silence_nothing() -> None:
    p = policy(quiet_hours=False, quiet_from=time(0), quiet_until=time(23, 59))
    assert not p.in_quiet_hours(at(TUESDAY, 12))


def test_quiet_hours_judge_the_due_time_not_now() -> None:
    p = policy(quiet_hours=True, quiet_from=time(22), quiet_until=time(8))
    late = at(TUESDAY, 23)
    assert p.decide(due(ReminderKind.WIND_DOWN, at(TUESDAY, 21)), late, facts()) == SHOWN
    assert p.decide(due(ReminderKind.WIND_DOWN, late), at(TUESDAY, 21), facts()) == hidden(
        Reason.QUIET_HOURS)


def test_a_pause_ends_at_its_end() -> None:
    end = at(TUESDAY, 15)
    p = policy(Settings(paused_until=end))
    assert p.paused(end - timedelta(seconds=1))
    assert not p.paused(end)
    assert not policy().paused(end)
    # The pause is judged at now, whenever the reminder was due.
    assert p.decide(due(ReminderKind.WIND_DOWN, at(TUESDAY, 16)), at(TUESDAY, 14),
                    facts()) == hidden(Reason.PAUSED)
    assert p.decide(due(ReminderKind.WIND_DOWN, at(TUESDAY, 14)), end, facts()) == SHOWN


def test_recently_means_within_thirty_minutes_before_now() -> None:
    p = policy()
    now = at(TUESDAY, 12)
    stretch = due(ReminderKind.STRETCH, now)
    for done in (now, now - RECENTLY):
        assert p.decide(stretch, now, facts(last_stretch=done)) == hidden(
            Reason.STRETCHED_RECENTLY)
    for done in (now - RECENTLY - timedelta(seconds=1), now + timedelta(minutes=1)):
        assert p.decide(stretch, now, facts(last_stretch=done)) == SHOWN
    breathe = due(ReminderKind.BREATHE, now)
    assert p.decide(breathe, now, facts(last_breathing=now - RECENTLY)) == hidden(
        Reason.BREATHED_RECENTLY)
    assert p.decide(breathe, now, facts(last_breathing=now - RECENTLY
                                        - timedelta(seconds=1))) == SHOWN


# -- when ------------------------------------------------------------------------------------


def test_water_pace_share_is_clamped_to_the_window() -> None:
    p = policy()
    assert p.water_expected(at(TUESDAY, 7), facts()) == 0.0
    assert p.water_expected(at(TUESDAY, 8), facts()) == 0.0
    assert p.water_expected(at(TUESDAY, 15), facts()) == pytest.approx(1000.0)
    assert p.water_expected(at(TUESDAY, 22), facts()) == pytest.approx(2000.0)
    assert p.water_expected(at(TUESDAY, 23), facts()) == pytest.approx(2000.0)


def test_intervals_stop_before_the_window_ends() -> None:
    p = policy(stretch_from=time(9), stretch_until=time(11), stretch_every_minutes=60)
    assert p.occurrences_on(ReminderKind.STRETCH, facts()) == [at(TUESDAY, 10)]
    p = policy(stretch_from=time(9), stretch_until=time(11, 1), stretch_every_minutes=60)
    assert p.occurrences_on(ReminderKind.STRETCH, facts()) == [at(TUESDAY, 10), at(TUESDAY, 11)]


def test_water_window_past_midnight_and_the_goal_just_short() -> None:
    p = policy(water_from=time(20), water_until=time(1), water_every_minutes=120)
    assert p.occurrences_on(ReminderKind.WATER, facts(water_ml=1999)) == [
        at(TUESDAY, 22), at(WEDNESDAY, 0)]
    assert p.window(TUESDAY, time(9), time(9, 30)) == (at(TUESDAY, 9), at(TUESDAY, 9, 30))


def test_switched_off_kinds_have_no_times_and_no_next() -> None:
    settings = dict(water=False, stretch=False, breathe=False, caffeine_cutoff=False,
                    wind_down=False, sleep_log=False)
    p = policy(**settings)
    for kind in ReminderKind:
        assert not p.enabled(kind)
        assert p.occurrences_on(kind, facts()) == []
        assert p.next_occurrence(kind, at(TUESDAY, 12), lambda day: facts(day)) is None
    assert not policy(breathe_times=()).enabled(ReminderKind.BREATHE)
    assert policy().enabled(ReminderKind.BREATHE)


@pytest.mark.parametrize(("kind", "days_field"), [
    (ReminderKind.WATER, "water_days"), (ReminderKind.STRETCH, "stretch_days"),
    (ReminderKind.BREATHE, "breathe_days"), (ReminderKind.CAFFEINE_CUTOFF, "caffeine_days"),
    (ReminderKind.WIND_DOWN, "wind_down_days"), (ReminderKind.SLEEP_LOG, "sleep_log_days"),
])
def test_each_kind_keeps_to_its_own_weekdays(kind: ReminderKind, days_field: str) -> None:
    p = policy(**{days_field: (6,)})
    assert p.weekdays(kind) == (6,)
    assert p.occurrences_on(kind, facts(TUESDAY)) == []
    assert p.occurrences_on(kind, facts(SATURDAY)) != []


def test_wind_down_and_sleep_log_follow_their_minutes() -> None:
    p = policy(wind_down_minutes=45, sleep_log_minutes=0)
    assert p.occurrences_on(ReminderKind.WIND_DOWN, facts()) == [at(TUESDAY, 22, 15)]
    assert p.occurrences_on(ReminderKind.SLEEP_LOG, facts()) == [at(TUESDAY, 7)]


def test_no_last_call_when_every_drink_fits_or_none_does() -> None:
    p = policy()
    # A very short half-life: even a drink at bedtime leaves little, so no last call.
    quick = policy(caffeine_half_life_hours=1.0, caffeine_drink_mg=10, caffeine_bedtime_mg=200)
    assert quick.occurrences_on(ReminderKind.CAFFEINE_CUTOFF, facts()) == []
    # The cut-off falls before the wake time (a big drink in the morning): no last call.
    early = facts(caffeine=(Drink(at(TUESDAY, 7, 30), 500),), caffeine_mg=500)
    assert p.occurrences_on(ReminderKind.CAFFEINE_CUTOFF, early) == []
    cutoff = p.cutoff(facts())
    assert cutoff is not None and at(TUESDAY, 18, 22) <= cutoff < at(TUESDAY, 18, 23)


def test_last_call_is_on_the_whole_minute() -> None:
    calls = policy().occurrences_on(ReminderKind.CAFFEINE_CUTOFF, facts())
    assert calls == [at(TUESDAY, 17, 52)]
    assert calls[0].second == 0 and calls[0].microsecond == 0


def test_occurrences_between_include_the_end_and_exclude_the_start() -> None:
    p = policy()
    found = p.occurrences_between(ReminderKind.WATER, at(TUESDAY, 10), at(TUESDAY, 12),
                                  lambda day: facts(day))
    assert [o.due for o in found] == [at(TUESDAY, 11), at(TUESDAY, 12)]
    assert all(o.day == TUESDAY and o.kind is ReminderKind.WATER for o in found)
    assert p.occurrences_between(ReminderKind.WATER, at(TUESDAY, 12), at(TUESDAY, 12, 30),
                                 lambda day: facts(day)) == []


def test_next_occurrence_is_strictly_after_and_in_the_local_zone() -> None:
    p = policy()
    found = p.next_occurrence(ReminderKind.WATER, at(TUESDAY, 10), lambda day: facts(day))
    assert found == Occurrence(ReminderKind.WATER, at(TUESDAY, 11), TUESDAY)
    assert found is not None and found.due.tzinfo is LONDON


def test_a_reminder_a_week_ahead_is_still_found() -> None:
    # Only Mondays: from a Tuesday the next one is six days ahead, inside the scan.
    p = policy(stretch_days=(1,))
    found = p.next_occurrence(ReminderKind.STRETCH, at(TUESDAY, 12), lambda day: facts(day))
    assert found is not None and found.due == at(date(2026, 3, 16), 10)


def test_next_shown_returns_the_first_time_not_silenced() -> None:
    p = policy(quiet_hours=True, quiet_from=time(9), quiet_until=time(11))
    found = p.next_shown(ReminderKind.WATER, at(TUESDAY, 8), lambda day: facts(day))
    assert found == Occurrence(ReminderKind.WATER, at(TUESDAY, 11), TUESDAY)


def test_statuses_list_today_and_what_comes_next() -> None:
    p = policy(stretch=False)
    statuses = {s.kind: s for s in p.statuses(at(TUESDAY, 21, 30), lambda day: facts(day))}
    stretch = statuses[ReminderKind.STRETCH]
    assert (stretch.enabled, stretch.next) == (False, None)
    assert stretch.times == ()
    water = statuses[ReminderKind.WATER]
    assert water.enabled is True
    assert water.next == at(WEDNESDAY, 9)
    assert water.times[0] == at(TUESDAY, 9) and water.times[-1] == at(TUESDAY, 21)
    assert all(t.tzinfo is LONDON for t in water.times)


# -- what ------------------------------------------------------------------------------------


def test_water_text_rounds_what_is_behind_to_50_ml_and_never_says_less_than_50() -> None:
    p = policy()
    noon = at(TUESDAY, 12)
    expected = p.water_expected(noon, facts())  # 571 ml
    text = p.reminder(due(ReminderKind.WATER, noon), noon, facts(water_ml=0))
    assert text.body.startswith("You're about 550 ml behind today's pace.")
    text = p.reminder(due(ReminderKind.WATER, noon), noon, facts(water_ml=expected - 10))
    assert "about 50 ml behind" in text.body
    assert text.title == "Time for a glass of water"


# The words each card shows, in full: what the user reads is the behaviour here.
WORDS = {
    ReminderKind.WATER: (
        "Time for a glass of water",
        "You're about 550 ml behind today's pace. Water through the day helps your nerves and "
        "muscles keep their balance.", "Drank a glass"),
    ReminderKind.STRETCH: (
        "Stretch break",
        "A few minutes of gentle stretching can settle a twitchy muscle for a while: calves, "
        "thighs, neck and shoulders, forearms and hands.", "Start stretching"),
    ReminderKind.BREATHE: (
        "Time for a slow breath",
        "Slow belly breathing calms the nerves. In through the nose, out a little longer, for "
        "3 min.", "Start breathing"),
    ReminderKind.CAFFEINE_CUTOFF: (
        "Last call for caffeine",
        "Make any coffee or tea the last one by 18:22, so it has mostly worn off by bedtime at "
        "23:00. After that, decaf or herbal tea are kinder to your sleep.", "Got it"),
    ReminderKind.WIND_DOWN: (
        "Time to wind down",
        "Bedtime is at 23:00. Dim the lights and put the screens away: a full night's sleep "
        "helps your muscles recover.", "Got it"),
    ReminderKind.SLEEP_LOG: (
        "How did you sleep?",
        "Log last night's sleep while you still remember it. Over time you'll see how sleep and "
        "twitches go together.", "Log sleep…"),
}


@pytest.mark.parametrize("kind", list(ReminderKind))
def test_every_kinds_words(kind: ReminderKind) -> None:
    p = policy(breathe_minutes=3)
    noon = at(TUESDAY, 12)
    text = p.reminder(Occurrence(kind, noon, TUESDAY), noon, facts())
    assert (text.title, text.body, text.done_label) == WORDS[kind]
    assert (text.kind, text.due, text.day, text.snoozed) == (kind, noon, TUESDAY, False)
    snoozed = p.reminder(Occurrence(kind, noon, TUESDAY), noon, facts(), snoozed=True)
    assert snoozed.snoozed is True


def test_water_words_without_a_goal() -> None:
    p = policy(water_every_minutes=45)
    noon = at(TUESDAY, 12)
    text = p.reminder(due(ReminderKind.WATER, noon), noon, facts(water_target_ml=None))
    assert text.body == (
        "Water through the day helps your nerves and muscles keep their balance. With no daily "
        "water goal set, this comes every 45 min instead of following a pace.")


def test_the_bedtime_named_is_the_one_ending_the_reminders_day() -> None:
    p = policy()
    # A wind-down shown on Wednesday for Tuesday's Quell day still names Tuesday's bedtime.
    late = Occurrence(ReminderKind.WIND_DOWN, at(WEDNESDAY, 0, 30), TUESDAY)
    shown = p.reminder(late, at(WEDNESDAY, 0, 30), facts())
    assert shown.body.startswith("Bedtime is at 23:00.")
    assert shown.day == TUESDAY and shown.due == at(WEDNESDAY, 0, 30)


def test_last_call_text_falls_back_to_the_due_time_without_a_cut_off() -> None:
    # Enough caffeine already that no drink fits: the text names the time it was due.
    p = policy()
    full = facts(caffeine=(Drink(at(TUESDAY, 17), 400),), caffeine_mg=400)
    assert p.cutoff(full) is None
    text = p.reminder(due(ReminderKind.CAFFEINE_CUTOFF, at(TUESDAY, 17, 40)),
                      at(TUESDAY, 17, 40), full)
    assert "the last one by 17:40" in text.body


def test_time_text_is_used_for_every_time_shown() -> None:
    p = ReminderPolicy(Settings(), LONDON, time_text=lambda moment: moment.strftime("%I:%M %p"))
    wind = p.reminder(due(ReminderKind.WIND_DOWN, at(TUESDAY, 22, 30)), at(TUESDAY, 22, 30),
                      facts())
    assert "Bedtime is at 11:00 PM." in wind.body
    _title, lines = p.away_text([due(ReminderKind.WATER, at(TUESDAY, 10))])
    assert lines == ["Water · 10:00 AM"]


def test_away_text_lists_times_in_order_within_each_kind() -> None:
    _title, lines = policy().away_text([due(ReminderKind.WATER, at(TUESDAY, 12)),
                                        due(ReminderKind.WATER, at(TUESDAY, 10))])
    assert lines == ["Water · 10:00, 12:00"]
    assert policy().away_text([]) == ("While you were away", [])


# -- facts -----------------------------------------------------------------------------------


def test_facts_reader_reads_each_day_once_and_only_goals_ahead() -> None:
    from quell.core.summary import DaySummary

    reads: list[date] = []

    def summary(day: date) -> DaySummary:
        reads.append(day)
        return DaySummary(day, ())

    goals = {"water": Target("water", 1800, None, date(1, 1, 1))}
    reader = DayFactsReader(summary, lambda day: goals, TUESDAY)
    today = reader(TUESDAY)
    assert reader(TUESDAY) is today
    assert reads == [TUESDAY - timedelta(days=1), TUESDAY]
    ahead = reader(WEDNESDAY)
    assert ahead == DayFacts(WEDNESDAY, water_target_ml=1800)
    assert reads == [TUESDAY - timedelta(days=1), TUESDAY]
    assert DayFactsReader(summary, lambda day: {}, TUESDAY)(WEDNESDAY).water_target_ml is None


def test_facts_take_the_latest_session_up_to_that_day() -> None:
    from quell.core.reminders import facts_from

    entries = [
        Entry("breathing", at(TUESDAY, 11), TUESDAY, 1),
        Entry("breathing", at(TUESDAY, 9), TUESDAY, 1),
        Entry("breathing", at(WEDNESDAY, 9), WEDNESDAY, 1),
        Entry("sleep", at(WEDNESDAY, 7), WEDNESDAY, 8),
    ]
    result = facts_from(TUESDAY, entries, {})
    assert result.last_breathing == at(TUESDAY, 11)
    assert result.sleep_logged is False
    assert result.water_target_ml is None and result.caffeine_limit_mg is None
    assert result.water_ml == 0.0 and isinstance(result.water_ml, float)


# -- pause -----------------------------------------------------------------------------------


def test_pause_length_limits() -> None:
    now = at(TUESDAY, 14, 30)
    assert parse_pause("1m", now, time(7)) == now + timedelta(minutes=1)
    assert parse_pause("168h", now, time(7)) == now + timedelta(days=7)
    with pytest.raises(InputError) as caught:
        parse_pause("168h1m", now, time(7))
    assert str(caught.value) == "a pause lasts from 1 minute to 7 days"
    with pytest.raises(InputError) as caught:
        parse_pause(" soon ", now, time(7))
    assert str(caught.value) == (
        "'soon' is not a pause (use e.g. 30m, 1h, 1h30m, 90m or tomorrow)")
    assert parse_pause(" Tomorrow ", now, time(7)) == at(WEDNESDAY, 7)


def test_next_wake_is_strictly_after_now() -> None:
    assert next_wake(at(TUESDAY, 7), time(7)) == at(WEDNESDAY, 7)
    assert next_wake(at(TUESDAY, 6, 59), time(7)) == at(TUESDAY, 7)


def test_a_water_goal_of_one_millilitre_still_sets_a_pace() -> None:
    assert policy().water_paced(facts(water_target_ml=1.0))
    assert not policy().water_paced(facts(water_target_ml=0.0))


def test_the_same_weekday_next_week_is_found() -> None:
    monday = date(2026, 3, 9)
    p = policy(stretch_days=(1,))
    found = p.next_occurrence(ReminderKind.STRETCH, at(monday, 18), lambda day: facts(day))
    assert found is not None and found.due == at(date(2026, 3, 16), 10)


def test_facts_hold_the_goals_and_the_latest_sessions() -> None:
    from quell.core.reminders import facts_from

    autumn = date(2026, 10, 25)  # London falls back at 02:00
    first = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)          # 01:30 BST
    second = datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=LONDON)  # 01:10 GMT, 40 min later
    entries = [Entry("breathing", first, autumn, 1), Entry("breathing", second, autumn, 1),
               Entry("water", first, autumn, 250)]
    targets = {"caffeine": Target("caffeine", 200, None, date(1, 1, 1)),
               "water": Target("water", 1500, None, date(1, 1, 1))}
    result = facts_from(autumn, entries, targets)
    assert result.day == autumn
    assert result.last_breathing is second  # later in real time, earlier on the clock
    assert result.caffeine_limit_mg == 200 and result.water_target_ml == 1500
    assert result.sleep_logged is False


LATE_EVENING = ("About 63 mg of caffeine will still be in your body at bedtime (23:00), above "
                "the 50 mg you aimed for, so sleep may come lighter tonight. For the rest of the "
                "evening, decaf or herbal tea are gentler. A drink like this one fits before "
                "18:22.")
AFTER_BEDTIME = ("This drink comes after your planned bedtime (23:00): about 95 mg of caffeine "
                 "is in your body now, and it takes hours to wear off, so sleep may come late "
                 "and light tonight. Decaf or herbal tea are gentler at night. On another day, a "
                 "drink like this one fits before 18:22.")


def test_late_drink_texts_in_full() -> None:
    from quell.core.reminders import late_caffeine_text

    model = policy().caffeine
    bedtime = at(TUESDAY, 23)
    evening = model.late_drink(Drink(at(TUESDAY, 20), 95), [], bedtime)
    night = model.late_drink(Drink(at(WEDNESDAY, 1), 95), [], bedtime)
    assert evening is not None and night is not None
    assert late_caffeine_text(evening) == ("After today's caffeine cut-off", LATE_EVENING)
    assert late_caffeine_text(night) == ("After your planned bedtime", AFTER_BEDTIME)
    # With no cut-off today (the earlier drinks leave too much), no "fits before".
    full = model.late_drink(Drink(at(TUESDAY, 21), 95), [Drink(at(TUESDAY, 20), 200)], bedtime)
    assert full is not None and full.cutoff is None
    assert late_caffeine_text(full)[1].endswith("decaf or herbal tea are gentler.")
