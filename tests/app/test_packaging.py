"""Packaging files agree with the code (id, version, command) and pass the desktop validators."""

from __future__ import annotations

import configparser
import os
import re
import runpy
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from quell import APP_ID, APP_NAME, __version__

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
DESKTOP_FILE = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons"
APP_ICON = ICONS / f"{APP_ID}.svg"
TRAY_ICON = ICONS / "quell-tray-symbolic.svg"
COMMAND = "quell"  # pyproject's console script; test_console_script_is_the_desktop_command checks
FLATPAK_MANIFEST = ROOT / "packaging" / "flatpak" / f"{APP_ID}.yml"
INNO_SCRIPT = ROOT / "packaging" / "windows" / "quell.iss"
FLATPAK_GENERATOR = ROOT / "packaging" / "flatpak" / "generate-python-modules.py"

SVG = "{http://www.w3.org/2000/svg}"
# What QtSvg (SVG Tiny 1.2) renders faithfully: no filters, masks, clip paths, text or images.
SVG_ELEMENTS = {"svg", "title", "desc", "defs", "g", "path", "rect", "circle", "ellipse",
                "linearGradient", "stop"}


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


# --- the .desktop file ---------------------------------------------------------------------------

def test_desktop_file_uses_the_app_id_and_command() -> None:
    entry = desktop_entry()
    assert DESKTOP_FILE.stem == APP_ID
    assert entry["Type"] == "Application"
    assert entry["Name"] == APP_NAME
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == COMMAND
    assert entry["StartupNotify"] == "false"  # a tray app shows no window to wait for
    # The desktop file has no app version ("Version" is the Desktop Entry spec's own version).
    assert entry["Version"] in {"1.0", "1.1", "1.2", "1.3", "1.4", "1.5"}


def test_console_script_is_the_desktop_command() -> None:
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"][COMMAND] == "quell.app.main:run"


def test_autostart_entry_starts_the_menu_entrys_app_in_the_background(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`quell autostart on` writes an entry with the menu entry's name and icon whose Exec
    starts the same Quell (an absolute path, so a venv or pipx install works at login) with
    --background: in the tray, no window."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the XDG autostart entry is the Linux form")
    from quell.platform import autostart

    monkeypatch.setattr(autostart, "FLATPAK_INFO", tmp_path / "no-flatpak-info")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc-xdg"))
    autostart.set_autostart(True)
    path = tmp_path / "config" / "autostart" / DESKTOP_FILE.name
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    entry, menu = parser["Desktop Entry"], desktop_entry()
    for key in ("Type", "Name", "Icon", "Terminal", "StartupNotify"):
        assert entry[key] == menu[key], key
    argv = shlex.split(entry["Exec"])
    assert argv[-1] == "--background"
    assert Path(argv[0]).is_absolute() and os.access(argv[0], os.X_OK), argv
    assert Path(argv[0]).name == COMMAND or argv[1:3] == ["-m", "quell"], argv
    assert autostart.autostart_enabled()
    result = run_validator("desktop-file-validate", str(path))
    report = result.stdout + result.stderr
    assert result.returncode == 0 and "error:" not in report and "warning:" not in report, report
    autostart.set_autostart(False)
    assert not path.exists() and not autostart.autostart_enabled()


