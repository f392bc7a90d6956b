"""The presence sources of this desktop, and what they share: a time budget for reads, calls
that answer None instead of raising, and "held since" kept across reads.

Every source here reads the desktop only when asked (``read``) or told (D-Bus signals): none
polls by itself, so an idle Quell stays asleep (the composite in ``quell.scheduling.presence``
polls at most once a minute, and only while something is held).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from jeepney import DBusAddress, MatchRule, Message, MessageFlag, new_method_call

from quell.core.presence import Hold, HoldReason
from quell.platform.dbus import Bus, DBusError, DBusUnavailable

if TYPE_CHECKING:
    from quell.core.settings import Settings
    from quell.scheduling.presence import PresenceSource

log = logging.getLogger(__name__)

# A read never waits longer than this for the desktop, even when a service hangs.
READ_BUDGET = 0.25
# A service that did not answer in time is left alone this long (seconds) before it is asked
# again, so a hung desktop component costs one short wait a minute, not one every read.
BENCH_SECONDS = 60.0


def default_sources(settings: Callable[[], Settings]) -> list[PresenceSource]:
    """Every presence source this platform may offer, in PRIORITY order of their reasons.

    A source the desktop lacks answers ``available() == False`` or None from ``read``; the list
    is the same everywhere so the composite needs no platform checks. Each is built (and its
    module imported) the first time a reminder is due, not at start-up: a tray app waiting for
    its next reminder need not hold them.
    """
    def lock() -> PresenceSource:
        from quell.platform.session_lock import LockSource
        return LockSource()

    def away() -> PresenceSource:
        from quell.platform.idle import AwaySource
        return AwaySource(lambda: timedelta(minutes=settings().reminders.away_minutes))

    def calendar() -> PresenceSource:
        from quell.platform.meetings import CalendarMeetings
        return CalendarMeetings(lambda: settings().reminders.calendar_path)

    def apps() -> PresenceSource:
        from quell.platform.meetings import MeetingApps
        return MeetingApps(lambda: settings().reminders.meeting_apps)

    def fullscreen() -> PresenceSource:
        from quell.platform.fullscreen import FullscreenSource
        return FullscreenSource()

    def dnd() -> PresenceSource:
        from quell.platform.dnd import DoNotDisturbSource
        return DoNotDisturbSource()

    return [
        DeferredSource(HoldReason.SCREEN_LOCKED, lock),
        DeferredSource(HoldReason.AWAY, away),
        DeferredSource(HoldReason.MEETING, calendar),
        DeferredSource(HoldReason.MEETING, apps),
        DeferredSource(HoldReason.FULLSCREEN, fullscreen),
        DeferredSource(HoldReason.DO_NOT_DISTURB, dnd),
    ]


class DeferredSource:
    """A presence source built on first use (a PresenceSource itself)."""

    def __init__(self, reason: HoldReason, make: Callable[[], PresenceSource]) -> None:
        self.reason = reason
        self._make = make
        self._source: PresenceSource | None = None

    @property
    def source(self) -> PresenceSource:
        """The real source (built now if it was not yet)."""
        if self._source is None:
            self._source = self._make()
        return self._source

    def available(self) -> bool:
        return self.source.available()

    def read(self, now: datetime) -> Hold | None:
        return self.source.read(now)

    def set_listener(self, callback: Callable[[], None] | None) -> None:
        if callback is None and self._source is None:
            return  # never listened: nothing to stop, nothing to build
        self.source.set_listener(callback)


class Budget:
    """The time left for one read: each blocking call gets at most what remains."""

    def __init__(self, seconds: float = READ_BUDGET) -> None:
        self._deadline = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.0, self._deadline - time.monotonic())

    def spent(self) -> bool:
        # Under 20 ms a round trip is not worth starting: it would only overrun.
        return self.left() < 0.02


class Since:
    """When a state began, kept across reads and given in the caller's clock.

    Signals carry no time the caller's clock knows, so a start told by a signal is kept on the
    monotonic clock and given at the next read as ``now - elapsed``; from then on the same
    moment is given back each read (a hold that goes on keeps one ``since``).
    """

    def __init__(self) -> None:
        self._started: float | None = None
        self._since: datetime | None = None

    def begin(self) -> None:
        """The state holds from now on (kept if it already held)."""
        if self._started is None:
            self._started = time.monotonic()

    def end(self) -> None:
        self._started = None
        self._since = None

    def since(self, now: datetime) -> datetime:
        """When it began, in *now*'s frame (now, when it begins with this read)."""
        if self._since is None:
            if self._started is None:
                self._started = time.monotonic()
                self._since = now
            else:
                elapsed = max(0.0, time.monotonic() - self._started)
                self._since = now - timedelta(seconds=round(elapsed, 3))
        return self._since


