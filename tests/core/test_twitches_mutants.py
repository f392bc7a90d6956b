"""Twitch diary edges a mutation run found untested: each refusal's exact words, labels of
unknown keys, a changed side or time on edit, and the small hours in the diary."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.core import i18n
from desktop.core.errors import InputError
from desktop.core.settings import Settings
from desktop.core.twitches import (
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
