"""The twitch diary: episodes (where, which side, how strong, when) and what they add up to."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Protocol

from quell.core.clock import Clock
from quell.core.days import day_of
from quell.core.entries import Source
from quell.core.errors import InputError
from quell.core.i18n import _
from quell.core.notes import NOTE_MAX as NOTE_MAX  # re-exported for the diary dialog
from quell.core.notes import clean_note
from quell.core.parsing import checked_moment, whole_number
from quell.core.settings import Settings

AREAS: tuple[str, ...] = (
    "eyelid", "face", "neck", "shoulder", "arm", "hand", "chest", "back", "abdomen", "thigh",
    "calf", "foot", "other",
)
"""Body areas, as CONTRACTS.md names them, head to toe."""

SIDES: tuple[str, ...] = ("", "left", "right", "both")
"""Which side: '' when it does not apply or was not said."""

INTENSITIES: tuple[int, ...] = (1, 2, 3, 4, 5)
DEFAULT_INTENSITY = 3


_AREA_NAMES = {
    "eyelid": "Eyelid", "face": "Face", "neck": "Neck", "shoulder": "Shoulder", "arm": "Arm",
    "hand": "Hand", "chest": "Chest", "back": "Back", "abdomen": "Abdomen", "thigh": "Thigh",
    "calf": "Calf", "foot": "Foot", "other": "Somewhere else",
}
_SIDE_NAMES = {"": "Not said", "left": "Left", "right": "Right", "both": "Both sides"}
_INTENSITY_NAMES = {1: "Barely noticeable", 2: "Mild", 3: "Moderate", 4: "Strong",
                    5: "Very strong"}


def area_label(area: str) -> str:
    """The area's name in the user's language ('Calf')."""
    return _(_AREA_NAMES.get(area, area))


def side_label(side: str) -> str:
    return _(_SIDE_NAMES.get(side, side))


def intensity_label(intensity: int) -> str:
    """'Mild' for 2, and so on."""
    return _(_INTENSITY_NAMES.get(intensity, str(intensity)))


@dataclass(frozen=True)
class Twitch:
    """One twitch episode; ``at`` is aware and carries the UTC offset in force at the time."""

    area: str
    at: datetime
    day: date
    side: str = ""
    intensity: int = DEFAULT_INTENSITY
    note: str = ""
    source: Source = Source.WINDOW
    id: int | None = None

    def where(self) -> str:
        """'Calf (left)', or just 'Calf' when no side was given."""
        if not self.side:
            return area_label(self.area)
        return _("{area} ({side})").format(area=area_label(self.area),
                                           side=side_label(self.side).lower())


# --- validation ----------------------------------------------------------------------------


def check_area(text: str) -> str:
    """*text* as an area key ('Calf ' -> 'calf'), or an InputError naming the choices."""
    area = text.strip().lower() if isinstance(text, str) else ""
    if area in AREAS:
        return area
    close = difflib.get_close_matches(area, AREAS, n=1)
    if close:
        raise InputError(_("unknown body area '{area}' (did you mean {guess}?)").format(
            area=str(text).strip(), guess=close[0]))
    raise InputError(_("unknown body area '{area}' (choose from {areas})").format(
        area=str(text).strip(), areas=", ".join(AREAS)))


def check_side(text: str | None) -> str:
    """'left', 'right', 'both', or '' for none given."""
    side = text.strip().lower() if isinstance(text, str) else ("" if text is None else "?")
    if side in SIDES:
        return side
    raise InputError(_("side must be left, right or both, not '{side}'").format(side=text))


def check_intensity(value: object) -> int:
    """A whole number from 1 to 5 (text such as '4' is read too)."""
    number = whole_number(value)
    if number is None or number not in INTENSITIES:
        shown = value.strip() if isinstance(value, str) else value
        raise InputError(_("intensity must be a whole number from 1 to 5, not {value}").format(
            value=shown))
    return number


# --- the diary -----------------------------------------------------------------------------


class TwitchStore(Protocol):
    """What the diary needs from storage (implemented by ``quell.storage.twitch_store``)."""

    def add_twitch(self, twitch: Twitch) -> Twitch: ...
    def update_twitch(self, twitch: Twitch) -> Twitch: ...
    def delete_twitch(self, twitch_id: int) -> None: ...
    def restore_twitch(self, twitch_id: int) -> None: ...
    def get_twitch(self, twitch_id: int) -> Twitch | None: ...
    def twitches_between(self, first_day: date, last_day: date) -> list[Twitch]: ...
    def last_twitch(self) -> Twitch | None: ...


class TwitchDiary:
    """Validates and applies every change to the twitch diary (tray, windows, command line)."""

    def __init__(self, store: TwitchStore, clock: Clock, settings: Callable[[], Settings]
                 ) -> None:
        self._store = store
        self._clock = clock
        self._settings = settings

    @property
    def clock(self) -> Clock:
        return self._clock

    def current_day(self) -> date:
        return day_of(self._clock.now(), self._settings().day_start_hour)

    def log(self, area: str, *, side: str | None = "", intensity: object = DEFAULT_INTENSITY,
            at: datetime | None = None, note: str = "", source: Source = Source.WINDOW
            ) -> Twitch:
        """Check and store one episode; raise InputError (storing nothing) on bad input."""
        checked_area = check_area(area)
        checked_side = check_side(side)
        checked_intensity = check_intensity(intensity)
        moment = self._checked_moment(at)
        twitch = Twitch(
            area=checked_area,
            at=moment,
            day=day_of(moment, self._settings().day_start_hour),
            side=checked_side,
            intensity=checked_intensity,
            note=clean_note(note),
            source=source,
        )
        return self._store.add_twitch(twitch)

    def edit(self, twitch_id: int, *, area: str | None = None, side: str | None = None,
             intensity: object = None, at: datetime | None = None, note: str | None = None
             ) -> Twitch:
        """Change an episode, with the same checks as logging; None leaves a field as it is."""
        twitch = self._store.get_twitch(twitch_id)
        if twitch is None:
            raise InputError(_("that twitch is no longer in the diary"))
        changed = replace(
            twitch,
            area=check_area(area) if area is not None else twitch.area,
            side=check_side(side) if side is not None else twitch.side,
            intensity=check_intensity(intensity) if intensity is not None else twitch.intensity,
            note=clean_note(note) if note is not None else twitch.note,
        )
        if at is not None:
            moment = self._checked_moment(at)
            changed = replace(changed, at=moment,
                              day=day_of(moment, self._settings().day_start_hour))
        if changed == twitch:
            return twitch
        return self._store.update_twitch(changed)

    def delete(self, twitch_id: int) -> Twitch:
        """Delete an episode (it can be brought back with :meth:`undo_delete`)."""
        twitch = self._store.get_twitch(twitch_id)
        if twitch is None:
            raise InputError(_("that twitch is no longer in the diary"))
        self._store.delete_twitch(twitch_id)
        return twitch

    def undo_delete(self, twitch_id: int) -> None:
        self._store.restore_twitch(twitch_id)

    def get(self, twitch_id: int) -> Twitch | None:
        return self._store.get_twitch(twitch_id)

    def between(self, first_day: date, last_day: date) -> list[Twitch]:
        """Episodes on Quell days *first_day* to *last_day*, oldest first."""
        return self._store.twitches_between(first_day, last_day)

    def last(self) -> Twitch | None:
        """The most recently timed episode (its side and intensity make good defaults)."""
        return self._store.last_twitch()

    def _checked_moment(self, at: datetime | None) -> datetime:
        # Without the day-start hour: a twitch in tonight's small hours is just "in the future".
        return checked_moment(at, self._clock.now(), self._clock.tz)


# --- summary -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekCount:
    """Episodes in the 7 days from ``start`` (the last week of a period may be shorter)."""

    start: date
    days: int
    episodes: int
    mean_intensity: float | None


@dataclass(frozen=True)
class TwitchSummary:
    """The diary over a period: how often, where, how strong, and how it went week by week."""

    first_day: date
    last_day: date
    episodes: int
    days_with_twitches: int
    by_area: tuple[tuple[str, int], ...]        # most frequent first
    by_side: tuple[tuple[str, int], ...]        # most frequent first; '' = not said
    by_intensity: tuple[tuple[int, int], ...]   # (1, n) ... (5, n)
    mean_intensity: float | None
    strongest: int | None
    weeks: tuple[WeekCount, ...]
    trend: str                                  # more, fewer, same or unknown

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def per_day(self) -> float:
        return self.episodes / self.days

    @property
    def main_area(self) -> str | None:
        return self.by_area[0][0] if self.by_area else None


# A change in the rate of episodes counts only when the later half has at least this many
# times the earlier half's rate (or the reverse), with enough episodes to mean anything.
_TREND_RATIO = 1.5
_TREND_MIN_DAYS = 14
_TREND_MIN_EPISODES = 6


def _trend(days: Sequence[date], first_day: date, last_day: date) -> str:
    """'more', 'fewer', 'same', or 'unknown' with too little data: the later half vs the earlier."""
    length = (last_day - first_day).days + 1
    if length < _TREND_MIN_DAYS or len(days) < _TREND_MIN_EPISODES:
        return "unknown"
    middle = first_day + timedelta(days=length // 2)
    early_days, late_days = length // 2, length - length // 2
    early = sum(1 for day in days if day < middle) / early_days
    late = sum(1 for day in days if day >= middle) / late_days
    if late >= early * _TREND_RATIO and late > early:
        return "more"
    if early >= late * _TREND_RATIO and early > late:
        return "fewer"
    return "same"


def summarize_twitches(twitches: Iterable[Twitch], first_day: date, last_day: date
                       ) -> TwitchSummary:
    """Summarise the episodes whose day falls in *first_day*..*last_day* (others are ignored)."""
    if last_day < first_day:
        raise ValueError("the period ends before it starts")
    chosen = [t for t in twitches if first_day <= t.day <= last_day]
    areas = Counter(t.area for t in chosen)
    sides = Counter(t.side for t in chosen)
    strengths = Counter(t.intensity for t in chosen)
    order = {area: index for index, area in enumerate(AREAS)}
    by_area = tuple(sorted(areas.items(), key=lambda item: (-item[1], order.get(item[0], 99))))
    by_side = tuple(sorted(sides.items(), key=lambda item: (-item[1], SIDES.index(item[0])
                                                            if item[0] in SIDES else 9)))
    length = (last_day - first_day).days + 1
    per_week: list[list[int]] = [[] for _week in range((length + 6) // 7)]
    for twitch in chosen:
        per_week[(twitch.day - first_day).days // 7].append(twitch.intensity)
    weeks = tuple(
        WeekCount(first_day + timedelta(days=7 * index), min(7, length - 7 * index),
                  len(strengths_of_week), _mean(strengths_of_week))
        for index, strengths_of_week in enumerate(per_week)
    )
    return TwitchSummary(
        first_day=first_day,
        last_day=last_day,
        episodes=len(chosen),
        days_with_twitches=len({t.day for t in chosen}),
        by_area=by_area,
        by_side=by_side,
        by_intensity=tuple((level, strengths.get(level, 0)) for level in INTENSITIES),
        mean_intensity=_mean([t.intensity for t in chosen]),
        strongest=max((t.intensity for t in chosen), default=None),
        weeks=weeks,
        trend=_trend([t.day for t in chosen], first_day, last_day),
    )


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None
