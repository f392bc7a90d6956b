"""Start at login: the XDG autostart entry (valid, private, starting Quell in the background),
the Flatpak Background portal on a real private bus, and the macOS LaunchAgent."""

from __future__ import annotations

import contextlib
import os
import plistlib
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from quell import APP_ID
from quell.platform import autostart
from quell.platform.autostart import (
    AutostartError,
    autostart_enabled,
    exec_value,
    launch_command,
    parse_exec,
    set_autostart,
)
from quell.platform.dbus import reset_shared_buses
from tests.platform.fake_portal import FakePortal

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's config folder and the system's, both private to the test; not Flatpak."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc-xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(autostart, "FLATPAK_INFO", tmp_path / "no-flatpak-info")
    if sys.platform in ("win32", "darwin"):
        pytest.skip("the XDG tests run on Linux and the BSDs")
    return tmp_path / "config" / "autostart"


def entry(folder: Path) -> Path:
    return folder / f"{APP_ID}.desktop"


def entry_values(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        key, _sep, value = line.partition("=")
        values[key] = value
    return values


def validate(path: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.fail("desktop-file-validate is not installed (Debian: apt install "
                    "desktop-file-utils)")
    result = subprocess.run([tool, str(path)], capture_output=True, text=True)
    # It prints hints and warnings as well as errors: an entry worth shipping has none.
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_on_writes_a_valid_private_entry_that_starts_quell_in_the_background(
        xdg: Path) -> None:
    assert not autostart_enabled()
    set_autostart(True)
    path = entry(xdg)
    validate(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    values = entry_values(path)
    assert values["Type"] == "Application" and values["Name"] == "Quell"
    assert values["Icon"] == APP_ID and values["Terminal"] == "false"
    assert values["X-GNOME-Autostart-enabled"] == "true"
    argv = parse_exec(values["Exec"])
    assert argv == launch_command()
    assert os.path.isabs(argv[0]) and argv[-1] == "--background"
    assert autostart_enabled()
    assert [p.name for p in xdg.iterdir()] == [path.name]  # no temp file left behind


def test_the_entry_is_private_from_its_first_byte(xdg: Path, monkeypatch) -> None:
    seen = []
    real_fdopen = os.fdopen

    def watching_fdopen(fd, *args, **kwargs):  # the temp file, before a byte is written
        seen.append(stat.S_IMODE(os.fstat(fd).st_mode))
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", watching_fdopen)
    set_autostart(True)
    assert seen and all(mode == 0o600 for mode in seen)


def test_off_removes_the_entry_and_status_follows(xdg: Path) -> None:
    set_autostart(True)
    assert autostart_enabled()
    set_autostart(False)
    assert not entry(xdg).exists()
    assert not autostart_enabled()
    set_autostart(False)  # off twice is fine
    set_autostart(True)
    set_autostart(True)  # on twice rewrites the same entry
    assert autostart_enabled()


@pytest.mark.parametrize("line", ["Hidden=true", "X-GNOME-Autostart-enabled=false"])
def test_an_entry_switched_off_by_the_desktop_counts_as_off(xdg: Path, line: str) -> None:
    set_autostart(True)
    path = entry(xdg)
    text = path.read_text(encoding="utf-8").replace("X-GNOME-Autostart-enabled=true\n", "")
    path.write_text(text + line + "\n", encoding="utf-8")
    assert not autostart_enabled()
    set_autostart(True)
    assert autostart_enabled()


def test_an_entry_whose_program_is_gone_counts_as_off(xdg: Path) -> None:
    xdg.mkdir(parents=True)
    entry(xdg).write_text("[Desktop Entry]\nType=Application\nName=Quell\n"
                          "Exec=/nowhere/old-venv/bin/quell --background\n", encoding="utf-8")
    assert not autostart_enabled()
    entry(xdg).write_text("[Desktop Entry]\nType=Application\nName=Quell\n"
                          f"Exec={sys.executable} -m quell\n", encoding="utf-8")
    assert not autostart_enabled()  # it would open a window at login, not the tray


def test_a_system_wide_entry_is_hidden_not_left_on(xdg: Path, tmp_path: Path) -> None:
    system = tmp_path / "etc-xdg" / "autostart"
    system.mkdir(parents=True)
    entry(system).write_text(autostart.xdg_entry(launch_command()), encoding="utf-8")
    assert autostart_enabled()  # a package installed it for everyone
    set_autostart(False)
    assert entry(xdg).exists() and entry_values(entry(xdg))["Hidden"] == "true"
    validate(entry(xdg))
    assert not autostart_enabled()
    set_autostart(True)
    assert "Hidden" not in entry_values(entry(xdg))
    assert autostart_enabled()


@contextlib.contextmanager
def unprivileged() -> Iterator[None]:
    """Drop root's power to write anywhere for a moment (a read-only folder is not one to
    root); a no-op for everyone else."""
    if os.name != "posix" or os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_a_read_only_config_folder_is_one_line_and_nothing_written(monkeypatch) -> None:
    # Outside pytest's root-only temp folder, so the unprivileged user can reach it.
    root = Path(tempfile.mkdtemp(prefix="quell-ro-"))
    try:
        os.chmod(root, 0o755)
        folder = root / "config" / "autostart"
        folder.mkdir(parents=True)
        os.chmod(folder, 0o555)
        os.chmod(root / "config", 0o555)
        monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "config"))
        monkeypatch.setattr(autostart, "FLATPAK_INFO", root / "no-flatpak-info")
        with unprivileged(), pytest.raises(AutostartError) as raised:
            set_autostart(True)
        message = str(raised.value)
        assert "\n" not in message and str(folder) in message
        assert "ermission denied" in message
        assert list(folder.iterdir()) == []
        # and no folder made where there was none
        monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "config" / "missing"))
        with unprivileged(), pytest.raises(AutostartError):
            set_autostart(True)
        assert not (root / "config" / "missing").exists()
    finally:
        os.chmod(root / "config", 0o755)
        os.chmod(root / "config" / "autostart", 0o755)
        shutil.rmtree(root)


