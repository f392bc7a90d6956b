"""Red-flag triage: answers about twitches in, how soon to get help (and why) out."""

from __future__ import annotations

import dataclasses
import difflib
import enum
import json
import re
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, NamedTuple

from quell.core import triage_text as text
from quell.core.errors import InputError
from quell.core.i18n import _

# The rules, their order and the words the message must use are fixed by TRIAGE.md, the shared
# clinical contract: change it first, then this module and its tests.


class TriageLevel(enum.Enum):
    """How soon to get help, most urgent first."""

    EMERGENCY = "emergency"
    URGENT_SAME_DAY = "urgent_same_day"
    PROMPT = "prompt"
    ROUTINE = "routine"
    SELF_CARE = "self_care"

    @property
    def urgency(self) -> int:
        """4 for emergency down to 0 for self-care: compare or sort levels by this."""
        return _URGENCY[self]


_URGENCY = {level: rank for rank, level in enumerate(reversed(TriageLevel))}


def most_urgent(levels: Iterable[TriageLevel]) -> TriageLevel:
    """The most urgent of *levels*; self-care when there are none."""
    return max(levels, key=lambda level: level.urgency, default=TriageLevel.SELF_CARE)


class TriageInputError(InputError):
    """Answers that cannot be triaged; the message is one line naming the problem."""


# --- Answers -----------------------------------------------------------------------------------


class AnswerGroup(enum.Enum):
    """Sections of the questionnaire, in the order the wizard asks them."""

    EMERGENCY_SCREEN = "emergency_screen"  # asked first; the wizard stops at an emergency answer
    TWITCHES = "twitches"
    OTHER_FEATURES = "other_features"
    TRIGGERS = "triggers"


TwitchLocation = Literal["single_area", "eyelid_only", "multiple_or_migrating"]
TwitchDuration = Literal["under_2_weeks", "2_weeks_to_3_months", "over_3_months"]
Speech = Literal["normal", "gradual_change", "sudden_change"]
Swallowing = Literal[
    "normal", "gradual_difficulty", "sudden_difficulty", "choking_or_cannot_swallow"
]
Breathing = Literal[
    "normal",
    "breathless_on_exertion",
    "breathless_lying_flat",
    "breathless_at_rest",
    "struggling_to_breathe",
]
Weakness = Literal[
    "none", "sudden", "worsening_over_days", "gradual_weeks_to_months", "after_exercise_improving"
]
Numbness = Literal["none", "stable_or_comes_and_goes", "spreading_over_days", "sudden_one_side"]
Cramps = Literal["none", "occasional", "frequent_or_disturbing_sleep"]

_SCREEN = {"group": AnswerGroup.EMERGENCY_SCREEN}
_TWITCHES = {"group": AnswerGroup.TWITCHES}
_OTHER = {"group": AnswerGroup.OTHER_FEATURES}
_TRIGGERS = {"group": AnswerGroup.TRIGGERS}


