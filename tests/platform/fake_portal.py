"""A fake xdg-desktop-portal on a private bus: the Background portal's RequestBackground.

It plays the real portal's part as the spec describes it: the call returns the Request
object's path at once (``/org/freedesktop/portal/desktop/request/SENDER/TOKEN``, built from
the caller's unique name and its ``handle_token``), and the answer comes later as that
Request's ``Response(u response, a{sv} results)`` signal.
"""

from __future__ import annotations

import threading
from typing import Any

from jeepney import DBusAddress, HeaderFields, MessageType, new_error, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

NAME = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
BACKGROUND = "org.freedesktop.portal.Background"
REQUEST = "org.freedesktop.portal.Request"


class FakePortal:
    """Answers RequestBackground. ``requests`` holds each call's (parent_window, options) with
    the variants unwrapped.

    - ``response``: 0 granted, 1 the user said no, 2 another failure;
    - ``allow_autostart``: what ``results["autostart"]`` says when autostart was asked for;
    - ``answer``: False never sends the Response (a portal stuck on its dialog);
    - ``ignore_token``: reply with a path of its own, as portals before 0.9 did;
    - ``delay``: seconds between the call's reply and the Response.
    """

    __test__ = False

    def __init__(self, address: str) -> None:
        self.response = 0
        self.allow_autostart = True
        self.answer = True
        self.ignore_token = False
        self.delay = 0.05
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()
        self._connection = open_dbus_connection(address)
        reply = self._connection.send_and_get_reply(message_bus.RequestName(NAME, 4), timeout=5)
        if reply.body[0] != 1:
            raise RuntimeError(f"could not own {NAME}: {reply.body}")
        self._timers: list[threading.Timer] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

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
            fields = header.fields
            if (fields.get(HeaderFields.interface), fields.get(HeaderFields.member)) != (
                    BACKGROUND, "RequestBackground") or fields.get(HeaderFields.path) != PATH:
                self._send(new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s",
                                     ("not here",)))
                continue
            parent, options = message.body
            plain = {key: value for key, (_sig, value) in options.items()}
            self.requests.append((parent, plain))
            sender = str(fields[HeaderFields.sender]).lstrip(":").replace(".", "_")
            token = plain.get("handle_token", "t0")
            if self.ignore_token:
                token = "portal_chose_this"
            handle = f"{PATH}/request/{sender}/{token}"
            self._send(new_method_return(message, "o", (handle,)))
            if self.answer:
                asked = bool(plain.get("autostart", False))
                results = {"background": ("b", True),
                           "autostart": ("b", asked and self.allow_autostart)}
                timer = threading.Timer(self.delay, self._respond, (handle, results))
                self._timers.append(timer)
                timer.start()

    def _respond(self, handle: str, results: dict[str, Any]) -> None:
        signal = new_signal(DBusAddress(handle, interface=REQUEST), "Response", "ua{sv}",
                            (self.response, results))
        self._send(signal)

    def _send(self, message: Any) -> None:
        with self._lock:
            if not self._stop.is_set():
                self._connection.send(message)

    def close(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._stop.set()
        self._thread.join(timeout=5)
        self._connection.close()
