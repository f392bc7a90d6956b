"""Days start at a configurable hour; DST and non-existent wall times are handled."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quell.core.days import day_of, hours_between, local_datetime, time_on_day

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(("clock", "expected"), [
    (time(0, 0), date(2026, 3, 9)),
    (time(3, 59), date(2026, 3, 9)),
    (time(4, 0), date(2026, 3, 10)),
    (time(23, 59), date(2026, 3, 10)),
])
def test_a_day_starts_at_four_by_default(clock: time, expected: date) -> None:
    assert day_of(datetime.combine(date(2026, 3, 10), clock, LONDON), 4) == expected


def test_a_midnight_day_start_is_the_calendar_day() -> None:
    assert day_of(datetime(2026, 3, 10, 0, 5, tzinfo=LONDON), 0) == date(2026, 3, 10)


def test_day_uses_the_offset_in_force_when_logged() -> None:
    # 02:30 UTC is 22:30 the evening before in New York: that evening's day.
    moment = datetime(2026, 7, 1, 2, 30, tzinfo=timezone.utc).astimezone(NEW_YORK)
    assert day_of(moment, 4) == date(2026, 6, 30)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        day_of(datetime(2026, 3, 10, 12), 4)


def test_spring_forward_gap_moves_forward() -> None:
    # 01:30 does not exist in London on 2026-03-29; a wall clock would show 02:30 BST.
    moment = local_datetime(date(2026, 3, 29), time(1, 30), LONDON)
    assert moment.strftime("%H:%M %Z") == "02:30 BST"


def test_autumn_ambiguous_time_takes_the_first() -> None:
    moment = local_datetime(date(2026, 10, 25), time(1, 30), LONDON)
    assert moment.utcoffset() == timedelta(hours=1)


def test_short_and_long_nights_across_dst() -> None:
    spring_bed = local_datetime(date(2026, 3, 28), time(23, 0), LONDON)
    spring_wake = local_datetime(date(2026, 3, 29), time(7, 0), LONDON)
    autumn_bed = local_datetime(date(2026, 10, 24), time(23, 0), LONDON)
    autumn_wake = local_datetime(date(2026, 10, 25), time(7, 0), LONDON)
    assert hours_between(spring_bed, spring_wake) == 7
    assert hours_between(autumn_bed, autumn_wake) == 9


def test_time_on_day_places_small_hours_after_midnight() -> None:
    moment = time_on_day(date(2026, 3, 10), time(1, 30), 4, LONDON)
    assert moment.date() == date(2026, 3, 11)
    assert day_of(moment, 4) == date(2026, 3, 10)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1)),
       st.integers(0, 12))
def test_day_of_and_time_on_day_agree(naive: datetime, start: int) -> None:
    moment = local_datetime(naive.date(), naive.time().replace(microsecond=0), LONDON)
    day = day_of(moment, start)
    again = time_on_day(day, moment.time(), start, LONDON)
    assert day_of(again, start) == day
