"""The frozen (PyInstaller onedir) build bundles every module the CLI imports, and its CLI works."""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quell import __version__
from quell.app.cli import build_parser, command_modules

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "desktop" / "quell"
# Calls that import a module named by a string, which PyInstaller's analysis cannot follow.
BY_NAME = {"import_module", "__import__", "find_spec"}


def names_imported_by_string(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in BY_NAME:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_module_of_ours_is_imported_by_name() -> None:
    # The CLI crashed in every frozen build: cli.py imported its command modules by name.
    found = [where for path in sorted(PACKAGE.rglob("*.py"))
             for where in names_imported_by_string(path)]
    assert found == [], "a frozen build would lack these modules; import them statically"


def test_every_command_module_is_registered() -> None:
    files = {f"quell.app.{path.stem}" for path in (PACKAGE / "app").glob("cli_*.py")}
    assert {module.__name__ for module in command_modules()} == files


def run_python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


LOADED_COMMANDS = "sorted(m for m in sys.modules if m.startswith('quell.app.cli_'))"


def test_version_and_the_tray_app_import_no_command_module() -> None:
    """`quell --version` and the tray start stay fast: no command module is loaded for them."""
    out = run_python("import sys\nfrom quell.app.main import main\nmain(['--version'])\n"
                     f"print({LOADED_COMMANDS})")
    assert out == f"quell {__version__}\n[]\n"
    out = run_python(f"import sys\nimport quell.app.gui, quell.app.cli\n"
                     f"print({LOADED_COMMANDS})")
    assert out == "[]\n"


def test_the_quick_version_is_the_parsers(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--version"])
    assert capsys.readouterr().out == f"quell {__version__}\n"


# --- the built onedir (`make frozen`; .ci/run builds it and sets QUELL_FROZEN) -----------------

@pytest.fixture(scope="module")
def frozen() -> Path:
    where = os.environ.get("QUELL_FROZEN")
    if not where:
        if os.environ.get("CI"):
            pytest.fail("CI must test the frozen build: `make frozen`, then "
                        "QUELL_FROZEN=dist/quell/quell (as .ci/run does)")
        pytest.skip("no frozen build: `make frozen`, then QUELL_FROZEN=dist/quell/quell")
    program = Path(where).resolve()
    assert program.is_file() and os.access(program, os.X_OK), f"not a program: {program}"
    return program


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def frozen_env(home: Path) -> dict[str, str]:
    runtime = home.parent / "xdg-runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    # Nothing of the checkout or the venv: the bundle must be complete by itself.
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return {**env, "QUELL_HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}


def quell(frozen: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(frozen), *args], capture_output=True, text=True,
                          env=frozen_env(home), cwd=home.parent, timeout=60)


def water_today(frozen: Path, home: Path) -> dict:
    shown = quell(frozen, home, "today", "--json")
    assert (shown.returncode, shown.stderr) == (0, "")
    return next(h for h in json.loads(shown.stdout)["habits"] if h["key"] == "water")


@pytest.mark.slow
def test_frozen_version(frozen: Path, home: Path) -> None:
    done = quell(frozen, home, "--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"quell {__version__}\n", "")


@pytest.mark.slow
def test_frozen_help_lists_every_command(frozen: Path, home: Path) -> None:
    # --help builds every command's parser, so it loads every command module.
    done = quell(frozen, home, "--help")
    assert (done.returncode, done.stderr) == (0, "")
    parser = build_parser()
    [commands] = [action for action in parser._actions if action.dest == "command"]
    for name in commands.choices:  # type: ignore[union-attr]
        assert f" {name} " in done.stdout or f" {name}\n" in done.stdout, name


@pytest.mark.slow
def test_frozen_today_and_log_water(frozen: Path, home: Path) -> None:
    water = water_today(frozen, home)
    assert (water["total"], water["entries"]) == (0, [])
    logged = quell(frozen, home, "log", "water")
    assert (logged.returncode, logged.stderr) == (0, "")
    assert logged.stdout.startswith("Logged Water: 250 ml at ")
    water = water_today(frozen, home)
    assert water["total"] == 250 and [e["source"] for e in water["entries"]] == ["cli"]
    assert (home / "data" / "quell.db").is_file()


@pytest.mark.slow
def test_frozen_bad_input_is_one_line(frozen: Path, home: Path) -> None:
    done = quell(frozen, home, "log", "water", "lots")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("quell: ") and done.stderr.count("\n") == 1, done.stderr
    assert "internal error" not in done.stderr


@pytest.fixture
def frozen_app(frozen: Path, home: Path) -> Iterator[subprocess.Popen[str]]:
    env = {**frozen_env(home), "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen([str(frozen)], env=env, cwd=home.parent, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        yield app
    finally:
        if app.poll() is None:
            app.kill()
        app.communicate(timeout=30)


@pytest.mark.slow
def test_frozen_tray_app_starts_and_takes_a_command(frozen: Path, home: Path,
                                                    frozen_app: subprocess.Popen[str]) -> None:
    log = home / "logs" / "quell.log"
    deadline = time.monotonic() + 30
    while "reminders armed" not in (log.read_text() if log.exists() else ""):
        assert frozen_app.poll() is None, frozen_app.communicate()[0]
        assert time.monotonic() < deadline, "the frozen app did not start within 30 s"
        time.sleep(0.1)
    logged = quell(frozen, home, "log", "water", "300")
    assert (logged.returncode, logged.stderr) == (0, "")
    assert "request 'log' from another process" in log.read_text()  # the app wrote it
    assert water_today(frozen, home)["total"] == 300
    frozen_app.send_signal(signal.SIGTERM)
    assert frozen_app.wait(timeout=30) == 0
    assert "Traceback" not in log.read_text()


# --- presence in the bundle (issue 9): D-Bus, notifications, meetings -----------------------

# Libraries of the presence sources and notifications, and their own dependencies.
PRESENCE_LIBRARIES = ("jeepney", "jeepney.low_level", "icalendar", "recurring_ical_events",
                      "x_wr_timezone", "dateutil.rrule", "tzdata")


def bundled_modules(program: Path) -> set[str]:
    """The module names in the onedir's PYZ archive (embedded in the executable)."""
    readers = pytest.importorskip("PyInstaller.archive.readers")
    archive = readers.CArchiveReader(str(program))
    [name] = [entry for entry in archive.toc if entry.endswith(".pyz")]
    return set(archive.open_embedded_archive(name).toc)


@pytest.mark.slow
def test_frozen_bundles_every_platform_module_and_the_presence_libraries(frozen: Path) -> None:
    """Each quell.platform module (D-Bus, notifications, idle, lock, do-not-disturb,
    full-screen, meetings, autostart) and the libraries they use are in the bundle, with the
    zone files zoneinfo falls back to where the system has none (Windows)."""
    modules = bundled_modules(frozen)
    platform = {f"quell.platform.{path.stem}" for path in (PACKAGE / "platform").glob("*.py")
                if path.stem != "__init__"}
    assert {"quell.platform.dbus", "quell.platform.notifications",
            "quell.platform.meetings"} <= platform
    assert sorted(platform - modules) == []
    assert sorted(set(PRESENCE_LIBRARIES) - modules) == []
    zones = frozen.parent / "_internal" / "tzdata" / "zoneinfo"
    assert (zones / "Europe" / "Berlin").is_file() and (zones / "Pacific" / "Auckland").is_file()


@pytest.fixture
def desktop_services() -> Iterator[Any]:
    """A fake desktop on private buses (tests/bench/fake_desktop.py)."""
    from tests.bench.fake_desktop import fake_desktop
    from tests.dbus_daemon import dbus_daemon_path

    if dbus_daemon_path() is None:
        pytest.fail("dbus-daemon is not installed (Debian: apt install dbus-daemon)")
    with fake_desktop() as services:
        yield services


def configure(home: Path, monkeypatch: pytest.MonkeyPatch, **reminders: Any) -> None:
    """Write the settings the frozen app starts with (through this checkout's code: the same
    format), welcome already seen."""
    from quell.app.clock import SystemClock
    from quell.app.context import open_context
    from quell.files import Paths

    monkeypatch.setenv("QUELL_HOME", str(home))
    context = open_context(SystemClock(), Paths.for_user())
    try:
        settings = context.settings()
        context.settings.save(settings.replace(
            reminders=settings.reminders.replace(**reminders), welcomed=True,
            tray_hint_shown=True))
    finally:
        context.close()


def wait_for(check: Any, what: str, app: subprocess.Popen[str], seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        assert app.poll() is None, app.communicate()[0]
        assert time.monotonic() < deadline, f"not within {seconds:.0f} s: {what}"
        time.sleep(0.1)


@pytest.mark.slow
def test_frozen_app_holds_for_a_meeting_and_notifies_through_dbus(
        frozen: Path, home: Path, desktop_services: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled app, on a desktop with a notification server, screen savers, Mutter and
    logind, and a calendar with a meeting now: `quell reminders --json` says reminders wait
    for the meeting (icalendar and recurring-ical-events at work), a screen lock (logind on
    the system bus) takes precedence, `quell remind water --as notification` reaches the
    notification server with Done (jeepney), and Done there logs a glass."""
    from datetime import datetime, timedelta, timezone

    from quell import APP_ID
    from tests.bench.fake_desktop import write_calendar

    now = datetime.now(timezone.utc)
    calendar = home.parent / "work.ics"
    write_calendar(calendar, now, meeting_now=True)
    meeting_end = now.replace(second=0, microsecond=0) + timedelta(minutes=50)
    configure(home, monkeypatch, calendar_path=str(calendar), style="notification")
    env = {**frozen_env(home), **desktop_services.env, "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen([str(frozen)], env=env, cwd=home.parent, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    log = home / "logs" / "quell.log"
    try:
        wait_for(lambda: "reminders armed" in (log.read_text() if log.exists() else ""),
                 "the frozen app armed its reminders", app)

        def hold() -> dict[str, Any] | None:
            shown = quell(frozen, home, "reminders", "--json")
            assert (shown.returncode, shown.stderr) == (0, "")
            held: dict[str, Any] | None = json.loads(shown.stdout)["hold"]
            return held

        meeting = hold()
        assert meeting is not None and meeting["reason"] == "meeting", meeting
        assert datetime.fromisoformat(meeting["until"]) == meeting_end
        desktop_services.state.locked_hint = True
        assert (hold() or {}).get("reason") == "screen_locked"
        desktop_services.state.locked_hint = False
        assert wait_for(lambda: any("PrepareForSleep" in rule for _bus, rule
                                    in desktop_services.subscriptions(app.pid)),
                        "the suspend hook subscribed to logind", app)

        reminded = quell(frozen, home, "remind", "water", "--as", "notification")
        assert (reminded.returncode, reminded.stderr) == (0, "")
        notified = desktop_services.state.notified
        wait_for(lambda: notified, "a Notify call on the session bus", app)
        app_name, _replaces, icon, _title, _body, actions, hints, _timeout = notified[0]
        assert (app_name, icon) == ("Quell", APP_ID)
        assert hints["desktop-entry"] == ("s", APP_ID)
        assert "done" in actions[::2]
        notification_id = 1  # the fake server numbers from 1
        desktop_services.invoke_action(notification_id, "done")
        wait_for(lambda: water_today(frozen, home)["total"] == 250,
                 "Done on the notification logged a glass of water", app)
    finally:
        if app.poll() is None:
            app.send_signal(signal.SIGTERM)
        try:
            app.wait(timeout=30)
        except subprocess.TimeoutExpired:
            app.kill()
        app.communicate(timeout=30)
    assert "Traceback" not in log.read_text()
