"""A desktop's presence services, faked on private buses, for running the real app against them.

`make bench`'s idle benchmark runs Quell with every presence source on, and the frozen smoke
test checks the bundled app reaches them: a private session bus (tests/dbus_daemon.py) with a
notification server (actions, ``Inhibited``), ``org.freedesktop.ScreenSaver``,
``org.gnome.ScreenSaver`` and ``org.gnome.Mutter.IdleMonitor``, and a private "system" bus with
logind (the manager and one session). :attr:`FakeDesktop.env` points a child process at them.

Each service answers from its own thread with what :class:`DesktopState` says (change it at
any time) and records every call (``reached``); a bus monitor records the match rules each
process adds (``subscriptions``), which is how a signal subscription shows on a real bus.
Nothing here touches the user's buses.
"""

from __future__ import annotations

import contextlib
import itertools
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script's helper from tests/bench
    sys.path.insert(0, str(ROOT))

from tests.dbus_daemon import ServiceError, TestService, private_bus  # noqa: E402

NOTIFICATIONS = "org.freedesktop.Notifications"
SCREENSAVER = "org.freedesktop.ScreenSaver"
GNOME_SCREENSAVER = "org.gnome.ScreenSaver"
MUTTER_IDLE = "org.gnome.Mutter.IdleMonitor"
LOGIND = "org.freedesktop.login1"
PROPERTIES = "org.freedesktop.DBus.Properties"
SESSION_ID = "c7"  # a real logind session id looks like this (an object path has no "-")
SESSION_PATH = f"/org/freedesktop/login1/session/{SESSION_ID}"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"

Methods = dict[tuple[str, str], tuple[str, Callable[..., Any]]]


@dataclass
class DesktopState:
    """What the fake desktop reports; read afresh by every call."""

    idle_ms: int = 1000                      # Mutter GetIdletime, ScreenSaver GetSessionIdleTime
    screensaver_active: bool = False         # both screen savers' GetActive
    locked_hint: bool = False                # logind Session.LockedHint
    inhibited: bool = False                  # the notification server's do-not-disturb
    capabilities: tuple[str, ...] = ("actions", "body", "body-markup", "icon-static",
                                     "persistence")
    notified: list[tuple[Any, ...]] = field(default_factory=list)  # every Notify's body


def _properties(table: Callable[[], dict[str, dict[str, tuple[str, Any]]]]) -> Methods:
    """org.freedesktop.DBus.Properties Get and GetAll over *table* (interface → name →
    (signature, value)), read at call time."""

    def get(interface: str, name: str) -> tuple[Any, ...]:
        try:
            return (table()[interface][name],)
        except KeyError:
            raise ServiceError("org.freedesktop.DBus.Error.UnknownProperty",
                               f"no {interface}.{name}") from None

    return {(PROPERTIES, "Get"): ("v", get),
            (PROPERTIES, "GetAll"): ("a{sv}", lambda interface: (table().get(interface, {}),))}


