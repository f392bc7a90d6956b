"""Whether a full-screen window is in front (a film, a game, a presentation): X11 and Windows.

X11: the window manager names the active window on the root (``_NET_ACTIVE_WINDOW``); it is
full-screen when its ``_NET_WM_STATE`` holds ``_NET_WM_STATE_FULLSCREEN``. Quell's own windows
never count. Quell keeps its own small Xlib connection (ctypes, no extra dependency); where
libX11 is missing, or Qt draws through Wayland, the source is simply unavailable.
Windows: ``SHQueryUserNotificationState`` says a Direct3D full-screen program or presentation
mode is on. Wayland and macOS offer no such question: unavailable there.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, ClassVar, Protocol

from quell.core.presence import Hold, HoldReason
from quell.platform.presence_sources import Since, x11_allowed

log = logging.getLogger(__name__)

XA_ATOM = 4
XA_CARDINAL = 6
XA_WINDOW = 33
_SUCCESS = 0


class _XErrorEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("display", ctypes.c_void_p),
                ("resourceid", ctypes.c_ulong), ("serial", ctypes.c_ulong),
                ("error_code", ctypes.c_ubyte), ("request_code", ctypes.c_ubyte),
                ("minor_code", ctypes.c_ubyte)]


_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(_XErrorEvent))


def _load(name: str) -> ctypes.CDLL | None:
    path = ctypes.util.find_library(name)
    if path is None:
        return None
    try:
        return ctypes.CDLL(path)
    except OSError:
        return None


class X11Display:
    """Quell's own Xlib connection to one X server (GUI thread only).

    Every request that could fail with an X error (a window closed meanwhile) runs with an
    error handler of ours in place, because Xlib's default one ends the process.
    """

    _shared: ClassVar[dict[str, X11Display]] = {}

    def __init__(self, xlib: ctypes.CDLL, pointer: int, name: str) -> None:
        self._xlib = xlib
        self._pointer = ctypes.c_void_p(pointer)
        self.name = name
        self._atoms: dict[str, int] = {}
        self._failed = False
        self._handler = _ERROR_HANDLER(self._on_error)   # kept alive while installed
        self._xss: ctypes.CDLL | bool | None = False      # False: not looked up yet
        self._xss_info: Any = None

    @classmethod
    def open(cls, name: str | None = None) -> X11Display | None:
        """A connection to *name* (default $DISPLAY), shared per name; None when impossible."""
        name = name if name is not None else os.environ.get("DISPLAY", "")
        if not name:
            return None
        shared = cls._shared.get(name)
        if shared is not None:
            return shared
        xlib = _load("X11")
        if xlib is None:
            log.info("libX11 is not installed: no X11 idle time or full-screen check")
            return None
        _declare_xlib(xlib)
        pointer = xlib.XOpenDisplay(name.encode())
        if not pointer:
            log.info("cannot open X display %s", name)
            return None
        display = cls(xlib, pointer, name)
        cls._shared[name] = display
        return display

    @classmethod
    def close_all(cls) -> None:
        """Close every shared connection (tests, before their X server stops)."""
        for display in list(cls._shared.values()):
            display.close()

    def close(self) -> None:
        if self._pointer:
            self._xlib.XCloseDisplay(self._pointer)
            self._pointer = ctypes.c_void_p(0)
        if self._shared.get(self.name) is self:
            del self._shared[self.name]

    def _on_error(self, _display: Any, _event: Any) -> int:
        self._failed = True
        return 0

    @contextmanager
    def _trapped(self) -> Iterator[None]:
        self._failed = False
        previous = self._xlib.XSetErrorHandler(ctypes.cast(self._handler, ctypes.c_void_p))
        try:
            yield
            self._xlib.XSync(self._pointer, 0)
        finally:
            self._xlib.XSetErrorHandler(previous)

    def root(self) -> int:
        return int(self._xlib.XDefaultRootWindow(self._pointer))

    def atom(self, name: str) -> int:
        if name not in self._atoms:
            self._atoms[name] = int(self._xlib.XInternAtom(self._pointer, name.encode(), 0))
        return self._atoms[name]

    def cardinals(self, window: int, prop: str, kind: int) -> list[int] | None:
        """A 32-bit list property (windows, atoms, numbers) of *window*, or None if it has
        none or the window is gone."""
        actual_type = ctypes.c_ulong()
        actual_format = ctypes.c_int()
        count = ctypes.c_ulong()
        after = ctypes.c_ulong()
        data = ctypes.POINTER(ctypes.c_ulong)()
        with self._trapped():
            status = self._xlib.XGetWindowProperty(
                self._pointer, ctypes.c_ulong(window), ctypes.c_ulong(self.atom(prop)),
                0, 1024, 0, ctypes.c_ulong(kind), ctypes.byref(actual_type),
                ctypes.byref(actual_format), ctypes.byref(count), ctypes.byref(after),
                ctypes.byref(data))
        try:
            if self._failed or status != _SUCCESS or actual_format.value != 32:
                return None
            # Format 32 comes back as C longs, whatever their width.
            return [int(data[i]) & 0xFFFFFFFF for i in range(count.value)]
        finally:
            if data:
                self._xlib.XFree(data)

    def idle_ms(self) -> int | None:
        """Milliseconds since the last input (MIT-SCREEN-SAVER), None without the extension."""
        if self._xss is False:
            self._xss = self._screensaver_extension()
        if not self._xss or not self._pointer:
            return None
        assert isinstance(self._xss, ctypes.CDLL)
        with self._trapped():
            status = self._xss.XScreenSaverQueryInfo(
                self._pointer, ctypes.c_ulong(self.root()), self._xss_info)
        if self._failed or not status:
            return None
        return int(self._xss_info.contents.idle)

    def _screensaver_extension(self) -> ctypes.CDLL | None:
        xss = _load("Xss")
        if xss is None:
            log.info("libXss is not installed: no X11 idle time")
            return None
        xss.XScreenSaverQueryExtension.argtypes = [
            ctypes.c_void_p, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int)]
        xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_XScreenSaverInfo)
        xss.XScreenSaverQueryInfo.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_XScreenSaverInfo)]
        event, error = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(self._pointer, ctypes.byref(event),
                                              ctypes.byref(error)):
            log.info("the X server %s has no MIT-SCREEN-SAVER extension", self.name)
            return None
        self._xss_info = xss.XScreenSaverAllocInfo()
        return xss if self._xss_info else None


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [("window", ctypes.c_ulong), ("state", ctypes.c_int), ("kind", ctypes.c_int),
                ("til_or_since", ctypes.c_ulong), ("idle", ctypes.c_ulong),
                ("eventMask", ctypes.c_ulong)]


def _declare_xlib(xlib: ctypes.CDLL) -> None:
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    xlib.XDefaultRootWindow.restype = ctypes.c_ulong
    xlib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    xlib.XInternAtom.restype = ctypes.c_ulong
    xlib.XGetWindowProperty.argtypes = [
        ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long,
        ctypes.c_int, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong))]
    xlib.XGetWindowProperty.restype = ctypes.c_int
    xlib.XFree.argtypes = [ctypes.c_void_p]
    xlib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    xlib.XSetErrorHandler.argtypes = [ctypes.c_void_p]
    xlib.XSetErrorHandler.restype = ctypes.c_void_p


class WindowProperties(Protocol):
    """What the full-screen check needs of a display (X11Display; a fake in tests)."""

    def root(self) -> int: ...
    def cardinals(self, window: int, prop: str, kind: int) -> list[int] | None: ...
    def atom(self, name: str) -> int: ...


def fullscreen_window(display: WindowProperties, own: Callable[[int], bool]) -> int | None:
    """The active window if it is full-screen and not one of ours (*own*), else None."""
    active = display.cardinals(display.root(), "_NET_ACTIVE_WINDOW", XA_WINDOW)
    if not active or active[0] == 0:
        return None
    window = active[0]
    if own(window):
        return None
    pid = display.cardinals(window, "_NET_WM_PID", XA_CARDINAL)
    if pid and pid[0] == os.getpid():
        return None
    state = display.cardinals(window, "_NET_WM_STATE", XA_ATOM)
    if not state or display.atom("_NET_WM_STATE_FULLSCREEN") not in state:
        return None
    return window


def own_window_ids() -> set[int]:
    """The X ids of Quell's visible top-level windows (none without a Qt GUI)."""
    qtgui = sys.modules.get("PySide6.QtGui")
    if qtgui is None or qtgui.QGuiApplication.instance() is None:
        return set()
    # Only visible windows: asking a hidden one for winId() would create a native window.
    return {int(window.winId()) for window in qtgui.QGuiApplication.topLevelWindows()
            if window.isVisible()}


