"""The benchmark's fake desktop answers what the app's presence sources ask, as a desktop does.

A self-check of tests/bench/fake_desktop.py (used by bench_idle.py and tests/app/test_frozen.py),
through a plain jeepney client: every service replies with the right signature, state changes
show at once, a subscription is seen by process, and the calendar has no busy meeting now.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import icalendar
import pytest
import recurring_ical_events
from jeepney import DBusAddress, MatchRule, MessageType, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection

from tests.bench.fake_desktop import (
    GNOME_SCREENSAVER,
    LOGIND,
    MUTTER_IDLE,
    NOTIFICATIONS,
    SCREENSAVER,
    SESSION_PATH,
    DesktopState,
    fake_desktop,
    write_calendar,
)
from tests.dbus_daemon import dbus_daemon_path

pytestmark = [
    pytest.mark.skipif(dbus_daemon_path() is None, reason="no dbus-daemon"),
]


def call(connection: DBusConnection, name: str, path: str, interface: str, member: str,
         signature: str = "", body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
    message = new_method_call(DBusAddress(path, bus_name=name, interface=interface), member,
                              signature, body)
    reply = connection.send_and_get_reply(message, timeout=5)
    assert reply.header.message_type is MessageType.method_return, reply.body
    return tuple(reply.body)


def prop(connection: DBusConnection, name: str, path: str, interface: str, key: str) -> Any:
    [(_signature, value)] = call(connection, name, path, "org.freedesktop.DBus.Properties",
                                 "Get", "ss", (interface, key))
    return value


def test_every_service_answers_and_follows_the_state() -> None:
    state = DesktopState(idle_ms=2500)
    with fake_desktop(state) as desktop:
        assert set(desktop.env) == {"DBUS_SESSION_BUS_ADDRESS", "DBUS_SYSTEM_BUS_ADDRESS",
                                    "XDG_SESSION_ID"}
        session = open_dbus_connection(desktop.session_address)
        system = open_dbus_connection(desktop.system_address)
        try:
            mutter = ("/org/gnome/Mutter/IdleMonitor/Core", MUTTER_IDLE)
            assert call(session, MUTTER_IDLE, *mutter, "GetIdletime") == (2500,)
            saver = ("/org/freedesktop/ScreenSaver", SCREENSAVER)
            assert call(session, SCREENSAVER, *saver, "GetSessionIdleTime") == (2500,)
            assert call(session, SCREENSAVER, *saver, "GetActive") == (False,)
            gnome = ("/org/gnome/ScreenSaver", GNOME_SCREENSAVER)
            assert call(session, GNOME_SCREENSAVER, *gnome, "GetActive") == (False,)
            notifications = ("/org/freedesktop/Notifications", NOTIFICATIONS)
            assert "actions" in call(session, NOTIFICATIONS, *notifications,
                                     "GetCapabilities")[0]
            assert prop(session, NOTIFICATIONS, *notifications, "Inhibited") is False
            sent = call(session, NOTIFICATIONS, *notifications, "Notify", "susssasa{sv}i",
                        ("Quell", 0, "io.github.quellapp.Quell", "Water", "A glass now?",
                         ["done", "Done"], {"desktop-entry": ("s", "io.github.quellapp.Quell")},
                         -1))
            assert sent[0] > 0 and state.notified[0][3] == "Water"
            [path] = call(system, LOGIND, "/org/freedesktop/login1",
                          f"{LOGIND}.Manager", "GetSession", "s", ("c7",))
            assert path == SESSION_PATH
            assert prop(system, LOGIND, path, f"{LOGIND}.Session", "LockedHint") is False

            state.idle_ms, state.inhibited, state.locked_hint = 400_000, True, True
            desktop.set_screensaver_active(True)
            assert call(session, MUTTER_IDLE, *mutter, "GetIdletime") == (400_000,)
            assert call(session, SCREENSAVER, *saver, "GetActive") == (True,)
            assert prop(session, NOTIFICATIONS, *notifications, "Inhibited") is True
            assert prop(system, LOGIND, path, f"{LOGIND}.Session", "LockedHint") is True
            reached = desktop.reached()
            assert reached[MUTTER_IDLE] == ["GetIdletime", "GetIdletime"]
            assert "Get" in reached[LOGIND] and "Notify" in reached[NOTIFICATIONS]
        finally:
            session.close()
            system.close()


def test_subscriptions_are_told_apart_by_process() -> None:
    with fake_desktop() as desktop:
        system = open_dbus_connection(desktop.system_address)
        try:
            rule = MatchRule(type="signal", interface=f"{LOGIND}.Manager",
                             member="PrepareForSleep")
            system.send_and_get_reply(message_bus.AddMatch(rule), timeout=5)
            deadline = time.monotonic() + 5
            while not desktop.subscriptions(os.getpid()) and time.monotonic() < deadline:
                time.sleep(0.05)
            [(bus, text)] = desktop.subscriptions(os.getpid())
            assert bus == "system" and "member='PrepareForSleep'" in text
            assert desktop.subscriptions(1) == []
            system.send_and_get_reply(message_bus.RemoveMatch(rule), timeout=5)
            deadline = time.monotonic() + 5
            while desktop.subscriptions(os.getpid()) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert desktop.subscriptions(os.getpid()) == []
        finally:
            system.close()


def busy_now(path: Path, now: datetime) -> list[str]:
    calendar = icalendar.Calendar.from_ical(path.read_text(encoding="utf-8"))
    return [str(event["SUMMARY"]) for event in recurring_ical_events.of(calendar).at(now)
            if event.get("STATUS") != "CANCELLED" and event.get("TRANSP") != "TRANSPARENT"]


@pytest.mark.parametrize("hour", [0, 9, 13, 23])
def test_the_calendar_has_no_busy_meeting_around_now(tmp_path: Path, hour: int) -> None:
    now = datetime(2026, 12, 2, hour, 17, tzinfo=timezone.utc)  # a Wednesday
    path = tmp_path / "work.ics"
    write_calendar(path, now)
    for minutes in range(-120, 121, 10):
        assert busy_now(path, now + timedelta(minutes=minutes)) == []
    # ...but the weekly meetings do happen, today and on the other weekdays.
    calendar = icalendar.Calendar.from_ical(path.read_text(encoding="utf-8"))
    assert len(recurring_ical_events.of(calendar).between(now, now + timedelta(days=7))) >= 200
    write_calendar(path, now, meeting_now=True)
    assert busy_now(path, now) == ["Meeting now"]
    assert busy_now(path, now + timedelta(minutes=55)) == []
