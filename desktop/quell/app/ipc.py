"""Talking to the running app: one JSON line in, one JSON line out, over a per-user socket.

The server side (Qt's QLocalServer) lives in ``quell.app.server``; this client needs no Qt on
POSIX, so command-line calls stay fast. Every request and reply carries ``"v"``, the protocol
version, so a `quell` and an app from different versions refuse each other clearly; every write
request carries a random ``"id"``, so the same request carried out twice writes once.
"""

from __future__ import annotations

import enum
import json
import os
import re
import socket
import time
import uuid
from collections.abc import Mapping
from typing import Any

from quell.core.errors import InputError
from quell.core.i18n import _
from quell.files import Paths

# The version of what travels over the socket: raise it when a request or reply changes in a
# way the other side would misread. Both sides refuse any other (see version_problem()).
PROTOCOL_VERSION = 1
TIMEOUT_SECONDS = 5.0
# A request bigger than this is refused by the app (the longest real one is well under 4 KB).
MAX_REQUEST_BYTES = 64 * 1024
# Replies are one sentence; anything longer is not from Quell.
MAX_REPLY_BYTES = 1024 * 1024


class Op(enum.Enum):
    """The requests the running app answers; the values are what travels in ``"op"``."""

    RAISE = "raise"          # a second launch asks the first to show itself
    LOG = "log"              # `quell log`
    HABIT_ADD = "habit_add"  # `quell habit add`
    HABIT_ARCHIVE = "habit_archive"  # `quell habit archive`
    TWITCH = "twitch"        # `quell twitch`
    RATE = "rate"            # `quell rate`
    IMPORTED = "imported"    # `quell import` wrote the database directly: re-read it
    PAUSE = "pause"          # `quell pause`
    RESUME = "resume"        # `quell resume`
    REMINDERS = "reminders"  # `quell reminders` asks what only the app knows
    REMIND = "remind"        # `quell remind`: only the app can show a reminder


class VersionMismatch(InputError):
    """The other side speaks another protocol version (a `quell` command and a running Quell
    from different versions or installs); the message says which is older and what to do."""


def version_problem(message: Mapping[str, Any], *, from_app: bool) -> str | None:
    """Why *message* (a request, or with *from_app* a reply) is not of our protocol version,
    in one line that says which side is older and what to do; None when it is ours.

    A message without ``"v"`` comes from a Quell older than the protocol version itself.
    """
    version = message.get("v")
    ours = PROTOCOL_VERSION
    if type(version) is int and version == ours:
        return None
    if version is None or type(version) is int:
        older = version is None or version < ours
        shown = "none" if version is None else str(version)[:20]
        app_is_older = older if from_app else not older
        if app_is_older:
            return _("protocol version {theirs} is not {ours}: the running Quell is older than "
                     "this quell command. Quit Quell and start it again, then try "
                     "again.").format(theirs=shown, ours=ours)
        return _("protocol version {theirs} is not {ours}: this quell command is older than "
                 "the running Quell. Use the quell command of the same install as the running "
                 "Quell.").format(theirs=shown, ours=ours)
    return _("protocol version {theirs} is not {ours}: the quell command and the running Quell "
             "are different versions. Quit Quell and start it again, and use the quell command "
             "of the same install.").format(theirs=json.dumps(version)[:20], ours=ours)


class AppNotResponding(Exception):
    """The app is running but did not answer in time.

    *sent* tells whether the request reached it: if not, it certainly did nothing.
    """

    def __init__(self, sent: bool) -> None:
        super().__init__("sent" if sent else "not sent")
        self.sent = sent


class AppStopped(Exception):
    """The connection ended (closed, reset, or an unreadable reply) before a whole answer.

    The request may or may not have been carried out; sending it again with the same id is
    safe, as the app (or the database directly) carries out each id once.
    """


def new_request_id() -> str:
    return uuid.uuid4().hex


