"""The real app as a process: one instance, commands through its socket, clean quit on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def quell(home: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QUELL_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "quell", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=30, **kwargs)  # type: ignore[call-overload]


@pytest.mark.skipif(os.name != "posix", reason="signals and Unix sockets")
def test_one_instance_commands_through_it_and_a_clean_quit(tmp_path: Path) -> None:
    env = {**os.environ, "QUELL_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "QUELL_REPORT_READY": "1"}
    app = subprocess.Popen([sys.executable, "-m", "quell"], env=env, cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert app.stdout is not None
        assert app.stdout.readline().strip() == "quell-ready"
        log_file = tmp_path / "logs" / "quell.log"

        logged = quell(tmp_path, "log", "water", "300")
        assert logged.returncode == 0, logged.stderr
        assert "300 / 2,000 ml" in logged.stdout
        assert "request 'log' from another process" in log_file.read_text()

        refused = quell(tmp_path, "log", "water", "99999")
        assert refused.returncode == 1
        assert refused.stderr.startswith("quell: ") and "Traceback" not in refused.stderr

        second = quell(tmp_path)
        assert second.returncode == 0, second.stderr
        assert "request 'raise' from another process" in log_file.read_text()
        # No tray under offscreen: the app showed its window instead of vanishing.
        assert "no system tray available" in log_file.read_text()

        app.send_signal(signal.SIGTERM)
        _out, errors = app.communicate(timeout=10)
        assert app.returncode == 0, errors
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    assert "Quell stopped" in log_file.read_text()
    assert not (tmp_path / "run" / "quell.sock").exists()
    shown = quell(tmp_path, "today", "--json")
    assert '"total": 300.0' in shown.stdout
    # The crash trail is empty after a clean exit, so the next start reports nothing.
    assert (tmp_path / "logs" / "crash.txt").read_text() == ""


START_UP = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from quell.app.clock import SystemClock
from quell.app.context import open_context
from quell.app.gui import QuellApp
from quell.files import Paths
paths = Paths.for_user()
quell = QuellApp(app, open_context(SystemClock(), paths), paths)
quell.start(background=True)
print(sorted(m for m in ("quell.ui.services.background", "quell.ui.services.data_transfer",
                         "quell.app.server", "quell.storage.history_store") if m in sys.modules))
"""


SERVER_UP = START_UP.replace("quell.start(background=True)\n",
                             "quell.start(background=True)\nquell.start_server()\n")


def test_the_command_server_pays_for_the_helper_only_at_its_first_slow_request(
        tmp_path: Path) -> None:
    """The server starts right after the tray, at every start; the background helper (13 ms,
    1 MB of Qt namespace) waits for the first slow request."""
    env = {**os.environ, "QUELL_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", SERVER_UP], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip().splitlines()[-1] == "['quell.app.server']"


def test_start_up_does_not_pay_for_the_background_helper(tmp_path: Path) -> None:
    """The helper's module costs 13 ms on first import (PySide6's Qt namespace): the tray
    must not pay for it, nor for export, the server or History, before they are used."""
    env = {**os.environ, "QUELL_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", START_UP], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
