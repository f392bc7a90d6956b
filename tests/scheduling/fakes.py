"""Fakes for the reminder service: an alarm clock whose alarms run when the fake clock passes
them, and presence sources the test switches on and off."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from quell.core.presence import Hold, HoldReason
from tests.conftest import FakeClock


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


class FakeAlarms:
    """Implements the service's Alarms protocol on a FakeClock; nothing runs by itself."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.alarms: dict[str, tuple[datetime, Callable[[], None]]] = {}
        self.arm_calls = 0
        self.wakeups = 0
        self.started = False
        self.on_clock_jump: Callable[[float], None] | None = None
        self.on_tick: Callable[[], None] | None = None

    def set_handlers(self, on_clock_jump: Callable[[float], None] | None,
                     on_tick: Callable[[], None] | None = None) -> None:
        self.on_clock_jump, self.on_tick = on_clock_jump, on_tick

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.started = False
        self.alarms.clear()

    def arm(self, key: str, when: datetime, callback: Callable[[], None]) -> None:
        self.arm_calls += 1
        self.alarms[key] = (when, callback)

    def cancel(self, key: str) -> None:
        self.alarms.pop(key, None)

    def armed(self) -> dict[str, datetime]:
        return {key: when for key, (when, _cb) in self.alarms.items()}

    def wakeup(self) -> None:
        self.wakeups += 1

    def run_due(self) -> list[str]:
        """Run every alarm due by the clock's now, earliest first (as the scheduler would)."""
        ran = []
        while True:
            now = _utc(self.clock.now())
            due = [(_utc(when), key) for key, (when, _cb) in self.alarms.items()
                   if _utc(when) <= now]
            if not due:
                return ran
            _when, key = min(due)
            _at, callback = self.alarms.pop(key)
            ran.append(key)
            callback()

    def advance(self, **length: float) -> list[str]:
        """Let time pass awake: each alarm runs at its own time, in order."""
        end = _utc(self.clock.now() + timedelta(**length))
        ran = []
        while True:
            upcoming = sorted((_utc(when), key) for key, (when, _cb) in self.alarms.items())
            if not upcoming or upcoming[0][0] > end:
                break
            self.clock.set(max(upcoming[0][0], _utc(self.clock.now())))
            ran.extend(self.run_due())
        self.clock.set(end)
        if self.on_tick is not None:
            self.on_tick()
        ran.extend(self.run_due())
        return ran

    def sleep(self, **length: float) -> list[str]:
        """The computer sleeps: no alarm runs; on waking the jump is noticed, then due ones run."""
        self.clock.advance(**length)
        if self.on_clock_jump is not None:
            self.on_clock_jump(timedelta(**length).total_seconds())
        return self.run_due()


class FakeSource:
    """A PresenceSource the test drives: ``begin``/``end`` a hold, with or without a signal.

    A hold with ``until`` (a meeting) stops holding by itself once the clock passes it, as a
    calendar does. ``listens=False`` plays a poll-only source (its listener is never kept).
    """

    def __init__(self, reason: HoldReason, *, available: bool = True, listens: bool = True
                 ) -> None:
        self.reason = reason
        self.is_available = available
        self.listens = listens
        self.current: Hold | None = None
        self.error: Exception | None = None
        self.reads = 0
        self.listener: Callable[[], None] | None = None
        self.listener_calls: list[bool] = []   # True: set, False: cleared

    def available(self) -> bool:
        return self.is_available

    def read(self, now: datetime) -> Hold | None:
        self.reads += 1
        if self.error is not None:
            raise self.error
        hold = self.current
        if hold is not None and hold.until is not None and _utc(now) >= _utc(hold.until):
            return None
        return hold

    def set_listener(self, callback: Callable[[], None] | None) -> None:
        self.listener_calls.append(callback is not None)
        self.listener = callback if self.listens else None

    def begin(self, since: datetime, until: datetime | None = None, *, notify: bool = True
              ) -> None:
        self.current = Hold(self.reason, since, until)
        self._notify(notify)

    def end(self, *, notify: bool = True) -> None:
        self.current = None
        self._notify(notify)

    def holding(self, now: datetime) -> bool:
        """The truth, without counting a read."""
        hold = self.current
        return hold is not None and (hold.until is None or _utc(now) < _utc(hold.until))

    def _notify(self, notify: bool) -> None:
        if notify and self.listener is not None:
            self.listener()
