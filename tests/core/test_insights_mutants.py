"""Insight edges a mutation run found untested: each trigger's exact boundary, a day that
cannot be judged in the middle of the data, the sentence thresholds and the JSON form."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quell.core.entries import Target
from quell.core.insights import (
    CAUTION_EN,
    HIGH_STRESS_FROM,
    SHORT_SLEEP_HOURS,
    TRIGGER_KEYS,
    Evidence,
    Insights,
    TriggerResult,
    caution,
    compute,
    days_text,
    rate_ratio,
)

START = date(2026, 1, 5)
ALWAYS = date(1, 1, 1)
TARGETS = {
    "caffeine": [Target("caffeine", 300, None, ALWAYS)],
    "water": [Target("water", 2000, None, ALWAYS)],
}


def on(index: int) -> date:
    return START + timedelta(days=index)


def judged(totals: dict[str, dict[date, float]], key: str,
           twitches: dict[date, int] | None = None) -> TriggerResult:
    found = compute(totals, TARGETS, twitches or {})
    return next(t for t in found.triggers if t.key == key)


def test_caffeine_at_the_limit_is_not_over_it() -> None:
    at_limit = judged({"caffeine": {on(0): 300.0, on(1): 301.0}}, "caffeine_over_limit")
    assert (at_limit.days_with, at_limit.days_without) == (1, 1)


def test_caffeine_without_a_limit_cannot_be_judged() -> None:
    found = compute({"caffeine": {on(0): 900.0}}, {}, {})
    result = next(t for t in found.triggers if t.key == "caffeine_over_limit")
    assert (result.days_with, result.days_without) == (0, 0)


def test_a_single_nicotine_unit_counts_as_nicotine() -> None:
    result = judged({"nicotine": {on(0): 1.0}, "water": {on(1): 2000.0}}, "nicotine")
    assert (result.days_with, result.days_without) == (1, 1)


def test_sleep_stress_water_and_stretching_boundaries() -> None:
    sleep = judged({"sleep": {on(0): SHORT_SLEEP_HOURS, on(1): SHORT_SLEEP_HOURS - 0.25}},
                   "short_sleep")
    assert (sleep.days_with, sleep.days_without) == (1, 1)
    stress = judged({"stress": {on(0): HIGH_STRESS_FROM, on(1): HIGH_STRESS_FROM - 1}},
                    "high_stress")
    assert (stress.days_with, stress.days_without) == (1, 1)
    water = judged({"water": {on(0): 2000.0, on(1): 1999.0}}, "low_water")
    assert (water.days_with, water.days_without) == (1, 1)
    stretching = judged({"stretching": {on(0): 1.0}, "water": {on(1): 2000.0}},
                        "no_stretching")
    assert (stretching.days_with, stretching.days_without) == (1, 1)


def test_hard_exercise_counts_that_day_and_the_next_only() -> None:
    totals = {"exercise": {on(1): 1.0}, "water": {on(i): 2000.0 for i in range(4)}}
    result = judged(totals, "hard_exercise")
    assert (result.days_with, result.days_without) == (2, 2)  # days 1 and 2, not 0 nor 3


def test_a_day_that_cannot_be_judged_does_not_stop_the_count() -> None:
    # Sleep was logged on days 0 and 2 only: day 1 is skipped, day 2 still counts.
    totals = {"sleep": {on(0): 5.0, on(2): 8.0}, "water": {on(1): 2000.0}}
    result = judged(totals, "short_sleep", {on(0): 3, on(1): 7, on(2): 1})
    assert (result.days_with, result.days_without) == (1, 1)
    assert (result.episodes_with, result.episodes_without) == (3, 1)


def test_episodes_are_summed_on_each_side_and_overall() -> None:
    totals = {"nicotine": {on(0): 2.0, on(1): 3.0}, "water": {on(i): 1.0 for i in range(4)}}
    twitches = {on(0): 2, on(1): 5, on(2): 1, on(3): 4, on(9): 100}
    found = compute(totals, TARGETS, twitches)
    nicotine = next(t for t in found.triggers if t.key == "nicotine")
    assert (nicotine.episodes_with, nicotine.episodes_without) == (7, 5)
    assert found.episodes == 12  # day 9 has no entries: not considered
    assert found.days_considered == 4


def test_enough_data_from_seven_days_on_each_side() -> None:
    def result(days_with: int, days_without: int) -> TriggerResult:
        return TriggerResult("nicotine", days_with, days_without, 7, 7, None, None, None)

    assert result(7, 7).enough_data
    assert not result(6, 7).enough_data
    assert not result(7, 6).enough_data


def test_ranking_puts_stronger_evidence_first_and_ties_in_contract_order() -> None:
    totals = {"water": {on(i): 2000.0 if i % 2 else 500.0 for i in range(28)},
              "nicotine": {on(i): 1.0 for i in range(0, 28, 2)}}
    twitches = {on(i): 4 if i % 2 == 0 else 1 for i in range(28)}
    found = compute(totals, TARGETS, twitches)
    # low water and nicotine fall on the same days: an exact tie, kept in contract order.
    assert [t.key for t in found.triggers[:2]] == ["low_water", "nicotine"]
    rest = [t.key for t in found.triggers[2:]]
    assert rest == [k for k in TRIGGER_KEYS if k not in ("low_water", "nicotine")]


def sentence(ratio: float, low: float, high: float) -> str:
    return TriggerResult("nicotine", 10, 12, 0, 0, ratio, low, high).sentence


def test_sentence_thresholds() -> None:
    assert sentence(1.1, 0.8, 1.5) == (
        "On days with nicotine you logged 1.1 times as many twitches: 10 days vs 12 days.")
    assert sentence(1.05, 1.01, 1.09) == (
        "On days with nicotine you logged 5 % more twitches: 10 days vs 12 days.")
    assert sentence(1.05, 0.9, 1.2) == (
        "On days with nicotine you logged about as many twitches: 10 days vs 12 days.")
    assert sentence(0.9, 0.7, 1.1) == (
        "On days with nicotine you logged 10 % fewer twitches: 10 days vs 12 days.")
    assert sentence(0.95, 0.91, 0.99) == (
        "On days with nicotine you logged 5 % fewer twitches: 10 days vs 12 days.")
    assert sentence(0.95, 0.8, 1.1) == (
        "On days with nicotine you logged about as many twitches: 10 days vs 12 days.")


def test_not_enough_data_sentence_and_no_certainty() -> None:
    result = TriggerResult("short_sleep", 1, 6, 2, 3, None, None, None)
    assert result.sentence == (
        "Not enough data yet: 1 day vs 6 days (at least 7 of each are needed).")
    assert result.certainty == ""
    assert TriggerResult("short_sleep", 7, 7, 2, 3, 2.0, None, None).certainty == ""


def test_evidence_needs_the_whole_interval_past_one() -> None:
    def evidence(low: float | None, high: float | None) -> Evidence:
        return TriggerResult("nicotine", 7, 7, 1, 1, 1.0, low, high).evidence

    assert evidence(1.01, 2.0) is Evidence.MORE
    assert evidence(1.0, 2.0) is Evidence.UNCLEAR
    assert evidence(0.5, 0.99) is Evidence.FEWER
    assert evidence(0.5, 1.0) is Evidence.UNCLEAR
    assert evidence(None, None) is Evidence.UNCLEAR


def test_certainty_wording_and_places() -> None:
    def certainty(low: float, high: float) -> str:
        return TriggerResult("nicotine", 7, 7, 1, 1, 1.5, low, high).certainty

    assert certainty(1.2, 2.4) == (
        "The 95 % range 1.2–2.4 stays above 1: unlikely to be chance alone.")
    assert certainty(1.04, 1.07) == (
        "The 95 % range 1.04–1.07 stays above 1: unlikely to be chance alone.")
    assert certainty(0.2, 0.5) == (
        "The 95 % range 0.2–0.5 stays below 1: unlikely to be chance alone.")
    assert certainty(0.5, 2.5) == "The 95 % range 0.5–2.5 includes 1: this could be chance."


def test_json_form() -> None:
    result = TriggerResult("nicotine", 8, 9, 10, 4, 2.81249, 1.012345, 7.8)
    data = result.to_json()
    assert data == {
        "key": "nicotine", "outcome": "episodes", "days_with": 8, "days_without": 9,
        "episodes_with": 10,
        "episodes_without": 4, "rate_ratio": 2.8125, "ci_low": 1.0123, "ci_high": 7.8,
        "enough_data": True, "sentence": result.sentence,
    }
    empty = TriggerResult("nicotine", 1, 1, 0, 0, None, None, None).to_json()
    assert (empty["rate_ratio"], empty["ci_low"], empty["ci_high"]) == (None, None, None)
    whole = Insights((result,), 17, 14).to_json()
    assert whole == {"outcome": "episodes", "days_considered": 17, "episodes": 14,
                     "note": CAUTION_EN, "triggers": [data]}


def test_words() -> None:
    assert days_text(1) == "1 day"
    assert days_text(0) == "0 days"
    assert days_text(1200) == "1,200 days"
    assert caution() == CAUTION_EN
    assert TriggerResult("hard_exercise", 0, 0, 0, 0, None, None, None).name == "Hard exercise"


def test_rate_ratio_refuses_an_empty_side() -> None:
    with pytest.raises(ValueError, match="both sides need at least one day"):
        rate_ratio(1, 0, 1, 1)
    with pytest.raises(ValueError, match="both sides need at least one day"):
        rate_ratio(1, 1, 1, 0)
    assert rate_ratio(3, 1, 0, 1).ratio == pytest.approx(3.5 / 0.5)
