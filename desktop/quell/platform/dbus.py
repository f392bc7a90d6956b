"""One D-Bus connection per bus, driven by the Qt event loop (jeepney; no threads).

Why not QtDBus: PySide6 cannot marshal some signatures exactly (``Notify``'s ``replaces_id``
goes out as ``i``, which GNOME Shell and dunst refuse), and its ``connect`` silently connects
nothing unless the slot is spelt as a SLOT() string (the 0.1 sleep hook never fired). jeepney
marshals exactly what the signature says; here it is read by a QSocketNotifier on the GUI
thread, so every reply and signal handler runs on the GUI thread.

Rules that keep the GUI safe:

- :meth:`Bus.call` blocks for at most its timeout (default 250 ms). Messages that arrive while
  it waits are queued and dispatched from the event loop afterwards, never re-entrantly.
- No exception escapes into a Qt slot: a failing handler is logged, and a daemon that dies
  only ends the connection (:attr:`Bus.disconnected`; pending calls fail with ``Disconnected``).
- Addresses are read from the environment each time :meth:`Bus.session` / :meth:`Bus.system`
  is asked, and one connection is shared per address (tests point them at private daemons).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import select
import socket
import time
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any, ClassVar

from jeepney import (
    DBusAddress,
    HeaderFields,
    MatchRule,
    Message,
    MessageType,
    Parser,
    new_error,
    new_method_call,
    new_method_return,
)
from jeepney.auth import BEGIN, AuthenticationError, Authenticator
from jeepney.bus import get_connectable_addresses
from jeepney.bus_messages import message_bus
from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, QTimer, Signal

log = logging.getLogger(__name__)

SYSTEM_BUS_DEFAULT = "unix:path=/var/run/dbus/system_bus_socket"
NO_REPLY = "org.freedesktop.DBus.Error.NoReply"
DISCONNECTED = "org.freedesktop.DBus.Error.Disconnected"
_CONNECT_TIMEOUT = 1.0  # connect + authenticate + Hello; a local daemon answers in ~1 ms
_SEND_TIMEOUT = 1.0  # a send that cannot proceed this long means the daemon is wedged


class DBusUnavailable(Exception):
    """No such bus, or it cannot be connected to or authenticated with."""


class DBusError(Exception):
    """An error reply (``name`` is the D-Bus error name), or a timeout (``NoReply``)."""

    def __init__(self, name: str, message: str = "") -> None:
        super().__init__(f"{name}: {message}" if message else name)
        self.name = name
        self.message = message


ReplyHandler = Callable[[tuple[Any, ...]], None]
ErrorHandler = Callable[[DBusError], None]
SignalHandler = Callable[[Message], None]


class _Pending:
    __slots__ = ("deadline", "on_error", "on_reply")

    def __init__(self, on_reply: ReplyHandler | None, on_error: ErrorHandler | None,
                 deadline: float) -> None:
        self.on_reply = on_reply
        self.on_error = on_error
        self.deadline = deadline


class _Subscription:
    __slots__ = ("handler", "local", "rule")

    def __init__(self, rule: MatchRule, handler: SignalHandler) -> None:
        self.rule = rule
        self.local = _local_rule(rule)
        self.handler = handler


def _local_rule(rule: MatchRule) -> MatchRule:
    """The rule as matched here. Signals carry the sender's unique name (":1.42"), never the
    well-known one a rule may name ("org.freedesktop.Notifications"); the daemon already
    filters by the well-known name, so locally that field is left out."""
    sender = rule.header_fields.get("sender")
    if sender is None or sender.startswith(":") or sender == "org.freedesktop.DBus":
        return rule
    local = MatchRule()
    local.message_type = rule.message_type
    local.header_fields = {k: v for k, v in rule.header_fields.items() if k != "sender"}
    local.path_namespace = rule.path_namespace
    local.eavesdrop = rule.eavesdrop
    local.arg_conditions = dict(rule.arg_conditions)
    return local


def _error_of(message: Message) -> DBusError:
    name = str(message.header.fields.get(HeaderFields.error_name, "org.freedesktop.DBus.Error"))
    text = message.body[0] if message.body and isinstance(message.body[0], str) else ""
    return DBusError(name, text)


class Bus(QObject):
    """A connection to one bus. Get the shared ones with :meth:`session` / :meth:`system`.

    Signals:
        disconnected(): the bus went away (daemon stopped); the connection is finished, and
            the next :meth:`session` / :meth:`system` makes a new one if a bus is back.
    """

    disconnected = Signal()

    _shared: ClassVar[dict[str, Bus]] = {}

    def __init__(self, sock: socket.socket, address: str, parent: QObject | None = None) -> None:
        """Use :meth:`at`; *sock* is connected and authenticated, and non-blocking."""
        super().__init__(parent)
        self.address = address
        self.unique_name = ""
        self._sock: socket.socket | None = sock
        # A Bus dropped without close() (or whose loss was never dispatched) still closes
        # its socket.
        weakref.finalize(self, _close_quietly, sock)
        self._parser = Parser()
        self._serials = itertools.count(1)
        self._incoming: deque[Message] = deque()
        self._pending: dict[int, _Pending] = {}
        self._subscriptions: dict[int, _Subscription] = {}
        self._subscription_ids = itertools.count(1)
        self._dispatching = False
        self._dispatch_scheduled = False
        self._lost = False
        self._notifier: QSocketNotifier | None = None
        # One timer for every pending call's timeout (the soonest). Not one QTimer per call:
        # a lambda connected to a child timer would hold the Bus, and deleting that timer
        # could then delete the Bus in the middle of the timer's own destructor.
        self._timeouts = QTimer(self)
        self._timeouts.setSingleShot(True)
        self._timeouts.timeout.connect(self._expire_due)
        try:
            reply = self.call(message_bus.Hello(), timeout=_CONNECT_TIMEOUT)
        except DBusError as error:
            self._close_socket()
            raise DBusUnavailable(f"no Hello from {address}: {error}") from error
        self.unique_name = str(reply[0])
        self._incoming.clear()  # NameAcquired for our own name: nobody subscribed yet
        self._notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)

    # -- getting a bus ---------------------------------------------------------------------

    @classmethod
    def at(cls, address: str) -> Bus:
        """A new connection to *address*; raises :class:`DBusUnavailable`."""
        if not hasattr(socket, "AF_UNIX") or not hasattr(os, "geteuid"):
            raise DBusUnavailable("D-Bus needs Unix sockets (not on Windows)")
        sock = None
        last: Exception | None = None
        try:
            paths = list(get_connectable_addresses(address))
        except (RuntimeError, ValueError) as error:
            raise DBusUnavailable(f"unusable D-Bus address {address!r}: {error}") from error
        for path in paths:
            try:
                sock = _connect(path)
                break
            except (OSError, AuthenticationError) as error:
                last = error
        if sock is None:
            raise DBusUnavailable(f"cannot connect to {address}: {last}")
        return cls(sock, address)

    @classmethod
    def session(cls) -> Bus | None:
        """The shared session bus (DBUS_SESSION_BUS_ADDRESS, read now); None without one."""
        address = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
        return cls._shared_at(address) if address else None

    @classmethod
    def system(cls) -> Bus | None:
        """The shared system bus (DBUS_SYSTEM_BUS_ADDRESS or the standard socket)."""
        address = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS", "") or SYSTEM_BUS_DEFAULT
        return cls._shared_at(address)

    @classmethod
    def _shared_at(cls, address: str) -> Bus | None:
        bus = cls._shared.get(address)
        if bus is not None and bus.is_connected():
            return bus
        try:
            bus = cls.at(address)
        except DBusUnavailable as error:
            log.debug("%s", error)
            return None
        cls._shared[address] = bus
        return bus

    def is_connected(self) -> bool:
        return self._sock is not None

    # -- calls -----------------------------------------------------------------------------

    def call(self, message: Message, timeout: float = 0.25) -> tuple[Any, ...]:
        """Send *message* and wait up to *timeout* seconds for its reply; returns the body.

        Raises :class:`DBusError` for an error reply, a timeout (``NoReply``) or a lost bus
        (``Disconnected``). Other messages read meanwhile wait for the event loop.
        """
        serial = next(self._serials)
        self._send(message, serial)
        deadline = time.monotonic() + timeout
        try:
            while True:
                reply = self._take_reply(serial)
                if reply is not None:
                    if reply.header.message_type is MessageType.error:
                        raise _error_of(reply)
                    return tuple(reply.body)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise DBusError(NO_REPLY, f"no reply within {timeout:g} s")
                sock = self._sock
                if sock is None:
                    raise DBusError(DISCONNECTED, "the bus went away")
                try:
                    readable, _, _ = select.select([sock], [], [], remaining)
                except (OSError, ValueError) as error:
                    self._read_failed(error)
                    continue
                if readable:
                    self._read_available()
        finally:
            if self._incoming:
                self._schedule_dispatch()

    def call_async(self, message: Message, on_reply: ReplyHandler | None = None,
                   on_error: ErrorHandler | None = None, timeout: float = 5.0) -> None:
        """Send *message*; *on_reply(body)* or *on_error(error)* runs later on the GUI thread
        (a timeout is a ``NoReply`` error). Never calls back before this returns."""
        serial = next(self._serials)
        self._pending[serial] = _Pending(on_reply, on_error, time.monotonic() + timeout)
        with contextlib.suppress(DBusError):  # a lost bus fails the pending entry later
            self._send(message, serial)
        if self._sock is None and not self._lost:
            self._pending.pop(serial, None)
            if on_error is not None:
                err = DBusError(DISCONNECTED, "the connection is closed")
                QTimer.singleShot(0, self, lambda: _safely(on_error, err))
            return
        self._arm_timeouts()

    def get_property(self, bus_name: str, path: str, interface: str, name: str,
                     timeout: float = 0.25) -> Any:
        """org.freedesktop.DBus.Properties.Get: the variant's value. Raises DBusError."""
        address = DBusAddress(path, bus_name=bus_name, interface="org.freedesktop.DBus.Properties")
        body = self.call(new_method_call(address, "Get", "ss", (interface, name)), timeout)
        _signature, value = body[0]
        return value

    def name_has_owner(self, name: str, timeout: float = 0.25) -> bool:
        """Whether someone owns *name* now (False also when the bus does not answer)."""
        try:
            return bool(self.call(message_bus.NameHasOwner(name), timeout)[0])
        except DBusError as error:
            log.debug("NameHasOwner(%s): %s", name, error)
            return False

    # -- signals ---------------------------------------------------------------------------

    def subscribe(self, rule: MatchRule, handler: SignalHandler) -> Callable[[], None]:
        """Run *handler(message)* for each signal matching *rule*; returns the unsubscriber.

        The match is in place at the bus when this returns (AddMatch is awaited, up to 1 s),
        so a signal emitted right afterwards is not missed. Safe to call the unsubscriber
        twice, or after the bus went away.
        """
        key = next(self._subscription_ids)
        self._subscriptions[key] = _Subscription(rule, handler)
        text = rule.serialise()
        try:
            self.call(message_bus.AddMatch(rule), timeout=1.0)
        except DBusError as error:
            log.info("AddMatch %s failed: %s", text, error)

        def unsubscribe() -> None:
            if self._subscriptions.pop(key, None) is None or self._sock is None:
                return
            # the daemon keeps one entry per AddMatch, so each subscription removes its own
            self.call_async(message_bus.RemoveMatch(rule), None,
                            lambda error: log.debug("RemoveMatch %s: %s", text, error), 1.0)

        return unsubscribe

    # -- the end ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection. Pending calls are dropped silently; no signal is emitted."""
        self._timeouts.stop()
        self._pending.clear()
        self._subscriptions.clear()
        self._incoming.clear()
        self._close_socket()
        if Bus._shared.get(self.address) is self:
            del Bus._shared[self.address]

    def _close_socket(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._sock is not None:
            _close_quietly(self._sock)
            self._sock = None

    # -- internals -------------------------------------------------------------------------

    def _send(self, message: Message, serial: int) -> None:
        sock = self._sock
        if sock is None:
            raise DBusError(DISCONNECTED, "the connection is closed")
        data = memoryview(message.serialise(serial=serial))
        deadline = time.monotonic() + _SEND_TIMEOUT
        try:
            while data:
                try:
                    sent = sock.send(data)
                    data = data[sent:]
                except BlockingIOError:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise OSError("the bus does not take our messages") from None
                    select.select([], [sock], [], remaining)
        except OSError as error:
            self._read_failed(error)
            raise DBusError(DISCONNECTED, str(error)) from error

    def _read_available(self) -> None:
        """Read everything the socket has now into the queue (non-blocking)."""
        sock = self._sock
        if sock is None:
            return
        while True:
            try:
                data = sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                break
            except OSError as error:
                self._read_failed(error)
                return
            if not data:
                self._read_failed(None)
                return
            try:
                self._parser.add_data(data)
                while (message := self._parser.get_next_message()) is not None:
                    self._incoming.append(message)
            except Exception as error:  # a malformed stream: nothing after it can be trusted
                self._read_failed(error)
                return

    def _take_reply(self, serial: int) -> Message | None:
        for message in self._incoming:
            if (message.header.message_type in (MessageType.method_return, MessageType.error)
                    and message.header.fields.get(HeaderFields.reply_serial) == serial):
                self._incoming.remove(message)
                return message
        return None

    def _read_failed(self, error: Exception | None) -> None:
        """The connection is finished: close now, tell everyone from the event loop."""
        if self._sock is None:
            return
        if error is None:
            log.info("D-Bus %s went away", self.address)
        else:
            log.info("D-Bus %s failed: %s", self.address, error)
        self._close_socket()
        self._lost = True
        if Bus._shared.get(self.address) is self:
            del Bus._shared[self.address]
        self._schedule_dispatch()

    def _schedule_dispatch(self) -> None:
        if self._dispatch_scheduled or self._dispatching:
            return
        if QCoreApplication.instance() is None:
            return  # no event loop (a CLI): nothing could run the handlers anyway
        self._dispatch_scheduled = True
        QTimer.singleShot(0, self, self._dispatch)

    def _on_readable(self) -> None:
        try:
            self._read_available()
            self._dispatch()
        except Exception:  # never into Qt
            log.exception("D-Bus read failed")

    def _dispatch(self) -> None:
        self._dispatch_scheduled = False
        if self._dispatching:
            return
        self._dispatching = True
        try:
            while self._incoming:
                self._route(self._incoming.popleft())
            if self._lost:
                self._finish_lost()
        finally:
            self._dispatching = False

    def _route(self, message: Message) -> None:
        header = message.header
        kind = header.message_type
        if kind in (MessageType.method_return, MessageType.error):
            entry = self._pending.pop(header.fields.get(HeaderFields.reply_serial, -1), None)
            if entry is None:
                return  # the reply to a call that timed out
            if not self._pending:
                self._timeouts.stop()
            if kind is MessageType.error:
                if entry.on_error is not None:
                    _safely(entry.on_error, _error_of(message))
                else:
                    log.debug("unhandled D-Bus error: %s", _error_of(message))
            elif entry.on_reply is not None:
                _safely(entry.on_reply, tuple(message.body))
        elif kind is MessageType.signal:
            for sub in list(self._subscriptions.values()):
                if sub.local.matches(message):
                    _safely(sub.handler, message)
        elif kind is MessageType.method_call:
            self._answer(message)

    def _answer(self, message: Message) -> None:
        """Someone called us: we serve nothing but Peer.Ping (callers should not hang)."""
        fields = message.header.fields
        if fields.get(HeaderFields.interface) == "org.freedesktop.DBus.Peer" and \
                fields.get(HeaderFields.member) == "Ping":
            reply = new_method_return(message)
        else:
            reply = new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s",
                              ("Quell serves no methods here",))
        with contextlib.suppress(DBusError):
            self._send(reply, next(self._serials))

    def _arm_timeouts(self) -> None:
        if not self._pending:
            self._timeouts.stop()
            return
        soonest = min(entry.deadline for entry in self._pending.values())
        wait = max(0, int((soonest - time.monotonic()) * 1000) + 1)
        if not self._timeouts.isActive() or self._timeouts.remainingTime() > wait:
            self._timeouts.start(wait)

    def _expire_due(self) -> None:
        now = time.monotonic()
        due = [serial for serial, entry in self._pending.items() if entry.deadline <= now]
        for serial in due:
            entry = self._pending.pop(serial)
            if entry.on_error is not None:
                _safely(entry.on_error, DBusError(NO_REPLY, "no reply in time"))
        self._arm_timeouts()

    def _finish_lost(self) -> None:
        self._lost = False
        pending, self._pending = self._pending, {}
        self._timeouts.stop()
        for entry in pending.values():
            if entry.on_error is not None:
                _safely(entry.on_error, DBusError(DISCONNECTED, "the bus went away"))
        self._subscriptions.clear()
        try:
            self.disconnected.emit()
        except Exception:
            log.exception("a D-Bus disconnected handler failed")


def _close_quietly(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.close()


def _safely(function: Callable[[Any], None], argument: Any) -> None:
    try:
        function(argument)
    except Exception:
        log.exception("a D-Bus handler failed")


def _connect(path: str) -> socket.socket:
    """A Unix socket at *path*, authenticated (EXTERNAL) and then made non-blocking."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # not inherited (PEP 446)
    try:
        sock.settimeout(_CONNECT_TIMEOUT)
        sock.connect(path)
        auth = Authenticator()
        for line in auth:
            sock.sendall(line)
            data = sock.recv(1024)
            if not data:
                raise OSError("the bus closed the connection during authentication")
            auth.feed(data)
        sock.sendall(BEGIN)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


def reset_shared_buses() -> None:
    """Close and forget the shared session/system connections (tests: a new bus each)."""
    for bus in list(Bus._shared.values()):
        bus.close()
    Bus._shared.clear()
