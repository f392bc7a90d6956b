"""The running app's local server: raises the window or runs commands from the command line."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from desktop.core.errors import InputError
from desktop.storage.paths import Paths, ensure_private_dir

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 64 * 1024


class CommandServer(QObject):
    """Answers one JSON request per connection from the command line or a second launch.

    *handle* takes a request dict and returns the reply dict; InputError becomes
    ``{"ok": false, "error": ...}``.
    """

    def __init__(self, paths: Paths, handle: Callable[[dict[str, Any]], dict[str, Any]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._handle = handle
        self._runtime = paths.runtime
        self._name = paths.socket_name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

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

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            self._buffers[sock] = b""
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._forget(s))

    def _forget(self, sock: QLocalSocket) -> None:
        self._buffers.pop(sock, None)
        sock.deleteLater()

    def _read(self, sock: QLocalSocket) -> None:
        data = self._buffers.get(sock, b"") + bytes(sock.readAll().data())
        if b"\n" not in data:
            if len(data) > MAX_REQUEST_BYTES:
                sock.abort()
            else:
                self._buffers[sock] = data
            return
        line = data.split(b"\n", 1)[0]
        reply = self._reply(line)
        sock.write((json.dumps(reply) + "\n").encode("utf-8"))
        sock.flush()
        sock.disconnectFromServer()

    def _reply(self, line: bytes) -> dict[str, Any]:
        try:
            request = json.loads(line.decode("utf-8"))
            if not isinstance(request, dict):
                raise ValueError("not an object")
        except ValueError:
            return {"ok": False, "error": "malformed request"}
        try:
            return self._handle(request)
        except InputError as error:
            return {"ok": False, "error": str(error)}
        except Exception as error:
            log.exception("request %r failed", request.get("op"))
            return {"ok": False, "error": f"internal error: {error}"}
