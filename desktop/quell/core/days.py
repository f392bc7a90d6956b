"""What counts as a day: a day starts at a configurable hour, sleep counts on the day you wake."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo


def day_of(moment: datetime, day_start_hour: int) -> date:
    """The Quell day of *moment*: the local date of (moment minus the day-start hour).

    *moment* must be aware and carry the UTC offset in force when it happened, so a drink at
    01:30 with a 04:00 day start belongs to the day before.
    """
    if moment.tzinfo is None:
        raise ValueError("day_of needs an aware datetime")
    return (moment.replace(tzinfo=None) - timedelta(hours=day_start_hour)).date()


def local_datetime(day: date, clock_time: time, tz: tzinfo) -> datetime:
    """*clock_time* on calendar date *day* in *tz*, valid across DST changes.

    A wall time that does not exist (skipped by a spring-forward) moves forward by the gap, as a
    wall clock would; an ambiguous one (autumn) takes its first occurrence.
    """
    naive = datetime.combine(day, clock_time)
    aware = naive.replace(tzinfo=tz, fold=0)
    # Round-tripping through UTC normalises a non-existent wall time to a real instant.
    return aware.astimezone(timezone.utc).astimezone(tz)


def time_on_day(day: date, clock_time: time, day_start_hour: int, tz: tzinfo) -> datetime:
    """The moment at *clock_time* that belongs to Quell day *day*.

    With a 04:00 day start, 01:30 on day D is the night after D, so it falls on the calendar
    date D + 1.
    """
    calendar_day = day + timedelta(days=1) if clock_time.hour < day_start_hour else day
    return local_datetime(calendar_day, clock_time, tz)


def hours_between(start: datetime, end: datetime) -> float:
    """Elapsed hours between two aware datetimes (real time, so DST nights are 7 or 9 h).

    Both are converted to UTC first: Python subtracts two datetimes that share a tzinfo as
    wall times, which would hide the hour a DST change adds or removes.
    """
    elapsed = end.astimezone(timezone.utc) - start.astimezone(timezone.utc)
    return elapsed.total_seconds() / 3600.0


def shift(moment: datetime, delta: timedelta) -> datetime:
    """*moment* moved by *delta* of real time, expressed in *moment*'s own time zone."""
    return (moment.astimezone(timezone.utc) + delta).astimezone(moment.tzinfo)
