"""Aggregate queries for history and insights, and the days-off list (read and marked)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date

from quell.core.entries import Target
from quell.core.errors import InputError
from quell.core.habits import Aggregate, HabitCatalog
from quell.core.history import DAY_OFF_REASONS, AreaCount, HourOutcomes, TwitchDay
from quell.core.i18n import _
from quell.core.insights import Insights, compute, default_outcome
from quell.core.insights import Outcome as InsightOutcome
from quell.core.reminders import Outcome
from quell.core.twitches import AREAS
from quell.storage.database import transaction

# As the reminder_events table stores them.
REMINDER_OUTCOMES = tuple(outcome.value for outcome in Outcome)
_BUILTINS = HabitCatalog()


class HistoryStore:
    """Daily totals, targets over time, twitches per day, reminder outcomes and days off.

    Each query is one aggregate over an indexed column, so five years of data stay fast. It
    reads the twitch, rating and reminder tables directly and never writes them.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    # -- habits --------------------------------------------------------------------------

    def first_day(self) -> date | None:
        """The first day with a live entry (when tracking began), or None."""
        row = self._db.execute("SELECT min(day) FROM entries WHERE deleted IS NULL").fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None

    def daily_totals(self, first_day: date | None = None, last_day: date | None = None,
                     catalog: HabitCatalog | None = None) -> dict[str, dict[date, float]]:
        """Habit key -> day -> the day's total: the sum, or the highest entry for a habit of
        *catalog* (the built-ins when None) whose entries combine by their maximum (ratings)."""
        highest_wins = frozenset(h.key for h in catalog or _BUILTINS
                                 if h.aggregate is Aggregate.MAX)
        sql = ("SELECT habit, day, sum(amount), max(amount) FROM entries"
               " WHERE deleted IS NULL")
        params: list[str] = []
        if first_day is not None:
            sql += " AND day >= ?"
            params.append(first_day.isoformat())
        if last_day is not None:
            sql += " AND day <= ?"
            params.append(last_day.isoformat())
        sql += " GROUP BY habit, day"
        totals: dict[str, dict[date, float]] = defaultdict(dict)
        parse = date.fromisoformat
        for habit, day, total, highest in self._db.execute(sql, params):
            totals[habit][parse(day)] = float(highest if habit in highest_wins else total)
        return dict(totals)

    def target_history(self) -> dict[str, list[Target]]:
        """Each habit's targets, oldest first."""
        history: dict[str, list[Target]] = defaultdict(list)
        for habit, start, value, value_max in self._db.execute(
                "SELECT habit, effective_from, value, value_max FROM targets"
                " ORDER BY habit, effective_from"):
            history[habit].append(Target(habit, value, value_max, date.fromisoformat(start)))
        return dict(history)

    # -- twitches ------------------------------------------------------------------------

    def twitch_counts(self, first_day: date | None = None, last_day: date | None = None
                      ) -> dict[date, int]:
        """Day -> twitch episodes logged that day."""
        return {day.day: day.episodes for day in self.twitch_days(first_day, last_day)}

    def twitch_days(self, first_day: date | None = None, last_day: date | None = None
                    ) -> list[TwitchDay]:
        """Days with twitch episodes, oldest first, with their average intensity."""
        where, params = _day_range(first_day, last_day)
        rows = self._db.execute(
            "SELECT day, count(*), avg(intensity) FROM twitches"
            f" WHERE deleted IS NULL{where} GROUP BY day ORDER BY day", params)
        return [TwitchDay(date.fromisoformat(day), count, float(mean))
                for day, count, mean in rows]

    def twitch_areas(self, first_day: date | None = None, last_day: date | None = None
                     ) -> list[AreaCount]:
        """Body areas by episodes, most first."""
        where, params = _day_range(first_day, last_day)
        rows = self._db.execute(
            "SELECT area, count(*), avg(intensity), max(day) FROM twitches"
            f" WHERE deleted IS NULL{where} GROUP BY area ORDER BY count(*) DESC, area", params)
        return [AreaCount(area, count, float(mean), date.fromisoformat(last))
                for area, count, mean, last in rows]

    def twitch_ratings(self, first_day: date | None = None, last_day: date | None = None
                       ) -> dict[date, int]:
        """Day -> the day's twitch rating (0–4), for the rated days."""
        where, params = _day_range(first_day, last_day)
        return {date.fromisoformat(day): int(rating) for day, rating in self._db.execute(
            f"SELECT day, rating FROM twitch_ratings WHERE 1{where}", params)}

    def rating_areas(self, first_day: date | None = None, last_day: date | None = None
                     ) -> list[tuple[str, int]]:
        """Body areas by the rated days that named them, most first (ties head to toe)."""
        where, params = _day_range(first_day, last_day)
        counts: dict[str, int] = {}
        for (areas,) in self._db.execute(
                f"SELECT areas FROM twitch_ratings WHERE areas != ''{where}", params):
            for area in areas.split(","):
                if area in AREAS:
                    counts[area] = counts.get(area, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], AREAS.index(item[0])))

    def has_ratings(self) -> bool:
        return self._db.execute("SELECT 1 FROM twitch_ratings LIMIT 1").fetchone() is not None

    # -- reminders -----------------------------------------------------------------------

    def reminder_outcomes_by_hour(self, since_ts: int | None = None) -> list[HourOutcomes]:
        """Per local hour of the due time (0–23), how reminders ended."""
        sql = ("SELECT ((due + utc_offset) % 86400) / 3600 AS hour, outcome, count(*)"
               " FROM reminder_events")
        params: list[int] = []
        if since_ts is not None:
            sql += " WHERE due >= ?"
            params.append(since_ts)
        sql += " GROUP BY hour, outcome"
        by_hour: dict[int, dict[str, int]] = {}
        for hour, outcome, count in self._db.execute(sql, params):
            by_hour.setdefault(int(hour) % 24, {})[outcome] = count
        return [HourOutcomes(hour, by_hour.get(hour, {})) for hour in range(24)]

    # -- days off ------------------------------------------------------------------------

    def days_off(self) -> dict[date, str]:
        """Days marked sick or on vacation, with their reason."""
        return {date.fromisoformat(day): reason
                for day, reason in self._db.execute("SELECT day, reason FROM days_off")}

    def set_day_off(self, day: date, reason: str) -> None:
        with transaction(self._db):
            self._db.execute(
                "INSERT INTO days_off (day, reason) VALUES (?, ?)"
                " ON CONFLICT (day) DO UPDATE SET reason = excluded.reason",
                (day.isoformat(), reason))

    def clear_day_off(self, day: date) -> None:
        with transaction(self._db):
            self._db.execute("DELETE FROM days_off WHERE day = ?", (day.isoformat(),))

    def mark_day_off(self, day: date, off: bool, reason: str = "") -> None:
        """Make *day* a day off for *reason* (one of DAY_OFF_REASONS), or not when *off* is
        False; for :meth:`quell.ui.services.session.Session.set_day_off`.

        Raises InputError for an unknown reason and StorageError when the database cannot be
        written, having written nothing.
        """
        if not off:
            self.clear_day_off(day)
            return
        if reason not in dict(DAY_OFF_REASONS):
            raise InputError(_("'{reason}' is not a reason for a day off (use {reasons})").format(
                reason=reason, reasons=", ".join(key for key, _label in DAY_OFF_REASONS)))
        self.set_day_off(day, reason)

    # -- insights ------------------------------------------------------------------------

    def insights(self, catalog: HabitCatalog | None = None,
                 outcome: InsightOutcome | None = None) -> Insights:
        """The trigger comparison over the user's whole history, for every trigger of
        *catalog* (the database's habits, ``Tracker.habits``; the built-ins when None), with
        *outcome* (None: the daily rating wherever a day was rated, else the episodes)."""
        if outcome is None:
            outcome = default_outcome(self.has_ratings())
        ratings = self.twitch_ratings() if outcome is InsightOutcome.RATING else None
        return compute(self.daily_totals(catalog=catalog), self.target_history(),
                       self.twitch_counts(), catalog, ratings=ratings)


def _day_range(first_day: date | None, last_day: date | None) -> tuple[str, list[str]]:
    where = ""
    params: list[str] = []
    if first_day is not None:
        where += " AND day >= ?"
        params.append(first_day.isoformat())
    if last_day is not None:
        where += " AND day <= ?"
        params.append(last_day.isoformat())
    return where, params
