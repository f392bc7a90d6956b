"""Settings → Twitches: "Log each twitch" and "Hide twitch charts for two weeks"."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from quell.core.settings import HIDE_CHARTS_FOR, TwitchDiary
from quell.ui.services.session import Session
from quell.ui.settings.dialog import SettingsDialog
from tests.conftest import FakeClock
from tests.ui.settings.test_dialog import autostart_folder  # noqa: F401  (autouse fixture)


@pytest.fixture
def dialog(qtbot, session: Session) -> SettingsDialog:
    widget = SettingsDialog(session)
    qtbot.addWidget(widget)
    return widget


def test_the_diary_is_off_by_default_with_a_note_why(dialog: SettingsDialog) -> None:
    assert not dialog.diary_box.isChecked()
    assert dialog.diary_box.text() == "&Log each twitch (beside the daily rating)"
    assert any("counting every twitch tends to draw attention to it" in label.text()
               for label in dialog.findChildren(QLabel))


def test_an_untouched_box_keeps_the_diary_as_it_is_used(qtbot, dialog: SettingsDialog,
                                                        session: Session) -> None:
    dialog.ok_button.click()
    assert session.settings().twitch_diary is TwitchDiary.AUTO


def test_ticking_and_unticking_the_diary_is_the_users_choice(qtbot, session: Session) -> None:
    first = SettingsDialog(session)
    qtbot.addWidget(first)
    first.diary_box.setChecked(True)
    first.ok_button.click()
    assert session.settings().twitch_diary is TwitchDiary.ON
    assert session.twitch_diary_offered()
    second = SettingsDialog(session)
    qtbot.addWidget(second)
    assert second.diary_box.isChecked()
    second.diary_box.setChecked(False)
    second.ok_button.click()
    assert session.settings().twitch_diary is TwitchDiary.OFF
    assert not session.twitch_diary_offered()


def test_hiding_the_charts_lasts_two_weeks_from_now(qtbot, session: Session,
                                                    clock: FakeClock) -> None:
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    assert not dialog.hide_charts_box.isChecked()
    dialog.hide_charts_box.setChecked(True)
    dialog.ok_button.click()
    assert session.settings().twitch_charts_hidden_until == clock.now() + HIDE_CHARTS_FOR
    again = SettingsDialog(session)
    qtbot.addWidget(again)
    assert again.hide_charts_box.isChecked()
    assert again.hide_charts_box.toolTip() == "Hidden until Tuesday 24 March"
    again.ok_button.click()  # untouched: the end stays where it was
    clock.set(clock.now() + HIDE_CHARTS_FOR / 2)
    assert session.settings().twitch_charts_hidden_until is not None
    shown = SettingsDialog(session)
    qtbot.addWidget(shown)
    shown.hide_charts_box.setChecked(False)
    shown.ok_button.click()
    assert session.settings().twitch_charts_hidden_until is None


def test_once_the_two_weeks_are_over_the_box_is_clear(qtbot, session: Session,
                                                      clock: FakeClock) -> None:
    session.save_settings(session.settings().replace(
        twitch_charts_hidden_until=clock.now() + HIDE_CHARTS_FOR))
    clock.set(clock.now() + HIDE_CHARTS_FOR)
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    assert not dialog.hide_charts_box.isChecked()
