"""Whether the screen is locked: the screen savers on the session bus (freedesktop's, used by
KDE and others, and GNOME's) and logind's session on the system bus (``LockedHint``, and its
``Lock`` / ``Unlock`` signals). Windows: the notification state says "not present".

What the desktop says when asked wins over what a signal said: logind's ``Lock`` only asks the
locker to lock, and GNOME unlocks without any ``Unlock``. A signal's word is kept only where no
service answers a question at all.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime

from jeepney import DBusAddress, Message, new_method_call

from quell.core.presence import Hold, HoldReason
from quell.platform.presence_sources import BENCH_SECONDS, Budget, BusCaller, Since, Subscriptions

log = logging.getLogger(__name__)

SCREEN_SAVERS = (
    DBusAddress("/org/freedesktop/ScreenSaver", bus_name="org.freedesktop.ScreenSaver",
                interface="org.freedesktop.ScreenSaver"),
    DBusAddress("/org/gnome/ScreenSaver", bus_name="org.gnome.ScreenSaver",
                interface="org.gnome.ScreenSaver"),
)
LOGIND = DBusAddress("/org/freedesktop/login1", bus_name="org.freedesktop.login1",
                     interface="org.freedesktop.login1.Manager")
SESSION = "org.freedesktop.login1.Session"
PROPERTIES = "org.freedesktop.DBus.Properties"


class LockSource:
    """Holds reminders while the screen is locked (or its screen saver runs)."""

    reason = HoldReason.SCREEN_LOCKED

    def __init__(self) -> None:
        self._savers = [(address, BusCaller("session", address.bus_name or ""))
                        for address in SCREEN_SAVERS]
        self._logind = BusCaller("system", LOGIND.bus_name or "")
        self._session: str | None = None        # logind's object path of our session
        self._session_retry = 0.0
        self._since = Since()
        self._signalled: bool | None = None    # what the last signal said (None: none yet)
        self._subscriptions = Subscriptions()
        self._callback: Callable[[], None] | None = None
        self._available: bool | None = None

    def available(self) -> bool:
        if self._available is None:
            if sys.platform == "win32":
                self._available = True
            else:
                self._available = (self._savers[0][1].bus() is not None
                                   or self._logind.bus() is not None)
        return self._available

    def locked(self) -> bool | None:
        """Asked afresh: True/False, or None when nothing answers (and no signal told)."""
        if sys.platform == "win32":
            from quell.platform.fullscreen import QUNS_NOT_PRESENT, notification_state

            state = notification_state()
            return None if state is None else state == QUNS_NOT_PRESENT
        budget = Budget()
        answers: list[bool] = []
        for address, caller in self._savers:
            if budget.spent():
                break
            body = caller.call(new_method_call(address, "GetActive"), budget.left())
            if body:
                answers.append(bool(body[0]))
        if not budget.spent():
            path = self._session_path(budget)
            if path is not None and not budget.spent():
                hint = self._logind.get_property(path, SESSION, "LockedHint", budget.left())
                if hint is not None:
                    answers.append(bool(hint))
        if answers:
            return any(answers)
        return self._signalled

    def read(self, now: datetime) -> Hold | None:
        if not self.available() or not self.locked():
            self._since.end()
            return None
        return Hold(self.reason, self._since.since(now))

    def set_listener(self, callback: Callable[[], None] | None) -> None:
        self._subscriptions.clear()
        self._callback = callback
        if callback is None or sys.platform == "win32":
            return
        session_bus = self._savers[0][1].bus()
        for address, _caller in self._savers:
            self._subscriptions.add(session_bus, self._on_active_changed,
                                    sender=address.bus_name or "",
                                    interface=address.interface or "", member="ActiveChanged")
        path = self._session_path(Budget())
        if path is None:
            return
        system_bus = self._logind.bus()
        for member in ("Lock", "Unlock"):
            self._subscriptions.add(system_bus, self._on_lock_signal,
                                    sender=LOGIND.bus_name or "", path=path,
                                    interface=SESSION, member=member)
        self._subscriptions.add(system_bus, self._on_properties_changed,
                                sender=LOGIND.bus_name or "", path=path,
                                interface=PROPERTIES, member="PropertiesChanged")

    # -- signals ---------------------------------------------------------------------------

    def _told(self, locked: bool) -> None:
        self._signalled = locked
        if locked:
            self._since.begin()
        else:
            self._since.end()
        if self._callback is not None:
            self._callback()

    def _on_active_changed(self, message: Message) -> None:
        if message.body:
            self._told(bool(message.body[0]))

    def _on_lock_signal(self, message: Message) -> None:
        from jeepney import HeaderFields

        self._told(message.header.fields.get(HeaderFields.member) == "Lock")

    def _on_properties_changed(self, message: Message) -> None:
        if len(message.body) < 3 or message.body[0] != SESSION:
            return
        changed, invalidated = message.body[1], message.body[2]
        if "LockedHint" in changed:
            _signature, value = changed["LockedHint"]
            self._told(bool(value))
        elif "LockedHint" in invalidated and self._callback is not None:
            self._callback()

    # -- logind's session ------------------------------------------------------------------

    def _session_path(self, budget: Budget) -> str | None:
        """Our session's object path: from XDG_SESSION_ID, else the one our process is in."""
        if self._session is not None:
            return self._session
        if time.monotonic() < self._session_retry or self._logind.bus() is None:
            return None
        session_id = os.environ.get("XDG_SESSION_ID", "")
        body = None
        if session_id:
            body = self._logind.call(
                new_method_call(LOGIND, "GetSession", "s", (session_id,)), budget.left())
        if not body and not budget.spent():
            body = self._logind.call(
                new_method_call(LOGIND, "GetSessionByPID", "u", (os.getpid(),)), budget.left())
        if not body:
            self._session_retry = time.monotonic() + BENCH_SECONDS
            return None
        self._session = str(body[0])
        return self._session
