"""Parsing edges a mutation run found untested: each refusal's exact one-line message, the
bounds of clock times, moments at datetime's ends, and text fields from a request."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from quell.core.errors import InputError
from quell.core.habits import habit
from quell.core.parsing import (
    FUTURE_TOLERANCE,
    OLDEST_MOMENT,
    TEXT_FIELD_MAX,
    check_amount,
    check_not_future,
    check_not_too_old,
    checked_moment,
    parse_amount,
    parse_clock_time,
    parse_date,
    parse_number,
    parse_when,
    text_field,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 10, 14, 30, tzinfo=LONDON)


def refusal(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return str(caught.value)


def test_clock_times_from_midnight_to_23_59() -> None:
    assert parse_clock_time("0:00") == time(0, 0)
    assert parse_clock_time(" 23:59 ") == time(23, 59)
    assert parse_clock_time("07.30") == time(7, 30)
    for bad in ("24:00", "23:60", "7", "7:5", "abc"):
        assert refusal(parse_clock_time, f" {bad} ") == (
            f"'{bad}' is not a time of day (use HH:MM, e.g. 07:30)")


def test_numbers() -> None:
    assert parse_number(" 2,5 ") == 2.5
    assert refusal(parse_number, " lots ") == "'lots' is not a number"
    assert refusal(parse_number, "inf") == "'inf' is not a number"
    assert refusal(parse_number, "nan") == "'nan' is not a number"


def test_amount_messages() -> None:
    assert refusal(parse_amount, " 7h60m ", habit("sleep")) == "'7h60m': minutes must be under 60"
    assert parse_amount("7h59m", habit("sleep")) == pytest.approx(7 + 59 / 60)
    assert parse_amount("1h30", habit("exercise")) == 90.0
    assert parse_amount("2h", habit("exercise")) == 120.0
    assert refusal(parse_amount, " a lot ", habit("water")) == "'a lot' is not an amount"
    assert refusal(parse_amount, "95 mg", habit("water")) == (
        "'mg' is not a unit for water (use ml)")
    assert refusal(parse_amount, "95 parsecs", habit("caffeine")) == (
        "'parsecs' is not a unit for caffeine (use mg)")


def test_converted_amounts_keep_two_decimals_and_plain_ones_all() -> None:
    assert parse_amount("8oz", habit("water")) == 236.59
    assert parse_amount("1.5 L", habit("water")) == 1500.0
    assert parse_amount("95.555mg", habit("caffeine")) == 95.555
    assert parse_amount("45 min", habit("exercise")) == 45.0


def test_whole_numbers_and_ranges_in_messages() -> None:
    assert refusal(check_amount, habit("stretching"), 1.5) == (
        "Stretching takes a whole number, not 1.5")
    assert check_amount(habit("stretching"), 2.0) == 2.0
    assert isinstance(check_amount(habit("stretching"), 2), float)
    assert refusal(check_amount, habit("stress"), 6) == "stress is a rating from 1 to 5, not 6"
    assert refusal(check_amount, habit("water"), float("nan")) == "the amount is not a number"
    water = habit("water")
    message = refusal(check_amount, water, 0)
    rule = ("between" if water.min_inclusive else "more than")
    assert message.startswith(f"Water must be {rule} ")
    assert message.endswith(" ml per entry, not 0")


def test_an_exclusive_minimum_is_worded_as_more_than() -> None:
    sleep = habit("sleep")
    assert not sleep.min_inclusive
    assert refusal(check_amount, sleep, 0) == (
        f"Sleep must be more than 0 and at most {sleep.max_amount:g} hours per entry, not 0")


def test_a_moment_beyond_what_datetime_holds_is_out_of_range() -> None:
    text = "9999-12-31T23:59-12:00"
    assert refusal(parse_when, f" {text} ", NOW) == (
        f"'{text}' is too far in the past or future")
    assert refusal(parse_when, "soon", NOW) == (
        "'soon' is not a time (use HH:MM, 'yesterday HH:MM' or ISO 8601)")


def test_the_future_starts_a_minute_after_now() -> None:
    check_not_future(NOW + FUTURE_TOLERANCE, NOW)
    assert refusal(check_not_future, NOW + FUTURE_TOLERANCE + timedelta(seconds=1), NOW) == (
        "2026-03-10 14:31 is in the future")


def test_ten_years_back_is_the_oldest() -> None:
    check_not_too_old(NOW - OLDEST_MOMENT, NOW)
    assert refusal(check_not_too_old, NOW - OLDEST_MOMENT - timedelta(seconds=1), NOW) == (
        "2016-03-02 is more than ten years ago")
    ancient = datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=14)))
    # Year 1 east of UTC is before datetime's start in UTC: old, not a crash.
    assert refusal(check_not_too_old, ancient, NOW).endswith("-01-01 is more than ten years ago")


def test_yesterday_and_iso_moments_are_checked_too() -> None:
    assert parse_when("Yesterday 09:00", NOW) == datetime(2026, 3, 9, 9, 0, tzinfo=LONDON)
    assert refusal(parse_when, "2012-01-01T00:00", NOW) == (
        "2012-01-01 is more than ten years ago")


def test_checked_moment() -> None:
    assert checked_moment(None, NOW, LONDON) is NOW
    naive = datetime(2026, 3, 10, 9, 0)
    assert checked_moment(naive, NOW, LONDON) == datetime(2026, 3, 10, 9, 0, tzinfo=LONDON)
    utc = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)
    assert checked_moment(utc, NOW, LONDON).tzinfo is LONDON
    assert refusal(checked_moment, datetime(9999, 12, 31, 23, 59, tzinfo=timezone(
        timedelta(hours=-12))), NOW, LONDON) == (
            "'9999-12-31T23:59-12:00' is too far in the past or future")


def test_the_small_hours_after_today_are_explained() -> None:
    night = datetime(2026, 3, 11, 2, 0, tzinfo=LONDON)
    assert refusal(checked_moment, night, NOW, LONDON, 4) == (
        "02:00 is in the small hours after this day (a day runs from 04:00 to 04:00), which "
        "has not come yet")
    assert refusal(checked_moment, night, NOW, LONDON) == "2026-03-11 02:00 is in the future"
    # From the day-start hour on it is simply the future.
    morning = datetime(2026, 3, 11, 4, 0, tzinfo=LONDON)
    assert refusal(checked_moment, morning, NOW, LONDON, 4) == (
        "2026-03-11 04:00 is in the future")
    # Later today is the future too, not the small hours.
    evening = datetime(2026, 3, 10, 23, 0, tzinfo=LONDON)
    assert refusal(checked_moment, evening, NOW, LONDON, 4) == (
        "2026-03-10 23:00 is in the future")
    small_hours_now = datetime(2026, 3, 11, 1, 0, tzinfo=LONDON)
    assert checked_moment(small_hours_now + FUTURE_TOLERANCE, small_hours_now, LONDON, 4) == (
        small_hours_now + FUTURE_TOLERANCE)


def test_dates() -> None:
    assert parse_date(" 2026-03-10 ") == date(2026, 3, 10)
    assert refusal(parse_date, " 10/03/2026 ") == "'10/03/2026' is not a date (use YYYY-MM-DD)"


def test_text_fields() -> None:
    request: dict[str, object] = {"area": "left eyelid", "note": "", "n": 5, "blank": "  ",
                                  "long": "x" * TEXT_FIELD_MAX, "longer": "x" * (
                                      TEXT_FIELD_MAX + 1), "bad": "\udcff"}
    assert text_field(request, "area") == "left eyelid"
    assert text_field(request, "missing") is None
    assert text_field(request, "missing", empty_ok=False) is None
    assert text_field(request, "note") == ""
    assert text_field(request, "long") == "x" * TEXT_FIELD_MAX
    assert refusal(text_field, request, "n") == "n must be text, not int"
    assert refusal(text_field, request, "n", label="the amount") == (
        "the amount must be text, not int")
    assert refusal(text_field, request, "longer", label="--at") == (
        f"--at is longer than {TEXT_FIELD_MAX} characters")
    assert refusal(text_field, request, "bad") == (
        "bad is not valid text (check the terminal's encoding)")
    assert refusal(text_field, request, "note", empty_ok=False) == "note is empty"
    assert refusal(text_field, request, "blank", empty_ok=False, label="the amount") == (
        "the amount is empty")
    assert text_field(request, "blank") == "  "
