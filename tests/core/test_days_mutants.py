"""Day and summary edges a mutation run found untested: an ambiguous wall time given with
fold=1, the refusal of a naive moment, entries of other days, and entries in time order."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from quell.core.days import day_of, local_datetime
from quell.core.entries import Entry, Target
from quell.core.habits import HABIT_KEYS
from quell.core.summary import summarize_day
from tests.conftest import LONDON

FALL_BACK = date(2026, 10, 25)  # London repeats 01:00-02:00
DAY = date(2026, 3, 10)


def test_an_ambiguous_wall_time_is_its_first_occurrence_whatever_fold_it_came_with() -> None:
    first = local_datetime(FALL_BACK, time(1, 30), LONDON)
    again = local_datetime(FALL_BACK, time(1, 30, fold=1), LONDON)
    # Compared in UTC: two datetimes in one zone compare as wall times, whatever their fold.
    assert again.astimezone(timezone.utc) == first.astimezone(timezone.utc)
    assert again.utcoffset() == first.utcoffset() == timedelta(hours=1)  # still BST


def test_a_naive_moment_has_no_quell_day() -> None:
    with pytest.raises(ValueError, match=r"^day_of needs an aware datetime$"):
        day_of(datetime(2026, 3, 10, 9, 0), 4)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def test_a_day_summary_keeps_to_its_day_and_its_habits_in_time_order() -> None:
    entries = [Entry("water", at(15), DAY, 500), Entry("water", at(9), DAY, 250),
               Entry("water", at(10, day=date(2026, 3, 9)), date(2026, 3, 9), 1000),
               Entry("breathing", at(11), DAY, 1)]
    targets = {"sleep": Target("sleep", 7, 9, date(1, 1, 1)),
               "water": Target("water", 2000, None, date(1, 1, 1))}
    summary = summarize_day(DAY, entries, targets, ["water", "sleep"])
    water = summary.get("water")
    assert water is not None
    assert [e.at for e in water.entries] == [at(9), at(15)]
    assert water.total == 750
    assert summary.get("breathing") is None
    sleep = summary.get("sleep")
    assert sleep is not None and (sleep.target, sleep.target_max) == (7, 9)
    bare = summarize_day(DAY, [], {}, list(HABIT_KEYS)).get("sleep")
    assert bare is not None and (bare.target, bare.target_max, bare.total) == (None, None, None)
