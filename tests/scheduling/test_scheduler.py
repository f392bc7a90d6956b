"""QuellScheduler: one persistent timer, jobs on the GUI thread, no dropped jobs, capped waits."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.date import DateTrigger
from PySide6.QtCore import QObject, Signal

from desktop.core.reminders import ReminderKind
from desktop.scheduling.reminders import Reminders
from desktop.scheduling.scheduler import QuellScheduler, SchedulerAlarms
from desktop.storage.reminder_events import ReminderEventStore
from desktop.ui.session import Session
from tests.conftest import FakeClock
from tests.helpers import MemorySettings, make_tracker

ZONE = ZoneInfo("Europe/London")


class Fired(QObject):
    """Turns job runs into a signal, so tests wait on it instead of sleeping."""

    fired = Signal(str)


@pytest.fixture
def scheduler(qtbot) -> Iterator[QuellScheduler]:
    made = QuellScheduler(timezone=ZONE)
    yield made
    made.shutdown(wait=False)


def now() -> datetime:
    return datetime.now(ZONE)


def test_jobs_run_on_the_gui_thread_and_late_ones_are_not_dropped(
        qtbot, scheduler: QuellScheduler) -> None:
    fired = Fired()
    threads: list[threading.Thread] = []

    def job(name: str) -> None:
        threads.append(threading.current_thread())
        fired.fired.emit(name)

    # Due ten minutes ago (the laptop slept through it): the stock grace of 1 s would drop it.
    scheduler.add_job(job, DateTrigger(now() - timedelta(minutes=10), ZONE), args=("late",))
    scheduler.start()
    with qtbot.wait_signal(fired.fired, timeout=2000) as blocker:
        pass
    assert blocker.args == ["late"]
    assert threads == [threading.main_thread()]


def test_one_persistent_timer_however_often_jobs_change(qtbot, scheduler: QuellScheduler
                                                        ) -> None:
    calls = []
    original = scheduler._process_jobs

    def counting() -> float | None:
        calls.append(1)
        return original()

    scheduler.timer.timeout.disconnect()
    scheduler.timer.timeout.connect(counting)
    scheduler._process_jobs = counting  # type: ignore[method-assign]
    scheduler.start()
    far = now() + timedelta(hours=1)
    for index in range(20):  # the stock QtScheduler leaves one wake-up chain per change
        job = scheduler.add_job(print, DateTrigger(far + timedelta(minutes=index), ZONE))
        job.modify(name=f"job {index}")
        scheduler.reschedule_job(job.id, trigger=DateTrigger(far, ZONE))
    fired = Fired()
    scheduler.add_job(fired.fired.emit, DateTrigger(now() + timedelta(milliseconds=300), ZONE),
                      args=("soon",))
    qtbot.wait(50)  # let the wake-ups the changes asked for run once
    calls.clear()
    with qtbot.wait_signal(fired.fired, timeout=2000):
        pass
    qtbot.wait(400)
    assert len(calls) <= 2  # the due job's run, and at most one spare
    assert scheduler.timer.isActive()
    assert 0 < scheduler.timer.remainingTime() <= 60_000  # capped wait for the far jobs
    scheduler.shutdown(wait=False)
    assert not scheduler.timer.isActive()
    calls.clear()
    qtbot.wait(200)
    assert calls == []


def test_waits_are_capped_so_the_wall_clock_is_read_again(qtbot, scheduler: QuellScheduler
                                                          ) -> None:
    scheduler.add_job(print, DateTrigger(now() + timedelta(hours=5), ZONE))
    scheduler.start()
    qtbot.wait(50)
    assert scheduler.timer.isActive()
    assert scheduler.timer.interval() == 60_000
    assert scheduler.timer.isSingleShot()


def test_no_jobs_means_no_timer(qtbot, scheduler: QuellScheduler) -> None:
    scheduler.start()
    qtbot.wait(50)
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


def test_alarms_replace_per_key_and_survive_rearming_from_their_own_callback(qtbot) -> None:
    alarms = SchedulerAlarms(ZONE)
    fired = Fired()
    runs: list[str] = []

    def again() -> None:
        runs.append("again")
        if len(runs) == 1:  # re-arm the same key from inside its own callback
            alarms.arm("stretch", now() + timedelta(milliseconds=100), again)
        fired.fired.emit("again")

    alarms.start()
    try:
        for _ in range(5):
            alarms.arm("stretch", now() + timedelta(hours=1), print)
        assert len(alarms.scheduler.get_jobs()) == 1
        alarms.arm("stretch", now() + timedelta(milliseconds=50), again)
        with qtbot.wait_signal(fired.fired, timeout=2000):
            pass
        assert "stretch" in alarms.armed()  # the callback's re-arming was kept
        with qtbot.wait_signal(fired.fired, timeout=2000):
            pass
        assert runs == ["again", "again"]
        assert alarms.armed() == {}
        alarms.arm("water", now() + timedelta(hours=1), print)
        alarms.cancel("water")
        alarms.cancel("water")
        assert alarms.scheduler.get_jobs() == []
    finally:
        alarms.stop()


def test_the_service_on_the_real_scheduler_keeps_one_job_per_reminder(
        qtbot, tmp_path) -> None:
    clock = FakeClock(datetime.now(ZONE).replace(hour=9, minute=5) + timedelta(days=1))
    holder = MemorySettings()
    tracker, _store, database = make_tracker(tmp_path, clock, holder)
    session = Session(tracker, holder, holder.save)
    service = Reminders(session, ReminderEventStore(database.connection), clock,
                        watch_sleep=False)
    service.start()
    try:
        settings = session.settings()
        for minutes in (30, 45, 90, 60, 20):
            session.save_settings(settings.replace(
                reminders=settings.reminders.replace(stretch_every_minutes=minutes,
                                                     stretch_days=(1, 2, 3, 4, 5, 6, 7))))
            session.log("water", 100)
        scheduler = service._alarms.scheduler  # type: ignore[attr-defined]
        names = sorted(job.name for job in scheduler.get_jobs())
        assert names == sorted(k.value for k in ReminderKind)
        assert service.armed()[ReminderKind.STRETCH] == clock.now().replace(
            hour=9, minute=20, second=0, microsecond=0)
    finally:
        service.stop()
        session.deleteLater()
        database.connection.close()
