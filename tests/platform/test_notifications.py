"""Native notifications against a real private bus and a fake notification server."""

from __future__ import annotations

import logging

import pytest
from jeepney import DBusAddress, new_method_call
from PySide6.QtGui import QColor, QImage

from quell import APP_ID
from quell.platform.dbus import Bus, DBusError
from quell.platform.notifications import Notifications, image_data
from tests.platform.fake_notifications import FakeNotificationServer


@pytest.fixture
def server(session_bus: str):
    fake = FakeNotificationServer(session_bus)
    yield fake
    fake.close()


def _image(width: int = 128, height: int = 96) -> QImage:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor(10, 120, 200, 255))
    return image


def test_without_a_session_bus_nothing_is_shown(qapp) -> None:
    notifications = Notifications()
    assert not notifications.available()
    assert notifications.capabilities() == frozenset()
    assert notifications.notify("Water", "A glass?") == 0


def test_without_a_server_nothing_is_shown_and_it_is_logged(qapp, session_bus, caplog) -> None:
    caplog.set_level(logging.INFO, "quell.platform.notifications")
    notifications = Notifications()
    assert not notifications.available()
    assert notifications.notify("Water", "A glass?") == 0
    assert "no notification server" in caplog.text


def test_capabilities_are_asked_once(qapp, server) -> None:
    notifications = Notifications()
    assert notifications.available()
    assert "actions" in notifications.capabilities()
    notifications.capabilities()
    notifications.notify("a", "b")
    assert len(server.calls_to("GetCapabilities")) == 1


def test_notify_sends_the_exact_signature_icon_hints_and_actions(qapp, server) -> None:
    notifications = Notifications()
    sent = notifications.notify(
        "Stretch break", "Stand up & roll your <shoulders>.",
        actions=[("start", "Start"), ("snooze", "Snooze 10 min"), ("skip", "Skip")],
        icon=_image(), timeout_ms=120_000, urgency=1, category="reminder")
    assert sent == server.last.id != 0
    call = server.last
    assert call.signature == "susssasa{sv}i"
    assert (call.app_name, call.app_icon, call.replaces_id) == ("Quell", APP_ID, 0)
    assert call.summary == "Stretch break"
    assert call.body == "Stand up &amp; roll your &lt;shoulders&gt;."  # server reads markup
    assert call.actions == (("start", "Start"), ("snooze", "Snooze 10 min"), ("skip", "Skip"))
    assert call.expire_timeout == 120_000
    assert call.hints["desktop-entry"] == ("s", APP_ID)
    assert call.hints["urgency"] == ("y", 1)
    assert call.hints["category"] == ("s", "reminder")
    assert "sound-name" not in call.hints
    signature, (width, height, stride, alpha, bits, channels, data) = call.hints["image-data"]
    assert signature == "(iiibiiay)"
    assert (width, height, stride, alpha, bits, channels) == (64, 48, 256, True, 8, 4)
    assert len(data) == 256 * 48
    assert data[:4] == bytes([10, 120, 200, 255])  # RGBA, whatever the source format


def test_plain_body_for_a_server_without_markup_and_sound_only_with_sound(
        qapp, session_bus) -> None:
    server = FakeNotificationServer(session_bus, capabilities=("body", "sound"))
    try:
        notifications = Notifications()
        notifications.notify("Water", "Tea & water count", sound="message-new-instant")
        assert server.last.body == "Tea & water count"
        assert server.last.hint("sound-name") == "message-new-instant"
        assert "image-data" not in server.last.hints
    finally:
        server.close()


def test_the_fake_server_refuses_a_signed_replaces_id(qapp, server) -> None:
    """As GNOME Shell and dunst do: QtDBus's "i" for replaces_id is refused (STACK-NOTES)."""
    bus = Bus.session()
    address = DBusAddress("/org/freedesktop/Notifications", "org.freedesktop.Notifications",
                          "org.freedesktop.Notifications")
    wrong = new_method_call(address, "Notify", "sisssasa{sv}i",
                            ("Quell", 0, APP_ID, "t", "b", [], {}, -1))
    with pytest.raises(DBusError) as caught:
        bus.call(wrong)
    assert caught.value.name == "org.freedesktop.DBus.Error.InvalidArgs"
    assert server.notifications == []


