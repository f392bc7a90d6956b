"""Tests for the red-flag triage engine against the clinical contract in TRIAGE.md."""

from __future__ import annotations

import ast
import dataclasses
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quell.core import i18n, triage_text
from quell.core.triage import (
    ANSWER_KEYS,
    DEFAULT_ANSWERS,
    REASON_LEVELS,
    RULES,
    SOURCES,
    AnswerGroup,
    Answers,
    TriageInputError,
    TriageLevel,
    TriageResult,
    advice,
    disclaimer,
    emergency_number_for,
    is_emergency_answer,
    level_action,
    level_timeframe,
    most_urgent,
    parse_answers,
    reason_text,
    region_of,
    safety_net,
    triage,
)

E = TriageLevel.EMERGENCY
U = TriageLevel.URGENT_SAME_DAY
P = TriageLevel.PROMPT
R = TriageLevel.ROUTINE
S = TriageLevel.SELF_CARE

FALLBACK_NUMBER = "your local emergency number (112 works in many countries)"

# --- The contract, copied from TRIAGE.md independently of the implementation -------------------

# name: (default, every allowed value); booleans default to False.
SPEC_KEYS: dict[str, tuple[object, tuple[object, ...]]] = {
    "twitch_location": ("single_area", ("single_area", "eyelid_only", "multiple_or_migrating")),
    "twitch_duration": (
        "under_2_weeks",
        ("under_2_weeks", "2_weeks_to_3_months", "over_3_months"),
    ),
    "speech": ("normal", ("normal", "gradual_change", "sudden_change")),
    "swallowing": (
        "normal",
        ("normal", "gradual_difficulty", "sudden_difficulty", "choking_or_cannot_swallow"),
    ),
    "breathing": (
        "normal",
        (
            "normal",
            "breathless_on_exertion",
            "breathless_lying_flat",
            "breathless_at_rest",
            "struggling_to_breathe",
        ),
    ),
    "weakness": (
        "none",
        (
            "none",
            "sudden",
            "worsening_over_days",
            "gradual_weeks_to_months",
            "after_exercise_improving",
        ),
    ),
    "numbness": (
        "none",
        ("none", "stable_or_comes_and_goes", "spreading_over_days", "sudden_one_side"),
    ),
    "cramps": ("none", ("none", "occasional", "frequent_or_disturbing_sleep")),
    **{
        name: (False, (False, True))
        for name in (
            "doctor_checked_no_change",
            "tongue_twitching",
            "eyes_forced_shut",
            "trigger_stress_anxiety",
            "trigger_caffeine_stimulants",
            "trigger_nicotine_alcohol",
            "trigger_hard_exercise",
            "trigger_poor_sleep",
            "trigger_dehydration_illness",
            "suspects_medication",
            "sudden_face_droop",
            "sudden_other_neuro",
            "saddle_numbness_or_bladder_bowel_change",
            "muscle_wasting",
            "dark_urine_or_extreme_muscle_pain",
            "unintentional_weight_loss",
            "muscle_stiffness",
            "eyelid_droop_or_double_vision",
            "emotional_or_behaviour_change",
            "family_history_mnd",
        )
    },
}

SCREEN_KEYS = {
    "sudden_face_droop",
    "sudden_other_neuro",
    "speech",
    "swallowing",
    "breathing",
    "weakness",
    "numbness",
    "saddle_numbness_or_bladder_bowel_change",
}
TRIGGER_KEYS = tuple(name for name in SPEC_KEYS if name.startswith("trigger_"))

# (reason, level, what the message must name), in the table's order.
SPEC_TABLE: tuple[tuple[str, TriageLevel, tuple[str, ...]], ...] = (
    ("stroke_signs", E, ("stroke",)),
    ("sudden_swallowing", E, ("swallow", "stroke")),
    ("choking", E, ("swallow",)),
    ("severe_breathing", E, ("breath",)),
    ("cauda_equina", E, ("bladder",)),
    ("weakness_over_days", U, ("weakness",)),
    ("numbness_spreading", U, ("numbness",)),
    ("breathless_at_rest", U, ("breath",)),
    ("breathless_lying_flat_with_neuro", U, ("breath",)),
    ("possible_rhabdo", U, ("dark urine",)),
    ("weakness_gradual", P, ("weakness",)),
    ("speech_gradual", P, ("speech",)),
    ("swallowing_gradual", P, ("swallow",)),
    ("wasting", P, ("wasting",)),
    ("tongue", P, ("tongue",)),
    ("breathless_exertion_or_flat", P, ("breath",)),
    ("weight_loss_with_cramps_or_motor", P, ("weight",)),
    ("droop_or_double_vision", P, ("double vision",)),
    ("persistent_twitch", R, ("2 weeks",)),
    ("multiple_places", R, ("more than one place",)),
    ("numbness_stable", R, ("numbness",)),
    ("stiffness", R, ("stiff",)),
    ("medication", R, ("medicine", "do not stop")),
    ("family_history", R, ("family",)),
    ("weight_loss", R, ("weight",)),
    ("emotional_change", R, ("laughing or crying",)),
    ("frequent_cramps", R, ("cramps",)),
    ("eyes_forced_shut", R, ("eyelid",)),
)
TABLE_ORDER = tuple(reason for reason, _, _ in SPEC_TABLE)
SPEC_LEVEL = {reason: level for reason, level, _ in SPEC_TABLE}
MUST_NAME = {reason: words for reason, _, words in SPEC_TABLE}

