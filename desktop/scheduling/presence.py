"""Presence: whether reminders should wait now, from every source the desktop offers.

Each source (``desktop.platform``: idle time, screen lock, do-not-disturb, full-screen windows,
meetings) sits behind :class:`PresenceSource`; tests use fakes of it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from desktop.core.presence import Hold, HoldReason


class PresenceSource(Protocol):
    """One thing that can hold reminders.

    ``reason`` is the HoldReason it reports. ``available()`` is cheap and cached: whether this
    desktop offers the source at all. ``read(now)`` reads it afresh (at most one short D-Bus
    round trip, a few ms; never more than about 250 ms even when a service hangs) and returns a
    Hold or None. ``set_listener(callback)``: a source that learns of changes by itself (D-Bus
    signals) calls *callback* on the GUI thread whenever its state may have changed; None stops
    listening (unsubscribes). A source that can only be polled ignores it.
    """

    reason: HoldReason

    def available(self) -> bool: ...
    def read(self, now: datetime) -> Hold | None: ...
    def set_listener(self, callback: Callable[[], None] | None) -> None: ...
