"""A write costs the same on an empty day and a full one, counted (not timed) so it never flakes.

Work is counted two ways on a real database: SQLite virtual-machine steps (a progress handler
called every few instructions) and Python calls (a profile hook), for one write with the tray,
a visible Today window and several more listeners. Reading the day's 3,000 entries again, or
rebuilding a 3,000-row list, multiplies both; applying the one change does not.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from quell.app.context import open_context
from quell.app.gui import QuellApp
from quell.core.settings import Settings
from quell.files import Paths
from quell.storage.database import transaction
from quell.storage.store import SqliteStore
from quell.ui.services.session import Session
from quell.ui.shell.tray import TrayController
from quell.ui.today.entry_table import EntryRows
from quell.ui.today.window import TodayWindow
from tests.conftest import FakeClock
from tests.helpers import MemorySettings, make_tracker

FULL_DAY = 3000
_HABITS = (("water", 250.0), ("caffeine", 63.0), ("stretching", 1.0), ("minerals", 1.0),
           ("nicotine", 1.0), ("breathing", 1.0))


@dataclass
class App:
    session: Session
    store: SqliteStore
    window: TodayWindow
    tray: TrayController


def _seed(store: SqliteStore, clock: FakeClock, count: int, day: str) -> None:
    ts = int(clock.now().timestamp()) - 3600
    offset = int(clock.now().utcoffset().total_seconds())  # type: ignore[union-attr]
    with transaction(store.connection) as db:
        db.executemany(
            "INSERT INTO entries (habit, ts, utc_offset, day, amount, note, detail, source,"
            " created) VALUES (?,?,?,?,?,'','{}','import',0)",
            [(_HABITS[n % len(_HABITS)][0], ts - n, offset, day, _HABITS[n % len(_HABITS)][1])
             for n in range(count)])


@pytest.fixture
def make_app(qtbot: Any, tmp_path: Path, clock: FakeClock) -> Iterator[Callable[[int], App]]:
    made: list[tuple[App, Any]] = []

    def make(entries_today: int) -> App:
        settings = MemorySettings(Settings())
        tracker, store, database = make_tracker(tmp_path / f"d{len(made)}", clock, settings)
        _seed(store, clock, entries_today, tracker.current_day().isoformat())
        session = Session(tracker, settings, settings.save)
        tray = TrayController(session)
        window = TodayWindow(session)
        qtbot.addWidget(window)
        window.show()
        for _ in range(3):  # more views of the day, as history, reminders and dialogs are
            session.changed.connect(lambda: session.summary().get("water"))
        app = App(session, store, window, tray)
        made.append((app, database))
        return app

    yield make
    for app, database in made:
        app.window.close()
        app.tray.deleteLater()
        database.connection.close()


def _work(app: App, write: Callable[[], object]) -> tuple[int, int]:
    """(SQLite VM steps / 100, Python calls) for *write* and the refresh it causes."""
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    calls = [0]
    # The view asks its model for the rows in view when it paints: bounded by the window, not
    # the day, yet more on a full day (the window is full) than on an empty one.
    painting = {getattr(EntryRows, name).__code__ for name in
                ("data", "headerData", "rowCount", "columnCount")}

    def profile(frame: Any, event: str, _arg: Any) -> None:
        # Python functions (and generator steps), where O(n) work shows.
        if event == "call" and frame.f_code not in painting:
            calls[0] += 1

    db = app.store.connection
    db.set_progress_handler(step, 100)
    sys.setprofile(profile)
    try:
        write()
        QApplication.processEvents()
    finally:
        sys.setprofile(None)
        db.set_progress_handler(None, 0)
    return steps[0], calls[0]


def _log_water(app: App) -> Callable[[], object]:
    return lambda: app.tray.action("logWaterGlass").trigger()


def test_a_write_costs_the_same_on_an_empty_day_and_a_full_one(make_app: Any) -> None:
    empty, full = make_app(0), make_app(FULL_DAY)
    assert full.window.entry_list.record_count() == FULL_DAY
    for app in (empty, full):  # warm up: the first write after start reads the day once
        _work(app, _log_water(app))
    empty_steps, empty_calls = _work(empty, _log_water(empty))
    full_steps, full_calls = _work(full, _log_water(full))
    assert full.window.entry_list.record_count() == FULL_DAY + 2
    assert full.session.summary().get("water").total == (FULL_DAY // 6) * 250 + 500
    # Before the fix a write on the full day cost about 40 reads of all 3,000 entries.
    assert full_steps <= empty_steps * 1.2 + 5, (empty_steps, full_steps)
    assert full_calls <= empty_calls * 1.2 + 50, (empty_calls, full_calls)


def test_an_edit_and_a_delete_cost_the_same_on_a_full_day(make_app: Any) -> None:
    costs = []
    for size in (0, FULL_DAY):
        app = make_app(size)
        entry = app.session.log("water", 250).entry
        assert entry.id is not None
        # The first delete in an hour purges week-old deletions (a scan of every entry).
        app.session.undo_delete(app.session.delete(entry.id).id or 0)
        edit = _work(app, lambda a=app, i=entry.id: a.session.edit(i, amount=500))
        delete = _work(app, lambda a=app, i=entry.id: a.session.delete(i))
        undo = _work(app, lambda a=app, i=entry.id: a.session.undo_delete(i))
        costs.append((edit, delete, undo))
    for (empty_steps, empty_calls), (full_steps, full_calls) in zip(*costs, strict=True):
        assert full_steps <= empty_steps * 1.2 + 5, costs
        assert full_calls <= empty_calls * 1.2 + 50, costs


def test_one_summary_is_built_per_change_however_many_listen(
        make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(10)
    session = app.session
    for _ in range(10):
        session.changed.connect(lambda: session.summary())
    built: list[object] = []
    real = session.tracker.summary

    def counting(day: Any = None) -> Any:
        built.append(day)
        return real(day)

    monkeypatch.setattr(session.tracker, "summary", counting)
    session.log("water", 250)
    QApplication.processEvents()
    # One for the write's own total, one for everything that listens to the change.
    assert len(built) == 2
    built.clear()
    session.notify_external_change(settings=True)
    QApplication.processEvents()
    assert len(built) == 1


def test_listeners_all_see_the_new_total(make_app: Any) -> None:
    app = make_app(0)
    seen: list[float | None] = []
    for _ in range(3):
        app.session.changed.connect(lambda: seen.append(app.session.summary().get("water").total))
    app.session.log("water", 250)
    assert seen == [250, 250, 250]
    assert "Water: 250" in app.tray.icon.toolTip()


def test_settings_are_announced_by_an_outside_change_only_when_they_changed(
        qtbot: Any, make_app: Any) -> None:
    app = make_app(0)
    session = app.session
    with qtbot.assert_not_emitted(session.settings_changed), \
            qtbot.wait_signal(session.changed, timeout=500):
        session.notify_external_change(settings=True)  # e.g. `quell log water`
    holder = session._settings
    assert isinstance(holder, MemorySettings)
    holder.value = holder.value.replace(water_unit="fl_oz")  # e.g. an imported settings file
    with qtbot.wait_signal(session.settings_changed, timeout=500):
        session.notify_external_change(settings=True)
    with qtbot.assert_not_emitted(session.settings_changed):
        session.notify_external_change(settings=True)


# -- the whole app, wired as app/gui.py wires it ---------------------------------------------

@dataclass
class Reads:
    """What one change cost: Tracker.summary() builds and SELECTs per table."""

    summaries: int = 0
    selects: dict[str, int] | None = None

    def of(self, table: str) -> int:
        return (self.selects or {}).get(table, 0)


@pytest.fixture
def wired(qtbot: Any, qapp: QApplication, clock: FakeClock) -> Iterator[QuellApp]:
    paths = Paths.for_user()
    quell = QuellApp(qapp, open_context(clock, paths), paths)
    quell.start()  # offscreen there is no tray: the main window with Today shows
    quell.start_reminders()
    # Every view a user could have open on the day, the twitches and the checks.
    quell.windows.show_history()
    quell.windows.show_twitch_diary()
    quell.windows.show_check_history()
    QApplication.processEvents()
    yield quell
    quell.stop()
    quell.tray.menu.deleteLater()
    if quell.windows.main_window is not None:
        quell.windows.main_window.deleteLater()


def _reads(quell: QuellApp, monkeypatch: pytest.MonkeyPatch, change: Callable[[], object]
           ) -> Reads:
    tracker = quell.session.tracker
    real = tracker.summary
    reads = Reads(selects={})
    selects = reads.selects
    assert selects is not None

    def summary(day: Any = None) -> Any:
        reads.summaries += 1
        return real(day)

    def trace(sql: str) -> None:
        words = sql.split()
        if words and words[0].upper() == "SELECT":
            for table in ("entries", "twitches", "symptom_checks", "targets"):
                if f" {table}" in sql:
                    selects[table] = selects.get(table, 0) + 1

    connection = quell._context.database.connection
    with monkeypatch.context() as patch:
        patch.setattr(tracker, "summary", summary)
        connection.set_trace_callback(trace)
        try:
            change()
            QApplication.processEvents()
        finally:
            connection.set_trace_callback(None)
    return reads


def test_a_logged_entry_costs_a_few_summaries_and_no_twitch_or_check_read(
        wired: QuellApp, monkeypatch: pytest.MonkeyPatch) -> None:
    _reads(wired, monkeypatch, lambda: wired.session.log("water", 250))  # warm up
    reads = _reads(wired, monkeypatch, lambda: wired.session.log("water", 250))
    # Today's: one for the write's own total, one shared by every view of the day (tray,
    # Today, the reminders); the reminders' scan also reads yesterday and the day before
    # (a Quell day's reminders may run past midnight), so 4 — however many views are open.
    assert reads.summaries <= 4, reads
    # History's totals and its first day; the twitch diary and check history read nothing.
    assert reads.of("entries") <= 4, reads
    assert reads.of("twitches") == 0 and reads.of("symptom_checks") == 0, reads


def test_a_reminders_setting_costs_no_summary_and_no_read(
        wired: QuellApp, monkeypatch: pytest.MonkeyPatch) -> None:
    session = wired.session
    settings = session.settings()
    reads = _reads(wired, monkeypatch, lambda: session.save_settings(settings.replace(
        reminders=settings.reminders.replace(stretch_every_minutes=45))))
    assert reads.summaries == 0, reads
    assert reads.of("twitches") == 0 and reads.of("symptom_checks") == 0, reads
    assert reads.of("targets") <= 1, reads  # the reminders re-arm: today's water goal
    # History still redraws on any save (its totals and first day): bounded, not the day.
    assert reads.of("entries") <= 2, reads


def test_the_water_unit_costs_no_summary_and_no_twitch_or_check_read(
        wired: QuellApp, monkeypatch: pytest.MonkeyPatch) -> None:
    session = wired.session
    reads = _reads(wired, monkeypatch, lambda: session.save_settings(
        session.settings().replace(water_unit="fl_oz")))
    assert reads.summaries == 0, reads  # Today and the tray show the day they have
    assert reads.of("entries") <= 2, reads  # History redraws its charts in the unit
    assert reads.of("twitches") == 0 and reads.of("symptom_checks") == 0, reads


def test_a_twitch_costs_no_check_read_and_a_bounded_rest(
        wired: QuellApp, monkeypatch: pytest.MonkeyPatch) -> None:
    symptoms = wired.windows.symptoms
    _reads(wired, monkeypatch, lambda: symptoms.log_twitch("calf"))  # warm up
    reads = _reads(wired, monkeypatch, lambda: symptoms.log_twitch("eyelid"))
    assert reads.of("symptom_checks") == 0, reads
    # The diary re-reads its period once (and History its twitches when that tab shows).
    assert 1 <= reads.of("twitches") <= 2, reads
    # Announced to the habit session too (History follows it): the day's views and the
    # reminders' scan re-read as after an entry.
    assert reads.summaries <= 3, reads
