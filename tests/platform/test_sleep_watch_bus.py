"""The suspend hook on a real bus: a fake logind on a private "system" bus announces sleep and
resume, and SleepWatch must hear both (0.1's QtDBus hook connected nothing: this test fails
on it)."""

from __future__ import annotations

import pytest

from quell.platform.dbus import Bus
from quell.scheduling.sleep_watch import SleepWatch
from tests.dbus_daemon import TestService
from tests.platform.fake_desktop import MANAGER, MANAGER_PATH, FakeLogind


@pytest.fixture
def logind(system_bus: str):
    fake = FakeLogind(system_bus)
    yield fake
    fake.close()


def test_prepare_for_sleep_true_and_false_reach_the_app(qtbot, logind: FakeLogind) -> None:
    watch = SleepWatch()
    assert watch.connect_bus() is True
    assert watch.connected
    with qtbot.wait_signal(watch.about_to_sleep, timeout=2000):
        logind.emit_prepare_for_sleep(True)
    with qtbot.wait_signal(watch.woke, timeout=2000):
        logind.emit_prepare_for_sleep(False)


def test_an_explicit_bus_is_used(qtbot, logind: FakeLogind, system_bus: str) -> None:
    bus = Bus.at(system_bus)
    try:
        watch = SleepWatch()
        assert watch.connect_bus(bus)
        with qtbot.wait_signal(watch.woke, timeout=2000):
            logind.emit_prepare_for_sleep(False)
    finally:
        bus.close()


def test_someone_else_than_logind_cannot_fake_a_suspend(qtbot, logind: FakeLogind,
                                                        system_bus: str) -> None:
    impostor = TestService(system_bus, None, {})
    try:
        watch = SleepWatch()
        assert watch.connect_bus()
        with qtbot.assert_not_emitted(watch.about_to_sleep, wait=300):
            impostor.emit(MANAGER_PATH, MANAGER, "PrepareForSleep", "b", (True,))
        with qtbot.wait_signal(watch.about_to_sleep, timeout=2000):  # the real one still is
            logind.emit_prepare_for_sleep(True)
    finally:
        impostor.close()


def test_disconnecting_stops_the_signals(qtbot, logind: FakeLogind) -> None:
    watch = SleepWatch()
    assert watch.connect_bus()
    watch.disconnect_bus()
    assert not watch.connected
    with qtbot.assert_not_emitted(watch.about_to_sleep, wait=300):
        logind.emit_prepare_for_sleep(True)
    watch.disconnect_bus()  # twice is fine


def test_connecting_twice_delivers_each_signal_once(qtbot, logind: FakeLogind) -> None:
    watch = SleepWatch()
    assert watch.connect_bus() and watch.connect_bus()
    seen: list[str] = []
    watch.about_to_sleep.connect(lambda: seen.append("sleep"))
    with qtbot.wait_signal(watch.about_to_sleep, timeout=2000):
        logind.emit_prepare_for_sleep(True)
    qtbot.wait(200)
    assert seen == ["sleep"]


def test_the_system_bus_going_away_is_quiet(qtbot, monkeypatch, tmp_path) -> None:
    from tests.dbus_daemon import private_bus

    with private_bus() as address:
        monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", address)
        watch = SleepWatch()
        assert watch.connect_bus()
        bus = Bus.system()
        assert bus is not None
    # the daemon stopped: the bus notices, and the watch says it is no longer connected
    qtbot.wait_until(lambda: not watch.connected, timeout=3000)