@dataclass(frozen=True, kw_only=True, slots=True)
class Answers:
    """Every answer of the questionnaire; the field types and defaults are the declaration.

    Choice answers are ``Literal`` strings, yes/no answers are ``bool``; ``ANSWER_KEYS`` is derived
    from these fields, so the wizard and the CLI see exactly what is declared here.
    """

    sudden_face_droop: bool = field(default=False, metadata=_SCREEN)
    # sudden vision loss or double vision, severe headache, confusion or loss of balance
    sudden_other_neuro: bool = field(default=False, metadata=_SCREEN)
    speech: Speech = field(default="normal", metadata=_SCREEN)
    swallowing: Swallowing = field(default="normal", metadata=_SCREEN)
    breathing: Breathing = field(default="normal", metadata=_SCREEN)
    # asked functionally (jars, buttons, stairs, a foot catching); feeling tired counts as none
    weakness: Weakness = field(default="none", metadata=_SCREEN)
    numbness: Numbness = field(default="none", metadata=_SCREEN)
    saddle_numbness_or_bladder_bowel_change: bool = field(default=False, metadata=_SCREEN)

    twitch_location: TwitchLocation = field(default="single_area", metadata=_TWITCHES)
    twitch_duration: TwitchDuration = field(default="under_2_weeks", metadata=_TWITCHES)
    # a doctor already examined these twitches and nothing new has appeared since
    doctor_checked_no_change: bool = field(default=False, metadata=_TWITCHES)
    tongue_twitching: bool = field(default=False, metadata=_TWITCHES)
    eyes_forced_shut: bool = field(default=False, metadata=_TWITCHES)

    muscle_wasting: bool = field(default=False, metadata=_OTHER)
    dark_urine_or_extreme_muscle_pain: bool = field(default=False, metadata=_OTHER)
    cramps: Cramps = field(default="none", metadata=_OTHER)
    unintentional_weight_loss: bool = field(default=False, metadata=_OTHER)
    muscle_stiffness: bool = field(default=False, metadata=_OTHER)
    # comes and goes, not sudden (sudden double vision is sudden_other_neuro)
    eyelid_droop_or_double_vision: bool = field(default=False, metadata=_OTHER)
    emotional_or_behaviour_change: bool = field(default=False, metadata=_OTHER)
    family_history_mnd: bool = field(default=False, metadata=_OTHER)

    # Triggers change the advice, never the level; a suspected medicine does raise it.
    trigger_stress_anxiety: bool = field(default=False, metadata=_TRIGGERS)
    trigger_caffeine_stimulants: bool = field(default=False, metadata=_TRIGGERS)
    trigger_nicotine_alcohol: bool = field(default=False, metadata=_TRIGGERS)
    trigger_hard_exercise: bool = field(default=False, metadata=_TRIGGERS)
    trigger_poor_sleep: bool = field(default=False, metadata=_TRIGGERS)
    trigger_dehydration_illness: bool = field(default=False, metadata=_TRIGGERS)
    suspects_medication: bool = field(default=False, metadata=_TRIGGERS)

    def as_dict(self) -> dict[str, str | bool]:
        """Every answer by name, ready for JSON (history, export)."""
        return {name: getattr(self, name) for name in ANSWER_KEYS}


@dataclass(frozen=True)
class AnswerKey:
    """How one answer is asked: its type, allowed values and default."""

    name: str
    group: AnswerGroup
    default: str | bool
    values: tuple[str, ...] | tuple[bool, ...]

    @property
    def is_bool(self) -> bool:
        return isinstance(self.default, bool)

    def check(self, value: object) -> str | bool:
        """*value* as stored in ``Answers``, or ``TriageInputError`` if it is not allowed."""
        if self.is_bool:
            if isinstance(value, bool):
                return value
            raise TriageInputError(
                text.fill(
                    _("answer {name} must be true or false, not {value}"),
                    name=_show(self.name),
                    value=_show(value),
                )
            )
        if isinstance(value, str) and value in self.values:
            # the declared object rather than the caller's (maybe a str subclass)
            return self.values[self.values.index(value)]
        raise TriageInputError(
            text.fill(
                _("answer {name} must be one of {allowed}, not {value}"),
                name=_show(self.name),
                allowed=", ".join(_show(v) for v in self.values),
                value=_show(value),
            )
        )


def _describe_keys() -> Mapping[str, AnswerKey]:
    hints = typing.get_type_hints(Answers)
    keys: dict[str, AnswerKey] = {}
    for f in dataclasses.fields(Answers):
        hint = hints[f.name]
        values = (False, True) if hint is bool else typing.get_args(hint)
        if not isinstance(f.default, (str, bool)):
            raise TypeError(f"answer {f.name} needs a default")
        keys[f.name] = AnswerKey(f.name, f.metadata["group"], f.default, values)
    return MappingProxyType(keys)


ANSWER_KEYS: Mapping[str, AnswerKey] = _describe_keys()
"""Every answer key in the order the wizard asks them, with its type, values and default."""

DEFAULT_ANSWERS = Answers()


