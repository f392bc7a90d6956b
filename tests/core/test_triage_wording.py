"""The symptom check's wording, word for word, against the reviewed copy in triage_wording.json.

TRIAGE.md fixes the rules and the words each message must name; the rest of the wording is
ours, written plainly and checked against that contract. The words are what a frightened user
acts on, so no change to them may slip in unnoticed: a deliberate change updates the JSON in the
same commit, where a reviewer sees it. Every text is also checked to come through the
translator and to get the emergency number filled in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from quell.core import i18n
from quell.core import triage_text as text
from quell.core.triage import _TRIGGER_KEYS, REASON_LEVELS, TriageLevel

WORDING = json.loads((Path(__file__).with_name("triage_wording.json")).read_text("utf-8"))
LEVELS = [level.value for level in TriageLevel]
NUMBER = "112"


def with_number(template: str) -> str:
    return template.replace("{number}", NUMBER)


@pytest.mark.parametrize("level", LEVELS)
def test_each_levels_action_timeframe_and_safety_net(level: str) -> None:
    assert text.action(level, NUMBER) == with_number(WORDING["action"][level])
    assert text.timeframe(level) == WORDING["timeframe"][level]
    assert text.safety_net(level, NUMBER) == with_number(WORDING["safety_net"][level])


@pytest.mark.parametrize("reason", sorted(REASON_LEVELS))
def test_each_reasons_explanation(reason: str) -> None:
    assert text.reason(reason) == WORDING["reason"][reason]


@pytest.mark.parametrize("trigger", _TRIGGER_KEYS)
def test_each_triggers_tip(trigger: str) -> None:
    assert text.trigger_tip(trigger) == WORDING["trigger_tip"][trigger]


@pytest.mark.parametrize("name", ["also_mention", "reassurance", "doctor_checked",
                                  "general_tips", "after_exercise_weakness", "disclaimer",
                                  "fallback_emergency_number"])
def test_each_fixed_text(name: str) -> None:
    assert getattr(text, name)() == WORDING[name]


def test_the_emergency_signs_card() -> None:
    assert text.emergency_signs_heading(NUMBER) == with_number(WORDING["emergency_signs_heading"])
    assert list(text.emergency_signs()) == WORDING["emergency_signs"]
    assert list(text.emergency_signs_footer()) == WORDING["emergency_signs_footer"]


def test_the_emergency_signs_name_what_the_issue_and_triage_md_list_and_diagnose_nothing() -> None:
    signs = " ".join(text.emergency_signs()).lower()
    for words in ("face", "one side", "speaking", "swallow", "choking", "breathe", "bladder",
                  "bowel", "numbness around the bottom"):
        assert words in signs, words
    card = " ".join([text.emergency_signs_heading(NUMBER), signs,
                     *text.emergency_signs_footer()]).lower()
    for diagnosis in ("stroke", "als", "motor neurone", "cauda equina", "%"):
        assert diagnosis not in card.split() and f" {diagnosis} " not in f" {card} ", diagnosis
    assert "112" in text.emergency_signs_heading(NUMBER)


@pytest.mark.parametrize(("region", "copy"), [("GB", "GB"), ("US", "elsewhere"),
                                              ("IE", "elsewhere"), (None, "elsewhere")])
def test_help_for_health_anxiety_names_the_nhs_only_in_the_uk(region: str | None,
                                                             copy: str) -> None:
    assert text.health_anxiety_help(region) == WORDING["health_anxiety_help"][copy]


def test_the_copy_covers_every_reason_and_trigger_and_nothing_else() -> None:
    assert set(WORDING["reason"]) == set(REASON_LEVELS)
    assert set(WORDING["trigger_tip"]) == set(_TRIGGER_KEYS)
    assert set(WORDING["action"]) == set(LEVELS) == set(WORDING["safety_net"])


@pytest.fixture
def marked() -> Iterator[None]:
    i18n.install(lambda source: f"«{source}»")
    yield
    i18n.install(str)


@pytest.mark.usefixtures("marked")
def test_every_text_goes_through_the_translator() -> None:
    shown = [text.action(level, NUMBER) for level in LEVELS]
    shown += [text.timeframe(level) for level in LEVELS]
    shown += [text.safety_net(level, NUMBER) for level in LEVELS]
    shown += [text.reason(reason) for reason in REASON_LEVELS]
    shown += [text.trigger_tip(trigger) for trigger in _TRIGGER_KEYS]
    shown += [text.also_mention(), text.reassurance(), text.doctor_checked(),
              text.general_tips(), text.after_exercise_weakness(), text.disclaimer(),
              text.fallback_emergency_number(), text.emergency_signs_heading(NUMBER),
              *text.emergency_signs(), *text.emergency_signs_footer(),
              text.health_anxiety_help("GB"), text.health_anxiety_help(None)]
    for one in shown:
        assert one.startswith("«") and one.endswith("»"), one


def test_fill_replaces_known_placeholders_once_and_leaves_stray_braces() -> None:
    assert text.fill("call {number} {number}", number="999") == "call 999 999"
    assert text.fill("{unknown} and {", number="999") == "{unknown} and {"
    assert text.fill("{number}", number="{number}") == "{number}"
