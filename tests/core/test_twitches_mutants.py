"""Twitch diary edges a mutation run found untested: each refusal's exact words, labels of
unknown keys, a changed side or time on edit, and the small hours in the diary."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from quell.core import i18n
from quell.core.errors import InputError
from quell.core.settings import Settings
from quell.core.twitches import (
    Twitch,
    TwitchDiary,
    area_label,
    check_area,
    check_intensity,
    check_side,
    intensity_label,
    side_label,
)
from tests.conftest import LONDON, FakeClock
from tests.core.test_twitches import MemoryTwitchStore

TODAY = date(2026, 3, 10)  # the clock fixture: 14:30 London


@pytest.fixture
def diary(clock: FakeClock) -> TwitchDiary:
    return TwitchDiary(MemoryTwitchStore(), clock, Settings)


def refusal(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return str(caught.value)


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def test_area_refusals() -> None:
    assert refusal(check_area, " Elbw ") == (
        "unknown body area 'Elbw' (choose from eyelid, face, neck, shoulder, arm, hand, chest, "
        "back, abdomen, thigh, calf, foot, other)")
    assert refusal(check_area, "calff") == "unknown body area 'calff' (did you mean calf?)"
    assert refusal(check_area, 7).startswith("unknown body area '7' (choose from eyelid,")
    # Only the closest match is offered.
    assert refusal(check_area, "han") == "unknown body area 'han' (did you mean hand?)"


def test_side_refusals() -> None:
    assert check_side(None) == ""
    assert check_side(" Left ") == "left"
    assert refusal(check_side, "up") == "side must be left, right or both, not 'up'"
    assert refusal(check_side, 3) == "side must be left, right or both, not '3'"


def test_intensity_refusals_show_what_was_given() -> None:
    assert check_intensity(" 4 ") == 4
    assert check_intensity(2.0) == 2
    assert refusal(check_intensity, " 9 ") == (
        "intensity must be a whole number from 1 to 5, not 9")
    assert refusal(check_intensity, True) == (
        "intensity must be a whole number from 1 to 5, not True")
    assert refusal(check_intensity, 2.5) == (
        "intensity must be a whole number from 1 to 5, not 2.5")
    assert refusal(check_intensity, None) == (
        "intensity must be a whole number from 1 to 5, not None")


def test_labels_of_unknown_keys_are_the_keys() -> None:
    assert area_label("elbow") == "elbow"
    assert side_label("up") == "up"
    assert intensity_label(9) == "9"
    i18n.install(lambda text: f"«{text}»")
    try:
        assert area_label("calf") == "«Calf»"
        assert area_label("elbow") == "«elbow»"
        assert Twitch("calf", at(9), TODAY).where() == "«Calf»"
        assert intensity_label(2) == "«Mild»"
    finally:
        i18n.install(str)


def test_where_names_the_area_and_side() -> None:
    assert Twitch("calf", at(9), TODAY).where() == "Calf"
    assert Twitch("other", at(9), TODAY, side="both").where() == "Somewhere else (both sides)"


def test_logging_keeps_time_note_and_day(diary: TwitchDiary) -> None:
    logged = diary.log("calf", side="left", intensity=4, at=at(9), note="after a run")
    assert (logged.at, logged.day, logged.side, logged.intensity, logged.note) == (
        at(9), TODAY, "left", 4, "after a run")
    assert diary.log("calf").note == ""
    # 03:48 belongs to the Quell day before (it starts at 04:00).
    assert diary.log("eyelid", at=at(3, 48)).day == date(2026, 3, 9)


def test_editing_changes_only_what_is_given(diary: TwitchDiary) -> None:
    logged = diary.log("calf", side="left", intensity=4, at=at(9))
    assert logged.id is not None
    moved = diary.edit(logged.id, side="right", at=at(3, 0))
    assert (moved.side, moved.at, moved.day, moved.area, moved.intensity) == (
        "right", at(3, 0), date(2026, 3, 9), "calf", 4)
    assert diary.edit(logged.id, side="").side == ""
    assert refusal(diary.edit, 99, side="left") == "that twitch is no longer in the diary"
    assert refusal(diary.delete, 99) == "that twitch is no longer in the diary"


def test_a_twitch_in_tonights_small_hours_is_just_in_the_future(diary: TwitchDiary) -> None:
    assert refusal(diary.log, "calf", at=at(2, 0, date(2026, 3, 11))) == (
        "2026-03-11 02:00 is in the future")
    assert diary.current_day() == TODAY


def summary_of(early: list[int], late: list[int], length: int = 14) -> str:
    """The trend of a period of *length* days with episodes on the given day offsets."""
    from datetime import timedelta

    from quell.core.twitches import summarize_twitches

    first = date(2026, 3, 1)
    offsets = early + [length // 2 + d for d in late]
    twitches = [Twitch("calf", at(9, day=first + timedelta(o)), first + timedelta(o))
                for o in offsets]
    return summarize_twitches(twitches, first, first + timedelta(length - 1)).trend


def test_trend_needs_fourteen_days_and_six_episodes() -> None:
    assert summary_of([0, 1], [0, 1, 2, 3]) == "more"
    assert summary_of([0, 1], [0, 1, 2, 3], length=13) == "unknown"
    assert summary_of([0], [0, 1, 2, 3]) == "unknown"


def test_trend_at_exactly_half_again_as_many() -> None:
    # 2 early vs 3 late (x1.5): more; 4 vs 6 the same ratio; 3 vs 4 is "the same".
    assert summary_of([0, 1, 2, 3], [0, 1, 2, 3, 4, 5]) == "more"
    assert summary_of([0, 1, 2, 3, 4, 5], [0, 1, 2, 3]) == "fewer"
    assert summary_of([0, 1, 2], [0, 1, 2, 3]) == "same"
    assert summary_of([0, 1, 2, 3], [0, 1, 2]) == "same"
    assert summary_of([0, 1, 2], [0, 1, 2]) == "same"


def test_the_middle_day_belongs_to_the_second_half() -> None:
    # Day 7 of 14 is the first day of the second half.
    assert summary_of([0, 1], [0, 0, 0, 0]) == "more"
    # An odd length: 15 days split 7 early, 8 late (4/7 a day vs 6/8 is not 1.5 times).
    assert summary_of([0, 1, 2, 3], [0, 1, 2, 3, 4, 5], length=15) == "same"
    assert summary_of([0, 1, 2, 3], [0, 1, 2, 3, 4, 5, 6], length=15) == "more"


def test_areas_and_sides_are_ranked_by_count_then_in_order() -> None:
    from quell.core.twitches import summarize_twitches

    twitches = [Twitch(area, at(9), TODAY, side) for area, side in (
        ("foot", "left"), ("eyelid", "right"), ("foot", ""), ("calf", "right"),
        ("eyelid", "left"))]
    summary = summarize_twitches(twitches, TODAY, TODAY)
    assert summary.by_area == (("eyelid", 2), ("foot", 2), ("calf", 1))
    assert summary.by_side == (("left", 2), ("right", 2), ("", 1))
    with pytest.raises(ValueError, match="the period ends before it starts"):
        summarize_twitches([], TODAY, date(2026, 3, 9))