ACTION_WORDS = {
    E: "emergency services",
    U: "today",
    P: "few days",
    R: "routine appointment",
    S: "self-care",
}

TRIGGER_WORDS = {
    "trigger_stress_anxiety": "stress",
    "trigger_caffeine_stimulants": "caffeine",
    "trigger_nicotine_alcohol": "nicotine",
    "trigger_hard_exercise": "rest",
    "trigger_poor_sleep": "sleep",
    "trigger_dehydration_illness": "fluids",
}

NEURO_WEAKNESS = {"gradual_weeks_to_months", "worsening_over_days"}


def reference_reasons(a: Mapping[str, object]) -> tuple[str, ...]:
    """TRIAGE.md's table written out a second time, as plainly as possible."""
    full = {name: default for name, (default, _) in SPEC_KEYS.items()} | dict(a)
    neuro = (
        full["weakness"] in NEURO_WEAKNESS
        or full["speech"] == "gradual_change"
        or full["swallowing"] == "gradual_difficulty"
        or full["muscle_wasting"] is True
        or full["tongue_twitching"] is True
    )
    combo = full["unintentional_weight_loss"] is True and (
        full["cramps"] != "none"
        or full["muscle_wasting"] is True
        or full["weakness"] in NEURO_WEAKNESS
    )
    checked = full["doctor_checked_no_change"] is True
    fires = {
        "stroke_signs": full["sudden_face_droop"] is True
        or full["sudden_other_neuro"] is True
        or full["weakness"] == "sudden"
        or full["speech"] == "sudden_change"
        or full["numbness"] == "sudden_one_side",
        "sudden_swallowing": full["swallowing"] == "sudden_difficulty",
        "choking": full["swallowing"] == "choking_or_cannot_swallow",
        "severe_breathing": full["breathing"] == "struggling_to_breathe",
        "cauda_equina": full["saddle_numbness_or_bladder_bowel_change"] is True,
        "weakness_over_days": full["weakness"] == "worsening_over_days",
        "numbness_spreading": full["numbness"] == "spreading_over_days",
        "breathless_at_rest": full["breathing"] == "breathless_at_rest",
        "breathless_lying_flat_with_neuro": full["breathing"] == "breathless_lying_flat" and neuro,
        "possible_rhabdo": full["dark_urine_or_extreme_muscle_pain"] is True,
        "weakness_gradual": full["weakness"] == "gradual_weeks_to_months",
        "speech_gradual": full["speech"] == "gradual_change",
        "swallowing_gradual": full["swallowing"] == "gradual_difficulty",
        "wasting": full["muscle_wasting"] is True,
        "tongue": full["tongue_twitching"] is True,
        "breathless_exertion_or_flat": full["breathing"] == "breathless_on_exertion"
        or (full["breathing"] == "breathless_lying_flat" and not neuro),
        "weight_loss_with_cramps_or_motor": combo,
        "droop_or_double_vision": full["eyelid_droop_or_double_vision"] is True,
        "persistent_twitch": full["twitch_duration"] != "under_2_weeks" and not checked,
        "multiple_places": full["twitch_location"] == "multiple_or_migrating" and not checked,
        "numbness_stable": full["numbness"] == "stable_or_comes_and_goes",
        "stiffness": full["muscle_stiffness"] is True,
        "medication": full["suspects_medication"] is True,
        "family_history": full["family_history_mnd"] is True,
        "weight_loss": full["unintentional_weight_loss"] is True and not combo,
        "emotional_change": full["emotional_or_behaviour_change"] is True,
        "frequent_cramps": full["cramps"] == "frequent_or_disturbing_sleep" and not combo,
        "eyes_forced_shut": full["eyes_forced_shut"] is True,
    }
    return tuple(reason for reason in TABLE_ORDER if fires[reason])


# Each non-default value on its own: (level, reasons). Every value of every key is listed.
SINGLE: dict[tuple[str, object], tuple[TriageLevel, tuple[str, ...]]] = {
    ("twitch_location", "eyelid_only"): (S, ()),
    ("twitch_location", "multiple_or_migrating"): (R, ("multiple_places",)),
    ("twitch_duration", "2_weeks_to_3_months"): (R, ("persistent_twitch",)),
    ("twitch_duration", "over_3_months"): (R, ("persistent_twitch",)),
    ("doctor_checked_no_change", True): (S, ()),
    ("tongue_twitching", True): (P, ("tongue",)),
    ("eyes_forced_shut", True): (R, ("eyes_forced_shut",)),
    **{(name, True): (S, ()) for name in TRIGGER_KEYS},
    ("suspects_medication", True): (R, ("medication",)),
    ("sudden_face_droop", True): (E, ("stroke_signs",)),
    ("sudden_other_neuro", True): (E, ("stroke_signs",)),
    ("speech", "gradual_change"): (P, ("speech_gradual",)),
    ("speech", "sudden_change"): (E, ("stroke_signs",)),
    ("swallowing", "gradual_difficulty"): (P, ("swallowing_gradual",)),
    ("swallowing", "sudden_difficulty"): (E, ("sudden_swallowing",)),
    ("swallowing", "choking_or_cannot_swallow"): (E, ("choking",)),
    ("breathing", "breathless_on_exertion"): (P, ("breathless_exertion_or_flat",)),
    ("breathing", "breathless_lying_flat"): (P, ("breathless_exertion_or_flat",)),
    ("breathing", "breathless_at_rest"): (U, ("breathless_at_rest",)),
    ("breathing", "struggling_to_breathe"): (E, ("severe_breathing",)),
    ("weakness", "sudden"): (E, ("stroke_signs",)),
    ("weakness", "worsening_over_days"): (U, ("weakness_over_days",)),
    ("weakness", "gradual_weeks_to_months"): (P, ("weakness_gradual",)),
    ("weakness", "after_exercise_improving"): (S, ()),
    ("numbness", "stable_or_comes_and_goes"): (R, ("numbness_stable",)),
    ("numbness", "spreading_over_days"): (U, ("numbness_spreading",)),
    ("numbness", "sudden_one_side"): (E, ("stroke_signs",)),
    ("saddle_numbness_or_bladder_bowel_change", True): (E, ("cauda_equina",)),
    ("muscle_wasting", True): (P, ("wasting",)),
    ("dark_urine_or_extreme_muscle_pain", True): (U, ("possible_rhabdo",)),
    ("cramps", "occasional"): (S, ()),
    ("cramps", "frequent_or_disturbing_sleep"): (R, ("frequent_cramps",)),
    ("unintentional_weight_loss", True): (R, ("weight_loss",)),
    ("muscle_stiffness", True): (R, ("stiffness",)),
    ("eyelid_droop_or_double_vision", True): (P, ("droop_or_double_vision",)),
    ("emotional_or_behaviour_change", True): (R, ("emotional_change",)),
    ("family_history_mnd", True): (R, ("family_history",)),
}

