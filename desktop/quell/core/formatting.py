"""Numbers as people read them: '1,250 ml', '7 h 30 min', '42 fl oz'."""

from __future__ import annotations

from datetime import date, datetime

from quell.core.habits import ML_PER_US_FL_OZ, Direction, Habit, Kind
from quell.core.i18n import _, count

WATER_UNITS = ("ml", "fl_oz")


def number(value: float, decimals: int = 0) -> str:
    """A number with thousands separators and at most *decimals* decimals (trailing zeros cut)."""
    text = f"{value:,.{decimals}f}"
    if decimals and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def hours(value: float) -> str:
    """Hours as '7 h 30 min' (minutes rounded)."""
    total_minutes = round(value * 60)
    whole, minutes = divmod(total_minutes, 60)
    if minutes == 0:
        return _("{h} h").format(h=whole)
    if whole == 0:
        return _("{m} min").format(m=minutes)
    return _("{h} h {m} min").format(h=whole, m=minutes)


def water_in(value_ml: float, water_unit: str) -> float:
    return value_ml / ML_PER_US_FL_OZ if water_unit == "fl_oz" else value_ml


def amount(habit: Habit, value: float, water_unit: str = "ml", *, with_unit: bool = True) -> str:
    """One amount of *habit* for display: by its base unit, millilitres in the user's chosen
    water unit (for water and any habit of the user's counted in ml)."""
    if habit.unit == "hours":
        return hours(value)
    if habit.unit == "ml":
        if water_unit == "fl_oz":
            text = number(water_in(value, water_unit), 1)
            return _("{n} fl oz").format(n=text) if with_unit else text
        text = number(value)
    elif habit.unit == "minutes":
        text = number(value)
    else:
        text = number(value, 1)
    if not with_unit:
        return text
    if habit.kind is Kind.RATING:
        return _("{n} / 5").format(n=text)
    return f"{text} {habit.unit_for(value)}"


def progress(habit: Habit, total: float | None, target: float | None,
             target_max: float | None, water_unit: str = "ml") -> str:
    """'1,250 / 2,000 ml', '190 / 300 mg', '7 h 30 min (7–9 h)', or just the total."""
    if total is None:
        return _("not logged")
    if habit.direction is Direction.RANGE and target is not None and target_max is not None:
        if habit.unit == "hours":
            return _("{total} (goal {low}–{high} h)").format(
                total=hours(total), low=number(target, 1), high=number(target_max, 1))
        return _("{total} (goal {low}–{high})").format(
            total=amount(habit, total, water_unit), low=amount(habit, target, water_unit,
                                                               with_unit=False),
            high=amount(habit, target_max, water_unit))
    if target is None:
        return amount(habit, total, water_unit)
    shown_total = amount(habit, total, water_unit, with_unit=False)
    shown_target = amount(habit, target, water_unit)
    return f"{shown_total} / {shown_target}"


def time_on_day(clock_text: str, moment: datetime, day: date) -> str:
    """*clock_text* ('03:48') for *moment* listed under Quell day *day*, marked '(after
    midnight)' when the moment's own calendar date is the next one.

    Lists file a twitch or a check at 03:48 under the day before (the day starts at 04:00);
    the mark keeps the time honest without a second date.
    """
    if moment.date() != day:
        return _("{time} (after midnight)").format(time=clock_text)
    return clock_text


def days(n: int) -> str:
    """'1 day', '2 days'."""
    return count("{n} day", "{n} days", n)
