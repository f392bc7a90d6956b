"""The SQLite implementation of the daily twitch ratings' RatingStore."""

from __future__ import annotations

import sqlite3
import time
from datetime import date

from quell.core.ratings import TwitchRating, areas_cell
from quell.core.twitches import AREAS
from quell.storage.database import transaction


class SqliteRatingStore:
    """Daily twitch ratings in Quell's database (table ``twitch_ratings``, see database.py)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def rating_on(self, day: date) -> TwitchRating | None:
        row = self._db.execute("SELECT day, rating, areas FROM twitch_ratings WHERE day = ?",
                               (day.isoformat(),)).fetchone()
        return _rating(row) if row else None

    def ratings_between(self, first_day: date, last_day: date) -> list[TwitchRating]:
        return [_rating(row) for row in self._db.execute(
            "SELECT day, rating, areas FROM twitch_ratings WHERE day BETWEEN ? AND ?"
            " ORDER BY day", (first_day.isoformat(), last_day.isoformat()))]

    def put_rating(self, rating: TwitchRating) -> TwitchRating | None:
        """Store *rating* for its day; return the rating it replaced, if any."""
        with transaction(self._db):
            previous = self.rating_on(rating.day)
            self._db.execute(
                "INSERT INTO twitch_ratings (day, rating, areas, updated) VALUES (?,?,?,?)"
                " ON CONFLICT (day) DO UPDATE SET rating = excluded.rating,"
                " areas = excluded.areas, updated = excluded.updated",
                (rating.day.isoformat(), rating.rating, areas_cell(rating.areas),
                 int(time.time())))
        return previous

    def delete_rating(self, day: date) -> TwitchRating | None:
        with transaction(self._db):
            previous = self.rating_on(day)
            self._db.execute("DELETE FROM twitch_ratings WHERE day = ?", (day.isoformat(),))
        return previous

    def count_ratings(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM twitch_ratings").fetchone()[0])


def _rating(row: sqlite3.Row) -> TwitchRating:
    # Areas are kept in the order the core checked them; one no longer known is left out.
    areas = tuple(area for area in row["areas"].split(",") if area in AREAS)
    return TwitchRating(date.fromisoformat(row["day"]), int(row["rating"]), areas)
