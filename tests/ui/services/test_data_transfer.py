"""Export and import from the GUI run off the GUI thread: the event loop keeps turning, the
result arrives as a signal, views refresh once, and a failed or cancelled import adds nothing."""

from __future__ import annotations

import json
import time
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton

from quell.storage.store import SqliteStore
from quell.ui.services.data_transfer import DataTransfer
from quell.ui.services.session import Session
from tests.conftest import FakeClock
from tests.helpers import MemorySettings, make_tracker

HEADER = "timestamp,habit,amount,note,detail\r\n"
BIG = 200_000
# The GUI-thread budget is 50 ms (ARCHITECTURE.md); the test allows for a machine shared with
# other work, and the measured figure is printed (run with -s).
STALL_LIMIT_S = 0.25
EXPORT_STALL_LIMIT_S = 0.15


class Parts:
    def __init__(self, session: Session, store: SqliteStore, settings: MemorySettings) -> None:
        self.session, self.store, self.settings = session, store, settings


@pytest.fixture
def parts(qtbot, tmp_path: Path, clock: FakeClock) -> Iterator[Parts]:
    settings = MemorySettings()
    tracker, store, database = make_tracker(tmp_path / "data", clock, settings)
    session = Session(tracker, settings, settings.save)
    yield Parts(session, store, settings)
    session.deleteLater()
    database.connection.close()


@pytest.fixture
def transfer(parts: Parts) -> Iterator[DataTransfer]:
    transfer = DataTransfer(parts.session, parts.store)
    yield transfer
    if transfer.job is not None:  # never leave a worker writing after the test
        transfer.job.cancel()
        transfer.job.wait(30)
    if transfer.message_box is not None:
        transfer.message_box.close()


