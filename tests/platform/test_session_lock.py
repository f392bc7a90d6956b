"""Screen lock against real private buses: the freedesktop and GNOME screen savers on the
session bus, logind's session (LockedHint, Lock / Unlock) on the system bus."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest

from quell.core.presence import Hold, HoldReason
from quell.platform.session_lock import LockSource
from tests.platform.fake_desktop import FAILED, FakeLogind, FakeScreenSaver

# A read's budget is 0.25 s (a hung fake answers after 2 s); the rest is room for a loaded
# machine.
IN_TIME = 0.4


@pytest.fixture
def saver(session_bus: str) -> Iterator[FakeScreenSaver]:
    fake = FakeScreenSaver(session_bus)
    yield fake
    fake.close()


@pytest.fixture
def gnome_saver(session_bus: str) -> Iterator[FakeScreenSaver]:
    fake = FakeScreenSaver(session_bus, name="org.gnome.ScreenSaver")
    yield fake
    fake.close()


@pytest.fixture
def logind(system_bus: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLogind]:
    monkeypatch.setenv("XDG_SESSION_ID", "7")
    fake = FakeLogind(system_bus, session_id="7")
    yield fake
    fake.close()


class Listener:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


def test_the_freedesktop_screen_saver_active_is_locked(qapp, saver, clock) -> None:
    source = LockSource()
    assert source.available()
    assert source.read(clock.now()) is None
    saver.active = True
    assert source.read(clock.now()) == Hold(HoldReason.SCREEN_LOCKED, clock.now())


def test_gnome_s_screen_saver_counts_too(qapp, gnome_saver, clock) -> None:
    gnome_saver.active = True
    hold = LockSource().read(clock.now())
    assert hold is not None and hold.reason is HoldReason.SCREEN_LOCKED


def test_locked_since_first_seen_kept_across_reads(qapp, saver, clock) -> None:
    source = LockSource()
    saver.active = True
    started = clock.now()
    assert source.read(started) == Hold(HoldReason.SCREEN_LOCKED, started)
    clock.advance(minutes=10)
    # a hold that goes on keeps its since
    assert source.read(clock.now()) == Hold(HoldReason.SCREEN_LOCKED, started)
    saver.active = False
    assert source.read(clock.now()) is None
    saver.active = True
    assert source.read(clock.now()) == Hold(HoldReason.SCREEN_LOCKED, clock.now())


def test_active_changed_calls_the_listener_and_since_is_the_signal(qtbot, saver, clock) -> None:
    source = LockSource()
    listener = Listener()
    source.set_listener(listener)
    saver.emit_active_changed(True)
    qtbot.wait_until(lambda: listener.count == 1, timeout=2000)
    time.sleep(0.3)
    hold = source.read(clock.now())
    assert hold is not None and hold.since <= clock.now() - timedelta(seconds=0.25)
    saver.emit_active_changed(False)
    qtbot.wait_until(lambda: listener.count == 2, timeout=2000)
    assert source.read(clock.now()) is None


def test_unsubscribed_hears_nothing(qtbot, saver, gnome_saver) -> None:
    source = LockSource()
    listener = Listener()
    source.set_listener(listener)
    source.set_listener(None)
    saver.emit_active_changed(True)
    gnome_saver.emit_active_changed(True)
    qtbot.wait(300)
    assert listener.count == 0


def test_gnome_s_active_changed_is_heard(qtbot, gnome_saver) -> None:
    source = LockSource()
    listener = Listener()
    source.set_listener(listener)
    gnome_saver.emit_active_changed(True)
    qtbot.wait_until(lambda: listener.count == 1, timeout=2000)


def test_logind_locked_hint_of_our_session(qapp, logind, clock) -> None:
    source = LockSource()
    assert source.available()
    assert source.read(clock.now()) is None
    logind.locked = True
    assert source.read(clock.now()) == Hold(HoldReason.SCREEN_LOCKED, clock.now())
    assert logind.calls_to("GetSession") == [("7",)]
    assert logind.calls_to("Get")[-1] == ("org.freedesktop.login1.Session", "LockedHint")


def test_without_a_session_id_the_session_of_our_process(qapp, logind, monkeypatch,
                                                         clock) -> None:
    monkeypatch.delenv("XDG_SESSION_ID")
    logind.locked = True
    assert LockSource().read(clock.now()) is not None
    assert logind.calls_to("GetSession") == []
    assert logind.calls_to("GetSessionByPID") == [(os.getpid(),)]


def test_an_unknown_session_id_falls_back_to_our_process(qapp, logind, monkeypatch,
                                                         clock) -> None:
    monkeypatch.setenv("XDG_SESSION_ID", "99")
    logind.locked = True
    assert LockSource().read(clock.now()) is not None
    assert logind.calls_to("GetSessionByPID")


def test_locked_hint_changes_call_the_listener(qtbot, logind, clock) -> None:
    source = LockSource()
    listener = Listener()
    source.set_listener(listener)
    logind.set_locked_hint(True)
    qtbot.wait_until(lambda: listener.count == 1, timeout=2000)
    assert source.read(clock.now()) is not None
    logind.set_locked_hint(False)
    qtbot.wait_until(lambda: listener.count == 2, timeout=2000)
    assert source.read(clock.now()) is None


def test_lock_and_unlock_signals_call_the_listener(qtbot, logind, clock) -> None:
    source = LockSource()
    listener = Listener()
    source.set_listener(listener)
    logind.emit_lock()
    qtbot.wait_until(lambda: listener.count == 1, timeout=2000)
    logind.emit_unlock()
    qtbot.wait_until(lambda: listener.count == 2, timeout=2000)


def test_lock_signals_hold_where_nothing_can_be_asked(qtbot, logind, clock) -> None:
    logind.locked = None  # no LockedHint, no screen saver: only the signals tell
    source = LockSource()
    listener = Listener()
    source.set_listener(listener)
    assert source.read(clock.now()) is None
    logind.emit_lock()
    qtbot.wait_until(lambda: listener.count == 1, timeout=2000)
    assert source.read(clock.now()) is not None
    logind.emit_unlock()
    qtbot.wait_until(lambda: listener.count == 2, timeout=2000)
    assert source.read(clock.now()) is None


def test_what_the_desktop_answers_wins_over_a_lock_request(qtbot, logind, saver,
                                                           clock) -> None:
    # logind's Lock only asks the locker to lock; until it says so, nothing is locked
    source = LockSource()
    listener = Listener()
    source.set_listener(listener)
    logind.emit_lock()
    qtbot.wait_until(lambda: listener.count == 1, timeout=2000)
    assert source.read(clock.now()) is None
    saver.active = True
    assert source.read(clock.now()) is not None


def test_signals_of_another_session_are_ignored(qtbot, logind, clock) -> None:
    source = LockSource()
    listener = Listener()
    source.set_listener(listener)
    logind.service.emit("/org/freedesktop/login1/session/_38", "org.freedesktop.login1.Session",
                        "Lock")
    qtbot.wait(300)
    assert listener.count == 0


def test_both_buses_together(qtbot, logind, saver, clock) -> None:
    source = LockSource()
    logind.locked = True
    assert source.read(clock.now()) is not None
    logind.locked = False
    saver.active = True
    assert source.read(clock.now()) is not None
    saver.active = False
    assert source.read(clock.now()) is None


def test_no_buses_unavailable_and_quiet(qapp, clock) -> None:
    source = LockSource()
    assert source.available() is False
    assert source.read(clock.now()) is None
    source.set_listener(Listener())
    source.set_listener(None)


def test_empty_buses_are_unknown(qapp, session_bus, system_bus, clock) -> None:
    source = LockSource()
    assert source.available()
    started = time.monotonic()
    assert source.read(clock.now()) is None
    source.set_listener(Listener())
    assert time.monotonic() - started < 0.2


def test_failing_services_are_unknown(qapp, logind, saver, clock) -> None:
    saver.active = True
    saver.error = FAILED
    logind.error = FAILED
    assert LockSource().read(clock.now()) is None


def test_a_hanging_screen_saver_returns_in_time(qapp, logind, saver, clock) -> None:
    saver.hang = True
    logind.locked = True
    source = LockSource()
    started = time.monotonic()
    source.read(clock.now())
    assert time.monotonic() - started < IN_TIME
    # benched now: the next read goes straight to logind
    started = time.monotonic()
    assert source.read(clock.now()) is not None
    assert time.monotonic() - started < 0.1


def test_a_hanging_logind_returns_in_time(qapp, logind, clock) -> None:
    logind.hang = True
    source = LockSource()
    started = time.monotonic()
    assert source.read(clock.now()) is None
    source.set_listener(Listener())
    assert time.monotonic() - started < 0.6   # two reads' budgets at most


def test_a_screen_saver_that_vanishes_is_unknown(qapp, session_bus, clock) -> None:
    saver = FakeScreenSaver(session_bus, active=True)
    source = LockSource()
    try:
        assert source.read(clock.now()) is not None
    finally:
        saver.close()
    assert source.read(clock.now()) is None
