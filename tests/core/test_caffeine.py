"""Caffeine's half-life model: what is left at bedtime, the cut-off, the late-drink warning."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quell.core.caffeine import CaffeineModel, Drink, drinks_from
from quell.core.entries import Entry
from tests.conftest import LONDON

BEDTIME = datetime(2026, 3, 10, 23, 0, tzinfo=LONDON)
MODEL = CaffeineModel(half_life_hours=5.0, bedtime_limit_mg=50.0, drink_mg=95.0)


def at(hour: int, minute: int = 0, day: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=LONDON)


def test_half_of_it_is_gone_after_one_half_life() -> None:
    assert MODEL.left_at(BEDTIME, [Drink(at(18), 100)]) == pytest.approx(50)
    assert MODEL.left_at(BEDTIME, [Drink(at(13), 100)]) == pytest.approx(25)
    # A drink after the moment asked about does not count yet.
    assert MODEL.left_at(at(12), [Drink(at(13), 100)]) == 0


def test_cutoff_with_no_drinks_yet() -> None:
    # 95 mg must decay to 50 mg: 5 h * log2(95 / 50) = 4.63 h before 23:00, at 18:22.
    cutoff = MODEL.cutoff(BEDTIME, [])
    assert cutoff is not None
    hours = 5 * math.log2(95 / 50)
    assert cutoff == BEDTIME - timedelta(hours=hours)
    assert cutoff.strftime("%H:%M") == "18:22"
    assert MODEL.left_at(BEDTIME, [Drink(cutoff, 95)]) == pytest.approx(50)


def test_earlier_drinks_bring_the_cutoff_forward() -> None:
    # 200 mg at 08:00 leaves 25 mg at 23:00 (three half-lives); 95 mg must then decay to 25.
    cutoff = MODEL.cutoff(BEDTIME, [Drink(at(8), 200)])
    assert cutoff is not None
    assert cutoff == BEDTIME - timedelta(hours=5 * math.log2(95 / 25))
    assert cutoff.strftime("%H:%M") == "13:22"


def test_no_cutoff_once_the_limit_is_already_used() -> None:
    assert MODEL.cutoff(BEDTIME, [Drink(at(18), 100)]) is None
    assert MODEL.cutoff(BEDTIME, [Drink(at(20), 400)]) is None


def test_a_drink_within_the_room_fits_until_bedtime() -> None:
    assert MODEL.cutoff(BEDTIME, [], drink_mg=30) == BEDTIME


def test_a_shorter_half_life_moves_the_cutoff_later() -> None:
    fast = CaffeineModel(half_life_hours=3.0)
    slow = CaffeineModel(half_life_hours=8.0)
    fast_cut, slow_cut = fast.cutoff(BEDTIME, []), slow.cutoff(BEDTIME, [])
    assert fast_cut is not None and slow_cut is not None
    assert fast_cut.strftime("%H:%M") == "20:13"
    assert slow_cut < fast_cut


def test_real_hours_count_across_the_spring_forward() -> None:
    # London skips 01:00-02:00 on 29 March 2026: from 00:00 to 02:30 only 1.5 h pass.
    bedtime = datetime(2026, 3, 29, 2, 30, tzinfo=LONDON)
    midnight = datetime(2026, 3, 29, 0, 0, tzinfo=LONDON)
    assert MODEL.left_at(bedtime, [Drink(midnight, 100)]) == pytest.approx(100 * 0.5 ** 0.3)


def test_late_drink_warns_with_what_is_left_at_bedtime() -> None:
    late = MODEL.late_drink(Drink(at(20), 95), [], BEDTIME)
    assert late is not None
    assert late.left_at_bedtime_mg == pytest.approx(95 * 0.5 ** 0.6)  # about 63 mg
    assert late.limit_mg == 50
    assert late.cutoff is not None and late.cutoff.strftime("%H:%M") == "18:22"


def test_early_drink_does_not_warn() -> None:
    assert MODEL.late_drink(Drink(at(9), 95), [], BEDTIME) is None


def test_a_big_morning_drink_is_after_its_own_cutoff() -> None:
    late = MODEL.late_drink(Drink(at(12), 300), [], BEDTIME)
    assert late is not None and late.left_at_bedtime_mg > 50


def test_drink_already_counted_among_earlier_is_not_doubled() -> None:
    drink = Drink(at(20), 95)
    assert MODEL.late_drink(drink, [drink], BEDTIME) == MODEL.late_drink(drink, [], BEDTIME)


def test_a_drink_after_bedtime_is_the_latest_of_all_and_warns() -> None:
    # 23:30 and 01:00 (before the 04:00 day start) both belong to the day that ends at 23:00.
    for moment in (at(23, 30), at(1, 0, day=11), BEDTIME):
        late = MODEL.late_drink(Drink(moment, 95), [], BEDTIME)
        assert late is not None and late.after_bedtime
        assert late.bedtime == BEDTIME
        assert late.left_at_bedtime_mg == pytest.approx(95)  # all of it, just taken
    # Even a small drink after bedtime warns; the level counts what is still in from before.
    late = MODEL.late_drink(Drink(at(1, 0, day=11), 10), [Drink(at(21), 40)], BEDTIME)
    assert late is not None and late.after_bedtime
    assert late.left_at_bedtime_mg == pytest.approx(10 + 40 * 0.5 ** 0.8)
    assert late.cutoff == BEDTIME  # 10 mg alone would have fitted any time that evening


def test_after_bedtime_compares_real_time_not_wall_time() -> None:
    # The autumn night: 01:00-02:00 happens twice in London. A drink at the first 01:40
    # (BST) is 50 real minutes before a bedtime at the second 01:30 (GMT), although its wall
    # time is later.
    bedtime = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    drink = datetime(2026, 10, 25, 1, 40, tzinfo=LONDON)
    assert MODEL.late_drink(Drink(drink, 10), [], bedtime) is None
    after = datetime(2026, 10, 25, 1, 40, fold=1, tzinfo=LONDON)
    late = MODEL.late_drink(Drink(after, 10), [], bedtime)
    assert late is not None and late.after_bedtime


def test_a_drink_before_bedtime_is_not_marked_after_bedtime() -> None:
    late = MODEL.late_drink(Drink(at(22, 59), 95), [], BEDTIME)
    assert late is not None and not late.after_bedtime
    assert late.left_at_bedtime_mg < 95


def test_drinks_from_entries() -> None:
    entries = [Entry("water", at(9), at(9).date(), 250),
               Entry("caffeine", at(15), at(15).date(), 95),
               Entry("caffeine", at(8), at(8).date(), 63)]
    assert drinks_from(entries) == [Drink(at(8), 63), Drink(at(15), 95)]


@settings(max_examples=200, deadline=None)
@given(
    half_life=st.floats(1.0, 12.0),
    limit=st.floats(5, 200),
    drink=st.floats(10, 500),
    earlier=st.lists(st.tuples(st.integers(0, 14 * 60), st.floats(5, 300)), max_size=4),
)
def test_a_drink_at_the_cutoff_leaves_exactly_the_limit(
        half_life: float, limit: float, drink: float, earlier: list[tuple[int, float]]) -> None:
    model = CaffeineModel(half_life, limit, drink)
    drinks = [Drink(at(7) + timedelta(minutes=m), mg) for m, mg in earlier]
    cutoff = model.cutoff(BEDTIME, drinks)
    left_before = model.left_at(BEDTIME, drinks)
    if cutoff is None:
        assert left_before >= limit
        return
    if cutoff == BEDTIME:
        assert drink <= limit - left_before + 1e-9
        return
    assert model.left_at(BEDTIME, [*drinks, Drink(cutoff, drink)]) == pytest.approx(limit)
    one_minute = timedelta(minutes=1)
    assert model.late_drink(Drink(cutoff + one_minute, drink), drinks, BEDTIME) is not None
    assert model.late_drink(Drink(cutoff - one_minute, drink), drinks, BEDTIME) is None
    if cutoff + one_minute < BEDTIME:
        assert model.left_at(BEDTIME, [*drinks, Drink(cutoff + one_minute, drink)]) > limit


def test_the_model_and_the_drinks_come_from_the_caffeine_definition() -> None:
    from quell.core.caffeine import CaffeineModel, drinks_from
    from quell.core.entries import Entry
    from quell.core.habits import habit

    assert CaffeineModel().half_life_hours == habit("caffeine").half_life_hours == 5.0
    at = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)
    entries = [Entry("caffeine", at, at.date(), 95), Entry("water", at, at.date(), 250)]
    assert [d.mg for d in drinks_from(entries)] == [95]
