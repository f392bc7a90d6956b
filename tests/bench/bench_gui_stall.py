"""GUI-thread stalls during slow work: export, import, the doctor's PDF and a slow socket request,
on 5 and 20 years of generated data.

Each runs through the background helper (quell.ui.services.background) while a 5 ms QTimer
ticks on the GUI thread; the longest gap between two ticks is the longest the GUI was blocked.
Target: at most 50 ms for each (ARCHITECTURE.md). For comparison, the same work done directly
on the GUI thread is timed too (what the user waited before the helper).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from common import PYTHON, ROOT

TODAY = date(2026, 3, 10)
TARGET_MS = 50.0
TICK_MS = 5
YEARS = (5, 20)
# The longest quick period, then the longest a report may cover.
PDF_RUNS = (("pdf", 365), ("pdf_max", 731))


def build(folder: Path, years: int) -> dict[str, int]:
    sys.path.insert(0, str(ROOT))
    from zoneinfo import ZoneInfo

    from datagen import generate

    from quell.storage.database import open_database

    database = open_database(folder, TODAY)
    made = generate(database.connection, TODAY, ZoneInfo("Europe/London"), days=years * 365)
    database.connection.close()
    return {"entries": made.entries, "twitches": made.twitches}


class StallMeter:
    """A QTimer ticking every TICK_MS on the GUI thread; the longest gap between two ticks."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.longest = 0.0
        self.ticks = 0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now
        self.ticks += 1

    def stop(self) -> None:
        """Stop, counting the gap since the last tick too (a stall that ends the work)."""
        self._tick()
        self._timer.stop()


