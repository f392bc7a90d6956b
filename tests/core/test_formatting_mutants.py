"""Formatting and habit lookup edges a mutation run found untested: progress in each unit and
shape, sleep ranges with half hours, and the names people type for drinks."""

from __future__ import annotations

import pytest

from quell.core import formatting
from quell.core.habits import drink_preset, habit, intensity_label, stress_label


def test_progress_in_each_shape() -> None:
    water = habit("water")
    assert formatting.progress(water, 1250, 2000, None) == "1,250 / 2,000 ml"
    assert formatting.progress(water, 1250, None, None) == "1,250 ml"
    assert formatting.progress(water, None, 2000, None) == "not logged"
    assert formatting.progress(habit("caffeine"), 190, 300, None) == "190 / 300 mg"


def test_progress_in_fluid_ounces_converts_both_numbers() -> None:
    water = habit("water")
    assert formatting.progress(water, 500, 2000, None, "fl_oz") == "16.9 / 67.6 fl oz"
    assert formatting.progress(water, 500, None, None, "fl_oz") == "16.9 fl oz"


def test_sleep_progress_names_the_range_with_half_hours() -> None:
    sleep = habit("sleep")
    assert formatting.progress(sleep, 7.5, 7, 9) == "7 h 30 min (goal 7–9 h)"
    assert formatting.progress(sleep, 7.5, 6.5, 8.5) == "7 h 30 min (goal 6.5–8.5 h)"
    assert formatting.progress(sleep, 6.75, 6.75, 8.75) == "6 h 45 min (goal 6.8–8.8 h)"
    # Without both ends it is an ordinary target.
    assert formatting.progress(sleep, 7.5, 7, None) == "7 h 30 min / 7 h"
    # Another habit with a maximum is not shown as a sleep range.
    assert formatting.progress(habit("water"), 1500, 1000, 3000) == "1,500 / 1,000 ml"


def test_water_in_converts_only_to_fluid_ounces() -> None:
    assert formatting.water_in(1000, "ml") == 1000
    assert formatting.water_in(29.5735295625, "fl_oz") == pytest.approx(1.0)


@pytest.mark.parametrize("typed", ["Filter Coffee", "filter-coffee", " filter_coffee "])
def test_drink_names_as_typed(typed: str) -> None:
    found = drink_preset(typed)
    assert found is not None and found.key == "filter_coffee"


def test_unknown_drinks_and_labels() -> None:
    assert drink_preset("hot chocolate fudge") is None
    assert intensity_label("very_hard") == "Very hard"
    assert intensity_label("moderate") == "Moderate"
    assert intensity_label("sprint") == "sprint"
    assert [stress_label(n) for n in range(1, 6)] == [
        "Very calm", "Calm", "Some stress", "Stressed", "Very stressed"]


def test_labels_go_through_the_translator() -> None:
    from quell.core import i18n

    i18n.install(lambda text: f"«{text}»")
    try:
        assert intensity_label("hard") == "«Hard»"
        assert stress_label(3) == "«Some stress»"
    finally:
        i18n.install(str)