def _show(value: object) -> str:
    """*value* on one short line, spelled as in JSON where it can be (the CLI reads JSON)."""
    try:
        shown = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def parse_answers(raw: Mapping[str, object]) -> Answers:
    """Check *raw* answers and fill in defaults for the missing ones.

    Raises ``TriageInputError`` for an unknown key, a value of the wrong type (``"yes"`` or ``1``
    for a yes/no answer) or a value outside the key's values.
    """
    if not isinstance(raw, Mapping):
        raise TriageInputError(
            text.fill(
                _("answers must be an object of names and values, not {value}"), value=_show(raw)
            )
        )
    changes: dict[str, str | bool] = {}
    for name, value in raw.items():
        key = ANSWER_KEYS.get(name) if isinstance(name, str) else None
        if key is None:
            raise TriageInputError(_unknown_key_message(name))
        changes[name] = key.check(value)
    # Every value was checked against its field's Literal above, which mypy cannot follow.
    return dataclasses.replace(DEFAULT_ANSWERS, **changes)  # type: ignore[arg-type]


def _unknown_key_message(name: object) -> str:
    close = difflib.get_close_matches(name, list(ANSWER_KEYS), n=1) if isinstance(name, str) else []
    if close:
        template = _("unknown answer {name} (did you mean {suggestion}?)")
        return text.fill(template, name=_show(name), suggestion=_show(close[0]))
    return text.fill(_("unknown answer {name}"), name=_show(name))


# --- Rules -------------------------------------------------------------------------------------


def _neuro_context(a: Answers) -> bool:
    return (
        a.weakness in ("gradual_weeks_to_months", "worsening_over_days")
        or a.speech == "gradual_change"
        or a.swallowing == "gradual_difficulty"
        or a.muscle_wasting
        or a.tongue_twitching
    )


def _weight_loss_with_cramps_or_motor(a: Answers) -> bool:
    return a.unintentional_weight_loss and (
        a.cramps != "none"
        or a.muscle_wasting
        or a.weakness in ("gradual_weeks_to_months", "worsening_over_days")
    )


class Rule(NamedTuple):
    """One row of TRIAGE.md's table: when *applies* is true, *reason* fires at *level*."""

    reason: str
    level: TriageLevel
    applies: Callable[[Answers], bool]


_E, _U, _P, _R = (
    TriageLevel.EMERGENCY,
    TriageLevel.URGENT_SAME_DAY,
    TriageLevel.PROMPT,
    TriageLevel.ROUTINE,
)

RULES: tuple[Rule, ...] = (
    Rule(
        "stroke_signs",
        _E,
        lambda a: (
            a.sudden_face_droop
            or a.sudden_other_neuro
            or a.weakness == "sudden"
            or a.speech == "sudden_change"
            or a.numbness == "sudden_one_side"
        ),
    ),
    Rule("sudden_swallowing", _E, lambda a: a.swallowing == "sudden_difficulty"),
    Rule("choking", _E, lambda a: a.swallowing == "choking_or_cannot_swallow"),
    Rule("severe_breathing", _E, lambda a: a.breathing == "struggling_to_breathe"),
    Rule("cauda_equina", _E, lambda a: a.saddle_numbness_or_bladder_bowel_change),
    Rule("weakness_over_days", _U, lambda a: a.weakness == "worsening_over_days"),
    Rule("numbness_spreading", _U, lambda a: a.numbness == "spreading_over_days"),
    Rule("breathless_at_rest", _U, lambda a: a.breathing == "breathless_at_rest"),
    Rule(
        "breathless_lying_flat_with_neuro",
        _U,
        lambda a: a.breathing == "breathless_lying_flat" and _neuro_context(a),
    ),
    Rule("possible_rhabdo", _U, lambda a: a.dark_urine_or_extreme_muscle_pain),
    Rule("weakness_gradual", _P, lambda a: a.weakness == "gradual_weeks_to_months"),
    Rule("speech_gradual", _P, lambda a: a.speech == "gradual_change"),
    Rule("swallowing_gradual", _P, lambda a: a.swallowing == "gradual_difficulty"),
    Rule("wasting", _P, lambda a: a.muscle_wasting),
    Rule("tongue", _P, lambda a: a.tongue_twitching),
    Rule(
        "breathless_exertion_or_flat",
        _P,
        lambda a: (
            a.breathing == "breathless_on_exertion"
            or (a.breathing == "breathless_lying_flat" and not _neuro_context(a))
        ),
    ),
    Rule("weight_loss_with_cramps_or_motor", _P, _weight_loss_with_cramps_or_motor),
    Rule("droop_or_double_vision", _P, lambda a: a.eyelid_droop_or_double_vision),
    # A doctor's earlier check covers only what they examined: these two rules and no others.
    Rule(
        "persistent_twitch",
        _R,
        lambda a: a.twitch_duration != "under_2_weeks" and not a.doctor_checked_no_change,
    ),
    Rule(
        "multiple_places",
        _R,
        lambda a: a.twitch_location == "multiple_or_migrating" and not a.doctor_checked_no_change,
    ),
    Rule("numbness_stable", _R, lambda a: a.numbness == "stable_or_comes_and_goes"),
    Rule("stiffness", _R, lambda a: a.muscle_stiffness),
    Rule("medication", _R, lambda a: a.suspects_medication),
    Rule("family_history", _R, lambda a: a.family_history_mnd),
    Rule(
        "weight_loss",
        _R,
        lambda a: a.unintentional_weight_loss and not _weight_loss_with_cramps_or_motor(a),
    ),
    Rule("emotional_change", _R, lambda a: a.emotional_or_behaviour_change),
    Rule(
        "frequent_cramps",
        _R,
        lambda a: (
            a.cramps == "frequent_or_disturbing_sleep" and not _weight_loss_with_cramps_or_motor(a)
        ),
    ),
    Rule("eyes_forced_shut", _R, lambda a: a.eyes_forced_shut),
)
"""TRIAGE.md's table, in its order (most urgent level first)."""