NUMBERS = ("999", "112", "911", "000", "111", FALLBACK_NUMBER)


def run(raw: Mapping[str, object], number: str = "999") -> TriageResult:
    return triage(parse_answers(raw), emergency_number=number)


def non_default_values(name: str) -> tuple[object, ...]:
    default, values = SPEC_KEYS[name]
    return tuple(v for v in values if v != default)


# --- Hypothesis strategies ---------------------------------------------------------------------


def _off_default(keep: Callable[[str, object], bool]) -> st.SearchStrategy[dict[str, object]]:
    """Answer dicts holding only non-default values; missing keys take their defaults."""
    optional = {
        name: st.sampled_from(values)
        for name in sorted(SPEC_KEYS)
        if (values := tuple(v for v in non_default_values(name) if keep(name, v)))
    }
    return st.fixed_dictionaries({}, optional=optional)


# Emergency answers are so many that a uniform draw is nearly always an emergency; a third of the
# examples leave them out, and a third keep to routine answers, so the lower levels, their
# messages and their interplay get explored as well.
answer_dicts = st.one_of(
    _off_default(lambda name, value: True),
    _off_default(lambda name, value: SINGLE[(name, value)][0] is not E),
    _off_default(lambda name, value: SINGLE[(name, value)][0] in (R, S)),
)
numbers = st.sampled_from(NUMBERS)
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- Declaration of the answers ----------------------------------------------------------------


def test_answer_keys_match_the_spec_exactly() -> None:
    assert set(ANSWER_KEYS) == set(SPEC_KEYS)
    for name, (default, values) in SPEC_KEYS.items():
        key = ANSWER_KEYS[name]
        assert key.name == name
        assert key.default == default and type(key.default) is type(default)
        assert set(key.values) == set(values) and len(key.values) == len(values)
        assert key.values[0] == default
        assert key.is_bool == isinstance(default, bool)


def test_dataclass_defaults_are_the_declared_defaults() -> None:
    assert parse_answers({}) == Answers() == DEFAULT_ANSWERS
    assert DEFAULT_ANSWERS.as_dict() == {name: d for name, (d, _) in SPEC_KEYS.items()}
    assert list(DEFAULT_ANSWERS.as_dict()) == list(ANSWER_KEYS)


def test_emergency_screen_is_its_own_group_and_comes_first() -> None:
    screen = [n for n, k in ANSWER_KEYS.items() if k.group is AnswerGroup.EMERGENCY_SCREEN]
    assert set(screen) == SCREEN_KEYS
    assert list(ANSWER_KEYS)[: len(screen)] == screen
    triggers = {n for n, k in ANSWER_KEYS.items() if k.group is AnswerGroup.TRIGGERS}
    assert triggers == {*TRIGGER_KEYS, "suspects_medication"}


def test_answers_are_immutable() -> None:
    answers = parse_answers({"speech": "gradual_change"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        answers.speech = "normal"  # type: ignore[misc]


@given(answer_dicts)
@PROPERTY
def test_parse_round_trips_through_as_dict(raw: dict[str, object]) -> None:
    answers = parse_answers(raw)
    assert parse_answers(answers.as_dict()) == answers
    assert {k: v for k, v in answers.as_dict().items() if v != SPEC_KEYS[k][0]} == raw


# --- Input errors ------------------------------------------------------------------------------


def test_input_error_is_a_value_error() -> None:
    assert issubclass(TriageInputError, ValueError)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"colour": "red"}, r'unknown answer "colour"$'),
        ({"tongue_twiching": True}, r'unknown answer "tongue_twiching".*"tongue_twitching"'),
        ({1: True}, r"unknown answer 1"),
        ({"muscle_wasting": "yes"}, r'"muscle_wasting" must be true or false, not "yes"'),
        ({"muscle_wasting": "true"}, r'"muscle_wasting" must be true or false, not "true"'),
        ({"muscle_wasting": 1}, r'"muscle_wasting" must be true or false, not 1$'),
        ({"muscle_wasting": 0}, r'"muscle_wasting" must be true or false, not 0$'),
        ({"muscle_wasting": None}, r'"muscle_wasting" must be true or false, not null'),
        ({"speech": "slurred"}, r'"speech" must be one of "normal", .*, not "slurred"'),
        ({"speech": True}, r'"speech" must be one of .*, not true'),
        ({"speech": 1}, r'"speech" must be one of .*, not 1$'),
        ({"speech": None}, r'"speech" must be one of .*, not null'),
        ({"speech": ["normal"]}, r'"speech" must be one of .*, not \["normal"\]'),
        ({"speech": "Normal"}, r'"speech" must be one of .*, not "Normal"'),
        ({"cramps": "none "}, r'"cramps" must be one of .*, not "none "'),
    ],
)
def test_bad_answers_raise_one_clear_line(raw: dict[object, object], expected: str) -> None:
    with pytest.raises(TriageInputError, match=expected) as caught:
        parse_answers(raw)  # type: ignore[arg-type]
    assert "\n" not in str(caught.value)


