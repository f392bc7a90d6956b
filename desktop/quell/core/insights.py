"""Insights: twitch episodes on days with and without each trigger, as rate ratios (CONTRACTS.md).

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

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from quell.core import formatting
from quell.core.entries import Target
from quell.core.history import TargetTimeline, logged_days
from quell.core.i18n import _

MIN_DAYS_EACH_SIDE = 7
SHORT_SLEEP_HOURS = 7.0
HIGH_STRESS_FROM = 4
Z_95 = 1.959963984540054
ZERO_CORRECTION = 0.5

TRIGGER_KEYS: tuple[str, ...] = (
    "caffeine_over_limit", "short_sleep", "low_water", "no_stretching", "high_stress",
    "nicotine", "hard_exercise",
)

# Per trigger: its name, and how a sentence about days with it begins.
_WORDS: dict[str, tuple[str, str]] = {
    "caffeine_over_limit": ("Caffeine over your limit", "On days with caffeine over your limit"),
    "short_sleep": ("Less than 7 h of sleep", "On days after less than 7 h of sleep"),
    "low_water": ("Water under your target", "On days with less water than your target"),
    "no_stretching": ("No stretching", "On days without stretching"),
    "high_stress": ("Stress 4–5", "On days with stress at 4 or 5"),
    "nicotine": ("Nicotine", "On days with nicotine"),
    "hard_exercise": ("Hard exercise", "On days of or after hard exercise"),
}


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
    """One trigger's comparison. Ratio and interval are None without enough data."""

    key: str
    days_with: int
    days_without: int
    episodes_with: int
    episodes_without: int
    rate_ratio: float | None
    ci_low: float | None
    ci_high: float | None

    @property
    def enough_data(self) -> bool:
        return self.days_with >= MIN_DAYS_EACH_SIDE and self.days_without >= MIN_DAYS_EACH_SIDE

    @property
    def name(self) -> str:
        return _(_WORDS[self.key][0])

    @property
    def evidence(self) -> str:
        """'more', 'fewer' or 'unclear': where the whole 95 % interval lies."""
        if self.ci_low is not None and self.ci_low > 1:
            return "more"
        if self.ci_high is not None and self.ci_high < 1:
            return "fewer"
        return "unclear"

    @property
    def sentence(self) -> str:
        """The finding in plain language, with the days on each side."""
        days = _("{with_} vs {without}").format(with_=days_text(self.days_with),
                                               without=days_text(self.days_without))
        if not self.enough_data or self.rate_ratio is None:
            return _("Not enough data yet: {days} (at least {n} of each are needed).").format(
                days=days, n=MIN_DAYS_EACH_SIDE)
        opening = _(_WORDS[self.key][1])
        ratio = self.rate_ratio
        if ratio >= 1.1:
            finding = _("you logged {ratio} times as many twitches").format(
                ratio=formatting.number(ratio, 1))
        elif self.evidence == "more":
            finding = _("you logged {percent} % more twitches").format(
                percent=round((ratio - 1) * 100))
        elif ratio <= 0.9 or self.evidence == "fewer":
            finding = _("you logged {percent} % fewer twitches").format(
                percent=round((1 - ratio) * 100))
        else:
            finding = _("you logged about as many twitches")
        return _("{opening} {finding}: {days}.").format(opening=opening, finding=finding,
                                                         days=days)

    @property
    def certainty(self) -> str:
        """What the 95 % interval says about chance ('' without enough data)."""
        if not self.enough_data or self.ci_low is None or self.ci_high is None:
            return ""
        # Two decimals when one would round an end to 1 ("1.04–1.07", not "1–1.1").
        near_one = "1" in (formatting.number(self.ci_low, 1),
                           formatting.number(self.ci_high, 1))
        places = 2 if near_one else 1
        span = _("95 % range {low}–{high}").format(
            low=formatting.number(self.ci_low, places),
            high=formatting.number(self.ci_high, places))
        if self.evidence == "more":
            return _("The {span} stays above 1: unlikely to be chance alone.").format(span=span)
        if self.evidence == "fewer":
            return _("The {span} stays below 1: unlikely to be chance alone.").format(span=span)
        return _("The {span} includes 1: this could be chance.").format(span=span)

    def to_json(self) -> dict[str, Any]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "key": self.key,
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

    def to_json(self) -> dict[str, Any]:
        return {
            "days_considered": self.days_considered,
            "episodes": self.episodes,
            "note": CAUTION_EN,
            "triggers": [t.to_json() for t in self.triggers],
        }


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
            twitches: Mapping[date, int]) -> Insights:
    """Compare twitch episodes on days with and without each trigger.

    *totals* maps habit key -> day -> the day's total (sum; for stress the highest rating);
    *targets* holds each habit's targets over time; *twitches* the episodes per day.
    """
    considered = sorted(logged_days(totals))
    timelines = {key: TargetTimeline(values) for key, values in targets.items()}
    judges = _judges(totals, timelines)
    results = []
    for key in TRIGGER_KEYS:
        judge = judges[key]
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
        results.append(_result(key, days_with, days_without, episodes_with, episodes_without))
    ranked = sorted(results, key=_rank)
    total_episodes = sum(twitches.get(day, 0) for day in considered)
    return Insights(tuple(ranked), len(considered), total_episodes)


