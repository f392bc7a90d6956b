"""Test-wide setup: offscreen Qt, isolated user folders, a fixed clock."""

from __future__ import annotations

import os

# Before any QApplication exists: without a display Qt would abort the whole run.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TZ", "Europe/London")

from collections.abc import Iterator
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

LONDON = ZoneInfo("Europe/London")


class FakeClock:
    """A settable clock returning aware local datetimes (the core's Clock protocol)."""

    def __init__(self, start: datetime, zone: tzinfo = LONDON) -> None:
        self.zone = zone
        self._now = start.astimezone(zone)

    @property
    def tz(self) -> tzinfo:
        return self.zone

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when.astimezone(self.zone)

    def advance(self, **kwargs: float) -> None:
        self._now = (self._now + timedelta(**kwargs)).astimezone(self.zone)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 10, 14, 30, tzinfo=LONDON))


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point every platformdirs folder Quell uses at a fresh temp folder."""
    root = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("QUELL_HOME", str(root))
    # Never the user's desktop buses: a test that wants D-Bus starts its own daemon
    # (tests/platform/conftest.py), so notifications, idle and logind are the tests' own.
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", f"unix:path={root}/no-system-bus")
    # Nor the user's autostart folder: `quell autostart on` in a test writes here.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "xdg-config"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(root / "xdg-dirs"))
    yield root
