"""The clock the core is given: aware local datetimes, never read from the system here."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Protocol


class Clock(Protocol):
    """Supplies the current time and the user's time zone (with its DST rules)."""

    @property
    def tz(self) -> tzinfo: ...

    def now(self) -> datetime:
        """The current time as an aware datetime in :attr:`tz`."""
        ...
