"""Streaks and the habit-strength score, with a reason for every change of the score.

The score follows the idea of Loop Habit Tracker: an exponential moving average of how well each
day went, whose weight halves after 13/sqrt(frequency) days, so one bad day costs little and
steady weeks add up. Unlike Loop it starts at 0 % for every habit (an at-most habit such as
caffeine does not begin at 100 %), days off (sick, vacation) freeze score and streak, today
(still going) freezes them too, and every change carries a sentence saying why. A day Quell
cannot judge (an at-most habit on a day nothing at all was logged) keeps the score but ends the
streak: a streak is days in a row judged good, so five good days in January and nothing since
is no current streak.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from quell.core import formatting
from quell.core.habits import Direction, Habit
from quell.core.history import HabitDay, Outcome, day_off_label
from quell.core.i18n import _

DAILY_HALF_LIFE_DAYS = 13.0


def half_life_days(frequency: float = 1.0) -> float:
    """Days after which a day's weight in the score halves (*frequency*: times per day)."""
    return DAILY_HALF_LIFE_DAYS / math.sqrt(frequency)


def decay(frequency: float = 1.0) -> float:
    """The share of yesterday's score that carries over to today."""
    return float(0.5 ** (1.0 / half_life_days(frequency)))


@dataclass(frozen=True)
class Streaks:
    """Days in a row the goal was met: now (ending today or yesterday) and the best run ever."""

    current: int
    best: int
    current_since: date | None
    best_from: date | None
    best_to: date | None


def streaks(days: Sequence[HabitDay]) -> Streaks:
    """Count runs of met days (*days* oldest first, up to today).

    Any day not judged good ends a run, including a day Quell cannot judge (nothing at all
    logged); days off and today (still going) neither add to a run nor break it.
    """
    run = best = 0
    run_start: date | None = None
    best_from: date | None = None
    best_to: date | None = None
    for habit_day in days:
        outcome = habit_day.outcome
        if outcome is Outcome.MET:
            if run == 0:
                run_start = habit_day.day
            run += 1
            if run > best:
                best, best_from, best_to = run, run_start, habit_day.day
        elif outcome.counts or outcome is Outcome.NO_DATA:
            run, run_start = 0, None
    return Streaks(run, best, run_start if run else None, best_from, best_to)


@dataclass(frozen=True)
class ScoreStep:
    """One day's effect on the score (0..1 before and after) and why."""

    day: date
    before: float
    after: float
    outcome: Outcome
    reason: str

    @property
    def change_points(self) -> int:
        """The change in whole percentage points as shown (after minus before, rounded)."""
        return round(self.after * 100) - round(self.before * 100)


@dataclass(frozen=True)
class Strength:
    """The habit-strength score (0..1) and the recent steps that made it."""

    score: float
    steps: tuple[ScoreStep, ...]
    half_life: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def last_change(self) -> ScoreStep | None:
        """The latest day that moved the score (or kept it for a reason worth saying)."""
        return self.steps[-1] if self.steps else None


def strength(spec: Habit, days: Sequence[HabitDay], *, frequency: float = 1.0,
             water_unit: str = "ml", keep_steps: int = 14) -> Strength:
    """The score after *days* (oldest first), starting from 0 %, and its last *keep_steps*
    steps with reasons."""
    carry = decay(frequency)
    score = 0.0
    steps: list[ScoreStep] = []
    for habit_day in days:
        before = score
        if habit_day.outcome.counts and habit_day.credit is not None:
            score = before * carry + habit_day.credit * (1.0 - carry)
        elif habit_day.outcome in (Outcome.NO_GOAL, Outcome.PENDING):
            continue  # nothing to say: no goal, or today is still going
        steps.append(ScoreStep(habit_day.day, before, score, habit_day.outcome,
                               day_reason(spec, habit_day, water_unit)))
        if len(steps) > keep_steps * 2:
            del steps[:-keep_steps]
    return Strength(score, tuple(steps[-keep_steps:]), half_life_days(frequency))


def day_reason(spec: Habit, habit_day: HabitDay, water_unit: str = "ml") -> str:
    """Why a day moved the score as it did, in a few words."""
    outcome = habit_day.outcome
    if outcome is Outcome.DAY_OFF:
        reason = habit_day.off_reason
        if reason:
            return _("day off ({reason}): score and streak kept").format(
                reason=day_off_label(reason))
        return _("day off: score and streak kept")
    if outcome is Outcome.NO_DATA:
        return _("nothing logged that day, so Quell can't tell: score kept")
    total = habit_day.total
    # '400 of 300 mg': the unit once, after the target.
    bare = spec.direction is not Direction.RANGE
    amount = (formatting.amount(spec, total, water_unit, with_unit=not bare)
              if total is not None else _("nothing logged"))
    target_text = _target_text(spec, habit_day, water_unit)
    if outcome is Outcome.MET:
        if spec.direction is Direction.AT_MOST:
            return _("within the limit: {amount} of {target}").format(
                amount=amount, target=target_text)
        if spec.direction is Direction.RANGE:
            return _("in range: {amount} ({target})").format(amount=amount, target=target_text)
        return _("goal reached: {amount} of {target}").format(amount=amount, target=target_text)
    if outcome is Outcome.OVER:
        if spec.direction is Direction.AT_MOST:
            return _("over the limit: {amount} of {target}").format(
                amount=amount, target=target_text)
        return _("more than planned: {amount} ({target})").format(
            amount=amount, target=target_text)
    if outcome is Outcome.PARTIAL:
        share = round((habit_day.credit or 0.0) * 100)
        if spec.direction is Direction.RANGE:
            return _("short: {amount} ({target})").format(amount=amount, target=target_text)
        return _("part of the goal: {amount} of {target} ({share} %)").format(
            amount=amount, target=target_text, share=share)
    if spec.direction is Direction.RANGE:
        return _("not logged")
    return _("nothing toward the goal of {target}").format(target=target_text)


def _target_text(spec: Habit, habit_day: HabitDay, water_unit: str) -> str:
    if habit_day.target is None:
        return ""
    if spec.direction is Direction.RANGE and habit_day.target_max is not None:
        # Both ends as numbers, the unit once ('goal 6.5–8.5 h'), as the Today window shows it.
        return _("goal {low}–{high} {unit}").format(
            low=formatting.number(habit_day.target, 1),
            high=formatting.number(habit_day.target_max, 1),
            unit=spec.unit_for(habit_day.target_max))
    return formatting.amount(spec, habit_day.target, water_unit)


def explain(strength_: Strength) -> str:
    """A short paragraph on how the score works, for the score's tooltip."""
    return _("Each day counts by how well it went; a day's weight halves after {days} days, so "
             "one off day costs little and steady weeks add up. Days off and days Quell can't "
             "judge leave the score as it was.").format(days=round(strength_.half_life))