class FakeDesktop:
    """The running fake services; see the module docstring."""

    def __init__(self, session_address: str, system_address: str, state: DesktopState) -> None:
        self.session_address = session_address
        self.system_address = system_address
        self.state = state
        self.services: dict[str, TestService] = {}
        self._ids = itertools.count(1)
        self._monitors: list[_Monitor] = []

    @property
    def env(self) -> dict[str, str]:
        """What a child process needs to find these buses (and its logind session)."""
        return {"DBUS_SESSION_BUS_ADDRESS": self.session_address,
                "DBUS_SYSTEM_BUS_ADDRESS": self.system_address,
                "XDG_SESSION_ID": SESSION_ID}

    # -- what the app did -----------------------------------------------------------------------

    def reached(self) -> dict[str, list[str]]:
        """Each service's name → the members called on it, in order."""
        return {name: [member for _iface, member, _body in list(service.calls)]
                for name, service in self.services.items()}

    def subscriptions(self, pid: int) -> list[tuple[str, str]]:
        """The match rules process *pid* holds now, as (bus, rule), bus "session" or "system"."""
        found = []
        for monitor in self._monitors:
            found += [(monitor.label, rule) for rule in monitor.rules_of(pid)]
        return found

    # -- what the desktop does ------------------------------------------------------------------

    def invoke_action(self, notification_id: int, key: str) -> None:
        """The user clicked a notification's button."""
        self.services[NOTIFICATIONS].emit(NOTIFICATIONS_PATH, NOTIFICATIONS, "ActionInvoked",
                                          "us", (notification_id, key))

    def set_screensaver_active(self, active: bool) -> None:
        self.state.screensaver_active = active
        self.services[SCREENSAVER].emit("/org/freedesktop/ScreenSaver", SCREENSAVER,
                                        "ActiveChanged", "b", (active,))
        self.services[GNOME_SCREENSAVER].emit("/org/gnome/ScreenSaver", GNOME_SCREENSAVER,
                                              "ActiveChanged", "b", (active,))

    def prepare_for_sleep(self, sleeping: bool) -> None:
        self.services[LOGIND].emit("/org/freedesktop/login1", f"{LOGIND}.Manager",
                                   "PrepareForSleep", "b", (sleeping,))

    # -- the services ---------------------------------------------------------------------------

    def _start(self) -> None:
        state = self.state
        self.services[NOTIFICATIONS] = TestService(self.session_address, NOTIFICATIONS, {
            (NOTIFICATIONS, "GetCapabilities"): ("as", lambda: (list(state.capabilities),)),
            (NOTIFICATIONS, "GetServerInformation"): (
                "ssss", lambda: ("quell-fake-desktop", "Quell", "1.0", "1.2")),
            (NOTIFICATIONS, "Notify"): ("u", self._notify),
            (NOTIFICATIONS, "CloseNotification"): ("", self._close_notification),
            **_properties(lambda: {NOTIFICATIONS: {"Inhibited": ("b", state.inhibited)}}),
        })
        self.services[SCREENSAVER] = TestService(self.session_address, SCREENSAVER, {
            (SCREENSAVER, "GetActive"): ("b", lambda: (state.screensaver_active,)),
            (SCREENSAVER, "GetActiveTime"): ("u", lambda: (0,)),
            # Milliseconds, as KDE's screen locker answers (not the old draft spec's seconds).
            (SCREENSAVER, "GetSessionIdleTime"): ("u", lambda: (state.idle_ms,)),
        })
        self.services[GNOME_SCREENSAVER] = TestService(self.session_address, GNOME_SCREENSAVER, {
            (GNOME_SCREENSAVER, "GetActive"): ("b", lambda: (state.screensaver_active,)),
            (GNOME_SCREENSAVER, "GetActiveTime"): ("u", lambda: (0,)),
        })
        watches = itertools.count(1)
        self.services[MUTTER_IDLE] = TestService(self.session_address, MUTTER_IDLE, {
            (MUTTER_IDLE, "GetIdletime"): ("t", lambda: (state.idle_ms,)),
            (MUTTER_IDLE, "AddIdleWatch"): ("u", lambda _interval: (next(watches),)),
            (MUTTER_IDLE, "AddUserActiveWatch"): ("u", lambda: (next(watches),)),
            (MUTTER_IDLE, "RemoveWatch"): ("", lambda _watch: ()),
        })
        manager = f"{LOGIND}.Manager"
        self.services[LOGIND] = TestService(self.system_address, LOGIND, {
            (manager, "GetSession"): ("o", lambda _id: (SESSION_PATH,)),
            (manager, "GetSessionByPID"): ("o", lambda _pid: (SESSION_PATH,)),
            (manager, "ListSessions"): (
                "a(susso)", lambda: ([(SESSION_ID, 1000, "user", "seat0", SESSION_PATH)],)),
            **_properties(lambda: {
                manager: {"PreparingForSleep": ("b", False), "IdleHint": ("b", False)},
                f"{LOGIND}.Session": {
                    "Id": ("s", SESSION_ID), "Active": ("b", True), "State": ("s", "active"),
                    "Type": ("s", "x11"), "Class": ("s", "user"),
                    "LockedHint": ("b", state.locked_hint), "IdleHint": ("b", False)},
            }),
        })
        for label, address in (("session", self.session_address),
                               ("system", self.system_address)):
            self._monitors.append(_Monitor(label, address))

    def _notify(self, *body: Any) -> tuple[int]:
        self.state.notified.append(body)
        replaces = int(body[1])
        return (replaces or next(self._ids),)

    def _close_notification(self, notification_id: int) -> tuple[()]:
        self.services[NOTIFICATIONS].emit(NOTIFICATIONS_PATH, NOTIFICATIONS,
                                          "NotificationClosed", "uu", (notification_id, 3))
        return ()

    def _stop(self) -> None:
        for monitor in self._monitors:
            monitor.close()
        for service in self.services.values():
            service.close()


