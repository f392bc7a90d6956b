"""The user's preferences, declared once with types, defaults and checks."""

from __future__ import annotations

import dataclasses
import enum
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from typing import Any

from quell.core.errors import InputError
from quell.core.formatting import WATER_UNITS
from quell.core.i18n import _

SETTINGS_VERSION = 1

# Weekdays as ISO numbers (1 = Monday ... 7 = Sunday).
EVERY_DAY: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)
WORKDAYS: tuple[int, ...] = (1, 2, 3, 4, 5)


class TwitchDiary(enum.Enum):
    """Whether the per-episode twitch diary is offered beside the daily rating ("Log each
    twitch"); the values are what settings.json spells."""

    AUTO = "auto"  # not chosen: offered while the diary holds episodes (as before the rating)
    ON = "on"
    OFF = "off"

    def offered(self, has_episodes: bool) -> bool:
        """Whether "Log a twitch" shows, given whether the diary holds any episode."""
        return self is TwitchDiary.ON or (self is TwitchDiary.AUTO and has_episodes)


# "Hide twitch charts for two weeks".
HIDE_CHARTS_FOR = timedelta(days=14)


class ReminderStyle(enum.Enum):
    """How reminders show; the values are what settings.json and the command line spell."""

    CARD = "card"                  # Quell's card near the tray, with Done, Snooze and Skip
    NOTIFICATION = "notification"  # a desktop notification (the card where it has no buttons)
    BOTH = "both"


# The longest pause (as `quell pause` allows), and the window any stored pause must fall in:
# far from datetime's ends, so showing it in any time zone cannot overflow (a pause to the year
# 9999 once broke every start east of UTC).
PAUSE_LONGEST = timedelta(days=7)
PAUSE_WINDOW = (datetime(2000, 1, 1, tzinfo=timezone.utc),
                datetime(2200, 1, 1, tzinfo=timezone.utc))
# A region or locale name: "GB", "en_GB.UTF-8", "fr-CA", "sr_RS@latin".
_LOCALE = re.compile(r"[A-Za-z0-9_.@-]{1,40}")
# A program's name as the system lists it (Linux keeps 15 characters of it): "zoom", "teams".
_APP_NAME = re.compile(r"[A-Za-z0-9_.+ -]{1,64}")
_WINDOWS_PATH = re.compile(r"[A-Za-z]:[\\/]")
# Paths may be long; other texts in the settings file are short.
LONG_TEXT = 4096
_LONG_TEXTS = {"calendar_path"}
# The item type of list settings whose default is empty.
_ITEM_DEFAULTS: dict[str, Any] = {"meeting_apps": ""}


def check_pause(until: datetime, now: datetime) -> datetime:
    """Return *until* if a pause may end then (at most PAUSE_LONGEST after *now*; a past end is
    harmless, the pause is simply over), else raise InputError."""
    if until.tzinfo is None:
        raise InputError(_("the pause needs a time zone"))
    try:
        too_long = until.astimezone(timezone.utc) - now.astimezone(timezone.utc) > (
            PAUSE_LONGEST + timedelta(minutes=1))
    except OverflowError:
        too_long = True
    if too_long:
        raise InputError(_("a pause lasts at most 7 days, not until {when}").format(
            when=until.isoformat(timespec="minutes")))
    return until


