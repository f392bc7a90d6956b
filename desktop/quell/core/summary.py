"""A day at a glance: each habit's total against the target in force that day."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from quell.core.entries import Entry, Target
from quell.core.habits import Aggregate, Direction, Habit, HabitCatalog

_AMOUNT = attrgetter("amount")


class Status(enum.Enum):
    """How a habit stands today."""

    NO_GOAL = "no_goal"        # tracked without a target (stress, exercise)
    NOT_LOGGED = "not_logged"  # a range habit (sleep) with nothing logged yet
    ON_THE_WAY = "on_the_way"  # at-least, not reached yet
    MET = "met"                # at-least reached, range inside, at-most within the limit
    OVER = "over"              # at-most limit passed, or above a range
    UNDER = "under"            # below a range


@dataclass(frozen=True)
class HabitProgress:
    habit: Habit
    total: float | None
    target: float | None
    target_max: float | None
    entries: tuple[Entry, ...]

    @property
    def status(self) -> Status:
        direction = self.habit.direction
        if direction is Direction.NONE or (self.target is None and self.target_max is None):
            return Status.NO_GOAL
        total = self.total
        if direction is Direction.RANGE:
            if total is None:
                return Status.NOT_LOGGED
            if self.target is not None and total < self.target:
                return Status.UNDER
            if self.target_max is not None and total > self.target_max:
                return Status.OVER
            return Status.MET
        value = total or 0.0
        assert self.target is not None
        if direction is Direction.AT_MOST:
            return Status.OVER if value > self.target else Status.MET
        return Status.MET if value >= self.target else Status.ON_THE_WAY

    @property
    def fraction(self) -> float:
        """Progress toward the goal in 0..1 (for at-most habits: share of the limit used)."""
        total = self.total or 0.0
        if self.habit.direction is Direction.RANGE:
            low = self.target or 0.0
            return 1.0 if low <= 0 else min(total / low, 1.0)
        if self.target is None:
            return 0.0
        if self.target <= 0:
            return 1.0 if total > 0 else 0.0
        return min(total / self.target, 1.0)

    @property
    def is_goal(self) -> bool:
        return self.status is not Status.NO_GOAL

    @property
    def on_track(self) -> bool:
        return self.status is Status.MET


@dataclass(frozen=True)
class DaySummary:
    day: date
    habits: tuple[HabitProgress, ...]

    def get(self, key: str) -> HabitProgress | None:
        return next((p for p in self.habits if p.habit.key == key), None)

    @property
    def goals(self) -> tuple[HabitProgress, ...]:
        return tuple(p for p in self.habits if p.is_goal)

    @property
    def goals_met(self) -> int:
        return sum(1 for p in self.goals if p.on_track)

    @property
    def limits_passed(self) -> tuple[HabitProgress, ...]:
        return tuple(p for p in self.goals
                     if p.habit.direction is Direction.AT_MOST and p.status is Status.OVER)

    @property
    def score(self) -> float:
        """The day's overall progress in 0..1, for the tray icon's ring.

        At-least and range habits count by how far along they are; an at-most habit counts in
        full while within its limit and not at all once past it.
        """
        goals = self.goals
        if not goals:
            return 0.0
        parts = []
        for progress in goals:
            if progress.habit.direction is Direction.AT_MOST:
                parts.append(1.0 if progress.on_track else 0.0)
            elif progress.habit.direction is Direction.RANGE:
                parts.append(1.0 if progress.on_track else progress.fraction * 0.5)
            else:
                parts.append(progress.fraction)
        return sum(parts) / len(parts)


def total_of(habit_: Habit, entries: Iterable[Entry]) -> float | None:
    amounts = list(map(_AMOUNT, entries))  # in C: a full day's water is 3,000 entries
    if habit_.aggregate is Aggregate.MAX:
        return max(amounts) if amounts else None
    if not amounts and habit_.direction in (Direction.RANGE, Direction.NONE):
        return None
    return float(sum(amounts))


def habit_progress(spec: Habit, entries: Sequence[Entry], target: Target | None
                   ) -> HabitProgress:
    """One habit's progress from its entries of the day, already in time order."""
    habit_entries = tuple(entries)
    return HabitProgress(
        habit=spec,
        total=total_of(spec, habit_entries),
        target=target.value if target else None,
        target_max=target.value_max if target else None,
        entries=habit_entries,
    )


def summarize_day(
    day: date,
    entries: Iterable[Entry],
    targets: Mapping[str, Target],
    enabled: Sequence[str],
    catalog: HabitCatalog | None = None,
) -> DaySummary:
    """Build the summary of *day* for the *enabled* habit keys, in that order; *catalog*
    (the built-ins by default) defines them, so the user's own habits are summed alike."""
    habits = catalog if catalog is not None else HabitCatalog()
    by_habit: dict[str, list[Entry]] = {key: [] for key in enabled}
    for entry in entries:
        if entry.habit in by_habit and entry.day == day:
            by_habit[entry.habit].append(entry)
    progress = [habit_progress(habits.get(key), sorted(by_habit[key], key=lambda e: e.at),
                               targets.get(key))
                for key in enabled]
    return DaySummary(day=day, habits=tuple(progress))
