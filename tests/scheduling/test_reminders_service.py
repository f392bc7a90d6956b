"""The reminder service on a fake clock: arming, outcomes, snooze, pause, sleep, rebuilds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from quell.core.reminders import Outcome, Reminder, ReminderEvent, ReminderKind
from quell.scheduling.reminders import LONG_SNOOZE, AwayNotice, Reminders
from quell.scheduling.sleep_watch import SleepWatch
from quell.storage.reminder_events import ReminderEventStore
from quell.ui.services.session import Session
from tests.conftest import LONDON, FakeClock
from tests.helpers import MemorySettings, make_tracker
from tests.scheduling.fakes import FakeAlarms

TODAY = date(2026, 3, 10)  # a Tuesday; the clock starts at 14:30


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def recorder(signal: object) -> list[object]:
    seen: list[object] = []
    signal.connect(seen.append)  # type: ignore[attr-defined]
    return seen


def all_events(events: ReminderEventStore) -> list[ReminderEvent]:
    return events.events_between(at(0) - timedelta(days=2), at(0) + timedelta(days=3))


def outcomes(events: ReminderEventStore) -> list[tuple[str, str, str, str]]:
    return [(e.reminder.value, e.due.strftime("%H:%M"), e.outcome.value, e.reason)
            for e in all_events(events)]


def test_start_arms_one_alarm_per_reminder(reminders: Reminders, alarms: FakeAlarms) -> None:
    reminders.start()
    assert alarms.started
    armed = {key: when.strftime("%a %H:%M") for key, when in alarms.armed().items()}
    assert armed == {
        "water": "Tue 15:00", "stretch": "Tue 15:00", "breathe": "Tue 17:30",
        "caffeine_cutoff": "Tue 17:52", "wind_down": "Tue 22:30", "sleep_log": "Wed 07:30",
    }
    assert reminders.paused_until is None
    upcoming = reminders.next_reminder()
    assert upcoming is not None and upcoming.next == at(15)


def test_a_due_reminder_is_shown_and_done_logs_water(
        qtbot, reminders: Reminders, alarms: FakeAlarms, session: Session,
        events: ReminderEventStore) -> None:
    reminders.start()
    with qtbot.wait_signal(reminders.due, timeout=1000,
                           check_params_cb=lambda r: r.kind is ReminderKind.WATER) as blocker:
        alarms.advance(minutes=30)
    water = blocker.args[0]
    assert isinstance(water, Reminder) and water.kind is ReminderKind.WATER
    assert "behind today's pace" in water.body
    reminders.shown(water)
    reminders.done(water)
    assert session.summary().get("water").total == 250
    entry = session.summary().get("water").entries[0]
    assert entry.source.value == "reminder"
    assert ("water", "15:00", "done", "logged") in outcomes(events)
    (event,) = [e for e in all_events(events) if e.reminder is ReminderKind.WATER]
    assert event.shown == at(15)
    # The next water check is armed for 16:00.
    assert alarms.armed()["water"] == at(16)


def test_on_pace_water_is_suppressed_and_stored(
        reminders: Reminders, alarms: FakeAlarms, session: Session,
        events: ReminderEventStore) -> None:
    session.log("water", 1000)  # the pace at 15:00 expects 1000 ml
    reminders.start()
    due = recorder(reminders.due)
    alarms.advance(minutes=30)
    assert [r.kind for r in due] == [ReminderKind.STRETCH]
    assert ("water", "15:00", "suppressed", "on_pace") in outcomes(events)


def test_reaching_the_water_goal_disarms_water_until_tomorrow(
        reminders: Reminders, alarms: FakeAlarms, session: Session) -> None:
    reminders.start()
    session.log("water", 2000)
    assert alarms.armed()["water"] == at(9, day=TODAY + timedelta(days=1))
    session.delete(session.summary().get("water").entries[0].id)
    assert alarms.armed()["water"] == at(15)


def test_a_logged_drink_moves_the_caffeine_last_call(
        reminders: Reminders, alarms: FakeAlarms, session: Session, clock: FakeClock) -> None:
    reminders.start()
    assert alarms.armed()["caffeine_cutoff"].strftime("%H:%M") == "17:52"
    session.log("caffeine", 63, at=at(14))
    # 63 mg at 14:00 leaves 18.1 mg at 23:00; 95 mg must decay to 31.9 mg: 7.87 h before
    # bedtime, so the cut-off is 15:07 and the last call 14:37.
    assert alarms.armed()["caffeine_cutoff"].strftime("%H:%M") == "14:37"
    session.log("caffeine", 95, at=at(14, 20))
    assert alarms.armed()["caffeine_cutoff"].date() > TODAY  # no more room tonight


def test_snooze_then_skip(qtbot, reminders: Reminders, alarms: FakeAlarms,
                          events: ReminderEventStore) -> None:
    reminders.start()
    due = recorder(reminders.due)
    alarms.advance(minutes=30)
    stretch = next(r for r in due if r.kind is ReminderKind.STRETCH)
    until = reminders.snooze(stretch)
    assert until == at(15, 10)
    assert alarms.armed()["stretch"] == at(15, 10)
    with qtbot.wait_signal(reminders.due, timeout=1000,
                           check_params_cb=lambda r: r.kind is ReminderKind.STRETCH) as again:
        alarms.advance(minutes=10)
    assert again.args[0].snoozed and again.args[0].due == at(15, 10)
    reminders.skip(again.args[0])
    assert alarms.armed()["stretch"] == at(16)
    stretch_events = [o for o in outcomes(events) if o[0] == "stretch"]
    assert stretch_events == [("stretch", "15:00", "snoozed", "10m"),
                              ("stretch", "15:10", "skipped", "")]


def test_long_snooze_and_a_snooze_that_finds_the_goal_met(
        reminders: Reminders, alarms: FakeAlarms, session: Session,
        events: ReminderEventStore) -> None:
    reminders.start()
    due = recorder(reminders.due)
    alarms.advance(minutes=30)
    water = next(r for r in due if r.kind is ReminderKind.WATER)
    assert reminders.snooze(water, LONG_SNOOZE) == at(15, 30)
    session.log("water", 1200)  # caught up meanwhile
    alarms.advance(minutes=30)
    assert ("water", "15:00", "snoozed", "30m") in outcomes(events)
    assert ("water", "15:30", "suppressed", "on_pace") in outcomes(events)
    assert [r.kind for r in due].count(ReminderKind.WATER) == 1


def test_an_ignored_card_counts_as_missed(reminders: Reminders, alarms: FakeAlarms,
                                          events: ReminderEventStore) -> None:
    reminders.start()
    due = recorder(reminders.due)
    alarms.advance(minutes=30)
    water = next(r for r in due if r.kind is ReminderKind.WATER)
    reminders.missed(water)
    reminders.missed(water)  # a second answer to the same card changes nothing
    assert outcomes(events).count(("water", "15:00", "missed", "ignored")) == 1


def test_the_next_of_a_kind_withdraws_an_unanswered_one(
        reminders: Reminders, alarms: FakeAlarms, events: ReminderEventStore) -> None:
    reminders.start()
    withdrawn = recorder(reminders.withdrawn)
    due = recorder(reminders.due)
    alarms.advance(hours=1, minutes=30)  # 15:00 and 16:00 stretch, no answer in between
    stretches = [r for r in due if r.kind is ReminderKind.STRETCH]
    assert len(stretches) == 2
    assert withdrawn[0] == stretches[0]
    assert ("stretch", "15:00", "missed", "ignored") in outcomes(events)
    assert reminders.pending()[-1] == stretches[1] or stretches[1] in reminders.pending()


def test_stretch_skipped_after_a_recent_stretch(
        reminders: Reminders, alarms: FakeAlarms, session: Session,
        events: ReminderEventStore, clock: FakeClock) -> None:
    reminders.start()
    clock.set(at(14, 45))
    session.log("stretching")
    alarms.advance(minutes=15)
    assert ("stretch", "15:00", "suppressed", "stretched_recently") in outcomes(events)


def test_pause_suppresses_and_runs_out_by_itself(
        qtbot, reminders: Reminders, alarms: FakeAlarms, settings_holder: MemorySettings,
        events: ReminderEventStore) -> None:
    reminders.start()
    due = recorder(reminders.due)
    with qtbot.wait_signal(reminders.pause_changed, timeout=1000):
        until = reminders.pause(timedelta(hours=1))
    assert until == at(15, 30)
    assert settings_holder.value.paused_until == until  # saved: survives a restart
    assert reminders.paused_until == until
    assert alarms.armed()["pause"] == until
    with qtbot.wait_signal(reminders.pause_changed, timeout=1000):
        alarms.advance(hours=1)
    assert reminders.paused_until is None
    assert settings_holder.value.paused_until is None
    assert due == []
    assert ("water", "15:00", "suppressed", "paused") in outcomes(events)
    assert ("stretch", "15:00", "suppressed", "paused") in outcomes(events)
    alarms.advance(minutes=30)
    assert {r.kind for r in due} == {ReminderKind.WATER, ReminderKind.STRETCH}


def test_pause_until_tomorrow_and_resume(qtbot, reminders: Reminders, alarms: FakeAlarms
                                         ) -> None:
    reminders.start()
    until = reminders.pause_until_tomorrow()
    assert until == at(7, day=TODAY + timedelta(days=1))
    with qtbot.wait_signal(reminders.pause_changed, timeout=1000):
        reminders.resume()
    assert reminders.paused_until is None
    assert "pause" not in alarms.armed()


def test_a_pause_survives_a_restart(session: Session, events: ReminderEventStore,
                                    clock: FakeClock, alarms: FakeAlarms) -> None:
    first = Reminders(session, events, clock, alarms=alarms, watch_sleep=False)
    first.start()
    until = first.pause(timedelta(hours=2))
    first.stop()
    second = Reminders(session, events, clock, alarms=FakeAlarms(clock), watch_sleep=False)
    second.start()
    assert second.paused_until == until
    second.stop()


def test_a_two_hour_suspend_gives_exactly_one_away_card(
        qtbot, reminders: Reminders, alarms: FakeAlarms, clock: FakeClock,
        events: ReminderEventStore) -> None:
    clock.set(at(14, 55))
    reminders.start()
    due = recorder(reminders.due)
    away = recorder(reminders.away)
    alarms.sleep(hours=2)  # wakes at 16:55
    assert due == [] and away == []  # nothing in the first minutes after waking
    with qtbot.wait_signal(reminders.away, timeout=1000):
        alarms.advance(minutes=3)
    assert due == []
    (notice,) = away
    assert isinstance(notice, AwayNotice)
    assert notice.title == "While you were away"
    assert notice.lines == ("Water · 15:00, 16:00", "Stretch break · 15:00, 16:00")
    missed = [o for o in outcomes(events) if o[2] == "missed"]
    assert missed == [("water", "15:00", "missed", "away"), ("stretch", "15:00", "missed", "away"),
                      ("water", "16:00", "missed", "away"), ("stretch", "16:00", "missed", "away")]
    # Life goes on normally: the 17:00 reminders show one by one.
    alarms.advance(minutes=10)
    assert {r.kind for r in due} == {ReminderKind.WATER, ReminderKind.STRETCH}
    assert len(away) == 1


def test_a_reminder_due_during_the_wake_grace_joins_the_away_card(
        reminders: Reminders, alarms: FakeAlarms, clock: FakeClock) -> None:
    clock.set(at(12, 0))
    reminders.start()
    due = recorder(reminders.due)
    away = recorder(reminders.away)
    alarms.sleep(minutes=58)  # wakes at 12:58; the 13:00 reminders fall inside the grace
    alarms.advance(minutes=5)
    assert due == []
    (notice,) = away
    assert [o.kind for o in notice.occurrences] == [ReminderKind.WATER, ReminderKind.STRETCH,
                                                    ReminderKind.BREATHE]
    assert {o.due for o in notice.occurrences} == {at(13)}


def test_a_blocked_app_coalesces_late_reminders_at_once(
        reminders: Reminders, alarms: FakeAlarms, clock: FakeClock) -> None:
    reminders.start()
    due = recorder(reminders.due)
    away = recorder(reminders.away)
    clock.set(at(16, 10))  # the loop was blocked; the monotonic clock ran too: no jump
    alarms.run_due()
    assert due == [] and len(away) == 1


def test_a_suspend_inside_a_pause_is_not_reported(
        reminders: Reminders, alarms: FakeAlarms, events: ReminderEventStore,
        clock: FakeClock) -> None:
    reminders.start()
    reminders.pause(timedelta(hours=3))
    away = recorder(reminders.away)
    alarms.sleep(hours=2)
    alarms.advance(minutes=5)
    assert away == []
    assert {o[3] for o in outcomes(events)} == {"paused"}


def test_logind_wake_signal_starts_the_grace(
        session: Session, events: ReminderEventStore, clock: FakeClock,
        alarms: FakeAlarms) -> None:
    watch = SleepWatch()
    service = Reminders(session, events, clock, alarms=alarms, sleep_watch=watch)
    service.start()
    due = recorder(service.due)
    clock.set(at(14, 59))
    watch.prepare_for_sleep(False)
    assert alarms.wakeups == 1
    alarms.advance(minutes=2)
    assert due == []  # 15:00 fell inside the grace
    service.stop()


def test_settings_changes_rebuild_without_duplicates(
        reminders: Reminders, alarms: FakeAlarms, session: Session) -> None:
    reminders.start()
    settings = session.settings()
    for minutes in (30, 45, 90, 60):
        session.save_settings(settings.replace(
            reminders=settings.reminders.replace(stretch_every_minutes=minutes)))
    assert sorted(alarms.armed()) == sorted(k.value for k in ReminderKind)
    assert alarms.armed()["stretch"] == at(15)
    calls = alarms.arm_calls
    session.save_settings(session.settings())  # nothing changed: nothing re-armed
    assert alarms.arm_calls == calls
    session.save_settings(settings.replace(reminders=settings.reminders.replace(
        stretch=False, breathe_times=(time(20, 0),))))
    assert "stretch" not in alarms.armed()
    assert alarms.armed()["breathe"] == at(20)


def test_a_snoozed_reminder_is_dropped_when_switched_off(
        reminders: Reminders, alarms: FakeAlarms, session: Session) -> None:
    reminders.start()
    due = recorder(reminders.due)
    alarms.advance(minutes=30)
    reminders.snooze(next(r for r in due if r.kind is ReminderKind.STRETCH))
    settings = session.settings()
    session.save_settings(settings.replace(reminders=settings.reminders.replace(stretch=False)))
    assert "stretch" not in alarms.armed()


def test_a_backward_clock_change_does_not_repeat_a_reminder(
        reminders: Reminders, alarms: FakeAlarms, clock: FakeClock) -> None:
    reminders.start()
    due = recorder(reminders.due)
    alarms.advance(minutes=31)
    count = len(due)
    clock.set(at(14, 40))
    alarms.on_clock_jump(-1260.0)
    alarms.advance(minutes=25)
    assert len(due) == count
    assert alarms.armed()["water"] == at(16)


class TravellingClock(FakeClock):
    """A clock whose zone the system may change, like SystemClock.refresh_zone."""

    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        self.next_zone = self.zone

    def refresh_zone(self) -> None:
        self.zone = self.next_zone
        self._now = self._now.astimezone(self.zone)


def test_a_time_zone_change_moves_the_times(session: Session, events: ReminderEventStore
                                            ) -> None:
    clock = TravellingClock(at(10))
    alarms = FakeAlarms(clock)
    service = Reminders(session, events, clock, alarms=alarms, watch_sleep=False)
    service.start()
    assert alarms.armed()["breathe"] == at(13)
    clock.next_zone = ZoneInfo("America/New_York")  # it is 06:00 there
    alarms.on_tick()
    breathe = alarms.armed()["breathe"]
    assert (breathe.hour, breathe.minute) == (13, 0)
    assert breathe.astimezone(LONDON).hour == 17  # 13:00 New York (EDT since 8 March)
    service.stop()


def test_stop_counts_an_unanswered_card_as_missed_and_disarms(
        reminders: Reminders, alarms: FakeAlarms, events: ReminderEventStore) -> None:
    reminders.start()
    withdrawn = recorder(reminders.withdrawn)
    alarms.advance(minutes=30)
    reminders.stop()
    assert len(withdrawn) == 2
    assert alarms.armed() == {}
    assert {o[2:] for o in outcomes(events)} == {("missed", "ignored")}
    assert not reminders.running


def test_every_outcome_is_stored_with_its_reason(
        reminders: Reminders, alarms: FakeAlarms, events: ReminderEventStore,
        clock: FakeClock) -> None:
    reminders.start()
    due = recorder(reminders.due)
    alarms.advance(minutes=30)
    water, stretch = sorted(due, key=lambda r: r.kind.value, reverse=True)
    reminders.done(water)
    reminders.skip(stretch)
    alarms.advance(hours=3)   # 16:00 .. 17:52: some shown, snoozed or missed
    for reminder in list(reminders.pending()):
        if reminder.kind is ReminderKind.BREATHE:
            reminders.done(reminder)
        elif reminder.kind is ReminderKind.CAFFEINE_CUTOFF:
            reminders.snooze(reminder)
        else:
            reminders.missed(reminder)
    reminders.pause(timedelta(minutes=30))
    alarms.advance(minutes=30)
    seen = {(e.outcome, e.reason) for e in all_events(events)}
    assert {Outcome.DONE, Outcome.SKIPPED, Outcome.MISSED, Outcome.SNOOZED,
            Outcome.SUPPRESSED} == {outcome for outcome, _reason in seen}
    assert (Outcome.DONE, "opened") in seen and (Outcome.DONE, "logged") in seen
    assert (Outcome.SUPPRESSED, "paused") in seen


def test_a_storage_failure_is_logged_not_raised(
        session: Session, clock: FakeClock, alarms: FakeAlarms,
        caplog: pytest.LogCaptureFixture) -> None:
    class BrokenLog:
        def record(self, event: ReminderEvent) -> ReminderEvent:
            raise OSError("disk full")

        def events_between(self, start: datetime, end: datetime) -> list[ReminderEvent]:
            return []

    service = Reminders(session, BrokenLog(), clock, alarms=alarms, watch_sleep=False)
    service.start()
    due = recorder(service.due)
    alarms.advance(minutes=30)
    service.skip(due[0])
    assert "could not store" in caplog.text
    service.stop()


def test_a_reminder_switched_off_while_overdue_stays_quiet(
        reminders: Reminders, alarms: FakeAlarms, clock: FakeClock, session: Session) -> None:
    reminders.start()
    away = recorder(reminders.away)
    clock.advance(hours=2)  # asleep; nothing has run yet
    settings = session.settings()
    session.save_settings(settings.replace(reminders=settings.reminders.replace(water=False)))
    alarms.on_clock_jump(7200.0)
    alarms.run_due()
    alarms.advance(minutes=3)
    (notice,) = away
    assert {o.kind for o in notice.occurrences} == {ReminderKind.STRETCH}
    assert "water" not in alarms.armed()


@pytest.fixture
def no_water_goal(tmp_path, clock: FakeClock, settings_holder: MemorySettings, alarms: FakeAlarms
                  ) -> Iterator[tuple[Session, Reminders, ReminderEventStore]]:
    """The service over a database whose water goal is gone (say, after an import)."""
    tracker, _store, database = make_tracker(tmp_path / "no-goal", clock, settings_holder)
    with database.connection:
        database.connection.execute("DELETE FROM targets WHERE habit = 'water'")
    session = Session(tracker, settings_holder, settings_holder.save)
    events = ReminderEventStore(database.connection)
    service = Reminders(session, events, clock, alarms=alarms, watch_sleep=False)
    yield session, service, events
    service.stop()
    session.deleteLater()
    database.connection.close()


def test_without_a_water_goal_water_comes_on_its_interval_not_on_pace(
        qtbot, no_water_goal: tuple[Session, Reminders, ReminderEventStore],
        alarms: FakeAlarms) -> None:
    session, reminders, events = no_water_goal
    assert "water" not in session.targets()
    session.log("water", 3000)  # plenty, but with no goal there is no pace to be on
    reminders.start()
    assert alarms.armed()["water"] == at(15)
    due = recorder(reminders.due)
    alarms.advance(minutes=30)
    water = [r for r in due if r.kind is ReminderKind.WATER]
    assert len(water) == 1
    assert "no daily water goal" in water[0].body and "behind" not in water[0].body
    assert not [o for o in outcomes(events) if o[0] == "water" and o[2] == "suppressed"]
    reminders.shown(water[0])
    reminders.skip(water[0])
    assert alarms.armed()["water"] == at(16)
    alarms.advance(minutes=60)
    assert [r.kind for r in due].count(ReminderKind.WATER) == 2
    assert not [o for o in outcomes(events) if o[3] == "on_pace"]


def test_the_schedule_is_announced_only_when_it_moved(
        reminders: Reminders, alarms: FakeAlarms, session: Session) -> None:
    reminders.start()
    announced: list[None] = []
    reminders.schedule_changed.connect(lambda: announced.append(None))
    session.log("stretching", 1)  # moves no water, caffeine or sleep reminder
    assert announced == []
    settings = session.settings()
    session.save_settings(settings.replace(water_unit="fl_oz"))  # no reminder depends on it
    assert announced == []
    session.log("water", 2000)  # the goal is met: water moves to tomorrow
    assert len(announced) == 1
    session.save_settings(session.settings().replace(reminders=settings.reminders.replace(
        stretch_every_minutes=45)))
    assert len(announced) == 2
    session.check_day()  # the same day: nothing
    assert len(announced) == 2