def test_bad_value_in_otherwise_valid_answers_is_reported() -> None:
    with pytest.raises(TriageInputError, match="weakness"):
        parse_answers({"speech": "normal", "weakness": "heavy", "cramps": "none"})


def test_not_a_mapping_is_rejected() -> None:
    with pytest.raises(TriageInputError, match="object"):
        parse_answers([("speech", "normal")])  # type: ignore[arg-type]


def test_long_or_multiline_bad_values_stay_on_one_short_line() -> None:
    with pytest.raises(TriageInputError) as caught:
        parse_answers({"speech": "a\nb" * 100})
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 200


# --- Every value of every key ------------------------------------------------------------------


def test_single_table_covers_every_non_default_value() -> None:
    expected = {(name, value) for name in SPEC_KEYS for value in non_default_values(name)}
    assert set(SINGLE) == expected


@pytest.mark.parametrize(("name", "value"), list(SINGLE), ids=lambda x: str(x))
def test_each_non_default_value_alone(name: str, value: object) -> None:
    level, reasons = SINGLE[(name, value)]
    result = run({name: value})
    assert result.level is level
    assert result.reasons == reasons


def test_all_defaults_is_self_care_with_no_reasons() -> None:
    result = run({})
    assert result.level is S and result.reasons == ()


def test_every_rule_fires_somewhere_in_the_single_table_or_combinations() -> None:
    fired = {reason for _, reasons in SINGLE.values() for reason in reasons}
    assert set(TABLE_ORDER) - fired == {
        "breathless_lying_flat_with_neuro",
        "weight_loss_with_cramps_or_motor",
    }  # both need two answers; covered below


def test_rules_and_levels_match_the_table() -> None:
    assert tuple(rule.reason for rule in RULES) == TABLE_ORDER
    assert dict(REASON_LEVELS) == SPEC_LEVEL
    assert all(rule.level is SPEC_LEVEL[rule.reason] for rule in RULES)


# --- Combinations the table spells out ---------------------------------------------------------

NEURO_CONTEXT: list[tuple[dict[str, object], str]] = [
    ({"weakness": "gradual_weeks_to_months"}, "weakness_gradual"),
    ({"weakness": "worsening_over_days"}, "weakness_over_days"),
    ({"speech": "gradual_change"}, "speech_gradual"),
    ({"swallowing": "gradual_difficulty"}, "swallowing_gradual"),
    ({"muscle_wasting": True}, "wasting"),
    ({"tongue_twitching": True}, "tongue"),
]


@pytest.mark.parametrize(("context", "own_reason"), NEURO_CONTEXT)
def test_breathless_lying_flat_with_neuro_context_is_urgent(
    context: dict[str, object], own_reason: str
) -> None:
    result = run({"breathing": "breathless_lying_flat", **context})
    assert result.level is U
    assert "breathless_lying_flat_with_neuro" in result.reasons
    assert "breathless_exertion_or_flat" not in result.reasons
    assert own_reason in result.reasons


@pytest.mark.parametrize(
    "not_context",
    [
        {"weakness": "after_exercise_improving"},
        {"weakness": "sudden"},
        {"speech": "sudden_change"},
        {"swallowing": "sudden_difficulty"},
        {"cramps": "frequent_or_disturbing_sleep"},
        {"muscle_stiffness": True},
        {"family_history_mnd": True},
    ],
)
def test_breathless_lying_flat_without_neuro_context_is_prompt(
    not_context: dict[str, object],
) -> None:
    result = run({"breathing": "breathless_lying_flat", **not_context})
    assert "breathless_exertion_or_flat" in result.reasons
    assert "breathless_lying_flat_with_neuro" not in result.reasons


def test_breathless_on_exertion_stays_prompt_even_with_neuro_context() -> None:
    result = run({"breathing": "breathless_on_exertion", "tongue_twitching": True})
    assert result.level is P
    assert result.reasons == ("tongue", "breathless_exertion_or_flat")


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, (R, ("weight_loss",))),
        ({"cramps": "occasional"}, (P, ("weight_loss_with_cramps_or_motor",))),
        ({"cramps": "frequent_or_disturbing_sleep"}, (P, ("weight_loss_with_cramps_or_motor",))),
        ({"muscle_wasting": True}, (P, ("wasting", "weight_loss_with_cramps_or_motor"))),
        (
            {"weakness": "gradual_weeks_to_months"},
            (P, ("weakness_gradual", "weight_loss_with_cramps_or_motor")),
        ),
        (
            {"weakness": "worsening_over_days"},
            (U, ("weakness_over_days", "weight_loss_with_cramps_or_motor")),
        ),
        ({"weakness": "sudden"}, (E, ("stroke_signs", "weight_loss"))),
        ({"weakness": "after_exercise_improving"}, (R, ("weight_loss",))),
        ({"tongue_twitching": True}, (P, ("tongue", "weight_loss"))),
        ({"speech": "gradual_change"}, (P, ("speech_gradual", "weight_loss"))),
    ],
)
def test_weight_loss_interplay(
    extra: dict[str, object], expected: tuple[TriageLevel, tuple[str, ...]]
) -> None:
    result = run({"unintentional_weight_loss": True, **extra})
    assert (result.level, result.reasons) == expected


