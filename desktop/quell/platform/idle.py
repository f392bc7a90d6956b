"""Time away from the keyboard: how long since the last input, from whatever this desktop
offers (GNOME's Mutter, the freedesktop screen saver of KDE and others, X11, Windows, macOS).

Readers are tried in order and the first that answers wins; a reader that cannot answer says
None ("unknown"), so a desktop that offers none simply never holds reminders for being away.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from jeepney import DBusAddress, Message, new_method_call

from quell.core.presence import Hold, HoldReason
from quell.platform.presence_sources import Budget, BusCaller, Subscriptions, x11_allowed

log = logging.getLogger(__name__)

MUTTER = DBusAddress("/org/gnome/Mutter/IdleMonitor/Core",
                     bus_name="org.gnome.Mutter.IdleMonitor",
                     interface="org.gnome.Mutter.IdleMonitor")
SCREENSAVER = DBusAddress("/org/freedesktop/ScreenSaver", bus_name="org.freedesktop.ScreenSaver",
                          interface="org.freedesktop.ScreenSaver")


class IdleReader(Protocol):
    """Seconds since the user's last input, or None when this reader cannot tell."""

    def idle_seconds(self) -> float | None: ...


class MutterIdle:
    """GNOME: org.gnome.Mutter.IdleMonitor GetIdletime (milliseconds).

    It can also say at once when the user comes back (a one-shot "user active" watch): armed
    only after a read found the user away and only while someone listens, so an active user
    never causes a wake-up per keystroke.
    """

    def __init__(self) -> None:
        self._bus = BusCaller("session", MUTTER.bus_name or "")
        self._subscriptions = Subscriptions()
        self._callback: Callable[[], None] | None = None
        self._watch: int | None = None

    def available(self) -> bool:
        return self._bus.bus() is not None

    def idle_seconds(self) -> float | None:
        body = self._bus.call(new_method_call(MUTTER, "GetIdletime"))
        if not body:
            return None
        return int(body[0]) / 1000.0

    def set_listener(self, callback: Callable[[], None] | None) -> None:
        self._subscriptions.clear()
        if self._watch is not None:
            self._bus.call(new_method_call(MUTTER, "RemoveWatch", "u", (self._watch,)))
            self._watch = None
        self._callback = callback
        if callback is not None:
            self._subscriptions.add(self._bus.bus(), self._on_watch_fired,
                                    sender=MUTTER.bus_name or "", path=MUTTER.object_path,
                                    interface=MUTTER.interface or "", member="WatchFired")

    def arm(self) -> None:
        """Tell the listener when the user is next active (once); the user is away now."""
        if self._callback is None or self._watch is not None or not self._subscriptions:
            return
        body = self._bus.call(new_method_call(MUTTER, "AddUserActiveWatch"))
        if body:
            self._watch = int(body[0])

    def _on_watch_fired(self, message: Message) -> None:
        if self._watch is None or not message.body or int(message.body[0]) != self._watch:
            return
        self._watch = None   # a user-active watch fires once and is gone
        if self._callback is not None:
            self._callback()


class ScreenSaverIdle:
    """KDE and others: org.freedesktop.ScreenSaver GetSessionIdleTime. The old draft spec says
    seconds, but KDE's screen locker (the main one that answers) gives KIdleTime's
    milliseconds, and so do the peers that read it; milliseconds it is. GNOME's refuses, as
    does KDE's on Wayland ("not supported"): then unknown."""

    def __init__(self) -> None:
        self._bus = BusCaller("session", SCREENSAVER.bus_name or "")

    def available(self) -> bool:
        return self._bus.bus() is not None

    def idle_seconds(self) -> float | None:
        body = self._bus.call(new_method_call(SCREENSAVER, "GetSessionIdleTime"))
        if not body:
            return None
        return int(body[0]) / 1000.0


class X11Idle:
    """The X server's MIT-SCREEN-SAVER extension (libXss), only where Qt draws on X11."""

    def __init__(self, display: str | None = None) -> None:
        """*display*: an X display to ask; default $DISPLAY when Qt runs on xcb (or not at
        all): under Wayland the X server sees only X clients' input."""
        self._display = display

    def available(self) -> bool:
        return self._display is not None or x11_allowed()

    def idle_seconds(self) -> float | None:
        from quell.platform.fullscreen import X11Display

        if not self.available():
            return None
        display = X11Display.open(self._display)
        if display is None:
            return None
        idle = display.idle_ms()
        return idle / 1000.0 if idle is not None else None


