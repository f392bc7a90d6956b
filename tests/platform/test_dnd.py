"""Do-not-disturb against a real private session bus (the notification server's Inhibited and
its PropertiesChanged) and GNOME's show-banners through a stand-in gsettings."""

from __future__ import annotations

import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from quell.core.presence import Hold, HoldReason
from quell.platform.dnd import DoNotDisturbSource, on_gnome
from tests.platform.fake_desktop import FAILED, MinimalNotificationServer
from tests.platform.fake_notifications import FakeNotificationServer

# A read's budget is 0.25 s (a hung fake answers after 2 s); the rest is room for a loaded
# machine.
IN_TIME = 0.4


@pytest.fixture
def server(session_bus: str) -> Iterator[FakeNotificationServer]:
    fake = FakeNotificationServer(session_bus, inhibited=False)
    yield fake
    fake.close()


@pytest.fixture
def minimal(session_bus: str) -> Iterator[MinimalNotificationServer]:
    fake = MinimalNotificationServer(session_bus, inhibited=True)
    yield fake
    fake.close()


def gsettings(tmp_path: Path, script: str) -> tuple[str]:
    """A stand-in for gsettings that runs *script* (sh)."""
    path = tmp_path / "gsettings"
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return (str(path),)


class Listener:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


def test_inhibited_is_do_not_disturb(qapp, server, clock) -> None:
    source = DoNotDisturbSource()
    assert source.available()
    assert source.read(clock.now()) is None
    server.inhibited = True
    assert source.read(clock.now()) == Hold(HoldReason.DO_NOT_DISTURB, clock.now())
    started = clock.now()
    clock.advance(minutes=3)
    assert source.read(clock.now()) == Hold(HoldReason.DO_NOT_DISTURB, started)
    server.inhibited = False
    assert source.read(clock.now()) is None


def test_properties_changed_calls_the_listener(qtbot, server, clock) -> None:
    source = DoNotDisturbSource()
    listener = Listener()
    source.set_listener(listener)
    server.set_inhibited(True)
    qtbot.wait_until(lambda: listener.count == 1, timeout=2000)
    time.sleep(0.3)
    hold = source.read(clock.now())
    assert hold is not None and (clock.now() - hold.since).total_seconds() >= 0.25
    server.set_inhibited(False)
    qtbot.wait_until(lambda: listener.count == 2, timeout=2000)
    assert source.read(clock.now()) is None


def test_other_properties_changing_are_ignored(qtbot, server) -> None:
    source = DoNotDisturbSource()
    listener = Listener()
    source.set_listener(listener)
    server.emit("/org/freedesktop/Notifications", "org.freedesktop.DBus.Properties",
                "PropertiesChanged", "sa{sv}as",
                ("org.freedesktop.Notifications", {"Other": ("b", True)}, []))
    server.emit("/org/freedesktop/Notifications", "org.freedesktop.DBus.Properties",
                "PropertiesChanged", "sa{sv}as", ("org.example.Else", {}, ["Inhibited"]))
    qtbot.wait(300)
    assert listener.count == 0


def test_an_invalidated_inhibited_calls_the_listener(qtbot, server) -> None:
    source = DoNotDisturbSource()
    listener = Listener()
    source.set_listener(listener)
    server.emit("/org/freedesktop/Notifications", "org.freedesktop.DBus.Properties",
                "PropertiesChanged", "sa{sv}as",
                ("org.freedesktop.Notifications", {}, ["Inhibited"]))
    qtbot.wait_until(lambda: listener.count == 1, timeout=2000)


def test_unsubscribed_hears_nothing(qtbot, server) -> None:
    source = DoNotDisturbSource()
    listener = Listener()
    source.set_listener(listener)
    source.set_listener(None)
    server.set_inhibited(True)
    qtbot.wait(300)
    assert listener.count == 0


def test_a_server_without_inhibited_is_unknown(qapp, session_bus, clock) -> None:
    fake = FakeNotificationServer(session_bus, inhibited=None)
    try:
        assert DoNotDisturbSource().read(clock.now()) is None
    finally:
        fake.close()


def test_no_server_is_unknown_at_once(qapp, session_bus, clock) -> None:
    started = time.monotonic()
    assert DoNotDisturbSource().read(clock.now()) is None
    assert time.monotonic() - started < 0.1


