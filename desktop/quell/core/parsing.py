"""Reading what users type: amounts with units, times like 'yesterday 23:30', and their limits."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from quell.core.days import local_datetime
from quell.core.errors import InputError
from quell.core.habits import ML_PER_US_FL_OZ, Habit, Kind
from quell.core.i18n import _

# Logging a moment up to this far ahead of the clock is tolerated (clocks of two devices differ).
FUTURE_TOLERANCE = timedelta(minutes=1)
# Moments older than this are refused: almost surely a typo in the year.
OLDEST_MOMENT = timedelta(days=366 * 10)

_NUMBER = r"(\d+(?:[.,]\d+)?|[.,]\d+)"
_WITH_UNIT = re.compile(rf"^\s*{_NUMBER}\s*([a-zA-Z ]*)\s*$")
_HOURS_MINUTES = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*h\s*(?:(\d+)\s*(?:m|min)?)?\s*$", re.I)

# A habit's base unit -> the suffixes an amount of it may carry, with their factor to the base
# unit (a habit counted in ml takes 250ml, 1.5l and 8oz, built-in or the user's own).
_SUFFIXES: dict[str, dict[str, float]] = {
    "ml": {"ml": 1.0, "l": 1000.0, "oz": ML_PER_US_FL_OZ, "floz": ML_PER_US_FL_OZ,
           "fl oz": ML_PER_US_FL_OZ},
    "l": {"l": 1.0, "ml": 0.001},
    "mg": {"mg": 1.0},
    "g": {"g": 1.0},
    "hours": {"h": 1.0},
    "minutes": {"m": 1.0, "min": 1.0},
}
# Durations in these base units also take "7h30m": the factor from hours.
_FROM_HOURS = {"hours": 1.0, "minutes": 60.0}


def parse_number(text: str) -> float:
    """A plain decimal number (a comma is accepted as the decimal mark)."""
    cleaned = text.strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise InputError(_("'{text}' is not a number").format(text=text.strip())) from None
    if not math.isfinite(value):
        raise InputError(_("'{text}' is not a number").format(text=text.strip()))
    return value


def whole_number(value: object) -> int | None:
    """*value* as a whole number (an int, a float without a fraction, or ASCII digits as text,
    spaces around them allowed); None for anything else, a bool included."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def parse_amount(text: str, habit: Habit) -> float:
    """Read *text* as an amount of *habit* in its base unit.

    Accepts a bare number in the base unit or a number with a unit suffix: ``250ml``, ``1.5l``,
    ``8oz`` (US fl oz) for water, ``95mg`` for caffeine, ``7h30m`` or ``7.5h`` for sleep, ``1h``
    or ``45m`` for exercise.
    """
    raw = text.strip()
    hours_minutes = _HOURS_MINUTES.match(raw)
    per_hour = _FROM_HOURS.get(habit.unit) if habit.kind is Kind.DURATION else None
    if hours_minutes and per_hour is not None:
        hours = parse_number(hours_minutes.group(1))
        minutes = int(hours_minutes.group(2) or 0)
        if minutes >= 60:
            raise InputError(_("'{text}': minutes must be under 60").format(text=raw))
        total_hours = hours + minutes / 60.0
        return total_hours * per_hour
    match = _WITH_UNIT.match(raw)
    if not match:
        raise InputError(_("'{text}' is not an amount").format(text=raw))
    value = parse_number(match.group(1))
    unit = match.group(2).strip().lower()
    if not unit:
        return value
    factor = _SUFFIXES.get(habit.unit, {}).get(unit)
    if factor is None:
        raise InputError(
            _("'{unit}' is not a unit for {habit} (use {base})").format(
                unit=unit, habit=habit.label.lower(), base=habit.unit
            )
        )
    # Converted amounts are kept to 0.01 of the base unit: no 236.5882365 ml in exports.
    return round(value * factor, 2) if factor != 1.0 else value


def check_amount(habit: Habit, amount: float) -> float:
    """Return *amount* if one entry of *habit* may have it, else raise a clear InputError."""
    if not math.isfinite(amount):
        raise InputError(_("the amount is not a number"))
    if habit.integer and amount != int(amount):
        raise InputError(
            _("{habit} takes a whole number, not {amount}").format(
                habit=habit.label, amount=_plain(amount)
            )
        )
    if habit.accepts(amount):
        return float(int(amount)) if habit.integer else amount
    if habit.kind is Kind.RATING:
        raise InputError(_("{habit} is a rating from {low} to {high}, not {amount}").format(
            habit=habit.label.lower(), low=_plain(habit.min_amount),
            high=_plain(habit.max_amount), amount=_plain(amount)))
    low = _plain(habit.min_amount)
    high = _plain(habit.max_amount)
    if habit.min_inclusive:
        rule = _("between {low} and {high} {unit}")
    else:
        rule = _("more than {low} and at most {high} {unit}")
    message = _("{habit} must be {rule} per entry, not {amount}").format(
        habit=habit.label,
        rule=rule.format(low=low, high=high, unit=habit.unit),
        amount=_plain(amount),
    )
    raise InputError(message)


