"""The user's preferences, declared once with types, defaults and checks."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from desktop.core.days import hours_between
from desktop.core.errors import InputError
from desktop.core.formatting import WATER_UNITS
from desktop.core.i18n import _

SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Settings:
    """Preferences kept in the settings file (targets live with the habits in the database)."""

    day_start_hour: int = 4
    water_unit: str = "ml"
    bedtime: time = time(23, 0)
    wake_time: time = time(7, 0)
    # Region for the emergency number ("" = from the system locale).
    locale: str = ""

    def validate(self) -> Settings:
        """Return self, or raise InputError naming the first bad value."""
        if not 0 <= self.day_start_hour <= 12:
            raise InputError(_("the day must start between 00:00 and 12:00"))
        if self.water_unit not in WATER_UNITS:
            raise InputError(_("water unit must be ml or fl oz"))
        if self.bedtime == self.wake_time:
            raise InputError(_("bedtime and wake time must differ"))
        return self

    @property
    def planned_sleep_hours(self) -> float:
        """Hours between planned bedtime and wake time (bedtime taken on the evening before)."""
        bed = datetime.combine(date(2001, 1, 1), self.bedtime)
        wake = datetime.combine(date(2001, 1, 1), self.wake_time)
        if wake <= bed:
            wake += timedelta(days=1)
        return hours_between(bed, wake)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes).validate()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"version": SETTINGS_VERSION}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            data[field.name] = value.strftime("%H:%M") if isinstance(value, time) else value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> tuple[Settings, list[str]]:
        """Read settings leniently: a bad or unknown value falls back to its default.

        Returns the settings and one line per value that was ignored, so the caller can log it.
        """
        problems: list[str] = []
        defaults = cls()
        values: dict[str, Any] = {}
        known = {f.name: f for f in dataclasses.fields(cls)}
        for name, raw in data.items():
            if name == "version":
                continue
            if name not in known:
                problems.append(f"unknown setting {name!r} ignored")
                continue
            default = getattr(defaults, name)
            try:
                values[name] = _coerce(raw, default)
                dataclasses.replace(defaults, **{name: values[name]}).validate()
            except (InputError, TypeError, ValueError) as error:
                problems.append(f"setting {name!r}={raw!r} ignored: {error}")
                values.pop(name, None)
        try:
            return dataclasses.replace(defaults, **values).validate(), problems
        except InputError as error:
            problems.append(f"settings reset to defaults: {error}")
            return defaults, problems


def _coerce(raw: Any, default: Any) -> Any:
    if isinstance(default, bool):
        if not isinstance(raw, bool):
            raise TypeError("expected true or false")
        return raw
    if isinstance(default, int):
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise TypeError("expected a whole number")
        return raw
    if isinstance(default, time):
        if not isinstance(raw, str):
            raise TypeError("expected HH:MM")
        return time.fromisoformat(raw)
    if isinstance(default, str):
        if not isinstance(raw, str):
            raise TypeError("expected text")
        return raw
    raise TypeError(f"unsupported setting type {type(default).__name__}")
