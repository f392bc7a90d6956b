"""The twitch diary's rules (areas, sides, strength, times) and its summary over a period."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quell.core.entries import Source
from quell.core.errors import InputError
from quell.core.settings import Settings
from quell.core.twitches import (
    AREAS,
    DEFAULT_INTENSITY,
    SIDES,
    Twitch,
    TwitchDiary,
    area_label,
    check_area,
    check_intensity,
    check_side,
    intensity_label,
    side_label,
    summarize_twitches,
)
from tests.conftest import FakeClock

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 10)


class MemoryTwitchStore:
    """The TwitchStore protocol in memory."""

    def __init__(self) -> None:
        self.twitches: dict[int, Twitch] = {}
        self.deleted: dict[int, Twitch] = {}
        self._next = 1

    def add_twitch(self, twitch: Twitch) -> Twitch:
        stored = replace(twitch, id=self._next)
        self.twitches[self._next] = stored
        self._next += 1
        return stored

    def update_twitch(self, twitch: Twitch) -> Twitch:
        assert twitch.id in self.twitches
        self.twitches[twitch.id] = twitch
        return twitch

    def delete_twitch(self, twitch_id: int) -> None:
        self.deleted[twitch_id] = self.twitches.pop(twitch_id)

    def restore_twitch(self, twitch_id: int) -> None:
        self.twitches[twitch_id] = self.deleted.pop(twitch_id)

    def get_twitch(self, twitch_id: int) -> Twitch | None:
        return self.twitches.get(twitch_id)

    def twitches_between(self, first_day: date, last_day: date) -> list[Twitch]:
        return sorted((t for t in self.twitches.values() if first_day <= t.day <= last_day),
                      key=lambda t: t.at)

    def last_twitch(self) -> Twitch | None:
        return max(self.twitches.values(), key=lambda t: t.at, default=None)


@pytest.fixture
def store() -> MemoryTwitchStore:
    return MemoryTwitchStore()


@pytest.fixture
def diary(store: MemoryTwitchStore, clock: FakeClock) -> TwitchDiary:
    return TwitchDiary(store, clock, Settings)


# -- the vocabulary -------------------------------------------------------------------------

def test_areas_are_the_contract_list() -> None:
    assert AREAS == ("eyelid", "face", "neck", "shoulder", "arm", "hand", "chest", "back",
                     "abdomen", "thigh", "calf", "foot", "other")
    assert SIDES == ("", "left", "right", "both")


def test_every_area_side_and_strength_has_a_name() -> None:
    assert [area_label(a) for a in AREAS][:2] == ["Eyelid", "Face"]
    assert area_label("other") == "Somewhere else"
    assert {side_label(s) for s in SIDES} == {"Not said", "Left", "Right", "Both sides"}
    assert [intensity_label(n) for n in range(1, 6)] == [
        "Barely noticeable", "Mild", "Moderate", "Strong", "Very strong"]


@pytest.mark.parametrize(("text", "area"), [("calf", "calf"), (" Calf ", "calf"),
                                            ("EYELID", "eyelid"), ("other", "other")])
def test_area_is_read_leniently(text: str, area: str) -> None:
    assert check_area(text) == area


@pytest.mark.parametrize(("text", "words"), [
    ("calff", "unknown body area 'calff' (did you mean calf?)"),
    ("toe", "choose from eyelid, face, neck"),
    ("", "unknown body area ''"),
])
def test_unknown_area_is_one_line_naming_the_choices(text: str, words: str) -> None:
    with pytest.raises(InputError) as raised:
        check_area(text)
    assert words in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(("text", "side"), [(None, ""), ("", ""), (" Left", "left"),
                                            ("RIGHT", "right"), ("both", "both")])
def test_side(text: str | None, side: str) -> None:
    assert check_side(text) == side


def test_unknown_side_is_refused() -> None:
    with pytest.raises(InputError, match="side must be left, right or both, not 'middle'"):
        check_side("middle")


@pytest.mark.parametrize(("value", "expected"), [(1, 1), (5, 5), ("4", 4), (" 2 ", 2),
                                                 (3.0, 3)])
def test_intensity_accepts_whole_numbers_1_to_5(value: object, expected: int) -> None:
    assert check_intensity(value) == expected


@pytest.mark.parametrize("value", [0, 6, -1, 2.5, True, "x", "", None, "9"])
def test_intensity_refuses_everything_else(value: object) -> None:
    with pytest.raises(InputError, match="intensity must be a whole number from 1 to 5"):
        check_intensity(value)


# -- the diary ------------------------------------------------------------------------------

def test_log_defaults_to_now_no_side_and_moderate(diary: TwitchDiary, clock: FakeClock) -> None:
    twitch = diary.log("Calf")
    assert (twitch.area, twitch.side, twitch.intensity) == ("calf", "", DEFAULT_INTENSITY)
    assert twitch.at == clock.now() and twitch.day == TODAY
    assert twitch.source is Source.WINDOW and twitch.id is not None


def test_log_everything(diary: TwitchDiary) -> None:
    at = datetime(2026, 3, 9, 22, 15, tzinfo=LONDON)
    twitch = diary.log("eyelid", side="left", intensity="4", at=at, note="  after  a  long day ",
                       source=Source.CLI)
    assert (twitch.side, twitch.intensity, twitch.at, twitch.day) == ("left", 4, at,
                                                                       date(2026, 3, 9))
    assert twitch.note == "after a long day"
    assert twitch.source is Source.CLI
    assert twitch.where() == "Eyelid (left)"


def test_small_hours_count_on_the_day_before(diary: TwitchDiary) -> None:
    twitch = diary.log("thigh", at=datetime(2026, 3, 10, 1, 30, tzinfo=LONDON))
    assert twitch.day == date(2026, 3, 9)


def test_naive_time_is_taken_as_local(diary: TwitchDiary) -> None:
    twitch = diary.log("hand", at=datetime(2026, 3, 10, 9, 0))
    assert twitch.at.utcoffset() == timedelta(0)  # London in March, before DST
    assert twitch.at.hour == 9


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"at": datetime(2026, 3, 10, 15, 30, tzinfo=LONDON)}, "in the future"),
    ({"at": datetime(2010, 1, 1, tzinfo=LONDON)}, "more than ten years ago"),
    ({"note": "x" * 501}, "longer than 500 characters"),
    ({"side": "up"}, "side must be"),
    ({"intensity": 0}, "intensity must be"),
])
def test_bad_input_stores_nothing(diary: TwitchDiary, store: MemoryTwitchStore,
                                  kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(InputError, match=words):
        diary.log("calf", **kwargs)  # type: ignore[arg-type]
    assert store.twitches == {}


def test_edit_checks_like_logging(diary: TwitchDiary) -> None:
    twitch = diary.log("calf", side="left", intensity=2)
    assert twitch.id is not None
    moved = diary.edit(twitch.id, area="thigh", side="", intensity=5, note="ouch",
                       at=datetime(2026, 3, 9, 2, 0, tzinfo=LONDON))
    assert (moved.area, moved.side, moved.intensity, moved.note) == ("thigh", "", 5, "ouch")
    assert moved.day == date(2026, 3, 8)  # 02:00 belongs to the day before
    assert diary.edit(twitch.id) == moved  # nothing to change
    with pytest.raises(InputError, match="intensity"):
        diary.edit(twitch.id, intensity=7)
    assert diary.get(twitch.id) == moved
    with pytest.raises(InputError, match="no longer in the diary"):
        diary.edit(999, area="calf")


def test_delete_and_undo(diary: TwitchDiary) -> None:
    twitch = diary.log("foot")
    assert twitch.id is not None
    assert diary.delete(twitch.id) == twitch
    assert diary.between(TODAY, TODAY) == []
    with pytest.raises(InputError):
        diary.delete(twitch.id)
    diary.undo_delete(twitch.id)
    assert diary.between(TODAY, TODAY) == [twitch]


def test_last_is_the_latest_in_time(diary: TwitchDiary) -> None:
    assert diary.last() is None
    late = diary.log("calf", intensity=4)
    diary.log("arm", at=late.at - timedelta(hours=3))
    assert diary.last() == late


# -- the summary ----------------------------------------------------------------------------

def episode(day: date, area: str = "calf", intensity: int = 3, side: str = "") -> Twitch:
    at = datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)
    return Twitch(area, at, day, side, intensity)


def test_summary_counts_where_and_how_strong() -> None:
    first = date(2026, 3, 1)
    twitches = [episode(first, "eyelid", 1, "left"), episode(first, "calf", 4, "right"),
                episode(first + timedelta(days=3), "calf", 3),
                episode(first + timedelta(days=8), "thigh", 2, "left"),
                episode(first - timedelta(days=1), "hand", 5)]  # before the period
    summary = summarize_twitches(twitches, first, first + timedelta(days=9))
    assert summary.days == 10 and summary.episodes == 4 and summary.days_with_twitches == 3
    assert summary.per_day == pytest.approx(0.4)
    assert summary.by_area == (("calf", 2), ("eyelid", 1), ("thigh", 1))  # ties head to toe
    assert summary.main_area == "calf"
    assert summary.by_side == (("left", 2), ("", 1), ("right", 1))
    assert summary.by_intensity == ((1, 1), (2, 1), (3, 1), (4, 1), (5, 0))
    assert summary.mean_intensity == pytest.approx(2.5)
    assert summary.strongest == 4
    assert [(w.start, w.days, w.episodes) for w in summary.weeks] == [
        (first, 7, 3), (first + timedelta(days=7), 3, 1)]
    assert summary.weeks[1].mean_intensity == 2
    assert summary.trend == "unknown"  # 10 days is too short to say


def test_empty_period() -> None:
    summary = summarize_twitches([], TODAY, TODAY)
    assert (summary.episodes, summary.mean_intensity, summary.strongest, summary.main_area) == (
        0, None, None, None)
    assert [w.episodes for w in summary.weeks] == [0]
    with pytest.raises(ValueError):
        summarize_twitches([], TODAY, TODAY - timedelta(days=1))


@pytest.mark.parametrize(("early", "late", "trend"), [
    (2, 8, "more"), (8, 2, "fewer"), (5, 5, "same"), (4, 5, "same"), (1, 4, "unknown")])
def test_trend_compares_the_halves(early: int, late: int, trend: str) -> None:
    first = date(2026, 2, 1)
    twitches = ([episode(first + timedelta(days=n % 14)) for n in range(early)]
                + [episode(first + timedelta(days=14 + n % 14)) for n in range(late)])
    assert summarize_twitches(twitches, first, first + timedelta(days=27)).trend == trend


days_in = st.integers(min_value=0, max_value=60)


@given(st.lists(st.tuples(days_in, st.sampled_from(AREAS), st.integers(1, 5)), max_size=80),
       st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=40))
def test_summary_parts_add_up(raw: list[tuple[int, str, int]], start: int, length: int) -> None:
    base = date(2026, 1, 1)
    twitches = [episode(base + timedelta(days=d), area, strength) for d, area, strength in raw]
    first, last = base + timedelta(days=start), base + timedelta(days=start + length)
    summary = summarize_twitches(twitches, first, last)
    inside = [t for t in twitches if first <= t.day <= last]
    assert summary.episodes == len(inside)
    assert sum(n for _a, n in summary.by_area) == len(inside)
    assert sum(n for _s, n in summary.by_intensity) == len(inside)
    assert sum(w.episodes for w in summary.weeks) == len(inside)
    assert sum(w.days for w in summary.weeks) == summary.days == length + 1
    assert summary.days_with_twitches <= summary.days
    assert summary.trend in {"more", "fewer", "same", "unknown"}