REASON_LEVELS: Mapping[str, TriageLevel] = MappingProxyType(
    {rule.reason: rule.level for rule in RULES}
)
"""Every reason id, in table order, with the level it fires at."""


def _fired(answers: Answers) -> tuple[Rule, ...]:
    # sorted() is stable, so the table order holds within a level whatever order RULES is in
    fired = (rule for rule in RULES if rule.applies(answers))
    return tuple(sorted(fired, key=lambda rule: -rule.level.urgency))


def is_emergency_answer(name: str, value: str | bool) -> bool:
    """Whether this one answer, with every other at its default, calls for emergency services.

    The wizard asks the emergency screen first and stops at the first answer for which this is
    true. Raises ``TriageInputError`` for an unknown key or a value it does not allow.
    """
    fired = _fired(parse_answers({name: value}))
    return bool(fired) and fired[0].level is TriageLevel.EMERGENCY


# --- Result ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriageResult:
    """The outcome of a check: its level, the ids of every rule that fired, and the message."""

    level: TriageLevel
    reasons: tuple[str, ...]
    message: str

    def as_dict(self) -> dict[str, object]:
        """The ``quell triage`` JSON line: ``{"level", "reasons", "message"}``."""
        return {"level": self.level.value, "reasons": list(self.reasons), "message": self.message}


def triage(answers: Answers, *, emergency_number: str) -> TriageResult:
    """Evaluate every rule on *answers*; the most urgent reason that fires sets the level."""
    fired = _fired(answers)
    level = fired[0].level if fired else TriageLevel.SELF_CARE
    reasons = tuple(rule.reason for rule in fired)
    main = [reason_text(rule.reason) for rule in fired if rule.level is level]
    lower = [reason_text(rule.reason) for rule in fired if rule.level is not level]

    paragraphs = [level_action(level, emergency_number)]
    if main:
        paragraphs.append(" ".join(main))
    if lower:
        paragraphs.append(" ".join([text.also_mention(), *lower]))
    paragraphs.extend(advice(answers, level, reasons))
    paragraphs.append(safety_net(level, emergency_number))
    return TriageResult(level, reasons, "\n\n".join(paragraphs))


def level_action(level: TriageLevel, emergency_number: str) -> str:
    """The action to show large and first, with its timeframe in words."""
    return text.action(level.value, emergency_number)


def level_timeframe(level: TriageLevel) -> str:
    """How soon, as a short label ("Today, within hours")."""
    return text.timeframe(level.value)