@dataclass(frozen=True)
class ReminderSettings:
    """How each relief reminder is scheduled and shown (see ``quell.core.reminders``).

    Windows (``*_from`` to ``*_until``) run past midnight when the end is earlier on the clock.
    ``*_days`` are ISO weekdays of the Quell day the reminder belongs to.
    """

    water: bool = True
    water_from: time = time(8, 0)
    water_until: time = time(22, 0)
    water_every_minutes: int = 60
    water_days: tuple[int, ...] = EVERY_DAY
    stretch: bool = True
    stretch_from: time = time(9, 0)
    stretch_until: time = time(18, 0)
    stretch_every_minutes: int = 60
    stretch_days: tuple[int, ...] = WORKDAYS
    breathe: bool = True
    breathe_times: tuple[time, ...] = (time(13, 0), time(17, 30))
    breathe_minutes: int = 2
    breathe_days: tuple[int, ...] = EVERY_DAY
    caffeine_cutoff: bool = True
    caffeine_half_life_hours: float = 5.0
    caffeine_bedtime_mg: int = 50
    caffeine_drink_mg: int = 95
    caffeine_notice_minutes: int = 30
    caffeine_days: tuple[int, ...] = EVERY_DAY
    wind_down: bool = True
    wind_down_minutes: int = 30
    wind_down_days: tuple[int, ...] = EVERY_DAY
    sleep_log: bool = True
    sleep_log_minutes: int = 30
    sleep_log_days: tuple[int, ...] = EVERY_DAY
    quiet_hours: bool = False
    quiet_from: time = time(22, 0)
    quiet_until: time = time(8, 0)
    style: ReminderStyle = ReminderStyle.CARD
    sound: bool = False
    card_minutes: int = 2
    # Presence (issue 9): reminders wait while the user is away (no input for away_minutes),
    # the screen is locked, do-not-disturb is on, a full-screen window is in front, or a meeting
    # is on (from a local .ics file or folder, or a running meeting app), and come once after.
    away_minutes: int = 5
    hold_when_away: bool = True
    hold_in_do_not_disturb: bool = True
    hold_in_fullscreen: bool = True
    calendar_path: str = ""
    meeting_apps: tuple[str, ...] = ()

    def validate(self) -> ReminderSettings:
        """Return self, or raise InputError naming the first bad value."""
        for name, low, high, what in (
            ("water_every_minutes", 15, 240, _("Water checks")),
            ("stretch_every_minutes", 15, 240, _("Stretch breaks")),
        ):
            if not low <= getattr(self, name) <= high:
                raise InputError(_("{what} must come every {low} to {high} minutes").format(
                    what=what, low=low, high=high))
        if self.water_from == self.water_until:
            raise InputError(_("the water reminder's hours must start and end at different "
                               "times"))
        if self.stretch_from == self.stretch_until:
            raise InputError(_("the working hours must start and end at different times"))
        if self.quiet_from == self.quiet_until:
            raise InputError(_("quiet hours must start and end at different times"))
        if len(self.breathe_times) > 8 or len(set(self.breathe_times)) != len(
                self.breathe_times):
            raise InputError(_("choose up to 8 different breathing times"))
        if not 1 <= self.breathe_minutes <= 5:
            raise InputError(_("a breathing exercise lasts 1 to 5 minutes"))
        if not 1.0 <= self.caffeine_half_life_hours <= 12.0:
            raise InputError(_("caffeine's half-life must be between 1 and 12 hours"))
        if not 5 <= self.caffeine_bedtime_mg <= 200:
            raise InputError(_("the caffeine left at bedtime must be between 5 and 200 mg"))
        if not 10 <= self.caffeine_drink_mg <= 500:
            raise InputError(_("a typical drink must have between 10 and 500 mg of caffeine"))
        if not 0 <= self.caffeine_notice_minutes <= 180:
            raise InputError(_("the last call comes 0 to 180 minutes before the cut-off"))
        if not 5 <= self.wind_down_minutes <= 180:
            raise InputError(_("wind-down comes 5 to 180 minutes before bedtime"))
        if not 0 <= self.sleep_log_minutes <= 240:
            raise InputError(_("the sleep reminder comes 0 to 240 minutes after waking"))
        if not isinstance(self.style, ReminderStyle):
            raise InputError(_("reminders show as a card, a notification or both"))
        if not 2 <= self.away_minutes <= 60:
            raise InputError(_("away means 2 to 60 minutes without using the computer"))
        if self.calendar_path and not _full_path(self.calendar_path):
            raise InputError(_("the meetings calendar must be a full path to an .ics file or "
                               "a folder"))
        if len(self.meeting_apps) > 16 or not all(
                isinstance(name, str) and _APP_NAME.fullmatch(name)
                for name in self.meeting_apps):
            raise InputError(_("meeting apps are up to 16 program names such as zoom or "
                               "teams"))
        if not 1 <= self.card_minutes <= 30:
            raise InputError(_("a reminder card stays 1 to 30 minutes"))
        if not all(isinstance(t, time) and t.tzinfo is None for t in (
                self.water_from, self.water_until, self.stretch_from, self.stretch_until,
                self.quiet_from, self.quiet_until, *self.breathe_times)):
            raise InputError(_("reminder times are clock times without a time zone"))
        for name in ("water_days", "stretch_days", "breathe_days", "caffeine_days",
                     "wind_down_days", "sleep_log_days"):
            days = getattr(self, name)
            if any(day not in EVERY_DAY for day in days) or len(set(days)) != len(days):
                raise InputError(_("weekdays are numbered 1 (Monday) to 7 (Sunday)"))
        return self

    def replace(self, **changes: Any) -> ReminderSettings:
        return _normalised(dataclasses.replace(self, **changes)).validate()

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> tuple[ReminderSettings, list[str]]:
        """Read leniently, like :meth:`Settings.from_dict`: bad values fall back to defaults."""
        values, problems = _lenient_values(cls(), data, "reminders.")
        try:
            return _normalised(dataclasses.replace(cls(), **values)).validate(), problems
        except InputError as error:
            problems.append(f"reminder settings reset to defaults: {error}")
            return cls(), problems


