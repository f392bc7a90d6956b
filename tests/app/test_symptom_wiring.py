"""The app tells open symptom windows of twitches that came in from the command line."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QApplication

from quell.app import ipc
from quell.app.cli_habits import log_request
from quell.app.cli_symptoms import twitch_request
from quell.app.context import open_context
from quell.app.gui import QuellApp
from quell.files import Paths


def send(qtbot, paths, request):
    result = {}
    thread = threading.Thread(target=lambda: result.update(reply=ipc.send(paths, request)))
    thread.start()
    qtbot.wait_until(lambda: not thread.is_alive(), timeout=5000)
    QApplication.processEvents()
    return result["reply"]


def test_cli_twitch_reaches_the_diary_and_water_does_not(qtbot, qapp, clock) -> None:
    # Without the app's wiring the open diary stayed stale after `quell twitch`.
    paths = Paths.for_user()
    app = QuellApp(qapp, open_context(clock, paths), paths)
    app.start()
    app.start_server()
    try:
        app.windows.show_twitch_diary()
        symptoms = app.windows.symptoms
        seen: list[str] = []
        symptoms.twitches_changed.connect(lambda: seen.append("t"))
        symptoms.checks_changed.connect(lambda: seen.append("c"))
        reply = send(qtbot, paths, log_request("water", "250"))
        assert reply["ok"], reply
        qtbot.wait(200)
        assert seen == []
        reply = send(qtbot, paths, twitch_request("calf"))
        assert reply["ok"], reply
        qtbot.wait_until(lambda: seen == ["t"], timeout=3000)
        assert app.windows._diary.list.topLevelItemCount() == 1
    finally:
        app.stop()
        app.tray.menu.deleteLater()
        if app.windows.main_window is not None:
            app.windows.main_window.deleteLater()
