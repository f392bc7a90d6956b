"""Presence: whether reminders should wait now, from every source the desktop offers.

Each source (``quell.platform``: idle time, screen lock, do-not-disturb, full-screen windows,
meetings) sits behind :class:`PresenceSource`; tests use fakes of it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Protocol, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from quell.core.clock import Clock
from quell.core.presence import PRIORITY, Hold, HoldReason, hold_wanted
from quell.core.settings import Settings

log = logging.getLogger(__name__)
_T = TypeVar("_T")


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


class Presence(QObject):
    """Every presence source behind one question: do reminders wait now, and why?

    ``hold()`` reads the sources afresh each time (the first hold by PRIORITY wins; among
    sources of one reason, the first given), leaving out those the user's settings turn off
    and those this desktop does not offer. Nothing runs
    between reads unless :meth:`watch` is on: then the sources' listeners are on (D-Bus
    signals) and a timer polls once a minute for the sources that can only be polled, so the
    idle app costs nothing while no reminder waits.

    Signals:
        changed(): a source said its state may have changed (debounced), or the minute's poll
            came while watching: read ``hold()`` again.
    """

    changed = Signal()

    POLL_MS = 60_000
    DEBOUNCE_MS = 500

    def __init__(self, sources: Sequence[PresenceSource], settings: Callable[[], Settings],
                 clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sources = list(sources)
        # Read strongest first (in the given order among equals), so a read can stop at the
        # first hold: the same answer as first_hold over all of them, with fewer calls.
        self._by_priority = sorted(self._sources, key=lambda s: PRIORITY.index(s.reason))
        self._settings = settings
        self._clock = clock
        self._watching = False
        self._failed: set[int] = set()
        self._poll = QTimer(self)
        self._poll.setInterval(self.POLL_MS)
        self._poll.timeout.connect(self.changed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(self.DEBOUNCE_MS)
        self._debounce.timeout.connect(self.changed)

    @property
    def watching(self) -> bool:
        return self._watching

    def sources(self) -> list[PresenceSource]:
        return list(self._sources)

    def hold(self) -> Hold | None:
        """Why reminders wait now (a fresh read), or None when nothing holds them."""
        wanted = self._settings().reminders
        now = self._clock.now()
        for source in self._by_priority:
            if hold_wanted(source.reason, wanted) and self._guard(source, source.available,
                                                                   False):
                hold = self._guard(source, partial(source.read, now), None)
                if hold is not None:
                    return hold  # what follows cannot name a stronger reason
        return None

    def watch(self, on: bool) -> None:
        """Follow the sources (listeners and the minute's poll) while *on*; stop when off."""
        if on == self._watching:
            return
        self._watching = on
        listener = self._source_changed if on else None
        for source in self._sources:
            self._guard(source, partial(source.set_listener, listener), None)
        if on:
            self._poll.start()
        else:
            self._poll.stop()
            self._debounce.stop()

    def _source_changed(self) -> None:
        if self._watching and not self._debounce.isActive():
            self._debounce.start()

    def _guard(self, source: PresenceSource, call: Callable[[], _T], failed: _T) -> _T:
        # One broken source must not stop reminders or the others: it counts as holding
        # nothing, and its first failure is logged (not every minute's).
        try:
            return call()
        except Exception:
            if id(source) not in self._failed:
                self._failed.add(id(source))
                log.exception("presence source %s failed; it is ignored",
                              type(source).__name__)
            return failed
