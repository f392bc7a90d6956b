"""The tray's Reminders submenu: pause, resume, and when reminders come back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from quell.core.presence import HoldReason
from quell.core.reminders import ReminderKind
from quell.scheduling.presence import Presence
from quell.scheduling.reminders import Reminders
from quell.storage.reminder_events import ReminderEventStore
from quell.ui.reminders.menu import ReminderTrayMenu
from quell.ui.reminders.presenter import ReminderPresenter
from quell.ui.services.session import Session
from tests.conftest import LONDON, FakeClock
from tests.helpers import MemorySettings, make_tracker
from tests.scheduling.fakes import FakeAlarms, FakeSource
from tests.ui.reminder_helpers import ReminderParts, reminder_parts


@pytest.fixture
def parts(qtbot, tmp_path: Path, clock: FakeClock) -> Iterator[ReminderParts]:
    with reminder_parts(tmp_path / "data", clock) as built:
        yield built


@pytest.fixture
def menu(qtbot, parts: ReminderParts) -> Iterator[ReminderTrayMenu]:
    presenter = ReminderPresenter(parts.reminders, parts.session)
    qtbot.addWidget(presenter.card)
    built = ReminderTrayMenu(parts.reminders, presenter)
    qtbot.addWidget(built)
    yield built
    for window in (presenter.stretch_routine, presenter.breathing_window):
        if window is not None:
            window.close()
            window.deleteLater()


def test_not_paused(menu: ReminderTrayMenu) -> None:
    assert menu.title() == "&Reminders"
    assert menu.status.text() == "Next: Water at 15:00"
    assert not menu.resume.isEnabled()
    assert not menu.action_named("answerReminder").isVisible()


@pytest.mark.parametrize(("name", "until"), [
    ("pause30", "15:00"), ("pause60", "15:30"), ("pause120", "16:30"),
    ("pauseTomorrow", "tomorrow 07:00"),
])
def test_pause_and_resume(qtbot, menu: ReminderTrayMenu, parts: ReminderParts, name: str,
                          until: str) -> None:
    with qtbot.wait_signal(parts.reminders.pause_changed, timeout=500):
        menu.action_named(name).trigger()
    assert menu.title() == f"&Reminders (paused until {until})"
    assert menu.status.text() == f"Paused until {until}"
    assert menu.status_text() == f"Reminders paused until {until}"
    assert menu.resume.isEnabled()
    menu.resume.trigger()
    assert parts.reminders.paused_until is None
    assert menu.title() == "&Reminders"


def test_the_pause_runs_out_by_itself(qtbot, menu: ReminderTrayMenu,
                                      parts: ReminderParts) -> None:
    menu.action_named("pause30").trigger()
    with qtbot.wait_signal(parts.reminders.pause_changed, timeout=500):
        parts.alarms.advance(minutes=31)
    assert menu.title() == "&Reminders"


def test_answer_and_exercise_actions(qtbot, menu: ReminderTrayMenu,
                                     parts: ReminderParts) -> None:
    parts.alarms.advance(minutes=30)
    menu.refresh()
    assert menu.action_named("answerReminder").isVisible()
    with qtbot.wait_signal(menu.open_settings, timeout=500):
        menu.action_named("reminderSettings").trigger()
    menu.action_named("stretchNow").trigger()
    menu.action_named("breatheNow").trigger()
    from PySide6.QtWidgets import QApplication

    titles = {w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()}
    assert {"Quell — Stretch break", "Quell — Breathe"} <= titles


# -- why reminders wait, and which ------------------------------------------------------------


@dataclass
class HeldParts:
    session: Session
    reminders: Reminders
    alarms: FakeAlarms
    settings: MemorySettings
    clock: FakeClock
    presence: Presence
    sources: dict[HoldReason, FakeSource]

    def hold(self, reason: HoldReason, until: datetime | None = None) -> None:
        self.sources[reason].begin(self.clock.now(), until, notify=False)

    def release(self) -> None:
        for source in self.sources.values():
            source.end(notify=False)


@pytest.fixture
def held(qtbot, tmp_path: Path, clock: FakeClock) -> Iterator[HeldParts]:
    settings = MemorySettings()
    tracker, _store, database = make_tracker(tmp_path / "held", clock, settings)
    session = Session(tracker, settings, settings.save)
    sources = {reason: FakeSource(reason) for reason in HoldReason}
    presence = Presence(list(sources.values()), settings, clock)
    alarms = FakeAlarms(clock)
    reminders = Reminders(session, ReminderEventStore(database.connection), clock,
                          alarms=alarms, watch_sleep=False, presence=presence)
    reminders.start()
    yield HeldParts(session, reminders, alarms, settings, clock, presence, sources)
    reminders.stop()
    session.deleteLater()
    database.connection.close()


@pytest.fixture
def held_menu(qtbot, held: HeldParts) -> ReminderTrayMenu:
    built = ReminderTrayMenu(held.reminders)
    qtbot.addWidget(built)
    return built


def test_nothing_held_nothing_said(held_menu: ReminderTrayMenu) -> None:
    assert held_menu.title() == "&Reminders"
    assert held_menu.status.text() == "Next: Water at 15:00"
    assert not held_menu.waiting.isVisible()


@pytest.mark.parametrize(("reason", "text"), [
    (HoldReason.AWAY, "Reminders waiting: you are away"),
    (HoldReason.SCREEN_LOCKED, "Reminders waiting: the screen is locked"),
    (HoldReason.DO_NOT_DISTURB, "Reminders waiting: do not disturb is on"),
    (HoldReason.FULLSCREEN, "Reminders waiting: a full-screen window is in front"),
    (HoldReason.MEETING, "Reminders waiting: you are in a meeting"),
])
def test_the_menu_reads_presence_afresh_when_it_opens(held_menu: ReminderTrayMenu,
                                                      held: HeldParts, reason: HoldReason,
                                                      text: str) -> None:
    held.hold(reason)
    # The tooltip asks often and reads nothing: the last hold seen (none yet).
    reads = held.sources[reason].reads
    assert held_menu.status_text() == "Next: Water at 15:00"
    assert held.sources[reason].reads == reads
    held_menu.aboutToShow.emit()
    assert held.sources[reason].reads > reads
    assert held_menu.status.text() == text
    assert held_menu.title() == "&" + text
    assert held_menu.status_text() == text  # the tooltip now knows too
    assert not held_menu.waiting.isVisible()  # nothing has fallen due yet


def test_a_meeting_says_until_when(held_menu: ReminderTrayMenu, held: HeldParts) -> None:
    held.hold(HoldReason.MEETING, until=held.clock.now() + timedelta(hours=1))
    held_menu.aboutToShow.emit()
    assert held_menu.status.text() == "Reminders waiting: your meeting until 15:30"


def test_the_strongest_reason_is_named(held_menu: ReminderTrayMenu, held: HeldParts) -> None:
    held.hold(HoldReason.DO_NOT_DISTURB)
    held.hold(HoldReason.SCREEN_LOCKED)
    held_menu.aboutToShow.emit()
    assert held_menu.status.text() == "Reminders waiting: the screen is locked"


def test_which_reminders_wait_and_until_when(qtbot, held_menu: ReminderTrayMenu,
                                             held: HeldParts) -> None:
    held.hold(HoldReason.AWAY)
    with qtbot.wait_signal(held.reminders.hold_changed, timeout=500):
        held.alarms.advance(minutes=31)  # water and the stretch break fall due at 15:00
    assert held.reminders.pending() == []  # nothing shown
    assert held_menu.status.text() == "Reminders waiting: you are away"
    assert held_menu.waiting.isVisible()
    assert held_menu.waiting.text() == "Water and Stretch break wait until you are back"
    assert not held_menu.waiting.isEnabled()  # a line to read, not a button


@pytest.mark.parametrize(("reason", "until"), [
    (HoldReason.DO_NOT_DISTURB, "until do not disturb is off"),
    (HoldReason.FULLSCREEN, "until the full-screen window closes"),
    (HoldReason.MEETING, "until your meeting ends"),
    (HoldReason.SCREEN_LOCKED, "until you are back"),
])
def test_one_waiting_reminder(qtbot, held_menu: ReminderTrayMenu, held: HeldParts,
                              reason: HoldReason, until: str) -> None:
    held.session.save_settings(held.settings().replace(reminders=replace(
        held.settings().reminders, stretch=False)))
    held.hold(reason)
    held.alarms.advance(minutes=31)
    held_menu.aboutToShow.emit()
    assert held_menu.waiting.text() == f"Water waits {until}"


def test_back_at_the_desk_the_menu_says_so(qtbot, held_menu: ReminderTrayMenu,
                                           held: HeldParts) -> None:
    held.hold(HoldReason.DO_NOT_DISTURB)
    held.alarms.advance(minutes=31)
    assert held_menu.waiting.isVisible()
    held.release()
    shown: list[object] = []
    held.reminders.due.connect(shown.append)
    held.reminders.away.connect(shown.append)
    with qtbot.wait_signal(held.reminders.hold_changed, timeout=500):
        held.presence.changed.emit()  # a source said something changed
    assert len(shown) == 1  # one card for what waited
    assert held_menu.title() == "&Reminders"
    assert not held_menu.waiting.isVisible()
    assert "waiting" not in held_menu.status.text()


def test_a_pause_is_said_before_a_hold(held_menu: ReminderTrayMenu, held: HeldParts) -> None:
    held.hold(HoldReason.AWAY)
    held.reminders.pause(timedelta(minutes=30))
    held_menu.aboutToShow.emit()
    assert held_menu.status.text() == "Paused until 15:00"
    assert held_menu.status_text() == "Reminders paused until 15:00"


# -- postpone the next reminder ---------------------------------------------------------------


@pytest.mark.parametrize(("name", "minutes", "then"), [
    ("postpone15", 15, "15:15"), ("postpone30", 30, "15:30"), ("postpone60", 60, "16:00"),
])
def test_postpone_the_next_reminder(qtbot, menu: ReminderTrayMenu, parts: ReminderParts,
                                    name: str, minutes: int, then: str) -> None:
    assert menu.postpone.title() == "&Postpone the next reminder"
    assert menu.postpone.isEnabled()
    with qtbot.wait_signal(parts.reminders.schedule_changed, timeout=500):
        menu.action_named(name).trigger()
    moved = datetime(2026, 3, 10, 15, 0, tzinfo=LONDON) + timedelta(minutes=minutes)
    assert parts.reminders.snoozed_until(ReminderKind.WATER) == moved
    assert menu.status.text() == f"Next: Water at {then}"  # not its planned 15:00
    shown: list[object] = []
    parts.reminders.due.connect(shown.append)
    parts.alarms.advance(minutes=31)
    assert [r for r in shown if r.kind is ReminderKind.WATER] == []  # not at 15:00
    parts.alarms.advance(minutes=minutes)
    assert any(r.kind is ReminderKind.WATER for r in shown)


def test_the_postpone_items(menu: ReminderTrayMenu) -> None:
    names = [action.objectName() for action in menu.postpone.actions()]
    assert names == ["postpone15", "postpone30", "postpone60"]
    assert [a.text() for a in menu.postpone.actions()] == [
        "By &15 minutes", "By &30 minutes", "By &1 hour"]
    assert menu.postpone.menuAction() in menu.actions()


def test_nothing_to_postpone_when_nothing_is_coming(qtbot, menu: ReminderTrayMenu,
                                                    parts: ReminderParts) -> None:
    off = {kind.value: False for kind in ReminderKind}
    parts.session.save_settings(parts.settings().replace(
        reminders=replace(parts.settings().reminders, **off)))
    menu.aboutToShow.emit()
    assert parts.reminders.armed() == {}
    assert menu.status.text() == "No reminders coming up"
    assert not menu.postpone.isEnabled()


def test_nothing_to_postpone_while_paused(menu: ReminderTrayMenu) -> None:
    menu.action_named("pause60").trigger()
    assert not menu.postpone.isEnabled()
    menu.resume.trigger()
    assert menu.postpone.isEnabled()
