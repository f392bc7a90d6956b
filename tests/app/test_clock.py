"""The system clock finds the user's real zone, with its DST rules."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from quell.app.clock import SystemClock, local_zone


def test_tz_variable_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    assert local_zone() == ZoneInfo("America/New_York")
    monkeypatch.setenv("TZ", ":Europe/Paris")
    assert local_zone() == ZoneInfo("Europe/Paris")


def test_unknown_tz_falls_back_to_a_real_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Nowhere/Special")
    assert local_zone() is not None


def test_now_is_aware_in_the_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/London")
    clock = SystemClock()
    now = clock.now()
    assert now.tzinfo == ZoneInfo("Europe/London")
    assert now.utcoffset() in (timedelta(0), timedelta(hours=1))


def test_a_changed_zone_is_followed_within_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    import quell.app.clock as clock_module

    monkeypatch.setenv("TZ", "Europe/London")
    clock = SystemClock()
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert clock.tz == ZoneInfo("Europe/London")  # not looked up again yet
    real = clock_module.time.monotonic
    monkeypatch.setattr(clock_module.time, "monotonic", lambda: real() + 61)
    assert clock.now().tzinfo == ZoneInfo("Asia/Tokyo")
