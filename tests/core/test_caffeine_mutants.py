"""Caffeine model edges a mutation run found untested: exact limits, the drink size a cut-off
is computed for, drinks at the very moment measured, and what a late-drink warning holds."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from quell.core.caffeine import CaffeineModel, Drink, LateDrink, drinks_from
from quell.core.entries import Entry
from tests.conftest import LONDON

BEDTIME = datetime(2026, 3, 10, 23, 0, tzinfo=LONDON)
MODEL = CaffeineModel(half_life_hours=5.0, bedtime_limit_mg=50.0, drink_mg=95.0)


def at(hour: int, minute: int = 0, day: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=LONDON)


def test_the_defaults_are_a_five_hour_half_life_50_mg_and_a_95_mg_drink() -> None:
    assert CaffeineModel() == MODEL


def test_a_drink_counts_from_the_moment_it_is_taken_and_not_before() -> None:
    assert MODEL.left_at(at(15), [Drink(at(15), 80)]) == 80
    assert MODEL.left_at(at(15), [Drink(at(15, 1), 80)]) == 0
    assert MODEL.left_at(at(20), [Drink(at(15), 80), Drink(at(10), 40)]) == pytest.approx(
        40 + 10)


def test_the_cutoff_is_for_a_typical_drink_unless_a_size_is_given() -> None:
    typical = MODEL.cutoff(BEDTIME, [])
    assert MODEL.cutoff(BEDTIME, [], 95) == typical
    # 190 mg needs one more half-life than 95 mg to fall to the same level.
    assert MODEL.cutoff(BEDTIME, [], 190) == typical - timedelta(hours=5)  # type: ignore[operator]
    bigger_default = CaffeineModel(drink_mg=190)
    assert bigger_default.cutoff(BEDTIME, []) == typical - timedelta(hours=5)  # type: ignore[operator]


def test_no_room_at_exactly_the_limit_and_bedtime_itself_when_the_drink_just_fits() -> None:
    # 100 mg five hours before bedtime leaves exactly the 50 mg limit: no room at all.
    assert MODEL.cutoff(BEDTIME, [Drink(at(18), 100)]) is None
    # 40 mg left: room for 10 mg; a 10 mg drink fits right up to bedtime, 11 mg does not.
    earlier = [Drink(at(18), 80)]
    assert MODEL.left_at(BEDTIME, earlier) == pytest.approx(40)
    assert MODEL.cutoff(BEDTIME, earlier, 10) == BEDTIME
    assert MODEL.cutoff(BEDTIME, earlier, 10.5) < BEDTIME  # type: ignore[operator]


def test_a_late_drink_is_judged_by_its_own_size() -> None:
    small, big = Drink(at(17), 30), Drink(at(17), 200)
    assert MODEL.late_drink(small, [], BEDTIME) is None
    late = MODEL.late_drink(big, [], BEDTIME)
    assert late is not None
    # The cut-off it names is the one for a 200 mg drink, not for the typical 95 mg.
    assert late.cutoff == MODEL.cutoff(BEDTIME, [], 200)
    assert late.cutoff != MODEL.cutoff(BEDTIME, [])


def test_a_late_drink_warning_says_what_is_left_and_against_what() -> None:
    drink = Drink(at(20), 95)
    late = MODEL.late_drink(drink, [Drink(at(8), 50)], BEDTIME)
    assert late == LateDrink(
        drink=drink, left_at_bedtime_mg=pytest.approx(95 * 0.5 ** 0.6 + 50 * 0.5 ** 3),
        bedtime=BEDTIME, limit_mg=50.0, cutoff=MODEL.cutoff(BEDTIME, [Drink(at(8), 50)], 95),
        after_bedtime=False)


def test_leaving_exactly_the_limit_is_not_late() -> None:
    # 100 mg five hours before bedtime leaves exactly 50 mg.
    assert MODEL.late_drink(Drink(at(18), 100), [], BEDTIME) is None
    assert MODEL.late_drink(Drink(at(18), 101), [], BEDTIME) is not None


def test_a_drink_at_bedtime_itself_is_after_bedtime() -> None:
    drink = Drink(BEDTIME, 20)  # small: before bedtime it would fit
    late = MODEL.late_drink(drink, [Drink(at(21), 40)], BEDTIME)
    assert late is not None and late.after_bedtime
    # What is in the body right after it: all of it, and the earlier drink two hours on.
    assert late.left_at_bedtime_mg == pytest.approx(20 + 40 * 0.5 ** (2 / 5))
    assert (late.bedtime, late.limit_mg, late.drink) == (BEDTIME, 50.0, drink)
    assert late.cutoff == MODEL.cutoff(BEDTIME, [Drink(at(21), 40)], 20)
    assert MODEL.late_drink(Drink(BEDTIME - timedelta(minutes=1), 20), [], BEDTIME) is None


def test_the_same_drink_among_the_earlier_ones_is_counted_once_after_bedtime() -> None:
    drink = Drink(at(23, 30), 95)
    late = MODEL.late_drink(drink, [drink], BEDTIME)
    assert late is not None and late.left_at_bedtime_mg == pytest.approx(95)


def test_drinks_are_only_caffeine_entries_and_keep_their_amounts() -> None:
    entries = [Entry("caffeine", at(15), at(15).date(), 95),
               Entry("sleep", at(7), at(7).date(), 8),
               Entry("caffeine", at(9), at(9).date(), 40)]
    assert drinks_from(entries) == [Drink(at(9), 40), Drink(at(15), 95)]
    assert drinks_from([]) == []


def test_half_a_milligram_of_room_still_fits_a_small_drink() -> None:
    # 99 mg five hours before bedtime leaves 49.5 mg: room for 0.5 mg more.
    earlier = [Drink(at(18), 99)]
    assert MODEL.cutoff(BEDTIME, earlier, 0.25) == BEDTIME
    assert MODEL.cutoff(BEDTIME, earlier, 1.0) is not None
