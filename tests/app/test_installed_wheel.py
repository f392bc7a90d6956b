"""A wheel built from the repo, installed in a fresh venv outside the checkout, really works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# Run by the fresh venv's Python: each declared dependency (no extras) is installed in a
# version that satisfies it; the presence modules import; a calendar is read.
CHECK_DEPENDENCIES = """
import sys
from datetime import datetime, timezone
from importlib import metadata
from packaging.requirements import Requirement
for text in metadata.requires("quell") or []:
    requirement = Requirement(text)
    if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
        continue
    version = metadata.version(requirement.name)
    if not requirement.specifier.contains(version, prereleases=True):
        sys.exit(f"{requirement.name} {version} does not satisfy {requirement}")
    print("requires", requirement.name.lower(), version)
import quell.platform.dbus, quell.platform.notifications, quell.platform.meetings
for name in ("dbus", "notifications", "meetings"):
    module = f"quell.platform.{name}"
    print("module", module, sys.modules[module].__file__)
from quell.platform.meetings import CalendarMeetings
moment = datetime(2031, 1, 1, 9, 30, tzinfo=timezone.utc)
hold = CalendarMeetings(lambda: sys.argv[1]).read(moment)
print(hold.reason.value, "until", hold.until.astimezone(timezone.utc).isoformat())
"""
# A weekly meeting (so recurrences are expanded) on at the moment CHECK_DEPENDENCIES asks about.
MEETING_NOW = "\r\n".join([
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Quell//wheel test//EN", "BEGIN:VEVENT",
    "UID:weekly@quell.invalid", "DTSTAMP:20300101T000000Z", "DTSTART:20301225T090000Z",
    "DTEND:20301225T100000Z", "RRULE:FREQ=WEEKLY", "SUMMARY:Stand-up", "END:VEVENT",
    "END:VCALENDAR", ""])


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist), str(ROOT)], check=True, cwd=tmp_path)
    wheel = next(dist.glob("quell-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # Reuse the test venv's dependencies (PySide6 is 250 MB) through a .pth file placed after
    # the new venv's own site-packages, where Quell itself is installed afresh from the wheel.
    purelib = subprocess.run([str(python), "-c", "import sysconfig; "
                              "print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"])
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", str(wheel)], check=True, cwd=tmp_path)
    env = {**os.environ, "QUELL_HOME": str(tmp_path / "home"), "PYTHONPATH": ""}
    quell = env_dir / ("Scripts/quell.exe" if os.name == "nt" else "bin/quell")
    where = subprocess.run(
        [str(python), "-c", "import quell, quell.ui.common.resources as r; "
         "print(quell.__file__); print(r.resource_path('icons'))"],
        check=True, cwd=tmp_path, env=env, capture_output=True, text=True).stdout.split("\n")
    assert str(env_dir) in where[0], "imported the checkout, not the installed wheel"
    # The import name is quell: no generic top-level `desktop` package lands in site-packages.
    assert not Path(purelib, "desktop").exists()
    assert sorted(p.name for p in Path(purelib).iterdir()
                  if p.is_dir() and not p.name.endswith(".dist-info")) == ["quell"]
    assert Path(where[1]).is_dir() and any(Path(where[1]).glob("*.svg"))

    # Every dependency the wheel declares is there in a version it accepts (jeepney,
    # icalendar, recurring-ical-events and what they pull in: python-dateutil, tzdata,
    # x-wr-timezone), and the modules that use them import and work from the installed wheel.
    calendar = tmp_path / "work.ics"
    calendar.write_text(MEETING_NOW, encoding="utf-8")
    checked = subprocess.run([str(python), "-c", CHECK_DEPENDENCIES, str(calendar)],
                             cwd=tmp_path, env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    lines = checked.stdout.splitlines()
    assert lines[-1] == "meeting until 2031-01-01T10:00:00+00:00", lines
    requirements = [line for line in lines if line.startswith("requires ")]
    for name in ("jeepney", "icalendar", "recurring-ical-events", "pyside6-essentials"):
        assert any(line.startswith(f"requires {name} ") for line in requirements), requirements
    modules = [line.split()[1:] for line in lines if line.startswith("module ")]
    assert {name for name, _where in modules} == {
        "quell.platform.dbus", "quell.platform.notifications", "quell.platform.meetings"}
    assert all(str(env_dir) in where for _name, where in modules), modules

    logged = subprocess.run([str(quell), "log", "water", "300"], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert logged.returncode == 0, logged.stderr
    shown = subprocess.run([str(quell), "today", "--json"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, check=True)
    water = next(h for h in json.loads(shown.stdout)["habits"] if h["key"] == "water")
    assert water["total"] == 300