def _full_path(path: str) -> bool:
    """Whether *path* is an absolute path (POSIX, Windows drive or UNC) of sane length."""
    if len(path) > LONG_TEXT or "\0" in path:
        return False
    return path.startswith(("/", "\\\\")) or bool(_WINDOWS_PATH.match(path))


def _normalised(reminders: ReminderSettings) -> ReminderSettings:
    """Times and weekdays sorted, so equal settings compare equal; a style given by its name
    ("card", as settings.json spells it) as its ReminderStyle."""
    changes: dict[str, Any] = {"breathe_times": tuple(sorted(reminders.breathe_times))}
    style: object = reminders.style
    if isinstance(style, str):
        try:
            changes["style"] = ReminderStyle(style)
        except ValueError:
            raise InputError(_("reminders show as a card, a notification or both")) from None
    for f in dataclasses.fields(reminders):
        if f.name.endswith("_days"):
            changes[f.name] = tuple(sorted(getattr(reminders, f.name)))
    return dataclasses.replace(reminders, **changes)


@dataclass(frozen=True)
class Settings:
    """Preferences kept in the settings file (targets live with the habits in the database)."""

    day_start_hour: int = 4
    water_unit: str = "ml"
    bedtime: time = time(23, 0)
    wake_time: time = time(7, 0)
    # Region for the emergency number ("" = from the system locale).
    locale: str = ""
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    # Relief reminders are paused until this moment (None: not paused); survives a restart.
    paused_until: datetime | None = None
    # The first-run welcome (start at login, where the tray icon is) has been shown.
    welcomed: bool = False
    # The hint that GNOME needs the AppIndicator extension for a tray icon has been shown.
    tray_hint_shown: bool = False
    # "Log each twitch": the per-episode diary beside the daily rating.
    twitch_diary: TwitchDiary = TwitchDiary.AUTO
    # "Hide twitch charts for two weeks": until this moment (None: shown).
    twitch_charts_hidden_until: datetime | None = None

    def validate(self) -> Settings:
        """Return self, or raise InputError naming the first bad value."""
        if not 0 <= self.day_start_hour <= 12:
            raise InputError(_("the day must start between 00:00 and 12:00"))
        if self.water_unit not in WATER_UNITS:
            raise InputError(_("water unit must be ml or fl oz"))
        if self.bedtime == self.wake_time:
            raise InputError(_("bedtime and wake time must differ"))
        if self.bedtime.tzinfo is not None or self.wake_time.tzinfo is not None:
            raise InputError(_("bedtime and wake time are clock times without a time zone"))
        if self.locale and not _LOCALE.fullmatch(self.locale):
            raise InputError(_("the region must be a locale name like en_GB or a country code"))
        _check_end(self.paused_until, _("the pause needs a time zone"),
                   _("the pause must end between the years 2000 and 2200"))
        _check_end(self.twitch_charts_hidden_until,
                   _("the end of hiding the twitch charts needs a time zone"),
                   _("the twitch charts can be hidden until a day between the years 2000 and "
                     "2200"))
        self.reminders.validate()
        return self

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes).validate()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"version": SETTINGS_VERSION}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            data[f.name] = value.to_dict() if isinstance(value, ReminderSettings) \
                else _plain(value)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> tuple[Settings, list[str]]:
        """Read settings leniently: a bad or unknown value falls back to its default.

        Returns the settings and one line per value that was ignored, so the caller can log it.
        """
        defaults = cls()
        values, problems = _lenient_values(defaults, data, "")
        try:
            return dataclasses.replace(defaults, **values).validate(), problems
        except InputError as error:
            problems.append(f"settings reset to defaults: {error}")
            return defaults, problems


def _check_end(moment: datetime | None, no_zone: str, outside: str) -> None:
    """A stored end (of a pause, of hiding the charts): None, or aware and within
    PAUSE_WINDOW, so showing it in any time zone cannot overflow; else InputError."""
    if moment is None:
        return
    if moment.tzinfo is None:
        raise InputError(no_zone)
    try:
        inside = PAUSE_WINDOW[0] <= moment <= PAUSE_WINDOW[1]
    except OverflowError:
        inside = False
    if not inside:
        raise InputError(outside)