def measure(folder: Path) -> dict[str, Any]:
    """Runs in a child process (offscreen); prints one JSON line of figures."""
    sys.path.insert(0, str(ROOT))
    from zoneinfo import ZoneInfo

    from PySide6.QtWidgets import QApplication, QProgressDialog

    from quell.app import ipc
    from quell.app.server import CommandServer, InBackground
    from quell.core.report import Report
    from quell.core.settings import Settings
    from quell.core.tracker import Tracker
    from quell.files import Paths
    from quell.storage.check_store import SqliteCheckStore
    from quell.storage.database import open_database
    from quell.storage.history_store import HistoryStore
    from quell.storage.store import SqliteStore
    from quell.storage.twitch_store import SqliteTwitchStore
    from quell.ui.report.dialog import ReportDialog
    from quell.ui.report.pdf import write_report_pdf
    from quell.ui.services.background import JobControl, database_connector
    from quell.ui.services.data_transfer import DataTransfer
    from quell.ui.services.report import collect_report
    from quell.ui.services.session import Session
    from quell.ui.services.symptom_session import SymptomSession

    zone = ZoneInfo("Europe/London")

    class Clock:
        tz = zone

        def now(self) -> datetime:
            return datetime(2026, 3, 10, 20, 0, tzinfo=zone)

    clock = Clock()
    settings = Settings()
    app = QApplication.instance() or QApplication([])
    warm = QProgressDialog("warm-up", "Cancel", 0, 0)  # the first widget loads the fonts
    warm.show()
    app.processEvents()
    warm.close()

    def session_on(data: Path) -> tuple[Session, SqliteStore]:
        db = open_database(data, TODAY).connection
        store = SqliteStore(db)
        return Session(Tracker(store, clock, lambda: settings), lambda: settings,
                       lambda _s: None), store

    def run(start: Callable[[Callable[[], None]], object]) -> dict[str, float]:
        """Start the work with a callback for its end; spin the loop until it ends."""
        finished = threading.Event()
        meter = StallMeter()
        started = time.perf_counter()
        start(finished.set)
        while not finished.is_set():
            app.processEvents()
            time.sleep(0.001)
        elapsed = time.perf_counter() - started
        settle = time.perf_counter() + 0.05  # what the end delivers on the GUI thread
        while time.perf_counter() < settle:
            app.processEvents()
            time.sleep(0.001)
        meter.stop()
        return {"s": elapsed, "stall_ms": meter.longest * 1000}

    def direct(work: Callable[[], object]) -> float:
        started = time.perf_counter()
        work()
        return time.perf_counter() - started

    figures: dict[str, Any] = {}
    out = Path(tempfile.mkdtemp(prefix="quell-bench-stall-"))
    session, store = session_on(folder)
    transfer = DataTransfer(session, store)

    # -- export
    zip_path = out / "export.zip"

    def export(done: Callable[[], None]) -> None:
        transfer.export_finished.connect(lambda _summary: done())
        transfer.export_to(zip_path, overwrite=True)

    figures["export"] = run(export)
    transfer.export_finished.disconnect()
    from quell.storage.export import export_zip
    figures["export"]["direct_s"] = direct(
        lambda: export_zip(store.connection, settings, out / "direct.zip", overwrite=True))

    # -- import (into an empty database: every row checked and written)
    fresh, fresh_store = session_on(out / "fresh")
    into = DataTransfer(fresh, fresh_store)

    def import_(done: Callable[[], None]) -> None:
        into.import_finished.connect(lambda _result: done())
        into.import_from(zip_path)

    figures["import"] = run(import_)
    for widget in (transfer.message_box, into.message_box):
        if widget is not None:
            widget.close()

    # -- the doctor's PDF (a year, the longest quick period), gathered from its own connection
    db = store.connection
    symptoms = SymptomSession(session, SqliteTwitchStore(db), SqliteCheckStore(db))

    def gather(control: JobControl, first: date, last: date) -> Report:
        job_db = control.connection
        return collect_report(Tracker(SqliteStore(job_db), clock, lambda: settings),
                              SqliteTwitchStore(job_db), SqliteCheckStore(job_db), first, last)

    dialog = ReportDialog(symptoms, gather=gather, connect=database_connector(db))
    dialog.path.setText(str(out / "report.pdf"))

    def pdf(done: Callable[[], None]) -> None:
        dialog.saved.connect(lambda _path: done())
        dialog.save_failed.connect(lambda _problem: done())
        dialog.save()

    for key, days in PDF_RUNS:
        dialog.set_last_days(days)
        figures[key] = run(pdf)
        dialog.saved.disconnect()
        dialog.save_failed.disconnect()
        period = dialog.period()
        figures[key]["direct_s"] = direct(lambda period=period: write_report_pdf(
            symptoms.build_report(*period), out / "direct.pdf"))
        figures[key]["ok"] = (out / "report.pdf").exists() and dialog.error.message == ""
        (out / "report.pdf").unlink(missing_ok=True)

    # -- a slow socket request: the insights, worked out from the job's own connection
    runtime = out / "run"
    paths = Paths(out, out, out, runtime)
    connector = database_connector(db)

    def handle(request: dict[str, Any]) -> Any:
        def work(control: JobControl) -> dict[str, Any]:
            insights = HistoryStore(control.connection).insights()
            return {"ok": True, "output": "", "insights": insights.to_json()}

        return InBackground(work, connect=connector)

    server = CommandServer(paths, handle)
    assert server.listen()

    def socket_request(done: Callable[[], None]) -> None:
        def client() -> None:
            reply = ipc.send(paths, {"op": "insights"}, timeout=60)
            figures["socket_ok"] = bool(reply and reply.get("ok"))
            done()

        threading.Thread(target=client, daemon=True).start()

    figures["socket"] = run(socket_request)
    figures["socket"]["direct_s"] = direct(lambda: HistoryStore(db).insights())
    server.close()

    # -- the real app's `quell log` while another program (a `quell import`) holds the write
    # lock for 0.6 s: carried out in the background once the lock is free
    import quell.app.gui as gui
    from quell.app.cli_habits import log_request
    from quell.app.context import open_context
    from quell.storage.database import GUI_BUSY_TIMEOUT

    app_paths = Paths(folder, out / "config", out / "logs", out / "app-run")
    # As the app opens it: a short busy timeout, so a lock never freezes the tray for long.
    quell_app = gui.QuellApp(app, open_context(clock, app_paths, busy_timeout=GUI_BUSY_TIMEOUT),
                             app_paths)
    quell_app.start_server()

    def locked_log(done: Callable[[], None]) -> None:
        other = sqlite3.connect(app_paths.database, isolation_level=None,
                                check_same_thread=False)  # committed from a timer thread
        other.execute("BEGIN IMMEDIATE")
        threading.Timer(0.6, lambda: (other.execute("COMMIT"), other.close())).start()

        def client() -> None:
            try:
                reply = ipc.send(app_paths, log_request("water", "250ml"))
                figures.setdefault("locked_ok", []).append(bool(reply and reply.get("ok")))
            except ipc.AppNotResponding:
                figures.setdefault("locked_ok", []).append(False)
            done()

        threading.Thread(target=client, daemon=True).start()

    figures["locked"] = run(locked_log)
    saved_ops = gui.BACKGROUND_OPS
    gui.BACKGROUND_OPS = frozenset()  # as before the helper: the GUI thread waits
    figures["locked_before"] = run(locked_log)
    gui.BACKGROUND_OPS = saved_ops
    quell_app.stop()
    return figures


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(measure(Path(sys.argv[2]))), flush=True)
        return 0
    ok = True
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_QPA")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               QUELL_HOME=tempfile.mkdtemp(prefix="quell-bench-home-"))
    print(f"GUI-thread stall (longest gap of a {TICK_MS} ms timer), target <= {TARGET_MS:.0f} ms")
    for years in YEARS:
        folder = Path(tempfile.mkdtemp(prefix=f"quell-bench-stall-{years}y-")) / "data"
        counts = build(folder, years)
        child = subprocess.run([PYTHON, __file__, "--measure", str(folder)], env=env,
                               capture_output=True, text=True, cwd=ROOT, check=False)
        if child.returncode:
            print(child.stderr)
            return 1
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"{years} years ({counts['entries']:,} entries, {counts['twitches']:,} "
              "twitches):")
        for name, label in (("export", "export"), ("import", "import into an empty database"),
                            ("pdf", "PDF report, 365 days"),
                            ("pdf_max", "PDF report, 731 days (the longest)"),
                            ("socket", "socket request (insights, a test op)"),
                            ("locked", "quell log while the database is locked 0.6 s")):
            figure = figures[name]
            over = figure["stall_ms"] > TARGET_MS
            ok = ok and not over
            direct = (f"; on the GUI thread it blocked {figure['direct_s'] * 1000:.0f} ms"
                      if "direct_s" in figure else "")
            print(f"  {label}: {figure['s']:.2f} s, longest stall {figure['stall_ms']:.0f} ms"
                  f"{' OVER TARGET' if over else ''}{direct}")
        before = figures["locked_before"]
        print(f"    (before the helper: GUI blocked {before['stall_ms']:.0f} ms, and the "
              f"request {'succeeded' if figures['locked_ok'][1] else 'failed: locked'})")
        ok = (ok and figures["pdf"]["ok"] and figures["pdf_max"]["ok"]
              and figures.get("socket_ok", False) and figures["locked_ok"][0])
    return 0 if ok else 1


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
