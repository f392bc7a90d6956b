"""logind's PrepareForSleep signal over the system D-Bus, where there is one (else nothing)."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable

from jeepney import MatchRule, Message
from PySide6.QtCore import QObject, Signal

from quell.platform.dbus import Bus

log = logging.getLogger(__name__)

LOGIND = ("org.freedesktop.login1", "/org/freedesktop/login1",
          "org.freedesktop.login1.Manager", "PrepareForSleep")


def prepare_for_sleep_rule() -> MatchRule:
    sender, path, interface, member = LOGIND
    return MatchRule(type="signal", sender=sender, path=path, interface=interface,
                     member=member)


class SleepWatch(QObject):
    """Tells when the computer is about to sleep and when it woke up.

    Signals:
        about_to_sleep(): logind announced a suspend.
        woke(): logind announced the resume.

    Without a system bus (CI, Windows, macOS, some sandboxes) :meth:`connect_bus` returns
    False and nothing else happens; the scheduler's clock-jump detector still notices sleeps.
    """

    about_to_sleep = Signal()
    woke = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.connected = False
        self._unsubscribe: list[Callable[[], None]] = []
        self._bus: Bus | None = None

    def connect_bus(self, bus: Bus | None = None) -> bool:
        """Subscribe to PrepareForSleep on *bus* (default: the system bus)."""
        self.disconnect_bus()
        if bus is None and sys.platform != "win32":  # Windows: no D-Bus, no AF_UNIX
            bus = Bus.system()
        if bus is None:
            log.info("no system D-Bus; sleep is noticed from the clock alone")
            return False
        self._unsubscribe.append(bus.subscribe(prepare_for_sleep_rule(), self._on_signal))
        self._bus = bus
        bus.disconnected.connect(self._on_bus_lost)
        self.connected = True
        return True

    def disconnect_bus(self) -> None:
        """Stop listening (safe when not connected)."""
        unsubscribe, self._unsubscribe = self._unsubscribe, []
        for cancel in unsubscribe:
            cancel()
        if self._bus is not None:
            with contextlib.suppress(RuntimeError, TypeError):  # gone with the bus
                self._bus.disconnected.disconnect(self._on_bus_lost)
            self._bus = None
        self.connected = False

    def prepare_for_sleep(self, sleeping: bool) -> None:
        if sleeping:
            self.about_to_sleep.emit()
        else:
            self.woke.emit()

    def _on_signal(self, message: Message) -> None:
        if message.body and isinstance(message.body[0], bool):
            self.prepare_for_sleep(message.body[0])

    def _on_bus_lost(self) -> None:
        log.info("the system D-Bus went away; sleep is noticed from the clock alone")
        self._unsubscribe = []
        self._bus = None
        self.connected = False
