"""Daily and weekly series for the history views: each day judged against the target then."""

from __future__ import annotations

import bisect
import enum
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from quell.core.entries import Target
from quell.core.habits import Aggregate, Direction, Habit, HabitCatalog
from quell.core.i18n import _

# Why a day is off; stored in the days_off table as the key.
DAY_OFF_REASONS: tuple[tuple[str, str], ...] = (("sick", "sick"), ("vacation", "vacation"))


def day_off_label(reason: str) -> str:
    """A day-off reason in the user's language ('' for none; unknown keys as they are)."""
    label = dict(DAY_OFF_REASONS).get(reason)
    return _(label) if label else reason


class Outcome(enum.Enum):
    """How one day went for one habit."""

    MET = "met"            # goal reached, within the limit, or inside the range
    PARTIAL = "partial"    # some way toward an at-least goal, or below a range
    MISSED = "missed"      # nothing toward an at-least goal; a range habit not logged
    OVER = "over"          # an at-most limit passed, or above a range
    NO_GOAL = "no_goal"    # a habit tracked without a target (stress, exercise)
    NO_DATA = "no_data"    # an at-most habit on a day with nothing logged at all: unknown
    DAY_OFF = "day_off"    # sick or on vacation: score and streak are frozen
    PENDING = "pending"    # today, while the day is still going

    @property
    def counts(self) -> bool:
        """Whether the day moves the score and the streak (the others freeze both)."""
        return self in (Outcome.MET, Outcome.PARTIAL, Outcome.MISSED, Outcome.OVER)


@dataclass(frozen=True)
class HabitDay:
    """One habit on one day: its total, the target in force, and how it went.

    ``credit`` is the share of the goal the day achieved (0..1), used by the strength score;
    None when the day does not count (no goal, day off, unknown, today).
    """

    day: date
    total: float | None
    target: float | None
    target_max: float | None
    outcome: Outcome
    credit: float | None
    off_reason: str = ""


@dataclass(frozen=True)
class WeekBar:
    """A week's average per day, with the target in force at the week's end."""

    start: date
    value: float | None
    days: int
    target: float | None
    target_max: float | None


@dataclass(frozen=True)
class HourOutcomes:
    """Reminder outcomes that fell due in one hour of the day (local time), by outcome."""

    hour: int
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class TwitchDay:
    """Twitch episodes logged on one day and their average intensity (1–5)."""

    day: date
    episodes: int
    mean_intensity: float


@dataclass(frozen=True)
class AreaCount:
    """How often one body area twitched over a period."""

    area: str
    episodes: int
    mean_intensity: float
    last_day: date


class TargetTimeline:
    """A habit's targets over time, answering 'what was the target on day D?' quickly."""

    def __init__(self, targets: Iterable[Target]) -> None:
        ordered = sorted(targets, key=lambda t: t.effective_from)
        self._starts = [t.effective_from for t in ordered]
        self._targets = ordered

    def on(self, day: date) -> Target | None:
        index = bisect.bisect_right(self._starts, day) - 1
        return self._targets[index] if index >= 0 else None


def judge(spec: Habit, total: float | None, target: Target | None, *, logged_any: bool,
          is_today: bool = False) -> tuple[Outcome, float | None]:
    """The outcome and credit of one day with *total* (None: nothing logged) and *target*.

    *logged_any* tells whether anything at all (of any habit) was logged that day: for an
    at-most habit an empty day then means "none taken", otherwise Quell cannot know.
    """
    low = target.value if target else None
    high = target.value_max if target else None
    if spec.direction is Direction.NONE or (low is None and high is None):
        return Outcome.NO_GOAL, None
    if spec.direction is Direction.AT_MOST:
        assert low is not None
        value = total or 0.0
        if value > low:
            return Outcome.OVER, 0.0
        if is_today or (total is None and not logged_any):
            return (Outcome.PENDING if is_today else Outcome.NO_DATA), None
        return Outcome.MET, 1.0
    if spec.direction is Direction.RANGE:
        if total is None:
            return (Outcome.PENDING if is_today else Outcome.MISSED), (None if is_today else 0.0)
        if low is not None and total < low:
            outcome, credit = Outcome.PARTIAL, total / low if low > 0 else 1.0
        elif high is not None and total > high:
            outcome, credit = Outcome.OVER, high / total
        else:
            return Outcome.MET, 1.0
        return (Outcome.PENDING, None) if is_today else (outcome, credit)
    assert low is not None
    value = total or 0.0
    if value >= low:
        return Outcome.MET, 1.0
    if is_today:
        return Outcome.PENDING, None
    credit = value / low if low > 0 else 1.0
    return (Outcome.PARTIAL if value > 0 else Outcome.MISSED), credit