def test_windows_installer_writes_the_run_value_the_app_reads() -> None:
    """The setup's "Start Quell when I sign in" task and Quell's own setting (`quell autostart`)
    are one switch: the same Run key value, starting Quell in the tray (--background)."""
    from quell.platform import autostart
    script = INNO_SCRIPT.read_text(encoding="utf-8")
    defines = dict(re.findall(r'^#define (\w+) "([^"]*)"', script, re.MULTILINE))
    assert (defines["AppName"], defines["AppId"]) == (APP_NAME, APP_ID)

    def fields(line: str) -> dict[str, str]:
        found = {}
        for part in line.split("; "):
            key, _, value = part.partition(": ")
            found[key.strip()] = re.sub(r"\{#(\w+)\}", lambda m: defines[m.group(1)],
                                        value.strip()[1:-1] if value.strip().startswith('"')
                                        else value.strip()).replace('""', '"')
        return found

    entries = [fields(line) for line in script.splitlines() if line.startswith("Root: HKCU")]
    [task] = [entry for entry in entries if entry.get("Tasks") == "autostart"]
    assert task["Subkey"] == autostart.RUN_KEY
    assert task["ValueName"] == APP_NAME  # what autostart_enabled() looks up on Windows
    assert task["ValueData"] == f'"{{app}}\\{defines["AppExe"]}" --background'
    removed = {(entry["Subkey"], entry["ValueName"]) for entry in entries
               if "uninsdeletevalue" in entry.get("Flags", "")}
    assert {(autostart.RUN_KEY, APP_NAME), (autostart.APPROVED_KEY, APP_NAME)} <= removed


# --- Flatpak -------------------------------------------------------------------------------------

def flatpak_manifest() -> dict[str, Any]:
    """The manifest's top-level keys: scalars, and lists of scalars (``- item`` lines); enough
    for these checks without a YAML library (PyYAML is no dependency of ours)."""
    manifest: dict[str, Any] = {}
    key = None
    for line in FLATPAK_MANIFEST.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            key, _, value = line.partition(":")
            value = value.strip().strip("'\"")
            manifest[key] = value if value else []
        elif line.startswith("  - ") and isinstance(manifest.get(key), list):
            manifest[key].append(line[4:].strip().strip("'\""))
    return manifest


def test_flatpak_manifest_uses_the_app_id_and_command() -> None:
    manifest = flatpak_manifest()
    assert FLATPAK_MANIFEST.stem == APP_ID
    assert (manifest["id"], manifest["command"]) == (APP_ID, COMMAND)


def test_flatpak_talks_to_the_desktop_services_presence_needs() -> None:
    """Notifications (and their do-not-disturb state), idle time, screen lock and logind's
    suspend and lock signals are on the session and system buses: without these a sandboxed
    Quell would see no presence at all (and fire reminders at an empty desk)."""
    args = set(flatpak_manifest()["finish-args"])
    assert {
        "--talk-name=org.freedesktop.Notifications",
        "--talk-name=org.freedesktop.ScreenSaver",
        "--talk-name=org.gnome.ScreenSaver",
        "--talk-name=org.gnome.Mutter.IdleMonitor",
        "--system-talk-name=org.freedesktop.login1",
        "--talk-name=org.kde.StatusNotifierWatcher",
    } <= args
    # Portals (Background for start at login, the file chooser for the calendar) need nothing.
    # Nothing more than that: no network, no home folder, no whole bus.
    assert not any(arg.startswith(("--share=network", "--filesystem", "--socket=session-bus",
                                   "--socket=system-bus", "--own-name")) for arg in args), args


