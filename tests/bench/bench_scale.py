"""Scale: five years of daily data for every habit and ~3,000 twitch episodes.

Targets: the History & insights window opens in < 250 ms, insights compute in < 100 ms, the
export takes < 2 s. Printed as absolute times with the bare PySide6 tray app's startup (the
floor, measured in the same run) beside them.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import PYTHON, ROOT, desktop_session, median, time_to_ready

TODAY = date(2026, 3, 10)
TARGETS = {"window_ms": 250, "insights_ms": 100, "export_s": 2.0}


def build(folder: Path) -> dict[str, int]:
    sys.path.insert(0, str(ROOT))
    from zoneinfo import ZoneInfo

    from datagen import generate

    from quell.storage.database import open_database

    database = open_database(folder, TODAY)
    made = generate(database.connection, TODAY, ZoneInfo("Europe/London"), days=5 * 365)
    database.connection.close()
    return {"entries": made.entries, "twitches": made.twitches,
            "reminder_events": made.reminder_events}


def measure(folder: Path) -> dict[str, float]:
    """Runs in a child process on the benchmark's screen; prints one JSON line."""
    sys.path.insert(0, str(ROOT))
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from quell.core.settings import Settings
    from quell.core.tracker import Tracker
    from quell.storage.database import open_database
    from quell.storage.export import export_zip
    from quell.storage.history_store import HistoryStore
    from quell.storage.store import SqliteStore
    from quell.ui.history.window import HistoryWindow
    from quell.ui.services.session import Session

    zone = ZoneInfo("Europe/London")

    class Clock:
        tz = zone

        def now(self) -> datetime:
            return datetime(2026, 3, 10, 20, 0, tzinfo=zone)

    settings = Settings()
    app = QApplication.instance() or QApplication([])
    db = open_database(folder, TODAY).connection
    store = SqliteStore(db)
    session = Session(Tracker(store, Clock(), lambda: settings), lambda: settings,
                      lambda _s: None)
    history = HistoryStore(db)

    class Painted(QObject):
        seen = False

        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                Painted.seen = True
            return False

    window_times = []
    for _ in range(7):
        Painted.seen = False
        start = time.perf_counter()
        window = HistoryWindow(session, history)
        probe = Painted()
        window.heatmap.viewport().installEventFilter(probe)
        window.present()
        deadline = start + 5
        while not Painted.seen and time.perf_counter() < deadline:
            app.processEvents()
        window_times.append(time.perf_counter() - start)
        window.close()
        window.deleteLater()
        app.processEvents()

    insight_times = []
    for _ in range(15):
        start = time.perf_counter()
        history.insights()
        insight_times.append(time.perf_counter() - start)

    export_times = []
    out = Path(tempfile.mkdtemp(prefix="quell-bench-export-"))
    for n in range(5):
        start = time.perf_counter()
        export_zip(db, settings, out / f"export-{n}.zip")
        export_times.append(time.perf_counter() - start)
    size = (out / "export-0.zip").stat().st_size
    return {"window_first_ms": window_times[0] * 1000,
            "window_ms": statistics.median(window_times) * 1000,
            "insights_ms": statistics.median(insight_times) * 1000,
            "export_s": statistics.median(export_times), "export_mb": size / 1e6}


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(measure(Path(sys.argv[2]))), flush=True)
        return 0
    folder = Path(tempfile.mkdtemp(prefix="quell-bench-scale-"))
    started = time.perf_counter()
    counts = build(folder / "data")
    built = time.perf_counter() - started
    print(f"data: {counts['entries']:,} entries, {counts['twitches']:,} twitch episodes, "
          f"{counts['reminder_events']:,} reminder events over 5 years "
          f"(generated in {built:.1f} s)")
    home = tempfile.mkdtemp(prefix="quell-bench-home-")
    with desktop_session() as env:
        env = {**env, "QUELL_HOME": home, "PYTHONPATH": str(ROOT)}
        bare = [PYTHON, str(ROOT / "tests" / "bench" / "bare_tray.py")]
        time_to_ready(bare, env)
        floor = median([time_to_ready(bare, env)[0] for _ in range(5)])
        child = subprocess.run([PYTHON, __file__, "--measure", str(folder / "data")],
                               env=env, capture_output=True, text=True, cwd=ROOT, check=False)
    if child.returncode:
        print(child.stderr)
        return 1
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"platform: {env.get('QT_QPA_PLATFORM')}; floor (bare PySide6 tray app startup): "
          f"{floor * 1000:.0f} ms")
    print(f"history window opens: {figures['window_ms']:.0f} ms median of 7 "
          f"(first {figures['window_first_ms']:.0f} ms; target < {TARGETS['window_ms']} ms; "
          f"{figures['window_ms'] / (floor * 1000):.2f}x the floor)")
    print(f"insights: {figures['insights_ms']:.0f} ms median of 15 "
          f"(target < {TARGETS['insights_ms']} ms)")
    print(f"export: {figures['export_s']:.2f} s median of 5, {figures['export_mb']:.1f} MB ZIP "
          f"(target < {TARGETS['export_s']:.0f} s)")
    ok = (figures["window_first_ms"] < TARGETS["window_ms"]
          and figures["insights_ms"] < TARGETS["insights_ms"]
          and figures["export_s"] < TARGETS["export_s"])
    return 0 if ok else 1


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
