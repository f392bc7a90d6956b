"""Caffeine's half-life decay: what is left at bedtime, and the latest time for one more drink."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from quell.core.days import hours_between, shift
from quell.core.entries import Entry
from quell.core.habits import HABITS

# The habit whose drinks wear off (caffeine): its definition carries the half-life.
_DECAYING = next(h for h in HABITS if h.half_life_hours is not None)


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

    half_life_hours: float = _DECAYING.half_life_hours or 5.0
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
        """A warning when *drink* comes at or after *bedtime*, or leaves more than the limit
        at *bedtime*; else None.

        *bedtime* is the planned bedtime that ends the drink's Quell day. A drink after it is
        the latest of all and always warns: with a 23:00 bedtime and the 04:00 day start, a
        coffee at 01:00 belongs to the evening before and warns, while one at 05:00 starts
        the next day and is judged against that night. Before bedtime the warning is exactly
        "after the cut-off" for a drink of this size; when earlier drinks alone already pass
        the limit it still warns: the numbers say what will be left.
        """
        before = [d for d in earlier if d != drink]
        cutoff = self.cutoff(bedtime, before, drink.mg)
        # Real time, not wall time: two datetimes in one zone compare as wall times.
        if drink.at.astimezone(timezone.utc) >= bedtime.astimezone(timezone.utc):
            return LateDrink(drink=drink, left_at_bedtime_mg=self.left_at(drink.at,
                                                                          [*before, drink]),
                             bedtime=bedtime, limit_mg=self.bedtime_limit_mg, cutoff=cutoff,
                             after_bedtime=True)
        left = self.left_at(bedtime, [*before, drink])
        if left <= self.bedtime_limit_mg:
            return None
        return LateDrink(drink=drink, left_at_bedtime_mg=left, bedtime=bedtime,
                         limit_mg=self.bedtime_limit_mg, cutoff=cutoff)


@dataclass(frozen=True)
class LateDrink:
    """What a drink after the cut-off (or after bedtime) means for tonight.

    ``left_at_bedtime_mg`` is what will be left at bedtime or, for a drink after bedtime
    (``after_bedtime``), what is in the body right after the drink.
    """

    drink: Drink
    left_at_bedtime_mg: float
    bedtime: datetime
    limit_mg: float
    cutoff: datetime | None  # when this drink would still have been fine; None: not today
    after_bedtime: bool = False


def drinks_from(entries: Iterable[Entry]) -> list[Drink]:
    """The caffeine entries among *entries* as drinks, oldest first."""
    return sorted((Drink(e.at, e.amount) for e in entries if e.habit == _DECAYING.key),
                  key=lambda d: d.at)
