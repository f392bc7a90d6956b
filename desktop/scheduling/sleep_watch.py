"""logind's PrepareForSleep signal over the system D-Bus, where there is one (else nothing)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

LOGIND = ("org.freedesktop.login1", "/org/freedesktop/login1",
          "org.freedesktop.login1.Manager", "PrepareForSleep")


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

    def connect_bus(self, bus: Any = None) -> bool:
        """Subscribe to PrepareForSleep on *bus* (default: the system bus)."""
        if bus is None:
            try:
                from PySide6.QtDBus import QDBusConnection
            except ImportError:  # a Qt build without D-Bus
                return False
            bus = QDBusConnection.systemBus()
        if not bus.isConnected():
            log.info("no system D-Bus; sleep is noticed from the clock alone")
            return False
        self.connected = bool(bus.connect(*LOGIND, self, "prepare_for_sleep(bool)"))
        if not self.connected:
            log.info("cannot watch logind's PrepareForSleep: %s", bus.lastError().message())
        return self.connected

    @Slot(bool)
    def prepare_for_sleep(self, sleeping: bool) -> None:
        if sleeping:
            self.about_to_sleep.emit()
        else:
            self.woke.emit()
