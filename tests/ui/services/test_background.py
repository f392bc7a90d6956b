"""The background job helper: work on a worker thread with its own connection, progress,
cancel up to the point of no return, and results and errors back on the GUI thread."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

import pytest

from quell.core.errors import InputError
from quell.ui.services.background import (
    Cancelled,
    Job,
    JobControl,
    database_connector,
    database_file,
    run_in_background,
    running_jobs,
)


def run(qtbot, job: Job) -> tuple[str, object]:
    outcome: dict[str, object] = {}
    job.succeeded.connect(lambda value: outcome.update(kind="succeeded", value=value,
                                                       thread=threading.get_ident()))
    job.failed.connect(lambda error: outcome.update(kind="failed", value=error,
                                                    thread=threading.get_ident()))
    with qtbot.wait_signal(job.finished, timeout=10_000):
        job.start()
    assert outcome["thread"] == threading.main_thread().ident  # delivered on the GUI thread
    assert not job.running
    return str(outcome["kind"]), outcome["value"]


def test_work_runs_off_the_gui_thread_and_its_result_comes_back(qtbot) -> None:
    def work(control: JobControl) -> int:
        return threading.get_ident()

    kind, worker = run(qtbot, Job(work, name="t"))
    assert kind == "succeeded" and worker != threading.main_thread().ident


def test_the_job_has_its_own_connection_opened_and_closed_on_its_thread(
        qtbot, tmp_path: Path) -> None:
    opened: list[int] = []

    def connect() -> sqlite3.Connection:
        opened.append(threading.get_ident())
        return sqlite3.connect(tmp_path / "x.db")

    def work(control: JobControl) -> sqlite3.Connection:
        control.connection.execute("CREATE TABLE t (x)")
        assert control.connection is control.connection  # one per job
        return control.connection

    kind, connection = run(qtbot, Job(work, name="t", connect=connect))
    assert kind == "succeeded" and len(opened) == 1
    assert opened[0] != threading.main_thread().ident
    with pytest.raises(sqlite3.ProgrammingError):
        connection.execute("SELECT 1")  # type: ignore[attr-defined]


def test_an_expected_error_is_delivered_without_a_traceback(
        qtbot, caplog: pytest.LogCaptureFixture) -> None:
    def work(control: JobControl) -> None:
        raise InputError("that file is not a ZIP")

    kind, error = run(qtbot, Job(work, name="t", expected=(InputError,)))
    assert kind == "failed" and str(error) == "that file is not a ZIP"
    assert not caplog.records


def test_a_bug_is_delivered_and_logged_with_its_traceback(
        qtbot, caplog: pytest.LogCaptureFixture) -> None:
    def work(control: JobControl) -> None:
        raise KeyError("bug")

    with caplog.at_level(logging.ERROR):
        kind, error = run(qtbot, Job(work, name="t", expected=(InputError,)))
    assert kind == "failed" and isinstance(error, KeyError)
    assert caplog.records[0].exc_info is not None


def test_progress_is_throttled_and_delivered(qtbot) -> None:
    seen: list[tuple[int, int]] = []

    def work(control: JobControl) -> None:
        for done in range(1, 100_001):
            control.progress(done, 100_000)

    job = Job(work, name="t")
    job.progress.connect(lambda done, total: seen.append((done, total)))
    assert run(qtbot, job)[0] == "succeeded"
    assert seen[-1] == (100_000, 100_000)
    assert len(seen) < 1000  # not one signal per row


def test_cancel_before_the_point_of_no_return_stops_the_job(qtbot) -> None:
    started = threading.Event()
    go_on = threading.Event()
    wrote: list[bool] = []

    def work(control: JobControl) -> None:
        started.set()
        go_on.wait(5)
        control.progress(1, 2)  # notices the cancel
        control.point_of_no_return()
        wrote.append(True)

    job = Job(work, name="t")
    outcome: list[object] = []
    job.failed.connect(outcome.append)
    with qtbot.wait_signal(job.finished, timeout=10_000):
        job.start()
        assert started.wait(5)
        assert job.cancel() is True
        go_on.set()
    assert isinstance(outcome[0], Cancelled) and wrote == []


def test_cancel_after_the_point_of_no_return_is_refused(qtbot) -> None:
    committed = threading.Event()
    go_on = threading.Event()

    def work(control: JobControl) -> str:
        control.point_of_no_return()
        committed.set()
        go_on.wait(5)
        control.progress(2, 2)  # no longer raises
        return "written"

    job = Job(work, name="t")
    results: list[object] = []
    job.succeeded.connect(results.append)
    with qtbot.wait_signal(job.committing, timeout=10_000):
        job.start()
        assert committed.wait(5)
    assert job.cancel() is False
    with qtbot.wait_signal(job.finished, timeout=10_000):
        go_on.set()
    assert results == ["written"]


def test_a_job_starts_once(qtbot) -> None:
    job = Job(lambda control: None, name="t")
    with qtbot.wait_signal(job.finished):
        job.start()
    with pytest.raises(RuntimeError):
        job.start()
    assert job.wait(1) and job.cancel() is False


# -- run_in_background: the one entry point ------------------------------------------------


def test_run_in_background_delivers_on_done_on_the_gui_thread(qtbot) -> None:
    delivered: list[tuple[object, int]] = []
    job = run_in_background(lambda control: 6 * 7, name="answer",
                            on_done=lambda value: delivered.append(
                                (value, threading.get_ident())))
    assert job in running_jobs()  # held for the caller until it has delivered
    qtbot.wait_until(lambda: bool(delivered), timeout=10_000)
    assert delivered == [(42, threading.main_thread().ident)]
    qtbot.wait_until(lambda: job not in running_jobs())


def test_run_in_background_delivers_errors_and_progress(qtbot) -> None:
    errors: list[BaseException] = []
    progress: list[tuple[int, int]] = []

    def work(control: JobControl) -> None:
        control.progress(1, 2)
        control.progress(2, 2)
        raise InputError("no such file")

    job = run_in_background(work, name="t", on_done=lambda _value: None,
                            on_error=errors.append, on_progress=lambda d, t: progress.append(
                                (d, t)), expected=(InputError,))
    with qtbot.wait_signal(job.finished, timeout=10_000):
        pass
    assert [str(e) for e in errors] == ["no such file"]
    assert progress[-1] == (2, 2)


def test_run_in_background_without_on_error_logs_a_bug(
        qtbot, caplog: pytest.LogCaptureFixture) -> None:
    done: list[object] = []

    def work(control: JobControl) -> None:
        raise ZeroDivisionError("bug")

    with caplog.at_level(logging.ERROR):
        job = run_in_background(work, name="t", on_done=done.append)
        with qtbot.wait_signal(job.finished, timeout=10_000):
            pass
    assert done == [] and "background job t failed" in caplog.text


def test_database_connector_opens_the_same_file_with_a_busy_timeout(
        qtbot, tmp_path: Path) -> None:
    from quell.storage.database import connect

    db = connect(tmp_path / "q.db")
    db.execute("CREATE TABLE t (x)")
    db.execute("INSERT INTO t VALUES (7)")
    opened = database_connector(db, busy_timeout_ms=1234)

    def work(control: JobControl) -> tuple[int, int]:
        row = control.connection.execute("SELECT x FROM t").fetchone()
        timeout = control.connection.execute("PRAGMA busy_timeout").fetchone()[0]
        return row[0], timeout

    results: list[object] = []
    job = run_in_background(work, name="t", connect=opened, on_done=results.append)
    with qtbot.wait_signal(job.finished, timeout=10_000):
        pass
    assert results == [(7, 1234)]
    assert database_file(db) == tmp_path / "q.db"
    db.close()
    with pytest.raises(ValueError, match="in a file"):
        database_connector(sqlite3.connect(":memory:"))


def test_a_delivered_job_and_what_its_callbacks_hold_are_freed(qtbot) -> None:
    """Callbacks connected as signals were a cycle through C++ that Python's collector could
    not see: every job, and whatever its closures held (a socket connection), lived for ever."""
    import gc
    import weakref

    class Held:
        pass

    held = Held()
    held_ref = weakref.ref(held)
    job = run_in_background(lambda control: 1, name="t",
                            on_done=lambda _value, h=held: None,
                            on_error=lambda _error, h=held: None)
    job_ref = weakref.ref(job)
    with qtbot.wait_signal(job.finished, timeout=10_000):
        pass
    del job, held
    gc.collect()
    assert held_ref() is None and job_ref() is None
