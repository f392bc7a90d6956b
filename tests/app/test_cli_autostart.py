"""`quell autostart on|off|status` and `quell --background` (CONTRACTS.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from quell.app.context import open_context
from quell.app.gui import QuellApp
from quell.app.main import main
from quell.files import Paths
from quell.platform import autostart
from quell.platform.dbus import reset_shared_buses
from tests.conftest import FakeClock
from tests.dbus_daemon import dbus_daemon_path, private_bus
from tests.platform.fake_portal import FakePortal

ROOT = Path(__file__).resolve().parents[2]
ENTRY = "io.github.quellapp.Quell.desktop"


@pytest.fixture(autouse=True)
def autostart_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc-xdg"))
    monkeypatch.setattr(autostart, "FLATPAK_INFO", tmp_path / "no-flatpak-info")
    return tmp_path / "config" / "autostart"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_on_off_status_round_trip(capsys, autostart_folder: Path) -> None:
    assert run(capsys, "autostart", "status") == (0, "off\n", "")
    code, out, err = run(capsys, "autostart", "on")
    assert (code, err) == (0, "")
    assert out == "Quell will start in the tray when you log in.\n"
    assert (autostart_folder / ENTRY).exists()
    assert run(capsys, "autostart", "status") == (0, "on\n", "")
    code, out, err = run(capsys, "autostart", "off")
    assert (code, err) == (0, "")
    assert not (autostart_folder / ENTRY).exists()
    assert run(capsys, "autostart", "status") == (0, "off\n", "")


def test_failure_is_one_line_exit_1_and_nothing_written(capsys, autostart_folder: Path) -> None:
    autostart_folder.parent.mkdir(parents=True)
    autostart_folder.write_text("a file where the folder should be")
    code, out, err = run(capsys, "autostart", "on")
    assert code == 1 and out == ""
    assert err.startswith("quell: Quell could not write its start-at-login entry")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert autostart_folder.read_text() == "a file where the folder should be"
    assert run(capsys, "autostart", "status") == (0, "off\n", "")


@pytest.mark.parametrize("args", [["autostart"], ["autostart", "maybe"],
                                  ["autostart", "on", "extra"]])
def test_usage_errors_exit_2(capsys, args: list[str]) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == "" and "usage: quell" in err


def test_help_mentions_background_and_autostart(capsys) -> None:
    code, out, _err = run(capsys, "--help")
    assert code == 0
    assert "--background" in out and "without opening a window" in out
    assert "autostart" in out


def test_background_takes_no_command(capsys) -> None:
    code, out, err = run(capsys, "--background", "log", "water")
    assert code == 2 and out == ""
    assert "--background starts the tray app; it takes no command" in err


def test_background_reaches_the_gui_as_a_flag(monkeypatch) -> None:
    seen = []
    monkeypatch.setattr("quell.app.gui.run_gui",
                        lambda paths, clock, *, background=False: seen.append(background) or 0)
    assert main(["--background"]) == 0
    assert main(["--background", "--background"]) == 0
    assert main([]) == 0
    assert seen == [True, True, False]


# -- the app started in the background ------------------------------------------------------


@pytest.fixture
def app_parts(qtbot, qapp: QApplication, clock: FakeClock) -> Iterator[tuple[QuellApp, Paths]]:
    paths = Paths.for_user()
    context = open_context(clock, paths)
    quell = QuellApp(qapp, context, paths)
    yield quell, paths
    quell.stop()
    quell.tray.menu.deleteLater()


def visible_windows() -> list[str]:
    return [type(w).__name__ for w in QApplication.topLevelWidgets()
            if w.isVisible() and w.isWindow()]


def test_background_without_a_tray_opens_no_window(qtbot, app_parts) -> None:
    quell, _paths = app_parts
    quell.session.save_settings(quell.session.settings().replace(welcomed=True))
    assert quell.session.settings().welcomed
    quell.start(background=True)  # offscreen: no system tray
    qtbot.wait(50)
    assert visible_windows() == []
    assert quell.welcome is None


def test_background_on_the_first_run_shows_only_the_welcome(qtbot, app_parts) -> None:
    quell, _paths = app_parts
    assert not quell.session.settings().welcomed
    quell.start(background=True)
    assert visible_windows() == ["WelcomeDialog"]
    assert quell.welcome is not None
    assert quell.welcome.where_heading.text() == "Your desktop shows no tray"


def test_first_run_without_background_shows_the_window_and_the_welcome(qtbot,
                                                                        app_parts) -> None:
    quell, _paths = app_parts
    quell.start()
    shown = visible_windows()
    assert "WelcomeDialog" in shown and len(shown) == 2
    quell.welcome.close()
    assert quell.session.settings().welcomed


# -- inside Flatpak, from the command line -------------------------------------------------


@pytest.fixture
def portal_bus(monkeypatch) -> Iterator[tuple[str, FakePortal]]:
    if dbus_daemon_path() is None:
        pytest.fail("dbus-daemon is not installed (Debian: apt install dbus-daemon)")
    with private_bus() as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        reset_shared_buses()
        portal = FakePortal(address)
        yield address, portal
        portal.close()
        reset_shared_buses()


def test_flatpak_command_asks_the_portal_without_a_running_app(portal_bus, tmp_path) -> None:
    """In its own process: the command makes the event loop it needs to hear the answer."""
    _address, portal = portal_bus
    info = tmp_path / ".flatpak-info"
    info.write_text("[Application]\n")
    script = ("import sys\n"
              "from quell.platform import autostart\n"
              f"autostart.FLATPAK_INFO = {str(info)!r}\n"
              "from quell.app.main import main\n"
              "sys.exit(main(sys.argv[1:]))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}

    def quell(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", script, *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)

    result = quell("autostart", "on")
    assert (result.returncode, result.stderr) == (0, "")
    assert portal.requests[-1][1]["autostart"] is True
    assert quell("autostart", "status").stdout == "on\n"
    portal.allow_autostart = False
    result = quell("autostart", "on")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("quell: Your desktop did not allow Quell")
    assert quell("autostart", "off").returncode == 0
    assert quell("autostart", "status").stdout == "off\n"


def test_background_when_quell_already_runs_leaves_quietly(tmp_path) -> None:
    """At login, a Quell started by hand (or twice by the desktop) is all that was wanted:
    no window is raised, nothing is printed, exit 0 at once."""
    from quell.app.instance import InstanceLock

    paths = Paths.for_user()
    lock = InstanceLock(paths)
    assert lock.acquire()
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
        result = subprocess.run([sys.executable, "-m", "quell", "--background"], env=env,
                                cwd=tmp_path, capture_output=True, text=True, timeout=60)
    finally:
        lock.release()
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
