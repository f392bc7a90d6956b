"""QuellScheduler: one persistent timer, jobs on the GUI thread, no dropped jobs, capped waits.

No test here sleeps or reads the real clock. APScheduler compares run dates with the real time,
so jobs are put far in the past (due, however late: "the laptop slept through it") or far in the
future (never due during a run); the event loop is only spun to let pending zero-wait timers
fire, and passes are counted through the public ``on_tick`` hook.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.date import DateTrigger
from PySide6.QtCore import QCoreApplication, QObject, Signal

from quell.core.reminders import ReminderKind
from quell.scheduling.reminders import Reminders
from quell.scheduling.scheduler import QuellScheduler, SchedulerAlarms
from quell.storage.reminder_events import ReminderEventStore
from quell.ui.services.session import Session
from tests.conftest import FakeClock
from tests.helpers import MemorySettings, make_tracker

ZONE = ZoneInfo("Europe/London")
# Long due at any real time the suite runs at, and never due during it.
PAST = datetime(2001, 3, 10, 9, 0, tzinfo=ZONE)
FAR = datetime(2200, 3, 10, 9, 0, tzinfo=ZONE)


class Fired(QObject):
    """Turns job runs into a signal, so tests wait on it instead of sleeping."""

    fired = Signal(str)


@pytest.fixture
def scheduler(qtbot) -> Iterator[QuellScheduler]:
    made = QuellScheduler(timezone=ZONE)
    yield made
    made.shutdown(wait=False)


def count_passes(scheduler: QuellScheduler) -> list[int]:
    passes: list[int] = []
    scheduler.on_tick = lambda: passes.append(1)
    return passes


def run_pending_timers() -> None:
    """Let every timer that is already due (zero waits) fire; never waits for a later one."""
    for _ in range(5):
        QCoreApplication.processEvents()


def test_jobs_run_on_the_gui_thread_and_late_ones_are_not_dropped(
        qtbot, scheduler: QuellScheduler) -> None:
    fired = Fired()
    threads: list[threading.Thread] = []

    def job(name: str) -> None:
        threads.append(threading.current_thread())
        fired.fired.emit(name)

    # Due long ago (the laptop slept through it): the stock grace of 1 s would drop it.
    scheduler.add_job(job, DateTrigger(PAST, ZONE), args=("late",))
    scheduler.start()
    with qtbot.wait_signal(fired.fired, timeout=2000) as blocker:
        pass
    assert blocker.args == ["late"]
    assert threads == [threading.main_thread()]


def test_one_persistent_timer_however_often_jobs_change(qtbot, scheduler: QuellScheduler
                                                        ) -> None:
    passes = count_passes(scheduler)
    scheduler.start()
    for index in range(20):  # the stock QtScheduler leaves one wake-up chain per change
        job = scheduler.add_job(print, DateTrigger(FAR + timedelta(minutes=index), ZONE))
        job.modify(name=f"job {index}")
        scheduler.reschedule_job(job.id, trigger=DateTrigger(FAR, ZONE))
    assert passes == []  # every change only (re)starts the one timer
    run_pending_timers()
    assert passes == [1]  # 61 wake-ups asked for, one pass run
    assert scheduler.timer.isActive()
    assert scheduler.timer.interval() == 60_000  # capped wait for the far jobs

    fired = Fired()
    with qtbot.wait_signal(fired.fired, timeout=2000):
        scheduler.add_job(fired.fired.emit, DateTrigger(PAST, ZONE), args=("due",))
    run_pending_timers()
    assert passes == [1, 1]  # the due job's pass, and no spare
    assert scheduler.timer.interval() == 60_000

    scheduler.shutdown(wait=False)
    assert not scheduler.timer.isActive()
    scheduler.wakeup()  # a stopped scheduler does not start its timer again
    run_pending_timers()
    assert passes == [1, 1]
    assert not scheduler.timer.isActive()


def test_waits_are_capped_so_the_wall_clock_is_read_again(qtbot, scheduler: QuellScheduler
                                                          ) -> None:
    passes = count_passes(scheduler)
    scheduler.add_job(print, DateTrigger(FAR, ZONE))
    scheduler.start()
    run_pending_timers()
    assert passes == [1]
    assert scheduler.timer.isActive()
    assert scheduler.timer.interval() == 60_000
    assert scheduler.timer.isSingleShot()


def test_a_shorter_cap_is_kept_too(qtbot) -> None:
    made = QuellScheduler(timezone=ZONE, max_wait=2.5)
    try:
        made.add_job(print, DateTrigger(FAR, ZONE))
        made.start()
        run_pending_timers()
        assert made.timer.interval() == 2_500
    finally:
        made.shutdown(wait=False)


def test_no_jobs_means_no_timer(qtbot, scheduler: QuellScheduler) -> None:
    passes = count_passes(scheduler)
    scheduler.start()
    run_pending_timers()
    assert passes == [1]
    assert not scheduler.timer.isActive()


def test_clock_jumps_are_noticed_before_jobs_run() -> None:
    wall = [1_000_000.0]
    mono = [50.0]
    made = QuellScheduler(timezone=ZONE, wall=lambda: wall[0], monotonic=lambda: mono[0])
    jumps: list[float] = []
    made.on_clock_jump = jumps.append
    made.check_clock()
    wall[0] += 60
    mono[0] += 60
    assert made.check_clock() == 0
    wall[0] += 7200 + 30  # two hours asleep: the monotonic clock saw only the 30 s awake
    mono[0] += 30
    made.check_clock()
    wall[0] -= 3600  # the clock was set back an hour
    made.check_clock()
    wall[0] += 45  # small drift (NTP) is no jump
    made.check_clock()
    assert jumps == [7200.0, -3600.0]


def test_a_jump_is_reported_before_the_due_jobs_of_that_pass(qtbot) -> None:
    wall = [1_000_000.0]
    made = QuellScheduler(timezone=ZONE, wall=lambda: wall[0], monotonic=lambda: 50.0)
    order: list[str] = []
    made.on_clock_jump = lambda seconds: order.append(f"jump {seconds:+.0f}")
    made.check_clock()
    wall[0] += 3600  # an hour asleep
    fired = Fired()
    fired.fired.connect(order.append)
    try:
        made.add_job(fired.fired.emit, DateTrigger(PAST, ZONE), args=("job",))
        with qtbot.wait_signal(fired.fired, timeout=2000):
            made.start()
        assert order == ["jump +3600", "job"]
    finally:
        made.shutdown(wait=False)


def test_alarms_replace_per_key_and_survive_rearming_from_their_own_callback(qtbot) -> None:
    alarms = SchedulerAlarms(ZONE)
    fired = Fired()
    runs: list[str] = []

    def again() -> None:
        runs.append("again")
        if len(runs) == 1:  # re-arm the same key from inside its own callback
            alarms.arm("stretch", PAST, again)
        fired.fired.emit("again")

    alarms.start()
    try:
        for _ in range(5):
            alarms.arm("stretch", FAR, print)
        assert len(alarms.scheduler.get_jobs()) == 1
        assert alarms.armed() == {"stretch": FAR}
        with qtbot.wait_signal(fired.fired, timeout=2000):
            alarms.arm("stretch", PAST, again)
        assert alarms.armed() == {"stretch": PAST}  # the callback's re-arming was kept
        with qtbot.wait_signal(fired.fired, timeout=2000):
            pass
        assert runs == ["again", "again"]
        assert alarms.armed() == {}
        alarms.arm("water", FAR, print)
        alarms.cancel("water")
        alarms.cancel("water")
        assert alarms.scheduler.get_jobs() == []
    finally:
        alarms.stop()


def test_the_service_on_the_real_scheduler_keeps_one_job_per_reminder(
        qtbot, tmp_path) -> None:
    # A day far ahead: the service's alarms are real APScheduler jobs, never due in this test.
    clock = FakeClock(datetime(2200, 3, 11, 9, 5, tzinfo=ZONE))
    holder = MemorySettings()
    tracker, _store, database = make_tracker(tmp_path, clock, holder)
    session = Session(tracker, holder, holder.save)
    alarms = SchedulerAlarms(ZONE)
    service = Reminders(session, ReminderEventStore(database.connection), clock,
                        alarms=alarms, watch_sleep=False)
    service.start()
    try:
        settings = session.settings()
        for minutes in (30, 45, 90, 60, 20):
            session.save_settings(settings.replace(
                reminders=settings.reminders.replace(stretch_every_minutes=minutes,
                                                     stretch_days=(1, 2, 3, 4, 5, 6, 7))))
            session.log("water", 100)
        names = sorted(job.name for job in alarms.scheduler.get_jobs())
        assert names == sorted(k.value for k in ReminderKind)
        assert service.armed()[ReminderKind.STRETCH] == clock.now().replace(
            hour=9, minute=20, second=0, microsecond=0)
    finally:
        service.stop()
        session.deleteLater()
        database.connection.close()
