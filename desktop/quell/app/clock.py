"""The real clock: the system time in the user's IANA time zone (with its DST rules)."""

from __future__ import annotations

import logging
import os
import time
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_zone() -> tzinfo:
    """The user's time zone as a ZoneInfo, so DST changes are known in advance.

    The common Linux cases are read directly ($TZ, the /etc/localtime link); anything else goes
    to tzlocal, which knows the Windows registry and macOS. (tzlocal costs ~5 ms to import, a
    noticeable share of start-up.)
    """
    name = os.environ.get("TZ", "").lstrip(":")
    if not name and os.name == "posix":
        try:
            target = os.path.realpath("/etc/localtime")
        except OSError:
            target = ""
        if "/zoneinfo/" in target:
            name = target.split("/zoneinfo/", 1)[1]
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    import tzlocal

    try:
        return tzlocal.get_localzone()
    except (ZoneInfoNotFoundError, ValueError, LookupError) as error:
        # A zone we cannot name: keep working with today's fixed offset (DST unknown).
        logging.getLogger(__name__).warning("unknown time zone (%s); using a fixed offset",
                                            error)
        fixed = datetime.now().astimezone().tzinfo
        assert fixed is not None
        return fixed


# How often the zone is looked up again, so a laptop that travels follows the new zone.
ZONE_CHECK_SECONDS = 60.0


class SystemClock:
    """Reads the system clock in the user's zone, re-reading the zone at most once a minute."""

    def __init__(self) -> None:
        self._tz: tzinfo = local_zone()
        self._zone_checked = time.monotonic()

    @property
    def tz(self) -> tzinfo:
        self._maybe_refresh_zone()
        return self._tz

    def now(self) -> datetime:
        self._maybe_refresh_zone()
        return datetime.now(self._tz)

    def _maybe_refresh_zone(self) -> None:
        if time.monotonic() - self._zone_checked >= ZONE_CHECK_SECONDS:
            self._zone_checked = time.monotonic()
            zone = local_zone()
            if zone != self._tz:
                logging.getLogger(__name__).info("time zone changed to %s", zone)
                self._tz = zone