def _lenient_values(defaults: Any, data: dict[str, Any], prefix: str
                    ) -> tuple[dict[str, Any], list[str]]:
    """The values of *data* that suit *defaults*' fields, and one line per value ignored."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    known = {f.name for f in dataclasses.fields(defaults)}
    for name, raw in data.items():
        if name == "version":
            continue
        if name not in known:
            problems.append(f"unknown setting {prefix}{repr(name)[:60]} ignored")
            continue
        default = getattr(defaults, name)
        if isinstance(default, ReminderSettings):
            if not isinstance(raw, dict):
                problems.append(f"setting {prefix}{name!r} ignored: expected an object")
                continue
            values[name], inner = ReminderSettings.from_dict(raw)
            problems.extend(inner)
            continue
        try:
            values[name] = _coerce(raw, default, item_default=_ITEM_DEFAULTS.get(name),
                                   longest=LONG_TEXT if name in _LONG_TEXTS else 100)
            candidate = dataclasses.replace(defaults, **{name: values[name]})
            if isinstance(candidate, ReminderSettings):
                candidate = _normalised(candidate)
            candidate.validate()
        except (InputError, TypeError, ValueError) as error:
            # Cut short: a hostile file must not write megabytes to the log.
            problems.append(f"setting {prefix}{name!r}={repr(raw)[:60]} ignored: {error}")
            values.pop(name, None)
    return values, problems


def _plain(value: Any) -> Any:
    """A setting's value as JSON: times as HH:MM, moments as ISO 8601, tuples as lists."""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _coerce(raw: Any, default: Any, *, item_default: Any = None, longest: int = 100) -> Any:
    if default is None:
        # The settings without a default value are moments (the reminders' pause, the end of
        # hiding the twitch charts).
        if raw is None:
            return None
        if not isinstance(raw, str) or len(raw) > 40:
            raise TypeError("expected an ISO 8601 time or null")
        moment = datetime.fromisoformat(raw)
        if moment.tzinfo is None:
            raise ValueError("the time needs a UTC offset")
        return moment
    if isinstance(default, tuple):
        if not isinstance(raw, list) or len(raw) > 16:
            raise TypeError("expected a short list")
        if item_default is None:
            item_default = default[0] if default else 0
        return tuple(_coerce(item, item_default) for item in raw)
    if isinstance(default, float):
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise TypeError("expected a number")
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError("expected a finite number")
        return value
    if isinstance(default, bool):
        if not isinstance(raw, bool):
            raise TypeError("expected true or false")
        return raw
    if isinstance(default, int):
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise TypeError("expected a whole number")
        return raw
    if isinstance(default, time):
        if not isinstance(raw, str) or len(raw) > 8:
            raise TypeError("expected HH:MM")
        clock = time.fromisoformat(raw)
        if clock.tzinfo is not None or clock.second or clock.microsecond:
            raise ValueError("expected HH:MM")
        return clock
    if isinstance(default, str):
        if not isinstance(raw, str) or len(raw) > longest:
            raise TypeError("expected a short text")
        return raw
    if isinstance(default, enum.Enum):
        if not isinstance(raw, str) or len(raw) > longest:
            raise TypeError("expected a short text")
        return type(default)(raw)  # ValueError for a name it does not have
    raise TypeError(f"unsupported setting type {type(default).__name__}")


def twitch_charts_hidden(settings: Settings, now: datetime) -> bool:
    """Whether "Hide twitch charts for two weeks" is in force at *now*."""
    until = settings.twitch_charts_hidden_until
    return until is not None and now.astimezone(timezone.utc) < until.astimezone(timezone.utc)


def changed_keys(old: Settings, new: Settings) -> frozenset[str]:
    """What a save changed, for ``settings_changed``: the names of the top-level fields that
    differ, and for the reminders also ``"reminders.<field>"`` for each of theirs that does
    ("reminders" itself is in the set whenever one of them is). Empty when nothing changed."""
    keys: set[str] = set()
    for item in dataclasses.fields(Settings):
        if getattr(old, item.name) != getattr(new, item.name):
            keys.add(item.name)
    if "reminders" in keys:
        for item in dataclasses.fields(ReminderSettings):
            if getattr(old.reminders, item.name) != getattr(new.reminders, item.name):
                keys.add(f"reminders.{item.name}")
    return frozenset(keys)
