"""The running app's local server: raises the window or runs commands from the command line.

A slow request runs through the background helper (quell.ui.services.background): its
handler returns :class:`InBackground` instead of a reply, the work runs on a worker thread
with its own database connection, and the connection is answered when it is done; the GUI
thread keeps serving other connections and the user meanwhile.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from quell.app.ipc import MAX_REQUEST_BYTES, PROTOCOL_VERSION, version_problem
from quell.core.errors import InputError
from quell.files import Paths, ensure_private_dir
from quell.storage.database import StorageError

if TYPE_CHECKING:
    from quell.ui.services.background import Connect, Job, JobControl

log = logging.getLogger(__name__)

# More than this many open connections and a new one is answered "busy" and closed: the CLI
# opens one at a time, so only a runaway script (or an attack) gets here.
MAX_CONNECTIONS = 16
# A whole request must arrive within this; a client that trickles bytes (or sends none) is
# answered with an error and dropped, so it cannot hold a connection for ever.
REQUEST_TIMEOUT_MS = 3000
# After answering, how long a client that does not read the reply keeps its connection.
CLOSE_GRACE_MS = 1000
# Rejected requests write at most this many log lines a minute (then one line saying how many
# were not logged), so a flood cannot rotate the useful part of the log away.
REJECTIONS_LOGGED_PER_MINUTE = 20


class Rejected(Exception):
    """A request refused before any command ran; the message is the reply's error."""


@dataclass(frozen=True)
class InBackground:
    """What a handler returns for a slow request: *work* runs on a worker thread (with its own
    database connection from *connect*) and returns the reply dict; its errors are answered as
    a handler's are. *then*, if given, runs on the GUI thread with the reply before it is sent
    (e.g. to tell the views what changed)."""

    work: Callable[[JobControl], dict[str, Any]]
    connect: Connect | None = None
    then: Callable[[dict[str, Any]], None] | None = None


Reply = dict[str, Any]
Handler = Callable[[dict[str, Any]], Reply | InBackground]
# Errors a request may end with that are not bugs (answered without a traceback).
_EXPECTED = (InputError, StorageError, sqlite3.Error, OSError)


