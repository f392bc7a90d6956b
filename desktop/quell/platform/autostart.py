"""Start Quell when the user logs in: one switch over each desktop's own mechanism.

- Linux and the BSDs: an XDG autostart entry, ``$XDG_CONFIG_HOME/autostart/<app id>.desktop``
  (the Desktop Application Autostart spec), whose Exec starts Quell in the tray without a
  window (``--background``).
- Inside Flatpak the sandbox cannot see the user's autostart folder: the Background portal's
  ``RequestBackground`` writes the entry for us. The portal cannot be asked what it did, so
  the answer is remembered in a small file in Quell's config folder.
- Windows: the per-user ``Run`` key (and Task Manager's ``StartupApproved`` switch).
- macOS: a LaunchAgent in ``~/Library/LaunchAgents`` with RunAtLoad.

No maintained library covers this (STACK-NOTES), so it is kept small and tested. Every
failure the user can meet (a read-only config folder, a portal that says no) is raised as
:class:`AutostartError` with a one-line reason.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from quell import APP_ID, APP_NAME
from quell.core.i18n import _

log = logging.getLogger(__name__)

BACKGROUND_FLAG = "--background"
ENTRY_NAME = f"{APP_ID}.desktop"
# Where Flatpak says "you are inside a sandbox" (a constant so tests can point it elsewhere).
FLATPAK_INFO = Path("/.flatpak-info")
# How long to wait for the portal's answer: it may ask the user first.
PORTAL_TIMEOUT = 60.0
PORTAL_NAME = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
PORTAL_STATE_FILE = "autostart.json"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"


class AutostartError(Exception):
    """Starting at login could not be switched; the message says why, on one line."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


def autostart_enabled() -> bool:
    """Whether Quell starts when the user logs in (a cheap read, no D-Bus)."""
    if in_flatpak():
        return _portal_state()
    if sys.platform == "win32":
        return _windows_enabled()
    if sys.platform == "darwin":
        return _mac_enabled()
    return xdg_enabled()


def set_autostart(on: bool) -> None:
    """Start Quell at login from now on (or no longer); raise AutostartError if impossible."""
    if in_flatpak():
        _portal_set(on)
    elif sys.platform == "win32":
        _windows_set(on)
    elif sys.platform == "darwin":
        _mac_set(on)
    else:
        xdg_set(on)
    log.info("start at login switched %s", "on" if on else "off")


def in_flatpak() -> bool:
    return os.path.exists(FLATPAK_INFO)


# -- the command that starts Quell ------------------------------------------------------------


def launch_command(environ: Mapping[str, str] | None = None) -> list[str]:
    """The absolute command that starts this Quell in the tray: argv, ending in --background.

    Computed from the running interpreter, not from argv[0]: ``quell autostart on`` and
    ``python -m quell autostart on`` must write (and recognise) the same entry.
    """
    environ = os.environ if environ is None else environ
    if getattr(sys, "frozen", False):
        # An AppImage runs from a temporary mount; the file the user keeps is $APPIMAGE.
        appimage = environ.get("APPIMAGE", "")
        program = appimage if appimage and os.path.isabs(appimage) else sys.executable
        return [program, BACKGROUND_FLAG]
    folder = Path(sys.executable).parent  # a venv's bin (not resolved: that is the system's)
    names = ("quell-gui.exe", "quell.exe") if sys.platform == "win32" else ("quell",)
    for name in names:
        script = folder / name
        if script.is_file() and os.access(script, os.X_OK):
            return [str(script.absolute()), BACKGROUND_FLAG]
    found = shutil.which("quell")
    if found and _runs_this_package(Path(found)):
        return [str(Path(found).absolute()), BACKGROUND_FLAG]
    python = sys.executable
    if sys.platform == "win32":  # no console window at login
        windowed = Path(python).with_name("pythonw.exe")
        python = str(windowed) if windowed.is_file() else python
    return [str(Path(python).absolute()), "-m", __name__.partition(".")[0], BACKGROUND_FLAG]


def _runs_this_package(script: Path) -> bool:
    """Whether the ``quell`` found on PATH belongs to this interpreter's install (its shebang
    names it); another install's quell might be another version, or gone next week."""
    try:
        with script.open("rb") as handle:
            first = handle.readline(4096)
    except OSError:
        return False
    return first.startswith(b"#!") and os.fsencode(sys.executable) in first


# -- Linux and other XDG desktops -------------------------------------------------------------


