"""Insights with the daily rating as the outcome: mean ratings with and without each trigger,
Welch's interval for the difference against hand-computed examples, the 7-day minimum, the
days considered, ranking, wording and the JSON contract."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quell.core.entries import Target
from quell.core.insights import (
    Evidence,
    Insights,
    Outcome,
    TriggerResult,
    compute,
    default_outcome,
    rating_result,
)

START = date(2026, 1, 5)
TARGETS = {"caffeine": [Target("caffeine", 300, None, date(1, 1, 1))]}


def days(n: int, start: date = START) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


def result(insights: Insights, key: str) -> TriggerResult:
    return next(t for t in insights.triggers if t.key == key)


def nicotine_data(with_ratings: list[int], without_ratings: list[int]
                  ) -> tuple[dict[str, dict[date, float]], dict[date, int]]:
    """Water logged every day; nicotine on the first len(with_ratings) days, rated as given."""
    all_days = days(len(with_ratings) + len(without_ratings))
    totals: dict[str, dict[date, float]] = {
        "water": {day: 1500.0 for day in all_days},
        "nicotine": {day: 1.0 for day in all_days[:len(with_ratings)]},
    }
    ratings = dict(zip(all_days, with_ratings + without_ratings, strict=True))
    return totals, ratings


# -- the statistic, by hand -------------------------------------------------------------


def test_welch_interval_of_the_mean_ratings_hand_computed() -> None:
    # With nicotine: 3,4,2,3,4,3,2 -> mean 3.0, deviations 0,1,-1,0,1,0,-1: SS 4, s² = 4/6.
    # Without: 1,2,1,2,1,1,2,2 -> mean 1.5, SS = 8 x 0.25 = 2, s² = 2/7.
    # a = (4/6)/7 = 0.0952381, b = (2/7)/8 = 0.0357143; SE = sqrt(a + b) = 0.3618734.
    # df = (a + b)² / (a²/6 + b²/7) = 0.0171485 / 0.0016939 = 10.1235.
    # t(0.975, 10.1235) = 2.22446; half-width = 2.22446 x 0.3618734 = 0.804973.
    # Difference 1.5, interval 0.695027 .. 2.304973 (scipy's ttest_ind(equal_var=False) agrees).
    totals, ratings = nicotine_data([3, 4, 2, 3, 4, 3, 2], [1, 2, 1, 2, 1, 1, 2, 2])
    insights = compute(totals, TARGETS, {}, ratings=ratings)
    found = result(insights, "nicotine")
    assert found.outcome is Outcome.RATING and insights.outcome is Outcome.RATING
    assert (found.days_with, found.days_without) == (7, 8)
    assert found.mean_with == pytest.approx(3.0)
    assert found.mean_without == pytest.approx(1.5)
    assert found.difference == pytest.approx(1.5)
    assert found.ci_low == pytest.approx(0.695027, abs=1e-6)
    assert found.ci_high == pytest.approx(2.304973, abs=1e-6)
    assert found.evidence is Evidence.MORE
    assert found.rate_ratio is None and found.episodes_with == found.episodes_without == 0


def test_a_second_hand_computed_example_with_unequal_sides_is_unclear() -> None:
    # With: 0,1,0,2,1,0,1,3,0 (n 9): mean 8/9 = 0.888889, SS = 8.888889, s² = 1.111111.
    # Without: 1,1,2,1,0,2,1,1,2,3,1,2 (n 12): mean 17/12 = 1.416667, SS = 6.916667,
    # s² = 0.628788. a = 0.123457, b = 0.052399; SE = 0.419352; df = 14.3518;
    # t(0.975, 14.3518) = 2.139546; difference -0.527778, interval -1.425134 .. 0.369578.
    totals, ratings = nicotine_data([0, 1, 0, 2, 1, 0, 1, 3, 0],
                                    [1, 1, 2, 1, 0, 2, 1, 1, 2, 3, 1, 2])
    found = result(compute(totals, TARGETS, {}, ratings=ratings), "nicotine")
    assert found.difference == pytest.approx(-0.527778, abs=1e-6)
    assert found.ci_low == pytest.approx(-1.425134, abs=1e-6)
    assert found.ci_high == pytest.approx(0.369578, abs=1e-6)
    assert found.evidence is Evidence.UNCLEAR
    assert found.sentence == ("On days with nicotine, twitching bothered you less (0.9 vs 1.4 "
                              "on average, 0–4): 9 days vs 12 days.")
    assert found.certainty == ("The 95 % range of the difference −1.4 to +0.4 points includes "
                               "0: this could be chance.")


def test_fewer_than_7_rated_days_on_a_side_gives_no_numbers() -> None:
    totals, ratings = nicotine_data([4] * 6, [1] * 20)
    found = result(compute(totals, TARGETS, {}, ratings=ratings), "nicotine")
    assert not found.enough_data and found.evidence is Evidence.NOT_ENOUGH
    assert (found.mean_with, found.mean_without, found.difference) == (None, None, None)
    assert (found.ci_low, found.ci_high) == (None, None)
    assert found.sentence == ("Not enough data yet: 6 days vs 20 days (at least 7 rated days "
                              "of each are needed).")
    assert found.certainty == ""


def test_seven_rated_days_on_each_side_are_enough() -> None:
    totals, ratings = nicotine_data([4, 3] * 3 + [4], [1, 2] * 3 + [1])
    found = result(compute(totals, TARGETS, {}, ratings=ratings), "nicotine")
    assert found.enough_data and found.evidence is Evidence.MORE


def test_only_rated_days_with_a_habit_entry_are_considered() -> None:
    totals, ratings = nicotine_data([3] * 7, [1] * 7)
    unrated = days(30, START + timedelta(days=100))
    for day in unrated:  # logged but not rated: not part of the rating comparison
        totals["water"][day] = 1000.0
        totals["nicotine"][day] = 1.0
    for day in days(5, START + timedelta(days=200)):  # rated but nothing logged
        ratings[day] = 4
    insights = compute(totals, TARGETS, {}, ratings=ratings)
    assert insights.days_considered == 14
    found = result(insights, "nicotine")
    assert (found.days_with, found.days_without) == (7, 7)


def test_identical_ratings_on_each_side_give_a_point_interval() -> None:
    totals, ratings = nicotine_data([2] * 7, [2] * 7)
    found = result(compute(totals, TARGETS, {}, ratings=ratings), "nicotine")
    assert (found.difference, found.ci_low, found.ci_high) == (0.0, 0.0, 0.0)
    assert found.evidence is Evidence.UNCLEAR
    assert found.sentence.startswith("On days with nicotine, twitching bothered you about as "
                                     "much (2.0 vs 2.0 on average, 0–4)")
    totals, ratings = nicotine_data([3] * 7, [1] * 7)
    found = result(compute(totals, TARGETS, {}, ratings=ratings), "nicotine")
    assert (found.ci_low, found.ci_high) == (2.0, 2.0) and found.evidence is Evidence.MORE


def test_triggers_are_judged_by_their_own_rules_on_rated_days() -> None:
    # Caffeine over the 300 mg limit on 7 days (rated 3), under it on 7 (rated 1).
    all_days = days(14)
    totals = {"caffeine": {day: (400.0 if i < 7 else 100.0) for i, day in enumerate(all_days)}}
    ratings = {day: (3 if i < 7 else 1) for i, day in enumerate(all_days)}
    found = result(compute(totals, TARGETS, {}, ratings=ratings), "caffeine_over_limit")
    assert (found.days_with, found.days_without) == (7, 7)
    assert found.difference == pytest.approx(2.0)
    # Short sleep cannot be judged without a sleep entry: no days on either side.
    sleep = result(compute(totals, TARGETS, {}, ratings=ratings), "short_sleep")
    assert (sleep.days_with, sleep.days_without) == (0, 0)


def test_ranked_by_the_intervals_lower_end_then_the_difference() -> None:
    strong = rating_result("a", [4, 3] * 4, [0, 1] * 4)
    weak = rating_result("b", [2, 3] * 4, [1, 2] * 4)
    fewer = rating_result("c", [0, 1] * 4, [3, 4] * 4)
    assert strong.ci_low is not None and weak.ci_low is not None
    assert strong.ci_low > weak.ci_low
    all_days = days(16)
    totals = {"water": {day: 1500.0 for day in all_days},
              "nicotine": {day: 1.0 for day in all_days[:8]},
              "caffeine": {day: 500.0 for day in all_days[8:]}}
    ratings = {day: (4 if i < 8 else 1) for i, day in enumerate(all_days)}
    order = [t.key for t in compute(totals, TARGETS, {}, ratings=ratings).triggers]
    # Nicotine goes with worse days (ci_low > 0); caffeine over the limit with better ones.
    assert order.index("nicotine") < order.index("caffeine_over_limit")
    assert fewer.evidence is Evidence.FEWER
    assert fewer.certainty.endswith("stays below 0: unlikely to be chance alone.")
    assert strong.certainty.endswith("stays above 0: unlikely to be chance alone.")


def test_hard_exercise_gets_its_context_with_the_rating_too() -> None:
    found = rating_result("hard_exercise", [3, 4] * 4, [0, 1] * 4)
    assert found.evidence is Evidence.MORE
    assert "stopping exercise is usually not needed" in found.context


def test_json_for_the_rating_outcome_carries_the_contracts_fields() -> None:
    totals, ratings = nicotine_data([3, 4, 2, 3, 4, 3, 2], [1, 2, 1, 2, 1, 1, 2, 2])
    insights = compute(totals, TARGETS, {}, ratings=ratings)
    data = insights.to_json()
    assert data["outcome"] == "rating" and data["days_considered"] == 15
    item = next(t for t in data["triggers"] if t["key"] == "nicotine")
    assert item == {
        "key": "nicotine", "outcome": "rating", "days_with": 7, "days_without": 8,
        "mean_with": 3.0, "mean_without": 1.5, "difference": 1.5, "ci_low": 0.695,
        "ci_high": 2.305, "enough_data": True, "sentence": result(insights, "nicotine").sentence,
    }
    empty = next(t for t in data["triggers"] if t["key"] == "short_sleep")
    assert (empty["mean_with"], empty["difference"], empty["ci_low"]) == (None, None, None)
    assert empty["enough_data"] is False


def test_the_rating_is_the_default_outcome_wherever_a_day_was_rated() -> None:
    assert default_outcome(True) is Outcome.RATING
    assert default_outcome(False) is Outcome.EPISODES
    # Without ratings the episode comparison is as before.
    totals, _ratings = nicotine_data([3] * 7, [1] * 7)
    episodes = compute(totals, TARGETS, {day: 1 for day in days(14)})
    assert episodes.outcome is Outcome.EPISODES
    assert result(episodes, "nicotine").to_json()["outcome"] == "episodes"


def test_rating_points_are_shown_with_one_decimal_and_a_sign() -> None:
    from quell.core.insights import signed_points

    assert [signed_points(v) for v in (0.44, -0.25, 0.04, -0.04, 2.0, 0.0)] == [
        "+0.4", "−0.2", "0.0", "0.0", "+2.0", "0.0"]