def reason_text(reason: str) -> str:
    """One plain sentence on why *reason* (an id from ``REASON_LEVELS``) matters."""
    if reason not in REASON_LEVELS:
        raise KeyError(reason)
    return text.reason(reason)


_TRIGGER_KEYS = tuple(name for name in ANSWER_KEYS if name.startswith("trigger_"))


def advice(answers: Answers, level: TriageLevel, reasons: Iterable[str] = ()) -> tuple[str, ...]:
    """Paragraphs between the reasons and the safety net: self-care tips, after-exercise care.

    *reasons* are the ids that fired for *answers*; they keep the after-exercise note from
    repeating what the possible_rhabdo reason already says.
    """
    paragraphs: list[str] = []
    if level is TriageLevel.SELF_CARE:
        paragraphs.append(text.reassurance())
        if answers.doctor_checked_no_change:
            paragraphs.append(text.doctor_checked())
        tips = [text.trigger_tip(name) for name in _TRIGGER_KEYS if getattr(answers, name)]
        if tips:
            paragraphs.append(" ".join(tips))
        paragraphs.append(text.general_tips())
    # Whatever the level, recovering post-exercise weakness can turn into muscle breakdown; say
    # what to watch for, unless help is already on its way or the reason says it.
    if (
        answers.weakness == "after_exercise_improving"
        and level is not TriageLevel.EMERGENCY
        and "possible_rhabdo" not in reasons
    ):
        paragraphs.append(text.after_exercise_weakness())
    return tuple(paragraphs)


def safety_net(level: TriageLevel, emergency_number: str) -> str:
    """What would change the answer; every message ends with it."""
    return text.safety_net(level.value, emergency_number)


def disclaimer() -> str:
    """Who the check is for and that it is not a diagnosis."""
    return text.disclaimer()


# --- Emergency numbers -------------------------------------------------------------------------

# The 27 EU member states, Greece also under its EU code EL.
_EU = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU",
        "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    }
)  # fmt: skip

_NUMBERS: Mapping[str, str] = MappingProxyType(
    {
        "GB": "999",
        "UK": "999",
        "US": "911",
        "CA": "911",
        "AU": "000",
        "NZ": "111",
        "IN": "112",
        **dict.fromkeys(_EU, "112"),
    }
)


def emergency_number_for(locale_name: str) -> str:
    """The emergency number for a locale such as ``en_GB.UTF-8`` or ``fr-CA``.

    Only the countries TRIAGE.md lists get a number; a wrong number is worse than the general
    hint returned for everything else ("C", a bare language, other regions).
    """
    region = _region(locale_name)
    number = _NUMBERS.get(region) if region else None
    return number if number is not None else text.fallback_emergency_number()


def region_of(locale_name: str) -> str | None:
    """The country code of a locale such as ``en_GB.UTF-8`` (``GB``), or None."""
    return _region(locale_name)


def _region(locale_name: str) -> str | None:
    base = re.split(r"[.@]", locale_name.strip(), maxsplit=1)[0]
    # The first part is the language ("ca" is Catalan, not Canada); a 4-letter part is a script.
    for part in re.split(r"[-_]", base)[1:]:
        if len(part) == 2 and part.isascii() and part.isalpha():
            return part.upper()
    return None


# --- Sources -----------------------------------------------------------------------------------


class Source(NamedTuple):
    title: str
    publisher: str


# The publications' own titles, so not marked for translation.
SOURCES: tuple[Source, ...] = (
    Source("Suspected neurological conditions: recognition and referral (NG127)", "NICE"),
    Source("Motor neurone disease: assessment and management (NG42)", "NICE"),
    Source("Twitching eyes and muscles", "NHS"),
    Source("Stroke symptoms", "NHS"),
    Source("Shortness of breath", "NHS"),
    Source("Guillain-Barré syndrome", "NHS"),
    Source("Leg cramps", "NHS"),
    Source("Myasthenia gravis", "NHS"),
    Source("Cauda equina syndrome patient information leaflets", "NHS trusts"),
    Source("Exertional rhabdomyolysis", "CDC / NIOSH"),
    Source("Long-term follow-up of people with benign fasciculations", "Mayo Clinic"),
)
