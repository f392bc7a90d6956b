"""Time away: AwaySource over its readers (fakes), and the real readers against a private
session bus (Mutter's idle monitor, the freedesktop screen saver) and a real X server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from quell.core.presence import Hold, HoldReason
from quell.platform.fullscreen import X11Display
from quell.platform.idle import (
    AwaySource,
    MacIdle,
    MutterIdle,
    ScreenSaverIdle,
    WindowsIdle,
    X11Idle,
    default_idle_readers,
)
from tests.conftest import FakeClock
from tests.platform.fake_desktop import FAILED, FakeMutterIdle, FakeScreenSaver, xvfb

# A read's budget is 0.25 s (a hung fake answers after 2 s); the rest is room for a loaded
# machine.
IN_TIME = 0.4

FIVE_MINUTES = timedelta(minutes=5)


class FakeReader:
    def __init__(self, idle: float | None) -> None:
        self.idle = idle
        self.asked = 0

    def idle_seconds(self) -> float | None:
        self.asked += 1
        return self.idle


def away(*readers: FakeReader, after: timedelta = FIVE_MINUTES) -> AwaySource:
    return AwaySource(lambda: after, readers)


# -- AwaySource (pure logic over fake readers) ----------------------------------------------

def test_away_from_the_threshold_on_since_the_last_input(clock: FakeClock) -> None:
    now = clock.now()
    assert away(FakeReader(299.9)).read(now) is None
    assert away(FakeReader(300)).read(now) == Hold(HoldReason.AWAY, now - FIVE_MINUTES)
    assert away(FakeReader(3600)).read(now) == Hold(HoldReason.AWAY, now - timedelta(hours=1))


def test_the_threshold_is_read_each_time(clock: FakeClock) -> None:
    minutes = [5]
    source = AwaySource(lambda: timedelta(minutes=minutes[0]), [FakeReader(400)])
    assert source.read(clock.now()) is not None
    minutes[0] = 10
    assert source.read(clock.now()) is None


def test_the_first_reader_that_answers_wins() -> None:
    first, second, third = FakeReader(None), FakeReader(10), FakeReader(9999)
    assert away(first, second, third).idle_seconds() == 10
    assert (first.asked, second.asked, third.asked) == (1, 1, 0)


def test_a_negative_answer_is_no_answer() -> None:
    assert away(FakeReader(-1), FakeReader(7)).idle_seconds() == 7


def test_nobody_answers_is_unknown_not_away(clock: FakeClock) -> None:
    source = away(FakeReader(None), FakeReader(None))
    assert source.idle_seconds() is None
    assert source.read(clock.now()) is None


def test_fake_readers_are_available_and_poll_only() -> None:
    source = away(FakeReader(1))
    assert source.available()
    source.set_listener(lambda: None)  # readers without listeners: nothing happens
    source.set_listener(None)
    assert source.reason is HoldReason.AWAY
    assert away().available() is False


def test_other_platforms_readers_say_unknown_here() -> None:
    assert WindowsIdle().idle_seconds() is None and not WindowsIdle().available()
    assert MacIdle().idle_seconds() is None and not MacIdle().available()
    kinds = [type(reader) for reader in default_idle_readers()]
    assert kinds == [MutterIdle, ScreenSaverIdle, X11Idle]


# -- against a private session bus --------------------------------------------------------

@pytest.fixture
def mutter(session_bus: str) -> Iterator[FakeMutterIdle]:
    fake = FakeMutterIdle(session_bus, idle_ms=0)
    yield fake
    fake.close()


@pytest.fixture
def screensaver(session_bus: str) -> Iterator[FakeScreenSaver]:
    fake = FakeScreenSaver(session_bus, idle_ms=0)
    yield fake
    fake.close()


def test_mutter_idle_time_in_milliseconds(qapp, mutter: FakeMutterIdle, clock) -> None:
    mutter.idle_ms = 420_500
    assert MutterIdle().idle_seconds() == 420.5
    source = AwaySource(lambda: FIVE_MINUTES)
    assert source.available()
    now = clock.now()
    assert source.read(now) == Hold(HoldReason.AWAY, now - timedelta(seconds=420.5))
    mutter.idle_ms = 1000
    assert source.read(now) is None


def test_the_screen_saver_answers_where_mutter_is_missing(qapp, screensaver, clock) -> None:
    screensaver.idle_ms = 600_000
    assert MutterIdle().idle_seconds() is None
    assert ScreenSaverIdle().idle_seconds() == 600
    now = clock.now()
    assert AwaySource(lambda: FIVE_MINUTES).read(now) == Hold(
        HoldReason.AWAY, now - timedelta(minutes=10))


def test_a_screen_saver_that_refuses_is_unknown(qapp, screensaver, clock) -> None:
    screensaver.idle_ms = None  # GNOME's: "not supported"
    assert ScreenSaverIdle().idle_seconds() is None
    assert AwaySource(lambda: FIVE_MINUTES).read(clock.now()) is None


def test_mutter_failing_falls_back_to_the_screen_saver(qapp, mutter, screensaver) -> None:
    mutter.error = FAILED
    screensaver.idle_ms = 42_000
    assert AwaySource(lambda: FIVE_MINUTES).idle_seconds() == 42
    assert mutter.calls_to("GetIdletime")  # it was asked


def test_a_hanging_mutter_costs_one_short_wait(qapp, mutter, screensaver) -> None:
    mutter.hang = True
    screensaver.idle_ms = 42_000
    source = AwaySource(lambda: FIVE_MINUTES)
    started = time.monotonic()
    first = source.idle_seconds()
    assert time.monotonic() - started < IN_TIME
    assert first is None  # the whole budget went to Mutter: unknown this time
    # Mutter is left alone for a while: the next read asks the screen saver at once
    started = time.monotonic()
    assert source.idle_seconds() == 42
    assert time.monotonic() - started < 0.1
    assert len(mutter.calls_to("GetIdletime")) == 1


def test_no_session_bus_no_services(qapp, clock) -> None:
    # tests/conftest.py removed DBUS_SESSION_BUS_ADDRESS; offscreen Qt rules out X11
    assert not MutterIdle().available() and not ScreenSaverIdle().available()
    assert not X11Idle().available()
    source = AwaySource(lambda: FIVE_MINUTES)
    assert source.available() is False
    assert source.read(clock.now()) is None


def test_an_empty_bus_is_unknown(qapp, session_bus: str, clock) -> None:
    source = AwaySource(lambda: FIVE_MINUTES)
    assert source.available()  # a session bus: services may come
    started = time.monotonic()
    assert source.read(clock.now()) is None
    assert time.monotonic() - started < 0.1  # ServiceUnknown is instant


def test_mutter_says_at_once_when_the_user_is_back(qtbot, mutter, clock) -> None:
    source = AwaySource(lambda: FIVE_MINUTES)
    told: list[str] = []
    source.set_listener(lambda: told.append("changed"))
    mutter.idle_ms = 10_000
    assert source.read(clock.now()) is None
    assert mutter.calls_to("AddUserActiveWatch") == []  # not away: no watch (no wake-ups)
    mutter.idle_ms = 600_000
    assert source.read(clock.now()) is not None
    assert source.read(clock.now()) is not None
    assert len(mutter.calls_to("AddUserActiveWatch")) == 1  # one watch at a time
    mutter.user_active()
    qtbot.wait_until(lambda: told == ["changed"], timeout=2000)
    assert source.read(clock.now()) is None


def test_found_away_before_listening_watches_as_soon_as_listened(qtbot, mutter, clock) -> None:
    # the composite reads first (a reminder fell due) and only then starts listening
    source = AwaySource(lambda: FIVE_MINUTES)
    mutter.idle_ms = 600_000
    assert source.read(clock.now()) is not None
    told: list[str] = []
    source.set_listener(lambda: told.append("changed"))
    assert len(mutter.calls_to("AddUserActiveWatch")) == 1
    mutter.user_active()
    qtbot.wait_until(lambda: told == ["changed"], timeout=2000)


def test_no_listener_no_watch_and_unsubscribing_removes_it(qtbot, mutter, clock) -> None:
    source = AwaySource(lambda: FIVE_MINUTES)
    mutter.idle_ms = 600_000
    assert source.read(clock.now()) is not None
    assert mutter.calls_to("AddUserActiveWatch") == []
    told: list[str] = []
    source.set_listener(lambda: told.append("changed"))
    assert mutter.watches
    source.set_listener(None)
    qtbot.wait_until(lambda: not mutter.watches, timeout=2000)
    mutter.user_active()
    qtbot.wait(200)
    assert told == []


def test_a_watch_for_someone_else_is_ignored(qtbot, mutter, clock) -> None:
    source = AwaySource(lambda: FIVE_MINUTES)
    told: list[str] = []
    source.set_listener(lambda: told.append("changed"))
    mutter.idle_ms = 600_000
    source.read(clock.now())
    mutter.service.emit("/org/gnome/Mutter/IdleMonitor/Core", "org.gnome.Mutter.IdleMonitor",
                        "WatchFired", "u", (9999,))
    qtbot.wait(200)
    assert told == []


# -- X11 (a real Xvfb) ----------------------------------------------------------------------

@pytest.fixture
def x_display() -> Iterator[str]:
    with xvfb() as name:
        yield name
        X11Display.close_all()


def test_x11_idle_time_grows_without_input(x_display: str) -> None:
    reader = X11Idle(x_display)
    assert reader.available()
    first = reader.idle_seconds()
    assert first is not None and first >= 0
    time.sleep(0.3)
    second = reader.idle_seconds()
    assert second is not None and second >= first + 0.25


def test_x11_away_source(x_display: str) -> None:
    now = datetime(2026, 3, 10, 14, 30).astimezone()
    source = AwaySource(lambda: timedelta(0), [X11Idle(x_display)])
    hold = source.read(now)
    assert hold is not None and hold.reason is HoldReason.AWAY
    assert now - timedelta(seconds=60) < hold.since <= now


def test_x11_without_a_server_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    assert X11Idle(":987").idle_seconds() is None
    monkeypatch.delenv("DISPLAY", raising=False)
    assert X11Idle().idle_seconds() is None and not X11Idle().available()


def test_x11_is_not_asked_when_qt_draws_elsewhere(qapp, x_display: str, monkeypatch) -> None:
    # offscreen here (Wayland alike): $DISPLAY alone is not enough
    monkeypatch.setenv("DISPLAY", x_display)
    assert not X11Idle().available()
    assert X11Idle().idle_seconds() is None


# -- default_sources (desktop/quell/platform/presence_sources.py) ---------------------------------

def test_default_sources_cover_every_reason_and_follow_the_settings(qapp, clock) -> None:
    from quell.core.presence import PRIORITY
    from quell.core.settings import Settings
    from quell.platform.presence_sources import default_sources

    settings = [Settings()]
    sources = default_sources(lambda: settings[0])
    assert {source.reason for source in sources} == set(PRIORITY)
    # Built on first use: start-up imports none of their modules.
    assert all(source._source is None for source in sources)
    for source in sources:
        source.set_listener(None)
    assert all(source._source is None for source in sources)
    for source in sources:  # the PresenceSource protocol, and quiet on a bare machine
        assert isinstance(source.available(), bool)
        assert source.read(clock.now()) is None
        source.set_listener(lambda: None)
        source.set_listener(None)
    (away_source,) = [s.source for s in sources if isinstance(s.source, AwaySource)]
    idle = FakeReader(7 * 60)
    away_source._readers = [idle]  # the threshold comes from the settings each read
    assert away_source.read(clock.now()) is not None
    settings[0] = Settings().replace(reminders=Settings().reminders.replace(away_minutes=10))
    assert away_source.read(clock.now()) is None