class CommandServer(QObject):
    """Answers one JSON request per connection from the command line or a second launch.

    *handle* takes a request dict and returns the reply dict, or :class:`InBackground` for
    slow work; InputError and StorageError become ``{"ok": false, "error": ...}``, any other
    exception is a bug: logged with its traceback once, answered with a sentence. Every reply
    carries ``"v"``. Each connection gets exactly one reply, after its own request.
    """

    def __init__(self, paths: Paths, handle: Handler,
                 parent: QObject | None = None, *, max_connections: int = MAX_CONNECTIONS,
                 request_timeout_ms: int = REQUEST_TIMEOUT_MS) -> None:
        super().__init__(parent)
        self._handle = handle
        self._runtime = paths.runtime
        self._name = paths.socket_name
        self._log_file = paths.log_file
        self.max_connections = max_connections
        self.request_timeout_ms = request_timeout_ms
        self._open: set[_Connection] = set()
        self._jobs: set[Job] = set()
        self._rejections = _RejectionLog()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    @property
    def open_connections(self) -> int:
        return len(self._open)

    @property
    def jobs(self) -> tuple[Job, ...]:
        """The slow requests running in the background now."""
        return tuple(self._jobs)

    def listen(self) -> bool:
        try:
            ensure_private_dir(self._runtime)
        except OSError as error:
            log.error("no runtime folder %s: %s", self._runtime, error)
            return False
        # We hold the instance lock, so any socket file left is stale.
        QLocalServer.removeServer(self._name)
        if not self._server.listen(self._name):
            log.error("cannot listen on %s: %s", self._name, self._server.errorString())
            return False
        log.info("listening on %s", self._name)
        return True

    def close(self) -> None:
        self._server.close()
        # Every connection, counted or refused over the cap, answered or not.
        for connection in self.findChildren(_Connection):
            connection.abort()
        # Delete them now, while this server is whole: deleting the server from Python (when
        # it is garbage-collected) with connections still pending deletion freed their sockets
        # twice (heap corruption, about 1 run in 10 of the busy-app socket test).
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            connection = _Connection(sock, self)
            if len(self._open) >= self.max_connections:
                self.reject(f"connection refused: {len(self._open)} already open")
                connection.answer(_error("Quell is busy with other commands; try again in a "
                                         "moment."))
                continue
            self._open.add(connection)

    def forget(self, connection: _Connection) -> None:
        self._open.discard(connection)

    def reject(self, reason: str) -> None:
        self._rejections.note(reason)

    def reply_to(self, line: bytes) -> dict[str, Any]:
        """The reply to one request line, for a handler that answers at once; never raises.
        (A request whose handler works in the background is answered with an error here:
        use :meth:`respond`.)"""
        replies: list[dict[str, Any]] = []
        self.respond(line, replies.append, background=False)
        return replies[0]

    def respond(self, line: bytes, send: Callable[[dict[str, Any]], None], *,
                background: bool = True) -> None:
        """Answer one request line through *send*, exactly once: now, or when its background
        work is done. Never raises."""
        try:
            request = _parse(line)
        except Rejected as error:
            self.reject(str(error))
            send(_error(str(error)))
            return
        op = request.get("op")
        shown_op = op if isinstance(op, str) and len(op) <= 40 else type(op).__name__
        try:
            handled = self._handle(request)
            if isinstance(handled, InBackground):
                if not background:
                    raise RuntimeError(f"request {shown_op!r} needs the background")
                self._start(handled, shown_op, send)
                return
        except Exception as error:
            send(self._failed(error, shown_op))
            return
        send(self._finished(handled, shown_op))

    def _start(self, slow: InBackground, shown_op: str,
               send: Callable[[dict[str, Any]], None]) -> None:
        started: list[Job] = []

        def done(reply: dict[str, Any]) -> None:
            self._jobs.difference_update(started)
            if slow.then is not None:
                try:
                    slow.then(reply)
                except Exception as error:
                    send(self._failed(error, shown_op))
                    return
            send(self._finished(reply, shown_op))

        def failed(error: BaseException) -> None:
            self._jobs.difference_update(started)
            # The job logged a bug's traceback already: once is enough.
            send(self._failed(error, shown_op, logged=not isinstance(error, _EXPECTED)))

        # Imported at the first slow request: its module (PySide6's Qt namespace) costs 13 ms
        # and 1 MB, which the server that starts with the tray need not pay up front.
        from quell.ui.services.background import run_in_background

        job = run_in_background(slow.work, name=f"request-{shown_op}", connect=slow.connect,
                                on_done=done, on_error=failed, expected=_EXPECTED)
        started.append(job)
        self._jobs.add(job)

    def _finished(self, reply: dict[str, Any], shown_op: str) -> dict[str, Any]:
        try:
            json.dumps(reply)  # a reply that cannot be sent is a bug
        except Exception as error:
            return self._failed(error, shown_op)
        return {**reply, "v": PROTOCOL_VERSION}

    def _failed(self, error: BaseException, shown_op: str, *,
                logged: bool = False) -> dict[str, Any]:
        """The one-line reply to a request that ended with *error*, logged as it deserves
        (unless it was *logged* already)."""
        if isinstance(error, InputError):
            self.reject(f"request {shown_op!r} refused: {error}")
            return _error(str(error))
        if isinstance(error, StorageError):
            log.warning("request %r failed: %s", shown_op, error)
            return _error(str(error))
        if isinstance(error, (sqlite3.Error, OSError)):  # the disk or database, most likely
            log.error("request %r failed", shown_op, exc_info=error)
            cause = error.strerror if isinstance(error, OSError) and error.strerror else error
            return _error(f"Quell could not save this ({cause}); nothing was saved. The "
                          f"details are in its log, {self._log_file}.")
        # A bug: one traceback in the log, a sentence in reply.
        if not logged:
            log.error("request %r failed", shown_op, exc_info=error)
        return _error(
            f"Quell hit a bug and did not carry out this command ({type(error).__name__}); "
            f"nothing was saved. The details are in its log, {self._log_file}.")


