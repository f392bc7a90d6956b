"""Fixtures for desktop services: private session and system buses (real dbus-daemons)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from quell.platform.dbus import reset_shared_buses
from tests.dbus_daemon import dbus_daemon_path, private_bus


@pytest.fixture(autouse=True)
def fresh_shared_buses() -> Iterator[None]:
    """Each test gets its own Bus.session()/system(): none outlives the daemon it talked to."""
    reset_shared_buses()
    yield
    reset_shared_buses()


@pytest.fixture
def session_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private bus standing in for the session bus; DBUS_SESSION_BUS_ADDRESS points at it."""
    if dbus_daemon_path() is None:
        pytest.fail("dbus-daemon is not installed (Debian: apt install dbus-daemon)")
    with private_bus() as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield address


@pytest.fixture
def system_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A second private bus standing in for the system bus (DBUS_SYSTEM_BUS_ADDRESS)."""
    if dbus_daemon_path() is None:
        pytest.fail("dbus-daemon is not installed (Debian: apt install dbus-daemon)")
    with private_bus() as address:
        monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", address)
        yield address