def xdg_entry_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/autostart/<app id>.desktop`` (``~/.config`` when unset or relative)."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".config"
    return root / "autostart" / ENTRY_NAME


def _system_entry_paths(environ: Mapping[str, str] | None = None) -> list[Path]:
    """Entries a package may have installed for every user ($XDG_CONFIG_DIRS/autostart)."""
    environ = os.environ if environ is None else environ
    dirs = environ.get("XDG_CONFIG_DIRS", "") or "/etc/xdg"
    return [Path(d) / "autostart" / ENTRY_NAME for d in dirs.split(":") if os.path.isabs(d)]


def xdg_entry(command: Sequence[str]) -> str:
    """The autostart entry's text, valid for ``desktop-file-validate``."""
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        f"Name={APP_NAME}",
        "Comment=" + _string_value(_("Start Quell in the tray when you log in")),
        f"Exec={exec_value(command)}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "StartupNotify=false",
        "Categories=Utility;",
        "X-GNOME-Autostart-enabled=true",
        "X-GNOME-UsesNotifications=true",
    ]
    return "\n".join(lines) + "\n"


def xdg_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """The user's entry decides (it overrides a system-wide one of the same name)."""
    for path in [xdg_entry_path(environ), *_system_entry_paths(environ)]:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError) as error:
            log.info("cannot read the autostart entry %s: %s", path, error)
            return False
        return _entry_starts_quell(text)
    return False


def _entry_starts_quell(text: str) -> bool:
    """Whether an entry would start Quell in the background at login: not hidden, not
    switched off in GNOME's or KDE's settings, and its program still there."""
    values = _desktop_entry_values(text)
    if values.get("Hidden", "false") == "true":
        return False
    if values.get("X-GNOME-Autostart-enabled", "true") == "false":
        return False
    try:
        argv = parse_exec(values.get("Exec", ""))
    except ValueError:
        return False
    if not argv or argv[-1] != BACKGROUND_FLAG:
        return False
    program = argv[0] if os.path.isabs(argv[0]) else shutil.which(argv[0])
    return program is not None and os.access(program, os.X_OK)


def xdg_set(on: bool, environ: Mapping[str, str] | None = None) -> None:
    from quell.files import write_atomic

    path = xdg_entry_path(environ)
    if on:
        text = xdg_entry(launch_command(environ))
    elif any(p.exists() for p in _system_entry_paths(environ)):
        # Removing ours would let the system-wide entry start Quell again: hide it instead.
        text = xdg_entry(launch_command(environ)) + "Hidden=true\n"
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            raise AutostartError(_(
                "Quell could not remove its start-at-login entry {path}: {reason}."
            ).format(path=path, reason=_reason(error))) from None
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode("utf-8"), mode=0o600)
    except (FileExistsError, NotADirectoryError):  # a file where a folder should be
        raise AutostartError(_(
            "Quell could not write its start-at-login entry in {folder}: a file of that name "
            "is in the way."
        ).format(folder=path.parent)) from None
    except OSError as error:
        raise AutostartError(_(
            "Quell could not write its start-at-login entry in {folder}: {reason}."
        ).format(folder=path.parent, reason=_reason(error))) from None


# The Desktop Entry spec's reserved characters: an argument holding one must be quoted.
_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")


def exec_value(argv: Sequence[str]) -> str:
    """*argv* as an Exec value: each argument quoted when needed, ``%`` doubled, and the
    whole escaped as a desktop-entry string (so a backslash is written four times)."""
    parts = []
    for arg in argv:
        arg = arg.replace("%", "%%")
        if arg and not (_RESERVED & set(arg)):
            parts.append(arg)
            continue
        quoted = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        parts.append(f'"{quoted}"')
    return _string_value(" ".join(parts))


def parse_exec(value: str) -> list[str]:
    """The argv of an Exec value (the inverse of :func:`exec_value`); ValueError if broken."""
    text = _unescape_string(value)
    argv: list[str] = []
    current: list[str] = []
    in_word = quoted = False
    i = 0
    while i < len(text):
        c = text[i]
        if c == "%":
            if text[i + 1:i + 2] == "%":
                current.append("%")
                in_word = True
            i += 2  # %% is a percent sign; a field code (%f, %u, ...) is nothing at login
            continue
        if quoted:
            if c == "\\" and i + 1 < len(text) and text[i + 1] in '"`$\\':
                current.append(text[i + 1])
                i += 1
            elif c == '"':
                quoted = False
            else:
                current.append(c)
        elif c == '"':
            quoted = in_word = True
        elif c in " \t":
            if in_word:
                argv.append("".join(current))
                current, in_word = [], False
        else:
            current.append(c)
            in_word = True
        i += 1
    if quoted:
        raise ValueError("unterminated quote in Exec")
    if in_word:
        argv.append("".join(current))
    return argv


