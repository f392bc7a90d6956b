"""Native desktop notifications: ``org.freedesktop.Notifications`` on the session bus.

Sent through :mod:`quell.platform.dbus` (jeepney) because ``Notify`` must go out with the
exact signature ``susssasa{sv}i``: GDBus-based servers (GNOME Shell, dunst) refuse the ``i``
that QtDBus sends for ``replaces_id``. Each notification carries Quell's icon name, the
``desktop-entry`` hint (so the desktop groups it under Quell and applies the user's
per-app settings) and, when given, a picture as ``image-data``.

``ActionInvoked`` and ``NotificationClosed`` are broadcast to every client; Quell listens
only while one of its own notifications is open (an idle Quell wakes for nobody else's), and
passes on only those about its own ids.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from jeepney import DBusAddress, MatchRule, Message, new_method_call
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage

from quell import APP_ID, APP_NAME
from quell.platform.dbus import Bus, DBusError

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
NOTIFY_SIGNATURE = "susssasa{sv}i"
IMAGE_SIZE = 64
# A server that does not answer in this long is treated as absent for a while, so a hung one
# costs the GUI thread at most this once a minute (D-Bus activation of dunst takes ~50 ms).
_ASK_TIMEOUT = 0.5
_RETRY_AFTER = 60.0

# NotificationClosed reasons (the specification's numbers).
EXPIRED, DISMISSED, CLOSED, OTHER = 1, 2, 3, 4
LOW, NORMAL, CRITICAL = 0, 1, 2


class Notifications(QObject):
    """Quell's side of the freedesktop notification service.

    Signals:
        action_invoked(int, str): the user chose action *key* on notification *id* ("default"
            is a click on the notification itself).
        closed(int, int): notification *id* went away: 1 expired, 2 dismissed by the user,
            3 closed by a CloseNotification call, 4 other. Not emitted after :meth:`close`.
    """

    action_invoked = Signal(int, str)
    closed = Signal(int, int)

    def __init__(self, bus: Bus | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._explicit_bus = bus
        self._capabilities: frozenset[str] | None = None
        self._failed_at: float | None = None
        self._ours: set[int] = set()
        self._listening_on: Bus | None = None
        self._unsubscribers: list[Callable[[], None]] = []
        self._owner_watch: Callable[[], None] | None = None
        self._owner_bus: Bus | None = None
        self._watched_buses: set[Bus] = set()

    # -- the server ------------------------------------------------------------------------

    def _bus(self) -> Bus | None:
        if self._explicit_bus is not None:
            return self._explicit_bus if self._explicit_bus.is_connected() else None
        return Bus.session()

    def available(self) -> bool:
        """Whether a notification server answers on the session bus (asked once, cached)."""
        return self._ask() is not None

    def capabilities(self) -> frozenset[str]:
        """The server's capabilities ("actions", "body-markup", "sound", ...); empty when
        there is no server. Cached until the server changes."""
        return self._ask() or frozenset()

    def _ask(self) -> frozenset[str] | None:
        bus = self._bus()
        if bus is None:
            return None
        self._watch_owner(bus)
        if self._capabilities is not None:
            return self._capabilities
        if self._failed_at is not None and time.monotonic() - self._failed_at < _RETRY_AFTER:
            return None
        try:
            body = bus.call(self._method("GetCapabilities"), timeout=_ASK_TIMEOUT)
        except DBusError as error:
            self._failed_at = time.monotonic()
            log.info("no notification server (%s)", error.name)
            return None
        self._failed_at = None
        self._capabilities = frozenset(str(c) for c in body[0])
        log.debug("notification server capabilities: %s", sorted(self._capabilities))
        return self._capabilities

    def _watch_owner(self, bus: Bus) -> None:
        """Forget what we know about the server when another one takes over (or it quits)."""
        if self._owner_bus is bus:
            return
        if self._owner_watch is not None:
            self._owner_watch()
        self._capabilities = None
        self._failed_at = None
        rule = MatchRule(type="signal", sender="org.freedesktop.DBus",
                         interface="org.freedesktop.DBus", member="NameOwnerChanged",
                         path="/org/freedesktop/DBus")
        rule.add_arg_condition(0, SERVICE)
        self._owner_watch = bus.subscribe(rule, self._owner_changed)
        self._owner_bus = bus

    def _owner_changed(self, message: Message) -> None:
        _name, old_owner, _new_owner = message.body
        self._failed_at = None
        if not old_owner:
            return  # a server appeared (D-Bus activation by our own GetCapabilities, say)
        # The server quit or was replaced: its ids and capabilities mean nothing now.
        self._capabilities = None
        self._drop_all()

    def _drop_all(self) -> None:
        """Our open notifications are gone with their server: each ends as "other"."""
        ours, self._ours = sorted(self._ours), set()
        self._listen(False)
        for notification_id in ours:
            self.closed.emit(notification_id, OTHER)

    # -- notifying -------------------------------------------------------------------------

    def notify(self, title: str, body: str, *, actions: Sequence[tuple[str, str]] = (),
               icon: QImage | None = None, timeout_ms: int = -1, replaces: int = 0,
               urgency: int = NORMAL, category: str = "", sound: str = "") -> int:
        """Show a notification; returns its id (0 when it could not be shown, logged).

        *actions* are (key, label) pairs, shown only by servers with the "actions"
        capability; *sound* is a freedesktop sound name, sent only to servers with "sound".
        """
        bus = self._bus()
        capabilities = self._ask()
        if bus is None or capabilities is None:
            return 0
        if "body-markup" in capabilities:
            body = _escape(body)
        hints: dict[str, tuple[str, object]] = {
            "desktop-entry": ("s", APP_ID),
            "urgency": ("y", max(LOW, min(CRITICAL, urgency))),
        }
        if category:
            hints["category"] = ("s", category)
        if sound and "sound" in capabilities:
            hints["sound-name"] = ("s", sound)
        if icon is not None and not icon.isNull():
            hints["image-data"] = ("(iiibiiay)", image_data(icon))
        flat: list[str] = []
        for key, label in actions:
            flat += [key, label]
        self._listen(True, bus)  # before Notify: an answer may follow its reply at once
        try:
            reply = bus.call(self._method(
                "Notify", NOTIFY_SIGNATURE,
                (APP_NAME, replaces, APP_ID, title, body, flat, hints, timeout_ms)),
                timeout=_ASK_TIMEOUT)
        except DBusError as error:
            log.warning("the notification was not shown: %s", error)
            if not self._ours:
                self._listen(False)
            return 0
        notification_id = int(reply[0])
        self._ours.add(notification_id)
        return notification_id

    def close(self, notification_id: int) -> None:
        """Withdraw notification *id*; no ``closed`` signal follows for it."""
        if notification_id not in self._ours:
            return
        self._ours.discard(notification_id)
        bus = self._bus()
        if bus is not None:
            bus.call_async(self._method("CloseNotification", "u", (notification_id,)),
                           None, lambda error: log.debug("CloseNotification: %s", error),
                           timeout=2.0)
        if not self._ours:
            self._listen(False)

    def is_open(self, notification_id: int) -> bool:
        return notification_id in self._ours

    # -- the server's answers --------------------------------------------------------------

    def _listen(self, on: bool, bus: Bus | None = None) -> None:
        if on and self._listening_on is bus and self._unsubscribers:
            return
        for unsubscribe in self._unsubscribers:
            unsubscribe()
        self._unsubscribers = []
        self._listening_on = None
        if not on or bus is None:
            return
        for member, handler in (("ActionInvoked", self._on_action),
                                ("NotificationClosed", self._on_closed)):
            rule = MatchRule(type="signal", sender=SERVICE, interface=INTERFACE,
                             member=member, path=PATH)
            self._unsubscribers.append(bus.subscribe(rule, handler))
        self._listening_on = bus
        if bus not in self._watched_buses:
            self._watched_buses.add(bus)
            bus.disconnected.connect(self._bus_lost)

    def _bus_lost(self) -> None:
        self._unsubscribers = []  # the bus dropped them with the connection
        self._owner_watch = None
        self._owner_bus = None
        self._capabilities = None
        self._drop_all()

    def _on_action(self, message: Message) -> None:
        notification_id, key = int(message.body[0]), str(message.body[1])
        if notification_id in self._ours:
            self.action_invoked.emit(notification_id, key)

    def _on_closed(self, message: Message) -> None:
        notification_id, reason = int(message.body[0]), int(message.body[1])
        if notification_id not in self._ours:
            return
        self._ours.discard(notification_id)
        if not self._ours:
            self._listen(False)
        self.closed.emit(notification_id, reason)

    @staticmethod
    def _method(member: str, signature: str | None = None, body: tuple[object, ...] = ()
                ) -> Message:
        address = DBusAddress(PATH, bus_name=SERVICE, interface=INTERFACE)
        return new_method_call(address, member, signature, body)


def image_data(image: QImage, size: int = IMAGE_SIZE) -> tuple[int, int, int, bool, int, int,
                                                                 bytes]:
    """*image* as the specification's ``image-data`` struct (iiibiiay): width, height,
    rowstride, has_alpha, bits_per_sample, channels, RGBA bytes; scaled to fit *size* px."""
    if image.width() > size or image.height() > size:
        image = image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    data = bytes(rgba.constBits())[:rgba.sizeInBytes()]
    return (rgba.width(), rgba.height(), rgba.bytesPerLine(), True, 8, 4, data)


def _escape(text: str) -> str:
    """Plain text for a server that reads the body as markup (a "&" would break it)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
