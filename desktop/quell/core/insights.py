"""Insights: how twitching went on days with and without each trigger (CONTRACTS.md).

There are two outcomes. With daily twitch ratings (0–4, :mod:`quell.core.ratings`), the
default wherever the user has rated a day, each trigger compares the mean rating on days with
it and without it: the difference (with minus without, in rating points) and its 95 %
interval by Welch's t method (:func:`quell.core.stats.welch_interval`), considering the rated
days that also have an entry of any habit. With twitch episodes (the diary), the rate ratio
below. Both need at least 7 days on each side and rank by the interval's lower end.

Days considered are the days with at least one entry of any habit. A trigger is judged only on
days where its habit was logged, except where no entry means none: caffeine, nicotine,
stretching (0 sessions) and exercise. For each trigger the rate of twitch episodes per day on
days with it is divided by the rate on days without it; the 95 % confidence interval comes from
the Wald method on the log scale, with 0.5 added to both episode counts when either is 0. With
fewer than 7 days on either side there is not enough data and no ratio is given. Triggers are
ranked by the interval's lower end: strongest evidence of more twitches first. This shows what
goes together in the user's own data: a correlation, not proof of a cause.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from quell.core import formatting
from quell.core.entries import Target
from quell.core.habits import BUILTIN_TRIGGER_ORDER, Habit, HabitCatalog, Trigger, TriggerRule
from quell.core.habits import HIGH_STRESS_FROM as HIGH_STRESS_FROM
from quell.core.habits import SHORT_SLEEP_HOURS as SHORT_SLEEP_HOURS
from quell.core.history import TargetTimeline, logged_days
from quell.core.i18n import _
from quell.core.stats import welch_interval

MIN_DAYS_EACH_SIDE = 7
Z_95 = 1.959963984540054
ZERO_CORRECTION = 0.5

# The built-in triggers in the contract's order (the habits' own definitions hold them).
TRIGGER_KEYS: tuple[str, ...] = BUILTIN_TRIGGER_ORDER
_BUILTINS = HabitCatalog()
_BUILTIN_SOURCES: dict[str, tuple[Habit, Trigger]] = {
    trigger.key: (spec, trigger) for spec, trigger in _BUILTINS.triggers()}


class Outcome(enum.Enum):
    """What insights compare: the daily rating or the episodes logged (JSON ``"outcome"``)."""

    RATING = "rating"
    EPISODES = "episodes"


def default_outcome(has_ratings: bool) -> Outcome:
    """The daily rating wherever the user has rated a day; the episodes otherwise."""
    return Outcome.RATING if has_ratings else Outcome.EPISODES


class Evidence(enum.Enum):
    """Where a trigger's whole 95 % interval lies, or that there is not enough data yet."""

    MORE = "more"
    FEWER = "fewer"
    UNCLEAR = "unclear"
    NOT_ENOUGH = "not_enough"


@dataclass(frozen=True)
class RateRatio:
    """Episodes per day with the trigger over episodes per day without, with its 95 % CI."""

    ratio: float
    low: float
    high: float


def rate_ratio(episodes_with: int, days_with: int, episodes_without: int, days_without: int
               ) -> RateRatio:
    """The rate ratio and its Wald interval on the log scale (0.5 added to both counts when
    either is 0). Both day counts must be positive."""
    if days_with <= 0 or days_without <= 0:
        raise ValueError("both sides need at least one day")
    e1, e0 = float(episodes_with), float(episodes_without)
    if e1 == 0 or e0 == 0:
        e1 += ZERO_CORRECTION
        e0 += ZERO_CORRECTION
    ratio = (e1 / days_with) / (e0 / days_without)
    spread = Z_95 * math.sqrt(1.0 / e1 + 1.0 / e0)
    log_ratio = math.log(ratio)
    return RateRatio(ratio, math.exp(log_ratio - spread), math.exp(log_ratio + spread))


