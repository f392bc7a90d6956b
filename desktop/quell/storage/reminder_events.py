"""Reminder outcomes in SQLite: what became of each reminder, and why (table reminder_events)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

from quell.core.reminders import Outcome, ReminderEvent, ReminderKind
from quell.storage.database import transaction

_COLUMNS = "id, reminder, due, shown, utc_offset, outcome, reason"


class ReminderEventStore:
    """Implements the core's ReminderEventLog on Quell's database (schema v2)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def record(self, event: ReminderEvent) -> ReminderEvent:
        """Store *event*; return it with its id (times kept to the second)."""
        due = event.due.replace(microsecond=0)
        shown = event.shown.replace(microsecond=0) if event.shown is not None else None
        with transaction(self._db):
            cursor = self._db.execute(
                "INSERT INTO reminder_events (reminder, due, shown, utc_offset, outcome, reason)"
                " VALUES (?,?,?,?,?,?)",
                (event.reminder.value, int(due.timestamp()),
                 int(shown.timestamp()) if shown is not None else None, _offset_seconds(due),
                 event.outcome.value, event.reason),
            )
        return ReminderEvent(event.reminder, due, event.outcome, event.reason, shown,
                             cursor.lastrowid)

    def events_between(self, start: datetime, end: datetime) -> list[ReminderEvent]:
        """Events due in [*start*, *end*), oldest first, times in the offset of their day."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM reminder_events WHERE due >= ? AND due < ?"
            " ORDER BY due, id",
            (int(start.timestamp()), int(end.timestamp())),
        ).fetchall()
        return [_event(row) for row in rows]

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM reminder_events").fetchone()[0])


def _offset_seconds(moment: datetime) -> int:
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("reminder events need aware datetimes")
    return int(offset.total_seconds())


def _event(row: sqlite3.Row) -> ReminderEvent:
    zone = timezone(timedelta(seconds=row["utc_offset"]))
    shown = row["shown"]
    return ReminderEvent(
        reminder=ReminderKind(row["reminder"]),
        due=datetime.fromtimestamp(row["due"], zone),
        outcome=Outcome(row["outcome"]),
        reason=row["reason"],
        shown=datetime.fromtimestamp(shown, zone) if shown is not None else None,
        id=row["id"],
    )
