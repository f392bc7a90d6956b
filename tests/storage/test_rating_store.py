"""The SQLite daily ratings round-trip exactly; a day holds one rating, replaced in place."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from quell.core.ratings import TwitchRating
from quell.storage.database import open_database
from quell.storage.rating_store import SqliteRatingStore

DAY = date(2026, 3, 10)


@pytest.fixture
def db(tmp_path: Path) -> sqlite3.Connection:
    return open_database(tmp_path, DAY).connection


@pytest.fixture
def store(db: sqlite3.Connection) -> SqliteRatingStore:
    return SqliteRatingStore(db)


def test_a_rating_round_trips_with_its_areas(store: SqliteRatingStore) -> None:
    rating = TwitchRating(DAY, 3, ("eyelid", "calf"))
    assert store.put_rating(rating) is None
    assert store.rating_on(DAY) == rating
    assert store.rating_on(DAY - timedelta(days=1)) is None


def test_a_second_rating_of_the_day_replaces_the_first_and_says_what_it_was(
        store: SqliteRatingStore, db: sqlite3.Connection) -> None:
    store.put_rating(TwitchRating(DAY, 3, ("calf",)))
    assert store.put_rating(TwitchRating(DAY, 0)) == TwitchRating(DAY, 3, ("calf",))
    assert store.rating_on(DAY) == TwitchRating(DAY, 0)
    assert store.count_ratings() == 1
    assert db.execute("SELECT areas FROM twitch_ratings").fetchone()[0] == ""


def test_ratings_between_are_the_days_inclusive_oldest_first(store: SqliteRatingStore) -> None:
    for offset, value in ((2, 1), (0, 4), (1, 2), (5, 0)):
        store.put_rating(TwitchRating(DAY - timedelta(days=offset), value))
    got = store.ratings_between(DAY - timedelta(days=2), DAY)
    assert [(r.day, r.rating) for r in got] == [
        (DAY - timedelta(days=2), 1), (DAY - timedelta(days=1), 2), (DAY, 4)]


def test_deleting_returns_the_removed_rating(store: SqliteRatingStore) -> None:
    store.put_rating(TwitchRating(DAY, 2))
    assert store.delete_rating(DAY) == TwitchRating(DAY, 2)
    assert store.delete_rating(DAY) is None
    assert store.count_ratings() == 0


def test_an_area_this_version_does_not_know_is_left_out_when_read(
        store: SqliteRatingStore, db: sqlite3.Connection) -> None:
    db.execute("INSERT INTO twitch_ratings (day, rating, areas, updated)"
               " VALUES (?, 2, 'eyelid,tail,calf', 0)", (DAY.isoformat(),))
    assert store.rating_on(DAY) == TwitchRating(DAY, 2, ("eyelid", "calf"))


def test_a_failed_write_keeps_the_old_rating(store: SqliteRatingStore,
                                             db: sqlite3.Connection) -> None:
    store.put_rating(TwitchRating(DAY, 2))
    with pytest.raises(sqlite3.IntegrityError):
        store.put_rating(TwitchRating(DAY, 9))  # past the core's check: the table refuses it
    assert store.rating_on(DAY) == TwitchRating(DAY, 2)
    assert not db.in_transaction
