"""The daily twitch rating's rules (0–4, areas, which days) and its summary over a period."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from quell.core.errors import InputError
from quell.core.ratings import (
    RATINGS,
    TREND_MIN_RATED,
    TwitchRating,
    TwitchRatings,
    areas_cell,
    check_areas,
    check_rating,
    question,
    rating_label,
    summarize_ratings,
)
from quell.core.settings import Settings
from tests.conftest import LONDON, FakeClock

TODAY = date(2026, 3, 10)


class MemoryRatingStore:
    """The RatingStore protocol in memory."""

    def __init__(self) -> None:
        self.ratings: dict[date, TwitchRating] = {}
        self.writes = 0

    def rating_on(self, day: date) -> TwitchRating | None:
        return self.ratings.get(day)

    def ratings_between(self, first_day: date, last_day: date) -> list[TwitchRating]:
        return [r for d, r in sorted(self.ratings.items()) if first_day <= d <= last_day]

    def put_rating(self, rating: TwitchRating) -> TwitchRating | None:
        self.writes += 1
        previous = self.ratings.get(rating.day)
        self.ratings[rating.day] = rating
        return previous

    def delete_rating(self, day: date) -> TwitchRating | None:
        self.writes += 1
        return self.ratings.pop(day, None)


@pytest.fixture
def store() -> MemoryRatingStore:
    return MemoryRatingStore()


@pytest.fixture
def ratings(store: MemoryRatingStore, clock: FakeClock) -> TwitchRatings:
    return TwitchRatings(store, clock, Settings)


# -- the vocabulary -------------------------------------------------------------------------


def test_the_scale_runs_from_not_at_all_to_a_lot() -> None:
    assert RATINGS == (0, 1, 2, 3, 4)
    assert [rating_label(r) for r in RATINGS] == [
        "Not at all", "A little", "Somewhat", "Quite a lot", "A lot"]
    assert question() == "How much did twitching bother you today?"
    assert rating_label(9) == "9"


@pytest.mark.parametrize(("value", "expected"), [
    (0, 0), (4, 4), ("3", 3), (" 2 ", 2), (1.0, 1)])
def test_a_rating_is_a_whole_number_from_0_to_4(value: object, expected: int) -> None:
    assert check_rating(value) == expected


@pytest.mark.parametrize("value", [-1, 5, "5", "-1", "2.5", 2.5, True, False, None, "", "two",
                                   "٣", [2]])
def test_anything_else_is_refused_in_one_line(value: object) -> None:
    with pytest.raises(InputError, match="from 0 \\(not at all\\) to 4 \\(a lot\\)") as error:
        check_rating(value)
    assert "\n" not in str(error.value)


def test_areas_are_checked_kept_once_and_put_head_to_toe() -> None:
    assert check_areas("calf, Eyelid,calf") == ("eyelid", "calf")
    assert check_areas(["foot", "neck"]) == ("neck", "foot")
    assert check_areas("") == ()
    assert check_areas(" , ") == ()
    assert check_areas(()) == ()
    with pytest.raises(InputError, match="did you mean calf"):
        check_areas("eyelid,clf")
    with pytest.raises(InputError, match="unknown body area"):
        check_areas([3])  # type: ignore[list-item]


def test_areas_read_as_one_cell_and_in_words() -> None:
    assert areas_cell(("eyelid", "calf")) == "eyelid,calf"
    assert areas_cell(()) == ""
    rating = TwitchRating(TODAY, 2, ("eyelid", "calf", "other"))
    assert rating.areas_text() == "Eyelid, calf, somewhere else"
    assert TwitchRating(TODAY, 2).areas_text() == ""


# -- rating a day ---------------------------------------------------------------------------


def test_rating_today_stores_it_and_a_second_replaces_the_first(
        ratings: TwitchRatings, store: MemoryRatingStore) -> None:
    first = ratings.rate(3, areas="calf")
    assert first.rating == TwitchRating(TODAY, 3, ("calf",))
    assert first.replaced is None
    second = ratings.rate("1")
    assert second.rating == TwitchRating(TODAY, 1, ())
    assert second.replaced == TwitchRating(TODAY, 3, ("calf",))
    assert ratings.today() == TwitchRating(TODAY, 1, ())
    assert store.writes == 2


def test_today_is_the_quell_day_so_a_rating_after_midnight_counts_for_the_evening_before(
        ratings: TwitchRatings, clock: FakeClock) -> None:
    clock.set(datetime(2026, 3, 11, 1, 30, tzinfo=LONDON))  # the day starts at 04:00
    assert ratings.rate(2).rating.day == TODAY
    clock.set(datetime(2026, 3, 11, 4, 0, tzinfo=LONDON))
    assert ratings.current_day() == TODAY + timedelta(days=1)


def test_a_past_day_can_be_rated_but_not_one_to_come_or_over_ten_years_ago(
        ratings: TwitchRatings, store: MemoryRatingStore) -> None:
    yesterday = TODAY - timedelta(days=1)
    assert ratings.rate(4, day=yesterday).rating.day == yesterday
    assert ratings.on(yesterday) == TwitchRating(yesterday, 4)
    with pytest.raises(InputError, match=r"^2026-03-11 has not come yet$"):
        ratings.rate(1, day=TODAY + timedelta(days=1))
    assert ratings.rate(1, day=TODAY - timedelta(days=366 * 10)).rating.rating == 1
    with pytest.raises(InputError, match="more than ten years ago"):
        ratings.rate(1, day=TODAY - timedelta(days=366 * 10 + 1))
    assert store.writes == 2


def test_nothing_is_stored_when_any_part_is_wrong(ratings: TwitchRatings,
                                                  store: MemoryRatingStore) -> None:
    for call in (lambda: ratings.rate(7), lambda: ratings.rate(2, areas="nose"),
                 lambda: ratings.rate(2, day=TODAY + timedelta(days=3))):
        with pytest.raises(InputError):
            call()
    assert store.writes == 0 and store.ratings == {}


def test_clearing_removes_that_days_rating(ratings: TwitchRatings,
                                           store: MemoryRatingStore) -> None:
    ratings.rate(2)
    yesterday = TODAY - timedelta(days=1)
    ratings.rate(3, day=yesterday)
    assert ratings.clear() == TwitchRating(TODAY, 2)
    assert ratings.clear() is None
    assert ratings.between(yesterday, TODAY) == [TwitchRating(yesterday, 3)]
    with pytest.raises(InputError):
        ratings.clear(TODAY + timedelta(days=1))


# -- summary --------------------------------------------------------------------------------


def rated(values: list[int | None], first: date = date(2026, 3, 1),
          areas: tuple[str, ...] = ()) -> list[TwitchRating]:
    """Ratings for consecutive days from *first*; None leaves a day unrated."""
    return [TwitchRating(first + timedelta(days=i), v, areas)
            for i, v in enumerate(values) if v is not None]


def test_summary_counts_rated_days_mean_and_each_rating() -> None:
    first = date(2026, 3, 1)
    values: list[int | None] = [0, 1, None, 4, 4, None, 2, 3]
    summary = summarize_ratings(rated(values), first, first + timedelta(days=7))
    assert summary.days == 8 and summary.rated_days == 6
    assert summary.mean == pytest.approx(14 / 6)
    assert summary.by_rating == ((0, 1), (1, 1), (2, 1), (3, 1), (4, 2))
    assert [(w.start, w.days, w.rated, w.mean) for w in summary.weeks] == [
        (first, 7, 5, pytest.approx(11 / 5)), (first + timedelta(days=7), 1, 1, 3.0)]
    assert summary.trend == "unknown"


def test_summary_ignores_ratings_outside_the_period_and_handles_none() -> None:
    first = date(2026, 3, 1)
    summary = summarize_ratings(rated([4, 4, 4], first - timedelta(days=3)), first, first)
    assert summary.rated_days == 0 and summary.mean is None
    assert summary.weeks[0].mean is None and summary.main_area is None
    with pytest.raises(ValueError):
        summarize_ratings([], first, first - timedelta(days=1))


def test_areas_are_counted_by_the_days_they_were_named() -> None:
    first = date(2026, 3, 1)
    ratings = [TwitchRating(first, 2, ("eyelid", "calf")),
               TwitchRating(first + timedelta(days=1), 3, ("calf",)),
               TwitchRating(first + timedelta(days=2), 1, ("neck",))]
    summary = summarize_ratings(ratings, first, first + timedelta(days=2))
    assert summary.by_area == (("calf", 2), ("eyelid", 1), ("neck", 1))  # ties head to toe
    assert summary.main_area == "calf"


@pytest.mark.parametrize(("early", "late", "trend"), [
    (1, 2, "more"),          # a whole point more in the later half
    (2, 1, "fewer"),
    (2, 2, "same"),
])
def test_the_trend_compares_the_later_half_with_the_earlier(early: int, late: int,
                                                            trend: str) -> None:
    first = date(2026, 3, 1)
    values: list[int | None] = [early] * 14 + [late] * 14
    assert summarize_ratings(rated(values), first, first + timedelta(days=27)).trend == trend


def test_the_trend_needs_half_a_point_and_enough_rated_days_in_each_half() -> None:
    first = date(2026, 3, 1)
    last = first + timedelta(days=13)
    # Means 1.0 and 1.57 (over half a point apart) count; 1.0 and 1.43 do not.
    assert summarize_ratings(rated([1] * 7 + [1, 2] * 3 + [2]), first, last).trend == "more"
    assert summarize_ratings(rated([1] * 7 + [1, 2] * 3 + [1]), first, last).trend == "same"
    assert summarize_ratings(rated([2] * 7 + [2, 1] * 3 + [1]), first, last).trend == "fewer"
    short: list[int | None] = [0] * 7 + [4] * (TREND_MIN_RATED - 1) + [None]
    assert summarize_ratings(rated(short), first, last).trend == "unknown"
    early_short: list[int | None] = [None] + [0] * (TREND_MIN_RATED - 1) + [4] * 7
    assert summarize_ratings(rated(early_short), first, last).trend == "unknown"