def _plain(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def parse_clock_time(text: str) -> time:
    """``HH:MM`` (24-hour) as a time."""
    match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*", text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InputError(_("'{text}' is not a time of day (use HH:MM, e.g. 07:30)").format(
            text=text.strip()))
    return time(int(match.group(1)), int(match.group(2)))


def parse_when(text: str, now: datetime) -> datetime:
    """Read a moment: ISO 8601, ``HH:MM`` (today) or ``yesterday HH:MM``.

    The result is aware, in *now*'s time zone unless the text names an offset. A moment in the
    future is rejected.
    """
    raw = text.strip()
    tz = now.tzinfo
    assert tz is not None
    lowered = raw.lower()
    if lowered.startswith("yesterday"):
        moment = local_datetime(now.date() - timedelta(days=1),
                                parse_clock_time(raw[len("yesterday"):]), tz)
    elif re.fullmatch(r"\d{1,2}[:.]\d{2}", raw):
        moment = local_datetime(now.date(), parse_clock_time(raw), tz)
    else:
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise InputError(
                _("'{text}' is not a time (use HH:MM, 'yesterday HH:MM' or ISO 8601)").format(
                    text=raw)
            ) from None
        try:
            if parsed.tzinfo is None:
                moment = local_datetime(parsed.date(), parsed.time(), tz)
            else:
                moment = parsed.astimezone(tz)
        except (OverflowError, ValueError):
            # 9999-12-31T23:59-12:00 is in year 10000 in UTC: beyond what datetime can hold.
            raise _out_of_range(raw) from None
    check_not_future(moment, now)
    check_not_too_old(moment, now)
    return moment


def _out_of_range(text: str) -> InputError:
    return InputError(_("'{text}' is too far in the past or future").format(text=text))


def check_not_too_old(moment: datetime, now: datetime) -> None:
    """Refuse a moment more than ten years before *now* (almost surely a typo in the year)."""
    try:
        too_old = (now.astimezone(timezone.utc) - moment.astimezone(timezone.utc)
                   > OLDEST_MOMENT)
    except (OverflowError, ValueError):
        too_old = True
    if too_old:
        raise InputError(_("{when} is more than ten years ago").format(
            when=moment.strftime("%Y-%m-%d")))


def check_not_future(moment: datetime, now: datetime) -> None:
    # Compared in UTC: two datetimes sharing a zone compare as wall times, wrong in a DST fold.
    try:
        future = (moment.astimezone(timezone.utc)
                  > now.astimezone(timezone.utc) + FUTURE_TOLERANCE)
    except (OverflowError, ValueError):  # beyond year 1 or 9999 in UTC
        raise _out_of_range(moment.isoformat(timespec="minutes")) from None
    if future:
        raise InputError(
            _("{when} is in the future").format(when=moment.strftime("%Y-%m-%d %H:%M"))
        )


def checked_moment(at: datetime | None, now: datetime, tz: tzinfo,
                   day_start_hour: int | None = None) -> datetime:
    """When something happened: *at* in *tz* (a naive *at* is local time), or *now* for None.

    A moment in the future or more than ten years ago raises InputError. Given
    *day_start_hour*, a moment in the small hours after today is refused with words that say
    why (the day runs on until that hour), rather than only "in the future".
    """
    if at is None:
        return now
    if at.tzinfo is None:
        at = at.replace(tzinfo=tz)
    try:
        moment = at.astimezone(tz)
    except (OverflowError, ValueError):
        raise _out_of_range(at.isoformat(timespec="minutes")) from None
    if (day_start_hour is not None and moment > now + FUTURE_TOLERANCE
            and moment.date() > now.date() and moment.hour < day_start_hour):
        raise InputError(_(
            "{time} is in the small hours after this day (a day runs from {start:02d}:00 "
            "to {start:02d}:00), which has not come yet").format(
                time=moment.strftime("%H:%M"), start=day_start_hour))
    check_not_future(moment, now)
    check_not_too_old(moment, now)
    return moment


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(_("'{text}' is not a date (use YYYY-MM-DD)").format(
            text=text.strip())) from None


# Longer than any habit, area, time or duration: refused before any parsing (the note has its
# own limit in core.notes).
TEXT_FIELD_MAX = 2000


def text_field(request: dict[str, object], name: str, *, empty_ok: bool = True,
               label: str | None = None) -> str | None:
    """The text in *request[name]* (None when absent), checked to be text a person could type.

    A request comes from the command line or another process, so a value may be a number, a
    list, an undecodable argument (lone surrogates) or megabytes long: each is an InputError.
    With ``empty_ok=False`` an empty or blank value is refused too (``quell log water ""``).
    *label* is how the user knows the field (``--at``, ``the amount``) in messages.
    """
    value = request.get(name)
    name = label or name
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(_("{name} must be text, not {value}").format(
            name=name, value=type(value).__name__))
    if len(value) > TEXT_FIELD_MAX:
        raise InputError(_("{name} is longer than {n} characters").format(
            name=name, n=TEXT_FIELD_MAX))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(_("{name} is not valid text (check the terminal's encoding)").format(
            name=name)) from None
    if not empty_ok and not value.strip():
        raise InputError(_("{name} is empty").format(name=name))
    return value
