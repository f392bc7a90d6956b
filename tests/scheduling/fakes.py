"""A fake alarm clock for the reminder service: alarms run when the fake clock passes them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

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
