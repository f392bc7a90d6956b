"""Talking to the running app: one JSON line in, one JSON line out, over a per-user socket.

The server side (Qt's QLocalServer) lives in ``desktop.app.server``; this client needs no Qt on
POSIX, so command-line calls stay fast.
"""

from __future__ import annotations

import json
import os
import socket
from typing import Any

from desktop.storage.paths import Paths

TIMEOUT_SECONDS = 5.0


class AppNotResponding(Exception):
    """The app accepted the connection but did not answer in time."""


def send(paths: Paths, request: dict[str, Any]) -> dict[str, Any] | None:
    """Send *request* to the running app; None when no app is listening."""
    payload = (json.dumps(request) + "\n").encode("utf-8")
    if os.name != "posix":
        return _send_qt(paths.socket_name, payload)
    path = paths.socket_name
    if not os.path.exists(path):
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(TIMEOUT_SECONDS)
        try:
            sock.connect(path)
        except OSError:
            return None  # a stale socket file from an app that is gone
        try:
            sock.sendall(payload)
            reply = b""
            while not reply.endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                reply += chunk
        except TimeoutError:
            raise AppNotResponding from None
    return _decode(reply)


def _send_qt(name: str, payload: bytes) -> dict[str, Any] | None:
    from PySide6.QtNetwork import QLocalSocket

    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(500):
        return None
    sock.write(payload)
    sock.flush()
    reply = b""
    while not reply.endswith(b"\n"):
        if not sock.waitForReadyRead(int(TIMEOUT_SECONDS * 1000)):
            raise AppNotResponding
        reply += bytes(sock.readAll().data())
    sock.disconnectFromServer()
    return _decode(reply)


def _decode(reply: bytes) -> dict[str, Any]:
    if not reply:
        raise AppNotResponding
    data = json.loads(reply.decode("utf-8"))
    if not isinstance(data, dict):
        raise AppNotResponding
    return data
