"""The reminder policy: times across DST and midnight, the day start, pace, pause, quiet hours."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pytest

from quell.core.caffeine import Drink
from quell.core.entries import Entry, Target
from quell.core.errors import InputError
from quell.core.presence import AwaySpan, HoldReason
from quell.core.reminders import (
    DayFacts,
    Occurrence,
    Reason,
    ReminderKind,
    ReminderPolicy,
    away_title,
    facts_from,
    hold_reason,
    late_caffeine_text,
    next_wake,
    parse_pause,
    with_rating_question,
)
from quell.core.settings import ReminderSettings, ReminderStyle, Settings
from tests.conftest import LONDON

TUESDAY = date(2026, 3, 10)
FRIDAY = date(2026, 3, 13)
SATURDAY = date(2026, 3, 14)
SPRING_FORWARD = date(2026, 3, 29)  # Sunday: London skips 01:00-02:00
FALL_BACK = date(2026, 10, 25)      # Sunday: London repeats 01:00-02:00


def policy(settings: Settings | None = None, **reminders: Any) -> ReminderPolicy:
    settings = settings or Settings()
    if reminders:
        settings = settings.replace(reminders=settings.reminders.replace(**reminders))
    return ReminderPolicy(settings, LONDON)


def facts(day: date, **values: Any) -> DayFacts:
    values.setdefault("water_target_ml", 2000.0)
    values.setdefault("caffeine_limit_mg", 300.0)
    return DayFacts(day, **values)


def plain_facts(day: date) -> DayFacts:
    return facts(day)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def hhmm(times: list[datetime]) -> list[str]:
    return [t.strftime("%H:%M") for t in times]


def occurrence(kind: ReminderKind, moment: datetime) -> Occurrence:
    return Occurrence(kind, moment, moment.date())


# -- when ------------------------------------------------------------------------------------


def test_water_checks_every_hour_inside_waking_hours() -> None:
    times = policy().occurrences_on(ReminderKind.WATER, facts(TUESDAY))
    assert hhmm(times) == [f"{h:02d}:00" for h in range(9, 22)]


def test_water_stops_once_the_goal_is_met() -> None:
    assert policy().occurrences_on(ReminderKind.WATER, facts(TUESDAY, water_ml=2000)) == []


def test_stretch_runs_through_the_working_window_on_weekdays_only() -> None:
    p = policy()
    assert hhmm(p.occurrences_on(ReminderKind.STRETCH, facts(TUESDAY))) == [
        "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00", "17:00"]
    assert p.occurrences_on(ReminderKind.STRETCH, facts(SATURDAY)) == []
    every_45 = policy(stretch_every_minutes=45)
    assert hhmm(every_45.occurrences_on(ReminderKind.STRETCH, facts(TUESDAY)))[:3] == [
        "09:45", "10:30", "11:15"]


def test_breathe_at_chosen_times() -> None:
    p = policy(breathe_times=(time(17, 30), time(13, 0)))
    assert hhmm(p.occurrences_on(ReminderKind.BREATHE, facts(TUESDAY))) == ["13:00", "17:30"]


def test_wind_down_half_an_hour_before_bedtime_and_sleep_log_after_waking() -> None:
    p = policy()
    assert p.occurrences_on(ReminderKind.WIND_DOWN, facts(TUESDAY)) == [at(TUESDAY, 22, 30)]
    assert p.occurrences_on(ReminderKind.SLEEP_LOG, facts(TUESDAY)) == [at(TUESDAY, 7, 30)]
    assert p.occurrences_on(ReminderKind.SLEEP_LOG, facts(TUESDAY, sleep_logged=True)) == []


def test_caffeine_last_call_half_an_hour_before_the_computed_cutoff() -> None:
    p = policy()
    # No drinks: the cut-off for a 95 mg drink is 18:22 (see test_caffeine), last call 17:52.
    assert hhmm(p.occurrences_on(ReminderKind.CAFFEINE_CUTOFF, facts(TUESDAY))) == ["17:52"]
    morning = facts(TUESDAY, caffeine=(Drink(at(TUESDAY, 8), 200),), caffeine_mg=200)
    assert hhmm(p.occurrences_on(ReminderKind.CAFFEINE_CUTOFF, morning)) == ["12:52"]
    too_much = facts(TUESDAY, caffeine=(Drink(at(TUESDAY, 18), 120),), caffeine_mg=120)
    assert p.occurrences_on(ReminderKind.CAFFEINE_CUTOFF, too_much) == []


def test_caffeine_settings_move_the_last_call() -> None:
    p = policy(caffeine_half_life_hours=3.0, caffeine_notice_minutes=60)
    assert hhmm(p.occurrences_on(ReminderKind.CAFFEINE_CUTOFF, facts(TUESDAY))) == ["19:13"]
    later_bed = policy(Settings(bedtime=time(0, 30)))
    # Bedtime 00:30 belongs to the evening before: the cut-off moves 1.5 h later too.
    assert hhmm(later_bed.occurrences_on(ReminderKind.CAFFEINE_CUTOFF, facts(TUESDAY))) == [
        "19:22"]


def test_next_occurrence_crosses_midnight_into_the_next_day() -> None:
    p = policy()
    found = p.next_occurrence(ReminderKind.WATER, at(TUESDAY, 21, 30), plain_facts)
    assert found == Occurrence(ReminderKind.WATER, at(TUESDAY + timedelta(1), 9), TUESDAY
                               + timedelta(1))
    friday_evening = p.next_occurrence(ReminderKind.STRETCH, at(FRIDAY, 17, 30), plain_facts)
    assert friday_evening is not None
    assert friday_evening.due == at(date(2026, 3, 16), 10)  # Monday: the weekend is off


def test_a_time_after_midnight_belongs_to_the_day_before() -> None:
    # 00:30 with the day starting at 04:00 is the night after the Quell day, so a
    # Friday-only reminder at 00:30 comes early on Saturday's calendar date.
    p = policy(breathe_times=(time(0, 30),), breathe_days=(5,))
    found = p.next_occurrence(ReminderKind.BREATHE, at(TUESDAY, 12), plain_facts)
    assert found == Occurrence(ReminderKind.BREATHE, at(SATURDAY, 0, 30), FRIDAY)


def test_the_day_start_hour_decides_which_day_a_night_time_belongs_to() -> None:
    p = policy(Settings(day_start_hour=0), breathe_times=(time(0, 30),), breathe_days=(5,))
    found = p.next_occurrence(ReminderKind.BREATHE, at(TUESDAY, 12), plain_facts)
    assert found == Occurrence(ReminderKind.BREATHE, at(FRIDAY, 0, 30), FRIDAY)


def test_late_bedtime_winds_down_after_midnight() -> None:
    p = policy(Settings(bedtime=time(0, 30), wake_time=time(8, 30)))
    assert p.occurrences_on(ReminderKind.WIND_DOWN, facts(TUESDAY)) == [
        at(TUESDAY + timedelta(1), 0, 0)]
    # Just after midnight it is still Tuesday's Quell day: its wind-down is still ahead.
    found = p.next_occurrence(ReminderKind.WIND_DOWN, at(TUESDAY, 23, 50), plain_facts)
    assert found is not None and found.day == TUESDAY


def test_wall_times_keep_their_clock_time_across_spring_forward() -> None:
    p = policy()
    before = p.occurrences_on(ReminderKind.BREATHE, facts(SPRING_FORWARD - timedelta(1)))
    after = p.occurrences_on(ReminderKind.BREATHE, facts(SPRING_FORWARD))
    assert hhmm(before) == hhmm(after) == ["13:00", "17:30"]
    assert before[0].utcoffset() == timedelta(0)
    assert after[0].utcoffset() == timedelta(hours=1)
    assert after[0].astimezone(timezone.utc).hour == 12


def test_a_skipped_wall_time_moves_forward_by_the_gap() -> None:
    # Bedtime 01:30 on the night London skips 01:00-02:00: it becomes 02:30 BST, and wind-down
    # comes half an hour of real time before it.
    p = policy(Settings(bedtime=time(1, 30), wake_time=time(9, 0)))
    saturday = SPRING_FORWARD - timedelta(1)
    bedtime = p.bedtime(saturday)
    assert (bedtime.hour, bedtime.minute, bedtime.utcoffset()) == (2, 30, timedelta(hours=1))
    wind_down = p.occurrences_on(ReminderKind.WIND_DOWN, facts(saturday))[0]
    assert wind_down.astimezone(timezone.utc) == datetime(2026, 3, 29, 1, 0, tzinfo=timezone.utc)
    assert wind_down.strftime("%H:%M") == "02:00"


def test_intervals_are_real_time_across_the_fall_back_night() -> None:
    # A night-shift stretch window 00:00-04:00 on the Quell day that contains the repeated hour.
    p = policy(Settings(day_start_hour=0), stretch_from=time(0, 0), stretch_until=time(4, 0),
               stretch_days=(7,))
    times = p.occurrences_on(ReminderKind.STRETCH, facts(FALL_BACK))
    utc_gaps = {b.astimezone(timezone.utc) - a.astimezone(timezone.utc)
                for a, b in itertools.pairwise(times)}
    assert utc_gaps == {timedelta(hours=1)}
    # Five real hours pass between 00:00 BST and 04:00 GMT: 01:00, 01:00 (again), 02:00, 03:00.
    assert hhmm(times) == ["01:00", "01:00", "02:00", "03:00"]


def test_ambiguous_wall_time_takes_its_first_occurrence() -> None:
    p = policy(Settings(day_start_hour=0), breathe_times=(time(1, 30),))
    due = p.occurrences_on(ReminderKind.BREATHE, facts(FALL_BACK))[0]
    assert due.utcoffset() == timedelta(hours=1)  # still summer time


def test_switched_off_and_day_filtered_reminders_never_come() -> None:
    p = policy(water=False, wind_down_days=())
    assert p.next_occurrence(ReminderKind.WATER, at(TUESDAY, 8), plain_facts) is None
    assert p.next_occurrence(ReminderKind.WIND_DOWN, at(TUESDAY, 8), plain_facts) is None
    assert policy(breathe_times=()).enabled(ReminderKind.BREATHE) is False


def test_occurrences_between_lists_what_fell_due() -> None:
    p = policy()
    found = p.occurrences_between(ReminderKind.STRETCH, at(TUESDAY, 10), at(TUESDAY, 12, 30),
                                  plain_facts)
    assert [o.due for o in found] == [at(TUESDAY, 11), at(TUESDAY, 12)]


# -- whether ---------------------------------------------------------------------------------


def test_water_pace() -> None:
    p = policy()
    noon = at(TUESDAY, 12)
    # 4 of the 14 water hours have passed: the pace expects 2000 * 4/14 = 571 ml.
    assert p.water_expected(noon, facts(TUESDAY)) == pytest.approx(2000 * 4 / 14)
    water = occurrence(ReminderKind.WATER, noon)
    assert p.decide(water, noon, facts(TUESDAY, water_ml=0)).show
    assert p.decide(water, noon, facts(TUESDAY, water_ml=250)).show  # 321 ml behind
    assert p.decide(water, noon, facts(TUESDAY, water_ml=400)).reason is Reason.ON_PACE
    assert p.decide(water, noon, facts(TUESDAY, water_ml=2000)).reason is Reason.GOAL_MET
    early = at(TUESDAY, 9)
    assert p.decide(occurrence(ReminderKind.WATER, early), early,
                    facts(TUESDAY)).reason is Reason.ON_PACE


@pytest.mark.parametrize("target", [None, 0.0])
def test_without_a_water_goal_water_reminds_on_its_interval(target: float | None) -> None:
    p = policy(water_every_minutes=90)
    no_goal = facts(TUESDAY, water_target_ml=target, water_ml=3000)
    assert not p.water_paced(no_goal)
    assert p.water_paced(facts(TUESDAY))
    # Every interval still comes (no goal can be met), and each one shows: no "on pace".
    times = p.occurrences_on(ReminderKind.WATER, no_goal)
    assert hhmm(times) == ["09:30", "11:00", "12:30", "14:00", "15:30", "17:00", "18:30",
                           "20:00", "21:30"]
    for moment in (at(TUESDAY, 9), at(TUESDAY, 12), at(TUESDAY, 21)):
        decision = p.decide(occurrence(ReminderKind.WATER, moment), moment, no_goal)
        assert decision.show and decision.reason is None
    # A pause and quiet hours still silence it.
    paused = policy(Settings(paused_until=at(TUESDAY, 15)))
    assert paused.decide(occurrence(ReminderKind.WATER, at(TUESDAY, 14)), at(TUESDAY, 14),
                         no_goal).reason is Reason.PAUSED
    text = p.reminder(occurrence(ReminderKind.WATER, at(TUESDAY, 12)), at(TUESDAY, 12), no_goal)
    assert "behind" not in text.body and "pace" in text.body
    assert "every 90 min" in text.body and "no daily water goal" in text.body
    assert text.done_label == "Drank a glass"


def test_water_pace_spans_midnight_windows() -> None:
    p = policy(water_from=time(12, 0), water_until=time(2, 0))
    start, end = p.water_window(TUESDAY)
    assert (start, end) == (at(TUESDAY, 12), at(TUESDAY + timedelta(1), 2))
    assert p.water_expected(at(TUESDAY, 19), facts(TUESDAY)) == pytest.approx(1000)


def test_stretch_and_breathe_skip_when_just_done() -> None:
    p = policy()
    ten = at(TUESDAY, 10)
    stretch = occurrence(ReminderKind.STRETCH, ten)
    assert p.decide(stretch, ten, facts(TUESDAY, last_stretch=at(TUESDAY, 9, 45))).reason \
        is Reason.STRETCHED_RECENTLY
    assert p.decide(stretch, ten, facts(TUESDAY, last_stretch=at(TUESDAY, 9, 0))).show
    breathe = occurrence(ReminderKind.BREATHE, ten)
    assert p.decide(breathe, ten, facts(TUESDAY, last_breathing=at(TUESDAY, 9, 50))).reason \
        is Reason.BREATHED_RECENTLY


def test_sleep_log_and_caffeine_rules() -> None:
    p = policy()
    morning = at(TUESDAY, 7, 30)
    assert p.decide(occurrence(ReminderKind.SLEEP_LOG, morning), morning,
                    facts(TUESDAY, sleep_logged=True)).reason is Reason.ALREADY_LOGGED
    last_call = at(TUESDAY, 17, 52)
    assert p.decide(occurrence(ReminderKind.CAFFEINE_CUTOFF, last_call), last_call,
                    facts(TUESDAY, caffeine_mg=300)).reason is Reason.LIMIT_REACHED


def test_pause_suppresses_until_it_runs_out() -> None:
    p = policy(Settings(paused_until=at(TUESDAY, 15)))
    water = occurrence(ReminderKind.WATER, at(TUESDAY, 14))
    assert p.decide(water, at(TUESDAY, 14), facts(TUESDAY)).reason is Reason.PAUSED
    later = occurrence(ReminderKind.WATER, at(TUESDAY, 15))
    assert p.decide(later, at(TUESDAY, 15), facts(TUESDAY)).show


def test_quiet_hours_across_midnight() -> None:
    p = policy(quiet_hours=True, quiet_from=time(22, 0), quiet_until=time(8, 0))
    assert p.in_quiet_hours(at(TUESDAY, 23))
    assert p.in_quiet_hours(at(TUESDAY, 7, 59))
    assert not p.in_quiet_hours(at(TUESDAY, 8))
    morning = occurrence(ReminderKind.SLEEP_LOG, at(TUESDAY, 7, 30))
    assert p.decide(morning, at(TUESDAY, 7, 30), facts(TUESDAY)).reason is Reason.QUIET_HOURS
    daytime = policy(quiet_hours=True, quiet_from=time(12, 0), quiet_until=time(14, 0))
    assert daytime.in_quiet_hours(at(TUESDAY, 13)) and not daytime.in_quiet_hours(
        at(TUESDAY, 14))


def test_next_shown_skips_what_a_pause_or_quiet_hours_would_silence() -> None:
    paused = policy(Settings(paused_until=at(TUESDAY, 14, 30)))
    found = paused.next_shown(ReminderKind.WATER, at(TUESDAY, 12, 10), plain_facts)
    assert found is not None and found.due == at(TUESDAY, 15)
    quiet = policy(quiet_hours=True, quiet_from=time(21, 0), quiet_until=time(8, 0))
    found = quiet.next_shown(ReminderKind.WIND_DOWN, at(TUESDAY, 12), plain_facts)
    assert found is None  # every wind-down falls in quiet hours


def test_statuses_for_every_kind() -> None:
    p = policy(water=False)
    statuses = {s.kind: s for s in p.statuses(at(TUESDAY, 14, 30), plain_facts)}
    assert list(statuses) == list(ReminderKind)
    assert statuses[ReminderKind.WATER].enabled is False
    assert statuses[ReminderKind.WATER].next is None
    assert statuses[ReminderKind.STRETCH].next == at(TUESDAY, 15)
    assert statuses[ReminderKind.BREATHE].next == at(TUESDAY, 17, 30)
    assert hhmm(list(statuses[ReminderKind.BREATHE].times)) == ["13:00", "17:30"]
    assert statuses[ReminderKind.SLEEP_LOG].next == at(TUESDAY + timedelta(1), 7, 30)


# -- what ------------------------------------------------------------------------------------


def test_reminder_texts() -> None:
    p = policy()
    noon = at(TUESDAY, 12)
    water = p.reminder(occurrence(ReminderKind.WATER, noon), noon, facts(TUESDAY))
    assert "about 550 ml behind" in water.body
    assert water.done_label == "Drank a glass"
    ounces = ReminderPolicy(Settings(water_unit="fl_oz"), LONDON)
    assert "fl oz behind" in ounces.reminder(occurrence(ReminderKind.WATER, noon), noon,
                                             facts(TUESDAY)).body
    last_call = p.reminder(occurrence(ReminderKind.CAFFEINE_CUTOFF, at(TUESDAY, 17, 52)),
                           at(TUESDAY, 17, 52), facts(TUESDAY))
    assert "by 18:22" in last_call.body and "bedtime at 23:00" in last_call.body
    wind = p.reminder(occurrence(ReminderKind.WIND_DOWN, at(TUESDAY, 22, 30)),
                      at(TUESDAY, 22, 30), facts(TUESDAY))
    assert "23:00" in wind.body
    for kind in ReminderKind:
        text = p.reminder(occurrence(kind, noon), noon, facts(TUESDAY))
        assert text.title and text.body and text.done_label and text.kind is kind


def test_a_bedtime_after_midnight_warns_only_after_it() -> None:
    # Bedtime 00:30 ends Tuesday's Quell day on Wednesday's date: a coffee at 00:15 is judged
    # by what is left at 00:30, one at 02:00 is after bedtime, one at 04:30 starts Wednesday.
    p = policy(Settings(bedtime=time(0, 30)))
    wednesday = TUESDAY + timedelta(1)
    for moment, after in ((at(wednesday, 0, 15), False), (at(wednesday, 2), True)):
        day = p.day_of(moment)
        assert day == TUESDAY
        late = p.caffeine.late_drink(Drink(moment, 95), [], p.bedtime(day))
        assert late is not None and late.after_bedtime is after
    morning = at(wednesday, 4, 30)
    assert p.day_of(morning) == wednesday
    assert p.caffeine.late_drink(Drink(morning, 95), [], p.bedtime(wednesday)) is None


def test_late_caffeine_texts_before_and_after_bedtime() -> None:
    model = policy().caffeine
    bedtime = at(TUESDAY, 23)
    evening = model.late_drink(Drink(at(TUESDAY, 20), 95), [], bedtime)
    assert evening is not None
    title, body = late_caffeine_text(evening)
    assert title == "After today's caffeine cut-off"
    assert body.startswith("About 63 mg of caffeine will still be in your body at bedtime "
                           "(23:00), above the 50 mg")
    assert body.endswith("A drink like this one fits before 18:22.")
    night = model.late_drink(Drink(at(TUESDAY + timedelta(1), 1), 95), [], bedtime)
    assert night is not None
    title, body = late_caffeine_text(night)
    assert title == "After your planned bedtime"
    assert body.startswith("This drink comes after your planned bedtime (23:00): about 95 mg "
                           "of caffeine is in your body now")
    assert body.endswith("On another day, a drink like this one fits before 18:22.")
    # The day start decides which bedtime a night drink is measured against: 01:00 belongs
    # to Tuesday (its bedtime passed), 05:00 to Wednesday (bedtime still ahead).
    p = policy()
    for moment, after in ((at(TUESDAY + timedelta(1), 1), True),
                          (at(TUESDAY + timedelta(1), 5), False)):
        day = p.day_of(moment)
        late = model.late_drink(Drink(moment, 95), [], p.bedtime(day))
        assert (late is not None and late.after_bedtime) is after


def test_away_text_groups_by_kind() -> None:
    p = policy()
    title, lines = p.away_text([
        occurrence(ReminderKind.STRETCH, at(TUESDAY, 11)),
        occurrence(ReminderKind.WATER, at(TUESDAY, 10)),
        occurrence(ReminderKind.STRETCH, at(TUESDAY, 10)),
    ])
    assert title == "While you were away"
    assert lines == ["Water · 10:00", "Stretch break · 10:00, 11:00"]


# -- facts, pause ----------------------------------------------------------------------------


def test_facts_from_entries() -> None:
    monday = TUESDAY - timedelta(1)
    entries = [
        Entry("water", at(TUESDAY, 9), TUESDAY, 500),
        Entry("water", at(TUESDAY, 11), TUESDAY, 250),
        Entry("caffeine", at(monday, 20), monday, 95),
        Entry("caffeine", at(TUESDAY, 8), TUESDAY, 63),
        Entry("stretching", at(TUESDAY, 10), TUESDAY, 1),
        Entry("sleep", at(TUESDAY, 7), TUESDAY, 8),
    ]
    targets = {"water": Target("water", 2500, None, date(1, 1, 1)),
               "caffeine": Target("caffeine", 300, None, date(1, 1, 1))}
    result = facts_from(TUESDAY, entries, targets)
    assert result.water_ml == 750 and result.water_target_ml == 2500
    assert result.caffeine_mg == 63  # yesterday's coffee still counts in the body, not the total
    assert [d.mg for d in result.caffeine] == [95, 63]
    assert result.last_stretch == at(TUESDAY, 10)
    assert result.sleep_logged
    assert result.last_breathing is None


@pytest.mark.parametrize(("text", "minutes"), [
    ("30m", 30), ("1h", 60), ("2h", 120), ("1h30m", 90), ("90m", 90), (" 1H 30M ", 90),
    ("45min", 45),
])
def test_pause_durations(text: str, minutes: int) -> None:
    now = at(TUESDAY, 14, 30)
    assert parse_pause(text, now, time(7, 0)) == now + timedelta(minutes=minutes)


def test_pause_until_tomorrow_is_the_next_planned_wake_time() -> None:
    assert parse_pause("tomorrow", at(TUESDAY, 14, 30), time(7, 0)) == at(
        TUESDAY + timedelta(1), 7)
    # In the small hours "tomorrow" means this morning's wake time.
    assert next_wake(at(TUESDAY, 3), time(7, 0)) == at(TUESDAY, 7)


@pytest.mark.parametrize("text", ["", "0m", "banana", "1d", "h", "200h", "-1h", "1.5h"])
def test_bad_pause_durations(text: str) -> None:
    with pytest.raises(InputError):
        parse_pause(text, at(TUESDAY, 14, 30), time(7, 0))


# -- settings --------------------------------------------------------------------------------


def test_reminder_settings_round_trip_and_leniency() -> None:
    custom = Settings().replace(reminders=ReminderSettings().replace(
        water_days=(7, 1), breathe_times=(time(17, 0), time(9, 30)),
        caffeine_half_life_hours=4.5), paused_until=at(TUESDAY, 15))
    assert custom.reminders.water_days == (1, 7)
    data = custom.to_dict()
    assert data["reminders"]["breathe_times"] == ["09:30", "17:00"]
    assert data["paused_until"] == "2026-03-10T15:00:00+00:00"
    again, problems = Settings.from_dict(data)
    assert again == custom and problems == []
    data["reminders"]["stretch_every_minutes"] = 2
    data["reminders"]["style"] = "fireworks"
    data["paused_until"] = "soon"
    lenient, problems = Settings.from_dict(data)
    assert lenient.reminders.stretch_every_minutes == 60
    assert lenient.reminders.style is ReminderStyle.CARD
    assert lenient.paused_until is None
    assert len(problems) == 3


@pytest.mark.parametrize("changes", [
    {"water_every_minutes": 5}, {"stretch_from": time(9), "stretch_until": time(9)},
    {"breathe_minutes": 9}, {"caffeine_half_life_hours": 0.5}, {"stretch_days": (0,)},
    {"style": "loud"}, {"card_minutes": 0}, {"breathe_times": (time(9),) * 2},
])
def test_bad_reminder_settings(changes: dict[str, Any]) -> None:
    with pytest.raises(InputError):
        ReminderSettings().replace(**changes)


# -- held reminders (issue 9) ----------------------------------------------------------------


def test_reasons_stored_for_held_reminders() -> None:
    assert Reason.BREAK_TAKEN.value == "break_taken"
    assert {r.value for r in Reason} >= {"break_taken", "screen_locked", "do_not_disturb",
                                         "fullscreen", "meeting", "away"}
    assert hold_reason(None) is Reason.AWAY
    assert {hold_reason(r).value for r in HoldReason} == {r.value for r in HoldReason}
    assert hold_reason(HoldReason.MEETING) is Reason.MEETING
    assert hold_reason(HoldReason.SCREEN_LOCKED) is Reason.SCREEN_LOCKED
    assert hold_reason(HoldReason.DO_NOT_DISTURB) is Reason.DO_NOT_DISTURB
    assert hold_reason(HoldReason.FULLSCREEN) is Reason.FULLSCREEN
    assert hold_reason(HoldReason.AWAY) is Reason.AWAY


def test_time_away_is_the_break_for_stretch_and_breathe_only() -> None:
    p = policy()  # away_minutes 5
    span = AwaySpan(at(TUESDAY, 14), at(TUESDAY, 14, 5))
    inside = at(TUESDAY, 14, 3)
    for kind in ReminderKind:
        expected = kind in (ReminderKind.STRETCH, ReminderKind.BREATHE)
        assert p.natural_break(occurrence(kind, inside), span) is expected
    stretch = ReminderKind.STRETCH
    # Both ends count; outside the span it does not.
    assert p.natural_break(occurrence(stretch, at(TUESDAY, 14)), span)
    assert p.natural_break(occurrence(stretch, at(TUESDAY, 14, 5)), span)
    assert not p.natural_break(occurrence(stretch, at(TUESDAY, 14, 6)), span)
    assert not p.natural_break(occurrence(stretch, at(TUESDAY, 13, 59)), span)
    assert not p.natural_break(occurrence(stretch, inside), None)
    # Shorter than away_minutes is not a break.
    short = AwaySpan(at(TUESDAY, 14), at(TUESDAY, 14, 4))
    assert not p.natural_break(occurrence(stretch, inside), short)
    assert policy(away_minutes=4).natural_break(occurrence(stretch, inside), short)
    assert not policy(away_minutes=6).natural_break(occurrence(stretch, inside), span)


def test_away_title_names_what_held_the_reminders() -> None:
    assert away_title(None) == "While you were away"
    assert away_title(HoldReason.AWAY) == "While you were away"
    assert away_title(HoldReason.SCREEN_LOCKED) == "While you were away"
    assert away_title(HoldReason.MEETING) == "During your meeting"
    assert away_title(HoldReason.FULLSCREEN) == "While a full-screen window was in front"
    assert away_title(HoldReason.DO_NOT_DISTURB) == "While do not disturb was on"
    title, lines = policy().away_text([occurrence(ReminderKind.WATER, at(TUESDAY, 10))],
                                      HoldReason.MEETING)
    assert (title, lines) == ("During your meeting", ["Water · 10:00"])


def test_the_wind_down_alone_carries_the_days_twitch_question() -> None:
    policy = ReminderPolicy(Settings(), LONDON)
    at = datetime(2026, 3, 10, 22, 0, tzinfo=LONDON)
    wind_down = policy.reminder(Occurrence(ReminderKind.WIND_DOWN, at, TUESDAY), at,
                                DayFacts(TUESDAY))
    asked = with_rating_question(wind_down)
    assert asked.asks_rating and not wind_down.asks_rating
    assert asked.body == wind_down.body + (" Before you go: how much did twitching bother "
                                           "you today?")
    assert asked.done_label == "Rate today…" and wind_down.done_label == "Got it"
    assert (asked.kind, asked.due, asked.day, asked.title) == (
        wind_down.kind, wind_down.due, wind_down.day, wind_down.title)
    assert with_rating_question(asked) == asked  # asked once, never twice
    for kind in ReminderKind:
        if kind is not ReminderKind.WIND_DOWN:
            other = policy.reminder(Occurrence(kind, at, TUESDAY), at,
                                    DayFacts(TUESDAY, water_target_ml=2000))
            assert with_rating_question(other) is other