class _Connection(QObject):
    """One client connection: its socket, its bytes so far, its deadline, and its one answer.

    Connected through its own methods (no lambdas holding the socket): when this is deleted,
    its socket, its timer and their signal connections go with it.
    """

    def __init__(self, sock: QLocalSocket, server: CommandServer) -> None:
        super().__init__(server)
        # The socket becomes this object's child, so deleting this deletes it. Left a child of
        # the QLocalServer, its Python wrapper stayed in the server's list of children after
        # the socket was deleted: about 1 KB a request, for ever.
        sock.setParent(self)
        self._sock = sock
        self._server = server
        self._data = b""
        self._answered = False
        self._gone = False
        self._started = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._expire)
        self._timer.start(server.request_timeout_ms)
        sock.readyRead.connect(self._read)
        sock.disconnected.connect(self._closed)

    def _read(self) -> None:
        try:
            chunk = bytes(self._sock.readAll().data())
            if self._answered:
                return  # one request per connection: anything after it is ignored
            self._data += chunk
            end = self._data.find(b"\n")
            if end < 0 and len(self._data) > MAX_REQUEST_BYTES:
                end = len(self._data)
            if end < 0:
                return
            line = self._data[:end]
            self._data = b""
            if len(line) > MAX_REQUEST_BYTES:
                reason = f"request too large (over {MAX_REQUEST_BYTES // 1024} KB)"
                self._server.reject(reason)
                self.answer(_error(reason))
                return
            self._answered = True  # the one request; its reply may come later
            self._timer.stop()  # slow work is bounded by its job, not by the request timeout
            self._server.respond(line, self._reply_ready)
        except Exception:  # never into the crash dialog: a bug here is logged, the client dropped
            log.exception("command connection failed")
            with contextlib.suppress(RuntimeError):  # the socket may be gone already
                self.abort()

    def _reply_ready(self, reply: dict[str, Any]) -> None:
        if not shiboken6.isValid(self) or self._gone:
            return  # the client left, or the server closed, before the work was done
        self.answer(reply)

    def answer(self, reply: dict[str, Any]) -> None:
        """Send *reply*, then close; a client that does not read it is dropped soon after."""
        self._answered = True
        self._data = b""
        self._sock.write((json.dumps(reply) + "\n").encode("utf-8"))
        self._sock.flush()
        self._timer.start(CLOSE_GRACE_MS)
        self._sock.disconnectFromServer()

    def abort(self) -> None:
        self._timer.stop()
        self._sock.abort()
        self._closed()

    def _expire(self) -> None:
        if self._answered:
            self.abort()
            return
        waited = time.monotonic() - self._started
        reason = (f"no complete request within {waited:.1f} s "
                  f"({len(self._data)} bytes, no line end)")
        self._server.reject(reason)
        self.answer(_error("no complete request in time (a request is one line of JSON)"))

    def _closed(self) -> None:
        self._gone = True
        self._server.forget(self)
        self._timer.stop()
        self.deleteLater()


class _RejectionLog:
    """One warning line per rejected request, at most so many a minute."""

    def __init__(self) -> None:
        self._window_start = time.monotonic()
        self._logged = 0
        self._dropped = 0

    def note(self, reason: str) -> None:
        now = time.monotonic()
        if now - self._window_start >= 60:
            if self._dropped:
                log.warning("%d more requests were rejected in the last minute (not logged)",
                            self._dropped)
            self._window_start, self._logged, self._dropped = now, 0, 0
        if self._logged < REJECTIONS_LOGGED_PER_MINUTE:
            self._logged += 1
            log.warning("rejected request: %s", reason[:200])
        else:
            self._dropped += 1


def _parse(line: bytes) -> dict[str, Any]:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected("malformed request: not UTF-8") from None
    try:
        request = json.loads(text)
    except RecursionError:
        raise Rejected("malformed request: JSON nested too deeply") from None
    except ValueError:
        raise Rejected("malformed request: not JSON") from None
    if not isinstance(request, dict):
        raise Rejected("malformed request: not a JSON object")
    problem = version_problem(request, from_app=False)
    if problem is not None:
        raise Rejected(problem)
    if not isinstance(request.get("op"), str):
        raise Rejected("malformed request: no op")
    return request


def _error(message: str) -> dict[str, Any]:
    return {"v": PROTOCOL_VERSION, "ok": False, "error": message}
