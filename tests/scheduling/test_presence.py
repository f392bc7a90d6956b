"""The Presence composite over fake sources: fresh reads by priority, the settings that turn
holds off, broken sources, and listening and polling only while watching."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QTimer

from quell.core.presence import Hold, HoldReason
from quell.scheduling.presence import Presence
from tests.conftest import LONDON, FakeClock
from tests.helpers import MemorySettings
from tests.scheduling.fakes import FakeSource

T0 = datetime(2026, 3, 10, 14, 30, tzinfo=LONDON)


@pytest.fixture
def sources() -> dict[HoldReason, FakeSource]:
    return {reason: FakeSource(reason) for reason in HoldReason}


@pytest.fixture
def presence(qtbot: object, sources: dict[HoldReason, FakeSource],
             settings_holder: MemorySettings, clock: FakeClock) -> Iterator[Presence]:
    composite = Presence(list(sources.values()), settings_holder, clock)
    yield composite
    composite.watch(False)
    composite.deleteLater()


def recorder(signal: object) -> list[object]:
    seen: list[object] = []
    signal.connect(lambda *args: seen.append(args))  # type: ignore[attr-defined]
    return seen


def test_nothing_holds_without_a_hold(presence: Presence,
                                      sources: dict[HoldReason, FakeSource]) -> None:
    assert presence.hold() is None
    assert all(source.reads == 1 for source in sources.values())


def test_every_call_reads_afresh(presence: Presence, sources: dict[HoldReason, FakeSource]
                                 ) -> None:
    dnd = sources[HoldReason.DO_NOT_DISTURB]
    dnd.begin(T0, notify=False)
    assert presence.hold() == Hold(HoldReason.DO_NOT_DISTURB, T0)
    dnd.end(notify=False)
    assert presence.hold() is None
    assert dnd.reads == 2


def test_the_strongest_reason_wins(presence: Presence, sources: dict[HoldReason, FakeSource]
                                   ) -> None:
    sources[HoldReason.DO_NOT_DISTURB].begin(T0)
    sources[HoldReason.FULLSCREEN].begin(T0)
    assert presence.hold().reason is HoldReason.FULLSCREEN  # type: ignore[union-attr]
    sources[HoldReason.MEETING].begin(T0, T0 + timedelta(hours=1))
    meeting = presence.hold()
    assert meeting == Hold(HoldReason.MEETING, T0, T0 + timedelta(hours=1))
    sources[HoldReason.AWAY].begin(T0 - timedelta(minutes=5))
    assert presence.hold().reason is HoldReason.AWAY  # type: ignore[union-attr]
    sources[HoldReason.SCREEN_LOCKED].begin(T0)
    assert presence.hold().reason is HoldReason.SCREEN_LOCKED  # type: ignore[union-attr]


def test_a_read_stops_at_the_strongest_hold(
        qtbot: object, settings_holder: MemorySettings, clock: FakeClock) -> None:
    dnd, lock = FakeSource(HoldReason.DO_NOT_DISTURB), FakeSource(HoldReason.SCREEN_LOCKED)
    calendar, apps = FakeSource(HoldReason.MEETING), FakeSource(HoldReason.MEETING)
    composite = Presence([dnd, apps, calendar, lock], settings_holder, clock)
    dnd.begin(T0)
    lock.begin(T0)
    assert composite.hold() == Hold(HoldReason.SCREEN_LOCKED, T0)
    assert (lock.reads, apps.reads, dnd.reads) == (1, 0, 0)
    lock.end()
    apps.begin(T0)
    calendar.begin(T0, T0 + timedelta(hours=1))
    # Among sources of one reason the first given wins, as first_hold would pick.
    assert composite.hold() == Hold(HoldReason.MEETING, T0)
    assert (calendar.reads, dnd.reads) == (0, 0)
    apps.end()
    assert composite.hold() == Hold(HoldReason.MEETING, T0, T0 + timedelta(hours=1))
    calendar.end()
    assert composite.hold() == Hold(HoldReason.DO_NOT_DISTURB, T0)


def test_an_unavailable_source_is_not_read(
        qtbot: object, settings_holder: MemorySettings, clock: FakeClock) -> None:
    missing = FakeSource(HoldReason.DO_NOT_DISTURB, available=False)
    missing.begin(T0)
    composite = Presence([missing], settings_holder, clock)
    assert composite.hold() is None
    assert missing.reads == 0


@pytest.mark.parametrize(("field", "reason"), [
    ("hold_when_away", HoldReason.AWAY),
    ("hold_in_do_not_disturb", HoldReason.DO_NOT_DISTURB),
    ("hold_in_fullscreen", HoldReason.FULLSCREEN),
])
def test_a_hold_the_settings_turn_off_is_not_read(
        presence: Presence, sources: dict[HoldReason, FakeSource],
        settings_holder: MemorySettings, field: str, reason: HoldReason) -> None:
    sources[reason].begin(T0)
    assert presence.hold() == Hold(reason, T0)
    value = settings_holder.value
    settings_holder.value = value.replace(reminders=value.reminders.replace(**{field: False}))
    reads = sources[reason].reads
    assert presence.hold() is None
    assert sources[reason].reads == reads
    # The others still hold.
    sources[HoldReason.MEETING].begin(T0, T0 + timedelta(minutes=30))
    assert presence.hold().reason is HoldReason.MEETING  # type: ignore[union-attr]


def test_lock_and_meetings_hold_whatever_the_settings(
        presence: Presence, sources: dict[HoldReason, FakeSource],
        settings_holder: MemorySettings) -> None:
    value = settings_holder.value
    settings_holder.value = value.replace(reminders=value.reminders.replace(
        hold_when_away=False, hold_in_do_not_disturb=False, hold_in_fullscreen=False))
    sources[HoldReason.MEETING].begin(T0, T0 + timedelta(minutes=30))
    assert presence.hold().reason is HoldReason.MEETING  # type: ignore[union-attr]
    sources[HoldReason.SCREEN_LOCKED].begin(T0)
    assert presence.hold().reason is HoldReason.SCREEN_LOCKED  # type: ignore[union-attr]


def test_a_source_reads_at_the_clocks_now(
        presence: Presence, sources: dict[HoldReason, FakeSource], clock: FakeClock) -> None:
    sources[HoldReason.MEETING].begin(T0, T0 + timedelta(minutes=30))
    assert presence.hold() is not None
    clock.advance(minutes=30)
    assert presence.hold() is None  # the fake meeting ends at its until by the clock


def test_a_broken_source_holds_nothing_and_is_logged_once(
        presence: Presence, sources: dict[HoldReason, FakeSource],
        caplog: pytest.LogCaptureFixture) -> None:
    broken = sources[HoldReason.FULLSCREEN]
    broken.error = RuntimeError("X server gone")
    sources[HoldReason.DO_NOT_DISTURB].begin(T0)
    for _ in range(3):
        assert presence.hold() == Hold(HoldReason.DO_NOT_DISTURB, T0)
    assert caplog.text.count("presence source FakeSource failed") == 1
    assert "X server gone" in caplog.text


def test_a_source_whose_availability_or_listener_breaks_is_skipped(
        qtbot: object, settings_holder: MemorySettings, clock: FakeClock,
        caplog: pytest.LogCaptureFixture) -> None:
    class Flaky(FakeSource):
        def available(self) -> bool:
            raise OSError("no bus")

        def set_listener(self, callback: object) -> None:
            raise OSError("no bus")

    flaky = Flaky(HoldReason.SCREEN_LOCKED)
    flaky.begin(T0)
    fine = FakeSource(HoldReason.AWAY)
    composite = Presence([flaky, fine], settings_holder, clock)
    assert composite.hold() is None
    composite.watch(True)
    assert fine.listener is not None
    composite.watch(False)
    assert caplog.text.count("presence source Flaky failed") == 1


def test_nothing_runs_until_watched(presence: Presence,
                                    sources: dict[HoldReason, FakeSource]) -> None:
    timers = presence.findChildren(QTimer)
    assert timers and not any(timer.isActive() for timer in timers)
    assert all(source.listener is None and source.listener_calls == []
               for source in sources.values())
    assert not presence.watching


def test_watching_turns_listeners_and_the_minute_poll_on_and_off(
        presence: Presence, sources: dict[HoldReason, FakeSource]) -> None:
    presence.watch(True)
    presence.watch(True)  # once is enough
    assert presence.watching
    assert all(source.listener_calls == [True] for source in sources.values())
    assert all(source.listener is not None for source in sources.values())
    polls = [t for t in presence.findChildren(QTimer) if t.isActive()]
    assert [t.interval() for t in polls] == [60_000]
    presence.watch(False)
    presence.watch(False)
    assert all(source.listener_calls == [True, False] for source in sources.values())
    assert all(source.listener is None for source in sources.values())
    assert not any(timer.isActive() for timer in presence.findChildren(QTimer))


def test_source_signals_are_debounced_into_one_change(
        qtbot, monkeypatch: pytest.MonkeyPatch, sources: dict[HoldReason, FakeSource],
        settings_holder: MemorySettings, clock: FakeClock) -> None:
    monkeypatch.setattr(Presence, "DEBOUNCE_MS", 40)
    composite = Presence(list(sources.values()), settings_holder, clock)
    changes = recorder(composite.changed)
    composite.watch(True)
    with qtbot.wait_signal(composite.changed, timeout=2000):
        sources[HoldReason.SCREEN_LOCKED].begin(T0)
        sources[HoldReason.DO_NOT_DISTURB].begin(T0)
        sources[HoldReason.SCREEN_LOCKED].end()
    qtbot.wait(120)
    assert len(changes) == 1
    composite.watch(False)


def test_the_default_debounce_is_half_a_second(presence: Presence,
                                               sources: dict[HoldReason, FakeSource]) -> None:
    presence.watch(True)
    sources[HoldReason.AWAY].begin(T0)
    active = [t for t in presence.findChildren(QTimer) if t.isActive() and t.isSingleShot()]
    assert [t.interval() for t in active] == [500]


def test_a_late_signal_after_watching_stopped_is_ignored(
        qtbot, presence: Presence, sources: dict[HoldReason, FakeSource]) -> None:
    changes = recorder(presence.changed)
    presence.watch(True)
    callback = sources[HoldReason.AWAY].listener
    presence.watch(False)
    assert callback is not None
    callback()  # a signal already queued when the source unsubscribed
    qtbot.wait(50)
    assert not any(timer.isActive() for timer in presence.findChildren(QTimer))
    assert changes == []


def test_the_poll_reports_a_change_each_minute_while_watching(
        qtbot, monkeypatch: pytest.MonkeyPatch, sources: dict[HoldReason, FakeSource],
        settings_holder: MemorySettings, clock: FakeClock) -> None:
    monkeypatch.setattr(Presence, "POLL_MS", 30)
    composite = Presence(list(sources.values()), settings_holder, clock)
    changes = recorder(composite.changed)
    composite.watch(True)
    qtbot.wait_until(lambda: len(changes) >= 2, timeout=2000)
    composite.watch(False)
    seen = len(changes)
    qtbot.wait(100)
    assert len(changes) == seen


def test_stopping_watch_drops_a_pending_debounced_change(
        qtbot, monkeypatch: pytest.MonkeyPatch, sources: dict[HoldReason, FakeSource],
        settings_holder: MemorySettings, clock: FakeClock) -> None:
    monkeypatch.setattr(Presence, "DEBOUNCE_MS", 30)
    composite = Presence(list(sources.values()), settings_holder, clock)
    changes = recorder(composite.changed)
    composite.watch(True)
    sources[HoldReason.AWAY].begin(T0)
    composite.watch(False)
    qtbot.wait(100)
    assert changes == []