def test_image_data_keeps_a_small_image_and_its_proportions() -> None:
    width, height, stride, *_rest, data = image_data(_image(32, 20))
    assert (width, height) == (32, 20) and stride * height == len(data)


def test_actions_and_closing_for_our_ids_only(qtbot, server) -> None:
    notifications = Notifications()
    actions: list[tuple[int, str]] = []
    closed: list[tuple[int, int]] = []
    notifications.action_invoked.connect(lambda i, k: actions.append((i, k)))
    notifications.closed.connect(lambda i, r: closed.append((i, r)))
    ours = notifications.notify("Water", "A glass?", actions=[("done", "Done")])
    server.invoke(ours + 100, "done")  # another application's notification
    server.invoke(ours, "done")
    qtbot.waitUntil(lambda: bool(closed), timeout=2000)
    assert actions == [(ours, "done")]
    assert closed == [(ours, 2)]
    assert not notifications.is_open(ours)


def test_expired_is_reported_with_its_reason(qtbot, server) -> None:
    notifications = Notifications()
    ours = notifications.notify("Water", "A glass?")
    with qtbot.waitSignal(notifications.closed, timeout=2000) as blocker:
        server.expire(ours)
    assert blocker.args == [ours, 1]


def test_close_withdraws_without_a_closed_signal_and_stops_listening(qtbot, server) -> None:
    notifications = Notifications()
    closed: list[tuple[int, int]] = []
    notifications.closed.connect(lambda i, r: closed.append((i, r)))
    bus = Bus.session()
    assert notifications.available()  # it watches only who owns the service
    idle_subscriptions = len(bus._subscriptions)
    first = notifications.notify("Water", "A glass?")
    assert len(bus._subscriptions) == idle_subscriptions + 2  # ActionInvoked, Closed
    notifications.close(first)
    qtbot.waitUntil(lambda: server.closed_by_client == [first], timeout=2000)
    qtbot.wait(50)
    assert closed == []
    assert len(bus._subscriptions) == idle_subscriptions  # an idle Quell hears nobody's


def test_a_server_that_quits_ends_our_notifications_and_a_new_one_is_asked(
        qtbot, session_bus) -> None:
    server = FakeNotificationServer(session_bus, capabilities=("body",))
    notifications = Notifications()
    ours = notifications.notify("Water", "A glass?")
    assert "actions" not in notifications.capabilities()
    with qtbot.waitSignal(notifications.closed, timeout=2000) as blocker:
        server.close()
    assert blocker.args == [ours, 4]
    second = FakeNotificationServer(session_bus, capabilities=("actions", "body"))
    try:
        qtbot.waitUntil(lambda: "actions" in notifications.capabilities(), timeout=2000)
    finally:
        second.close()


def test_the_fake_server_serves_inhibited_and_announces_changes(qtbot, server) -> None:
    """The fake is shared with the do-not-disturb source's tests: its property must work."""
    from jeepney import MatchRule

    bus = Bus.session()
    args = ("org.freedesktop.Notifications", "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications", "Inhibited")
    assert bus.get_property(*args) is False
    changes: list[tuple] = []
    bus.subscribe(MatchRule(type="signal", sender="org.freedesktop.Notifications",
                            interface="org.freedesktop.DBus.Properties",
                            member="PropertiesChanged", path="/org/freedesktop/Notifications"),
                  lambda message: changes.append(message.body))
    server.set_inhibited(True)
    qtbot.waitUntil(lambda: bool(changes), timeout=2000)
    assert changes[0][1] == {"Inhibited": ("b", True)}
    assert bus.get_property(*args) is True
    every = bus.call(new_method_call(
        DBusAddress("/org/freedesktop/Notifications", "org.freedesktop.Notifications",
                    "org.freedesktop.DBus.Properties"), "GetAll", "s",
        ("org.freedesktop.Notifications",)))
    assert every == ({"Inhibited": ("b", True)},)
