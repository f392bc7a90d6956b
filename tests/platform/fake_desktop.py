"""The desktop's part in presence tests: services on a private bus (Mutter's idle monitor, the
screen savers, logind, a minimal notification server) and an X server with a stand-in window
manager.

Each D-Bus fake is a ``tests.dbus_daemon.TestService`` with the state a test changes directly
(``idle_ms``, ``active``, ``locked``...), a way to make it fail (``error``: reply with that
D-Bus error) or hang (``hang``: answer nothing for 2 s), and ``emit_*`` for its signals.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.dbus_daemon import ServiceError, TestService

PROPERTIES = "org.freedesktop.DBus.Properties"
FAILED = "org.freedesktop.DBus.Error.Failed"


class FakeService:
    """State and failure switches shared by the fakes below."""

    def __init__(self) -> None:
        self.error: str | None = None
        self.hang = False
        self._release = threading.Event()
        self.service: TestService

    def _answer(self, value: Callable[[], tuple[Any, ...]]) -> Callable[..., tuple[Any, ...]]:
        def handler(*_args: Any) -> tuple[Any, ...]:
            if self.hang:
                self._release.wait(2.0)
            if self.error is not None:
                raise ServiceError(self.error, "this fake was told to fail")
            return value()
        return handler

    def calls_to(self, member: str) -> list[tuple[Any, ...]]:
        return self.service.calls_to(member)

    def close(self) -> None:
        self._release.set()
        self.service.close()


MUTTER = "org.gnome.Mutter.IdleMonitor"
MUTTER_PATH = "/org/gnome/Mutter/IdleMonitor/Core"


class FakeMutterIdle(FakeService):
    """org.gnome.Mutter.IdleMonitor at /org/gnome/Mutter/IdleMonitor/Core: GetIdletime (ms),
    AddUserActiveWatch / RemoveWatch, and WatchFired (``user_active()`` fires the watches)."""

    def __init__(self, address: str, idle_ms: int = 0) -> None:
        super().__init__()
        self.idle_ms = idle_ms
        self.watches: list[int] = []
        self._next_watch = 40

        def add_watch() -> tuple[Any, ...]:
            self._next_watch += 1
            self.watches.append(self._next_watch)
            return (self._next_watch,)

        def remove_watch(watch: int) -> tuple[Any, ...]:
            if watch in self.watches:
                self.watches.remove(watch)
            return ()

        self.service = TestService(address, MUTTER, {
            (MUTTER, "GetIdletime"): ("t", self._answer(lambda: (self.idle_ms,))),
            (MUTTER, "AddUserActiveWatch"): ("u", self._answer(add_watch)),
            (MUTTER, "RemoveWatch"): ("", remove_watch),
        })

    def user_active(self) -> None:
        """The user touched the keyboard: idle time 0, each user-active watch fires once."""
        self.idle_ms = 0
        watches, self.watches = self.watches, []
        for watch in watches:
            self.service.emit(MUTTER_PATH, MUTTER, "WatchFired", "u", (watch,))


class FakeScreenSaver(FakeService):
    """org.freedesktop.ScreenSaver (or org.gnome.ScreenSaver): GetActive, GetSessionIdleTime
    (milliseconds, as KDE answers; *idle_ms* None: refuses, as GNOME's does), ActiveChanged."""

    def __init__(self, address: str, name: str = "org.freedesktop.ScreenSaver",
                 active: bool = False, idle_ms: int | None = 0) -> None:
        super().__init__()
        self.name = name
        self.active = active
        self.idle_ms = idle_ms
        self.path = "/" + name.replace(".", "/")

        def idle() -> tuple[Any, ...]:
            if self.idle_ms is None:
                raise ServiceError("org.freedesktop.DBus.Error.NotSupported",
                                   "This method is not implemented")
            return (self.idle_ms,)

        self.service = TestService(address, name, {
            (name, "GetActive"): ("b", self._answer(lambda: (self.active,))),
            (name, "GetSessionIdleTime"): ("u", self._answer(idle)),
        })

    def emit_active_changed(self, active: bool) -> None:
        self.active = active
        self.service.emit(self.path, self.name, "ActiveChanged", "b", (active,))


LOGIND = "org.freedesktop.login1"
MANAGER_PATH = "/org/freedesktop/login1"
MANAGER = "org.freedesktop.login1.Manager"
SESSION = "org.freedesktop.login1.Session"


class FakeLogind(FakeService):
    """logind on a "system" bus: Manager GetSession / GetSessionByPID, PrepareForSleep; one
    Session (id *session_id*) with Lock / Unlock signals and the LockedHint property
    (``locked`` None: a logind without it)."""

    def __init__(self, address: str, session_id: str = "7") -> None:
        super().__init__()
        self.session_id = session_id
        self.session_path = f"{MANAGER_PATH}/session/_3{session_id}"
        self.locked: bool | None = False

        def get_session(session: str) -> tuple[Any, ...]:
            if session != self.session_id:
                raise ServiceError("org.freedesktop.login1.NoSuchSession",
                                   f"No session '{session}' known")
            return (self.session_path,)

        def get_property(interface: str, name: str) -> tuple[Any, ...]:
            if (interface, name) != (SESSION, "LockedHint") or self.locked is None:
                raise ServiceError("org.freedesktop.DBus.Error.UnknownProperty", name)
            return (("b", self.locked),)

        self.service = TestService(address, LOGIND, {
            (MANAGER, "GetSession"): ("o", self._answer_with(get_session)),
            (MANAGER, "GetSessionByPID"): ("o", self._answer(lambda: (self.session_path,))),
            (PROPERTIES, "Get"): ("v", self._answer_with(get_property)),
        })

    def _answer_with(self, handler: Callable[..., tuple[Any, ...]]
                     ) -> Callable[..., tuple[Any, ...]]:
        def answer(*args: Any) -> tuple[Any, ...]:
            return self._answer(lambda: handler(*args))()
        return answer

    def emit_prepare_for_sleep(self, sleeping: bool) -> None:
        self.service.emit(MANAGER_PATH, MANAGER, "PrepareForSleep", "b", (sleeping,))

    def emit_lock(self) -> None:
        self.service.emit(self.session_path, SESSION, "Lock")

    def emit_unlock(self) -> None:
        self.service.emit(self.session_path, SESSION, "Unlock")

    def set_locked_hint(self, locked: bool) -> None:
        self.locked = locked
        self.service.emit(self.session_path, PROPERTIES, "PropertiesChanged", "sa{sv}as",
                          (SESSION, {"LockedHint": ("b", locked)}, []))


NOTIFICATIONS = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"


class MinimalNotificationServer(FakeService):
    """A minimal notification server with the ``Inhibited`` property (do-not-disturb) that
    can fail or hang (tests/platform/fake_notifications.py is the full one);
    *inhibited* None: a server without that property (most of them)."""

    def __init__(self, address: str, inhibited: bool | None = False) -> None:
        super().__init__()
        self.inhibited = inhibited

        def get_property(interface: str, name: str) -> tuple[Any, ...]:
            if (interface, name) != (NOTIFICATIONS, "Inhibited") or self.inhibited is None:
                raise ServiceError("org.freedesktop.DBus.Error.UnknownProperty",
                                   f"No such property '{name}'")
            return (("b", self.inhibited),)

        self.service = TestService(address, NOTIFICATIONS, {
            (PROPERTIES, "Get"): ("v", lambda interface, name: self._answer(
                lambda: get_property(interface, name))()),
            (NOTIFICATIONS, "GetCapabilities"): ("as", self._answer(lambda: (["body"],))),
        })

    def set_inhibited(self, inhibited: bool) -> None:
        self.inhibited = inhibited
        self.service.emit(NOTIFICATIONS_PATH, PROPERTIES, "PropertiesChanged", "sa{sv}as",
                          (NOTIFICATIONS, {"Inhibited": ("b", inhibited)}, []))


@contextmanager
def serving(fake: FakeService) -> Iterator[FakeService]:
    try:
        yield fake
    finally:
        fake.close()


# --- X11 ---------------------------------------------------------------------------------

def xvfb_path() -> str | None:
    return shutil.which("Xvfb")


def need_xvfb() -> str:
    """Xvfb's path; skips where it is missing, but fails under CI (which installs it)."""
    path = xvfb_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Xvfb is not installed: CI must install it (Debian: apt install xvfb)")
        pytest.skip("Xvfb is not installed (Debian: apt install xvfb)")
    return path


@contextmanager
def xvfb() -> Iterator[str]:
    """An X server of our own; yields its display name (":N")."""
    path = need_xvfb()
    with tempfile.TemporaryDirectory(prefix="quell-x-") as folder:
        ready_read, ready_write = os.pipe()
        # -displayfd: Xvfb picks a free display and writes its number when it is ready.
        process = subprocess.Popen(
            [path, "-displayfd", str(ready_write), "-screen", "0", "640x480x24",
             "-nolisten", "tcp", "-noreset"],
            pass_fds=(ready_write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd=folder)
        os.close(ready_write)
        try:
            number = b""
            deadline = time.monotonic() + 20
            while not number.endswith(b"\n") and time.monotonic() < deadline:
                chunk = os.read(ready_read, 16)
                if not chunk:
                    break
                number += chunk
            if not number.strip():
                raise RuntimeError("Xvfb did not start")
            yield ":" + number.decode().strip()
        finally:
            os.close(ready_read)
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class FakeWindowManager:
    """Plays the window manager's part on an X server: creates windows, marks one full-screen
    and names the active window on the root, through a connection of its own."""

    def __init__(self, display: str) -> None:
        path = ctypes.util.find_library("X11")
        assert path is not None, "libX11 is needed to talk to Xvfb"
        self.xlib = xlib = ctypes.CDLL(path)
        xlib.XOpenDisplay.restype = ctypes.c_void_p
        xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        xlib.XDefaultRootWindow.restype = ctypes.c_ulong
        xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        xlib.XInternAtom.restype = ctypes.c_ulong
        xlib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        xlib.XCreateSimpleWindow.restype = ctypes.c_ulong
        xlib.XCreateSimpleWindow.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_uint,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_ulong]
        xlib.XChangeProperty.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_int,
            ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
        xlib.XDestroyWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        xlib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.display = xlib.XOpenDisplay(display.encode())
        assert self.display, f"cannot open {display}"
        self.root = int(xlib.XDefaultRootWindow(self.display))

    def atom(self, name: str) -> int:
        return int(self.xlib.XInternAtom(self.display, name.encode(), 0))

    def _set(self, window: int, prop: str, kind: int, values: list[int]) -> None:
        data = (ctypes.c_ulong * max(1, len(values)))(*values)
        self.xlib.XChangeProperty(self.display, window, self.atom(prop), kind, 32, 0,
                                  ctypes.cast(data, ctypes.c_void_p), len(values))
        self.xlib.XSync(self.display, 0)

    def window(self, fullscreen: bool = False, pid: int | None = None) -> int:
        window = int(self.xlib.XCreateSimpleWindow(self.display, self.root, 0, 0, 100, 100,
                                                   0, 0, 0))
        self.set_fullscreen(window, fullscreen)
        if pid is not None:
            self._set(window, "_NET_WM_PID", 6, [pid])
        return window

    def set_fullscreen(self, window: int, fullscreen: bool) -> None:
        states = [self.atom("_NET_WM_STATE_ABOVE")]
        if fullscreen:
            states.append(self.atom("_NET_WM_STATE_FULLSCREEN"))
        self._set(window, "_NET_WM_STATE", 4, states)

    def activate(self, window: int) -> None:
        self._set(self.root, "_NET_ACTIVE_WINDOW", 33, [window])

    def destroy(self, window: int) -> None:
        self.xlib.XDestroyWindow(self.display, window)
        self.xlib.XSync(self.display, 0)

    def close(self) -> None:
        self.xlib.XCloseDisplay(self.display)