def _string_value(text: str) -> str:
    return (text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
            .replace("\r", "\\r"))


def _unescape_string(text: str) -> str:
    escapes = {"\\": "\\", "n": "\n", "t": "\t", "r": "\r", "s": " "}
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in escapes:
            out.append(escapes[text[i + 1]])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _desktop_entry_values(text: str) -> dict[str, str]:
    """The keys of the [Desktop Entry] group (untranslated ones; other groups ignored)."""
    values: dict[str, str] = {}
    group = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1]
            continue
        if group == "Desktop Entry" and "=" in line:
            key, _sep, value = line.partition("=")
            values.setdefault(key.strip(), value.strip())
    return values


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


# -- Flatpak: the Background portal -----------------------------------------------------------


def _portal_state_path() -> Path:
    from quell.files import Paths

    return Paths.for_user().config / PORTAL_STATE_FILE


def _portal_state() -> bool:
    try:
        data = json.loads(_portal_state_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError) as error:
        log.info("cannot read the start-at-login state: %s", error)
        return False
    return isinstance(data, dict) and data.get("autostart") is True


def _portal_set(on: bool) -> None:
    granted = _request_background(on)
    if on and not granted:
        raise AutostartError(_(
            "Your desktop did not allow Quell to start when you log in. You can allow it in "
            "your system's settings for background apps, then try again."))
    from quell.files import ensure_private_dir, write_atomic

    path = _portal_state_path()
    try:
        ensure_private_dir(path.parent)
        write_atomic(path, json.dumps({"autostart": granted}).encode("utf-8"), mode=0o600)
    except OSError as error:
        raise AutostartError(_(
            "Starting at login was switched {state}, but Quell could not note it in {folder}: "
            "{reason}.").format(state=_("on") if granted else _("off"), folder=path.parent,
                                reason=_reason(error))) from None


def _request_background(on: bool) -> bool:
    """Ask the portal; return whether autostart is on now. Waits for the Request's Response
    (the portal may ask the user) up to PORTAL_TIMEOUT, keeping the event loop running."""
    import secrets

    from jeepney import (  # type: ignore[import-untyped,unused-ignore]
        DBusAddress,
        MatchRule,
        Message,
        new_method_call,
    )
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from quell.platform.dbus import Bus, DBusError

    _ensure_event_loop(QCoreApplication)
    bus = Bus.session()
    if bus is None:
        raise AutostartError(_(
            "Quell cannot reach your desktop's session bus to ask to start when you log in."))
    token = f"quell_{secrets.token_hex(8)}"
    sender = bus.unique_name.lstrip(":").replace(".", "_")
    expected = f"{PORTAL_PATH}/request/{sender}/{token}"
    answers: list[tuple[Any, ...]] = []
    loop = QEventLoop()

    def on_response(message: Message) -> None:
        answers.append(tuple(message.body))
        loop.quit()

    def subscribe(path: str) -> Any:
        rule = MatchRule(type="signal", sender=PORTAL_NAME, path=path,
                         interface="org.freedesktop.portal.Request", member="Response")
        return bus.subscribe(rule, on_response)

    # Subscribed before asking: a quick portal answers before the call's reply is read.
    unsubscribers = [subscribe(expected)]
    try:
        options = {
            "handle_token": ("s", token),
            "reason": ("s", _("Quell reminds you of water, stretches and breaks during the "
                              "day, from the moment you log in.")),
            "autostart": ("b", on),
            "commandline": ("as", ["quell", BACKGROUND_FLAG]),
            "dbus-activatable": ("b", False),
        }
        address = DBusAddress(PORTAL_PATH, bus_name=PORTAL_NAME,
                              interface="org.freedesktop.portal.Background")
        try:
            (handle,) = bus.call(new_method_call(address, "RequestBackground", "sa{sv}",
                                                 ("", options)), timeout=5.0)
        except DBusError as error:
            log.info("RequestBackground failed: %s", error)
            raise AutostartError(_(
                "Your desktop's background portal did not take the request to start Quell "
                "when you log in ({error}).").format(error=error.name)) from None
        if handle != expected:  # an older portal that ignores handle_token
            unsubscribers.append(subscribe(str(handle)))
        if not answers:
            timer = QTimer()
            timer.setSingleShot(True)
            timer.timeout.connect(loop.quit)
            timer.start(int(PORTAL_TIMEOUT * 1000))
            loop.exec()
            timer.stop()
    finally:
        for unsubscribe in unsubscribers:
            unsubscribe()
    if not answers:
        raise AutostartError(_(
            "Your desktop did not answer the request to start Quell when you log in."))
    response, results = answers[0][0], answers[0][1]
    if response == 1:
        raise AutostartError(_("Starting Quell when you log in was not allowed."))
    if response != 0:
        raise AutostartError(_(
            "Your desktop could not switch starting Quell when you log in."))
    granted = results.get("autostart", ("b", False))[1]
    log.info("background portal: background=%s autostart=%s",
             results.get("background", ("b", None))[1], granted)
    return bool(granted)


