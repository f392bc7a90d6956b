"""A notification server for tests: plays the desktop's org.freedesktop.Notifications.

It records every ``Notify`` (parsed into :class:`NotifyCall`), refuses one whose signature is
not exactly ``susssasa{sv}i`` as GDBus servers (GNOME Shell, dunst) do, advertises the
capabilities it is given, serves the ``Inhibited`` property (do-not-disturb) through
org.freedesktop.DBus.Properties Get/GetAll and announces changes with PropertiesChanged, and
emits ``ActionInvoked`` / ``NotificationClosed`` when a test plays the user.

    server = FakeNotificationServer(session_bus, capabilities=("actions", "body"))
    ...
    server.invoke(server.notifications[-1].id, "done")
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jeepney import HeaderFields

from tests.dbus_daemon import ServiceError, TestService

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
PROPERTIES = "org.freedesktop.DBus.Properties"
NOTIFY_SIGNATURE = "susssasa{sv}i"
DEFAULT_CAPABILITIES = ("actions", "body", "body-markup", "icon-static", "persistence")


@dataclass(frozen=True)
class NotifyCall:
    """One Notify as the server received it (hints as jeepney gives them: key -> (sig, value))."""

    id: int
    app_name: str
    replaces_id: int
    app_icon: str
    summary: str
    body: str
    actions: tuple[tuple[str, str], ...]
    hints: dict[str, tuple[str, Any]]
    expire_timeout: int
    signature: str

    def hint(self, key: str) -> Any:
        """The hint's value (without its signature), None when absent."""
        entry = self.hints.get(key)
        return None if entry is None else entry[1]

    @property
    def action_keys(self) -> tuple[str, ...]:
        return tuple(key for key, _label in self.actions)


class FakeNotificationServer(TestService):
    """org.freedesktop.Notifications on *address*; see the module's docstring."""

    def __init__(self, address: str, capabilities: Iterable[str] = DEFAULT_CAPABILITIES,
                 *, inhibited: bool | None = False, name: str = SERVICE) -> None:
        """*inhibited* None: a server without the Inhibited property (older servers)."""
        self.capabilities = list(capabilities)
        self.inhibited = inhibited
        self.notifications: list[NotifyCall] = []
        self.closed_by_client: list[int] = []
        self._ids = itertools.count(1)
        self._last_signature = ""
        methods = {
            (INTERFACE, "GetCapabilities"): ("as", lambda: (list(self.capabilities),)),
            (INTERFACE, "GetServerInformation"):
                ("ssss", lambda: ("fake-notifications", "Quell tests", "1.0", "1.2")),
            (INTERFACE, "Notify"): ("u", self._notify),
            (INTERFACE, "CloseNotification"): ("", self._close),
            (PROPERTIES, "Get"): ("v", self._get),
            (PROPERTIES, "GetAll"): ("a{sv}", self._get_all),
        }
        super().__init__(address, name, methods)
        receive = self._connection.receive

        def receive_noting_signature(*, timeout: float | None = None) -> Any:
            message = receive(timeout=timeout)
            self._last_signature = str(message.header.fields.get(HeaderFields.signature, ""))
            return message

        # The served thread reads through this attribute on each message; wrapping it lets
        # Notify check the signature the way GDBus does (jeepney parses "i" and "u" alike).
        self._connection.receive = receive_noting_signature  # type: ignore[method-assign]

    # -- what the client calls -------------------------------------------------------------

    def _notify(self, app_name: str, replaces_id: int, app_icon: str, summary: str, body: str,
                actions: list[str], hints: dict[str, tuple[str, Any]],
                expire_timeout: int) -> tuple[int]:
        signature = self._last_signature
        if signature != NOTIFY_SIGNATURE:
            raise ServiceError("org.freedesktop.DBus.Error.InvalidArgs",
                               f"Type of message, '({signature})', does not match expected "
                               f"type '({NOTIFY_SIGNATURE})'")
        notification_id = replaces_id or next(self._ids)
        pairs = tuple(zip(actions[::2], actions[1::2], strict=True))
        self.notifications.append(NotifyCall(
            notification_id, app_name, replaces_id, app_icon, summary, body, pairs,
            dict(hints), expire_timeout, signature))
        return (notification_id,)

    def _close(self, notification_id: int) -> tuple[()]:
        self.closed_by_client.append(notification_id)
        self.emit(PATH, INTERFACE, "NotificationClosed", "uu", (notification_id, 3))
        return ()

    def _properties(self) -> dict[str, tuple[str, Any]]:
        return {} if self.inhibited is None else {"Inhibited": ("b", self.inhibited)}

    def _get(self, interface: str, name: str) -> tuple[tuple[str, Any]]:
        properties = self._properties() if interface == INTERFACE else {}
        if name not in properties:
            raise ServiceError("org.freedesktop.DBus.Error.UnknownProperty",
                               f"no property {interface}.{name}")
        return (properties[name],)

    def _get_all(self, interface: str) -> tuple[dict[str, tuple[str, Any]]]:
        return (self._properties() if interface == INTERFACE else {},)

    # -- what the test does as the user or the desktop ------------------------------------

    @property
    def last(self) -> NotifyCall:
        return self.notifications[-1]

    def invoke(self, notification_id: int, action: str = "default", *,
               then_close: bool = True) -> None:
        """The user chose *action*; like most servers, the notification then closes (2)."""
        self.emit(PATH, INTERFACE, "ActionInvoked", "us", (notification_id, action))
        if then_close:
            self.emit(PATH, INTERFACE, "NotificationClosed", "uu", (notification_id, 2))

    def expire(self, notification_id: int) -> None:
        self.emit(PATH, INTERFACE, "NotificationClosed", "uu", (notification_id, 1))

    def dismiss(self, notification_id: int) -> None:
        self.emit(PATH, INTERFACE, "NotificationClosed", "uu", (notification_id, 2))

    def set_inhibited(self, inhibited: bool) -> None:
        """Do-not-disturb on or off: the property changes and PropertiesChanged is emitted."""
        self.inhibited = inhibited
        self.emit(PATH, PROPERTIES, "PropertiesChanged", "sa{sv}as",
                  (INTERFACE, {"Inhibited": ("b", inhibited)}, []))