def _result(key: str, days_with: int, days_without: int, episodes_with: int,
            episodes_without: int) -> TriggerResult:
    if days_with >= MIN_DAYS_EACH_SIDE and days_without >= MIN_DAYS_EACH_SIDE:
        rr = rate_ratio(episodes_with, days_with, episodes_without, days_without)
        return TriggerResult(key, days_with, days_without, episodes_with, episodes_without,
                             rr.ratio, rr.low, rr.high)
    return TriggerResult(key, days_with, days_without, episodes_with, episodes_without,
                         None, None, None)


def _rank(result: TriggerResult) -> tuple[int, float, float, int]:
    """Enough data first, by the interval's lower end (descending); the rest in contract
    order."""
    if result.ci_low is None or result.rate_ratio is None:
        return (1, 0.0, 0.0, TRIGGER_KEYS.index(result.key))
    return (0, -result.ci_low, -result.rate_ratio, TRIGGER_KEYS.index(result.key))


def _judges(totals: Mapping[str, Mapping[date, float]],
            timelines: Mapping[str, TargetTimeline]) -> dict[str, _Judge]:
    def total(key: str) -> Mapping[date, float]:
        return totals.get(key, {})

    def target(key: str, day: date) -> float | None:
        timeline = timelines.get(key)
        found = timeline.on(day) if timeline else None
        return found.value if found else None

    caffeine, sleep, water = total("caffeine"), total("sleep"), total("water")
    stretching, stress = total("stretching"), total("stress")
    nicotine, exercise = total("nicotine"), total("exercise")

    def caffeine_over_limit(day: date) -> bool | None:
        limit = target("caffeine", day)
        if limit is None:
            return None
        return caffeine.get(day, 0.0) > limit

    def short_sleep(day: date) -> bool | None:
        hours = sleep.get(day)
        return None if hours is None else hours < SHORT_SLEEP_HOURS

    def low_water(day: date) -> bool | None:
        amount, goal = water.get(day), target("water", day)
        return None if amount is None or goal is None else amount < goal

    def no_stretching(day: date) -> bool | None:
        return stretching.get(day, 0.0) == 0

    def high_stress(day: date) -> bool | None:
        rating = stress.get(day)
        return None if rating is None else rating >= HIGH_STRESS_FROM

    def any_nicotine(day: date) -> bool | None:
        return nicotine.get(day, 0.0) > 0

    def hard_exercise(day: date) -> bool | None:
        return (exercise.get(day, 0.0) > 0
                or exercise.get(day - timedelta(days=1), 0.0) > 0)

    return {
        "caffeine_over_limit": caffeine_over_limit,
        "short_sleep": short_sleep,
        "low_water": low_water,
        "no_stretching": no_stretching,
        "high_stress": high_stress,
        "nicotine": any_nicotine,
        "hard_exercise": hard_exercise,
    }