def big_zip(path: Path, rows: int = BIG, last: str = "") -> Path:
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    lines = [f"{(start + timedelta(minutes=3 * i)).isoformat()},water,250,,\r\n"
             for i in range(rows)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("entries.csv", HEADER + "".join(lines) + last)
    return path


class Ticker:
    """A 10 ms timer on the GUI thread, noting the longest gap between two ticks."""

    def __init__(self) -> None:
        self.ticks = 0
        self.longest = 0.0
        self.gaps: list[tuple[float, float]] = []  # (gap, when)
        self._start = self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self.gaps.append((now - self._last, now - self._start))
        self._last = now
        self.ticks += 1

    def stop(self) -> None:
        self._timer.stop()


def warm_up(qtbot) -> None:
    """Show a first dialog before measuring: the very first widget a process shows loads its
    fonts (0.6 s offscreen), which the running app did long before any import."""
    dialog = QProgressDialog("warm-up", "Cancel", 0, 0)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.close()
    dialog.deleteLater()


def count(parts: Parts) -> int:
    return parts.store.connection.execute("SELECT count(*) FROM entries").fetchone()[0]


@pytest.mark.slow
def test_a_large_import_keeps_the_event_loop_turning(qtbot, parts: Parts,
                                                     transfer: DataTransfer,
                                                     tmp_path: Path) -> None:
    path = big_zip(tmp_path / "big.zip")
    warm_up(qtbot)
    changes: list[int] = []
    parts.session.changed.connect(lambda: changes.append(1))
    progress: list[int] = []
    ticker = Ticker()
    started = time.perf_counter()
    with qtbot.wait_signal(transfer.import_finished, timeout=120_000) as done:
        job = transfer.import_from(path)
        assert job is not None and job.running
        job.progress.connect(lambda value, total: progress.append(value))
    elapsed = time.perf_counter() - started
    ticker.stop()
    print(f"\n200k-row import: {elapsed:.2f} s, {ticker.ticks} ticks, "
          f"longest GUI-thread stall {ticker.longest * 1000:.0f} ms; worst gaps (ms at s): "
          + ", ".join(f"{gap * 1000:.0f}@{when:.2f}" for gap, when in sorted(ticker.gaps)[-5:]))
    result = done.args[0]
    assert result is not None and result.added["entries.csv"] == BIG
    assert count(parts) == BIG
    assert changes == [1]  # views re-read once
    assert progress and progress == sorted(progress)
    assert ticker.ticks > elapsed / 0.010 / 4  # the loop kept turning throughout
    assert ticker.longest < STALL_LIMIT_S
    box = transfer.message_box
    assert box is not None and "Imported 200,000 entries" in box.text()
    assert transfer.job is None and transfer.progress_dialog is None


@pytest.mark.slow
def test_a_large_import_with_one_bad_row_adds_nothing(qtbot, parts: Parts,
                                                      transfer: DataTransfer,
                                                      tmp_path: Path) -> None:
    parts.session.log("water", 250)
    path = big_zip(tmp_path / "bad.zip", last="2026-01-01T08:00:00+00:00,water,lots,,\r\n")
    changes: list[int] = []
    parts.session.changed.connect(lambda: changes.append(1))
    with qtbot.wait_signal(transfer.import_finished, timeout=120_000) as done:
        transfer.import_from(path)
    assert done.args[0] is None
    assert count(parts) == 1 and changes == []
    box = transfer.message_box
    assert box is not None and box.icon() == QMessageBox.Icon.Warning
    assert box.windowTitle() == "Nothing was imported"
    assert f"entries.csv, line {BIG + 2}: amount 'lots' is not a number" in box.detailedText()


@pytest.mark.slow
def test_cancelling_an_import_imports_nothing(qtbot, parts: Parts, transfer: DataTransfer,
                                             tmp_path: Path) -> None:
    path = big_zip(tmp_path / "big.zip")
    with qtbot.wait_signal(transfer.import_finished, timeout=120_000) as done:
        job = transfer.import_from(path)
        assert job is not None
        qtbot.wait_signal(job.progress, timeout=30_000).wait()
        dialog = transfer.progress_dialog
        assert dialog is not None
        dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    assert done.args[0] is None
    assert count(parts) == 0
    box = transfer.message_box
    assert box is not None and box.windowTitle() == "Import cancelled"
    assert "nothing was imported" in box.text()


def test_a_bad_file_fails_with_its_problem_and_the_loop_stays_free(
        qtbot, parts: Parts, transfer: DataTransfer, tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.zip")  # read on the GUI thread, this hung the app for ever
    with qtbot.wait_signal(transfer.import_finished, timeout=10_000) as done:
        transfer.import_from(tmp_path / "pipe.zip")
    assert done.args[0] is None
    box = transfer.message_box
    assert box is not None and "not a regular file" in box.text()


def test_export_runs_off_the_gui_thread_and_says_where(qtbot, parts: Parts,
                                                       transfer: DataTransfer,
                                                       tmp_path: Path) -> None:
    parts.session.log("water", 250, note="=HYPERLINK(\"http://example.invalid\")")
    path = tmp_path / "out.zip"
    with qtbot.wait_signal(transfer.export_finished, timeout=30_000) as done:
        job = transfer.export_to(path)
        assert job is not None and job.running
        # Only one transfer at a time: a second one is refused, politely.
        assert transfer.import_from(path) is None
        assert transfer.message_box is not None
        assert transfer.message_box.windowTitle() == "Please wait"
    summary = done.args[0]
    assert summary is not None and summary.rows["entries.csv"] == 1
    with zipfile.ZipFile(path) as archive:
        text = archive.read("entries.csv").decode()
    assert "\"'=HYPERLINK(" in text  # a spreadsheet shows it as text, not a live formula
    assert (path.stat().st_mode & 0o777) == 0o600
    assert "Saved 1 entry" in transfer.message_box.text()


def test_settings_from_the_file_are_restored_once(qtbot, parts: Parts,
                                                  transfer: DataTransfer,
                                                  tmp_path: Path) -> None:
    path = tmp_path / "s.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("entries.csv", HEADER + "2026-03-09T08:00:00+00:00,water,250,,\r\n")
        archive.writestr("habits.csv", "habit,enabled\r\nnicotine,0\r\n")
        archive.writestr("settings.json", json.dumps(
            {"day_start_hour": 5, "paused_until": "9999-12-31T23:59:59-12:00"}))
    changes: list[int] = []
    parts.session.changed.connect(lambda: changes.append(1))
    with qtbot.wait_signal(transfer.import_finished, timeout=30_000) as done:
        transfer.import_from(path)
    assert done.args[0] is not None
    assert parts.settings.value.day_start_hour == 5
    assert parts.settings.value.paused_until is None  # the hostile pause was not taken
    assert "nicotine" not in parts.store.enabled_habits()  # the app's cache re-read
    assert changes == [1]
    assert "Settings restored" in transfer.message_box.text()


def test_exporting_years_of_data_never_stalls_the_gui_thread(
        qtbot, parts: Parts, transfer: DataTransfer, tmp_path: Path) -> None:
    """A regression guard for the 50 ms budget (`make bench`'s bench_gui_stall measures it):
    five years of generated data (about 32,000 entries), which blocked the GUI thread for
    about 300 ms when exported on it. The bound is three times the budget, for a busy
    machine."""
    from tests.bench.datagen import generate

    clock = parts.session.tracker.clock
    made = generate(parts.store.connection, parts.session.current_day(), clock.tz,
                    days=5 * 365)
    assert made.entries > 30_000
    warm_up(qtbot)
    ticker = Ticker()
    path = tmp_path / "years.zip"
    with qtbot.wait_signal(transfer.export_finished, timeout=60_000) as done:
        transfer.export_to(path)
    ticker.stop()
    print(f"\n5-year export: longest GUI-thread stall {ticker.longest * 1000:.0f} ms")
    summary = done.args[0]
    assert summary is not None and summary.rows["entries.csv"] == made.entries
    assert ticker.longest < EXPORT_STALL_LIMIT_S
