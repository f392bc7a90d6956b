"""The daily twitch rating: how much twitching bothered the user on a Quell day, 0 to 4.

One rating per Quell day, with the body areas it was in if the user wants to say; a second
rating of the same day replaces the first. It is Quell's default twitch measure: counting
every episode tends to draw attention to twitching, so the per-episode diary
(:mod:`quell.core.twitches`) is an option ("Log each twitch"). Insights, history and the
report use the ratings where there are any.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from quell.core.clock import Clock
from quell.core.days import day_of
from quell.core.errors import InputError
from quell.core.i18n import _
from quell.core.parsing import whole_number
from quell.core.settings import Settings
from quell.core.twitches import AREAS, area_label, check_area

RATINGS: tuple[int, ...] = (0, 1, 2, 3, 4)
HIGHEST = RATINGS[-1]
# A rating may be given for a day up to this long ago (as a logged moment may).
OLDEST_DAY = timedelta(days=366 * 10)

_RATING_NAMES = {0: "Not at all", 1: "A little", 2: "Somewhat", 3: "Quite a lot", 4: "A lot"}


def question() -> str:
    """What the rating asks."""
    return _("How much did twitching bother you today?")


def rating_label(rating: int) -> str:
    """'Not at all' for 0 ... 'A lot' for 4."""
    return _(_RATING_NAMES.get(rating, str(rating)))


@dataclass(frozen=True)
class TwitchRating:
    """The rating of one Quell day; ``areas`` are area keys in head-to-toe order."""

    day: date
    rating: int
    areas: tuple[str, ...] = ()

    def in_words(self) -> str:
        """'2 of 4 (somewhat)', with '; where: eyelid, calf' when areas were given."""
        text = _("{n} of 4 ({label})").format(n=self.rating,
                                             label=rating_label(self.rating).lower())
        if not self.areas:
            return text
        return _("{rating}; where: {areas}").format(rating=text, areas=self.areas_text().lower())

    def areas_text(self) -> str:
        """'Eyelid, calf', or '' when no area was given."""
        text = ", ".join(area_label(area) for area in self.areas)
        return text[:1] + text[1:].lower()


@dataclass(frozen=True)
class RatingChange:
    """A rating stored, and the one of that day it replaced (None: the day had none)."""

    rating: TwitchRating
    replaced: TwitchRating | None


# --- validation ----------------------------------------------------------------------------


def check_rating(value: object) -> int:
    """A whole number from 0 to 4 (text such as '3' is read too)."""
    number = whole_number(value)
    if number is None or number not in RATINGS:
        shown = value.strip() if isinstance(value, str) else value
        raise InputError(_("the rating must be a whole number from 0 (not at all) to 4 "
                           "(a lot), not {value}").format(value=shown))
    return number


def check_areas(areas: str | Iterable[str]) -> tuple[str, ...]:
    """Area keys from 'calf, eyelid' or a list of names: checked, each once, head to toe."""
    names = areas.split(",") if isinstance(areas, str) else list(areas)
    chosen = {check_area(name) for name in names if not isinstance(name, str) or name.strip()}
    return tuple(area for area in AREAS if area in chosen)


def areas_cell(areas: Sequence[str]) -> str:
    """Areas as one text cell: 'eyelid,calf' (the export's and the database's form)."""
    return ",".join(areas)


# --- the ratings -------------------------------------------------------------------------


class RatingStore(Protocol):
    """What the ratings need from storage (implemented by ``quell.storage.rating_store``)."""

    def rating_on(self, day: date) -> TwitchRating | None: ...
    def ratings_between(self, first_day: date, last_day: date) -> list[TwitchRating]: ...
    def put_rating(self, rating: TwitchRating) -> TwitchRating | None: ...
    def delete_rating(self, day: date) -> TwitchRating | None: ...


class TwitchRatings:
    """Validates and applies every change to the daily ratings (tray, windows, command line)."""

    def __init__(self, store: RatingStore, clock: Clock, settings: Callable[[], Settings]
                 ) -> None:
        self._store = store
        self._clock = clock
        self._settings = settings

    def current_day(self) -> date:
        return day_of(self._clock.now(), self._settings().day_start_hour)

    def rate(self, value: object, *, day: date | None = None,
             areas: str | Iterable[str] = ()) -> RatingChange:
        """Store *value* (0–4) for *day* (today when None), replacing that day's rating;
        raise InputError, storing nothing, on a bad value, area or day."""
        rating = check_rating(value)
        chosen = check_areas(areas)
        target = self.check_day(day)
        stored = TwitchRating(target, rating, chosen)
        return RatingChange(stored, self._store.put_rating(stored))

    def check_day(self, day: date | None) -> date:
        """*day*, or today for None; a day after today or over ten years ago is refused."""
        today = self.current_day()
        if day is None:
            return today
        if day > today:
            raise InputError(_("{day} has not come yet").format(day=day.isoformat()))
        if today - day > OLDEST_DAY:
            raise InputError(_("{day} is more than ten years ago").format(day=day.isoformat()))
        return day

    def clear(self, day: date | None = None) -> TwitchRating | None:
        """Remove *day*'s rating (today's when None); return what was removed."""
        return self._store.delete_rating(self.check_day(day))

    def on(self, day: date) -> TwitchRating | None:
        return self._store.rating_on(day)

    def today(self) -> TwitchRating | None:
        return self._store.rating_on(self.current_day())

    def between(self, first_day: date, last_day: date) -> list[TwitchRating]:
        """The ratings of Quell days *first_day* to *last_day*, oldest first."""
        return self._store.ratings_between(first_day, last_day)


# --- summary -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingWeek:
    """The ratings in the 7 days from ``start`` (the last week of a period may be shorter)."""

    start: date
    days: int
    rated: int
    mean: float | None


@dataclass(frozen=True)
class RatingSummary:
    """The ratings over a period: how many days were rated, how much twitching bothered, where,
    and how it went week by week."""

    first_day: date
    last_day: date
    rated_days: int
    mean: float | None
    by_rating: tuple[tuple[int, int], ...]   # (0, n) ... (4, n)
    by_area: tuple[tuple[str, int], ...]     # days the area was named, most first
    weeks: tuple[RatingWeek, ...]
    trend: str                               # more, fewer, same or unknown

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def main_area(self) -> str | None:
        return self.by_area[0][0] if self.by_area else None


# The later half of a period counts as bothering more (or less) when its mean rating differs
# from the earlier half's by at least this many points, with this many rated days in each half.
TREND_POINTS = 0.5
TREND_MIN_RATED = 7


def _trend(ratings: Sequence[TwitchRating], first_day: date, last_day: date) -> str:
    length = (last_day - first_day).days + 1
    middle = first_day + timedelta(days=length // 2)
    early = [r.rating for r in ratings if r.day < middle]
    late = [r.rating for r in ratings if r.day >= middle]
    if len(early) < TREND_MIN_RATED or len(late) < TREND_MIN_RATED:
        return "unknown"
    change = sum(late) / len(late) - sum(early) / len(early)
    if change >= TREND_POINTS:
        return "more"
    if change <= -TREND_POINTS:
        return "fewer"
    return "same"


def summarize_ratings(ratings: Iterable[TwitchRating], first_day: date, last_day: date
                      ) -> RatingSummary:
    """Summarise the ratings whose day falls in *first_day*..*last_day* (others are ignored)."""
    if last_day < first_day:
        raise ValueError("the period ends before it starts")
    chosen = sorted((r for r in ratings if first_day <= r.day <= last_day), key=lambda r: r.day)
    counts = Counter(r.rating for r in chosen)
    areas = Counter(area for r in chosen for area in r.areas)
    order = {area: index for index, area in enumerate(AREAS)}
    length = (last_day - first_day).days + 1
    per_week: list[list[int]] = [[] for _week in range((length + 6) // 7)]
    for rating in chosen:
        per_week[(rating.day - first_day).days // 7].append(rating.rating)
    weeks = tuple(
        RatingWeek(first_day + timedelta(days=7 * index), min(7, length - 7 * index),
                   len(values), _mean(values))
        for index, values in enumerate(per_week))
    return RatingSummary(
        first_day=first_day,
        last_day=last_day,
        rated_days=len(chosen),
        mean=_mean([r.rating for r in chosen]),
        by_rating=tuple((level, counts.get(level, 0)) for level in RATINGS),
        by_area=tuple(sorted(areas.items(), key=lambda item: (-item[1], order[item[0]]))),
        weeks=weeks,
        trend=_trend(chosen, first_day, last_day),
    )


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None
