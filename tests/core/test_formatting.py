"""Numbers read as people write them."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from quell.core import formatting
from quell.core.habits import Direction, Kind, habit, user_habit


@pytest.mark.parametrize(("key", "value", "unit", "text"), [
    ("water", 1250, "ml", "1,250 ml"),
    ("water", 250, "fl_oz", "8.5 fl oz"),
    ("caffeine", 95, "ml", "95 mg"),
    ("sleep", 7.5, "ml", "7 h 30 min"),
    ("sleep", 0.25, "ml", "15 min"),
    ("sleep", 8, "ml", "8 h"),
    ("stretching", 1, "ml", "1 session"),
    ("stretching", 2, "ml", "2 sessions"),
    ("nicotine", 1, "ml", "1 dose"),
    ("minerals", 1, "ml", "1 serving"),
    ("stress", 4, "ml", "4 / 5"),
    ("exercise", 45, "ml", "45 min"),
])
def test_amounts(key: str, value: float, unit: str, text: str) -> None:
    assert formatting.amount(habit(key), value, unit) == text


def test_progress() -> None:
    assert formatting.progress(habit("water"), 1250, 2000, None) == "1,250 / 2,000 ml"
    assert formatting.progress(habit("caffeine"), 190, 300, None) == "190 / 300 mg"
    assert formatting.progress(habit("sleep"), 7.5, 7, 9) == "7 h 30 min (goal 7–9 h)"
    assert formatting.progress(habit("stress"), None, None, None) == "not logged"
    assert formatting.progress(habit("stretching"), 1, 3, None) == "1 / 3 sessions"


def test_time_on_day_marks_the_small_hours_after_the_day() -> None:
    zone = timezone(timedelta(hours=1))
    late = datetime(2026, 3, 10, 3, 48, tzinfo=zone)
    assert formatting.time_on_day("03:48", late, date(2026, 3, 9)) == "03:48 (after midnight)"
    assert formatting.time_on_day("03:48", late, date(2026, 3, 10)) == "03:48"
    assert [formatting.days(n) for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]


# -- the user's own habits: shown by base unit and kind (issue 10) ----------------------------


def test_a_user_habit_is_shown_by_its_unit_and_kind() -> None:
    screen = user_habit("Screen time", "hours", Kind.DURATION, Direction.RANGE, 1, 3)
    assert formatting.amount(screen, 2.5) == "2 h 30 min"
    assert formatting.progress(screen, 2.5, 1, 3) == "2 h 30 min (goal 1–3 h)"
    juice = user_habit("Juice", "ml", Kind.AMOUNT, Direction.RANGE, 200, 500)
    assert formatting.amount(juice, 1250) == "1,250 ml"
    assert formatting.amount(juice, 295.735295625, "fl_oz") == "10 fl oz"
    assert formatting.progress(juice, 300, 200, 500) == "300 ml (goal 200–500 ml)"
    walk = user_habit("Walk", "minutes", Kind.DURATION, Direction.AT_LEAST, 30)
    assert formatting.amount(walk, 42.4) == "42 min"
    assert formatting.progress(walk, 20, 30, None) == "20 / 30 min"
    mood = user_habit("Mood", "rating", Kind.RATING, Direction.NONE)
    assert formatting.amount(mood, 4) == "4 / 5"
    tea = user_habit("Tea", "cups", Kind.COUNT, Direction.AT_MOST, 3)
    assert formatting.amount(tea, 1) == "1 cup" and formatting.amount(tea, 2) == "2 cups"
    assert formatting.progress(tea, 2, 3, None) == "2 / 3 cups"
    assert formatting.progress(tea, None, 3, None) == "not logged"
    wine = user_habit("Wine", "l", Kind.AMOUNT, Direction.NONE)
    assert formatting.amount(wine, 0.75) == "0.8 l"
