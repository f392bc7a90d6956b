"""twitch_ratings.csv: exported and imported exactly, merged by day, bad rows import nothing."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from quell.core.ratings import TwitchRating
from quell.core.settings import Settings
from quell.storage.database import open_database
from quell.storage.export import export_zip
from quell.storage.import_archive import ImportRejected
from quell.storage.importing import import_zip
from quell.storage.rating_store import SqliteRatingStore
from quell.storage.store import SqliteStore
from tests.conftest import LONDON

NOW = datetime(2026, 3, 10, 14, 30, tzinfo=LONDON)
HEADER = "day,rating,areas\n"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(open_database(tmp_path / "db", NOW.date()).connection)
    yield opened
    opened.connection.close()


def ratings(db: sqlite3.Connection) -> list[TwitchRating]:
    return SqliteRatingStore(db).ratings_between(date(2000, 1, 1), date(2100, 1, 1))


def import_files(store: SqliteStore, folder: Path, files: dict[str, str], *,
                 now: datetime = NOW):
    path = folder / "in.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return import_zip(store, path, tz=LONDON, now=now, day_start_hour=4)


def test_a_ratings_file_alone_is_enough_to_import(store: SqliteStore, tmp_path: Path) -> None:
    result = import_files(store, tmp_path, {"twitch_ratings.csv": HEADER
                                            + "2026-03-08,2,\n2026-03-09,4,\"calf, Eyelid\"\n"})
    assert result.added["twitch_ratings.csv"] == 2
    assert result.describe() == "Imported 0 entries and 2 daily twitch ratings."
    assert ratings(store.connection) == [TwitchRating(date(2026, 3, 8), 2),
                                         TwitchRating(date(2026, 3, 9), 4, ("eyelid", "calf"))]


def test_the_areas_column_may_be_left_out(store: SqliteStore, tmp_path: Path) -> None:
    import_files(store, tmp_path, {"twitch_ratings.csv": "day,rating\n2026-03-09,1\n"})
    assert ratings(store.connection) == [TwitchRating(date(2026, 3, 9), 1)]


def test_an_imported_rating_replaces_the_days_and_importing_twice_changes_nothing(
        store: SqliteStore, tmp_path: Path) -> None:
    db = store.connection
    SqliteRatingStore(db).put_rating(TwitchRating(date(2026, 3, 9), 1))
    SqliteRatingStore(db).put_rating(TwitchRating(date(2026, 3, 8), 3, ("neck",)))
    files = {"twitch_ratings.csv": HEADER + "2026-03-08,3,neck\n2026-03-09,2,hand\n"}
    first = import_files(store, tmp_path, files)
    assert (first.added["twitch_ratings.csv"], first.skipped["twitch_ratings.csv"]) == (1, 1)
    assert ratings(db)[1] == TwitchRating(date(2026, 3, 9), 2, ("hand",))
    again = import_files(store, tmp_path, files)
    assert again.added["twitch_ratings.csv"] == 0 and again.skipped["twitch_ratings.csv"] == 2
    assert "2 already there were skipped" in again.describe()


def test_a_day_rated_twice_in_one_file_keeps_the_later_row(store: SqliteStore,
                                                           tmp_path: Path) -> None:
    import_files(store, tmp_path, {"twitch_ratings.csv": HEADER + "2026-03-09,1,\n"
                                   "2026-03-09,3,calf\n"})
    assert ratings(store.connection) == [TwitchRating(date(2026, 3, 9), 3, ("calf",))]


def test_today_in_quell_days_may_be_rated_in_the_small_hours(store: SqliteStore,
                                                             tmp_path: Path) -> None:
    small_hours = datetime(2026, 3, 11, 2, 0, tzinfo=LONDON)  # still the Quell day 10 March
    import_files(store, tmp_path, {"twitch_ratings.csv": HEADER + "2026-03-10,2,\n"},
                 now=small_hours)
    with pytest.raises(ImportRejected, match="day 2026-03-11 has not come yet"):
        import_files(store, tmp_path, {"twitch_ratings.csv": HEADER + "2026-03-11,2,\n"},
                     now=small_hours)


@pytest.mark.parametrize(("row", "problem"), [
    ("2026-03-09,5,", "from 0 (not at all) to 4 (a lot), not 5"),
    ("2026-03-09,-1,", "not -1"),
    ("2026-03-09,2.5,", "not 2.5"),
    ("2026-03-09,,", "to 4 (a lot), not  ("),
    ("2026-03-09,2,knee", "unknown body area 'knee'"),
    ("2026-03-09,2,calff", "did you mean calf?"),
    ("2026-02-30,2,", "day '2026-02-30' is not a date"),
    ("yesterday,2,", "day 'yesterday' is not a date"),
    ("2026-03-11,2,", "day 2026-03-11 has not come yet"),
])
def test_a_bad_rating_row_imports_nothing_and_says_where(
        store: SqliteStore, tmp_path: Path, row: str, problem: str) -> None:
    files = {"entries.csv": "timestamp,habit,amount\n2026-03-09T08:00:00+00:00,water,250\n",
             "twitch_ratings.csv": HEADER + "2026-03-08,2,\n" + row + "\n"}
    with pytest.raises(ImportRejected) as caught:
        import_files(store, tmp_path, files)
    message = str(caught.value)
    assert message.startswith("twitch_ratings.csv, line 3: "), message
    assert problem in message
    assert ratings(store.connection) == [] and store.count_entries() == 0


def test_export_then_import_round_trips_the_ratings(store: SqliteStore, tmp_path: Path) -> None:
    db = store.connection
    kept = [TwitchRating(date(2026, 3, 1), 0), TwitchRating(date(2026, 3, 2), 4,
                                                            ("eyelid", "thigh", "other"))]
    for rating in kept:
        SqliteRatingStore(db).put_rating(rating)
    path = export_zip(db, Settings(), tmp_path / "out.zip").path
    other = SqliteStore(open_database(tmp_path / "other", NOW.date()).connection)
    try:
        import_zip(other, path, tz=LONDON, now=NOW, day_start_hour=4)
        assert ratings(other.connection) == kept
    finally:
        other.connection.close()
