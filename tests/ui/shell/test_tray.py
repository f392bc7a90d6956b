"""The tray menu logs each habit in one or two clicks; icon and tooltip follow the day."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QSystemTrayIcon

from quell.core.habits import CAFFEINE_PRESETS
from quell.core.settings import TwitchDiary
from quell.ui.services.session import Session
from quell.ui.shell.tray import TrayController
from quell.ui.shell.tray_icon import STEPS, progress_step, tray_icon


@pytest.fixture
def tray(qtbot, session: Session):
    controller = TrayController(session)
    yield controller
    controller.hide()
    controller.menu.deleteLater()
    if controller.toast is not None:
        controller.toast.deleteLater()
    controller.deleteLater()


def total(session: Session, key: str) -> float | None:
    progress = session.summary().get(key)
    assert progress is not None
    return progress.total


def test_one_click_habits(tray: TrayController, session: Session) -> None:
    tray.action("logWaterGlass").trigger()
    tray.action("logWaterGlass").trigger()
    tray.action("logStretch").trigger()
    tray.action("logBreathing").trigger()
    tray.action("logMinerals").trigger()
    tray.action("logNicotine").trigger()
    tray.action("logWaterBottle").trigger()
    assert total(session, "water") == 1000
    assert total(session, "stretching") == 1
    assert total(session, "breathing") == 1
    assert total(session, "minerals") == 1
    assert total(session, "nicotine") == 1
    sources = {e.source.value for e in session.summary().get("water").entries}
    assert sources == {"tray"}


@pytest.mark.parametrize("preset", CAFFEINE_PRESETS, ids=lambda p: p.key)
def test_drink_presets(tray: TrayController, session: Session, preset) -> None:
    tray.action(f"drink_{preset.key}").trigger()
    assert total(session, "caffeine") == preset.mg


def test_stress_rating_is_checked_in_the_menu(tray: TrayController, session: Session) -> None:
    tray.action("stress_4").trigger()
    assert total(session, "stress") == 4
    assert tray.action("stress_4").isChecked()
    assert not tray.action("stress_2").isChecked()


def test_dialog_actions_ask_for_dialogs(qtbot, tray: TrayController, session: Session) -> None:
    # "Log a twitch" shows with the per-episode diary on ("Log each twitch").
    session.save_settings(session.settings().replace(twitch_diary=TwitchDiary.ON))
    for name, key in (("logSleep", "sleep"), ("caffeineOther", "caffeine"),
                      ("waterOther", "water"), ("logExercise", "exercise")):
        with qtbot.wait_signal(tray.open_log_dialog) as blocker:
            tray.action(name).trigger()
        assert blocker.args == [key]
    with qtbot.wait_signal(tray.open_today):
        tray.action("openToday").trigger()
    with qtbot.wait_signal(tray.open_today):
        tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    with qtbot.wait_signal(tray.open_settings):
        tray.action("openSettings").trigger()
    for name, signal in (("logTwitch", tray.open_twitch_log),
                         ("symptomCheck", tray.open_symptom_check),
                         ("twitchDiary", tray.open_twitch_diary),
                         ("checkHistory", tray.open_check_history),
                         ("doctorReport", tray.open_report)):
        with qtbot.wait_signal(signal):
            tray.action(name).trigger()
    with qtbot.wait_signal(tray.open_history):
        tray.action("openHistory").trigger()
    with qtbot.wait_signal(tray.export_requested):
        tray.action("exportData").trigger()
    with qtbot.wait_signal(tray.import_requested):
        tray.action("importData").trigger()
    with qtbot.wait_signal(tray.open_about):
        tray.action("openAbout").trigger()
    with qtbot.wait_signal(tray.quit_requested):
        tray.action("quit").trigger()


def test_tooltip_and_header_summarise_the_day(tray: TrayController, session: Session) -> None:
    session.log("water", 1250)
    session.log("caffeine", 190)
    tip = tray.icon.toolTip()
    assert "Water: 1,250 / 2,000 ml" in tip
    assert "Caffeine: 190 / 300 mg" in tip
    assert tray.menu.actions()[0].text().startswith("Today: ")
    session.log("caffeine", 200)
    assert "Caffeine: 390 / 300 mg ⚠" in tray.icon.toolTip()


def test_switched_off_habits_leave_the_menu(tray: TrayController, session: Session) -> None:
    session.set_enabled_habits(["water", "caffeine", "sleep", "stretching"])
    for name in ("logNicotine", "logMinerals", "logBreathing", "stress_1"):
        with pytest.raises(KeyError):
            tray.action(name)
    tray.action("logWaterGlass").trigger()
    assert total(session, "water") == 250


def test_fl_oz_labels(tray: TrayController, session: Session) -> None:
    session.save_settings(session.settings().replace(water_unit="fl_oz"))
    assert "8.5 fl oz" in tray.action("logWaterGlass").text()
    assert tray.action("logWaterGlass").text().startswith("Glass of w&ater")


def test_icon_reflects_progress_and_limits(tray: TrayController, session: Session) -> None:
    assert progress_step(0) == 0 and progress_step(1) == STEPS and progress_step(0.5) == 6
    assert tray_icon(3, False) is tray_icon(3, False)  # cached: drawn once
    before = tray.icon.icon().cacheKey()
    session.log("water", 2000)
    assert tray.icon.icon().cacheKey() != before
    session.log("caffeine", 500)
    assert tray.icon.icon().cacheKey() == tray_icon(
        progress_step(session.summary().score), True).cacheKey()


def test_a_tray_log_is_confirmed_and_can_be_undone(qtbot, tray: TrayController,
                                                   session: Session) -> None:
    session.log("water", 500)  # from the Today window: not the tray's to undo
    with pytest.raises(KeyError):
        tray.action("undoLast")  # nothing to undo yet: not in the menu
    tray.menu.aboutToShow.emit()  # what follows is chosen in the tray menu
    tray.action("logWaterGlass").trigger()
    tray.menu.aboutToHide.emit()
    toast = tray.toast
    assert toast is not None and toast.isVisible() and toast.isWindow()
    assert toast.message.text() == "Logged 250 ml of water"
    assert tray.icon.toolTip().startswith("Logged 250 ml of water\nQuell — Today: ")
    assert tray.action("undoLast").text() == "&Undo: 250 ml of water"
    glass = session.summary().get("water").entries[-1]
    assert toast.entry_id == glass.id
    toast.undo_button.click()
    assert [e.amount for e in session.summary().get("water").entries] == [500]
    assert not toast.isVisible()
    assert tray.icon.toolTip().startswith("Quell — Today: ")
    with pytest.raises(KeyError):
        tray.action("undoLast")  # undone once: gone from the menu


def test_the_undo_action_in_the_tray_menu(qtbot, tray: TrayController,
                                          session: Session) -> None:
    tray.action("logStretch").trigger()
    tray.action("drink_cola").trigger()
    assert tray.menu.actions()[2] is tray.action("undoLast")  # right under the header
    assert tray.action("undoLast").text() == "&Undo: cola (34 mg)"
    tray.action("undoLast").trigger()
    assert total(session, "caffeine") is None or total(session, "caffeine") == 0
    assert total(session, "stretching") == 1  # only the last one
    assert tray.toast is not None and not tray.toast.isVisible()


def test_the_tooltip_confirmation_is_brief(qtbot, tray: TrayController) -> None:
    tray._confirmation_timer.setInterval(30)
    tray.action("logBreathing").trigger()
    assert tray.icon.toolTip().startswith("Logged a breathing session\n")
    qtbot.wait_until(lambda: tray.icon.toolTip().startswith("Quell — "), timeout=1000)
    assert "Breathing: 1 / 2 sessions" in tray.icon.toolTip()


def test_a_log_from_the_window_leaves_the_tray_quiet(qtbot, tray: TrayController) -> None:
    tray.actions.set_origin("window")
    tray.action("logStretch").trigger()
    assert tray.toast is None or not tray.toast.isVisible()
    assert tray.icon.toolTip().startswith("Logged a stretch\n")  # the tooltip still says it
    tray.hide()


def test_a_user_habit_in_the_menu_and_the_tooltip(qtbot, tray: TrayController,
                                                  session: Session) -> None:
    from quell.core.habits import Direction, Kind, user_habit

    session.add_habit(user_habit("Alcohol", "drinks", Kind.COUNT, Direction.AT_MOST, 1,
                                 quick=(1,), catalog=session.habits()))
    tray.action("log_alcohol_0").trigger()
    tray.action("log_alcohol_0").trigger()
    assert total(session, "alcohol") == 2
    assert "Alcohol: 2 / 1 drink ⚠" in tray.icon.toolTip()
    assert tray.toast is not None and tray.toast.message.text() == "Logged Alcohol: 1 drink"
    assert tray.menu.actions()[0].text().startswith("Today: ")  # the header after a relayout
    session.archive_habit("alcohol")
    with pytest.raises(KeyError):
        tray.action("log_alcohol_0")
    assert "\nAlcohol:" not in tray.icon.toolTip()


def test_an_unrelated_setting_leaves_the_tray_alone(qtbot, tray: TrayController,
                                                    session: Session, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(tray, "_update", lambda *args: calls.append(args))
    session.save_settings(session.settings().replace(locale="GB"))
    assert calls == []
    session.save_settings(session.settings().replace(water_unit="fl_oz"))
    assert len(calls) == 1


def test_built_ins_keep_their_place(tray: TrayController) -> None:
    first = {a.objectName() for a in tray.menu.actions()}
    assert {"logWaterGlass", "logStretch", "logBreathing", "logSleep"} <= first
    assert {"caffeineMenu", "stressMenu"} <= {a.menu().objectName() for a in tray.menu.actions()
                                              if a.menu() is not None}
    more = next(a.menu() for a in tray.menu.actions()
                if a.menu() is not None and a.menu().objectName() == "moreMenu")
    assert {"logWaterBottle", "waterOther", "logMinerals", "logExercise", "logNicotine"} <= {
        a.objectName() for a in more.actions()}
    assert "caffeineOther" in {a.objectName() for a in tray.actions.caffeine_menu.actions()}
