"""A private D-Bus daemon for tests, and a way to serve small test services on it.

Tests of desktop services run the app's real code against a real ``dbus-daemon`` (Debian's
``dbus-daemon`` package; ``.ci/run`` installs it) with small services that play the desktop's
part (a notification server, a screen saver, logind). Nothing here touches the user's buses.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from jeepney import DBusAddress, HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection

_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def dbus_daemon_path() -> str | None:
    return shutil.which("dbus-daemon")


@contextmanager
def private_bus() -> Iterator[str]:
    """Start a private bus and yield its address; the daemon is stopped afterwards."""
    daemon = dbus_daemon_path()
    if daemon is None:
        raise RuntimeError("dbus-daemon is not installed (Debian: apt install dbus-daemon)")
    with tempfile.TemporaryDirectory(prefix="quell-bus-") as folder:
        config = os.path.join(folder, "bus.conf")
        with open(config, "w", encoding="utf-8") as handle:
            handle.write(_CONFIG.format(folder=folder))
        process = subprocess.Popen(
            [daemon, f"--config-file={config}", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            assert process.stdout is not None
            address = process.stdout.readline().strip()
            if not address:
                raise RuntimeError("dbus-daemon did not start")
            yield address
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()


Handler = Callable[..., Any]


class TestService:
    """A service on the bus, answered from a thread: ``methods`` maps (interface, member) to
    ``(reply_signature, handler)``; a handler gets the call's body as arguments and returns
    the reply's body as a tuple (or raises ``ServiceError`` for a D-Bus error).

    ``calls`` records every method call as (interface, member, body). ``emit`` sends a signal.
    """

    __test__ = False  # not a pytest test class

    def __init__(self, address: str, name: str | None,
                 methods: dict[tuple[str, str], tuple[str, Handler]]) -> None:
        self.address = address
        self.name = name
        self.methods = methods
        self.calls: list[tuple[str, str, tuple[Any, ...]]] = []
        self._lock = threading.Lock()
        self._connection: DBusConnection = open_dbus_connection(address)
        if name is not None:
            reply = self._connection.send_and_get_reply(
                message_bus.RequestName(name, 4), timeout=5)  # 4: do not queue
            if reply.body[0] != 1:
                raise RuntimeError(f"could not own {name}: {reply.body}")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def unique_name(self) -> str:
        return str(self._connection.unique_name)

    def emit(self, path: str, interface: str, member: str, signature: str = "",
             body: tuple[Any, ...] = ()) -> None:
        from jeepney import new_signal

        message = new_signal(DBusAddress(path, interface=interface), member, signature, body)
        with self._lock:
            self._connection.send(message)

    def calls_to(self, member: str) -> list[tuple[Any, ...]]:
        return [body for _iface, name, body in list(self.calls) if name == member]

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                message = self._connection.receive(timeout=0.05)
            except TimeoutError:
                continue
            except (OSError, ValueError):
                return
            header = message.header
            if header.message_type is not MessageType.method_call:
                continue
            interface = header.fields.get(HeaderFields.interface, "")
            member = header.fields.get(HeaderFields.member, "")
            self.calls.append((interface, member, tuple(message.body)))
            entry = self.methods.get((interface, member))
            if entry is None:
                reply = new_error(message, "org.freedesktop.DBus.Error.UnknownMethod",
                                  "s", (f"no {interface}.{member} here",))
            else:
                signature, handler = entry
                try:
                    body = handler(*message.body)
                    reply = new_method_return(message, signature, tuple(body))
                except ServiceError as error:
                    reply = new_error(message, error.name, "s", (error.text,))
            with self._lock:
                self._connection.send(reply)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._connection.close()


class ServiceError(Exception):
    def __init__(self, name: str, text: str = "") -> None:
        super().__init__(text)
        self.name = name
        self.text = text