def test_no_bus_is_unavailable(qapp, clock, monkeypatch) -> None:
    monkeypatch.delenv("XDG_CURRENT_DESKTOP", raising=False)
    source = DoNotDisturbSource()
    assert source.available() is False
    assert source.read(clock.now()) is None
    source.set_listener(Listener())
    source.set_listener(None)


def test_a_failing_server_is_unknown(qapp, minimal, clock) -> None:
    assert DoNotDisturbSource().read(clock.now()) is not None  # inhibited
    minimal.error = FAILED
    assert DoNotDisturbSource().read(clock.now()) is None


def test_a_hanging_server_returns_in_time(qapp, minimal, clock) -> None:
    minimal.hang = True
    source = DoNotDisturbSource()
    started = time.monotonic()
    assert source.read(clock.now()) is None
    assert time.monotonic() - started < IN_TIME


# -- GNOME: show-banners -------------------------------------------------------------------

def test_gnome_is_told_from_xdg_current_desktop(monkeypatch) -> None:
    for value, gnome in (("GNOME", True), ("ubuntu:GNOME", True), ("KDE", False),
                         ("GNOME-Flashback:Unity", False), ("", False)):
        monkeypatch.setenv("XDG_CURRENT_DESKTOP", value)
        assert on_gnome() is gnome, value


def test_gnome_banners_off_is_do_not_disturb(qapp, tmp_path, monkeypatch, clock) -> None:
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "ubuntu:GNOME")
    answer = tmp_path / "answer"
    answer.write_text("false\n")
    command = gsettings(tmp_path, f'[ "$*" = "get org.gnome.desktop.notifications '
                                  f'show-banners" ] && cat {answer}')
    source = DoNotDisturbSource(command)
    assert source.available()  # GNOME, even without a bus
    assert source.read(clock.now()) == Hold(HoldReason.DO_NOT_DISTURB, clock.now())
    answer.write_text("true\n")
    assert source.read(clock.now()) is None


def test_gnome_setting_is_not_read_elsewhere(qapp, tmp_path, monkeypatch, clock) -> None:
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "KDE")
    marker = tmp_path / "ran"
    source = DoNotDisturbSource(gsettings(tmp_path, f"touch {marker}; echo false"))
    assert source.read(clock.now()) is None
    assert not marker.exists()


@pytest.mark.parametrize("script", ["echo nonsense", "echo false; exit 1", "exit 3"])
def test_gnome_setting_unreadable_is_unknown(qapp, tmp_path, monkeypatch, clock,
                                             script) -> None:
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "GNOME")
    assert DoNotDisturbSource(gsettings(tmp_path, script)).read(clock.now()) is None


def test_gnome_setting_hanging_returns_in_time(qapp, tmp_path, monkeypatch, clock) -> None:
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "GNOME")
    source = DoNotDisturbSource(gsettings(tmp_path, "exec sleep 5"))
    started = time.monotonic()
    assert source.read(clock.now()) is None
    assert time.monotonic() - started < IN_TIME


def test_gnome_without_gsettings_is_unknown(qapp, tmp_path, monkeypatch, clock) -> None:
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "GNOME")
    source = DoNotDisturbSource((str(tmp_path / "no-such-gsettings"),))
    assert source.read(clock.now()) is None
    assert source.read(clock.now()) is None


def test_either_one_on_is_enough(qapp, server, tmp_path, monkeypatch, clock) -> None:
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "GNOME")
    source = DoNotDisturbSource(gsettings(tmp_path, "echo false"))
    assert source.read(clock.now()) is not None  # banners off, Inhibited false
    server.inhibited = True
    source = DoNotDisturbSource(gsettings(tmp_path, "echo true"))
    assert source.read(clock.now()) is not None  # Inhibited, banners on


def test_the_bus_going_away_is_unknown_not_an_error(qtbot, monkeypatch, clock) -> None:
    from tests.dbus_daemon import private_bus

    with private_bus() as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        fake = FakeNotificationServer(address, inhibited=True)
        source = DoNotDisturbSource()
        source.set_listener(Listener())
        try:
            assert source.read(clock.now()) is not None
        finally:
            fake.close()
    qtbot.wait(100)  # the daemon stopped: the connection notices
    assert source.read(clock.now()) is None
    source.set_listener(None)
    source.set_listener(Listener())
