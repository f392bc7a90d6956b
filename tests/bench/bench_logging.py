"""Latency of logging from the tray: menu action -> committed to SQLite -> tray and Today updated.

Runs in-process on the offscreen platform with the Today window open, on a real database with
a year of history, and reports the median and 95th percentile over a few hundred clicks.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtWidgets import QApplication

from quell.app.clock import SystemClock
from quell.app.context import open_context
from quell.core.entries import Entry, Source
from quell.files import Paths
from quell.storage.database import transaction
from quell.ui.services.session import Session
from quell.ui.shell.tray import TrayController
from quell.ui.today.window import TodayWindow

CLICKS = 300


def seed_history(context, clock: SystemClock, days: int = 365) -> None:
    """A year of realistic entries, so queries run against a populated database."""
    now = clock.now()
    store = context.store
    db = store.connection
    with transaction(db):
        for back in range(1, days + 1):
            moment = now - timedelta(days=back)
            day = context.tracker.day_of(moment)
            for habit, amount in (("water", 250), ("water", 500), ("caffeine", 95),
                                  ("stretching", 1), ("sleep", 7.5), ("stress", 3)):
                entry = Entry(habit, moment, day, amount, source=Source.IMPORT)
                db.execute(
                    "INSERT INTO entries (habit, ts, utc_offset, day, amount, note, detail,"
                    " source, created) VALUES (?,?,?,?,?,?,?,?,?)",
                    (entry.habit, int(moment.timestamp()),
                     int(moment.utcoffset().total_seconds()), day.isoformat(), amount, "",
                     "{}", "import", int(time.time())))


def main() -> int:
    home = tempfile.mkdtemp(prefix="quell-bench-")
    os.environ["QUELL_HOME"] = home
    app = QApplication.instance() or QApplication(sys.argv[:1])
    clock = SystemClock()
    context = open_context(clock, Paths.for_user())
    seed_history(context, clock)
    session = Session(context.tracker, context.settings, context.settings.save)
    tray = TrayController(session)
    window = TodayWindow(session)
    window.show()
    app.processEvents()
    action = tray.action("logStretch")
    timings = []
    for index in range(CLICKS):
        if index % 20 == 0:  # stay under the per-entry and daily plausibility limits
            context.store.connection.execute("DELETE FROM entries WHERE habit='stretching'"
                                             " AND source='tray'")
        start = time.perf_counter()
        action.trigger()          # validate, commit (WAL, synchronous=FULL), emit changed
        window.repaint()          # the Today window redrawn with the new total
        app.processEvents()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95)]
    print(f"log from tray to committed and displayed: median {median:.2f} ms, "
          f"p95 {p95:.2f} ms over {CLICKS} clicks (target median < 20 ms)")
    window.close()
    context.close()
    return 0 if median < 20 else 1


if __name__ == "__main__":
    sys.exit(main())
