"""Insights: rate ratios and Wald intervals against hand-computed examples, trigger rules,
the 7-day minimum, ranking, and days as the user lives them (DST, the day-start hour)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from quell.core.days import day_of
from quell.core.entries import Target
from quell.core.insights import (
    MIN_DAYS_EACH_SIDE,
    TRIGGER_KEYS,
    Evidence,
    TriggerResult,
    compute,
    rate_ratio,
)
from quell.core.settings import Settings
from quell.storage.history_store import HistoryStore
from tests.conftest import LONDON, FakeClock
from tests.helpers import MemorySettings, make_tracker

START = date(2026, 1, 5)
DEFAULT_TARGETS = {
    "caffeine": [Target("caffeine", 300, None, date(1, 1, 1))],
    "water": [Target("water", 2000, None, date(1, 1, 1))],
    "sleep": [Target("sleep", 7, 9, date(1, 1, 1))],
    "nicotine": [Target("nicotine", 0, None, date(1, 1, 1))],
}


def days(n: int, start: date = START) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


def result(insights_triggers: tuple[TriggerResult, ...], key: str) -> TriggerResult:
    return next(t for t in insights_triggers if t.key == key)


# -- the statistic ---------------------------------------------------------------------


def test_rate_ratio_hand_computed() -> None:
    # 16 episodes on 8 days (2 a day) vs 12 on 12 days (1 a day): RR = 2.
    # SE(log RR) = sqrt(1/16 + 1/12) = 0.381881; e^(1.96 * 0.381881) = 2.113800
    # CI = 2 / 2.113800 .. 2 * 2.113800 = 0.946176 .. 4.227600
    rr = rate_ratio(16, 8, 12, 12)
    assert rr.ratio == pytest.approx(2.0)
    assert rr.low == pytest.approx(0.946176, abs=1e-5)
    assert rr.high == pytest.approx(4.227542, abs=1e-5)


def test_zero_episodes_on_one_side_adds_half_to_both() -> None:
    # 0 on 7 days vs 10 on 10 days: counts become 0.5 and 10.5.
    # RR = (0.5/7) / (10.5/10) = 0.068027; SE = sqrt(1/0.5 + 1/10.5) = sqrt(2.095238) = 1.447494
    rr = rate_ratio(0, 7, 10, 10)
    se = math.sqrt(2 + 1 / 10.5)
    assert rr.ratio == pytest.approx(0.5 / 7 / 1.05)
    assert rr.low == pytest.approx(rr.ratio * math.exp(-1.959964 * se), rel=1e-5)
    assert rr.high == pytest.approx(1.160891, abs=1e-5)
    # Zero on the other side: 14 on 7 days vs 0 on 7 -> 14.5 vs 0.5 -> RR 29.
    assert rate_ratio(14, 7, 0, 7).ratio == pytest.approx(29.0)
    # Zero on both sides: 0.5 vs 0.5 -> RR is the ratio of days, 9/7.
    assert rate_ratio(0, 7, 0, 9).ratio == pytest.approx(9 / 7)


def test_rate_ratio_needs_days_on_both_sides() -> None:
    with pytest.raises(ValueError):
        rate_ratio(3, 0, 4, 5)


# -- triggers --------------------------------------------------------------------------


def test_short_sleep_example_matches_the_contract() -> None:
    short, rested = days(8), days(12, START + timedelta(days=8))
    sleep = {d: 6.0 for d in short} | {d: 8.0 for d in rested}
    twitches = {d: 2 for d in short} | {d: 1 for d in rested}
    found = result(compute({"sleep": sleep}, DEFAULT_TARGETS, twitches).triggers,
                   "short_sleep")
    assert (found.days_with, found.days_without) == (8, 12)
    assert (found.episodes_with, found.episodes_without) == (16, 12)
    assert found.enough_data
    assert found.rate_ratio == pytest.approx(2.0)
    assert found.ci_low == pytest.approx(0.946176, abs=1e-5)
    assert found.sentence == ("On days after less than 7 h of sleep you logged 2 times as many "
                              "twitches: 8 days vs 12 days.")
    assert "includes 1" in found.certainty
    data = found.to_json()
    assert {"key", "days_with", "days_without", "rate_ratio", "ci_low", "ci_high",
            "enough_data"} <= set(data)
    assert data["rate_ratio"] == 2.0 and data["ci_high"] == pytest.approx(4.2275, abs=1e-4)


def test_seven_days_each_side_is_the_minimum() -> None:
    sleep = {d: 6.0 for d in days(7)} | {d: 8.0 for d in days(6, date(2026, 2, 1))}
    found = result(compute({"sleep": sleep}, DEFAULT_TARGETS, {}).triggers, "short_sleep")
    assert (found.days_with, found.days_without) == (7, 6)
    assert not found.enough_data
    assert (found.rate_ratio, found.ci_low, found.ci_high) == (None, None, None)
    assert found.to_json()["rate_ratio"] is None
    assert found.sentence.startswith("Not enough data yet: 7 days vs 6 days")
    sleep[date(2026, 3, 1)] = 8.0
    found = result(compute({"sleep": sleep}, DEFAULT_TARGETS, {}).triggers, "short_sleep")
    assert found.enough_data and found.rate_ratio is not None
    assert MIN_DAYS_EACH_SIDE == 7


def test_all_days_on_one_side_is_not_enough_data() -> None:
    sleep = {d: 5.5 for d in days(30)}
    found = result(compute({"sleep": sleep}, DEFAULT_TARGETS, {d: 1 for d in days(30)}
                           ).triggers, "short_sleep")
    assert (found.days_with, found.days_without) == (30, 0)
    assert not found.enough_data and found.rate_ratio is None


def test_zero_twitches_on_one_side_through_compute() -> None:
    stressed, calm = days(7), days(10, date(2026, 2, 1))
    stress = {d: 5.0 for d in stressed} | {d: 2.0 for d in calm}
    twitches = {d: 1 for d in calm}
    found = result(compute({"stress": stress}, DEFAULT_TARGETS, twitches).triggers,
                   "high_stress")
    assert (found.episodes_with, found.episodes_without) == (0, 10)
    assert found.rate_ratio == pytest.approx(0.5 / 7 / 1.05)
    assert found.evidence is Evidence.UNCLEAR
    assert "fewer twitches" in found.sentence


def test_caffeine_and_nicotine_count_no_entry_as_none() -> None:
    considered = days(20)
    water = {d: 2500.0 for d in considered}           # logs every day
    caffeine = {d: 400.0 for d in considered[:8]}     # over 300 on 8 days, none on 12
    nicotine = {d: 2.0 for d in considered[:9]}
    totals = {"water": water, "caffeine": caffeine, "nicotine": nicotine}
    insights = compute(totals, DEFAULT_TARGETS, {})
    over = result(insights.triggers, "caffeine_over_limit")
    assert (over.days_with, over.days_without) == (8, 12)
    assert (result(insights.triggers, "nicotine").days_with,
            result(insights.triggers, "nicotine").days_without) == (9, 11)
    # Water and sleep are judged only where logged: sleep never was.
    assert result(insights.triggers, "short_sleep").days_with == 0
    assert result(insights.triggers, "short_sleep").days_without == 0
    assert insights.days_considered == 20


def test_caffeine_is_judged_against_the_limit_in_force_that_day() -> None:
    targets = dict(DEFAULT_TARGETS)
    targets["caffeine"] = [Target("caffeine", 300, None, date(1, 1, 1)),
                           Target("caffeine", 200, None, date(2026, 1, 10))]
    caffeine = {d: 250.0 for d in days(10)}  # 5 Jan .. 14 Jan
    found = result(compute({"caffeine": caffeine}, targets, {}).triggers,
                   "caffeine_over_limit")
    assert (found.days_with, found.days_without) == (5, 5)  # over only from 10 Jan


def test_low_water_only_on_days_water_was_logged() -> None:
    water = {d: 1500.0 for d in days(3)} | {d: 2000.0 for d in days(2, date(2026, 2, 1))}
    other = {d: 1.0 for d in days(10, date(2026, 3, 1))}
    found = result(compute({"water": water, "breathing": other}, DEFAULT_TARGETS, {}
                           ).triggers, "low_water")
    assert (found.days_with, found.days_without) == (3, 2)  # 2000 is not under 2000


def test_no_stretching_and_hard_exercise_the_day_before() -> None:
    considered = days(6)
    stretching = {considered[0]: 2.0, considered[1]: 1.0}
    exercise = {considered[2]: 45.0}
    water = {d: 2000.0 for d in considered}
    insights = compute({"stretching": stretching, "exercise": exercise, "water": water},
                       DEFAULT_TARGETS, {})
    stretch = result(insights.triggers, "no_stretching")
    assert (stretch.days_with, stretch.days_without) == (4, 2)
    hard = result(insights.triggers, "hard_exercise")
    assert (hard.days_with, hard.days_without) == (2, 4)  # that day and the day after


def test_stress_four_and_five_count() -> None:
    stress = {START: 3.0, START + timedelta(days=1): 4.0, START + timedelta(days=2): 5.0}
    found = result(compute({"stress": stress}, DEFAULT_TARGETS, {}).triggers, "high_stress")
    assert (found.days_with, found.days_without) == (2, 1)


def test_twitch_only_days_are_not_considered() -> None:
    water = {d: 2100.0 for d in days(3)}
    twitches = {date(2026, 6, 1): 5, START: 1}
    insights = compute({"water": water}, DEFAULT_TARGETS, twitches)
    assert insights.days_considered == 3
    assert insights.episodes == 1


def test_ranked_by_lower_end_of_the_interval() -> None:
    considered = days(40)
    # Twitches on days 0..9: stress on 0..9 (strong), short sleep on 0..4 and 20..24 (weaker).
    twitches = {d: 3 for d in considered[:10]}
    stress = {d: (5.0 if i < 10 else 1.0) for i, d in enumerate(considered)}
    sleep = {d: (6.0 if i < 5 or 20 <= i < 25 else 8.0) for i, d in enumerate(considered)}
    insights = compute({"stress": stress, "sleep": sleep}, DEFAULT_TARGETS, twitches)
    keys = [t.key for t in insights.triggers]
    assert keys[:2] == ["high_stress", "short_sleep"]
    lows = [t.ci_low for t in insights.triggers if t.enough_data]
    assert lows == sorted(lows, reverse=True)
    assert set(keys) == set(TRIGGER_KEYS)
    stress_result = insights.triggers[0]
    assert stress_result.evidence is Evidence.MORE
    assert "stays above 1" in stress_result.certainty
    # Not-enough triggers follow, in the contract's order.
    rest = [t.key for t in insights.triggers if not t.enough_data]
    assert rest == [k for k in TRIGGER_KEYS if k in rest]
    assert insights.to_json()["triggers"][0]["key"] == "high_stress"
    assert "not proof" in insights.to_json()["note"]


def test_no_data_at_all() -> None:
    insights = compute({}, {}, {})
    assert insights.days_considered == 0
    assert all(not t.enough_data for t in insights.triggers)
    assert [t.key for t in insights.triggers] == list(TRIGGER_KEYS)


# -- days as lived: DST and the day-start hour, through the real storage ----------------


def add_twitch(db: object, moment: datetime, day_start_hour: int = 4, area: str = "eyelid",
               intensity: int = 2) -> None:
    offset = moment.utcoffset()
    assert offset is not None
    db.execute(  # type: ignore[attr-defined]
        "INSERT INTO twitches (ts, utc_offset, day, area, side, intensity, note, source,"
        " created) VALUES (?,?,?,?,?,?,?,?,?)",
        (int(moment.timestamp()), int(offset.total_seconds()),
         day_of(moment, day_start_hour).isoformat(), area, "", intensity, "", "test", 0))


def test_dst_night_and_small_hours(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 4, 2, 12, 0, tzinfo=LONDON))
    tracker, _store, database = make_tracker(tmp_path, clock)
    try:
        # Spring forward in London: 29 March 2026, 01:00 -> 02:00. Bed 23:30, up 07:00 is
        # 7.5 h on the clock but 6.5 h of real sleep: a short night, on the day of waking.
        tracker.log_sleep(datetime(2026, 3, 28, 23, 30, tzinfo=LONDON),
                          datetime(2026, 3, 29, 7, 0, tzinfo=LONDON))
        # The night before (no change): 23:30 -> 07:00 is 7.5 h, not short.
        tracker.log_sleep(datetime(2026, 3, 27, 23, 30, tzinfo=LONDON),
                          datetime(2026, 3, 28, 7, 0, tzinfo=LONDON))
        # Twitches at 00:30 (before the 04:00 day start) belong to the day before.
        add_twitch(database.connection, datetime(2026, 3, 29, 0, 30, tzinfo=LONDON))
        add_twitch(database.connection, datetime(2026, 3, 29, 9, 0, tzinfo=LONDON))
        add_twitch(database.connection, datetime(2026, 3, 29, 21, 0, tzinfo=LONDON))
        history = HistoryStore(database.connection)
        found = result(history.insights().triggers, "short_sleep")
        assert (found.days_with, found.days_without) == (1, 1)
        # 29 March (short) has 2 episodes; 28 March has the 00:30 one.
        assert (found.episodes_with, found.episodes_without) == (2, 1)
        assert history.daily_totals()["sleep"][date(2026, 3, 29)] == pytest.approx(6.5)
    finally:
        database.connection.close()


def test_autumn_night_is_long(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 10, 30, 12, 0, tzinfo=LONDON))
    tracker, _store, database = make_tracker(tmp_path, clock)
    try:
        # Fall back, 25 October 2026: 00:30 -> 06:30 on the clock is 7 h of real sleep.
        tracker.log_sleep(datetime(2026, 10, 25, 0, 30, tzinfo=LONDON),
                          datetime(2026, 10, 25, 6, 30, tzinfo=LONDON))
        found = result(HistoryStore(database.connection).insights().triggers, "short_sleep")
        assert (found.days_with, found.days_without) == (0, 1)
    finally:
        database.connection.close()


def test_day_start_hour_moves_small_hours_to_the_day_before(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 3, 20, 12, 0, tzinfo=LONDON))
    settings = MemorySettings(Settings(day_start_hour=6))
    tracker, _store, database = make_tracker(tmp_path, clock, settings)
    try:
        # 05:00 on 11 March is still 10 March with a 06:00 day start.
        tracker.log("caffeine", 400, at=datetime(2026, 3, 11, 5, 0, tzinfo=LONDON))
        tracker.log("exercise", 30, at=datetime(2026, 3, 11, 5, 30, tzinfo=LONDON))
        tracker.log("water", 500, at=datetime(2026, 3, 11, 12, 0, tzinfo=LONDON))
        tracker.log("water", 500, at=datetime(2026, 3, 13, 12, 0, tzinfo=LONDON))
        add_twitch(database.connection, datetime(2026, 3, 11, 5, 45, tzinfo=LONDON),
                   day_start_hour=6)
        insights = HistoryStore(database.connection).insights()
        over = result(insights.triggers, "caffeine_over_limit")
        assert (over.days_with, over.days_without) == (1, 2)  # 10 March over; 11 and 13 not
        assert over.episodes_with == 1
        hard = result(insights.triggers, "hard_exercise")
        assert (hard.days_with, hard.days_without) == (2, 1)  # 10 and 11 March
    finally:
        database.connection.close()


def test_wording_agrees_with_the_interval() -> None:
    # 2 a day on 300 days vs 1 a day on 100: "2 times as many".
    found = compute({"stress": {d: (5.0 if i < 300 else 1.0) for i, d in enumerate(days(400))}},
                    DEFAULT_TARGETS,
                    {d: (2 if i < 300 else 1) for i, d in enumerate(days(400))}).triggers[0]
    assert found.key == "high_stress" and "2 times as many" in found.sentence
    # A small but clear difference: 1.05 a day vs 1.0, over many days.
    many = days(4000)
    twitches = {d: (21 if i % 2 else 20) for i, d in enumerate(many)}
    stress = {d: (5.0 if i % 2 else 1.0) for i, d in enumerate(many)}
    found = result(compute({"stress": stress}, DEFAULT_TARGETS, twitches).triggers,
                   "high_stress")
    assert found.evidence is Evidence.MORE
    assert "5 % more twitches" in found.sentence
    assert "95 % range 1.04–1.06 stays above 1" in found.certainty


@pytest.mark.parametrize(("key", "ci", "said"), [
    ("hard_exercise", (1.2, 2.0), True),    # more twitches after hard exercise: say it is normal
    ("hard_exercise", (0.8, 1.5), False),   # could be chance: nothing to put in context
    ("hard_exercise", (0.4, 0.9), False),   # fewer
    ("high_stress", (1.2, 2.0), False),     # only exercise
])
def test_a_link_to_hard_exercise_says_twitching_after_it_is_normal(
        key: str, ci: tuple[float, float], said: bool) -> None:
    found = TriggerResult(key, 10, 10, 20, 10, 1.5, *ci)
    assert (found.context == "Short-term twitching after hard exercise is normal and settles "
                             "with rest; stopping exercise is usually not needed.") is said
    assert said or found.context == ""
    assert "context" not in found.to_json()  # the JSON contract stays as it is


def test_no_context_without_enough_data() -> None:
    assert TriggerResult("hard_exercise", 6, 10, 20, 10, 1.5, 1.2, 2.0).context == ""
