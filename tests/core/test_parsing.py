"""Amounts with units and times as people type them; clear errors for everything else."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quell.core.errors import InputError
from quell.core.habits import HABITS, Direction, Kind, habit, user_habit
from quell.core.parsing import (
    check_amount,
    checked_moment,
    parse_amount,
    parse_clock_time,
    parse_when,
    text_field,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 10, 14, 30, tzinfo=LONDON)


@pytest.mark.parametrize(("text", "key", "expected"), [
    ("250", "water", 250),
    ("250ml", "water", 250),
    ("250 ml", "water", 250),
    ("1.5l", "water", 1500),
    ("1,5l", "water", 1500),
    ("8oz", "water", 236.59),
    ("95mg", "caffeine", 95),
    ("7h30m", "sleep", 7.5),
    ("7h 30", "sleep", 7.5),
    ("7.5h", "sleep", 7.5),
    ("7.5", "sleep", 7.5),
    ("1h", "exercise", 60),
    ("45m", "exercise", 45),
    ("45min", "exercise", 45),
    ("0.5h", "exercise", 30),
])
def test_amounts_with_units(text: str, key: str, expected: float) -> None:
    assert parse_amount(text, habit(key)) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "key", "problem"), [
    ("abc", "water", "not an amount"),
    ("", "water", "not an amount"),
    ("250mg", "water", "not a unit for water"),
    ("3l", "caffeine", "not a unit for caffeine"),
    ("7h75m", "sleep", "minutes must be under 60"),
    ("nan", "water", "not an amount"),
])
def test_bad_amounts_name_the_problem(text: str, key: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        parse_amount(text, habit(key))


# Limits per entry, from CONTRACTS.md: (key, lowest rejected below, highest accepted, lowest
# accepted, first rejected above).
LIMITS = [
    ("caffeine", 0, 0.5, 1000, 1000.5),
    ("water", 0, 1, 5000, 5001),
    ("sleep", 0, 0.25, 24, 24.5),
    ("stretching", 0, 1, 20, 21),
    ("breathing", 0, 1, 20, 21),
    ("stress", 0, 1, 5, 6),
    ("exercise", 0, 1, 600, 601),
    ("nicotine", 0, 1, 100, 101),
    ("minerals", 0, 1, 20, 21),
]


@pytest.mark.parametrize(("key", "too_low", "lowest", "highest", "too_high"), LIMITS)
def test_limits_per_entry(key: str, too_low: float, lowest: float, highest: float,
                          too_high: float) -> None:
    spec = habit(key)
    assert check_amount(spec, lowest) == lowest
    assert check_amount(spec, highest) == highest
    for bad in (too_low, too_high, -1):
        with pytest.raises(InputError):
            check_amount(spec, bad)


def test_every_habit_has_limits_under_test() -> None:
    assert {row[0] for row in LIMITS} == {h.key for h in HABITS}


@pytest.mark.parametrize("key", ["stretching", "stress", "nicotine", "minerals", "breathing"])
def test_counts_must_be_whole(key: str) -> None:
    with pytest.raises(InputError, match="whole number"):
        check_amount(habit(key), 2.5)


def test_absurd_amounts_are_explained() -> None:
    with pytest.raises(InputError, match=r"at most 5000 ml per entry, not 50000"):
        check_amount(habit("water"), 50_000)
    with pytest.raises(InputError, match=r"stress is a rating from 1 to 5"):
        check_amount(habit("stress"), 7)


@pytest.mark.parametrize(("text", "expected"), [
    ("09:15", datetime(2026, 3, 10, 9, 15, tzinfo=LONDON)),
    ("9.15", datetime(2026, 3, 10, 9, 15, tzinfo=LONDON)),
    ("yesterday 23:30", datetime(2026, 3, 9, 23, 30, tzinfo=LONDON)),
    ("2026-03-08T07:00", datetime(2026, 3, 8, 7, 0, tzinfo=LONDON)),
    ("2026-03-08T07:00:00+02:00", datetime(2026, 3, 8, 5, 0, tzinfo=LONDON)),
    ("2026-03-08T05:00:00Z", datetime(2026, 3, 8, 5, 0, tzinfo=LONDON)),
])
def test_when(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize(("text", "problem"), [
    ("23:59", "in the future"),
    ("2027-01-01T00:00", "in the future"),
    ("25:00", "not a time of day"),
    ("teatime", "not a time"),
    ("yesterday 7", "not a time of day"),
])
def test_bad_when(text: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        parse_when(text, NOW)


def test_a_minute_of_clock_skew_is_tolerated() -> None:
    assert parse_when((NOW + timedelta(seconds=50)).isoformat(), NOW) > NOW


def test_clock_time_bounds() -> None:
    assert parse_clock_time("7:05").minute == 5
    with pytest.raises(InputError):
        parse_clock_time("12:60")


@given(st.integers(1, 5000))
def test_whole_ml_round_trip(ml: int) -> None:
    assert parse_amount(f"{ml}ml", habit("water")) == ml
    assert parse_amount(str(ml), habit("water")) == ml


@pytest.mark.parametrize("text", ["9999-12-31T23:59-12:00", "0001-01-01T00:00+14:00",
                                  "0001-01-01T00:00", "9999-12-31T23:59:59+00:00"])
@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/Los_Angeles", "UTC",
                                  "Pacific/Kiritimati", "Etc/GMT+12"])
def test_the_ends_of_time_are_input_errors(text: str, zone: str) -> None:
    now = NOW.astimezone(ZoneInfo(zone))
    with pytest.raises(InputError):
        parse_when(text, now)


@pytest.mark.parametrize("at", [datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59),
                                datetime(1, 1, 1, tzinfo=ZoneInfo("Etc/GMT-14"))])
def test_checked_moment_at_the_ends_of_time(at: datetime) -> None:
    with pytest.raises(InputError):
        checked_moment(at, NOW, ZoneInfo("Pacific/Auckland"))


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31),
                    timezones=st.sampled_from([None, ZoneInfo("Etc/GMT-14"),
                                               ZoneInfo("Etc/GMT+12")])),
       st.sampled_from(["Pacific/Auckland", "America/Los_Angeles", "UTC"]))
def test_any_iso_moment_is_a_moment_or_an_input_error(moment: datetime, zone: str) -> None:
    now = NOW.astimezone(ZoneInfo(zone))
    try:
        parsed = parse_when(moment.isoformat(), now)
    except InputError:
        return
    assert parsed.tzinfo is not None and parsed <= now + timedelta(minutes=1)


@pytest.mark.parametrize(("value", "problem"), [
    (5, "must be text, not int"), (["a"], "must be text, not list"), ({}, "must be text"),
    ("x" * 2001, "longer than 2000"), ("\udcff", "not valid text"),
])
def test_a_request_field_must_be_text(value: object, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        text_field({"amount": value}, "amount")


def test_empty_request_fields() -> None:
    assert text_field({}, "amount") is None
    assert text_field({"amount": None}, "amount") is None
    assert text_field({"amount": ""}, "amount") == ""
    with pytest.raises(InputError, match="the amount is empty"):
        text_field({"amount": " "}, "amount", empty_ok=False, label="the amount")


# -- the user's own habits: suffixes by base unit, messages by kind (issue 10) ----------------


@pytest.mark.parametrize(("unit_key", "kind", "text", "amount"), [
    ("ml", Kind.AMOUNT, "330ml", 330), ("ml", Kind.AMOUNT, "0.5l", 500),
    ("ml", Kind.AMOUNT, "8oz", 236.59), ("l", Kind.AMOUNT, "1.5l", 1.5),
    ("l", Kind.AMOUNT, "250ml", 0.25), ("mg", Kind.AMOUNT, "200mg", 200),
    ("g", Kind.AMOUNT, "30g", 30), ("hours", Kind.DURATION, "2h30m", 2.5),
    ("hours", Kind.DURATION, "1.5h", 1.5), ("minutes", Kind.DURATION, "1h15m", 75),
    ("minutes", Kind.DURATION, "20m", 20), ("minutes", Kind.DURATION, "20 min", 20),
    ("minutes", Kind.DURATION, "2h", 120),
    ("cups", Kind.COUNT, "3", 3),
])
def test_a_user_habit_takes_its_base_units_suffixes(unit_key: str, kind: Kind, text: str,
                                                    amount: float) -> None:
    own = user_habit("Own", unit_key, kind, Direction.NONE)
    assert parse_amount(text, own) == amount


@pytest.mark.parametrize(("unit_key", "kind", "text"), [
    ("cups", Kind.COUNT, "3cups"), ("g", Kind.AMOUNT, "3mg"), ("mg", Kind.AMOUNT, "1g"),
    ("hours", Kind.DURATION, "30m"), ("minutes", Kind.DURATION, "2s"),
])
def test_other_suffixes_are_refused_naming_the_base_unit(unit_key: str, kind: Kind,
                                                         text: str) -> None:
    own = user_habit("Own", unit_key, kind, Direction.NONE)
    with pytest.raises(InputError, match=rf"is not a unit for own \(use {unit_key}\)"):
        parse_amount(text, own)


def test_a_user_rating_says_its_own_scale() -> None:
    mood = user_habit("Mood", "rating", Kind.RATING, Direction.NONE)
    with pytest.raises(InputError, match=r"^mood is a rating from 1 to 5, not 7$"):
        check_amount(mood, 7)
    assert check_amount(mood, 5) == 5
