"""Settings → Your habits: add, edit, archive, restore and reorder the user's own habits; a bad
definition shows inline, keeps the fields and writes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from quell.core.habits import Direction, Kind, user_habit
from quell.ui.services.session import Session
from quell.ui.settings.habits import HabitEditor, HabitsPage, parse_quick


@pytest.fixture
def page(qtbot, session: Session) -> HabitsPage:
    widget = HabitsPage(session)
    qtbot.addWidget(widget)
    return widget


def own(session: Session) -> list[str]:
    return [h.key for h in session.habits().user]


def fill(editor: HabitEditor, name: str, kind: Kind, unit: str, direction: Direction,
         target: float = 0, quick: str = "") -> None:
    editor.name.setText(name)
    editor.kind.setCurrentIndex(editor.kind.findData(kind))
    editor.unit.setCurrentIndex(editor.unit.findData(unit))
    editor.direction.setCurrentIndex(editor.direction.findData(direction))
    editor.target.setValue(target)
    editor.quick.setText(quick)


def add_alcohol(session: Session) -> None:
    session.add_habit(user_habit("Alcohol", "drinks", Kind.COUNT, Direction.AT_MOST, 1,
                                 quick=(1,), catalog=session.habits()))


def test_add_a_habit(qtbot, page: HabitsPage, session: Session) -> None:
    editor = page.add()
    assert page.editor is editor
    fill(editor, "Alcohol", Kind.COUNT, "drinks", Direction.AT_MOST, 2, "1, 2")
    with qtbot.wait_signal(session.changed):
        editor.ok_button.click()
    assert editor.result() == QDialog.DialogCode.Accepted
    habit = session.habits().get("alcohol")
    assert (habit.unit, habit.direction, [q.amount for q in habit.quick]) == (
        "drinks", Direction.AT_MOST, [1, 2])
    assert session.targets()["alcohol"].value == 2
    assert "alcohol" in session.enabled_habits()
    assert page.selected_key() == "alcohol"
    assert page.list.currentItem().text() == "Alcohol — your own, at most 2 drinks a day"


@pytest.mark.parametrize(("name", "kind", "unit", "direction", "quick", "words"), [
    ("", Kind.COUNT, "drinks", Direction.AT_MOST, "", "needs a name"),
    ("Water", Kind.AMOUNT, "ml", Direction.AT_LEAST, "", "quell's own"),
    ("Alcohol", Kind.COUNT, "drinks", Direction.AT_MOST, "", "already have"),
    ("Juice", Kind.AMOUNT, "ml", Direction.AT_LEAST, "1, 2, 3, 4, 5", "at most 4"),
    ("Juice", Kind.AMOUNT, "ml", Direction.AT_LEAST, "lots", "not a number"),
    ("Juice", Kind.AMOUNT, "ml", Direction.AT_LEAST, "20000", "outside"),
])
def test_a_bad_habit_is_refused_inline_and_nothing_is_written(
        qtbot, page: HabitsPage, session: Session, name: str, kind: Kind, unit: str,
        direction: Direction, quick: str, words: str) -> None:
    add_alcohol(session)
    before = list(session.habits())
    editor = page.add()
    fill(editor, name, kind, unit, direction, 500, quick)
    with qtbot.assert_not_emitted(session.changed):
        editor.ok_button.click()
    assert editor.result() != QDialog.DialogCode.Accepted
    assert words in editor.error.message.lower()
    assert editor.name.text() == name and editor.quick.text() == quick  # kept
    assert list(session.habits()) == before


def test_a_new_habit_starts_at_a_limit_of_0_and_a_goal_at_1(
        qtbot, page: HabitsPage, session: Session) -> None:
    editor = page.add()
    assert editor.direction.currentData() is Direction.AT_MOST
    assert editor.target.value() == 0  # a limit of none at all
    editor.direction.setCurrentIndex(editor.direction.findData(Direction.AT_LEAST))
    assert editor.target.value() == 1  # a goal of 0 would always be met
    editor.target.setValue(5)
    editor.direction.setCurrentIndex(editor.direction.findData(Direction.AT_MOST))
    editor.direction.setCurrentIndex(editor.direction.findData(Direction.AT_LEAST))
    assert editor.target.value() == 5  # what the user typed stays


def test_the_targets_read_with_their_unit(qtbot, page: HabitsPage) -> None:
    editor = page.add()
    fill(editor, "Alcohol", Kind.COUNT, "drinks", Direction.AT_MOST, 1)
    assert editor.target.text() == "1 drink"
    editor.target.setValue(2)
    assert editor.target.text() == "2 drinks"
    editor.unit.setCurrentIndex(editor.unit.findData("times"))
    assert editor.target.text() == "2 times"


def test_editing_shows_the_stored_goal_even_at_0(qtbot, page: HabitsPage,
                                                  session: Session) -> None:
    session.add_habit(user_habit("Walks", "times", Kind.COUNT, Direction.AT_LEAST, 0,
                                 catalog=session.habits()))  # e.g. from `quell habit add`
    editor = HabitEditor(session, session.habits().get("walks"))
    qtbot.addWidget(editor)
    assert editor.target.value() == 0


def test_units_follow_the_kind(qtbot, page: HabitsPage) -> None:
    editor = page.add()
    editor.kind.setCurrentIndex(editor.kind.findData(Kind.DURATION))
    units = [editor.unit.itemData(i) for i in range(editor.unit.count())]
    assert units == ["minutes", "hours"]
    editor.kind.setCurrentIndex(editor.kind.findData(Kind.RATING))
    assert [editor.unit.itemData(i) for i in range(editor.unit.count())] == ["rating"]
    editor.direction.setCurrentIndex(editor.direction.findData(Direction.RANGE))
    assert not editor.target_max.isHidden()
    editor.direction.setCurrentIndex(editor.direction.findData(Direction.NONE))
    assert not editor.target.isEnabled() and editor.target_max.isHidden()


def test_edit_a_habit(qtbot, page: HabitsPage, session: Session) -> None:
    add_alcohol(session)
    page.reload()
    page.select("alcohol")
    assert page.edit_button.isEnabled()
    editor = page.edit_selected()
    assert editor is not None
    assert (editor.name.text(), editor.target.value(), editor.quick.text()) == (
        "Alcohol", 1, "1")
    assert editor.unit.currentData() == "drinks"
    editor.target.setValue(3)
    editor.quick.setText("1 2")
    with qtbot.wait_signal(session.changed):
        editor.ok_button.click()
    assert session.targets()["alcohol"].value == 3
    assert [q.amount for q in session.habits().get("alcohol").quick] == [1, 2]


def test_an_edit_that_changes_the_unit_of_a_logged_habit_is_refused(
        qtbot, page: HabitsPage, session: Session) -> None:
    add_alcohol(session)
    session.log("alcohol", 1)
    page.reload()
    page.select("alcohol")
    editor = page.edit_selected()
    assert editor is not None
    editor.unit.setCurrentIndex(editor.unit.findData("glasses"))
    with qtbot.assert_not_emitted(session.changed):
        editor.ok_button.click()
    assert editor.error.message
    assert session.habits().get("alcohol").unit == "drinks"


def test_built_ins_cannot_be_edited_or_archived(page: HabitsPage) -> None:
    page.select("water")
    assert not page.edit_button.isEnabled() and not page.archive_button.isEnabled()
    assert page.edit_selected() is None
    assert page.list.currentItem().text() == "Water"


def test_archive_keeps_history_and_restore_brings_it_back(qtbot, page: HabitsPage,
                                                         session: Session) -> None:
    add_alcohol(session)
    session.log("alcohol", 1)
    page.reload()
    assert page.archived_list.isHidden()
    page.select("alcohol")
    page.archive_button.click()
    assert "alcohol" not in page.order()
    assert session.habits().get("alcohol").archived
    assert not page.archived_list.isHidden()
    assert page.archived_list.item(0).text() == "Alcohol"
    page.archived_list.setCurrentRow(0)
    page.restore_button.click()
    assert "alcohol" in page.order() and page.selected_key() == "alcohol"
    assert session.summary().get("alcohol").total == 1  # its history was kept


def test_reorder_with_buttons_and_keys(qtbot, page: HabitsPage, session: Session) -> None:
    add_alcohol(session)
    page.reload()
    page.select("alcohol")
    last = page.list.currentRow()
    assert not page.down_button.isEnabled()
    page.up_button.click()
    assert page.order().index("alcohol") == last - 1
    assert session.enabled_habits().index("alcohol") < session.enabled_habits().index(
        "minerals")
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert page.order().index("alcohol") == last - 2
    page.select("water")
    assert not page.up_button.isEnabled()
    page.move_selected(-1)  # nothing above the first
    assert page.order()[0] == "water"


def test_the_settings_dialog_ok_keeps_user_habits_on(qtbot, session: Session) -> None:
    from quell.ui.settings.dialog import SettingsDialog

    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    add_alcohol(session)  # e.g. added on the Your habits page while the dialog is open
    dialog.enabled_boxes["nicotine"].setChecked(False)
    dialog.ok_button.click()
    assert "alcohol" in session.enabled_habits()
    assert "nicotine" not in session.enabled_habits()


def test_every_button_has_a_name_and_takes_the_focus(page: HabitsPage) -> None:
    for button in (page.add_button, page.edit_button, page.archive_button, page.up_button,
                   page.down_button, page.restore_button):
        assert button.text() or button.accessibleName()
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert page.list.accessibleName()


def test_parse_quick() -> None:
    assert parse_quick("1, 2.5;3  4") == (1, 2.5, 3, 4)
    assert parse_quick("  ") == ()


def test_a_habit_added_elsewhere_shows_and_a_glass_rebuilds_nothing(
        qtbot, page: HabitsPage, session: Session, monkeypatch) -> None:
    add_alcohol(session)  # e.g. `quell habit add` while the dialog is open
    assert "alcohol" in page.order()
    calls = []
    monkeypatch.setattr(page, "reload", lambda *args: calls.append(args))
    session.log("water", 250)
    assert calls == []