class _LastInputInfo(ctypes.Structure):
    _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint)]


class WindowsIdle:
    """Windows: GetLastInputInfo against the tick count (both wrap after 49.7 days)."""

    def available(self) -> bool:
        return sys.platform == "win32"

    def idle_seconds(self) -> float | None:
        if sys.platform != "win32":
            return None
        try:
            user32 = ctypes.WinDLL("user32")
            kernel32 = ctypes.WinDLL("kernel32")
            info = _LastInputInfo(ctypes.sizeof(_LastInputInfo), 0)
            if not user32.GetLastInputInfo(ctypes.byref(info)):
                return None
            kernel32.GetTickCount.restype = ctypes.c_uint
            return ((kernel32.GetTickCount() - info.dwTime) & 0xFFFFFFFF) / 1000.0
        except (OSError, AttributeError):
            return None


class MacIdle:
    """macOS: CGEventSourceSecondsSinceLastEventType over every input event type."""

    _ANY_INPUT = 0xFFFFFFFF       # kCGAnyInputEventType
    _COMBINED_SESSION = 0         # kCGEventSourceStateCombinedSessionState

    def __init__(self) -> None:
        self._graphics: ctypes.CDLL | None = None

    def available(self) -> bool:
        return sys.platform == "darwin"

    def idle_seconds(self) -> float | None:
        if sys.platform != "darwin":
            return None
        try:
            if self._graphics is None:
                path = ctypes.util.find_library("CoreGraphics") or (
                    "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics")
                graphics = ctypes.CDLL(path)
                graphics.CGEventSourceSecondsSinceLastEventType.argtypes = [
                    ctypes.c_int32, ctypes.c_uint32]
                graphics.CGEventSourceSecondsSinceLastEventType.restype = ctypes.c_double
                self._graphics = graphics
            return float(self._graphics.CGEventSourceSecondsSinceLastEventType(
                self._COMBINED_SESSION, self._ANY_INPUT))
        except (OSError, AttributeError):
            return None


def default_idle_readers() -> list[IdleReader]:
    if sys.platform == "win32":
        return [WindowsIdle()]
    if sys.platform == "darwin":
        return [MacIdle()]
    return [MutterIdle(), ScreenSaverIdle(), X11Idle()]


class AwaySource:
    """Holds reminders while nobody has touched keyboard or mouse for ``away_after()``.

    ``since`` is when the last input was (now − idle time). Poll-only, except on GNOME, where
    Mutter says at once when the user is back (see :class:`MutterIdle`).
    """

    reason = HoldReason.AWAY

    def __init__(self, away_after: Callable[[], timedelta],
                 idle_readers: Sequence[IdleReader] | None = None) -> None:
        self._away_after = away_after
        self._readers = list(idle_readers) if idle_readers is not None else (
            default_idle_readers())
        self._available: bool | None = None
        self._answered: IdleReader | None = None
        self._away = False

    def available(self) -> bool:
        if self._available is None:
            self._available = any(_reader_available(reader) for reader in self._readers)
        return self._available

    def idle_seconds(self) -> float | None:
        """From the first reader that answers within the read budget (None: unknown)."""
        budget = Budget()
        for reader in self._readers:
            if budget.spent():
                break
            idle = reader.idle_seconds()
            if idle is not None and idle >= 0:
                self._answered = reader
                return idle
        return None

    def read(self, now: datetime) -> Hold | None:
        idle = self.idle_seconds()
        self._away = idle is not None and idle >= self._away_after().total_seconds()
        if idle is None or not self._away:
            return None
        self._arm()
        return Hold(self.reason, now - timedelta(seconds=idle))

    def set_listener(self, callback: Callable[[], None] | None) -> None:
        for reader in self._readers:
            listen = getattr(reader, "set_listener", None)
            if listen is not None:
                listen(callback)
        if callback is not None and self._away:
            self._arm()   # the read that found the user away came before the listener

    def _arm(self) -> None:
        arm = getattr(self._answered, "arm", None)
        if arm is not None:
            arm()


def _reader_available(reader: IdleReader) -> bool:
    available = getattr(reader, "available", None)
    return bool(available()) if available is not None else True