# As new_request_id makes them (random hex), but any short plain word is accepted.
_REQUEST_ID = re.compile(r"[0-9A-Za-z_-]{8,64}")


def check_request_id(request_id: object) -> None:
    """Raise InputError (one line) unless *request_id* is None or a plain id."""
    if request_id is not None and not (isinstance(request_id, str)
                                       and _REQUEST_ID.fullmatch(request_id)):
        raise InputError(_("the request id must be 8 to 64 letters, digits, - or _"))


def send(paths: Paths, request: dict[str, Any], timeout: float | None = None
         ) -> dict[str, Any] | None:
    """Send *request* to the running app and return its reply; None when no app is listening.

    Raises AppNotResponding (no answer within *timeout*, default TIMEOUT_SECONDS),
    AppStopped (the app went away while answering) or VersionMismatch (an app of another
    protocol version answered).
    """
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    payload = (json.dumps({**request, "v": PROTOCOL_VERSION}) + "\n").encode("utf-8")
    if len(payload) > MAX_REQUEST_BYTES:
        raise InputError(_("the command is too long ({n} KB at most)").format(
            n=MAX_REQUEST_BYTES // 1024))
    if os.name != "posix":
        return _send_qt(paths.socket_name, payload, timeout)
    path = paths.socket_name
    if not paths.runtime_is_private() or not os.path.exists(path):
        return None  # no app, or a runtime folder not ours alone: never talk to its socket
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            _connect(sock, path, timeout)
        except (FileNotFoundError, ConnectionRefusedError):
            return None  # a stale socket file from an app that is gone
        except TimeoutError:
            raise AppNotResponding(sent=False) from None
        except OSError:
            return None  # not a socket we may use (e.g. another user's): no app of ours
        reply = b""
        try:
            sock.sendall(payload)
            while not reply.endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                reply += chunk
                if len(reply) > MAX_REPLY_BYTES:
                    raise AppStopped("reply too long")
        except TimeoutError:
            raise AppNotResponding(sent=True) from None
        except OSError as error:  # reset or broken pipe: the app died while answering
            raise AppStopped(str(error)) from None
    return _decode(reply)


def _connect(sock: socket.socket, path: str, timeout: float) -> None:
    """Connect, waiting while the app's queue of new connections is full (a Unix socket then
    refuses at once with EAGAIN, however long the timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            sock.connect(path)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise TimeoutError from None
            time.sleep(0.02)


def _send_qt(name: str, payload: bytes, timeout: float) -> dict[str, Any] | None:
    from PySide6.QtNetwork import QLocalSocket

    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(500):
        return None
    sock.write(payload)
    sock.flush()
    reply = b""
    while not reply.endswith(b"\n"):
        connected = sock.state() == QLocalSocket.LocalSocketState.ConnectedState
        if not connected and not sock.bytesAvailable():
            raise AppStopped("disconnected")
        if not sock.waitForReadyRead(int(timeout * 1000)):
            if sock.state() != QLocalSocket.LocalSocketState.ConnectedState:
                raise AppStopped("disconnected")
            raise AppNotResponding(sent=True)
        reply += bytes(sock.readAll().data())
        if len(reply) > MAX_REPLY_BYTES:
            raise AppStopped("reply too long")
    sock.disconnectFromServer()
    return _decode(reply)


def _decode(reply: bytes) -> dict[str, Any]:
    if not reply.endswith(b"\n"):
        raise AppStopped("no complete reply")
    try:
        data = json.loads(reply.decode("utf-8"))
    except (ValueError, RecursionError):
        raise AppStopped("unreadable reply") from None
    if not isinstance(data, dict):
        raise AppStopped("unreadable reply")
    problem = version_problem(data, from_app=True)
    if problem is not None:
        raise VersionMismatch(problem)
    if not isinstance(data.get("ok"), bool):
        raise AppStopped("unreadable reply")
    return data