def test_frequent_cramps_alone_is_routine_and_merges_into_weight_loss_combination() -> None:
    assert run({"cramps": "frequent_or_disturbing_sleep"}).reasons == ("frequent_cramps",)
    both = run({"cramps": "frequent_or_disturbing_sleep", "unintentional_weight_loss": True})
    assert "frequent_cramps" not in both.reasons and "weight_loss" not in both.reasons
    assert both.reasons == ("weight_loss_with_cramps_or_motor",)


def test_frequent_cramps_with_motor_signs_but_no_weight_loss_stays() -> None:
    result = run({"cramps": "frequent_or_disturbing_sleep", "muscle_wasting": True})
    assert result.reasons == ("wasting", "frequent_cramps")


def test_doctor_checked_suppresses_persistent_and_multiple_places() -> None:
    raw: dict[str, object] = {
        "twitch_duration": "over_3_months",
        "twitch_location": "multiple_or_migrating",
    }
    assert run(raw).reasons == ("persistent_twitch", "multiple_places")
    checked = run({**raw, "doctor_checked_no_change": True})
    assert checked.level is S and checked.reasons == ()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        key
        for key, (level, reasons) in SINGLE.items()
        if reasons and set(reasons) - {"persistent_twitch", "multiple_places"}
    ],
    ids=lambda x: str(x),
)
def test_doctor_checked_never_masks_another_flag(name: str, value: object) -> None:
    raw: dict[str, object] = {
        name: value,
        "twitch_duration": "over_3_months",
        "twitch_location": "multiple_or_migrating",
    }
    checked = run({**raw, "doctor_checked_no_change": True})
    expected_level, expected_reasons = SINGLE[(name, value)]
    assert checked.level is expected_level
    assert checked.reasons == expected_reasons


def test_eyelid_twitch_for_weeks_is_a_routine_visit() -> None:
    result = run({"twitch_location": "eyelid_only", "twitch_duration": "2_weeks_to_3_months"})
    assert (result.level, result.reasons) == (R, ("persistent_twitch",))


def test_both_eyes_forced_shut_is_routine_whatever_the_location() -> None:
    result = run({"twitch_location": "eyelid_only", "eyes_forced_shut": True})
    assert (result.level, result.reasons) == (R, ("eyes_forced_shut",))


def test_most_urgent_wins() -> None:
    everything_below_emergency: dict[str, object] = {
        "numbness": "spreading_over_days",
        "weakness": "gradual_weeks_to_months",
        "muscle_stiffness": True,
    }
    assert run(everything_below_emergency).level is U
    assert run({**everything_below_emergency, "sudden_face_droop": True}).level is E
    assert run({"muscle_stiffness": True, "tongue_twitching": True}).level is P
    assert run({"muscle_stiffness": True, "trigger_poor_sleep": True}).level is R


def test_reasons_list_every_rule_most_urgent_first_in_table_order() -> None:
    raw: dict[str, object] = {
        "eyes_forced_shut": True,
        "family_history_mnd": True,
        "tongue_twitching": True,
        "dark_urine_or_extreme_muscle_pain": True,
        "saddle_numbness_or_bladder_bowel_change": True,
        "sudden_face_droop": True,
        "breathing": "breathless_at_rest",
        "twitch_duration": "over_3_months",
    }
    assert run(raw).reasons == (
        "stroke_signs",
        "cauda_equina",
        "breathless_at_rest",
        "possible_rhabdo",
        "tongue",
        "persistent_twitch",
        "family_history",
        "eyes_forced_shut",
    )


def test_every_boolean_red_flag_at_once() -> None:
    flags = {
        name: True
        for name, (default, _) in SPEC_KEYS.items()
        if default is False and name not in TRIGGER_KEYS and name != "doctor_checked_no_change"
    }
    result = run(flags)
    assert result.reasons == reference_reasons(flags)
    assert result.level is E


# --- Levels ------------------------------------------------------------------------------------


def test_level_values_and_urgency_order() -> None:
    assert [level.value for level in TriageLevel] == [
        "emergency",
        "urgent_same_day",
        "prompt",
        "routine",
        "self_care",
    ]
    assert [level.urgency for level in (E, U, P, R, S)] == [4, 3, 2, 1, 0]
    assert most_urgent([R, E, P]) is E
    assert most_urgent([S, R]) is R
    assert most_urgent([]) is S


@pytest.mark.parametrize(("name", "value"), list(SINGLE), ids=lambda x: str(x))
def test_is_emergency_answer_matches_the_level(name: str, value: object) -> None:
    assert is_emergency_answer(name, value) == (SINGLE[(name, value)][0] is E)  # type: ignore[arg-type]


def test_is_emergency_answer_rejects_bad_input() -> None:
    with pytest.raises(TriageInputError):
        is_emergency_answer("speech", "mumbled")


