"""Storage problems in the tray app: a notice naming the cause, never the crash dialog or a
frozen event loop; a runtime folder that is not ours alone stops the app with one clear line."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from quell.app.context import open_context
from quell.app.gui import QuellApp, run_gui
from quell.app.instance import InstanceLock, ensure_runtime_dir
from quell.files import Paths
from quell.storage.database import GUI_BUSY_TIMEOUT, DatabaseLocked, DiskFull
from quell.storage.errors import RuntimeFolderUnsafe
from tests.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def quell_app(qtbot, qapp: QApplication, clock: FakeClock):
    paths = Paths.for_user()
    context = open_context(clock, paths, busy_timeout=GUI_BUSY_TIMEOUT)
    quell = QuellApp(qapp, context, paths)
    yield quell, paths
    if quell.storage_notice is not None:
        quell.storage_notice.close()
    quell.stop()
    quell.tray.menu.deleteLater()


def test_a_storage_error_is_a_notice_not_a_crash(qtbot, quell_app, caplog) -> None:
    quell, paths = quell_app
    holder = sqlite3.connect(paths.database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseLocked) as raised:
            quell.session.log("water", 250)  # a tick from the tray
        blocked = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert blocked < 1.0  # not 5 s of a frozen tray for every write

    with caplog.at_level(logging.INFO):
        quell.excepthook(DatabaseLocked, raised.value, raised.value.__traceback__)
    notice = quell.storage_notice
    assert notice is not None and notice.isVisible() and not notice.isModal()
    assert "locked by another program" in notice.text()
    assert quell.error_box is None  # not the crash dialog
    assert "uncaught exception" not in caplog.text and "Traceback" not in caplog.text

    full = DiskFull("The disk holding Quell's data is full.")
    quell.excepthook(DiskFull, full, None)
    assert quell.storage_notice is notice  # one notice at a time, showing the latest
    assert notice.text() == str(full)
    notice.close()
    qtbot.wait_until(lambda: quell.storage_notice is None)
    quell.session.log("water", 250)  # the lock is gone: the same session writes again
    check = sqlite3.connect(paths.database)
    assert check.execute("SELECT count(*) FROM entries").fetchone()[0] == 1  # one, not two
    check.close()


def test_a_runtime_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)  # anyone could have planted a socket or lock in it
    with pytest.raises(RuntimeFolderUnsafe, match="can be changed by other users"):
        ensure_runtime_dir(folder)
    link = tmp_path / "link"
    link.symlink_to(tmp_path)
    with pytest.raises(RuntimeFolderUnsafe, match="is a symbolic link"):
        ensure_runtime_dir(link)
    if os.geteuid() == 0:
        theirs = tmp_path / "theirs"
        theirs.mkdir(mode=0o700)
        os.chown(theirs, 65534, 65534)
        with pytest.raises(RuntimeFolderUnsafe, match=r"belongs to another user \(uid 65534\)"):
            ensure_runtime_dir(theirs)
    assert not Paths(tmp_path, tmp_path, tmp_path, folder).runtime_is_private()


def test_a_new_runtime_folder_is_private_and_an_own_readable_one_narrowed(
        tmp_path: Path) -> None:
    made = ensure_runtime_dir(tmp_path / "new" / "run")
    assert made.stat().st_mode & 0o777 == 0o700
    readable = tmp_path / "readable"
    readable.mkdir()
    readable.chmod(0o755)
    ensure_runtime_dir(readable)
    assert readable.stat().st_mode & 0o777 == 0o700


def test_the_app_refuses_a_hijacked_runtime_folder_with_one_line(
        qapp: QApplication, clock: FakeClock, tmp_path: Path, capsys) -> None:
    import ssl  # noqa: F401 - run_gui blocks ssl when nothing imported it yet

    runtime = tmp_path / "run"
    runtime.mkdir()
    runtime.chmod(0o777)
    paths = Paths(tmp_path / "data", tmp_path / "config", tmp_path / "logs", runtime)
    with pytest.raises(RuntimeFolderUnsafe):
        InstanceLock(paths)
    assert run_gui(paths, clock) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "runtime folder" in lines[0] and "another user" in lines[0]
    assert not (tmp_path / "data").exists()  # stopped before touching the user's data


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="Unix sockets")
def test_a_command_through_the_app_under_a_lock_answers_quickly(tmp_path: Path) -> None:
    """The running app waits 250 ms for a lock, then answers with the cause (not 'internal
    error', not a 5 s freeze)."""
    env = {**os.environ, "QUELL_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "QUELL_REPORT_READY": "1"}
    app = subprocess.Popen([sys.executable, "-m", "quell"], env=env, cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert app.stdout is not None
        assert app.stdout.readline().strip() == "quell-ready"
        for line in app.stdout:  # the command server is up once the reminders are
            if line.strip() == "quell-reminders-ready":
                break
        else:
            pytest.fail(f"the app stopped: {app.communicate(timeout=10)[1]}")
        holder = sqlite3.connect(tmp_path / "data" / "quell.db", isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            started = time.monotonic()
            done = subprocess.run([sys.executable, "-m", "quell", "log", "water"], env=env,
                                  cwd=ROOT, capture_output=True, text=True, timeout=30)
            took = time.monotonic() - started
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert done.returncode == 1, done
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "locked by another program" in lines[0], done.stderr
        assert "internal error" not in done.stderr
        assert took < 4
        entries = sqlite3.connect(tmp_path / "data" / "quell.db")
        assert entries.execute("SELECT count(*) FROM entries").fetchone()[0] == 0
        entries.close()
    finally:
        app.terminate()
        app.communicate(timeout=10)


def test_start_up_notices_show_a_restored_database_and_reset_settings(
        qtbot, qapp: QApplication, clock: FakeClock) -> None:
    from PySide6.QtWidgets import QMessageBox

    paths = Paths.for_user()
    open_context(clock, paths).close()  # a first start: database and today's backup
    paths.database.write_bytes(b"")  # emptied by something: damage, not a new database
    paths.settings.parent.mkdir(parents=True, exist_ok=True)
    paths.settings.write_bytes(b"\xff\xfe not UTF-8")
    context = open_context(clock, paths, busy_timeout=GUI_BUSY_TIMEOUT)
    quell = QuellApp(qapp, context, paths)
    try:
        quell.start()

        def shown() -> list[str]:
            return [w.text() for w in qapp.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.isVisible()]

        qtbot.wait_until(lambda: len(shown()) >= 2)
        texts = shown()
        assert any("restored from the backup" in text for text in texts), texts
        assert any("settings file" in text and "not UTF-8" in text for text in texts), texts
    finally:
        for widget in qapp.topLevelWidgets():
            if isinstance(widget, QMessageBox):
                widget.close()
        quell.stop()
        quell.tray.menu.deleteLater()
        if quell.windows.main_window is not None:  # hidden by stop()
            quell.windows.main_window.deleteLater()