_cli_application: list[Any] = []  # the QCoreApplication a command made to wait on the portal


def _ensure_event_loop(application_class: Any) -> None:
    """The portal's answer comes as a signal, read by the event loop: a command (no app
    running in this process) needs a QCoreApplication for it."""
    if application_class.instance() is None:
        _cli_application.append(application_class([sys.argv[0] if sys.argv else "quell"]))


# -- Windows ----------------------------------------------------------------------------------


def _windows_enabled() -> bool:
    if sys.platform != "win32":  # (so mypy checks what follows for Windows only)
        return False
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.QueryValueEx(key, APP_NAME)
    except OSError:
        return False
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, APPROVED_KEY) as key:
            data, _kind = winreg.QueryValueEx(key, APP_NAME)
    except OSError:
        return True  # never switched in Task Manager
    # Task Manager's switch: the first byte is even when enabled (02), odd when disabled (03).
    return not (isinstance(data, bytes) and data and data[0] & 1)


def _windows_set(on: bool) -> None:
    if sys.platform != "win32":
        raise AutostartError("the Run key exists on Windows only")
    import subprocess
    import winreg

    try:
        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, RUN_KEY, 0,
                                winreg.KEY_SET_VALUE) as key:
            if on:
                winreg.SetValueEx(key, APP_NAME, 0, winreg.REG_SZ,
                                  subprocess.list2cmdline(launch_command()))
            else:
                with contextlib.suppress(FileNotFoundError):
                    winreg.DeleteValue(key, APP_NAME)
    except OSError as error:
        raise AutostartError(_(
            "Quell could not change its start-at-login setting in the registry: {reason}."
        ).format(reason=_reason(error))) from None
    # Asked here means wanted: clear a "disabled" left by Task Manager (no entry = enabled).
    with contextlib.suppress(OSError), winreg.OpenKey(
            winreg.HKEY_CURRENT_USER, APPROVED_KEY, 0, winreg.KEY_SET_VALUE) as key:
        winreg.DeleteValue(key, APP_NAME)


# -- macOS ------------------------------------------------------------------------------------


def mac_agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{APP_ID}.plist"


def mac_agent(command: Sequence[str]) -> bytes:
    import plistlib

    return plistlib.dumps({
        "Label": APP_ID,
        "ProgramArguments": list(command),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",  # the graphical login only, not ssh sessions
    })


def _mac_enabled() -> bool:
    import plistlib

    try:
        with mac_agent_path().open("rb") as handle:
            agent = plistlib.load(handle)
    except FileNotFoundError:
        return False
    except (OSError, ValueError) as error:
        log.info("cannot read the LaunchAgent: %s", error)
        return False
    argv = agent.get("ProgramArguments") if isinstance(agent, dict) else None
    return (bool(agent.get("RunAtLoad")) and not agent.get("Disabled", False)
            and isinstance(argv, list) and bool(argv) and argv[-1] == BACKGROUND_FLAG
            and os.access(str(argv[0]), os.X_OK))


def _mac_set(on: bool) -> None:
    from quell.files import write_atomic

    path = mac_agent_path()
    try:
        if on:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, mac_agent(launch_command()), mode=0o600)
        else:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    except OSError as error:
        raise AutostartError(_(
            "Quell could not change its start-at-login entry {path}: {reason}."
        ).format(path=path, reason=_reason(error))) from None
