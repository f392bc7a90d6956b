"""The real clock: the system time in the user's IANA time zone (with its DST rules)."""

from __future__ import annotations

from datetime import datetime, tzinfo

import tzlocal


class SystemClock:
    """Reads the system clock; re-reads the zone on demand (the user may travel)."""

    def __init__(self) -> None:
        self._tz: tzinfo = tzlocal.get_localzone()

    @property
    def tz(self) -> tzinfo:
        return self._tz

    def refresh_zone(self) -> None:
        self._tz = tzlocal.reload_localzone()

    def now(self) -> datetime:
        return datetime.now(self._tz)