def test_flatpak_bundles_every_dependency_of_the_wheel() -> None:
    """generate-python-modules.py pins the wheels flatpak-builder installs offline: it takes
    pyproject's dependencies, so a new one (jeepney, icalendar...) is not left out."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    generator = runpy.run_path(str(FLATPAK_GENERATOR), run_name="generate_python_modules")
    listed = [req for _name, requirements, *_rest in generator["modules"]()
              for req in requirements]

    def name(requirement: str) -> str:
        return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")

    assert {name(r) for r in project["dependencies"]} <= {name(r) for r in listed}
    for wanted in ("jeepney", "icalendar", "recurring-ical-events"):
        assert wanted in {name(r) for r in listed}
    manifest = flatpak_manifest()
    assert "python3-modules.json" in manifest["modules"]


# --- AppStream metainfo --------------------------------------------------------------------------

def test_metainfo_uses_the_app_id_and_version() -> None:
    root = metainfo()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == APP_NAME
    launchable = root.find("launchable")
    assert launchable is not None
    assert (launchable.get("type"), launchable.text) == ("desktop-id", DESKTOP_FILE.name)
    assert [b.text for b in root.iterfind("provides/binary")] == [COMMAND]
    releases = root.findall("releases/release")
    assert releases, "metainfo lists no release"
    assert releases[0].get("version") == __version__, "newest <release> must be the app version"


def test_metainfo_licences_rating_and_safety_statement() -> None:
    root = metainfo()
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("metadata_license") == "CC0-1.0"
    rating = root.find("content_rating")
    assert rating is not None and rating.get("type") == "oars-1.1"
    developer = root.find("developer")
    assert developer is not None and developer.get("id")
    assert developer.findtext("name") == "The Quell developers"
    paragraphs = root.find("description")
    assert paragraphs is not None
    description = " ".join(" ".join(paragraphs.itertext()).split())
    assert "adults" in description
    assert "not a substitute for a doctor" in description
    # No placeholder links: an <url> is only added once a real address exists.
    for url in root.iterfind("url"):
        assert "example" not in (url.text or ""), url.text


# --- icons ---------------------------------------------------------------------------------------

def render(path: Path, size: int) -> QImage:
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid(), path
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def opaque_colours(image: QImage) -> tuple[float, set[tuple[int, int, int]]]:
    """The share of fully opaque pixels, and their distinct colours."""
    colours = set()
    opaque = 0
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.alpha() == 255:
                opaque += 1
                colours.add((colour.red(), colour.green(), colour.blue()))
    return opaque / (image.width() * image.height()), colours


@pytest.mark.parametrize("path", [APP_ICON, TRAY_ICON], ids=lambda p: p.name)
def test_icons_use_only_what_qtsvg_renders(path: Path) -> None:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    used = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert used <= SVG_ELEMENTS, f"unsupported SVG elements: {used - SVG_ELEMENTS}"


@pytest.mark.parametrize("path", [APP_ICON, TRAY_ICON], ids=lambda p: p.name)
@pytest.mark.parametrize("size", [256, 22])
def test_icons_render(qapp: object, path: Path, size: int) -> None:
    share, _ = opaque_colours(render(path, size))
    assert share > 0.25, f"{path.name} at {size} px is almost empty"


def test_app_icon_is_a_full_colour_tile(qapp: object) -> None:
    _, colours = opaque_colours(render(APP_ICON, 64))
    assert len(colours) > 20  # gradient tile, mark and wave, not a silhouette


def test_tray_icon_is_one_colour_that_can_be_tinted(qapp: object) -> None:
    root = ET.parse(TRAY_ICON).getroot()
    painted = [(e.get("fill"), e.get("stroke")) for e in root.iter() if e.get("d") is not None]
    assert painted and all(fill == "currentColor" and stroke in {None, "none"}
                           for fill, stroke in painted)
    assert root.get("color") == "#000000"  # replace this one value to tint the whole icon
    _, colours = opaque_colours(render(TRAY_ICON, 64))
    assert colours == {(0, 0, 0)}
    white = TRAY_ICON.read_text(encoding="utf-8").replace('color="#000000"', 'color="#ffffff"')
    renderer = QSvgRenderer(white.encode())
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    assert opaque_colours(image)[1] == {(255, 255, 255)}


# --- freedesktop validators (skipped where not installed) ----------------------------------------

def run_validator(*command: str) -> subprocess.CompletedProcess[str]:
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed (apt-get install desktop-file-utils appstream)")
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_desktop_file_validates() -> None:
    result = run_validator("desktop-file-validate", str(DESKTOP_FILE))
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "error:" not in report and "warning:" not in report, report


def test_metainfo_validates() -> None:
    result = run_validator("appstreamcli", "validate", "--no-net", str(METAINFO))
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    # Infos are fine (AppStream 0.16 does not know the 1.0 <developer> tag); warnings are not.
    problems = [line for line in report.splitlines() if line.startswith(("E:", "W:"))]
    assert not problems, report
