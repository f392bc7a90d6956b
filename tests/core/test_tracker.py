"""The tracker's rules, on an in-memory store with an injected clock."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from quell.core.entries import Source
from quell.core.errors import InputError
from quell.core.habits import Direction, Kind, user_habit
from quell.core.settings import Settings
from quell.core.summary import Status
from quell.core.tracker import Tracker
from tests.conftest import FakeClock
from tests.core.fakes import FakeStore

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def tracker(store: FakeStore, clock: FakeClock) -> Tracker:
    return Tracker(store, clock, Settings)


def test_log_water_defaults_to_a_glass(tracker: Tracker) -> None:
    logged = tracker.log("water")
    assert logged.entry.amount == 250
    assert logged.progress.total == 250
    assert logged.progress.status is Status.ON_THE_WAY


@pytest.mark.parametrize(("key", "amount"), [
    ("water", 50_000), ("water", 0), ("water", -5), ("caffeine", 0), ("caffeine", 1500),
    ("sleep", 30), ("stress", 6), ("stress", 2.5), ("stretching", 0), ("nicotine", 101),
    ("exercise", 0), ("minerals", 21),
])
def test_bad_amounts_write_nothing(tracker: Tracker, store: FakeStore, key: str,
                                   amount: float) -> None:
    with pytest.raises(InputError):
        tracker.log(key, amount)
    assert store.entries == {}


def test_unknown_habit_names_the_choices(tracker: Tracker) -> None:
    with pytest.raises(InputError, match=r"unknown habit 'coffee'.*water, caffeine"):
        tracker.log("coffee", 1)


@pytest.mark.parametrize("key", ["caffeine", "sleep", "stress", "exercise"])
def test_habits_without_a_default_need_an_amount(tracker: Tracker, key: str) -> None:
    with pytest.raises(InputError, match="needs an amount"):
        tracker.log(key)


def test_future_and_ancient_times_are_refused(tracker: Tracker, clock: FakeClock,
                                              store: FakeStore) -> None:
    with pytest.raises(InputError, match="in the future"):
        tracker.log("water", 250, at=clock.now() + timedelta(hours=1))
    with pytest.raises(InputError, match="ten years ago"):
        tracker.log("water", 250, at=clock.now() - timedelta(days=4000))
    assert store.entries == {}


def test_switched_off_habit_is_refused(tracker: Tracker, store: FakeStore) -> None:
    tracker.set_enabled_habits(["water", "caffeine", "sleep", "stretching"])
    with pytest.raises(InputError, match="switched off"):
        tracker.log("nicotine")
    with pytest.raises(InputError, match="cannot be switched off"):
        tracker.set_enabled_habits(["water"])


def test_late_night_entry_belongs_to_the_day_before(tracker: Tracker, clock: FakeClock) -> None:
    clock.set(datetime(2026, 3, 11, 1, 30, tzinfo=LONDON))
    logged = tracker.log_drink("espresso")
    assert logged.entry.day == date(2026, 3, 10)
    assert tracker.current_day() == date(2026, 3, 10)
    assert logged.entry.detail == {"preset": "espresso"}
    assert logged.entry.amount == 63


def test_unknown_drink(tracker: Tracker) -> None:
    with pytest.raises(InputError, match="unknown drink 'latte'"):
        tracker.log_drink("latte")


def test_sleep_counts_on_the_wake_day_and_spans_dst(tracker: Tracker, clock: FakeClock) -> None:
    clock.set(datetime(2026, 3, 29, 9, 0, tzinfo=LONDON))
    bed, wake = tracker.sleep_times(time(23, 0), time(7, 0))
    logged = tracker.log_sleep(bed, wake)
    assert logged.entry.day == date(2026, 3, 29)
    assert logged.entry.amount == 7  # the clocks went forward that night
    assert logged.entry.detail["bed"].startswith("2026-03-28T23:00")
    assert logged.progress.status is Status.MET


def test_sleep_after_midnight_bedtime(tracker: Tracker) -> None:
    bed, wake = tracker.sleep_times(time(1, 0), time(7, 0), date(2026, 3, 10))
    assert bed.date() == wake.date()
    assert tracker.log_sleep(bed, wake).entry.amount == 6


def test_wake_before_bed_is_refused(tracker: Tracker, clock: FakeClock) -> None:
    now = clock.now()
    with pytest.raises(InputError, match="after the bedtime"):
        tracker.log_sleep(now - timedelta(hours=1), now - timedelta(hours=2))


def test_exercise_keeps_its_intensity(tracker: Tracker) -> None:
    logged = tracker.log_exercise(45, "very_hard")
    assert logged.entry.detail == {"intensity": "very_hard"}
    with pytest.raises(InputError, match="unknown intensity"):
        tracker.log_exercise(45, "extreme")


def test_stress_total_is_the_highest_rating(tracker: Tracker) -> None:
    tracker.log("stress", 2)
    tracker.log("stress", 4)
    assert tracker.summary().get("stress").total == 4


def test_edit_moves_an_entry_to_another_day(tracker: Tracker, clock: FakeClock) -> None:
    entry = tracker.log("water", 250).entry
    assert entry.id is not None
    moved = tracker.edit(entry.id, at=clock.now() - timedelta(days=1), amount=500, note=" a  b ")
    assert moved.day == date(2026, 3, 9)
    assert (moved.amount, moved.note) == (500, "a b")
    assert tracker.summary().get("water").total == 0
    with pytest.raises(InputError):
        tracker.edit(entry.id, amount=0)


def test_editing_a_night_keeps_bed_and_wake_consistent(tracker: Tracker) -> None:
    bed, wake = tracker.sleep_times(time(23, 0), time(7, 0), date(2026, 3, 10))
    entry = tracker.log_sleep(bed, wake).entry
    assert entry.id is not None
    edited = tracker.edit(entry.id, amount=6.5)
    assert edited.detail["bed"].startswith("2026-03-10T00:30")


def test_delete_and_undo(tracker: Tracker, store: FakeStore) -> None:
    entry = tracker.log("water", 250).entry
    assert entry.id is not None
    tracker.delete(entry.id)
    assert tracker.summary().get("water").total == 0
    tracker.undo_delete(entry.id)
    assert tracker.summary().get("water").total == 250
    with pytest.raises(InputError):
        tracker.delete(999)


def test_targets_take_effect_from_today_and_keep_history(tracker: Tracker,
                                                         clock: FakeClock) -> None:
    yesterday = tracker.current_day() - timedelta(days=1)
    tracker.set_target("water", 2500)
    assert tracker.targets()["water"].value == 2500
    assert tracker.targets(yesterday)["water"].value == 2000
    tracker.set_target("sleep", 7.5, 8.5)
    assert tracker.targets()["sleep"].value_max == 8.5


@pytest.mark.parametrize(("key", "value", "value_max"), [
    ("water", 0, None), ("water", -1, None), ("sleep", 9, 7), ("sleep", 7, None),
    ("stress", 3, None), ("caffeine", -10, None), ("water", None, None),
])
def test_bad_targets(tracker: Tracker, key: str, value: float | None,
                     value_max: float | None) -> None:
    with pytest.raises(InputError):
        tracker.set_target(key, value, value_max)


def test_past_days_get_noon_and_small_hours_fall_after_midnight(tracker: Tracker) -> None:
    yesterday = tracker.current_day() - timedelta(days=1)
    assert tracker.moment_on_day(yesterday).hour == 12
    late = tracker.moment_on_day(yesterday, time(2, 0))
    assert late.date() == tracker.current_day()
    assert tracker.day_of(late) == yesterday


def test_sources_are_kept(tracker: Tracker) -> None:
    assert tracker.log("water", source=Source.TRAY).entry.source is Source.TRAY


def test_overlong_note(tracker: Tracker) -> None:
    with pytest.raises(InputError, match="500 characters"):
        tracker.log("water", note="x" * 501)


def test_small_hours_of_tonight_get_a_clear_message(tracker: Tracker, clock: FakeClock) -> None:
    tonight = tracker.moment_on_day(tracker.current_day(), time(2, 0))
    with pytest.raises(InputError, match="small hours after this day"):
        tracker.log("water", 250, at=tonight)


def test_editing_a_drink_amount_drops_its_preset(tracker: Tracker) -> None:
    entry = tracker.log_drink("espresso").entry
    assert entry.id is not None
    assert tracker.edit(entry.id, amount=63).detail == {"preset": "espresso"}
    assert tracker.edit(entry.id, amount=126).detail == {}


# -- the days held in memory: a write is applied, never a reason to read the whole day ------


def _fresh_summary(store: FakeStore, clock: FakeClock, day: date):  # type: ignore[no-untyped-def]
    """What a tracker that holds nothing reads from the store."""
    return Tracker(store, clock, Settings).summary(day)


def test_held_summary_matches_a_fresh_read_after_every_kind_of_change(
        tracker: Tracker, store: FakeStore, clock: FakeClock) -> None:
    today = tracker.current_day()
    yesterday = today - timedelta(days=1)
    tracker.summary(today)
    tracker.summary(yesterday)
    now = clock.now()
    first = tracker.log("water", 250).entry
    tracker.log("caffeine", 95, at=now - timedelta(hours=2))   # earlier: goes before
    tracker.log("water", 500, at=now - timedelta(hours=2))     # same moment as the coffee
    tracker.log("stress", 3)
    tracker.log("stress", 2)                                    # a rating: the highest counts
    later = tracker.log("stretching").entry
    assert first.id is not None and later.id is not None
    tracker.edit(first.id, amount=750)
    tracker.edit(later.id, at=now - timedelta(days=1))         # moves to yesterday
    removed = tracker.log("minerals").entry
    assert removed.id is not None
    tracker.delete(removed.id)
    tracker.set_target("water", 2500)
    for day in (today, yesterday):
        assert tracker.summary(day) == _fresh_summary(store, clock, day)
    tracker.undo_delete(removed.id)
    tracker.set_enabled_habits([k for k in store.enabled if k != "exercise"])
    for day in (today, yesterday):
        assert tracker.summary(day) == _fresh_summary(store, clock, day)
    assert tracker.summary(yesterday).get("stretching").total == 1
    assert tracker.summary(today).get("water").total == 1250


def test_a_write_builds_again_only_the_habit_it_changed(
        tracker: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    import quell.core.tracker as tracker_module

    before = tracker.summary()
    built: list[str] = []
    real = tracker_module.habit_progress

    def counting(spec, entries, target):  # type: ignore[no-untyped-def]
        built.append(spec.key)
        return real(spec, entries, target)

    monkeypatch.setattr(tracker_module, "habit_progress", counting)
    tracker.log("water", 250)
    after = tracker.summary()
    assert built == ["water"]
    assert after.get("caffeine") is before.get("caffeine")  # untouched habits are shared
    assert tracker.summary() is after                          # and nothing is built twice


def test_a_change_made_outside_the_tracker_is_seen(tracker: Tracker, store: FakeStore,
                                                   clock: FakeClock) -> None:
    from quell.core.entries import Entry

    assert tracker.summary().get("water").total == 0
    store.add_entry(Entry("water", clock.now(), tracker.current_day(), 300.0))
    store.outside_writes += 1  # as an import or another process would move the stamp
    assert tracker.summary().get("water").total == 300


def test_a_write_by_someone_else_during_ours_makes_the_tracker_read_again(
        store: FakeStore, clock: FakeClock) -> None:
    from quell.core.entries import Entry

    tracker = Tracker(store, clock, Settings)
    tracker.summary()
    real_add = store.add_entry

    def add_while_another_writes(entry: Entry) -> Entry:
        real_add(Entry("caffeine", clock.now(), entry.day, 95.0))
        store.outside_writes += 1
        return real_add(entry)

    store.add_entry = add_while_another_writes  # type: ignore[method-assign]
    logged = tracker.log("water", 250)
    assert logged.progress.total == 250
    assert tracker.summary().get("caffeine").total == 95


# -- the user's own habits (issue 10) ---------------------------------------------------------


def _alcohol(tracker: Tracker, **changes: object) -> object:
    fields: dict[str, object] = {"name": "Alcohol", "unit_key": "drinks", "kind": Kind.COUNT,
                                 "direction": Direction.AT_MOST, "target": 2, "quick": [1],
                                 "key": "alcohol"}
    fields.update(changes)
    return user_habit(catalog=tracker.habits, **fields)  # type: ignore[arg-type]


def test_an_added_habit_is_logged_summarised_and_ordered_last(tracker: Tracker,
                                                              store: FakeStore) -> None:
    added = tracker.add_habit(_alcohol(tracker))  # type: ignore[arg-type]
    assert added.key == "alcohol" and not added.builtin
    assert tracker.habits.get("alcohol") == added
    assert tracker.enabled_habits()[-1] == "alcohol"
    logged = tracker.log("alcohol")  # the first quick amount is the default
    assert logged.entry.amount == 1
    tracker.log("alcohol", 2)
    progress = tracker.summary().get("alcohol")
    assert progress is not None and progress.habit == added
    assert (progress.total, progress.target, progress.status) == (3, 2, Status.OVER)
    # Its target lives with the targets, from the beginning of time like a default.
    assert tracker.targets(date(2000, 1, 1))["alcohol"].value == 2


def test_a_user_habits_entry_bounds_come_from_its_definition(tracker: Tracker,
                                                             store: FakeStore) -> None:
    tracker.add_habit(_alcohol(tracker))  # type: ignore[arg-type]
    for bad in (0, 101, 1.5):
        with pytest.raises(InputError):
            tracker.log("alcohol", bad)
    assert store.entries == {}
    entry = tracker.log("alcohol", 100).entry
    assert entry.id is not None
    with pytest.raises(InputError, match="between 1 and 100"):
        tracker.edit(entry.id, amount=200)


def test_adding_twice_or_a_builtin_writes_nothing(tracker: Tracker, store: FakeStore) -> None:
    habit = _alcohol(tracker)
    tracker.add_habit(habit)  # type: ignore[arg-type]
    writes = store.writes
    with pytest.raises(InputError, match="already have a habit named 'Alcohol'"):
        tracker.add_habit(habit)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="already have a habit named 'Water'"):
        tracker.add_habit(tracker.habits.get("water"))
    assert store.writes == writes


def test_a_changed_target_counts_from_today_and_earlier_days_keep_theirs(
        tracker: Tracker, store: FakeStore, clock: FakeClock) -> None:
    tracker.add_habit(_alcohol(tracker))  # type: ignore[arg-type]
    today = tracker.current_day()
    updated = tracker.update_habit(_alcohol(tracker, name="Beer", target=1))  # type: ignore[arg-type]
    assert updated.key == "alcohol" and updated.label == "Beer"
    assert updated.default_target == 2  # what it was created with
    assert tracker.targets(today)["alcohol"].value == 1
    assert tracker.targets(today - timedelta(days=1))["alcohol"].value == 2
    writes = store.writes
    tracker.update_habit(_alcohol(tracker, name="Beer", target=1))  # type: ignore[arg-type]
    assert [t for t in store.targets if t.habit == "alcohol"][-1].effective_from == today
    assert store.writes == writes + 1  # the definition only: no second target row


def test_kind_and_unit_change_only_while_there_are_no_entries(tracker: Tracker,
                                                              store: FakeStore) -> None:
    tracker.add_habit(_alcohol(tracker))  # type: ignore[arg-type]
    changed = tracker.update_habit(_alcohol(tracker, unit_key="ml", kind=Kind.AMOUNT,
                                            target=500, quick=[]))  # type: ignore[arg-type]
    assert (changed.unit, changed.kind, changed.default_target) == ("ml", Kind.AMOUNT, 500)
    tracker.log("alcohol", 330)
    writes = store.writes
    with pytest.raises(InputError, match="already has entries"):
        tracker.update_habit(_alcohol(tracker))  # type: ignore[arg-type]
    assert store.writes == writes


def test_archive_keeps_history_and_restore_brings_it_back(tracker: Tracker,
                                                          store: FakeStore) -> None:
    tracker.add_habit(_alcohol(tracker))  # type: ignore[arg-type]
    tracker.log("alcohol", 2)
    tracker.archive_habit("alcohol")
    assert tracker.habits.get("alcohol").archived
    assert "alcohol" not in tracker.enabled_habits()
    assert tracker.summary().get("alcohol") is None
    with pytest.raises(InputError, match="archived"):
        tracker.log("alcohol", 1)
    assert [e.amount for e in store.entries.values()] == [2]
    tracker.restore_habit("alcohol")
    assert not tracker.habits.get("alcohol").archived
    summary = tracker.summary().get("alcohol")
    assert summary is not None and summary.total == 2


@pytest.mark.parametrize("call", ["archive_habit", "restore_habit"])
def test_builtins_and_unknown_keys_cannot_be_archived(tracker: Tracker, call: str) -> None:
    with pytest.raises(InputError, match="one of Quell's own habits: switch it off"):
        getattr(tracker, call)("water")
    with pytest.raises(InputError, match="unknown habit 'beer'"):
        getattr(tracker, call)("beer")


def test_habit_order_needs_every_offered_key_once(tracker: Tracker, store: FakeStore) -> None:
    tracker.add_habit(_alcohol(tracker))  # type: ignore[arg-type]
    keys = [h.key for h in tracker.habits.offered()]
    new = ["alcohol", *reversed(keys[:-1])]
    writes = store.writes
    for bad, message in (([*new, "water"], "only once"), ([*new[:-1], "tea"], "unknown"),
                         (new[:-1], "leaves out")):
        with pytest.raises(InputError, match=message):
            tracker.set_habit_order(bad)
    assert store.writes == writes
    tracker.set_habit_order(new)
    assert tracker.enabled_habits() == [k for k in new if k in store.enabled]
    assert tracker.summary().habits[0].habit.key == "alcohol"


def test_an_outside_change_of_habits_is_read_again(tracker: Tracker, store: FakeStore) -> None:
    assert tracker.habits.user == ()
    store.user["tea"] = user_habit("Tea", "cups", Kind.COUNT, Direction.NONE)
    store.order.append("tea")
    store.outside_writes += 1
    assert tracker.habits.get("tea").label == "Tea"


def test_a_user_habits_target_is_checked_by_its_definition(tracker: Tracker) -> None:
    tracker.add_habit(_alcohol(tracker))  # type: ignore[arg-type]
    tracker.validate_target("alcohol", 0)
    with pytest.raises(InputError, match="between 0 and 10000"):
        tracker.set_target("alcohol", 20000)
    with pytest.raises(InputError, match="unknown habit 'tea'"):
        tracker.validate_target("tea", 1)
    assert tracker.set_target("alcohol", 3).value == 3


def _refusal(call: object, *args: object) -> str:
    with pytest.raises(InputError) as raised:
        call(*args)  # type: ignore[operator]
    return str(raised.value)


def test_the_user_habit_messages_word_for_word(tracker: Tracker, store: FakeStore) -> None:
    tracker.add_habit(_alcohol(tracker))  # type: ignore[arg-type]
    assert _refusal(tracker.add_habit, _alcohol(tracker)) == (
        "You already have a habit named 'Alcohol'.")
    assert _refusal(tracker.log, "tea") == (
        "unknown habit 'tea' (choose from water, caffeine, sleep, stretching, breathing, "
        "stress, exercise, nicotine, minerals, alcohol)")
    assert _refusal(tracker.archive_habit, "water") == (
        "Water is one of Quell's own habits: switch it off in Settings instead")
    assert _refusal(tracker.update_habit, tracker.habits.get("water")) == (
        "Water is one of Quell's own habits: switch it off in Settings instead")
    assert _refusal(tracker.restore_habit, "tea") == "unknown habit 'tea'"
    tracker.log("alcohol", 1)
    assert _refusal(tracker.update_habit, _alcohol(tracker, kind=Kind.AMOUNT,
                                                   unit_key="drinks")) == (
        "Alcohol already has entries, so its kind and unit cannot change; add a new habit "
        "instead.")
    keys = [h.key for h in tracker.habits.offered()]
    assert _refusal(tracker.set_habit_order, [*keys, "water"]) == (
        "each habit can be in the order only once")
    assert _refusal(tracker.set_habit_order, [*keys, "tea"]) == "unknown habit 'tea'"
    assert _refusal(tracker.set_habit_order, keys[1:]) == "the order leaves out water"
    tracker.archive_habit("alcohol")
    assert _refusal(tracker.log, "alcohol", 1) == (
        "Alcohol is archived; restore it in Settings first")
    # The archived habit is no longer offered: the order is of the others.
    tracker.set_habit_order(list(reversed(keys[:-1])))
    assert _refusal(tracker.validate_target, "tea", 1) == "unknown habit 'tea'"
    assert _refusal(tracker.validate_target, "alcohol", None) == "Alcohol needs a target"


def test_archive_and_restore_write_only_when_they_change_something(
        tracker: Tracker, store: FakeStore) -> None:
    tracker.add_habit(_alcohol(tracker))  # type: ignore[arg-type]
    writes = store.writes
    tracker.restore_habit("alcohol")  # not archived: nothing to do
    assert store.writes == writes
    tracker.archive_habit("alcohol")
    tracker.archive_habit("alcohol")
    assert store.writes == writes + 1
    tracker.restore_habit("alcohol")
    assert store.writes == writes + 2 and "alcohol" in tracker.enabled_habits()


def test_a_new_direction_takes_its_own_default_target(tracker: Tracker,
                                                      store: FakeStore) -> None:
    tracker.add_habit(_alcohol(tracker))  # type: ignore[arg-type]
    today = tracker.current_day()
    ranged = tracker.update_habit(_alcohol(tracker, direction=Direction.RANGE, target=1,
                                           target_max=3))  # type: ignore[arg-type]
    assert (ranged.direction, ranged.default_target, ranged.default_target_max) == (
        Direction.RANGE, 1, 3)
    assert ranged.trigger is not None and ranged.trigger.key == "alcohol_outside_range"
    target = tracker.targets(today)["alcohol"]
    assert (target.value, target.value_max, target.effective_from) == (1, 3, today)
    loose = tracker.update_habit(_alcohol(tracker, direction=Direction.NONE))  # type: ignore[arg-type]
    assert loose.default_target is None
    assert tracker.targets(today)["alcohol"].value is None
    progress = tracker.summary().get("alcohol")
    assert progress is not None and progress.status is Status.NO_GOAL
    assert tracker.habits.get("alcohol").archived is False


def test_an_archived_habit_stays_archived_when_edited(tracker: Tracker) -> None:
    tracker.add_habit(_alcohol(tracker))  # type: ignore[arg-type]
    tracker.archive_habit("alcohol")
    assert tracker.update_habit(_alcohol(tracker, name="Beer")).archived  # type: ignore[arg-type]


def test_at_most_so_many_habits_of_ones_own(tracker: Tracker, store: FakeStore) -> None:
    from quell.core.habits import MAX_USER_HABITS

    for i in range(MAX_USER_HABITS):
        store.user[f"h{i}"] = user_habit(f"Habit {i}", "cups", Kind.COUNT, Direction.NONE)
        store.order.append(f"h{i}")
    store.outside_writes += 1
    assert _refusal(tracker.add_habit, _alcohol(tracker)) == (
        "You can have at most 200 habits of your own.")
    del store.user["h0"]
    store.outside_writes += 1
    assert tracker.add_habit(_alcohol(tracker)).key == "alcohol"  # type: ignore[arg-type]


def test_an_entry_of_a_habit_no_definition_explains_cannot_be_edited(
        tracker: Tracker, store: FakeStore) -> None:
    tracker.add_habit(_alcohol(tracker))  # type: ignore[arg-type]
    entry = tracker.log("alcohol", 1).entry
    assert entry.id is not None
    del store.user["alcohol"]
    store.outside_writes += 1
    with pytest.raises(InputError, match=r"^unknown habit 'alcohol'$"):
        tracker.edit(entry.id, amount=2)
    assert tracker.summary().get("alcohol") is None  # a row without a definition is skipped


def test_drinks_nights_and_workouts_go_to_the_habit_whose_definition_has_them(
        tracker: Tracker) -> None:
    assert _refusal(tracker.log_drink, "latte") == (
        "unknown drink 'latte' (choose from espresso, filter_coffee, black_tea, green_tea, "
        "cola, energy_drink)")
    assert tracker.log_drink("Filter Coffee").entry.detail == {"preset": "filter_coffee"}
    assert _refusal(tracker.log_exercise, 30, "gentle") == (
        "unknown intensity 'gentle' (choose from moderate, hard, very_hard)")


def test_summarize_day_covers_the_users_habits_given_the_catalog() -> None:
    from quell.core.entries import Entry, Target
    from quell.core.habits import HabitCatalog
    from quell.core.summary import summarize_day

    tea = user_habit("Tea", "cups", Kind.COUNT, Direction.AT_MOST, 3)
    day = date(2026, 3, 10)
    at = datetime(2026, 3, 10, 9, 0, tzinfo=LONDON)
    entries = [Entry("tea", at, day, 2), Entry("tea", at + timedelta(hours=1), day, 2),
               Entry("water", at, day, 250)]
    summary = summarize_day(day, entries, {"tea": Target("tea", 3, None, date.min)},
                            ["water", "tea"], HabitCatalog([tea]))
    progress = summary.get("tea")
    assert progress is not None and progress.habit is tea
    assert (progress.total, progress.status) == (4, Status.OVER)
    assert [p.habit.key for p in summary.habits] == ["water", "tea"]
    with pytest.raises(KeyError):
        summarize_day(day, entries, {}, ["tea"])  # the built-ins alone do not know it
    assert summarize_day(day, entries, {}, ["water"]).get("water") is not None
