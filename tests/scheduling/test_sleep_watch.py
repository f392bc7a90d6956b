"""logind's PrepareForSleep without a bus: quiet, and no QtDBus anywhere any more (the real bus
is tested in tests/platform/test_sleep_watch_bus.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from quell.scheduling.sleep_watch import SleepWatch


def test_the_signal_body_becomes_about_to_sleep_or_woke(qtbot) -> None:
    watch = SleepWatch()
    with qtbot.wait_signal(watch.about_to_sleep, timeout=500):
        watch.prepare_for_sleep(True)
    with qtbot.wait_signal(watch.woke, timeout=500):
        watch.prepare_for_sleep(False)


def test_no_system_bus_degrades_quietly(qtbot) -> None:
    # tests/conftest.py points DBUS_SYSTEM_BUS_ADDRESS at a socket that does not exist
    watch = SleepWatch()
    assert watch.connect_bus() is False
    assert not watch.connected
    watch.disconnect_bus()


def test_nothing_imports_qtdbus() -> None:
    # 0.1's hook went through QtDBus and silently connected nothing; D-Bus now goes through
    # quell.platform.dbus (jeepney) only.
    root = Path(__file__).resolve().parents[2] / "desktop"
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [
                    f"{node.module}.{alias.name}" for alias in node.names]
            if any(name.startswith("PySide6.QtDBus") for name in names):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
