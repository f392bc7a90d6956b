"""Entries (one logged amount of one habit) and targets (a goal in force from a day on)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


class Source(enum.Enum):
    """Where an entry came from; kept for history and debugging."""

    TRAY = "tray"
    WINDOW = "window"
    REMINDER = "reminder"
    CLI = "cli"
    IMPORT = "import"


@dataclass(frozen=True)
class Entry:
    """A logged amount of one habit, in the habit's base unit.

    ``at`` is aware and carries the UTC offset in force when it was logged; for sleep it is the
    wake time. ``detail`` holds extra facts (a sleep's bed and wake times, a preset's name, a
    workout's intensity) as JSON-compatible values.
    """

    habit: str
    at: datetime
    day: date
    amount: float
    note: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    source: Source = Source.WINDOW
    id: int | None = None


@dataclass(frozen=True)
class Target:
    """A habit's goal from ``effective_from`` on (until a later target replaces it).

    ``value`` is the at-least or at-most number, or the lower end of a range; ``value_max`` the
    upper end of a range. Both are None for habits that are tracked without a goal.
    """

    habit: str
    value: float | None
    value_max: float | None
    effective_from: date
