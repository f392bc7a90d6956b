"""Caffeine's half-life decay: what is left at bedtime, and the latest time for one more drink."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from desktop.core.days import hours_between, shift
from desktop.core.entries import Entry


@dataclass(frozen=True)
class Drink:
    """Caffeine taken at one moment (aware), in mg."""

    at: datetime
    mg: float


@dataclass(frozen=True)
class CaffeineModel:
    """First-order elimination: the amount halves every ``half_life_hours``.

    ``bedtime_limit_mg`` is what may be left at bedtime; ``drink_mg`` a typical next drink.
    """

    half_life_hours: float = 5.0
    bedtime_limit_mg: float = 50.0
    drink_mg: float = 95.0

    def left_at(self, moment: datetime, drinks: Iterable[Drink]) -> float:
        """mg still in the body at *moment* from the drinks taken up to then."""
        total = 0.0
        for drink in drinks:
            elapsed = hours_between(drink.at, moment)
            if elapsed >= 0:
                total += drink.mg * 0.5 ** (elapsed / self.half_life_hours)
        return total

    def cutoff(self, bedtime: datetime, drinks: Iterable[Drink],
               drink_mg: float | None = None) -> datetime | None:
        """The latest moment a drink of *drink_mg* (default: a typical one) keeps the level at
        *bedtime* within the limit; None when the drinks so far already leave too much.

        Solves ``left + mg * 0.5 ** (h / half_life) <= limit`` for the hours *h* before bedtime.
        """
        mg = self.drink_mg if drink_mg is None else drink_mg
        room = self.bedtime_limit_mg - self.left_at(bedtime, drinks)
        if room <= 0:
            return None
        if mg <= room:
            return bedtime
        hours_before = self.half_life_hours * math.log2(mg / room)
        return shift(bedtime, -timedelta(hours=hours_before))

    def late_drink(self, drink: Drink, earlier: Iterable[Drink], bedtime: datetime
                   ) -> LateDrink | None:
        """A warning when *drink* leaves more than the limit at *bedtime*, else None.

        That is exactly "after the cut-off" for a drink of this size. Drinks at or after
        bedtime, and earlier drinks that already passed the limit alone, still warn: the
        numbers say what will be left.
        """
        if drink.at >= bedtime:
            return None
        before = [d for d in earlier if d != drink]
        left = self.left_at(bedtime, [*before, drink])
        if left <= self.bedtime_limit_mg:
            return None
        return LateDrink(drink=drink, left_at_bedtime_mg=left, bedtime=bedtime,
                         limit_mg=self.bedtime_limit_mg,
                         cutoff=self.cutoff(bedtime, before, drink.mg))


@dataclass(frozen=True)
class LateDrink:
    """What a drink after the cut-off means for tonight."""

    drink: Drink
    left_at_bedtime_mg: float
    bedtime: datetime
    limit_mg: float
    cutoff: datetime | None  # when this drink would still have been fine; None: not today


def drinks_from(entries: Iterable[Entry]) -> list[Drink]:
    """The caffeine entries among *entries* as drinks, oldest first."""
    return sorted((Drink(e.at, e.amount) for e in entries if e.habit == "caffeine"),
                  key=lambda d: d.at)