# --- Properties over the answer space ----------------------------------------------------------


@given(answer_dicts)
@PROPERTY
def test_engine_agrees_with_the_table(raw: dict[str, object]) -> None:
    result = run(raw)
    expected = reference_reasons(raw)
    assert result.reasons == expected
    assert result.level is (SPEC_LEVEL[expected[0]] if expected else S)


@given(answer_dicts)
@PROPERTY
def test_reasons_are_ordered_most_urgent_first_then_table_order(raw: dict[str, object]) -> None:
    reasons = run(raw).reasons
    assert list(reasons) == sorted(
        reasons, key=lambda r: (-SPEC_LEVEL[r].urgency, TABLE_ORDER.index(r))
    )
    assert len(set(reasons)) == len(reasons)
    if reasons:
        assert SPEC_LEVEL[reasons[0]] is run(raw).level


@given(answer_dicts, st.data())
@PROPERTY
def test_changing_one_default_answer_never_lowers_the_level(
    raw: dict[str, object], data: st.DataObject
) -> None:
    at_default = sorted(set(SPEC_KEYS) - set(raw) - {"doctor_checked_no_change"})
    if not at_default:
        return
    name = data.draw(st.sampled_from(at_default))
    value = data.draw(st.sampled_from(non_default_values(name)))
    before = run(raw).level
    after = run({**raw, name: value}).level
    assert after.urgency >= before.urgency


RED_FLAGS = [key for key, (level, _) in SINGLE.items() if level is not S]


@given(answer_dicts, st.sampled_from(RED_FLAGS))
@PROPERTY
def test_adding_a_red_flag_never_lowers_the_level_nor_hides_itself(
    raw: dict[str, object], flag: tuple[str, object]
) -> None:
    name, value = flag
    if name in raw:
        return  # replacing one non-default value with another may lower the level (by design)
    before = run(raw)
    after = run({**raw, name: value})
    # alone, but under the same doctor's check, which may rightly cover this flag
    checked = {k: v for k, v in raw.items() if k == "doctor_checked_no_change"}
    alone = run({name: value, **checked})
    alone_reasons = alone.reasons
    assert after.level.urgency >= max(before.level.urgency, alone.level.urgency)
    # a reason that fired still fires, unless a more specific one of higher level replaced it
    replaced = {
        "breathless_exertion_or_flat": "breathless_lying_flat_with_neuro",
        "weight_loss": "weight_loss_with_cramps_or_motor",
        "frequent_cramps": "weight_loss_with_cramps_or_motor",
    }
    for reason in (*before.reasons, *alone_reasons):
        assert reason in after.reasons or replaced.get(reason) in after.reasons


@given(answer_dicts)
@PROPERTY
def test_doctor_checked_removes_only_its_two_reasons(raw: dict[str, object]) -> None:
    unchecked = run({**raw, "doctor_checked_no_change": False}).reasons
    checked = run({**raw, "doctor_checked_no_change": True}).reasons
    assert checked == tuple(
        r for r in unchecked if r not in {"persistent_twitch", "multiple_places"}
    )


@given(answer_dicts)
@PROPERTY
def test_triggers_never_change_the_level_or_reasons(raw: dict[str, object]) -> None:
    without = {k: v for k, v in raw.items() if k not in TRIGGER_KEYS}
    with_all = {**without, **dict.fromkeys(TRIGGER_KEYS, True)}
    assert run(raw).reasons == run(without).reasons == run(with_all).reasons


@given(answer_dicts)
@PROPERTY
def test_eyelid_only_and_after_exercise_improving_never_raise_the_level(
    raw: dict[str, object],
) -> None:
    if raw.get("twitch_location", "single_area") == "single_area":
        base = run({**raw, "twitch_location": "single_area"})
        eyelid = run({**raw, "twitch_location": "eyelid_only"})
        assert eyelid.reasons == base.reasons and eyelid.level is base.level
    if raw.get("weakness", "none") == "none":
        base = run({**raw, "weakness": "none"})
        improving = run({**raw, "weakness": "after_exercise_improving"})
        assert improving.reasons == base.reasons and improving.level is base.level


@given(answer_dicts, numbers)
@PROPERTY
def test_every_message_gives_action_first_and_ends_with_a_safety_net(
    raw: dict[str, object], number: str
) -> None:
    result = run(raw, number)
    message = result.message
    assert ACTION_WORDS[result.level] in message.lower()
    assert message.startswith(level_action(result.level, number))
    assert message.endswith(safety_net(result.level, number))
    assert ACTION_WORDS[result.level] in level_action(result.level, number).lower()
    assert level_timeframe(result.level)
    if result.level is E:
        assert message.startswith(f"Call emergency services now on {number}.")


@given(answer_dicts, numbers)
@PROPERTY
def test_every_fired_reason_is_explained_with_its_must_name_words(
    raw: dict[str, object], number: str
) -> None:
    result = run(raw, number)
    message = result.message.lower()
    for reason in result.reasons:
        sentence = reason_text(reason)
        assert sentence in result.message
        for word in MUST_NAME[reason]:
            assert word in sentence.lower(), (reason, word)
            assert word in message


@given(answer_dicts, numbers)
@PROPERTY
def test_winning_reasons_come_before_also_mention_and_lower_ones_after(
    raw: dict[str, object], number: str
) -> None:
    result = run(raw, number)
    lower = [r for r in result.reasons if SPEC_LEVEL[r] is not result.level]
    marker = "Also mention to the doctor:"
    assert (marker in result.message) == bool(lower)
    cut = result.message.find(marker) if lower else len(result.message)
    for reason in result.reasons:
        position = result.message.index(reason_text(reason))
        assert (position < cut) == (reason not in lower)