@dataclass(frozen=True)
class TriggerResult:
    """One trigger's comparison. Ratio, means and interval are None without enough data.

    With the episodes as the outcome, ``rate_ratio`` and its interval; with the rating,
    ``mean_with``, ``mean_without``, ``difference`` and the interval of the difference (the
    episode fields are then 0 and None).
    """

    key: str
    days_with: int
    days_without: int
    episodes_with: int
    episodes_without: int
    rate_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    # The habit and trigger the words come from; None: the built-in trigger of ``key``.
    source: tuple[Habit, Trigger] | None = field(default=None, compare=False, repr=False)
    outcome: Outcome = Outcome.EPISODES
    mean_with: float | None = None
    mean_without: float | None = None
    difference: float | None = None

    @property
    def _no_effect(self) -> float:
        """The value of no difference: a ratio of 1, a difference of 0 points."""
        return 0.0 if self.outcome is Outcome.RATING else 1.0

    @property
    def enough_data(self) -> bool:
        return self.days_with >= MIN_DAYS_EACH_SIDE and self.days_without >= MIN_DAYS_EACH_SIDE

    def _source(self) -> tuple[Habit, Trigger]:
        return self.source if self.source is not None else _BUILTIN_SOURCES[self.key]

    @property
    def name(self) -> str:
        """The trigger's name as a title ("Alcohol over your limit", from "{habit} over ...")."""
        spec, trigger = self._source()
        label = trigger.label(spec)
        return label[:1].upper() + label[1:]

    @property
    def evidence(self) -> Evidence:
        """Where the whole 95 % interval lies (NOT_ENOUGH under 7 days on either side)."""
        if not self.enough_data:
            return Evidence.NOT_ENOUGH
        if self.ci_low is not None and self.ci_low > self._no_effect:
            return Evidence.MORE
        if self.ci_high is not None and self.ci_high < self._no_effect:
            return Evidence.FEWER
        return Evidence.UNCLEAR

    @property
    def sentence(self) -> str:
        """The finding in plain language, with the days on each side."""
        days = _("{with_} vs {without}").format(with_=days_text(self.days_with),
                                               without=days_text(self.days_without))
        if self.outcome is Outcome.RATING:
            return self._rating_sentence(days)
        if not self.enough_data or self.rate_ratio is None:
            return _("Not enough data yet: {days} (at least {n} of each are needed).").format(
                days=days, n=MIN_DAYS_EACH_SIDE)
        spec, trigger = self._source()
        opening = trigger.opening(spec)
        ratio = self.rate_ratio
        if ratio >= 1.1:
            finding = _("you logged {ratio} times as many twitches").format(
                ratio=formatting.number(ratio, 1))
        elif self.evidence is Evidence.MORE:
            finding = _("you logged {percent} % more twitches").format(
                percent=round((ratio - 1) * 100))
        elif ratio <= 0.9 or self.evidence is Evidence.FEWER:
            finding = _("you logged {percent} % fewer twitches").format(
                percent=round((1 - ratio) * 100))
        else:
            finding = _("you logged about as many twitches")
        return _("{opening} {finding}: {days}.").format(opening=opening, finding=finding,
                                                         days=days)

    def _rating_sentence(self, days: str) -> str:
        if (not self.enough_data or self.mean_with is None or self.mean_without is None):
            return _("Not enough data yet: {days} (at least {n} rated days of each are "
                     "needed).").format(days=days, n=MIN_DAYS_EACH_SIDE)
        spec, trigger = self._source()
        with_, without = f"{self.mean_with:.1f}", f"{self.mean_without:.1f}"
        if with_ == without:
            finding = _("twitching bothered you about as much")
        elif self.mean_with > self.mean_without:
            finding = _("twitching bothered you more")
        else:
            finding = _("twitching bothered you less")
        return _("{opening}, {finding} ({with_} vs {without} on average, 0–4): {days}.").format(
            opening=trigger.opening(spec), finding=finding, with_=with_, without=without,
            days=days)

    @property
    def certainty(self) -> str:
        """What the 95 % interval says about chance ('' without enough data)."""
        if not self.enough_data or self.ci_low is None or self.ci_high is None:
            return ""
        if self.outcome is Outcome.RATING:
            return self._rating_certainty(self.ci_low, self.ci_high)
        # Two decimals when one would round an end to 1 ("1.04–1.07", not "1–1.1").
        near_one = "1" in (formatting.number(self.ci_low, 1),
                           formatting.number(self.ci_high, 1))
        places = 2 if near_one else 1
        span = _("95 % range {low}–{high}").format(
            low=formatting.number(self.ci_low, places),
            high=formatting.number(self.ci_high, places))
        if self.evidence is Evidence.MORE:
            return _("The {span} stays above 1: unlikely to be chance alone.").format(span=span)
        if self.evidence is Evidence.FEWER:
            return _("The {span} stays below 1: unlikely to be chance alone.").format(span=span)
        return _("The {span} includes 1: this could be chance.").format(span=span)

    def _rating_certainty(self, low: float, high: float) -> str:
        span = _("95 % range of the difference {low} to {high} points").format(
            low=signed_points(low), high=signed_points(high))
        if self.evidence is Evidence.MORE:
            return _("The {span} stays above 0: unlikely to be chance alone.").format(span=span)
        if self.evidence is Evidence.FEWER:
            return _("The {span} stays below 0: unlikely to be chance alone.").format(span=span)
        return _("The {span} includes 0: this could be chance.").format(span=span)

    @property
    def context(self) -> str:
        """What to keep in mind beside the finding ('' when nothing): twitching after hard
        exercise is expected, so a link to exercise must not read as a reason to stop."""
        if self.key == "hard_exercise" and self.evidence is Evidence.MORE:
            return _("Short-term twitching after hard exercise is normal and settles with "
                     "rest; stopping exercise is usually not needed.")
        return ""

    def to_json(self) -> dict[str, Any]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        if self.outcome is Outcome.RATING:
            return {
                "key": self.key,
                "outcome": self.outcome.value,
                "days_with": self.days_with,
                "days_without": self.days_without,
                "mean_with": rounded(self.mean_with),
                "mean_without": rounded(self.mean_without),
                "difference": rounded(self.difference),
                "ci_low": rounded(self.ci_low),
                "ci_high": rounded(self.ci_high),
                "enough_data": self.enough_data,
                "sentence": self.sentence,
            }
        return {
            "key": self.key,
            "outcome": self.outcome.value,
            "days_with": self.days_with,
            "days_without": self.days_without,
            "episodes_with": self.episodes_with,
            "episodes_without": self.episodes_without,
            "rate_ratio": rounded(self.rate_ratio),
            "ci_low": rounded(self.ci_low),
            "ci_high": rounded(self.ci_high),
            "enough_data": self.enough_data,
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Insights:
    """All triggers, ranked, and how many days were considered."""

    triggers: tuple[TriggerResult, ...]
    days_considered: int
    episodes: int
    outcome: Outcome = Outcome.EPISODES

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "days_considered": self.days_considered,
            "episodes": self.episodes,
            "note": CAUTION_EN,
            "triggers": [t.to_json() for t in self.triggers],
        }


