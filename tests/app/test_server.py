"""Commands from the CLI reach the running app over its socket; its views update at once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from quell.app import ipc
from quell.app.cli_habits import log_request
from quell.app.context import open_context
from quell.app.gui import QuellApp
from quell.app.instance import InstanceLock
from quell.core.settings import TwitchDiary
from quell.files import Paths
from tests.conftest import FakeClock


@pytest.fixture
def running(qtbot, qapp: QApplication, clock: FakeClock):
    paths = Paths.for_user()
    context = open_context(clock, paths)
    quell = QuellApp(qapp, context, paths)
    quell.start()  # offscreen has no system tray, so the Today window shows
    quell.start_server()
    yield quell, paths
    quell.stop()
    quell.tray.menu.deleteLater()
    if quell.windows.main_window is not None:  # hidden by stop()
        quell.windows.main_window.deleteLater()


def send_in_thread(qtbot, paths: Paths, request: dict[str, Any]) -> dict[str, Any] | None:
    """The client blocks, so it runs in a thread while the Qt loop serves it."""
    result: dict[str, Any] = {}

    def client() -> None:
        result["reply"] = ipc.send(paths, request)

    thread = threading.Thread(target=client)
    thread.start()
    qtbot.wait_until(lambda: not thread.is_alive(), timeout=5000)
    return result["reply"]


def test_cli_log_goes_through_the_app(qtbot, running) -> None:
    quell, paths = running
    with qtbot.wait_signal(quell.session.changed):
        reply = send_in_thread(qtbot, paths, log_request("water", "300ml"))
    assert reply == {"v": ipc.PROTOCOL_VERSION, "ok": True, "output": reply["output"],
                     "repeated": False}
    assert "300 / 2,000 ml" in reply["output"]
    assert "Water: 300 / 2,000 ml" in quell.tray.icon.toolTip()


def test_bad_request_is_refused_and_writes_nothing(qtbot, running) -> None:
    quell, paths = running
    reply = send_in_thread(qtbot, paths, log_request("water", "99999"))
    assert reply is not None and reply["ok"] is False
    assert "at most 5000 ml" in reply["error"]
    assert quell.session.summary().get("water").total == 0
    garbage = send_in_thread(qtbot, paths, {"op": "format_disk"})
    assert garbage is not None and garbage["ok"] is False


def test_no_app_means_no_reply(tmp_path) -> None:
    paths = Paths(tmp_path, tmp_path, tmp_path, tmp_path)
    assert ipc.send(paths, {"op": "raise"}) is None
    (tmp_path / "quell.sock").write_text("stale")  # a leftover that nobody listens on
    assert ipc.send(paths, {"op": "raise"}) is None


def test_second_instance_lock(tmp_path) -> None:
    paths = Paths(tmp_path, tmp_path, tmp_path, tmp_path / "run")
    first, second = InstanceLock(paths), InstanceLock(paths)
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_uncaught_exception_is_logged_and_shown_once(qtbot, running, caplog) -> None:
    quell, _paths = running
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        quell.excepthook(RuntimeError, error, error.__traceback__)
        first = quell.error_box
        quell.excepthook(RuntimeError, error, error.__traceback__)
    assert first is not None and first.isVisible()
    assert quell.error_box is first  # a second error does not stack another dialog
    assert "RuntimeError: boom" in caplog.text
    first.close()
    qtbot.wait_until(lambda: quell.error_box is None)


def test_without_a_tray_the_today_window_shows(qtbot, running) -> None:
    quell, _paths = running
    assert quell.windows.today_window is not None
    assert quell.windows.today_window.isVisible()


def test_history_window_opens_from_the_app(qtbot, running) -> None:
    quell, _paths = running
    quell.tray.action("openHistory").trigger()
    window = quell.windows.history_window
    assert window is not None and window.isVisible()
    window.close()
    assert quell.transfer is quell.transfer  # made once, on first use


def test_history_opens_on_the_tab_asked_for(qtbot, running) -> None:
    from quell.ui.history.window import HistoryTab

    quell, _paths = running
    quell.windows.show_history(HistoryTab.INSIGHTS)
    window = quell.windows.history_window
    assert window is not None and window.tabs.currentWidget() is window.insights_tab
    quell.windows.show_history()  # stays where it was
    assert window.tabs.currentWidget() is window.insights_tab
    quell.windows.show_history(HistoryTab.REMINDERS)
    assert window.tabs.currentWidget() is window.reminders_tab
    window.close()


def test_tray_dialogs_messages_and_backups_are_wired(qtbot, running, monkeypatch) -> None:
    quell, _paths = running
    quell.tray.action("logSleep").trigger()
    dialog = quell.windows._log_dialogs.get("sleep")
    assert dialog is not None and dialog.isVisible()
    dialog.close()
    quell.tray.message.emit("Not logged", "because")
    boxes = [w for w in QApplication.topLevelWidgets()
             if w.isVisible() and getattr(w, "text", lambda: "")() == "because"]
    assert boxes, [(type(w).__name__, w.windowTitle()) for w in QApplication.topLevelWidgets()]
    for box in boxes:
        box.close()
    made = []
    monkeypatch.setattr("quell.app.gui.backup_daily", lambda *args: made.append(args))
    quell.session.day_changed.emit()
    assert made


def test_symptom_check_twitch_diary_and_report_open_from_the_tray(qtbot, running) -> None:
    quell, _paths = running
    windows = quell.windows
    # "Log a twitch" shows with the per-episode diary on ("Log each twitch").
    quell.session.save_settings(quell.session.settings().replace(twitch_diary=TwitchDiary.ON))
    for action, attribute in (("logTwitch", "_twitch_log"), ("rateTwitchWhere", "_twitch_rating"),
                              ("symptomCheck", "_wizard"),
                              ("twitchDiary", "_diary"), ("checkHistory", "_check_history"),
                              ("doctorReport", "_report")):
        quell.tray.action(action).trigger()
        widget = getattr(windows, attribute)
        assert widget is not None and widget.isVisible(), action
        widget.close()


def test_the_apps_report_is_gathered_from_a_job_connection_off_the_gui_thread(
        qtbot, running, tmp_path, monkeypatch) -> None:
    from quell.ui.services import report

    quell, _paths = running
    quell.windows.symptoms.log_twitch("eyelid")
    gathered: list[int] = []
    real = report.collect_report

    def collect(tracker, *args, **kwargs):
        gathered.append(threading.get_ident())
        assert tracker is not quell.session.tracker  # built on the job's own connection
        return real(tracker, *args, **kwargs)

    monkeypatch.setattr(report, "collect_report", collect)
    quell.tray.action("doctorReport").trigger()
    dialog = quell.windows._report
    assert dialog is not None
    dialog.path.setText(str(tmp_path / "app.pdf"))
    with qtbot.wait_signal(dialog.saved, timeout=30_000):
        dialog.save_button.click()
    assert gathered and gathered[0] != threading.main_thread().ident
    assert (tmp_path / "app.pdf").read_bytes().startswith(b"%PDF")
    dialog.close()


def test_a_log_that_finds_the_database_locked_waits_off_the_gui_thread(
        qtbot, running) -> None:
    """Another program (a `quell import`) holds the write lock for 0.6 s: the request is
    carried out in the background once the lock is free; the GUI thread never waits on it.
    Before, it blocked the GUI for the busy timeout (250 ms) and then failed "locked"."""
    import time

    from PySide6.QtCore import QTimer

    from quell.storage.database import connect

    quell, paths = running
    other = connect(paths.database)
    other.execute("BEGIN IMMEDIATE")
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    QTimer.singleShot(600, lambda: other.execute("COMMIT"))
    with qtbot.wait_signal(quell.session.changed, timeout=10_000):
        reply = send_in_thread(qtbot, paths, log_request("water", "300ml"))
    timer.stop()
    other.close()
    assert reply is not None and reply["ok"] is True, reply
    assert "300 / 2,000 ml" in reply["output"]
    assert quell.session.summary().get("water").total == 300
    assert max(gaps) < 0.2  # the 250 ms busy wait is gone (50 ms budget; a busy machine)
    assert quell.server is not None and quell.server.jobs == ()


def test_quitting_while_a_request_waits_for_the_lock_lets_it_finish_quietly(
        qtbot, running) -> None:
    import sqlite3

    quell, paths = running
    other = sqlite3.connect(paths.database, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    client = threading.Thread(target=lambda: _send_quietly(paths), daemon=True)
    client.start()
    assert quell.server is not None
    server = quell.server
    qtbot.wait_until(lambda: len(server.jobs) == 1, timeout=5000)
    changes: list[int] = []
    quell.session.changed.connect(lambda: changes.append(1))
    threading.Timer(0.3, lambda: (other.execute("COMMIT"), other.close())).start()
    quell.stop()  # waits for the request's write
    qtbot.wait(100)  # its delivery finds the app stopped: the views are not told
    assert changes == [] and quell.error_box is None
    check = sqlite3.connect(paths.database)
    assert check.execute("SELECT count(*) FROM entries").fetchone()[0] == 1
    check.close()
    client.join(10)


def _send_quietly(paths: Paths) -> None:
    import contextlib

    with contextlib.suppress(ipc.AppNotResponding, ipc.AppStopped):  # it quit before answering
        ipc.send(paths, log_request("water", "300ml"))


def test_windows_take_their_stores_from_the_composition_root() -> None:
    import inspect

    from quell.app import windows

    source = inspect.getsource(windows)
    assert "sqlite3" not in source and "Sqlite" not in source
    assert "HistoryStore(" not in source and "SymptomSession(" not in source


def test_reminders_start_with_a_tray_menu_and_stop_cleanly(qtbot, running) -> None:
    quell, _paths = running
    quell.start_reminders()
    assert quell.reminders is not None
    assert quell.reminder_menu in [a.menu() for a in quell.tray.menu.actions() if a.menu()]
    quell.tray.refresh()  # a rebuilt menu keeps the reminders' submenu
    quell.session.set_enabled_habits(["water", "caffeine", "sleep", "stretching"])
    assert quell.reminder_menu in [a.menu() for a in quell.tray.menu.actions() if a.menu()]
    quell.reminder_menu.open_settings.emit()
    dialog = quell.windows._settings
    assert dialog is not None and dialog.tabs.currentWidget() is dialog.reminders_page
    dialog.close()


def test_the_today_window_reaches_the_twitch_log_check_and_history(qtbot, running) -> None:
    quell, _paths = running
    window = quell.windows.today_window
    assert window is not None
    for button, attribute in ((window.twitch_button, "_twitch_log"),
                              (window.check_button, "_wizard")):
        button.click()
        widget = getattr(quell.windows, attribute)
        assert widget is not None and widget.isVisible()
        widget.close()
    window.history_button.click()
    assert quell.windows.history_window is not None
    assert quell.windows.history_window.isVisible()
    quell.windows.history_window.close()


def test_without_a_tray_the_main_window_is_the_way_in(qtbot, running) -> None:
    quell, _paths = running
    main = quell.windows.main_window
    assert main is not None and main.isVisible()
    assert {a.objectName() for a in quell.tray.all_actions() if a.objectName()} - {
        "trayHeader"} <= {a.objectName() for a in main.all_actions()}
    quell.start_reminders()
    bar = [a.menu() for a in main.menuBar().actions()]
    assert main.reminders_menu in bar  # the tray's own actions, in the menu bar too
    assert main.reminders_menu.actions() == quell.reminder_menu.actions()
    assert main.reminder_status.text() == quell.reminder_menu.status_text() != ""
    main.close()  # no tray: asked, not quit
    box = main.findChild(QMessageBox, "closeBox")
    assert box is not None and box.isVisible()
    box.done(0)


def test_without_a_tray_closing_the_window_does_not_quit(qtbot, qapp: QApplication,
                                                         clock: FakeClock) -> None:
    paths = Paths.for_user()
    quell = QuellApp(qapp, open_context(clock, paths), paths)
    qapp.setQuitOnLastWindowClosed(False)  # as run_gui sets it
    try:
        quell.start()
        assert not qapp.quitOnLastWindowClosed()  # the reminders must go on
    finally:
        qapp.setQuitOnLastWindowClosed(True)
        quell.stop()
        quell.tray.menu.deleteLater()
        if quell.windows.main_window is not None:
            quell.windows.main_window.deleteLater()


def test_quit_quits_without_a_tray(qtbot, running, qapp: QApplication, monkeypatch) -> None:
    """Qt closes every window before it quits and gives up while one stays open: the main
    window's question (no tray) must not refuse Quit. (Not with qapp.exec(): a quit leaves
    later tests' event loops stopped.)"""
    quell, _paths = running
    main = quell.windows.main_window
    assert main is not None and main.isVisible()
    refused: list[str] = []

    def qt_quit() -> None:  # what QApplication does with the Quit event
        qapp.closeAllWindows()
        refused.extend(w.objectName() for w in qapp.topLevelWidgets() if w.isVisible())

    monkeypatch.setattr(qapp, "quit", qt_quit)
    quell.tray.action("quit").trigger()
    assert refused == []
    assert not main.isVisible()
    assert main.findChild(QMessageBox, "closeBox") is None
    main.show()
    qt_quit()  # the bare Qt quit would be refused: the window asks instead
    assert "quellMainWindow" in refused
    box = main.findChild(QMessageBox, "closeBox")
    assert box is not None
    box.done(0)


def test_a_second_launch_raises_the_main_window(qtbot, running) -> None:
    quell, _paths = running
    main = quell.windows.main_window
    assert main is not None
    main.hide()
    assert quell.handle_request({"op": "raise"})["ok"]
    assert main.isVisible()
