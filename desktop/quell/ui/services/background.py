"""Slow work off the GUI thread: a job with its own database connection, whose progress and
result (or error) arrive back on the GUI thread as signals.

The one helper for export, import, the doctor's PDF and the socket's slow requests (in the
spirit of Anki's ``QueryOp``)::

    run_in_background(work, name="export", connect=database_connector(db),
                      on_done=show_summary, on_error=show_problem)

``work(control)`` runs on a worker thread: it reads and writes through ``control.connection``
(its own, opened there), reports ``control.progress(done, total)`` (which also raises
:class:`Cancelled` after a cancel) and calls ``control.point_of_no_return()`` before it
writes. ``on_done`` / ``on_error`` run on the GUI thread. Never touch widgets, the session or
the GUI's own connection from *work*: hand it plain values and return plain values.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal, Slot

from quell.core.errors import InputError
from quell.storage.database import Connection, DatabaseError, StorageError
from quell.storage.database import connect as connect_database

log = logging.getLogger(__name__)

# Progress reaches the GUI at most this often: a job reporting every row must not flood it.
PROGRESS_INTERVAL_S = 0.05
# How often a job sleeps briefly, and for how long. A thread that only computes, or that
# drops the interpreter lock for a moment and takes it straight back (sqlite3, zlib), can keep
# the GUI thread waiting for the lock far longer than Python's 5 ms switch interval.
BREATHE_EVERY_S = 0.02
BREATH_S = 0.001

# A job's own connection may wait this long for the app's short writes to finish.
JOB_BUSY_TIMEOUT_MS = 30_000

Connect = Callable[[], Connection]
# Errors the user can act on (bad input; a locked, full or read-only disk): a job delivers
# them without logging a traceback, and their message is the sentence to show.
USER_ERRORS: tuple[type[BaseException], ...] = (InputError, StorageError)
# The database or a file failed (a constraint, a full disk, a vanished folder): not a bug in
# the job, and this is the one ui module that names the database's errors.
DISK_ERRORS: tuple[type[BaseException], ...] = (DatabaseError, OSError)
T = TypeVar("T")


class _CollectorPause:
    """Pauses Python's cyclic garbage collector while any job runs. A job that builds 200,000
    rows sets off full collections that walk every object with the interpreter lock held,
    stalling the GUI thread by 50-100 ms each; reference counting still frees the rows, and
    the collector runs once the last job ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs = 0
        self._was_enabled = True

    def __enter__(self) -> None:
        with self._lock:
            if self._jobs == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._jobs += 1

    def __exit__(self, *_exc: object) -> None:
        with self._lock:
            self._jobs -= 1
            if self._jobs == 0 and self._was_enabled:
                gc.enable()


_COLLECTOR = _CollectorPause()


class Cancelled(Exception):
    """The user cancelled the job before its point of no return; it changed nothing."""


