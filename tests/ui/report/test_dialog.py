"""The report dialog gathers and renders the PDF off the GUI thread (through the background
helper), says problems inline, and survives being closed while it works."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from quell.core.errors import InputError
from quell.core.report import Report
from quell.core.tracker import Tracker
from quell.storage.check_store import SqliteCheckStore
from quell.storage.database import DiskFull, OpenedDatabase
from quell.storage.store import SqliteStore
from quell.storage.twitch_store import SqliteTwitchStore
from quell.ui.report import dialog as report_dialog
from quell.ui.report.dialog import ReportDialog
from quell.ui.services.background import JobControl, database_connector, running_jobs
from quell.ui.services.report import collect_report
from quell.ui.services.symptom_session import SymptomSession
from tests.conftest import FakeClock
from tests.helpers import MemorySettings
from tests.ui.symptom_helpers import close_symptoms, open_symptoms


@pytest.fixture
def opened(qtbot, tmp_path: Path, clock: FakeClock, settings_holder: MemorySettings
           ) -> Iterator[tuple[SymptomSession, OpenedDatabase]]:
    symptoms, database = open_symptoms(tmp_path / "data", clock, settings_holder)
    for back in range(10):
        symptoms.log_twitch("calf", side="left", intensity=2,
                            at=clock.now() - timedelta(days=back))
    yield symptoms, database
    for job in running_jobs():
        job.wait(30)
    close_symptoms(symptoms, database)


def make_gather(clock: FakeClock, settings: MemorySettings, seen: dict[str, object]):
    def gather(control: JobControl, first: date, last: date) -> Report:
        seen["thread"] = threading.get_ident()
        db = control.connection
        seen["connection"] = db
        tracker = Tracker(SqliteStore(db), clock, settings)
        return collect_report(tracker, SqliteTwitchStore(db), SqliteCheckStore(db), first, last)

    return gather


def test_the_report_is_gathered_and_rendered_off_the_gui_thread(
        qtbot, opened, clock: FakeClock, settings_holder: MemorySettings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    symptoms, database = opened
    seen: dict[str, object] = {}
    real_write = report_dialog.write_report_pdf

    def write(report: Report, path: Path) -> int:
        seen["render_thread"] = threading.get_ident()
        seen["episodes"] = len(report.episodes)
        return real_write(report, path)

    monkeypatch.setattr(report_dialog, "write_report_pdf", write)
    dialog = ReportDialog(symptoms, gather=make_gather(clock, settings_holder, seen),
                          connect=database_connector(database.connection))
    qtbot.addWidget(dialog)
    path = tmp_path / "r.pdf"
    dialog.path.setText(str(path))
    with qtbot.wait_signal(dialog.saved, timeout=30_000) as saved:
        job = dialog.save()
        assert job is not None and job.running
        assert not dialog.save_button.isEnabled()
        assert dialog.save() is None  # one at a time
    gui = threading.main_thread().ident
    assert seen["thread"] != gui and seen["render_thread"] != gui
    assert seen["connection"] is not database.connection  # the job's own
    assert seen["episodes"] == 10
    assert saved.args == [str(path)] and path.read_bytes().startswith(b"%PDF")
    assert dialog.save_button.isEnabled() and dialog.job is None
    assert "Saved 1 page" in dialog.done_label.text()


@pytest.mark.parametrize(("problem", "shown"), [
    (InputError("the period is too long"), "the period is too long"),
    (DiskFull("There is not enough free space"), "There is not enough free space"),
    (KeyError("bug"), "Something went wrong while making the report"),
])
def test_a_problem_while_gathering_is_said_inline(
        qtbot, opened, tmp_path: Path, problem: BaseException, shown: str) -> None:
    symptoms, database = opened

    def gather(control: JobControl, first: date, last: date) -> Report:
        raise problem

    dialog = ReportDialog(symptoms, gather=gather,
                          connect=database_connector(database.connection))
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "r.pdf"))
    with qtbot.assert_not_emitted(dialog.saved), \
            qtbot.wait_signal(dialog.save_failed, timeout=30_000) as failed:
        dialog.save_button.click()
    assert shown in failed.args[0] and shown.lower() in dialog.error.message.lower()
    assert dialog.save_button.isEnabled()
    assert not (tmp_path / "r.pdf").exists()


def test_a_folder_or_a_missing_folder_is_said_at_once(qtbot, opened, tmp_path: Path) -> None:
    symptoms, _database = opened
    dialog = ReportDialog(symptoms)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path))
    assert dialog.save() is None and "is a folder" in dialog.error.message
    dialog.path.setText(str(tmp_path / "no" / "r.pdf"))
    assert dialog.save() is None and "does not exist" in dialog.error.message


def test_closing_the_dialog_while_it_works_breaks_nothing(qtbot, opened, tmp_path: Path
                                                          ) -> None:
    symptoms, database = opened
    release = threading.Event()
    base = make_gather(symptoms.session.tracker.clock, MemorySettings(), {})

    def gather(control: JobControl, first: date, last: date) -> Report:
        release.wait(10)
        return base(control, first, last)

    dialog = ReportDialog(symptoms, gather=gather,
                          connect=database_connector(database.connection))
    dialog.path.setText(str(tmp_path / "r.pdf"))
    job = dialog.save()
    assert job is not None
    dialog.deleteLater()
    qtbot.wait_until(lambda: not _alive(dialog))
    with qtbot.wait_signal(job.finished, timeout=30_000):
        release.set()
    assert (tmp_path / "r.pdf").exists()  # written; nothing left to show it in


def _alive(widget: object) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(widget))