# SHQueryUserNotificationState answers (shellapi.h QUERY_USER_NOTIFICATION_STATE).
QUNS_NOT_PRESENT = 1
QUNS_BUSY = 2
QUNS_RUNNING_D3D_FULL_SCREEN = 3
QUNS_PRESENTATION_MODE = 4
QUNS_ACCEPTS_NOTIFICATIONS = 5
QUNS_QUIET_TIME = 6
QUNS_APP = 7


def notification_state() -> int | None:
    """Windows' SHQueryUserNotificationState, or None elsewhere or when it fails."""
    if sys.platform != "win32":
        return None
    try:
        shell32 = ctypes.WinDLL("shell32")
        state = ctypes.c_int()
        if shell32.SHQueryUserNotificationState(ctypes.byref(state)) != 0:
            return None
        return state.value
    except (OSError, AttributeError):
        return None


class FullscreenSource:
    """Holds reminders while a full-screen window is in front (not Quell's own)."""

    reason = HoldReason.FULLSCREEN

    def __init__(self, display: str | None = None,
                 own: Callable[[int], bool] | None = None) -> None:
        """*display*: an X display to ask (default $DISPLAY, only when Qt draws through
        xcb); *own*: tells Quell's windows (default: its visible top-level windows)."""
        self._display_name = display
        self._own = own or (lambda window: window in own_window_ids())
        self._since = Since()
        self._window: int | None = None
        self._available: bool | None = None

    def available(self) -> bool:
        if self._available is None:
            if sys.platform == "win32":
                self._available = True
            elif self._display_name is not None or x11_allowed():
                self._available = X11Display.open(self._display_name) is not None
            else:
                self._available = False
        return self._available

    def read(self, now: datetime) -> Hold | None:
        window = self._fullscreen()
        if window is None:
            self._since.end()
            self._window = None
            return None
        if window != self._window:
            self._since.end()   # another full-screen window: held since it came to front
            self._window = window
        return Hold(self.reason, self._since.since(now))

    def set_listener(self, callback: Callable[[], None] | None) -> None:
        """Nothing tells of full-screen windows: this source is only read."""

    def _fullscreen(self) -> int | None:
        if not self.available():
            return None
        if sys.platform == "win32":
            state = notification_state()
            if state in (QUNS_RUNNING_D3D_FULL_SCREEN, QUNS_PRESENTATION_MODE):
                return state
            return None
        display = X11Display.open(self._display_name)
        if display is None:
            return None
        return fullscreen_window(display, self._own)
