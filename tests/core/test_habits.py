"""Habit definitions: user_habit()'s every rule and message, slug(), HabitCatalog, Habit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quell.core.errors import InputError
from quell.core.habits import (
    BUILTIN_TRIGGER_ORDER,
    HABIT_KEYS,
    HABITS,
    MAX_KEY_LENGTH,
    MAX_NAME_LENGTH,
    MAX_QUICK_AMOUNTS,
    UNITS,
    Aggregate,
    Direction,
    Habit,
    HabitCatalog,
    Kind,
    QuickAmount,
    TriggerRule,
    drink_preset,
    find_habit,
    habit,
    intensity_label,
    slug,
    stress_label,
    unit,
    user_habit,
)


def refusal(**fields: object) -> str:
    args: dict[str, object] = {"name": "Tea", "unit_key": "cups", "kind": Kind.COUNT,
                               "direction": Direction.NONE}
    args.update(fields)
    with pytest.raises(InputError) as raised:
        user_habit(**args)  # type: ignore[arg-type]
    return str(raised.value)


# -- slug --------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "key"), [
    ("Alcohol", "alcohol"), ("Ate late", "ate_late"), ("Café", "cafe"),
    ("  --Screen   time!-- ", "screen_time"), ("Über 9000", "uber_9000"), ("日本", ""),
    ("a", "a"), ("ﬃ", "ffi"), ("A_B", "a_b"), ("x__y", "x_y"), ("", ""),
])
def test_slug(name: str, key: str) -> None:
    assert slug(name) == key


# -- user_habit: what it makes -----------------------------------------------------------


def test_a_count_habit() -> None:
    made = user_habit("  Ate   late ", "times", Kind.COUNT, Direction.AT_MOST, 1, 9, [1, 2, 1])
    assert (made.key, made.name, made.label, made.unit, made.unit_label) == (
        "ate_late", "Ate late", "Ate late", "times", "times")
    assert (made.kind, made.direction, made.default_target, made.default_target_max) == (
        Kind.COUNT, Direction.AT_MOST, 1, None)  # at most: no upper end
    assert (made.min_amount, made.min_inclusive, made.max_amount, made.integer) == (
        1.0, True, 100, True)
    assert made.aggregate is Aggregate.SUM and not made.builtin and not made.archived
    assert made.quick == (QuickAmount(1.0), QuickAmount(2.0))  # each amount once
    assert made.default_amount == 1
    assert made.trigger is not None
    assert (made.trigger.key, made.trigger.rule, made.trigger.none_is_zero) == (
        "ate_late_over_limit", TriggerRule.OVER_TARGET, True)
    assert not made.trigger.day_before and made.trigger.threshold is None
    assert made.trigger.label(made) == "Ate late over your limit"
    assert made.trigger.opening(made) == "On days with more than your limit of ate late"


@pytest.mark.parametrize(("direction", "suffix", "rule", "none_is_zero"), [
    (Direction.AT_MOST, "over_limit", TriggerRule.OVER_TARGET, True),
    (Direction.AT_LEAST, "under_target", TriggerRule.UNDER_TARGET, False),
    (Direction.RANGE, "outside_range", TriggerRule.OUTSIDE_RANGE, False),
    (Direction.NONE, "any", TriggerRule.ANY, True),
])
def test_the_trigger_follows_the_direction(direction: Direction, suffix: str,
                                           rule: TriggerRule, none_is_zero: bool) -> None:
    made = user_habit("Tea", "cups", Kind.COUNT, direction, 1, 2)
    assert made.trigger is not None
    assert (made.trigger.key, made.trigger.rule, made.trigger.none_is_zero) == (
        f"tea_{suffix}", rule, none_is_zero)
    assert made.trigger.label(made).startswith(("Tea", "Any tea"))


def test_an_amount_habit_starts_above_zero_and_needs_an_amount() -> None:
    made = user_habit("Juice", "ml", Kind.AMOUNT, Direction.AT_LEAST, 0)
    assert (made.min_amount, made.min_inclusive, made.max_amount, made.integer) == (
        0.0, False, 10000, False)
    assert made.default_amount is None and made.quick == ()
    assert not made.accepts(0) and made.accepts(0.01) and made.accepts(10000)
    assert not made.accepts(10000.01)
    assert made.default_target == 0


def test_count_units_of_an_amount_habit_take_fractions() -> None:
    made = user_habit("Wine", "glasses", Kind.AMOUNT, Direction.NONE, quick=[0.5])
    assert not made.integer and made.accepts(0.5) and made.default_amount == 0.5
    counted = user_habit("Wine", "glasses", Kind.COUNT, Direction.NONE)
    assert counted.integer and not counted.accepts(0.5) and counted.default_amount == 1


def test_a_rating_habit_takes_its_highest_of_the_day() -> None:
    made = user_habit("Mood", "rating", Kind.RATING, Direction.NONE, 3, 4)
    assert made.aggregate is Aggregate.MAX and made.integer
    assert (made.min_amount, made.max_amount) == (1, 5)
    assert (made.default_target, made.default_target_max) == (None, None)  # none: no goal
    assert made.default_amount is None
    assert made.accepts(1) and made.accepts(5) and not made.accepts(6) and not made.accepts(0)


def test_a_duration_and_a_range() -> None:
    made = user_habit("Screen time", "hours", Kind.DURATION, Direction.RANGE, 0, 0)
    assert (made.default_target, made.default_target_max) == (0, 0)  # low == high is fine
    assert made.max_amount == 24 and made.unit_label == "h"


def test_an_edit_keeps_its_key_and_may_keep_its_name() -> None:
    tea = user_habit("Tea", "cups", Kind.COUNT, Direction.NONE)
    catalog = HabitCatalog([tea])
    again = user_habit("Tea", "cups", Kind.COUNT, Direction.NONE, catalog=catalog, key="tea")
    assert again == tea
    renamed = user_habit("Green tea", "cups", Kind.COUNT, Direction.NONE, catalog=catalog,
                         key="tea")
    assert renamed.key == "tea" and renamed.trigger is not None
    assert renamed.trigger.key == "tea_any"


def test_the_boundaries_that_are_allowed() -> None:
    assert user_habit("x" * MAX_NAME_LENGTH, "cups", Kind.COUNT, Direction.NONE).key == (
        "x" * MAX_NAME_LENGTH)
    assert user_habit("Tea", "cups", Kind.COUNT, Direction.NONE,
                      key="t" * MAX_KEY_LENGTH).key == "t" * MAX_KEY_LENGTH
    assert user_habit("ﬃ" * 20, "cups", Kind.COUNT, Direction.NONE).key == "ffi" * 20
    assert user_habit("Tea", "cups", Kind.COUNT, Direction.AT_MOST, 0).default_target == 0
    assert user_habit("Tea", "cups", Kind.COUNT, Direction.AT_MOST,
                      10000).default_target == 10000  # 100 a cup x 100
    assert user_habit("Tea", "cups", Kind.COUNT, Direction.RANGE, 0,
                      10000).default_target_max == 10000
    assert len(user_habit("Tea", "cups", Kind.COUNT, Direction.NONE,
                          quick=[1, 2, 3, 100]).quick) == MAX_QUICK_AMOUNTS
    assert user_habit("a", "cups", Kind.COUNT, Direction.NONE, key="a_9").key == "a_9"


# -- user_habit: every refusal, word for word ------------------------------------------


@pytest.mark.parametrize(("fields", "message"), [
    ({"name": ""}, "A habit needs a name."),
    ({"name": " \t\n "}, "A habit needs a name."),
    ({"name": "Tea\x1b[2J"}, "A habit's name cannot hold control characters."),
    ({"name": "Tea\x00"}, "A habit's name cannot hold control characters."),
    ({"name": "Tea\u202e"}, "A habit's name cannot hold control characters."),
    ({"name": "\u2066Tea"}, "A habit's name cannot hold control characters."),
    ({"name": "Tea\udcff"}, "A habit's name cannot hold control characters."),
    ({"name": "x" * (MAX_NAME_LENGTH + 1)}, "A habit's name can be at most 40 characters."),
    ({"name": "ﬃ" * 21}, "A habit's name makes too long a key; choose a shorter name."),
    ({"name": "!!!"}, "A habit's name must start with a letter."),
    ({"name": "日本"}, "A habit's name must start with a letter."),
    ({"name": "9 lives"}, "A habit's name must start with a letter."),
    ({"name": "_tea"}, None),  # the slug drops the underscore: 'tea' is fine
    ({"key": "Tea"}, "'Tea' is not a habit key (lower-case letters, digits and _, starting "
                     "with a letter)."),
    ({"key": ""}, "'' is not a habit key (lower-case letters, digits and _, starting with a "
                  "letter)."),
    ({"key": "9a"}, None), ({"key": "_a"}, None), ({"key": "a-b"}, None),
    ({"key": "a\n"}, None), ({"key": "t" * (MAX_KEY_LENGTH + 1)}, None),
    ({"name": "Water", "unit_key": "ml", "kind": Kind.AMOUNT},
     "'Water' is one of Quell's own habits; choose another name."),
    ({"name": "Drink", "key": "water"},
     "'Drink' is one of Quell's own habits; choose another name."),
    ({"unit_key": "furlongs"}, "Unknown unit 'furlongs'; choose one of: units, drinks, cups, "
                               "glasses, portions, servings, pieces, times, sessions, doses, "
                               "pills, cigarettes."),
    ({"unit_key": "ml"}, "The unit 'ml' does not fit count habits; choose one of: units, "
                         "drinks, cups, glasses, portions, servings, pieces, times, sessions, "
                         "doses, pills, cigarettes."),
    ({"unit_key": "times", "kind": Kind.AMOUNT}, "The unit 'times' does not fit amount "
                                                 "habits; choose one of: ml, l, mg, g, units, "
                                                 "drinks, cups, glasses, portions, servings, "
                                                 "pieces."),
    ({"direction": Direction.AT_MOST, "target": -0.5}, "The target must be between 0 and "
                                                       "10000."),
    ({"direction": Direction.AT_MOST, "target": 10000.5}, "The target must be between 0 and "
                                                          "10000."),
    ({"direction": Direction.AT_MOST, "target": float("nan")}, "The target must be between 0 "
                                                               "and 10000."),
    ({"direction": Direction.RANGE, "target": 1, "target_max": 10001},
     "The upper end must be between 0 and 10000."),
    ({"direction": Direction.RANGE, "target": 1, "target_max": -1},
     "The upper end must be between 0 and 10000."),
    ({"direction": Direction.RANGE, "target": 1}, "A range needs a low and a high end."),
    ({"direction": Direction.RANGE, "target_max": 1}, "A range needs a low and a high end."),
    ({"direction": Direction.RANGE, "target": 2, "target_max": 1},
     "The range's low end must not be above its high end."),
    ({"direction": Direction.AT_MOST}, "An at-least or at-most habit needs a target."),
    ({"direction": Direction.AT_LEAST}, "An at-least or at-most habit needs a target."),
    ({"quick": [1, 2, 3, 4, 5]}, "A habit can have at most 4 quick amounts."),
    ({"quick": [1.5]}, "The quick amount 1.5 is outside what one entry of Tea can be."),
    ({"quick": [0]}, "The quick amount 0 is outside what one entry of Tea can be."),
    ({"quick": [101]}, "The quick amount 101 is outside what one entry of Tea can be."),
    ({"quick": [float("inf")]}, "The quick amount inf is outside what one entry of Tea can be."),
    ({"unit_key": "ml", "kind": Kind.AMOUNT, "quick": [0]},
     "The quick amount 0 is outside what one entry of Tea can be."),
])
def test_every_refusal(fields: dict[str, object], message: str | None) -> None:
    if message is None and fields.get("name") == "_tea":
        assert user_habit("_tea", "cups", Kind.COUNT, Direction.NONE).key == "tea"
        return
    found = refusal(**fields)
    if message is None:  # a malformed key
        assert found.endswith("is not a habit key (lower-case letters, digits and _, "
                              "starting with a letter).")
        assert len(found) < 150  # a long key is cut in the message
    else:
        assert found == message


def test_the_range_is_checked_in_the_units_own_bounds() -> None:
    assert refusal(unit_key="hours", kind=Kind.DURATION, direction=Direction.AT_MOST,
                   target=2401) == "The target must be between 0 and 2400."
    assert user_habit("Tea", "hours", Kind.DURATION, Direction.AT_MOST, 2400).max_amount == 24


@pytest.mark.parametrize("name", ["Tea", "TEA", "tea!", " tea ", "Téa"])
def test_a_duplicate_name_or_key(name: str) -> None:
    catalog = HabitCatalog([user_habit("Tea", "cups", Kind.COUNT, Direction.NONE)])
    with pytest.raises(InputError) as raised:
        user_habit(name, "cups", Kind.COUNT, Direction.NONE, catalog=catalog)
    assert str(raised.value) == "You already have a habit named 'Tea'."


def test_a_name_like_a_builtins_label_is_a_duplicate() -> None:
    assert refusal(name="mg/k-rich FOOD", catalog=HabitCatalog()) == (
        "You already have a habit named 'Mg/K-rich food'.")
    assert refusal(name="Hard Exercise", catalog=HabitCatalog()) == (
        "You already have a habit named 'Hard exercise'.")
    # Without a catalog only the built-in keys are checked.
    assert user_habit("Hard exercise", "minutes", Kind.DURATION, Direction.NONE).key == (
        "hard_exercise")


def test_an_edit_may_not_take_another_habits_name() -> None:
    catalog = HabitCatalog([user_habit("Tea", "cups", Kind.COUNT, Direction.NONE),
                            user_habit("Beer", "drinks", Kind.COUNT, Direction.NONE)])
    assert refusal(name="Beer", key="tea", catalog=catalog) == (
        "You already have a habit named 'Beer'.")


# -- the catalog --------------------------------------------------------------------------


def test_the_catalog_lists_builtins_then_the_users() -> None:
    tea = user_habit("Tea", "cups", Kind.COUNT, Direction.AT_MOST, 3)
    gone = replace(user_habit("Beer", "drinks", Kind.COUNT, Direction.AT_MOST, 1),
                   archived=True)
    catalog = HabitCatalog([tea, gone])
    assert catalog.keys == (*HABIT_KEYS, "tea", "beer")
    assert [h.key for h in catalog] == list(catalog.keys)
    assert len(catalog) == len(HABITS) + 2
    assert "tea" in catalog and "coffee" not in catalog and 5 not in catalog
    assert catalog.get("tea") is tea and catalog.find("tea") is tea
    assert catalog.find("coffee") is None
    with pytest.raises(KeyError):
        catalog.get("coffee")
    assert catalog.user == (tea, gone)
    assert [h.key for h in catalog.offered()] == [*HABIT_KEYS, "tea"]
    assert HabitCatalog().user == () and len(HabitCatalog()) == len(HABITS)


def test_triggers_builtins_in_the_contracts_order_then_the_users_not_archived() -> None:
    tea = user_habit("Tea", "cups", Kind.COUNT, Direction.AT_MOST, 3)
    gone = replace(user_habit("Beer", "drinks", Kind.COUNT, Direction.AT_MOST, 1),
                   archived=True)
    mood = user_habit("Mood", "rating", Kind.RATING, Direction.NONE)
    triggers = HabitCatalog([tea, gone, mood]).triggers()
    keys = [trigger.key for _habit, trigger in triggers]
    assert keys == [*BUILTIN_TRIGGER_ORDER, "tea_over_limit", "mood_any"]
    assert all(h.trigger is t for h, t in triggers)
    # An archived built-in (never made by Quell, but possible) keeps its trigger.
    assert len(HabitCatalog().triggers()) == len(BUILTIN_TRIGGER_ORDER)


def test_a_catalog_refuses_a_taken_key() -> None:
    tea = user_habit("Tea", "cups", Kind.COUNT, Direction.NONE)
    with pytest.raises(ValueError, match="habit key 'tea' is taken"):
        HabitCatalog([tea, tea])
    with pytest.raises(ValueError, match="habit key 'water' is taken"):
        HabitCatalog([replace(tea, key="water")])


def test_with_user_adds_or_replaces() -> None:
    tea = user_habit("Tea", "cups", Kind.COUNT, Direction.NONE)
    catalog = HabitCatalog([tea])
    green = replace(tea, name="Green tea")
    beer = user_habit("Beer", "drinks", Kind.COUNT, Direction.NONE)
    assert catalog.with_user(green).user == (green,)
    assert catalog.with_user(beer).user == (tea, beer)
    assert catalog.user == (tea,)  # unchanged


def test_catalogs_compare_by_their_habits_and_are_not_hashable() -> None:
    tea = user_habit("Tea", "cups", Kind.COUNT, Direction.NONE)
    assert HabitCatalog([tea]) == HabitCatalog([tea])
    assert HabitCatalog([tea]) != HabitCatalog()
    assert HabitCatalog() != object()
    with pytest.raises(TypeError):
        hash(HabitCatalog())


# -- a habit's own answers ----------------------------------------------------------------


def test_accepts_at_the_bounds() -> None:
    water, stretching = habit("water"), habit("stretching")
    assert not water.accepts(0) and water.accepts(0.001) and water.accepts(5000)
    assert not water.accepts(5000.001)
    assert not stretching.accepts(0) and stretching.accepts(1) and stretching.accepts(20)
    assert not stretching.accepts(21) and not stretching.accepts(1.5)


def test_unit_for_reads_right_after_the_amount() -> None:
    stretching = habit("stretching")
    assert stretching.unit_for(1) == "session" and stretching.unit_for(2) == "sessions"
    assert stretching.unit_for(0) == "sessions"
    assert habit("water").unit_for(1) == "ml"
    cups = user_habit("Tea", "cups", Kind.COUNT, Direction.NONE)
    assert (cups.unit_for(1), cups.unit_for(3), cups.unit_text) == ("cup", "cups", "cups")


def test_a_units_label_reads_right_after_the_amount_too() -> None:
    units = {u.key: u for u in UNITS}
    assert (units["drinks"].text_for(1), units["drinks"].text_for(2)) == ("drink", "drinks")
    assert (units["units"].text_for(1), units["units"].text_for(0)) == ("unit", "units")
    assert units["ml"].text_for(1) == "ml"


def test_rating_labels() -> None:
    stress = habit("stress")
    assert stress.rating_label(1) == "Very calm" and stress.rating_label(5) == stress_label(5)
    assert stress.rating_label(0) == "0" and stress.rating_label(6) == "6"
    mood = user_habit("Mood", "rating", Kind.RATING, Direction.NONE)
    assert mood.rating_label(3) == "3"


def test_a_users_name_is_not_translated_a_builtins_is() -> None:
    own = user_habit("Water bottle", "ml", Kind.AMOUNT, Direction.NONE)
    assert own.label == "Water bottle" and habit("water").label == "Water"


def test_builtin_lookups() -> None:
    assert find_habit("water") is habit("water") and find_habit("tea") is None
    with pytest.raises(KeyError):
        habit("tea")
    espresso = drink_preset(" Filter-Coffee ")
    assert espresso is not None and espresso.mg == 95 and espresso.label == "Filter coffee"
    assert drink_preset("filter coffee") is espresso and drink_preset("latte") is None
    assert intensity_label("very_hard") == "Very hard" and intensity_label("odd") == "odd"
    assert unit("hours") is not None and unit("furlongs") is None
    assert all(unit(u.key) is u for u in UNITS)


def test_the_builtins_keys_and_specials() -> None:
    assert HABIT_KEYS == ("water", "caffeine", "sleep", "stretching", "breathing", "stress",
                          "exercise", "nicotine", "minerals")
    specials = {h.key for h in HABITS if h.presets or h.bed_and_wake or h.intensities
                or h.half_life_hours}
    assert specials == {"caffeine", "sleep", "exercise"}
    assert all(isinstance(h, Habit) and h.builtin for h in HABITS)
