"""The daily twitch rating from the tray and the window: one click for 0–4 (ticked after), the
dialog for body areas, "Log a twitch" only with the diary on, and bad input said inline."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from quell.app.windows import Windows
from quell.core.ratings import TwitchRating
from quell.core.settings import TwitchDiary
from quell.ui.services.session import Session
from quell.ui.shell.main_window import MainWindow
from quell.ui.shell.menus import AppActions
from quell.ui.shell.tray import TrayController
from quell.ui.symptoms.rating_dialog import TwitchRatingDialog
from tests.conftest import LONDON, FakeClock
from tests.helpers import MemorySettings

TODAY = date(2026, 3, 10)


def db(session: Session) -> sqlite3.Connection:
    return session.tracker.store.connection  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def tray(qtbot, session: Session) -> Iterator[TrayController]:
    controller = TrayController(session)
    yield controller
    controller.hide()
    controller.menu.deleteLater()
    controller.deleteLater()


def rating_actions(tray: TrayController) -> list[str]:
    menu = tray.menu.findChild(QMenu, "twitchRatingMenu") or tray.actions.rating_menu
    return [a.objectName() for a in menu.actions() if not a.isSeparator()]


def test_the_tray_offers_todays_rating_first_with_a_tick_after(qtbot, tray: TrayController,
                                                                session: Session) -> None:
    top = tray.menu.actions()
    names = [a.objectName() for a in top]
    menu = tray.actions.rating_menu
    assert menu.menuAction() in top  # the first level, not under More
    # Then "Log a twitch" (hidden while the diary is off), then the check.
    assert names.index("logTwitch") == top.index(menu.menuAction()) + 1
    assert names.index("symptomCheck") == names.index("logTwitch") + 1
    assert rating_actions(tray) == [*(f"rateTwitch_{n}" for n in range(5)), "rateTwitchWhere"]
    assert [a.text() for a in menu.actions()[:5]] == [
        "&0 — Not at all", "&1 — A little", "&2 — Somewhat", "&3 — Quite a lot", "&4 — A lot"]
    assert not any(tray.action(f"rateTwitch_{n}").isChecked() for n in range(5))
    with qtbot.wait_signal(session.changed):
        tray.action("rateTwitch_3").trigger()
    assert session.today_rating() == TwitchRating(TODAY, 3)
    assert tray.action("rateTwitch_3").isChecked()
    assert "Twitching today: 3 of 4 (quite a lot)" in tray.icon.toolTip()
    tray.action("rateTwitch_1").trigger()  # a second rating replaces the first
    assert session.today_rating() == TwitchRating(TODAY, 1)
    assert tray.action("rateTwitch_1").isChecked() and not tray.action("rateTwitch_3").isChecked()


def test_a_rating_from_the_menu_keeps_the_areas_given_today(qtbot, tray: TrayController,
                                                            session: Session) -> None:
    session.rate(2, areas=["calf"])
    tray.action("rateTwitch_4").trigger()
    assert session.today_rating() == TwitchRating(TODAY, 4, ("calf",))


def test_a_new_day_starts_unrated(qtbot, tray: TrayController, session: Session,
                                  clock: FakeClock) -> None:
    tray.action("rateTwitch_2").trigger()
    clock.set(datetime(2026, 3, 11, 9, 0, tzinfo=LONDON))
    session.check_day()
    assert not any(tray.action(f"rateTwitch_{n}").isChecked() for n in range(5))
    assert session.rating_on(TODAY) == TwitchRating(TODAY, 2)


def test_log_a_twitch_shows_only_with_the_diary_on(qtbot, tray: TrayController,
                                                   session: Session,
                                                   settings_holder: MemorySettings) -> None:
    log = tray.actions.action("logTwitch")
    assert not log.isVisible()  # not chosen, and no episode logged: the rating alone
    db(session).execute(
        "INSERT INTO twitches (ts, utc_offset, day, area, intensity, source, created)"
        " VALUES (0, 0, '2026-03-09', 'calf', 2, 'cli', 0)")
    session.notify_external_change()
    assert log.isVisible()  # someone who logs episodes keeps the diary (an upgrade, say)
    session.save_settings(settings_holder.value.replace(twitch_diary=TwitchDiary.OFF))
    assert not log.isVisible()
    session.save_settings(settings_holder.value.replace(twitch_diary=TwitchDiary.ON))
    assert log.isVisible()


def test_the_main_windows_twitches_menu_has_the_rating_too(qtbot, session: Session) -> None:
    actions = AppActions(session)
    window = MainWindow(session, actions, tray_available=lambda: True)
    qtbot.addWidget(window)
    twitches = window.findChild(QMenu, "twitchesMenu")
    assert twitches is not None
    assert actions.rating_menu.menuAction() in twitches.actions()
    with qtbot.wait_signal(actions.open_twitch_rating):
        actions.action("rateTwitchWhere").trigger()


def test_where_opens_the_dialog_which_saves_rating_and_areas(qtbot, session: Session) -> None:
    windows = Windows(session)
    windows.show_twitch_rating()
    dialog = windows.twitch_rating_dialog
    assert isinstance(dialog, TwitchRatingDialog) and dialog.isVisible()
    assert dialog.title.text() == "How much did twitching bother you today?"
    assert not dialog.ok_button.isEnabled()  # nothing chosen yet
    dialog.choices[2].click()
    dialog.area_boxes["eyelid"].setChecked(True)
    dialog.area_boxes["foot"].setChecked(True)
    with qtbot.wait_signal(dialog.rated):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert session.today_rating() == TwitchRating(TODAY, 2, ("eyelid", "foot"))


def test_the_dialog_opens_with_the_days_rating_and_replaces_it(qtbot, session: Session) -> None:
    session.rate(3, areas=["neck"])
    dialog = TwitchRatingDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.value() == 3 and dialog.areas() == ["neck"]
    assert dialog.ok_button.isEnabled()
    dialog.choices[0].click()
    dialog.area_boxes["neck"].setChecked(False)
    qtbot.keyClick(dialog.choices[0], Qt.Key.Key_Return)  # Enter saves
    assert session.today_rating() == TwitchRating(TODAY, 0)


def test_a_day_that_cannot_be_rated_is_said_inline_and_nothing_is_written(
        qtbot, session: Session) -> None:
    later = TODAY + timedelta(days=1)
    dialog = TwitchRatingDialog(session, day=later)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.choices[1].click()
    dialog.ok_button.click()
    assert dialog.isVisible() and "has not come yet" in dialog.error.text()
    assert dialog.value() == 1  # the choice is kept
    assert session.rating_on(later) is None


def test_the_rating_choices_are_reachable_by_keyboard(qtbot, session: Session) -> None:
    dialog = TwitchRatingDialog(session)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    assert QApplication.focusWidget() is dialog.choices[0]
    QTest.keyClick(dialog.choices[0], Qt.Key.Key_Space)
    for _step in range(4):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert dialog.value() == 4 and QApplication.focusWidget() is dialog.choices[4]
    assert [dialog.choices[n].accessibleName() for n in (0, 4)] == ["0: Not at all",
                                                                   "4: A lot"]


def test_today_window_rates_the_day_it_shows(qtbot, session: Session) -> None:
    windows = Windows(session)
    window = windows.main()
    qtbot.addWidget(window)
    window.show()
    today = window.today
    assert today.rating_button.text() == "Twitching t&oday…"
    assert today.rating_button.isVisible() and not today.twitch_button.isVisible()
    today.rating_button.click()
    dialog = windows.twitch_rating_dialog
    assert isinstance(dialog, TwitchRatingDialog) and dialog.day == TODAY
    dialog.choices[1].click()
    dialog.ok_button.click()
    assert today.rating_button.text() == "Twitching t&oday: 1 of 4 (a little)…"
    today.previous_day()
    assert today.rating_button.text() == "Twitching on this &day…"
    today.rating_button.click()
    other = windows.twitch_rating_dialog
    assert isinstance(other, TwitchRatingDialog) and other.day == TODAY - timedelta(days=1)
    assert other.title.text().startswith("How much did twitching bother you on ")
    # Asked for today again while yesterday's is open: today's takes its place.
    windows.show_twitch_rating()
    again = windows.twitch_rating_dialog
    assert isinstance(again, TwitchRatingDialog) and again.day == TODAY
    qtbot.wait_until(lambda: windows.twitch_rating_dialog is again)
    again.reject()