def test_a_file_in_place_of_the_folder_is_an_error(xdg: Path) -> None:
    xdg.parent.mkdir(parents=True)
    xdg.write_text("not a folder")
    with pytest.raises(AutostartError, match="could not write its start-at-login entry"):
        set_autostart(True)
    assert xdg.read_text() == "not a folder"


def test_default_config_folder_is_dot_config(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert autostart.xdg_entry_path() == tmp_path / "home" / ".config" / "autostart" / (
        f"{APP_ID}.desktop")
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/ignored")  # the spec: absolute only
    assert autostart.xdg_entry_path().parent.parent == tmp_path / "home" / ".config"


# -- the command in Exec ----------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["/opt/Quell App/bin/quell", "--background"],
    ["/home/ann/it's \"odd\" $HOME `x` \\ 100%/quell", "--background"],
    ["/usr/bin/quell", "--background"],
])
def test_exec_quoting_round_trips_and_validates(argv: list[str], xdg: Path) -> None:
    assert parse_exec(exec_value(argv)) == argv
    xdg.mkdir(parents=True)
    path = entry(xdg)
    path.write_text(autostart.xdg_entry(argv), encoding="utf-8")
    validate(path)


def test_exec_quotes_by_the_spec() -> None:
    assert exec_value(["/a b/quell", "--background"]) == '"/a b/quell" --background'
    # Quoted: " ` $ \ get a backslash, and the value's own escaping doubles backslashes.
    assert exec_value(['/x"$\\']) == '"/x\\\\"\\\\$\\\\\\\\"'
    assert exec_value(["/50%"]) == "/50%%"
    with pytest.raises(ValueError):
        parse_exec('"/unterminated')


def fake_install(folder: Path, names: tuple[str, ...]) -> Path:
    folder.mkdir(parents=True)
    python = folder / "python"
    for name in ("python", *names):
        (folder / name).write_text(f"#!{python}\n")
        (folder / name).chmod(0o755)
    return python


def test_command_is_the_quell_script_beside_the_interpreter(monkeypatch, tmp_path) -> None:
    python = fake_install(tmp_path / "my venv" / "bin", ("quell",))
    monkeypatch.setattr(sys, "executable", str(python))
    assert launch_command() == [str(python.parent / "quell"), "--background"]


def test_command_falls_back_to_the_quell_on_path_of_this_install(monkeypatch,
                                                                 tmp_path) -> None:
    python = fake_install(tmp_path / "venv" / "bin", ())
    other = tmp_path / "bin"
    other.mkdir()
    (other / "quell").write_text(f"#!{python}\n")
    (other / "quell").chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(python))
    monkeypatch.setenv("PATH", str(other))
    assert launch_command() == [str(other / "quell"), "--background"]
    (other / "quell").write_text("#!/some/other/python\n")  # another install's: not ours
    assert launch_command() == [str(python), "-m", "quell", "--background"]