def habit_days(
    spec: Habit,
    totals: Mapping[date, float],
    targets: Iterable[Target],
    first_day: date,
    last_day: date,
    *,
    logged_days: Collection[date],
    days_off: Mapping[date, str] | None = None,
    today: date | None = None,
) -> list[HabitDay]:
    """Every day from *first_day* to *last_day* for *spec*, judged against its target then.

    *totals* maps days to the habit's day total (its sum, or its highest value for ratings);
    *logged_days* are the days with any entry of any habit; *days_off* freeze a day.
    """
    timeline = TargetTimeline(targets)
    off = days_off or {}
    days: list[HabitDay] = []
    day = first_day
    one = timedelta(days=1)
    while day <= last_day:
        total = totals.get(day)
        target = timeline.on(day)
        value = target.value if target else None
        value_max = target.value_max if target else None
        if day in off:
            days.append(HabitDay(day, total, value, value_max, Outcome.DAY_OFF, None,
                                 off[day]))
        else:
            outcome, credit = judge(spec, total, target, logged_any=day in logged_days,
                                    is_today=day == today)
            days.append(HabitDay(day, total, value, value_max, outcome, credit))
        day += one
    return days


def week_start(day: date, first_weekday: int = 0) -> date:
    """The first day of *day*'s week; *first_weekday* 0 is Monday, 6 is Sunday."""
    return day - timedelta(days=(day.weekday() - first_weekday) % 7)


def weekly_bars(spec: Habit, days: Sequence[HabitDay], first_weekday: int = 0
                ) -> list[WeekBar]:
    """Per week, the habit's average per day over the days that count.

    Summed habits with a goal (water, caffeine, ...) count an empty day as 0; sleep, stress and
    exercise average the days they were logged. Days off and unknown days are left out.
    """
    zero_when_empty = spec.aggregate is Aggregate.SUM and spec.direction in (
        Direction.AT_LEAST, Direction.AT_MOST)
    bars: list[WeekBar] = []
    current: date | None = None
    values: list[float] = []
    last: HabitDay | None = None

    def close() -> None:
        if current is not None and last is not None:
            mean = sum(values) / len(values) if values else None
            bars.append(WeekBar(current, mean, len(values), last.target, last.target_max))

    for habit_day in days:
        start = week_start(habit_day.day, first_weekday)
        if start != current:
            close()
            current, values = start, []
        last = habit_day
        if habit_day.outcome in (Outcome.DAY_OFF, Outcome.NO_DATA):
            continue
        if habit_day.total is not None:
            values.append(habit_day.total)
        elif zero_when_empty and habit_day.outcome is not Outcome.PENDING:
            values.append(0.0)
    close()
    return bars


def logged_days(totals: Mapping[str, Mapping[date, float]]) -> set[date]:
    """Days with at least one entry of any habit."""
    days: set[date] = set()
    for per_day in totals.values():
        days.update(per_day)
    return days


class HistoryReader(Protocol):
    """The aggregate queries the history views read (storage's HistoryStore), so that the ui
    can take one without importing storage."""

    def first_day(self) -> date | None: ...

    def daily_totals(self, first_day: date | None = None, last_day: date | None = None,
                     catalog: HabitCatalog | None = None) -> dict[str, dict[date, float]]: ...

    def target_history(self) -> dict[str, list[Target]]: ...

    def twitch_counts(self, first_day: date | None = None, last_day: date | None = None
                      ) -> dict[date, int]: ...

    def twitch_days(self, first_day: date | None = None, last_day: date | None = None
                    ) -> list[TwitchDay]: ...

    def twitch_areas(self, first_day: date | None = None, last_day: date | None = None
                     ) -> list[AreaCount]: ...

    def twitch_ratings(self, first_day: date | None = None, last_day: date | None = None
                       ) -> dict[date, int]: ...

    def rating_areas(self, first_day: date | None = None, last_day: date | None = None
                     ) -> list[tuple[str, int]]: ...

    def has_ratings(self) -> bool: ...

    def reminder_outcomes_by_hour(self, since_ts: int | None = None) -> list[HourOutcomes]: ...

    def days_off(self) -> dict[date, str]: ...

    def mark_day_off(self, day: date, off: bool, reason: str = "") -> None: ...
