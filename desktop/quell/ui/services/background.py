"""Slow work off the GUI thread: a job with its own database connection, whose progress and
result (or error) arrive back on the GUI thread as signals."""

from __future__ import annotations

import gc
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

# Progress reaches the GUI at most this often: a job reporting every row must not flood it.
PROGRESS_INTERVAL_S = 0.05
# How often a job sleeps briefly, and for how long. A thread that only computes, or that
# drops the interpreter lock for a moment and takes it straight back (sqlite3, zlib), can keep
# the GUI thread waiting for the lock far longer than Python's 5 ms switch interval.
BREATHE_EVERY_S = 0.02
BREATH_S = 0.001

Connect = Callable[[], sqlite3.Connection]


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
        self._connection: sqlite3.Connection | None = None
        self._last_report = 0.0
        self._last_breath = time.monotonic()

    @property
    def connection(self) -> sqlite3.Connection:
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
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
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
        try:
            with _COLLECTOR:
                outcome = ("succeeded", self._work(control))
        except BaseException as error:  # delivered to the GUI thread, never lost
            if not isinstance(error, (Cancelled, *self._expected)):
                log.error("background job %s failed", self.name, exc_info=error)
            outcome = ("failed", error)
        try:
            control.close()
        except sqlite3.Error:
            log.exception("closing the %s job's database connection failed", self.name)
        self._done.set()
        self.relay.emit(*outcome)

    @Slot(str, object)
    def _deliver(self, kind: str, value: object) -> None:
        if kind == "progress":
            assert isinstance(value, tuple)
            self.progress.emit(*value)
        elif kind == "committing":
            self.committing.emit()
        else:
            self._delivered = True
            (self.succeeded if kind == "succeeded" else self.failed).emit(value)
            self.finished.emit()