def test_command_of_a_frozen_build_is_the_executable(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/quell/quell")
    monkeypatch.delenv("APPIMAGE", raising=False)
    assert launch_command() == ["/opt/quell/quell", "--background"]
    monkeypatch.setenv("APPIMAGE", "/home/ann/Apps/Quell.AppImage")
    assert launch_command() == ["/home/ann/Apps/Quell.AppImage", "--background"]


def test_the_entrys_command_really_starts_quell_in_the_background(xdg: Path,
                                                                   tmp_path: Path) -> None:
    """Run what the desktop would run at login: the tray app starts (no command parsing)."""
    set_autostart(True)
    argv = parse_exec(entry_values(entry(xdg))["Exec"])
    home = tmp_path / "quell-home"
    env = {**os.environ, "QUELL_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "QUELL_REPORT_READY": "1", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=tmp_path)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.strip() == "quell-ready", process.stderr.read() if process.stderr else ""
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    log = (home / "logs" / "quell.log").read_text(encoding="utf-8")
    assert "starting" in log and "no window in the background" in log


# -- Flatpak: the Background portal -----------------------------------------------------------


@pytest.fixture
def portal(session_bus: str, qapp, monkeypatch, tmp_path) -> Iterator[FakePortal]:
    """Inside Flatpak (as far as Quell can tell), with a fake portal on the session bus."""
    info = tmp_path / ".flatpak-info"
    info.write_text("[Application]\nname=io.github.quellapp.Quell\n")
    monkeypatch.setattr(autostart, "FLATPAK_INFO", info)
    reset_shared_buses()
    fake = FakePortal(session_bus)
    yield fake
    fake.close()
    reset_shared_buses()


def test_flatpak_asks_the_portal_for_autostart(portal: FakePortal, xdg: Path) -> None:
    assert not autostart_enabled()
    set_autostart(True)
    assert autostart_enabled()
    parent, options = portal.requests[-1]
    assert parent == ""
    assert options["autostart"] is True
    assert options["commandline"] == ["quell", "--background"]
    assert options["dbus-activatable"] is False
    assert options["reason"] and options["handle_token"].startswith("quell_")
    assert not xdg.exists()  # the portal writes the host's entry, not Quell
    set_autostart(False)
    assert portal.requests[-1][1]["autostart"] is False
    assert not autostart_enabled()


def test_flatpak_state_survives_in_the_config_folder(portal: FakePortal) -> None:
    set_autostart(True)
    from quell.files import Paths

    state = Paths.for_user().config / "autostart.json"
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    portal.close()  # the portal cannot be asked: the answer is remembered
    assert autostart_enabled()


def test_flatpak_portal_refusal_is_one_line(portal: FakePortal) -> None:
    portal.allow_autostart = False
    with pytest.raises(AutostartError, match="did not allow") as raised:
        set_autostart(True)
    assert "\n" not in str(raised.value)
    assert not autostart_enabled()
    portal.allow_autostart = True
    portal.response = 1  # the user said no in the portal's dialog
    with pytest.raises(AutostartError, match="not allowed"):
        set_autostart(True)
    assert not autostart_enabled()


def test_flatpak_portal_that_never_answers_times_out(portal: FakePortal, monkeypatch) -> None:
    monkeypatch.setattr(autostart, "PORTAL_TIMEOUT", 0.3)
    portal.answer = False
    with pytest.raises(AutostartError, match="did not answer"):
        set_autostart(True)
    assert not autostart_enabled()


def test_flatpak_older_portal_with_its_own_request_path(portal: FakePortal) -> None:
    portal.ignore_token = True
    portal.delay = 0.2  # answers after we learned its path
    set_autostart(True)
    assert autostart_enabled()


def test_flatpak_without_a_portal_or_a_bus(session_bus: str, qapp, monkeypatch,
                                           tmp_path) -> None:
    info = tmp_path / ".flatpak-info"
    info.write_text("")
    monkeypatch.setattr(autostart, "FLATPAK_INFO", info)
    reset_shared_buses()
    with pytest.raises(AutostartError, match="background portal did not take"):
        set_autostart(True)  # a bus, but nobody owns the portal's name
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS")
    reset_shared_buses()
    with pytest.raises(AutostartError, match="session bus"):
        set_autostart(True)
    assert not autostart_enabled()


# -- macOS: a LaunchAgent ---------------------------------------------------------------------


def test_macos_launch_agent(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    set_autostart(True)
    path = tmp_path / "home" / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    agent = plistlib.loads(path.read_bytes())
    assert agent["Label"] == APP_ID and agent["RunAtLoad"] is True
    assert agent["ProgramArguments"] == launch_command()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert autostart_enabled()
    set_autostart(False)
    assert not path.exists() and not autostart_enabled()