class _Monitor:
    """Records AddMatch / RemoveMatch calls on one bus (a monitor connection, as dbus-monitor
    uses), to tell which signals each process subscribed to."""

    def __init__(self, label: str, address: str) -> None:
        self.label = label
        self._rules: dict[str, list[str]] = {}   # sender's unique name → its rules
        self._lock = threading.Lock()
        self._query: DBusConnection = open_dbus_connection(address)
        self._connection: DBusConnection = open_dbus_connection(address)
        rules = [f"type='method_call',interface='org.freedesktop.DBus',member='{member}'"
                 for member in ("AddMatch", "RemoveMatch")]
        become = new_method_call(
            DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                        interface="org.freedesktop.DBus.Monitoring"),
            "BecomeMonitor", "asu", (rules, 0))
        self._connection.send_and_get_reply(become, timeout=5)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                message = self._connection.receive(timeout=0.1)
            except TimeoutError:
                continue
            except (OSError, ValueError):
                return
            header = message.header
            if header.message_type is not MessageType.method_call or not message.body:
                continue
            sender = str(header.fields.get(HeaderFields.sender, ""))
            rule = str(message.body[0])
            with self._lock:
                rules = self._rules.setdefault(sender, [])
                if header.fields.get(HeaderFields.member) == "AddMatch":
                    rules.append(rule)
                elif rule in rules:
                    rules.remove(rule)

    def rules_of(self, pid: int) -> list[str]:
        with self._lock:
            held = {sender: list(rules) for sender, rules in self._rules.items() if rules}
        found = []
        for sender, rules in held.items():
            try:
                reply = self._query.send_and_get_reply(
                    message_bus.GetConnectionUnixProcessID(sender), timeout=2)
            except (OSError, TimeoutError):
                continue
            if reply.header.message_type is MessageType.method_return and reply.body[0] == pid:
                found += rules
        return found

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._connection.close()
        self._query.close()


@contextlib.contextmanager
def fake_desktop(state: DesktopState | None = None) -> Iterator[FakeDesktop]:
    """Start both private buses and every fake service; stop them all afterwards."""
    with private_bus() as session_address, private_bus() as system_address:
        desktop = FakeDesktop(session_address, system_address, state or DesktopState())
        try:
            desktop._start()
            yield desktop
        finally:
            desktop._stop()


# -- a calendar -----------------------------------------------------------------------------------

def write_calendar(path: Path, now: datetime, *, weekly: int = 40,
                   meeting_now: bool = False) -> None:
    """An .ics file like a work calendar's: *weekly* recurring meetings (each weekday at its own
    time of day, 30 min, all at least 2.5 h of the day away from *now*, so none is on when a
    benchmark's reminder falls due), a cancelled one and a free ("transparent") one covering
    now, and with *meeting_now* a busy one from 10 min ago to 50 min ahead."""
    utc = now.astimezone(timezone.utc).replace(second=0, microsecond=0)
    stamp = utc.strftime("%Y%m%dT%H%M%SZ")

    def event(uid: str, start: datetime, minutes: int, *extra: str) -> list[str]:
        return ["BEGIN:VEVENT", f"UID:{uid}@quell.invalid", f"DTSTAMP:{stamp}",
                f"DTSTART:{start.strftime('%Y%m%dT%H%M%SZ')}",
                f"DTEND:{(start + timedelta(minutes=minutes)).strftime('%Y%m%dT%H%M%SZ')}",
                f"SUMMARY:Meeting {uid}", *extra, "END:VEVENT"]

    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Quell//fake desktop//EN"]
    first = utc - timedelta(days=60)
    for index in range(weekly):
        # Times of day from 2.5 h to 21 h after now's, in 25-minute steps (wrapping).
        offset = timedelta(minutes=150 + (index * 25) % (18 * 60))
        lines += event(f"weekly{index}", first + offset, 30,
                       "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
    lines += event("cancelled", utc - timedelta(minutes=30), 120, "STATUS:CANCELLED")
    lines += event("free", utc - timedelta(minutes=30), 120, "TRANSP:TRANSPARENT")
    if meeting_now:
        lines += event("now", utc - timedelta(minutes=10), 60)
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