class BusCaller:
    """Calls one service on a bus and answers None when anything goes wrong.

    A missing bus, a missing service, an error reply or a timeout are all "unknown": the caller
    gets None and nothing is raised. A timeout benches the service for BENCH_SECONDS.
    """

    def __init__(self, which: str, service: str) -> None:
        self.which = which          # "session" or "system"
        self.service = service
        self._benched_until = 0.0
        self._logged: set[str] = set()

    def bus(self) -> Bus | None:
        if sys.platform == "win32":  # no D-Bus there (and no AF_UNIX to reach one)
            return None
        try:
            return Bus.session() if self.which == "session" else Bus.system()
        except DBusUnavailable:
            return None

    def benched(self) -> bool:
        return time.monotonic() < self._benched_until

    def call(self, message: Message, timeout: float = READ_BUDGET) -> tuple[Any, ...] | None:
        """The reply's body, or None (no bus, no service, an error, no answer in *timeout*)."""
        if self.benched() or timeout <= 0:
            return None
        bus = self.bus()
        if bus is None:
            return None
        # Never start a service just to ask it (a property read must not launch a
        # notification daemon or a screen saver).
        message.header.flags |= MessageFlag.no_auto_start
        try:
            return tuple(bus.call(message, timeout=min(timeout, READ_BUDGET)))
        except DBusError as error:
            if error.name in ("org.freedesktop.DBus.Error.NoReply",
                              "org.freedesktop.DBus.Error.Timeout",
                              "org.freedesktop.DBus.Error.TimedOut"):
                self._benched_until = time.monotonic() + BENCH_SECONDS
            self._log_once(error.name, error.message)
            return None
        except DBusUnavailable as error:
            self._log_once("unavailable", str(error))
            return None

    def get_property(self, path: str, interface: str, name: str,
                     timeout: float = READ_BUDGET) -> Any:
        """One property's value, or None (as for :meth:`call`)."""
        address = DBusAddress(path, bus_name=self.service,
                              interface="org.freedesktop.DBus.Properties")
        body = self.call(new_method_call(address, "Get", "ss", (interface, name)), timeout)
        if not body:
            return None
        value = body[0]
        # jeepney gives a variant as (signature, value).
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
            return value[1]
        return value

    def _log_once(self, key: str, text: str) -> None:
        if key not in self._logged:
            self._logged.add(key)
            log.debug("%s on the %s bus: %s %s", self.service, self.which, key, text)


class Subscriptions:
    """The signal subscriptions of one source; all dropped at once."""

    def __init__(self) -> None:
        self._cancel: list[Callable[[], None]] = []

    def add(self, bus: Bus | None, handler: Callable[[Message], None], **rule: str) -> bool:
        if bus is None:
            return False
        try:
            self._cancel.append(bus.subscribe(MatchRule(type="signal", **rule), handler))
        except (DBusError, DBusUnavailable) as error:
            log.debug("cannot subscribe to %s: %s", rule, error)
            return False
        return True

    def clear(self) -> None:
        cancel, self._cancel = self._cancel, []
        for unsubscribe in cancel:
            try:
                unsubscribe()
            except Exception:  # the bus may be gone already; the match died with it
                log.debug("unsubscribe failed", exc_info=True)

    def __bool__(self) -> bool:
        return bool(self._cancel)


def x11_allowed() -> bool:
    """Whether X11 may be asked: DISPLAY is set and Qt (if running) draws through xcb.

    Under Wayland with XWayland, DISPLAY is set too but the X server sees only X clients: its
    idle time and active window would be wrong, so X11 is not asked then.
    """
    if sys.platform in ("win32", "darwin") or not os.environ.get("DISPLAY"):
        return False
    qtgui = sys.modules.get("PySide6.QtGui")  # never import Qt just to ask
    if qtgui is None or qtgui.QGuiApplication.instance() is None:
        return True
    return bool(qtgui.QGuiApplication.platformName() == "xcb")
