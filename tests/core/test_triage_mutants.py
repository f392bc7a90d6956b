"""Triage input edges a mutation run found untested: how a bad value is shown in the one-line
error (JSON spelling, non-ASCII kept, cut at 60 characters), suggestions, and regions."""

from __future__ import annotations

import pytest

from quell.core.triage import (
    TriageInputError,
    emergency_number_for,
    parse_answers,
)
from quell.core.triage_text import fallback_emergency_number


def refusal(raw: object) -> str:
    with pytest.raises(TriageInputError) as caught:
        parse_answers(raw)  # type: ignore[arg-type]
    return str(caught.value)


def test_a_bad_value_is_shown_as_json_with_its_letters() -> None:
    assert refusal({"tongue_twitching": "ja, sehr häufig"}) == (
        'answer "tongue_twitching" must be true or false, not "ja, sehr häufig"')


def test_a_long_value_is_cut_at_sixty_characters() -> None:
    sixty = "x" * 58  # with its quotes, 60 characters: shown whole
    assert refusal({"tongue_twitching": sixty}).endswith(f'not "{sixty}"')
    longer = "x" * 59
    assert refusal({"tongue_twitching": longer}).endswith('not "' + "x" * 56 + "...")


def test_a_value_json_cannot_spell_is_shown_as_python_would() -> None:
    assert refusal({"tongue_twitching": {1, 2}}) == (
        'answer "tongue_twitching" must be true or false, not {1, 2}')


def test_an_unknown_answer_gets_one_suggestion_or_none() -> None:
    assert refusal({"tongue_twitchin": True}) == (
        'unknown answer "tongue_twitchin" (did you mean "tongue_twitching"?)')
    assert refusal({"zzz": True}) == 'unknown answer "zzz"'
    assert refusal({7: True}) == "unknown answer 7"


@pytest.mark.parametrize(("locale", "number"), [
    ("en_GB.UTF-8", "999"), ("de_DE@euro", "112"), ("fr-CA", "911"),
    ("de_Latn_DE.UTF-8", "112"), ("en_GB.UTF-8@x.y", "999"),
])
def test_regions_from_locale_names(locale: str, number: str) -> None:
    assert emergency_number_for(locale) == number


@pytest.mark.parametrize("locale", ["", "C", "ca", "en_G1", "en_ÄB", "en_GBR"])
def test_no_region_no_number(locale: str) -> None:
    assert emergency_number_for(locale) == fallback_emergency_number()
