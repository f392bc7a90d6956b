"""Tracker edges a mutation run found untested: target limits at both ends with their
messages, drinks and exercise as logged, moving and resizing a night, and habit switches."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from quell.core.entries import Source
from quell.core.errors import InputError
from quell.core.settings import Settings
from quell.core.tracker import Tracker
from tests.conftest import LONDON, FakeClock
from tests.core.fakes import FakeStore

TODAY = date(2026, 3, 10)  # the clock fixture: 14:30 London


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def tracker(store: FakeStore, clock: FakeClock) -> Tracker:
    return Tracker(store, clock, Settings)


def refusal(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return str(caught.value)


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def test_at_most_limits_from_0_to_ten_entries_worth(tracker: Tracker) -> None:
    tracker.validate_target("caffeine", 0)
    tracker.validate_target("caffeine", 10_000)
    message = "Caffeine limit must be between 0 and 10000 mg"
    assert refusal(tracker.validate_target, "caffeine", -1) == message
    assert refusal(tracker.validate_target, "caffeine", 10_000.5) == message


def test_at_least_targets_above_0_to_ten_entries_worth(tracker: Tracker) -> None:
    tracker.validate_target("water", 0.5)
    tracker.validate_target("water", 50_000)
    message = "Water target must be above 0 and at most 50000 ml"
    assert refusal(tracker.validate_target, "water", 0) == message
    assert refusal(tracker.validate_target, "water", 50_001) == message


def test_ranges_inside_one_entrys_bounds(tracker: Tracker) -> None:
    tracker.validate_target("sleep", 0.5, 24)
    tracker.validate_target("sleep", 8, 8)
    message = "Sleep range must run from a low to a high value within 0–24 hours"
    for low, high in ((0, 9), (9, 8), (7, 24.5), (7, None)):
        assert refusal(tracker.validate_target, "sleep", low, high) == message


def test_habits_without_or_missing_a_target(tracker: Tracker) -> None:
    assert refusal(tracker.validate_target, "stress", 3) == "Stress has no target"
    assert refusal(tracker.validate_target, "water", None) == "Water needs a target"


def test_setting_the_same_target_again_writes_nothing(tracker: Tracker, store: FakeStore
                                                      ) -> None:
    tracker.set_target("water", 2500)
    writes = store.writes
    tracker.set_target("water", 2500)
    assert store.writes == writes
    tracker.set_target("water", 2600)
    assert store.writes == writes + 1
    assert tracker.targets()["water"].value == 2600
    tracker.set_target("sleep", 7, 8)
    writes = store.writes
    tracker.set_target("sleep", 7, 9)  # only the upper end differs
    assert store.writes == writes + 1


def test_a_drink_is_logged_with_its_preset_time_note_and_source(tracker: Tracker) -> None:
    logged = tracker.log_drink("Filter coffee", at=at(9), note="big mug", source=Source.CLI)
    entry = logged.entry
    assert (entry.habit, entry.amount, entry.at, entry.note, entry.source) == (
        "caffeine", 95, at(9), "big mug", Source.CLI)
    assert entry.detail == {"preset": "filter_coffee"}
    assert refusal(tracker.log_drink, "mocha") == (
        "unknown drink 'mocha' (choose from espresso, filter_coffee, black_tea, green_tea, "
        "cola, energy_drink)")


def test_exercise_is_logged_with_its_intensity_time_note_and_source(tracker: Tracker) -> None:
    logged = tracker.log_exercise(45, "hard", at=at(8), note="hills", source=Source.CLI)
    entry = logged.entry
    assert (entry.habit, entry.amount, entry.at, entry.note, entry.source) == (
        "exercise", 45, at(8), "hills", Source.CLI)
    assert entry.detail == {"intensity": "hard"}
    assert tracker.log_exercise(30, "moderate").entry.note == ""
    assert refusal(tracker.log_exercise, 30, "brutal") == (
        "unknown intensity 'brutal' (choose from moderate, hard, very_hard)")


def test_a_changed_amount_is_no_longer_the_preset_drink(tracker: Tracker) -> None:
    entry = tracker.log_drink("espresso", at=at(9)).entry
    assert entry.id is not None
    same = tracker.edit(entry.id, amount=63)
    assert same.detail == {"preset": "espresso"}
    bigger = tracker.edit(entry.id, amount=126)
    assert bigger.detail == {}
    plain = tracker.log("caffeine", 80, at=at(10)).entry
    assert plain.id is not None and tracker.edit(plain.id, amount=90).detail == {}


def test_moving_a_night_keeps_its_length(tracker: Tracker) -> None:
    bed, wake = at(23, 0, TODAY - timedelta(1)), at(7, 0)
    entry = tracker.log_sleep(bed, wake).entry
    assert entry.id is not None
    moved = tracker.edit(entry.id, at=at(8, 30))
    assert moved.at == at(8, 30)
    assert moved.detail == {"bed": at(0, 30).isoformat(timespec="minutes"),
                            "wake": at(8, 30).isoformat(timespec="minutes")}
    assert moved.amount == entry.amount


def test_resizing_a_night_moves_its_bedtime(tracker: Tracker) -> None:
    entry = tracker.log_sleep(at(23, 0, TODAY - timedelta(1)), at(7, 0)).entry
    assert entry.id is not None
    longer = tracker.edit(entry.id, amount=9.5)
    assert longer.detail["bed"] == at(21, 30, TODAY - timedelta(1)).isoformat(
        timespec="minutes")
    assert longer.detail["wake"] == at(7, 0).isoformat(timespec="minutes")
    both = tracker.edit(entry.id, amount=6, at=at(8, 0))
    assert both.detail == {"bed": at(2, 0).isoformat(timespec="minutes"),
                           "wake": at(8, 0).isoformat(timespec="minutes")}


def test_a_plain_sleep_entry_moves_without_bed_and_wake(tracker: Tracker) -> None:
    entry = tracker.log("sleep", 7, at=at(7)).entry
    assert entry.id is not None
    moved = tracker.edit(entry.id, at=at(8), amount=7.5)
    assert (moved.at, moved.amount, moved.detail) == (at(8), 7.5, {})
    water = tracker.log("water", 250, at=at(9), detail={"bed": "x"}).entry
    assert water.id is not None
    assert tracker.edit(water.id, at=at(10)).detail == {"bed": "x"}
    assert tracker.edit(water.id, amount=300).detail == {"bed": "x"}


def test_an_entry_that_is_gone(tracker: Tracker) -> None:
    assert refusal(tracker.edit, 99, amount=1) == "that entry no longer exists"
    assert refusal(tracker.delete, 99) == "that entry no longer exists"


def test_delete_and_undo_keep_the_day_right(tracker: Tracker) -> None:
    first = tracker.log("water", 500, at=at(9)).entry
    tracker.log("water", 250, at=at(10))
    assert first.id is not None
    tracker.delete(first.id)
    assert tracker.summary().get("water").total == 250  # type: ignore[union-attr]
    tracker.undo_delete(first.id)
    assert tracker.summary().get("water").total == 750  # type: ignore[union-attr]


def test_sleep_times_put_bed_on_the_evening_before_when_later_on_the_clock(
        tracker: Tracker) -> None:
    assert tracker.sleep_times(time(23), time(7), TODAY) == (
        at(23, 0, TODAY - timedelta(1)), at(7))
    assert tracker.sleep_times(time(1), time(7), TODAY) == (at(1), at(7))
    # Bed at the wake time on the clock is a whole day's sleep, not none.
    assert tracker.sleep_times(time(7), time(7), TODAY) == (at(7, 0, TODAY - timedelta(1)),
                                                            at(7))
    assert tracker.sleep_times(time(23), time(7)) == (at(23, 0, TODAY - timedelta(1)), at(7))


def test_a_moment_on_a_day(tracker: Tracker) -> None:
    assert tracker.moment_on_day(TODAY) == at(14, 30)
    assert tracker.moment_on_day(TODAY - timedelta(2)) == at(12, 0, TODAY - timedelta(2))
    assert tracker.moment_on_day(TODAY, time(9, 15)) == at(9, 15)
    # After midnight on the clock still belongs to the Quell day before.
    assert tracker.moment_on_day(TODAY - timedelta(1), time(1, 0)) == at(1, 0)


def test_habit_switches(tracker: Tracker, store: FakeStore) -> None:
    assert refusal(tracker.set_enabled_habits, ["water", "tea", "coffee"]) == (
        "unknown habit 'tea'")
    everything_but_sleep = [k for k in store.enabled if k != "sleep"]
    assert refusal(tracker.set_enabled_habits, everything_but_sleep) == (
        "Sleep cannot be switched off")
    keys = ["sleep", "water", "caffeine", "stretching", "nicotine"]
    tracker.set_enabled_habits(keys)
    assert store.enabled == ["water", "caffeine", "sleep", "stretching", "nicotine"]