class JobControl:
    """What a job uses while it runs on its worker thread: its own database connection,
    progress reports (which also notice a cancel) and the point of no return.

    Every method is for the worker thread only.
    """

    def __init__(self, job: Job, connect: Connect | None) -> None:
        self._job = job
        self._connect = connect
        self._connection: Connection | None = None
        self._last_report = 0.0
        self._last_breath = time.monotonic()

    @property
    def connection(self) -> Connection:
        """The job's own connection (sqlite3 ties a connection to its thread), opened on first
        use and closed when the job ends."""
        if self._connection is None:
            if self._connect is None:
                raise RuntimeError("this job was started without a database")
            self._connection = self._connect()
        return self._connection

    def progress(self, done: int, total: int) -> None:
        """Report progress (in units the job chooses); raises Cancelled if the user cancelled."""
        self.check_cancelled()
        now = time.monotonic()
        if now - self._last_report >= PROGRESS_INTERVAL_S or done >= total:
            self._last_report = now
            self._job.relay.emit("progress", (done, total))
        self.breathe()

    def breathe(self) -> None:
        """Let the GUI thread run: sleep a moment if the job has not for a while. Call it
        often in long loops (progress() does)."""
        now = time.monotonic()
        if now - self._last_breath >= BREATHE_EVERY_S:
            time.sleep(BREATH_S)
            self._last_breath = time.monotonic()

    def check_cancelled(self) -> None:
        if self._job.cancel_requested:
            raise Cancelled()

    def point_of_no_return(self) -> None:
        """From here the job finishes even if the user cancels (e.g. it starts writing): a
        last check, then cancelling is refused and ``committing`` tells the GUI."""
        with self._job.lock:
            self.check_cancelled()
            self._job.committed = True
        self._job.relay.emit("committing", None)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class Job(QObject):
    """One piece of slow work on a worker thread: make it, connect its signals, then start().

    ``work(control)`` runs on the worker thread with a :class:`JobControl`; *connect* opens its
    own database connection there (when the job first asks for ``control.connection``). Errors
    of the *expected* kinds (user errors) are only delivered; any other is logged with its
    traceback too, then delivered. Keep a reference to the job until ``finished``.

    Signals (all emitted on the GUI thread, in this order):
        progress(int, int): done and total, at most about 20 times a second.
        committing(): the job passed its point of no return; a cancel is refused from now on.
        succeeded(object): the job's return value.
        failed(object): the exception it raised (:class:`Cancelled` after a cancel).
        finished(): after succeeded or failed.
    """

    progress = Signal(int, int)
    committing = Signal()
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()
    # From the worker thread to this object's (the GUI) thread: (which signal, its value).
    relay = Signal(str, object)

    def __init__(self, work: Callable[[JobControl], Any], *, name: str,
                 connect: Connect | None = None,
                 expected: tuple[type[BaseException], ...] = (),
                 uses_qt: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._uses_qt = uses_qt
        self.name = name
        self.lock = threading.Lock()
        self.cancel_requested = False
        self.committed = False
        self._work = work
        self._connect = connect
        self._expected = expected
        self._thread: threading.Thread | None = None
        self._done = threading.Event()
        self._delivered = False
        self._listeners: tuple[Callable[[object], object] | None,
                               Callable[[BaseException], object] | None,
                               Callable[[int, int], object] | None] = (None, None, None)
        self.relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        """Started and its result not yet delivered."""
        return self._thread is not None and not self._delivered

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError(f"the {self.name} job was started already")
        # A daemon: quitting mid-job must not hang; an unfinished write is rolled back by
        # SQLite, so the job still changed all or nothing.
        self._thread = threading.Thread(target=self._run, name=f"quell-{self.name}",
                                        daemon=True)
        self._thread.start()

    def cancel(self) -> bool:
        """Ask the job to stop; True if it will (it had not reached its point of no return)."""
        with self.lock:
            if self.committed or self._done.is_set():
                return False
            self.cancel_requested = True
            return True

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker has ended (for shutdown and tests); True if it has. Its
        result is still delivered by the event loop."""
        return self._done.wait(timeout)

    def _run(self) -> None:
        control = JobControl(self, self._connect)
        outcome: tuple[str, object]
        # Qt objects that lay out or paint (QTextDocument, QPdfWriter) start timers: the
        # worker needs an event dispatcher of its own, which a QEventLoop gives a thread Qt did
        # not start. It never runs; it goes when the job ends.
        dispatcher = QEventLoop() if self._uses_qt else None
        try:
            with _COLLECTOR:
                outcome = ("succeeded", self._work(control))
        except BaseException as error:  # delivered to the GUI thread, never lost
            if not isinstance(error, (Cancelled, *self._expected)):
                log.error("background job %s failed", self.name, exc_info=error)
            outcome = ("failed", error)
        try:
            control.close()
        except DatabaseError:
            log.exception("closing the %s job's database connection failed", self.name)
        del dispatcher
        self._done.set()
        self.relay.emit(*outcome)

    @Slot(str, object)
    def listen(self, on_done: Callable[[object], object],
               on_error: Callable[[BaseException], object],
               on_progress: Callable[[int, int], object] | None = None) -> None:
        """Call these (on the GUI thread) before the matching signals; they are dropped once
        the result is delivered. Plain references, not signal connections: a connection
        from this QObject to a closure that holds it is a cycle Python's collector cannot
        see, which kept every job (and what its closures hold) alive for ever."""
        self._listeners = (on_done, on_error, on_progress)

    def _deliver(self, kind: str, value: object) -> None:
        on_done, on_error, on_progress = self._listeners
        if kind == "progress":
            assert isinstance(value, tuple)
            if on_progress is not None:
                on_progress(*value)
            self.progress.emit(*value)
        elif kind == "committing":
            self.committing.emit()
        else:
            self._delivered = True
            self._listeners = (None, None, None)
            _RUNNING.discard(self)
            try:
                if kind == "succeeded":
                    if on_done is not None:
                        on_done(value)
                    self.succeeded.emit(value)
                else:
                    assert isinstance(value, BaseException)
                    if on_error is not None:
                        on_error(value)
                    self.failed.emit(value)
            finally:
                self.finished.emit()


# Jobs started by run_in_background, kept alive until they have delivered their result (a
# QObject whose last Python reference goes away mid-job would take its signals with it).
_RUNNING: set[Job] = set()


def run_in_background(work: Callable[[JobControl], T], *, name: str,
                      on_done: Callable[[T], object],
                      on_error: Callable[[BaseException], object] | None = None,
                      on_progress: Callable[[int, int], object] | None = None,
                      connect: Connect | None = None,
                      expected: tuple[type[BaseException], ...] = (),
                      uses_qt: bool = False, parent: QObject | None = None) -> Job:
    """Start *work* on a worker thread now and return its :class:`Job` (to cancel or wait).

    *on_done(result)* or *on_error(error)* then runs on the GUI thread, once; an error not of
    an *expected* kind (a bug) has been logged with its traceback by then. Without *on_error*
    an error is only logged. *connect* opens the job's own database connection (see
    :func:`database_connector`); *on_progress(done, total)* gets throttled progress. The
    caller need not keep the job: it is held until it has delivered. *uses_qt*: the work
    lays out or paints with Qt (a PDF), which needs an event dispatcher on its thread.
    """
    job = Job(work, name=name, connect=connect, expected=expected, uses_qt=uses_qt,
              parent=parent)

    def done(value: object) -> None:
        on_done(cast(T, value))  # the value work returned

    def failed(error: BaseException) -> None:
        if on_error is not None:
            on_error(error)
        elif isinstance(error, (Cancelled, *expected)):
            log.info("background job %s: %s", name, error)

    job.listen(done, failed, on_progress)
    _RUNNING.add(job)
    job.start()
    return job


def running_jobs() -> tuple[Job, ...]:
    """The jobs run_in_background started that have not delivered yet (for shutdown, tests)."""
    return tuple(_RUNNING)


def database_file(db: Connection) -> Path:
    """The file behind *db*; ValueError for a database in memory (a job cannot share it)."""
    for row in db.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2])
    raise ValueError("background jobs need a database in a file")


def database_connector(db: Connection | Path, *,
                       busy_timeout_ms: int = JOB_BUSY_TIMEOUT_MS) -> Connect:
    """How a job opens its own connection to the database of *db* (a connection or a file):
    Quell's pragmas, and a busy timeout long enough to wait out the app's short writes."""
    path = db if isinstance(db, Path) else database_file(db)

    def open_connection() -> Connection:
        connection = connect_database(path)
        connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        return connection

    return open_connection
