"""The Qt-driven D-Bus connection, against a real private dbus-daemon."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from jeepney import DBusAddress, MatchRule, Message, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

from quell.platform.dbus import (
    DISCONNECTED,
    NO_REPLY,
    Bus,
    DBusError,
    DBusUnavailable,
    reset_shared_buses,
)
from tests.dbus_daemon import ServiceError, TestService, private_bus

NAME = "com.example.Quell.Test"
PATH = "/com/example/Test"
IFACE = "com.example.Test"
TARGET = DBusAddress(PATH, bus_name=NAME, interface=IFACE)


def _serve(address: str, **extra: Any) -> TestService:
    def fail() -> tuple:
        raise ServiceError("com.example.Error.Nope", "not today")

    methods = {
        (IFACE, "Add"): ("i", lambda a, b: (a + b,)),
        (IFACE, "Fail"): ("", fail),
        ("org.freedesktop.DBus.Properties", "Get"):
            ("v", lambda iface, prop: (("s", f"{iface}.{prop}"),)),
    }
    methods.update(extra)
    return TestService(address, NAME, methods)


@pytest.fixture
def service(session_bus: str):
    svc = _serve(session_bus)
    yield svc
    svc.close()


def add(a: int, b: int) -> Message:
    return new_method_call(TARGET, "Add", "ii", (a, b))


def test_no_session_bus_is_none_and_a_missing_system_bus_too(qapp) -> None:
    assert Bus.session() is None  # tests/conftest.py unsets it
    assert Bus.system() is None   # ... and points the system bus at a missing socket


def test_at_refuses_an_unusable_address(qapp, tmp_path) -> None:
    with pytest.raises(DBusUnavailable):
        Bus.at("tcp:host=localhost,port=1")
    with pytest.raises(DBusUnavailable):
        Bus.at(f"unix:path={tmp_path}/nothing-here")


def test_session_is_shared_per_address_read_at_call_time(qapp, session_bus, monkeypatch) -> None:
    bus = Bus.session()
    assert bus is not None and bus.unique_name.startswith(":")
    assert Bus.session() is bus
    with private_bus() as other:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", other)
        second = Bus.session()
        assert second is not None and second is not bus
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session_bus)
        assert Bus.session() is bus
        reset_shared_buses()
        assert not bus.is_connected() and not second.is_connected()
    assert Bus.session() is not bus


def test_system_bus_from_its_variable(qapp, system_bus) -> None:
    bus = Bus.system()
    assert bus is not None and bus.address == system_bus
    assert Bus.session() is None


def test_call_returns_the_reply_body(qapp, service) -> None:
    bus = Bus.session()
    assert bus.call(add(2, 3)) == (5,)
    assert service.calls_to("Add") == [(2, 3)]


def test_call_raises_the_error_reply(qapp, service) -> None:
    bus = Bus.session()
    with pytest.raises(DBusError) as caught:
        bus.call(new_method_call(TARGET, "Fail"))
    assert caught.value.name == "com.example.Error.Nope"
    assert caught.value.message == "not today"
    with pytest.raises(DBusError) as unknown:
        bus.call(new_method_call(TARGET, "Missing"))
    assert unknown.value.name == "org.freedesktop.DBus.Error.UnknownMethod"


@pytest.fixture
def silent(session_bus: str):
    """A service that owns its name and never answers anything."""
    connection = open_dbus_connection(session_bus)
    connection.send_and_get_reply(message_bus.RequestName(NAME, 4), timeout=5)
    yield connection
    connection.close()


def test_call_times_out_on_a_service_that_never_answers(qapp, silent) -> None:
    bus = Bus.session()
    started = time.monotonic()
    with pytest.raises(DBusError) as caught:
        bus.call(add(1, 1), timeout=0.2)
    elapsed = time.monotonic() - started
    assert caught.value.name == NO_REPLY
    assert 0.19 <= elapsed < 1.0


def test_call_async_reply_error_and_timeout(qtbot, session_bus, service) -> None:
    bus = Bus.session()
    replies: list[tuple] = []
    errors: list[DBusError] = []
    bus.call_async(add(20, 22), replies.append, errors.append)
    bus.call_async(new_method_call(TARGET, "Fail"), replies.append, errors.append)
    assert replies == [] and errors == []  # never before call_async returns
    qtbot.waitUntil(lambda: len(replies) + len(errors) == 2, timeout=2000)
    assert replies == [(42,)]
    assert [e.name for e in errors] == ["com.example.Error.Nope"]


def test_call_async_times_out(qtbot, silent) -> None:
    bus = Bus.session()
    errors: list[DBusError] = []
    bus.call_async(add(1, 1), lambda body: pytest.fail("a reply?"), errors.append, timeout=0.1)
    qtbot.waitUntil(lambda: bool(errors), timeout=2000)
    assert errors[0].name == NO_REPLY


def _rule(member: str = "Ping", sender: str | None = NAME) -> MatchRule:
    return MatchRule(type="signal", sender=sender, interface=IFACE, member=member, path=PATH)


def test_subscribe_gets_matching_signals_by_well_known_sender(qtbot, service) -> None:
    bus = Bus.session()
    got: list[Message] = []
    other: list[Message] = []
    bus.subscribe(_rule("Ping"), got.append)
    bus.subscribe(_rule("Pong"), other.append)
    service.emit(PATH, IFACE, "Ping", "s", ("hello",))
    qtbot.waitUntil(lambda: bool(got), timeout=2000)
    assert got[0].body == ("hello",)
    assert other == []


def test_unsubscribe_stops_the_handler(qtbot, service) -> None:
    bus = Bus.session()
    got: list[Message] = []
    barrier: list[Message] = []
    stop = bus.subscribe(_rule("Ping"), got.append)
    bus.subscribe(_rule("Pong"), barrier.append)
    stop()
    stop()  # twice is fine
    service.emit(PATH, IFACE, "Ping", "s", ("lost",))
    service.emit(PATH, IFACE, "Pong", "s", ("after",))
    qtbot.waitUntil(lambda: bool(barrier), timeout=2000)
    qtbot.wait(50)
    assert got == []


def test_signals_during_a_blocking_call_wait_for_the_event_loop(qtbot, session_bus) -> None:
    """A signal read while call() waits is not handled inside call() (no re-entrancy)."""
    holder: dict[str, TestService] = {}

    def add_and_ping(a: int, b: int) -> tuple:
        holder["svc"].emit(PATH, IFACE, "Ping", "s", ("meanwhile",))
        return (a + b,)

    svc = TestService(session_bus, NAME, {(IFACE, "Add"): ("i", add_and_ping)})
    holder["svc"] = svc
    try:
        bus = Bus.session()
        got: list[Message] = []
        bus.subscribe(_rule("Ping"), got.append)
        assert bus.call(add(1, 2)) == (3,)
        assert got == []  # read, queued, not yet dispatched
        qtbot.waitUntil(lambda: bool(got), timeout=2000)
        assert got[0].body == ("meanwhile",)
    finally:
        svc.close()


def test_a_failing_handler_is_logged_and_others_still_run(qtbot, service, caplog) -> None:
    bus = Bus.session()
    got: list[Message] = []

    def broken(message: Message) -> None:
        raise RuntimeError("boom")

    bus.subscribe(_rule("Ping"), broken)
    bus.subscribe(_rule("Ping"), got.append)
    service.emit(PATH, IFACE, "Ping", "s", ("x",))
    qtbot.waitUntil(lambda: bool(got), timeout=2000)
    assert "a D-Bus handler failed" in caplog.text


def test_get_property_and_name_has_owner(qapp, service) -> None:
    bus = Bus.session()
    assert bus.get_property(NAME, PATH, IFACE, "Inhibited") == f"{IFACE}.Inhibited"
    assert bus.name_has_owner(NAME) is True
    assert bus.name_has_owner("com.example.Nobody") is False


def test_a_method_call_to_us_gets_an_error_not_silence(qtbot, session_bus) -> None:
    bus = Bus.session()
    result: list[Any] = []

    def ask() -> None:
        with open_dbus_connection(session_bus) as peer:
            ping = new_method_call(DBusAddress("/", bus_name=bus.unique_name,
                                               interface="org.freedesktop.DBus.Peer"), "Ping")
            other = new_method_call(DBusAddress("/", bus_name=bus.unique_name,
                                                interface=IFACE), "Add", "ii", (1, 2))
            result.append(peer.send_and_get_reply(ping, timeout=2).header.message_type.name)
            result.append(peer.send_and_get_reply(other, timeout=2).header.message_type.name)

    thread = threading.Thread(target=ask)
    thread.start()
    qtbot.waitUntil(lambda: len(result) == 2, timeout=4000)
    thread.join()
    assert result == ["method_return", "error"]


def test_a_daemon_that_dies_disconnects_cleanly(qtbot, monkeypatch) -> None:
    daemon = private_bus()
    address = daemon.__enter__()
    try:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        connection = open_dbus_connection(address)
        connection.send_and_get_reply(message_bus.RequestName(NAME, 4), timeout=5)
        bus = Bus.session()
        assert bus is not None
        errors: list[DBusError] = []
        bus.call_async(add(1, 1), None, errors.append, timeout=30)
        bus.subscribe(_rule("Ping"), lambda m: None)
    finally:
        with qtbot.waitSignal(bus.disconnected, timeout=5000):
            daemon.__exit__(None, None, None)
    connection.close()
    assert [e.name for e in errors] == [DISCONNECTED]
    assert not bus.is_connected()
    with pytest.raises(DBusError) as caught:
        bus.call(add(1, 1))
    assert caught.value.name == DISCONNECTED
    late: list[DBusError] = []
    bus.call_async(add(1, 1), None, late.append)
    assert late == []
    qtbot.waitUntil(lambda: bool(late), timeout=2000)
    assert late[0].name == DISCONNECTED
    assert Bus.session() is None  # not the dead one: the daemon is gone


def test_a_bus_nobody_holds_is_freed_safely_after_its_calls(qtbot, monkeypatch) -> None:
    """Regression: a per-call QTimer whose timeout lambda held the Bus deleted the Bus in the
    middle of the timer's own (deferred) deletion: a segfault in the next event loop turn."""
    daemon = private_bus()
    address = daemon.__enter__()
    errors: list[DBusError] = []
    try:
        bus = Bus.at(address)
        bus.call_async(add(1, 2), None, errors.append)  # nobody there: ServiceUnknown
        bus.call_async(new_method_call(DBusAddress("/", bus_name=bus.unique_name), "X"),
                       None, errors.append, timeout=30)  # to ourselves: answered, later
        qtbot.waitUntil(lambda: len(errors) == 2, timeout=2000)
        bus.call_async(message_bus.NameHasOwner(NAME), None, errors.append, timeout=30)
        del bus  # only the pending call's machinery refers to it now
    finally:
        daemon.__exit__(None, None, None)
    for _ in range(5):
        qtbot.wait(20)  # the loss, then deferred deletions, run here
    assert len(errors) >= 2