def signed_points(value: float) -> str:
    """'+0.4', '−0.2', '0.0': a difference in rating points, one decimal kept."""
    text = f"{abs(value):.1f}"
    if text == "0.0":
        return text
    return ("+" if value > 0 else "−") + text


def days_text(count: int) -> str:
    """'1 day', '18 days'."""
    return _("1 day") if count == 1 else _("{n} days").format(n=formatting.number(count))


CAUTION_EN = ("Correlation, not proof: these compare days in your own records; something else "
              "that comes with a trigger may be the real cause.")


def caution() -> str:
    """The reminder shown with every insight."""
    return _(CAUTION_EN)


# A trigger's judge: (day) -> True/False, or None when the day cannot be judged.
_Judge = Callable[[date], bool | None]


def compute(totals: Mapping[str, Mapping[date, float]],
            targets: Mapping[str, Iterable[Target]],
            twitches: Mapping[date, int],
            catalog: HabitCatalog | None = None, *,
            ratings: Mapping[date, int] | None = None) -> Insights:
    """Compare twitching on days with and without each trigger of *catalog*.

    *totals* maps habit key -> day -> the day's total (sum; for a rating the highest);
    *targets* holds each habit's targets over time; *twitches* the episodes per day. *catalog*
    gives the triggers (the built-ins when None); each is judged by its rule alone. Given
    *ratings* (day -> the day's twitch rating, 0–4), the outcome is the rating, compared on
    the rated days with a habit entry; else the episodes on every day with a habit entry.
    """
    if ratings is not None:
        return _compute_ratings(totals, targets, twitches, ratings, catalog)
    considered = sorted(logged_days(totals))
    results = []
    for spec, trigger, judge in _judges(totals, targets, catalog):
        days_with = days_without = episodes_with = episodes_without = 0
        for day in considered:
            verdict = judge(day)
            if verdict is None:
                continue
            count = twitches.get(day, 0)
            if verdict:
                days_with += 1
                episodes_with += count
            else:
                days_without += 1
                episodes_without += count
        results.append(_result(trigger.key, days_with, days_without, episodes_with,
                               episodes_without, (spec, trigger)))
    total_episodes = sum(twitches.get(day, 0) for day in considered)
    return Insights(_ranked(results), len(considered), total_episodes)


def _judges(totals: Mapping[str, Mapping[date, float]], targets: Mapping[str, Iterable[Target]],
            catalog: HabitCatalog | None) -> Iterable[tuple[Habit, Trigger, _Judge]]:
    """Each trigger of *catalog* (the built-ins when None) with its habit and its judge."""
    timelines = {key: TargetTimeline(values) for key, values in targets.items()}
    for spec, trigger in (catalog or _BUILTINS).triggers():
        yield spec, trigger, _judge(trigger, totals.get(spec.key, {}), timelines.get(spec.key))


def _ranked(results: list[TriggerResult]) -> tuple[TriggerResult, ...]:
    return tuple(result for _position, result in sorted(
        enumerate(results), key=lambda pair: _rank(pair[1], pair[0])))