FORBIDDEN = (
    "you may have",
    "you might have",
    "you probably have",
    "you likely have",
    "you have als",
    "you have mnd",
    "you have motor",
    "you have a",
    "could be als",
    "could be mnd",
    "sign of als",
    "sign of mnd",
    "diagnos",
    "supplement",
    "tablet",
    "stop taking",
    "stop your",
    "quell",
    "dial",
    "we will call",
    "we'll call",
    "calling for you",
    "ambulance is on",
)


@given(answer_dicts, numbers)
@PROPERTY
def test_messages_never_diagnose_alarm_or_advise_unsafe_things(
    raw: dict[str, object], number: str
) -> None:
    result = run(raw, number)
    message = result.message.lower()
    for phrase in FORBIDDEN:
        assert phrase not in message, phrase
    # The only "stop" allowed is "do not stop" (a prescribed medicine).
    for match in re.finditer(r"\bstop", message):
        assert message[: match.start()].endswith("do not "), message
    # MND/ALS may be named only as the relative's condition, in the family-history sentence.
    family = reason_text("family_history").lower() if "family_history" in result.reasons else ""
    rest = message.replace(family, "") if family else message
    assert not re.search(r"\b(als|mnd)\b|motor neuron|amyotrophic", rest), rest
    # Magnesium and potassium only as food, with a doctor's blood test.
    if "magnesium" in message or "potassium" in message:
        assert "food" in message and "blood test" in message


# --- The message's content ---------------------------------------------------------------------


@pytest.mark.parametrize("reason", TABLE_ORDER)
def test_reason_sentences_name_their_words(reason: str) -> None:
    sentence = reason_text(reason).lower()
    for word in MUST_NAME[reason]:
        assert word in sentence
    assert sentence.endswith(".") and "\n" not in sentence


def test_unknown_reason_text_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        reason_text("vibes")


@pytest.mark.parametrize("level", list(TriageLevel))
def test_actions_and_timeframes_exist_for_every_level(level: TriageLevel) -> None:
    action = level_action(level, "999")
    assert ACTION_WORDS[level] in action.lower()
    assert level_timeframe(level)
    assert safety_net(level, "999")


@pytest.mark.parametrize(("name", "value"), [k for k, v in SINGLE.items() if v[0] is E])
def test_emergency_message_says_call_now_not_drive_and_call_even_if_passed(
    name: str, value: object
) -> None:
    result = run({name: value}, "112")
    first = result.message.split("\n\n")[0].lower()
    assert first.startswith("call emergency services now on 112")
    assert "do not drive yourself" in first
    assert "even if" in first and "passed" in first
    assert "112" in result.message


def test_emergency_number_fallback_reads_in_the_message() -> None:
    result = run({"sudden_face_droop": True}, emergency_number_for("C"))
    assert result.message.startswith(f"Call emergency services now on {FALLBACK_NUMBER}.")


@pytest.mark.parametrize("level", [U, P, R, S])
def test_lower_levels_still_say_when_to_call_emergency_services(level: TriageLevel) -> None:
    assert "emergency services on 911" in safety_net(level, "911")


def test_self_care_message_reassures_and_gives_the_two_week_net() -> None:
    message = run({}).message.lower()
    assert "self-care" in message
    assert "7 in 10" in message
    for words in ("more than 2 weeks", "spreads", "weakness", "muscle wasting"):
        assert words in message


@pytest.mark.parametrize("trigger", TRIGGER_KEYS)
def test_self_care_gives_a_tip_naming_each_trigger_answered_yes(trigger: str) -> None:
    message = run({trigger: True}).message
    tip = triage_text.trigger_tip(trigger)
    assert tip in message
    assert TRIGGER_WORDS[trigger] in tip.lower()
    assert triage_text.trigger_tip(trigger) not in run({}).message


def test_self_care_with_all_triggers_names_them_all() -> None:
    message = run(dict.fromkeys(TRIGGER_KEYS, True)).message.lower()
    for word in TRIGGER_WORDS.values():
        assert word in message


def test_triggers_give_no_self_care_tips_at_higher_levels() -> None:
    message = run({"trigger_caffeine_stimulants": True, "muscle_stiffness": True}).message
    assert triage_text.trigger_tip("trigger_caffeine_stimulants") not in message


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"muscle_stiffness": True},
        {"tongue_twitching": True},
        {"numbness": "spreading_over_days"},
    ],
)
def test_after_exercise_weakness_says_rest_and_same_day_help_for_dark_urine(
    extra: dict[str, object],
) -> None:
    message = run({"weakness": "after_exercise_improving", **extra}).message.lower()
    assert "rest" in message and "dark urine" in message and "same day" in message


def test_after_exercise_note_not_repeated_when_rhabdo_already_fired() -> None:
    result = run(
        {"weakness": "after_exercise_improving", "dark_urine_or_extreme_muscle_pain": True}
    )
    assert result.level is U
    assert triage_text.after_exercise_weakness() not in result.message
    assert "dark urine" in result.message.lower()


def test_doctor_checked_self_care_names_benign_fasciculation_and_the_evidence() -> None:
    message = run({"doctor_checked_no_change": True, "twitch_duration": "over_3_months"})
    assert message.level is S
    text = message.message.lower()
    assert "benign fasciculation" in text
    assert "follow-up" in text and "harmless" in text
    assert "benign fasciculation" not in run({}).message.lower()


