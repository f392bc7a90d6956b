"""logind's PrepareForSleep: signals when there is a bus, quiet when there is none."""

from __future__ import annotations

from typing import Any

from desktop.scheduling.sleep_watch import LOGIND, SleepWatch


class FakeError:
    def message(self) -> str:
        return "no such name"


class FakeBus:
    def __init__(self, connected: bool, accepts: bool = True) -> None:
        self.connected = connected
        self.accepts = accepts
        self.calls: list[tuple[Any, ...]] = []

    def isConnected(self) -> bool:
        return self.connected

    def connect(self, *args: Any) -> bool:
        self.calls.append(args)
        return self.accepts

    def lastError(self) -> FakeError:
        return FakeError()


def test_subscribes_to_prepare_for_sleep(qtbot) -> None:
    watch = SleepWatch()
    bus = FakeBus(connected=True)
    assert watch.connect_bus(bus)
    (call,) = bus.calls
    assert call[:4] == LOGIND and call[4] is watch and call[5] == "prepare_for_sleep(bool)"
    with qtbot.wait_signal(watch.about_to_sleep, timeout=500):
        watch.prepare_for_sleep(True)
    with qtbot.wait_signal(watch.woke, timeout=500):
        watch.prepare_for_sleep(False)


def test_no_bus_degrades_quietly(qtbot) -> None:
    watch = SleepWatch()
    assert watch.connect_bus(FakeBus(connected=False)) is False
    assert watch.connect_bus(FakeBus(connected=True, accepts=False)) is False
    assert not watch.connected


def test_the_real_system_bus_never_raises_or_warns(qtbot) -> None:
    # CI has no system bus; a desktop has one. Either way: a bool, and no Qt warning.
    assert SleepWatch().connect_bus() in (True, False)
