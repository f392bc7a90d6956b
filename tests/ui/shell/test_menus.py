"""The shared actions: made once, the same objects in every menu, Undo of the last one-click
log (exactly that entry, once), where a log came from."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMenu

from quell.core.errors import InputError
from quell.ui.services.session import Session
from quell.ui.shell.menus import SHORTCUTS, TRAY, WINDOW, AppActions, menu_actions
from tests.conftest import FakeClock


@pytest.fixture
def actions(qtbot, session: Session) -> AppActions:
    return AppActions(session)


def entries(session: Session, key: str) -> list:
    progress = session.summary().get(key)
    assert progress is not None
    return list(progress.entries)


def test_names_are_unique_and_laid_out_from_one_list(qtbot, actions: AppActions) -> None:
    names = actions.names()
    assert len(names) == len(set(names))
    tray = QMenu()
    actions.fill_tray_menu(tray, None)
    bar = [QMenu() for _ in range(3)]
    actions.fill_log_menu(bar[0])
    actions.fill_twitches_menu(bar[1])
    actions.fill_data_menu(bar[2])
    laid_out = {a.objectName() for a in menu_actions(tray)}
    assert set(names) <= laid_out  # the tray has them all
    # A menu holds the shared object, not a copy.
    for action in menu_actions(bar[0]):
        if action.objectName():
            assert actions.action(action.objectName()) is action
    # Keys come with the main window (Qt's first shortcut costs start-up ~13 ms).
    assert all(actions.action(name).shortcut().isEmpty() for name in SHORTCUTS)
    actions.install_shortcuts()
    for name, keys in SHORTCUTS.items():
        action = actions.action(name)
        assert action.shortcut().toString() == keys
        assert not action.isShortcutVisibleInContextMenu()  # the tray menu does not list it
    tray.deleteLater()
    for menu in bar:
        menu.deleteLater()


def test_laying_out_twice_keeps_the_shared_actions(qtbot, actions: AppActions) -> None:
    tray = QMenu()
    actions.fill_tray_menu(tray, None)
    before = actions.action("logWaterGlass")
    actions.fill_tray_menu(tray, None)  # e.g. when the reminders' menu arrives
    assert actions.action("logWaterGlass") is before
    assert [a for a in menu_actions(tray) if a is before] == [before]
    tray.deleteLater()


def test_switched_off_habits_hide_everywhere(qtbot, session: Session,
                                             actions: AppActions) -> None:
    for name in ("logBreathing", "logMinerals", "logExercise", "logNicotine", "stress_3"):
        assert actions.action(name).isVisible()
    session.set_enabled_habits(["water", "caffeine", "sleep", "stretching"])
    for name in ("logBreathing", "logMinerals", "logExercise", "logNicotine", "stress_3"):
        assert not actions.action(name).isVisible(), name
    assert not actions.stress_menu.menuAction().isVisible()
    session.set_enabled_habits(["water", "caffeine", "sleep", "stretching", "stress"])
    assert actions.action("stress_3").isVisible()
    assert actions.stress_menu.menuAction().isVisible()


def test_the_water_unit_renames_the_amounts(qtbot, session: Session,
                                            actions: AppActions) -> None:
    assert actions.action("logWaterGlass").text() == "Glass of w&ater  (+250 ml)"
    session.save_settings(session.settings().replace(water_unit="fl_oz"))
    assert actions.action("logWaterGlass").text() == "Glass of w&ater  (+8.5 fl oz)"
    assert "16.9 fl oz" in actions.action("logWaterBottle").text()


def test_undo_takes_back_exactly_the_last_log_once(qtbot, session: Session,
                                                   actions: AppActions) -> None:
    undo = actions.undo_action
    assert not undo.isVisible() and actions.last_logged is None
    session.log("water", 500)  # logged elsewhere (the Today window): not the tray's to undo
    actions.action("logWaterGlass").trigger()
    actions.action("logWaterBottle").trigger()
    assert [e.amount for e in entries(session, "water")] == [500, 250, 500]
    bottle = entries(session, "water")[-1]
    assert undo.isVisible() and undo.text() == "&Undo: 500 ml of water"
    with qtbot.wait_signal(actions.undone) as blocker:
        undo.trigger()
    assert blocker.args[0].id == bottle.id
    assert [e.amount for e in entries(session, "water")] == [500, 250]
    assert not undo.isVisible() and actions.last_logged is None
    with qtbot.assert_not_emitted(actions.undone):
        undo.trigger()  # once: nothing more is taken back
        assert actions.undo() is None
    assert [e.amount for e in entries(session, "water")] == [500, 250]


def test_undo_of_another_entry_is_refused(qtbot, session: Session,
                                          actions: AppActions) -> None:
    actions.action("logStretch").trigger()
    first = entries(session, "stretching")[-1]
    actions.action("logStretch").trigger()
    # A toast left over from the first log must not take back the second.
    assert actions.undo(first.id) is None
    assert len(entries(session, "stretching")) == 2
    assert actions.undo_action.text() == "&Undo: a stretch"


def test_undo_after_the_entry_was_deleted_elsewhere(qtbot, session: Session,
                                                    actions: AppActions) -> None:
    actions.action("drink_espresso").trigger()
    entry = entries(session, "caffeine")[-1]
    assert actions.undo_action.text() == "&Undo: espresso (63 mg)"
    session.delete(entry.id)
    with qtbot.wait_signal(actions.message) as blocker:
        assert actions.undo() is None
    assert blocker.args[0] == "Not undone"
    assert not actions.undo_action.isVisible()


def test_a_new_day_forgets_the_undo(qtbot, session: Session, actions: AppActions,
                                    clock: FakeClock) -> None:
    actions.action("stress_4").trigger()
    assert actions.undo_action.text() == "&Undo: stress 4 of 5 (stressed)"
    assert actions.action("stress_4").isChecked()
    clock.advance(days=1)
    session.check_day()
    assert not actions.undo_action.isVisible()


def test_a_rejected_log_says_why_and_leaves_the_undo(qtbot, monkeypatch, session: Session,
                                                     actions: AppActions) -> None:
    actions.action("logStretch").trigger()
    stretch = entries(session, "stretching")[-1]

    def refuse(*_args, **_kwargs):
        raise InputError("that is more water than anyone drinks at once")

    monkeypatch.setattr(session, "log", refuse)
    with qtbot.wait_signal(actions.message) as blocker:
        actions.action("logWaterGlass").trigger()
    assert blocker.args == ["Not logged", "that is more water than anyone drinks at once"]
    assert actions.last_logged == stretch  # Undo still takes back the stretch
    assert actions.undo_action.text() == "&Undo: a stretch"


def test_origin_decides_the_source(qtbot, session: Session, actions: AppActions) -> None:
    seen = []
    actions.logged.connect(lambda logged, origin: seen.append((logged.entry.source.value,
                                                                origin)))
    actions.action("logStretch").trigger()  # no window is active: the tray
    actions.set_origin(WINDOW)
    actions.action("logStretch").trigger()
    actions.set_origin(TRAY)
    actions.action("logStretch").trigger()
    actions.clear_origin_soon()
    qtbot.wait_until(lambda: actions._origin is None)
    assert seen == [("tray", "tray"), ("window", "window"), ("tray", "tray")]


# -- the user's own habits -----------------------------------------------------------------

def add_alcohol(session: Session, quick: tuple[float, ...] = (1, 2)) -> None:
    from quell.core.habits import Direction, Kind, user_habit

    session.add_habit(user_habit("Alcohol", "drinks", Kind.COUNT, Direction.AT_MOST, 1,
                                 quick=quick, catalog=session.habits()))


def test_a_user_habit_is_made_from_its_definition(qtbot, session: Session,
                                                  actions: AppActions) -> None:
    tray = QMenu()
    actions.fill_tray_menu(tray, None)
    with qtbot.wait_signal(actions.layout_changed):
        add_alcohol(session)
    actions.fill_tray_menu(tray, None)
    first = actions.action("log_alcohol_0")
    assert first.text() == "Alcohol  (+1 drink)"
    assert first in tray.actions()  # its first amount in the first level
    more = next(a.menu() for a in tray.actions() if a.menu() and
                a.menu().objectName() == "moreMenu")
    assert actions.action("log_alcohol_1") in more.actions()  # the second under More
    assert actions.action("log_alcohol_other").text() == "Other alcohol count…"
    first.trigger()
    assert session.summary().get("alcohol").total == 1
    assert actions.undo_action.text() == "&Undo: Alcohol: 1 drink"
    with qtbot.wait_signal(actions.open_log_dialog) as blocker:
        actions.action("log_alcohol_other").trigger()
    assert blocker.args == ["alcohol"]
    tray.deleteLater()


def test_a_glass_of_water_keeps_the_actions_and_a_habit_change_remakes_them(
        qtbot, session: Session, actions: AppActions) -> None:
    glass = actions.action("logWaterGlass")
    with qtbot.assert_not_emitted(actions.layout_changed):
        glass.trigger()
        session.log("caffeine", 40)
    assert actions.action("logWaterGlass") is glass
    add_alcohol(session)
    assert "log_alcohol_0" in actions.names()
    with qtbot.wait_signal(actions.layout_changed):
        session.archive_habit("alcohol")
    assert "log_alcohol_0" not in actions.names()
    with qtbot.wait_signal(actions.layout_changed):
        session.restore_habit("alcohol")
    assert actions.action("log_alcohol_0").isVisible()


def test_the_log_menu_follows_the_habits(qtbot, session: Session, actions: AppActions) -> None:
    log = QMenu()
    actions.fill_log_menu(log)
    assert "log_alcohol_0" not in {a.objectName() for a in menu_actions(log)}
    add_alcohol(session)
    assert "log_alcohol_0" in {a.objectName() for a in menu_actions(log)}
    log.deleteLater()


def test_many_user_habits_go_under_more(qtbot, session: Session, actions: AppActions) -> None:
    from quell.core.habits import Direction, Kind, user_habit

    for name in ("Alcohol", "Screen time", "Ate late", "Sugar"):
        session.add_habit(user_habit(name, "times", Kind.COUNT, Direction.NONE, quick=(1,),
                                     catalog=session.habits()))
    tray = QMenu()
    actions.fill_tray_menu(tray, None)
    first_level = {a.objectName() for a in tray.actions()}
    assert {"log_alcohol_0", "log_screen_time_0", "log_ate_late_0"} <= first_level
    assert "log_sugar_0" not in first_level  # the fourth: under More
    assert "log_sugar_0" in {a.objectName() for a in menu_actions(tray)}
    tray.deleteLater()


def test_a_user_rating_habit_has_a_checkable_submenu(qtbot, session: Session,
                                                     actions: AppActions) -> None:
    from quell.core.habits import Direction, Kind, user_habit

    session.add_habit(user_habit("Mood", "rating", Kind.RATING, Direction.NONE,
                                 catalog=session.habits()))
    menu = actions.submenu("mood")
    assert menu.title() == "Mood"
    actions.action("mood_3").trigger()
    assert actions.action("mood_3").isChecked()
    assert session.summary().get("mood").total == 3
