"""The main window: every tray action in its menu bar, keyboard first; closing with and
without a tray; the GNOME tray hint once; the reminders' menu and status line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from quell.app.windows import Windows
from quell.core.presence import HoldReason
from quell.core.settings import TwitchDiary
from quell.ui.reminders.menu import ReminderTrayMenu
from quell.ui.services.session import Session
from quell.ui.shell.main_window import MainWindow, gnome_without_tray
from quell.ui.shell.menus import SHORTCUTS, WINDOW, AppActions
from quell.ui.shell.tray import TrayController
from tests.conftest import FakeClock
from tests.helpers import MemorySettings
from tests.ui.reminder_helpers import reminder_parts
from tests.ui.reminders.test_menu import held  # noqa: F401  (the held-reminders fixture)


class TrayFlag:
    """Stands for QSystemTrayIcon.isSystemTrayAvailable, switchable by the test."""

    def __init__(self, available: bool) -> None:
        self.available = available

    def __call__(self) -> bool:
        return self.available


@pytest.fixture
def make_window(qtbot, session: Session) -> Iterator[Callable[..., MainWindow]]:
    made: list[MainWindow] = []

    def make(*, tray: bool = True, actions: AppActions | None = None) -> MainWindow:
        window = MainWindow(session, actions or AppActions(session),
                            tray_available=TrayFlag(tray))
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    for box in QApplication.topLevelWidgets():
        if isinstance(box, QMessageBox):
            box.done(0)
    for window in made:
        window.hide()


def names(actions) -> set[str]:
    return {a.objectName() for a in actions if a.objectName()}


def test_every_tray_action_is_in_the_menu_bar(qtbot, session: Session, make_window) -> None:
    tray = TrayController(session)
    window = make_window(actions=tray.actions)
    in_tray = names(tray.all_actions()) - {"trayHeader"}
    in_window = names(window.all_actions())
    assert len(in_tray) >= 30
    assert in_tray <= in_window, in_tray - in_window
    # The very same objects: a tick, an Undo text or a hidden habit is the same in both.
    by_name = {a.objectName(): a for a in window.all_actions()}
    for action in tray.all_actions():
        if action.objectName() in in_tray:
            assert by_name[action.objectName()] is action
    # The submenus too (caffeine, stress).
    window_menus = {a.menu().objectName() for a in window.all_actions() if a.menu()}
    tray_menus = {a.menu().objectName() for a in tray.all_actions() if a.menu()}
    assert tray_menus - {"moreMenu"} <= window_menus
    tray.hide()
    tray.menu.deleteLater()


def test_menu_bar_logs_and_asks(qtbot, session: Session, make_window) -> None:
    window = make_window()
    actions = window._actions
    actions.set_origin(WINDOW)
    actions.action("logWaterGlass").trigger()
    entry = session.summary().get("water").entries[-1]
    assert entry.amount == 250 and entry.source.value == "window"
    with qtbot.wait_signal(actions.open_log_dialog) as blocker:
        actions.action("logSleep").trigger()
    assert blocker.args == ["sleep"]


@pytest.mark.parametrize(("keys", "signal"), [
    ("Ctrl+T", "open_twitch_log"), ("Ctrl+K", "open_symptom_check"),
    ("Ctrl+,", "open_settings"), ("F1", "open_about"), ("Ctrl+Q", "quit_requested"),
    ("Ctrl+H", "open_history"), ("Ctrl+D", "open_twitch_diary"), ("Ctrl+E", "export_requested"),
    ("Ctrl+O", "import_requested"), ("Ctrl+P", "open_report"),
])
def test_shortcuts(qtbot, make_window, session: Session, keys: str, signal: str) -> None:
    # "Log a twitch" (Ctrl+T) is there with the per-episode diary on ("Log each twitch").
    session.save_settings(session.settings().replace(twitch_diary=TwitchDiary.ON))
    window = make_window()
    window.show()
    qtbot.wait_exposed(window)
    window.activateWindow()
    qtbot.wait_until(window.isActiveWindow)
    sequence = QKeySequence(keys)
    combo = sequence[0]
    with qtbot.wait_signal(getattr(window._actions, signal), timeout=1000):
        qtbot.keyClick(window.today, combo.key(), combo.keyboardModifiers())


def test_shortcuts_are_unique_and_glass_logs(qtbot, session: Session, make_window) -> None:
    window = make_window()
    distinct = {id(a): a for a in window.all_actions()}.values()  # the report is in two menus
    keys = [k.toString() for a in distinct for k in a.shortcuts()]
    assert len(keys) == len(set(keys)), keys
    assert set(SHORTCUTS.values()) | {"Ctrl+W"} <= set(keys)
    assert window.close_action.shortcut().toString() == "Ctrl+W"  # shown in the menu
    window.show()
    qtbot.wait_exposed(window)
    window.activateWindow()
    qtbot.wait_until(window.isActiveWindow)
    qtbot.keyClick(window.today, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    entry = session.summary().get("water").entries[-1]
    assert entry.source.value == "window"  # the active main window is where it came from
    assert window.toast.isVisible()
    assert window.toast.message.text() == "Logged 250 ml of water"


def test_ctrl_w_closes_the_window_not_the_today_view(qtbot, make_window) -> None:
    window = make_window(tray=True)
    window.show()
    qtbot.wait_exposed(window)
    window.activateWindow()
    qtbot.wait_until(window.isActiveWindow)
    qtbot.keyClick(window.today, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    window.show()
    assert window.today.isVisible()


def test_close_with_a_tray_hides_to_the_tray(qtbot, make_window) -> None:
    window = make_window(tray=True)
    window.show()
    assert window.close()
    assert not window.isVisible()
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()]


def _close_box(window: MainWindow) -> QMessageBox:
    box = window.findChild(QMessageBox, "closeBox")
    assert box is not None and box.isVisible()
    return box


def test_close_without_a_tray_says_quell_keeps_running(qtbot, make_window) -> None:
    window = make_window(tray=False)
    window.show()
    assert not window.close()  # not closed yet: asked first
    assert window.isVisible()
    box = _close_box(window)
    assert "keeps running in the background" in box.text()
    assert "reminders and their notifications still come" in box.informativeText()
    assert "applications menu" in box.informativeText()
    keep = box.findChild(QPushButton, "keepRunning")
    assert box.defaultButton() is keep
    assert box.findChild(QPushButton, "quitQuell") is not None
    window.close()  # asking again while asked: the same box, not a second one
    assert [w for w in window.findChildren(QMessageBox) if w.isVisible()] == [box]
    keep.click()
    assert not window.isVisible()
    qtbot.wait_until(lambda: window.findChild(QMessageBox, "closeBox") is None)


def test_close_without_a_tray_can_quit(qtbot, make_window) -> None:
    window = make_window(tray=False)
    window.show()
    window.close()
    box = _close_box(window)
    with qtbot.wait_signal(window._actions.quit_requested, timeout=500):
        box.findChild(QPushButton, "quitQuell").click()


def test_escape_keeps_running(qtbot, make_window) -> None:
    window = make_window(tray=False)
    window.show()
    window.close()
    box = _close_box(window)
    with qtbot.assert_not_emitted(window._actions.quit_requested):
        qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert not window.isVisible()


@pytest.mark.parametrize(("available", "desktop", "expected"), [
    (False, "GNOME", True), (False, "ubuntu:GNOME", True), (True, "GNOME", False),
    (False, "KDE", False), (False, "", False), (False, "GNOME-Flashback:GNOME", True),
])
def test_gnome_without_tray(available: bool, desktop: str, expected: bool) -> None:
    assert gnome_without_tray(available, desktop) is expected


def test_the_gnome_hint_shows_once(qtbot, monkeypatch, make_window,
                                   settings_holder: MemorySettings) -> None:
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "ubuntu:GNOME")
    window = make_window(tray=False)
    window.show()
    assert window.hint_banner.isVisible()
    assert "gnome-shell-extension-appindicator" in window.hint_text.text()
    assert "AppIndicator extension" in window.hint_text.text()
    window.hint_dismiss.click()
    assert not window.hint_banner.isVisible()
    assert settings_holder.value.tray_hint_shown
    again = make_window(tray=False)
    again.show()
    assert not again.hint_banner.isVisible()
    # Always under Help.
    again.tray_help_action.trigger()
    box = again.findChild(QMessageBox, "trayHelpBox")
    assert box is not None and "gnome-shell-extension-appindicator" in box.text()
    box.done(0)


@pytest.mark.parametrize(("tray", "desktop"), [(True, "GNOME"), (False, "KDE")])
def test_no_hint_banner_elsewhere(qtbot, monkeypatch, make_window, tray: bool,
                                  desktop: str) -> None:
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", desktop)
    window = make_window(tray=tray)
    window.show()
    assert not window.hint_banner.isVisible()
    assert "appindicator" not in window.tray_hint().lower()
    assert ("tray" in window.tray_hint()) and window.tray_help_action.isEnabled()


def test_reminders_menu_and_status_line(qtbot, tmp_path: Path, clock: FakeClock) -> None:
    with reminder_parts(tmp_path / "r", clock) as parts:
        window = MainWindow(parts.session, AppActions(parts.session),
                            tray_available=TrayFlag(True))
        qtbot.addWidget(window)
        bar_menus = [a.menu() for a in window.menuBar().actions()]
        assert not window.reminders_placeholder.isEnabled()
        assert window.reminders_placeholder in bar_menus
        menu = ReminderTrayMenu(parts.reminders)
        qtbot.addWidget(menu)
        reminders = parts.reminders
        window.set_reminders(menu, (reminders.schedule_changed, reminders.pause_changed))
        bar_menus = [a.menu() for a in window.menuBar().actions()]
        assert window.reminders_menu in bar_menus
        assert window.reminders_placeholder not in bar_menus
        assert bar_menus.index(window.reminders_menu) == 3  # where the placeholder was
        # The same actions as the tray's Reminders menu (not copies).
        assert window.reminders_menu.actions() == menu.actions()
        assert window.reminder_status.text() == menu.status_text()
        assert window.reminder_status.text().startswith("Next: ")
        reminders.pause(timedelta(minutes=30))
        assert window.reminder_status.text().startswith("Reminders paused until ")
        # The tray's submenu title says so; the menu bar keeps a short one.
        assert menu.title().startswith("&Reminders (paused")
        assert window.reminders_menu.title() == "&Reminders"
        window.reminders_menu.aboutToShow.emit()
        assert window.reminders_menu.actions() == menu.actions()
        assert menu.action_named("resumeReminders").isEnabled()
        reminders.resume()
        assert window.reminder_status.text().startswith("Next: ")
        window.set_reminders(menu, (reminders.schedule_changed,))  # once only
        assert [a.menu() for a in window.menuBar().actions()].count(window.reminders_menu) == 1
        window.hide()


def test_windows_shows_the_main_window(qtbot, session: Session) -> None:
    windows = Windows(session)
    assert windows.main_window is None and windows.today_window is None
    windows.show_today()
    main = windows.main_window
    assert main is not None and main.isVisible()
    assert windows.today_window is main.today and main.today.isVisible()
    windows.show_today()
    assert windows.main_window is main  # made once
    windows.hide_all()
    assert not main.isVisible()
    main.deleteLater()


def test_the_status_line_says_why_reminders_wait(qtbot, held) -> None:  # noqa: F811
    window = MainWindow(held.session, AppActions(held.session), tray_available=TrayFlag(True))
    qtbot.addWidget(window)
    menu = ReminderTrayMenu(held.reminders)
    qtbot.addWidget(menu)
    reminders = held.reminders
    window.set_reminders(menu, (reminders.schedule_changed, reminders.pause_changed,
                                reminders.hold_changed))
    window.show()
    assert window.reminder_status.text().startswith("Next: ")
    held.hold(HoldReason.AWAY)
    with qtbot.wait_signal(reminders.hold_changed, timeout=500):
        held.alarms.advance(minutes=31)  # water falls due while away: it waits
    assert window.reminder_status.text() == "Reminders waiting: you are away"
    held.release()
    with qtbot.wait_signal(reminders.hold_changed, timeout=500):
        held.presence.changed.emit()
    assert "waiting" not in window.reminder_status.text()
    window.hide()