def test_medication_message_never_says_to_stop() -> None:
    message = run({"suspects_medication": True}).message.lower()
    assert "medicine" in message and "do not stop" in message


def test_family_history_names_the_relatives_condition_only() -> None:
    sentence = reason_text("family_history")
    assert "family" in sentence.lower()
    assert "MND" in sentence or "ALS" in sentence
    assert not re.search(r"\byou (may |might )?have\b", sentence.lower())


def test_advice_is_the_self_care_body() -> None:
    answers = parse_answers({"trigger_poor_sleep": True})
    body = advice(answers, S)
    assert triage_text.reassurance() in body
    assert all(paragraph in triage(answers, emergency_number="999").message for paragraph in body)
    assert advice(parse_answers({}), R) == ()


def test_result_as_dict_is_the_cli_line() -> None:
    result = run({"tongue_twitching": True})
    assert result.as_dict() == {
        "level": "prompt",
        "reasons": ["tongue"],
        "message": result.message,
    }


def test_result_is_frozen() -> None:
    result = run({})
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.level = E  # type: ignore[misc]


# --- Translation -------------------------------------------------------------------------------


@pytest.fixture
def translator(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], str]]:
    def mark(text: str) -> str:
        return "«" + text + "»"

    monkeypatch.setattr(i18n, "_translator", mark)
    yield mark


@pytest.mark.usefixtures("translator")
def test_text_is_translated_when_asked_not_at_import() -> None:
    result = run({"sudden_face_droop": True, "family_history_mnd": True}, "999")
    for paragraph in result.message.split("\n\n"):
        assert paragraph.startswith("«"), paragraph
    assert "999" in result.message and "{number}" not in result.message
    assert emergency_number_for("C").startswith("«")
    assert disclaimer().startswith("«")
    with pytest.raises(TriageInputError, match="«"):
        parse_answers({"nope": True})


def test_a_stray_brace_in_a_translation_cannot_break_the_emergency_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(i18n, "_translator", lambda text: text + " {oops} {0}")
    result = run({"sudden_face_droop": True}, "999")
    assert "999" in result.message and "{oops}" in result.message


# --- Emergency numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale_name", "number"),
    [
        ("en_GB", "999"),
        ("en_GB.UTF-8", "999"),
        ("en-GB", "999"),
        ("cy_GB.utf8", "999"),
        ("en_UK", "999"),
        ("en_gb", "999"),
        ("de_DE", "112"),
        ("de_DE.UTF-8@euro", "112"),
        ("fr_FR", "112"),
        ("ga_IE", "112"),
        ("el_GR", "112"),
        ("pl_PL", "112"),
        ("sv_SE", "112"),
        ("ca_ES", "112"),
        ("en_US", "911"),
        ("en_US.UTF-8", "911"),
        ("es-US", "911"),
        ("fr-CA", "911"),
        ("en_CA", "911"),
        ("en_AU", "000"),
        ("en_NZ", "111"),
        ("mi_NZ", "111"),
        ("hi_IN", "112"),
        ("en_IN", "112"),
        ("zh-Hant-TW", FALLBACK_NUMBER),
        ("sr_RS@latin", FALLBACK_NUMBER),
        ("ja_JP", FALLBACK_NUMBER),
        ("de_CH", FALLBACK_NUMBER),
        ("es-419", FALLBACK_NUMBER),
        ("C", FALLBACK_NUMBER),
        ("C.UTF-8", FALLBACK_NUMBER),
        ("POSIX", FALLBACK_NUMBER),
        ("", FALLBACK_NUMBER),
        ("ca", FALLBACK_NUMBER),
        ("en", FALLBACK_NUMBER),
        ("garbage text", FALLBACK_NUMBER),
    ],
)
def test_emergency_number_for_locale(locale_name: str, number: str) -> None:
    assert emergency_number_for(locale_name) == number


# --- Sources, disclaimer, purity ---------------------------------------------------------------


def test_sources_cite_the_guidance() -> None:
    assert all(isinstance(t, str) and isinstance(p, str) for t, p in SOURCES)
    titles = " ".join(title for title, _ in SOURCES)
    for needle in ("NG127", "NG42", "Twitching eyes and muscles", "Stroke", "rhabdomyolysis"):
        assert needle in titles
    assert {"NICE", "NHS"} <= {publisher for _, publisher in SOURCES}


def test_disclaimer_says_adults_and_not_a_diagnosis() -> None:
    text = disclaimer().lower()
    assert "16" in text and "not a diagnosis" in text


@pytest.mark.parametrize("module", ["triage.py", "triage_text.py"])
def test_engine_imports_only_the_standard_library_and_i18n(module: str) -> None:
    source = Path(__file__).parents[2] / "desktop" / "quell" / "core" / module
    allowed_own = {"quell.core", "quell.core.errors", "quell.core.i18n",
                   "quell.core.triage_text"}
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or name in allowed_own, name
            assert top not in {"sqlite3", "os", "pathlib", "io", "shutil", "PySide6"}, name


@pytest.mark.parametrize(("name", "region"), [("en_GB.UTF-8", "GB"), ("fr-CA", "CA"),
                                              ("ca", None), ("zh_Hant_TW", "TW"), ("C", None)])
def test_region_of_a_locale(name: str, region: str | None) -> None:
    assert region_of(name) == region