def _compute_ratings(totals: Mapping[str, Mapping[date, float]],
                     targets: Mapping[str, Iterable[Target]], twitches: Mapping[date, int],
                     ratings: Mapping[date, int], catalog: HabitCatalog | None) -> Insights:
    """The mean rating with and without each trigger, on rated days with a habit entry."""
    considered = sorted(day for day in logged_days(totals) if day in ratings)
    results = []
    for spec, trigger, judge in _judges(totals, targets, catalog):
        with_values: list[int] = []
        without_values: list[int] = []
        for day in considered:
            verdict = judge(day)
            if verdict is not None:
                (with_values if verdict else without_values).append(ratings[day])
        results.append(rating_result(trigger.key, with_values, without_values, (spec, trigger)))
    episodes = sum(twitches.get(day, 0) for day in considered)
    return Insights(_ranked(results), len(considered), episodes, Outcome.RATING)


def rating_result(key: str, with_values: Sequence[int], without_values: Sequence[int],
                  source: tuple[Habit, Trigger] | None = None) -> TriggerResult:
    """One trigger's rating comparison: Welch's interval once both sides have 7 days."""
    days_with, days_without = len(with_values), len(without_values)
    if days_with >= MIN_DAYS_EACH_SIDE and days_without >= MIN_DAYS_EACH_SIDE:
        found = welch_interval(with_values, without_values)
        return TriggerResult(key, days_with, days_without, 0, 0, None, found.ci_low,
                             found.ci_high, source, Outcome.RATING, found.mean_with,
                             found.mean_without, found.difference)
    return TriggerResult(key, days_with, days_without, 0, 0, None, None, None, source,
                         Outcome.RATING)


def _result(key: str, days_with: int, days_without: int, episodes_with: int,
            episodes_without: int, source: tuple[Habit, Trigger] | None = None
            ) -> TriggerResult:
    if days_with >= MIN_DAYS_EACH_SIDE and days_without >= MIN_DAYS_EACH_SIDE:
        rr = rate_ratio(episodes_with, days_with, episodes_without, days_without)
        return TriggerResult(key, days_with, days_without, episodes_with, episodes_without,
                             rr.ratio, rr.low, rr.high, source)
    return TriggerResult(key, days_with, days_without, episodes_with, episodes_without,
                         None, None, None, source)


def _rank(result: TriggerResult, position: int) -> tuple[int, float, float, int]:
    """Enough data first, by the interval's lower end (descending), then the ratio or the
    difference; the rest, and ties, in the catalog's trigger order (the contract's for the
    built-ins, the user's after them)."""
    size = result.difference if result.outcome is Outcome.RATING else result.rate_ratio
    if result.ci_low is None or size is None:
        return (1, 0.0, 0.0, position)
    return (0, -result.ci_low, -size, position)


def judge_day(trigger: Trigger, total: float | None, target: Target | None) -> bool | None:
    """Whether a day with *total* (None: nothing logged) and *target* in force counts as a day
    with *trigger*, by the trigger's rule; None when the day cannot be judged.

    A day without an entry is a total of 0 when the trigger's ``none_is_zero`` says so, else it
    cannot be judged; nor can a rule against the target on a day without one.
    """
    if total is None:
        if not trigger.none_is_zero:
            return None
        total = 0.0
    rule = trigger.rule
    if rule is TriggerRule.ANY:
        return total > 0
    if rule is TriggerRule.NONE:
        return total == 0
    if rule is TriggerRule.BELOW or rule is TriggerRule.AT_LEAST:
        if trigger.threshold is None:
            return None
        if rule is TriggerRule.BELOW:
            return total < trigger.threshold
        return total >= trigger.threshold
    if target is None or target.value is None:
        return None
    if rule is TriggerRule.OVER_TARGET:
        return total > target.value
    if rule is TriggerRule.UNDER_TARGET:
        return total < target.value
    # OUTSIDE_RANGE: under the low end or over the high end (a range without one: its low end).
    high = target.value if target.value_max is None else target.value_max
    return total < target.value or total > high


def _judge(trigger: Trigger, totals: Mapping[date, float],
           timeline: TargetTimeline | None) -> _Judge:
    def on(day: date) -> bool | None:
        return judge_day(trigger, totals.get(day), timeline.on(day) if timeline else None)

    if not trigger.day_before:
        return on

    def on_or_after(day: date) -> bool | None:
        # The trigger marks its own day and the next (hard exercise: that day or the one before).
        today, before = on(day), on(day - timedelta(days=1))
        if today or before:
            return True
        return None if today is None and before is None else False

    return on_or_after
