"""Reminders as native notifications: the real presenter, a real private session bus, a fake
notification server (tests/platform/fake_notifications.py) and the real reminder store."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from quell import APP_ID
from quell.core.presence import HoldReason, waited_text
from quell.core.reminders import ReminderKind
from quell.ui.reminders import presenter as reminder_presenter
from quell.ui.reminders.presenter import ReminderPresenter
from tests.conftest import FakeClock
from tests.platform.conftest import fresh_shared_buses, session_bus  # noqa: F401 (fixtures)
from tests.platform.fake_notifications import FakeNotificationServer, NotifyCall
from tests.ui.reminder_helpers import ReminderParts, reminder_parts
from tests.ui.reminders.test_card import a_reminder, outcomes


@pytest.fixture
def parts(qtbot, tmp_path: Path, clock: FakeClock) -> Iterator[ReminderParts]:
    with reminder_parts(tmp_path / "data", clock) as built:
        yield built


def use_style(parts: ReminderParts, style: str, **more: object) -> None:
    settings = parts.session.settings()
    parts.session.save_settings(settings.replace(
        reminders=settings.reminders.replace(style=style, **more)))


@pytest.fixture
def server(session_bus: str) -> Iterator[FakeNotificationServer]:  # noqa: F811
    fake = FakeNotificationServer(session_bus)
    yield fake
    fake.close()


@pytest.fixture
def presenter(qtbot, parts: ReminderParts, server) -> Iterator[ReminderPresenter]:
    shown = ReminderPresenter(parts.reminders, parts.session)
    qtbot.addWidget(shown.card)
    yield shown
    for window in (shown.stretch_routine, shown.breathing_window):
        if window is not None:
            window.close()
            window.deleteLater()


def due_now(parts: ReminderParts) -> None:
    parts.alarms.advance(minutes=30)  # 15:00: water and stretch fall due


def answer(qtbot, server: FakeNotificationServer, call: NotifyCall, key: str) -> None:
    before = len(server.notifications)
    server.invoke(call.id, key)
    qtbot.waitUntil(lambda: len(server.notifications) > before or call.id in
                    server.closed_by_client or not server.notifications, timeout=2000)
    qtbot.wait(20)


def test_a_reminder_goes_as_a_notification_with_its_buttons(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter, server) -> None:
    use_style(parts, "notification")
    due_now(parts)
    assert not presenter.card.isVisible()
    assert presenter.has_card() and presenter.current is not None
    call = server.last
    assert len(server.notifications) == 1  # one at a time
    assert call.signature == "susssasa{sv}i"
    assert call.app_name == "Quell" and call.app_icon == APP_ID
    assert call.summary == presenter.current.title
    assert call.hint("desktop-entry") == APP_ID
    assert call.hint("image-data")[:2] == (64, 64)
    assert call.expire_timeout == 2 * 60_000
    keys = ("default", "start", "snooze", "skip") if presenter.current.kind in (
        ReminderKind.STRETCH, ReminderKind.BREATHE) else ("default", "done", "snooze", "skip")
    assert call.action_keys == keys


def test_done_on_the_water_notification_logs_a_glass_and_start_opens_stretching(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter, server) -> None:
    use_style(parts, "notification")
    due_now(parts)
    kinds = {}
    for _ in range(2):
        call = server.last
        kind = presenter.current.kind
        kinds[kind] = call
        answer(qtbot, server, call, "start" if kind is ReminderKind.STRETCH else "done")
    assert set(kinds) == {ReminderKind.WATER, ReminderKind.STRETCH}
    water = kinds[ReminderKind.WATER]
    assert dict(water.actions)["done"] == "Drank a glass"
    assert dict(kinds[ReminderKind.STRETCH].actions)["start"] == "Start"
    assert parts.session.summary().get("water").total == 250
    assert {("water", "done", "logged"), ("stretch", "done", "opened")} <= set(outcomes(parts))
    assert presenter.stretch_routine is not None and presenter.stretch_routine.isVisible()
    assert not presenter.has_card()
    events = parts.events.events_between(parts.clock.now() - timedelta(hours=1),
                                         parts.clock.now() + timedelta(hours=1))
    assert all(e.shown is not None for e in events)


def test_snooze_and_skip_from_the_notification(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter, server) -> None:
    use_style(parts, "notification")
    due_now(parts)
    answer(qtbot, server, server.last, "snooze")
    answer(qtbot, server, server.last, "skip")
    assert sorted(o[1] for o in outcomes(parts)) == ["skipped", "snoozed"]
    snoozed = next(o for o in outcomes(parts) if o[1] == "snoozed")
    kind = ReminderKind(snoozed[0])
    assert parts.reminders.snoozed_until(kind) == parts.clock.now() + timedelta(minutes=10)
    assert not presenter.has_card()


def test_an_expired_or_dismissed_notification_is_missed(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter, server) -> None:
    use_style(parts, "notification")
    due_now(parts)
    first = server.last
    server.expire(first.id)
    qtbot.waitUntil(lambda: len(server.notifications) == 2, timeout=2000)
    server.dismiss(server.last.id)
    qtbot.waitUntil(lambda: not presenter.has_card(), timeout=2000)
    assert [o[1:] for o in outcomes(parts)] == [("missed", "ignored")] * 2


def test_a_click_opens_the_card_with_focus(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter, server) -> None:
    use_style(parts, "notification")
    due_now(parts)
    call = server.last
    server.invoke(call.id, "default")
    qtbot.waitUntil(lambda: presenter.card.isVisible(), timeout=2000)
    qtbot.waitUntil(lambda: server.closed_by_client == [call.id], timeout=2000)
    assert presenter.card.title.text() == call.summary
    presenter.card.skip_button.click()
    assert tuple({o[1] for o in outcomes(parts)}) == ("skipped",)
    assert len(server.notifications) == 2  # the second reminder, again as a notification


def test_answer_the_reminder_from_the_tray_moves_it_to_the_card(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter, server) -> None:
    use_style(parts, "notification")
    due_now(parts)
    call = server.last
    assert presenter.focus_card()
    assert presenter.card.isVisible() and presenter.card.title.text() == call.summary
    qtbot.waitUntil(lambda: server.closed_by_client == [call.id], timeout=2000)
    presenter.card.done_button.click()
    assert len(outcomes(parts)) == 1 and outcomes(parts)[0][1] == "done"


def test_without_actions_the_card_stands_in_logged_once(
        qtbot, parts: ReminderParts, session_bus, caplog) -> None:  # noqa: F811
    caplog.set_level(logging.INFO, "quell.ui.reminders.presenter")
    plain = FakeNotificationServer(session_bus, capabilities=("body",))
    try:
        presenter = ReminderPresenter(parts.reminders, parts.session)
        qtbot.addWidget(presenter.card)
        use_style(parts, "notification")
        due_now(parts)
        assert presenter.card.isVisible()
        presenter.card.skip_button.click()
        assert presenter.card.isVisible()
        assert plain.notifications == []
        assert caplog.text.count("the notification server shows no buttons") == 1
    finally:
        plain.close()


def test_both_shows_card_and_notification_and_one_answer_closes_the_other(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter, server) -> None:
    use_style(parts, "both")
    due_now(parts)
    first = server.last
    assert presenter.card.isVisible() and presenter.card.title.text() == first.summary
    presenter.card.skip_button.click()  # on the card: the notification goes
    qtbot.waitUntil(lambda: server.closed_by_client == [first.id], timeout=2000)
    second = server.last
    assert second.id != first.id
    assert presenter.card.isVisible() and presenter.card.title.text() == second.summary
    answer(qtbot, server, second, "snooze")  # in the notification: the card goes
    assert not presenter.card.isVisible() and not presenter.has_card()
    assert sorted(o[1] for o in outcomes(parts)) == ["skipped", "snoozed"]


def test_in_both_a_closed_notification_leaves_the_card(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter, server) -> None:
    use_style(parts, "both")
    due_now(parts)
    server.expire(server.last.id)
    qtbot.wait(100)
    assert presenter.card.isVisible() and outcomes(parts) == []


def test_a_reminder_style_overrides_the_setting(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter, server) -> None:
    use_style(parts, "card")
    parts.reminders.remind_now(ReminderKind.WATER, style="notification")
    assert not presenter.card.isVisible()
    assert server.last.action_keys == ("default", "done", "snooze", "skip")
    answer(qtbot, server, server.last, "done")
    assert parts.session.summary().get("water").total == 250
    use_style(parts, "notification")
    parts.reminders.remind_now(ReminderKind.BREATHE, style="card")
    assert presenter.card.isVisible() and len(server.notifications) == 1


def test_a_held_reminder_says_why_it_waited(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter, server) -> None:
    held = replace(a_reminder(ReminderKind.WATER), held=HoldReason.MEETING)
    use_style(parts, "both")
    parts.reminders.due.emit(held)
    line = waited_text(HoldReason.MEETING)
    assert server.last.body.endswith(line)
    assert presenter.card.body.text().endswith(line)
    assert server.last.body.startswith(held.body[:20])


def test_a_withdrawn_reminder_closes_its_notification(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter, server) -> None:
    use_style(parts, "notification")
    due_now(parts)
    first = server.last
    parts.alarms.advance(hours=1)  # the 16:00 ones replace the unanswered 15:00 ones
    qtbot.waitUntil(lambda: first.id in server.closed_by_client, timeout=2000)
    assert presenter.current is not None and presenter.current.due.hour == 16
    assert server.last.id != first.id


def test_the_away_notice_goes_as_a_notification_without_buttons(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter, server) -> None:
    use_style(parts, "notification")
    parts.alarms.sleep(hours=2)
    parts.alarms.advance(minutes=3)
    call = server.last
    assert call.summary == "While you were away"
    assert "Stretch break · 15:00, 16:00" in call.body
    assert call.action_keys == ("default",)
    server.invoke(call.id, "default")
    qtbot.waitUntil(lambda: presenter.card.isVisible(), timeout=2000)
    assert presenter.card.is_notice


def test_sound_goes_to_a_server_that_plays_it(
        qtbot, parts: ReminderParts, session_bus, monkeypatch) -> None:  # noqa: F811
    played: list[bool] = []
    monkeypatch.setattr(reminder_presenter, "play_sound", lambda: played.append(True))
    sounding = FakeNotificationServer(session_bus, capabilities=("actions", "body", "sound"))
    try:
        presenter = ReminderPresenter(parts.reminders, parts.session)
        qtbot.addWidget(presenter.card)
        use_style(parts, "notification", sound=True)
        due_now(parts)
        assert sounding.last.hint("sound-name") == "message-new-instant"
        assert played == []
        use_style(parts, "card", sound=True)
        answer(qtbot, sounding, sounding.last, "skip")
        assert presenter.card.isVisible() and played == [True]
    finally:
        sounding.close()


def test_without_a_session_bus_notification_style_uses_the_card(
        qtbot, parts: ReminderParts) -> None:
    presenter = ReminderPresenter(parts.reminders, parts.session)
    qtbot.addWidget(presenter.card)
    use_style(parts, "notification")
    due_now(parts)
    assert presenter.card.isVisible()
    assert not presenter.notifications.available()
