"""The reminder card and its presenter: focus-safe flags, placement, answers, fading, queueing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QWidget

from quell.core.reminders import DayFacts, Occurrence, ReminderKind, ReminderPolicy
from quell.core.settings import ReminderStyle, Settings
from quell.ui.reminders.card import ReminderCard, card_position
from quell.ui.reminders.presenter import ReminderPresenter
from tests.conftest import LONDON, FakeClock
from tests.ui.reminder_helpers import ReminderParts, reminder_parts
from tests.ui.today.test_window import dark_palette

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=LONDON)


def a_reminder(kind: ReminderKind = ReminderKind.STRETCH):
    policy = ReminderPolicy(Settings(), LONDON)
    return policy.reminder(Occurrence(kind, NOW, NOW.date()), NOW,
                           DayFacts(NOW.date(), water_target_ml=2000))


@pytest.fixture
def card(qtbot) -> ReminderCard:
    widget = ReminderCard()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def parts(qtbot, tmp_path: Path, clock: FakeClock) -> Iterator[ReminderParts]:
    with reminder_parts(tmp_path / "data", clock) as built:
        yield built


@pytest.fixture
def presenter(qtbot, parts: ReminderParts) -> Iterator[ReminderPresenter]:
    shown = ReminderPresenter(parts.reminders, parts.session)
    qtbot.addWidget(shown.card)
    yield shown
    for window in (shown.stretch_routine, shown.breathing_window):
        if window is not None:
            window.close()
            window.deleteLater()


def outcomes(parts: ReminderParts) -> list[tuple[str, str, str]]:
    start = parts.clock.now() - timedelta(days=1)
    return [(e.reminder.value, e.outcome.value, e.reason)
            for e in parts.events.events_between(start, start + timedelta(days=3))]


# -- the card ------------------------------------------------------------------------------


def test_the_card_never_takes_focus_by_itself(card: ReminderCard) -> None:
    flags = card.windowFlags()
    for flag in (Qt.WindowType.Tool, Qt.WindowType.FramelessWindowHint,
                 Qt.WindowType.WindowStaysOnTopHint, Qt.WindowType.WindowDoesNotAcceptFocus):
        assert flags & flag
    assert card.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)


@pytest.mark.parametrize(("tray", "expected"), [
    (QRect(1257, 1, 22, 30), QPoint(1280 - 12 - 380, 31 + 12)),         # top panel, right
    (QRect(1200, 770, 24, 30), QPoint(1224 - 380, 770 - 12 - 140)),       # bottom panel
    (None, QPoint(1280 - 12 - 380, 800 - 12 - 140)),                      # unknown: corner
    (QRect(2, 300, 24, 24), QPoint(12, 324 + 12)),                        # left edge: clamped
])
def test_card_position(tray: QRect | None, expected: QPoint) -> None:
    available = QRect(0, 0, 1280, 800)
    assert card_position(QSize(380, 140), available, tray) == expected


def test_card_position_stays_on_a_small_screen() -> None:
    spot = card_position(QSize(380, 140), QRect(0, 0, 400, 150), QRect(380, 0, 20, 20))
    assert spot.x() >= 0 and spot.y() >= 0


def test_a_reminder_card_and_its_answers(qtbot, card: ReminderCard) -> None:
    reminder = a_reminder()
    card.show_reminder(reminder, timedelta(minutes=2))
    card.present()
    assert card.isVisible()
    assert card.title.text() == "Stretch break"
    assert card.done_button.text() == "Start stretching"
    assert card.when.text() == "due 15:00"
    assert not card.ok_button.isVisibleTo(card)
    for button in (card.done_button, card.snooze_button, card.skip_button):
        assert button.isVisibleTo(card) and (button.accessibleName() or button.text())
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    with qtbot.wait_signal(card.snoozed, timeout=500) as blocker:
        card.snooze_30.trigger()
    assert blocker.args == [30]
    assert not card.isVisible()
    with qtbot.assert_not_emitted(card.done):
        card.done_button.click()  # already answered


def test_snooze_button_means_ten_minutes(qtbot, card: ReminderCard) -> None:
    card.show_reminder(a_reminder(), timedelta(minutes=2))
    card.present()
    with qtbot.wait_signal(card.snoozed, timeout=500) as blocker:
        card.snooze_button.click()
    assert blocker.args == [10]


def test_escape_skips(qtbot, card: ReminderCard) -> None:
    card.show_reminder(a_reminder(), timedelta(minutes=2))
    card.present()
    with qtbot.wait_signal(card.skipped, timeout=500):
        qtbot.keyClick(card, Qt.Key.Key_Escape)


def test_a_notice_has_only_ok(qtbot, card: ReminderCard) -> None:
    card.show_notice("reminder-away", "While you were away", "Pick what helps.",
                     timedelta(minutes=2), ["Water · 15:00"])
    card.present()
    assert card.is_notice
    assert card.body.text() == "• Water · 15:00\n\nPick what helps."
    assert card.ok_button.isVisibleTo(card)
    assert not card.done_button.isVisibleTo(card)
    with qtbot.wait_signal(card.acknowledged, timeout=500):
        card.ok_button.click()


def test_an_ignored_card_fades(qtbot, card: ReminderCard) -> None:
    card.show_reminder(a_reminder(), timedelta(milliseconds=30))
    card.present()
    with qtbot.wait_signal(card.faded, timeout=4000):
        pass
    assert not card.isVisible()


def test_take_focus_lets_the_keyboard_in(qtbot, card: ReminderCard) -> None:
    card.show_reminder(a_reminder(), timedelta(minutes=2))
    card.present()
    card.take_focus()
    assert not card.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    card.dismiss()
    assert card.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus


def test_every_kind_fits_and_paints_in_dark(qtbot, card: ReminderCard) -> None:
    card.setPalette(dark_palette())
    for kind in ReminderKind:
        card.show_reminder(a_reminder(kind), timedelta(minutes=2))
        card.present()
        image = card.grab().toImage()
        assert image.width() == 380 and card.height() >= 100
        assert card.body.height() >= card.body.heightForWidth(card.body.width())


# -- the presenter -------------------------------------------------------------------------


def test_a_due_reminder_shows_and_done_logs_water(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter) -> None:
    parts.alarms.advance(minutes=30)  # 15:00: water and stretch
    assert presenter.card.isVisible()
    first = presenter.current
    assert first is not None
    if first.kind is not ReminderKind.WATER:
        presenter.card.skip_button.click()
    assert presenter.current.kind is ReminderKind.WATER
    presenter.card.done_button.click()
    assert parts.session.summary().get("water").total == 250
    assert ("water", "done", "logged") in outcomes(parts)
    assert not presenter.has_card()
    events = parts.events.events_between(NOW, NOW + timedelta(minutes=1))
    assert all(e.shown is not None for e in events)


def test_reminders_queue_one_card_at_a_time(qtbot, parts: ReminderParts,
                                            presenter: ReminderPresenter) -> None:
    parts.alarms.advance(minutes=30)
    first = presenter.current
    presenter.card.skip_button.click()
    second = presenter.current
    assert {first.kind, second.kind} == {ReminderKind.WATER, ReminderKind.STRETCH}
    presenter.card.snooze_button.click()
    assert {o[1] for o in outcomes(parts)} == {"skipped", "snoozed"}
    assert not presenter.card.isVisible()


def test_done_opens_the_guided_exercises(qtbot, parts: ReminderParts,
                                         presenter: ReminderPresenter) -> None:
    parts.alarms.advance(minutes=30)
    while presenter.current is not None and presenter.current.kind is not ReminderKind.STRETCH:
        presenter.card.skip_button.click()
    presenter.card.done_button.click()
    assert presenter.stretch_routine is not None and presenter.stretch_routine.isVisible()
    assert ("stretch", "done", "opened") in outcomes(parts)
    parts.alarms.advance(hours=2, minutes=30)  # 17:30 breathe (others are answered below)
    while presenter.current is not None and presenter.current.kind is not ReminderKind.BREATHE:
        presenter.card.skip_button.click()
    assert presenter.current is not None
    presenter.card.done_button.click()
    assert presenter.breathing_window is not None and presenter.breathing_window.isVisible()


def test_done_on_the_sleep_reminder_asks_for_the_sleep_dialog(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter) -> None:
    parts.clock.set(datetime(2026, 3, 11, 7, 29, tzinfo=LONDON))  # Quell was blocked overnight
    parts.alarms.advance(minutes=2)
    assert presenter.card.is_notice  # yesterday's evening, coalesced: answered first
    presenter.card.ok_button.click()
    assert presenter.current is not None and presenter.current.kind is ReminderKind.SLEEP_LOG
    with qtbot.wait_signal(presenter.open_log_dialog, timeout=500) as blocker:
        presenter.card.done_button.click()
    assert blocker.args == ["sleep"]


def test_away_notice_is_one_card(qtbot, parts: ReminderParts,
                                 presenter: ReminderPresenter) -> None:
    parts.alarms.sleep(hours=2)
    parts.alarms.advance(minutes=3)
    assert presenter.card.isVisible() and presenter.card.is_notice
    assert presenter.card.title.text() == "While you were away"
    assert "Stretch break · 15:00, 16:00" in presenter.card.body.text()
    presenter.card.ok_button.click()
    assert not presenter.has_card()


def test_a_faded_card_counts_as_missed(qtbot, parts: ReminderParts,
                                       presenter: ReminderPresenter) -> None:
    parts.alarms.advance(minutes=30)
    with qtbot.wait_signal(presenter.card.faded, timeout=500):
        presenter.card._fade_out()
        presenter.card._animation.setCurrentTime(5000)
    assert ("missed", "ignored") in {o[1:] for o in outcomes(parts)}


def test_withdrawn_reminder_closes_its_card(qtbot, parts: ReminderParts,
                                            presenter: ReminderPresenter) -> None:
    parts.alarms.advance(minutes=30)
    parts.alarms.advance(hours=1)  # the 16:00 ones replace the unanswered 15:00 ones
    assert presenter.current is not None and presenter.current.due.hour == 16


def test_notifications_fall_back_to_the_card_without_a_tray(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter) -> None:
    settings = parts.session.settings()
    parts.session.save_settings(settings.replace(
        reminders=settings.reminders.replace(style=ReminderStyle.NOTIFICATION)))
    parts.alarms.advance(minutes=30)
    assert presenter.card.isVisible()
    assert presenter.focus_card()


def test_late_caffeine_shows_a_gentle_warning(qtbot, parts: ReminderParts,
                                              presenter: ReminderPresenter) -> None:
    parts.clock.set(datetime(2026, 3, 10, 20, 0, tzinfo=LONDON))
    parts.session.log_drink("filter_coffee")
    assert presenter.card.isVisible() and presenter.card.is_notice
    assert presenter.card.title.text() == "After today's caffeine cut-off"
    assert "About 63 mg" in presenter.card.body.text()
    assert "23:00" in presenter.card.body.text()


def test_early_caffeine_and_switched_off_reminder_do_not_warn(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter) -> None:
    parts.clock.set(datetime(2026, 3, 10, 9, 0, tzinfo=LONDON))
    parts.session.log_drink("espresso")
    assert not presenter.has_card()
    settings = parts.session.settings()
    parts.session.save_settings(settings.replace(
        reminders=settings.reminders.replace(caffeine_cutoff=False)))
    parts.clock.set(datetime(2026, 3, 10, 21, 0, tzinfo=LONDON))
    logged = parts.session.log_drink("energy_drink")
    assert not presenter.warn_late_caffeine(logged.entry)
    assert not presenter.has_card()


def test_exercises_open_once_and_are_windows(qtbot, parts: ReminderParts,
                                             presenter: ReminderPresenter) -> None:
    first = presenter.show_stretch_routine()
    assert presenter.show_stretch_routine() is first
    assert isinstance(first, QWidget) and first.isWindow()
    breathing = presenter.show_breathing()
    assert breathing.isWindow() and breathing.minutes == 2


def test_the_card_is_built_only_when_something_is_due(qtbot, parts: ReminderParts) -> None:
    presenter = ReminderPresenter(parts.reminders, parts.session)
    assert presenter._card is None  # a waiting tray app does not hold the card's widgets
    assert presenter.card is presenter.card
    presenter.card.close()


def test_the_wind_down_asks_the_days_twitch_rating_until_it_is_given(
        qtbot, parts: ReminderParts, presenter: ReminderPresenter) -> None:
    parts.reminders.remind_now(ReminderKind.WIND_DOWN)
    current = presenter.current
    assert current is not None and current.asks_rating
    assert presenter.card.done_button.text() == "Rate today…"
    assert presenter.card.body.text().endswith(
        "Before you go: how much did twitching bother you today?")
    with qtbot.wait_signal(presenter.open_twitch_rating, timeout=500):
        presenter.card.done_button.click()
    assert ("wind_down", "done", "noted") in outcomes(parts)  # answered like any other
    parts.session.rate(1)
    parts.reminders.remind_now(ReminderKind.WIND_DOWN)
    assert presenter.current is not None and not presenter.current.asks_rating
    assert presenter.card.done_button.text() == "Got it"
    assert "twitching" not in presenter.card.body.text()
    with qtbot.assert_not_emitted(presenter.open_twitch_rating):
        presenter.card.done_button.click()


def test_no_other_reminder_asks_about_twitching(qtbot, parts: ReminderParts,
                                                presenter: ReminderPresenter) -> None:
    for kind in ReminderKind:
        if kind is ReminderKind.WIND_DOWN:
            continue
        parts.reminders.remind_now(kind)
        assert presenter.current is not None and not presenter.current.asks_rating
        assert "twitching bother" not in presenter.card.body.text()
        presenter.card.skip_button.click()
