"""APScheduler's QtScheduler made safe for PySide6, and one alarm per key on top of it.

The stock QtScheduler loses its ``QTimer.singleShot`` handle under PySide6 (the call returns
None), so every add or modify leaves another wake-up chain running; it runs jobs in a thread
pool; and it silently drops a job that was due while the laptop slept. :class:`QuellScheduler`
keeps one persistent PreciseTimer, runs jobs on the GUI thread (DebugExecutor), never drops a
late job, caps each wait so the wall clock is re-read after a suspend, and notices when the wall
clock jumps against the monotonic one.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import math
import time
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from apscheduler.executors.debug import DebugExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from apscheduler.schedulers.qt import QtScheduler
from apscheduler.triggers.date import DateTrigger
from PySide6.QtCore import QObject, Qt, QTimer

log = logging.getLogger(__name__)

# Qt timers run on a clock that stops during suspend: never wait longer than this, so a reminder
# due during the sleep is noticed within a minute of waking.
MAX_WAIT_SECONDS = 60.0
# The wall clock moving this much more (or less) than the monotonic one means a suspend, a
# blocked app or a clock change.
JUMP_SECONDS = 90.0


# apscheduler ships no types, so QtScheduler is Any (pyproject's [tool.mypy]): nothing to check.
class QuellScheduler(QtScheduler):  # type: ignore[misc]
    """A QtScheduler with one persistent single-shot timer and a clock-jump detector.

    ``on_clock_jump(seconds)`` is called before due jobs run, with how far the wall clock moved
    beyond the monotonic clock (positive after a suspend); ``on_tick()`` on every wake-up.
    """

    def __init__(self, *, timezone: tzinfo, max_wait: float = MAX_WAIT_SECONDS,
                 jump_seconds: float = JUMP_SECONDS,
                 wall: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic,
                 timer_parent: QObject | None = None) -> None:
        super().__init__(
            timezone=timezone,
            executors={"default": DebugExecutor()},
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        )
        self.max_wait = max_wait
        self.jump_seconds = jump_seconds
        self.on_clock_jump: Callable[[float], None] | None = None
        self.on_tick: Callable[[], None] | None = None
        self._wall = wall
        self._monotonic = monotonic
        self._last_seen: tuple[float, float] | None = None
        self._processing = False
        self.timer = QTimer(timer_parent)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._process_jobs)

    def shutdown(self, wait: bool = True) -> None:
        if self.state != STATE_STOPPED:
            BaseScheduler.shutdown(self, wait)
        self._stop_timer()

    def wakeup(self) -> None:
        # A job added by a running job needs no extra pass: the pass under way computes the
        # next wait once its jobs are done, and that includes the new one.
        if not self._processing:
            self._start_timer(0)

    def _start_timer(self, wait_seconds: float | None) -> None:
        self._stop_timer()
        if wait_seconds is None or self.state == STATE_STOPPED:
            return
        wait = min(max(wait_seconds, 0.0), self.max_wait)
        # Rounded up: a timer that fires a millisecond early would only spin once more.
        self.timer.start(math.ceil(wait * 1000))

    def _stop_timer(self) -> None:
        self.timer.stop()

    def _process_jobs(self) -> float | None:
        self.check_clock()
        if self.on_tick is not None:
            self.on_tick()
        self._processing = True
        try:
            wait: float | None = BaseScheduler._process_jobs(self)
        finally:
            self._processing = False
        self._start_timer(wait)
        return wait

    def check_clock(self) -> float:
        """Compare the wall clock's progress with the monotonic clock's; report a jump."""
        wall, mono = self._wall(), self._monotonic()
        drift = 0.0
        if self._last_seen is not None:
            drift = (wall - self._last_seen[0]) - (mono - self._last_seen[1])
        self._last_seen = (wall, mono)
        if abs(drift) > self.jump_seconds:
            log.info("wall clock moved %+.0f s against the monotonic clock", drift)
            if self.on_clock_jump is not None:
                self.on_clock_jump(drift)
        return drift


class SchedulerAlarms:
    """One pending alarm per key (a reminder kind, the pause's end, ...) on a QuellScheduler.

    Re-arming a key replaces its alarm, so rebuilding from settings never leaves duplicates.
    Each arming gets its own job id: the scheduler removes a fired date job *after* its callback
    returns, which must not take the callback's fresh re-arming with it.
    """

    def __init__(self, tz: tzinfo, **scheduler_options: Any) -> None:
        self._tz = tz
        self._options = scheduler_options
        self._scheduler: QuellScheduler | None = None
        self._jobs: dict[str, tuple[str, datetime]] = {}
        self._ids = itertools.count(1)
        self._on_jump: Callable[[float], None] | None = None
        self._on_tick: Callable[[], None] | None = None

    @property
    def scheduler(self) -> QuellScheduler:
        if self._scheduler is None:
            # APScheduler logs every job at INFO; the app's log only needs its warnings.
            logging.getLogger("apscheduler").setLevel(logging.WARNING)
            self._scheduler = QuellScheduler(timezone=self._tz, **self._options)
            self._scheduler.on_clock_jump = self._on_jump
            self._scheduler.on_tick = self._on_tick
        return self._scheduler

    def set_handlers(self, on_clock_jump: Callable[[float], None] | None,
                     on_tick: Callable[[], None] | None = None) -> None:
        self._on_jump, self._on_tick = on_clock_jump, on_tick
        if self._scheduler is not None:
            self._scheduler.on_clock_jump = on_clock_jump
            self._scheduler.on_tick = on_tick

    def start(self) -> None:
        if self.scheduler.state == STATE_STOPPED:
            self.scheduler.start()

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
        self._jobs.clear()

    def arm(self, key: str, when: datetime, callback: Callable[[], None]) -> None:
        self.cancel(key)
        job_id = f"{key}#{next(self._ids)}"
        self.scheduler.add_job(self._run, DateTrigger(run_date=when, timezone=self._tz),
                               id=job_id, args=(key, job_id, callback), name=key)
        self._jobs[key] = (job_id, when)

    def cancel(self, key: str) -> None:
        entry = self._jobs.pop(key, None)
        if entry is None or self._scheduler is None:
            return
        with contextlib.suppress(JobLookupError):  # it has just run
            self._scheduler.remove_job(entry[0])

    def armed(self) -> dict[str, datetime]:
        return {key: when for key, (_job, when) in self._jobs.items()}

    def wakeup(self) -> None:
        if self._scheduler is not None and self._scheduler.state != STATE_STOPPED:
            self._scheduler.wakeup()

    def _run(self, key: str, job_id: str, callback: Callable[[], None]) -> None:
        if self._jobs.get(key, ("",))[0] == job_id:
            del self._jobs[key]
        callback()
