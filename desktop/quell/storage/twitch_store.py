"""The SQLite implementation of the twitch diary's TwitchStore."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from quell.core.entries import Source
from quell.core.twitches import Twitch
from quell.storage.database import transaction

# Deleted episodes stay undoable this long, then are purged (as entries are).
UNDO_KEEP_SECONDS = 7 * 24 * 3600

_COLUMNS = "id, ts, utc_offset, day, area, side, intensity, note, source"


class SqliteTwitchStore:
    """Twitch episodes in Quell's database (table ``twitches``, see database.py)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def add_twitch(self, twitch: Twitch) -> Twitch:
        at = twitch.at.replace(microsecond=0)
        with transaction(self._db):
            cursor = self._db.execute(
                "INSERT INTO twitches (ts, utc_offset, day, area, side, intensity, note, source,"
                " created) VALUES (?,?,?,?,?,?,?,?,?)",
                (int(at.timestamp()), _offset_seconds(at), twitch.day.isoformat(), twitch.area,
                 twitch.side, twitch.intensity, twitch.note, twitch.source.value,
                 int(time.time())),
            )
        return replace(twitch, id=cursor.lastrowid, at=at)

    def update_twitch(self, twitch: Twitch) -> Twitch:
        if twitch.id is None:
            raise ValueError("update_twitch needs a twitch with an id")
        at = twitch.at.replace(microsecond=0)
        with transaction(self._db):
            self._db.execute(
                "UPDATE twitches SET ts=?, utc_offset=?, day=?, area=?, side=?, intensity=?,"
                " note=? WHERE id=? AND deleted IS NULL",
                (int(at.timestamp()), _offset_seconds(at), twitch.day.isoformat(), twitch.area,
                 twitch.side, twitch.intensity, twitch.note, twitch.id),
            )
        return replace(twitch, at=at)

    def delete_twitch(self, twitch_id: int) -> None:
        now = int(time.time())
        with transaction(self._db):
            self._db.execute("UPDATE twitches SET deleted=? WHERE id=? AND deleted IS NULL",
                             (now, twitch_id))
            self._db.execute("DELETE FROM twitches WHERE deleted IS NOT NULL AND deleted < ?",
                             (now - UNDO_KEEP_SECONDS,))

    def restore_twitch(self, twitch_id: int) -> None:
        with transaction(self._db):
            self._db.execute("UPDATE twitches SET deleted=NULL WHERE id=?", (twitch_id,))

    def get_twitch(self, twitch_id: int) -> Twitch | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM twitches WHERE id=? AND deleted IS NULL", (twitch_id,)
        ).fetchone()
        return _twitch(row) if row else None

    def twitches_between(self, first_day: date, last_day: date) -> list[Twitch]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM twitches WHERE day BETWEEN ? AND ? AND deleted IS NULL"
            " ORDER BY ts, id",
            (first_day.isoformat(), last_day.isoformat()),
        ).fetchall()
        return [_twitch(row) for row in rows]

    def last_twitch(self) -> Twitch | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM twitches WHERE deleted IS NULL ORDER BY ts DESC, id DESC"
            " LIMIT 1").fetchone()
        return _twitch(row) if row else None

    def has_twitches(self) -> bool:
        """Whether the diary holds any live episode (one indexed row, however many there are)."""
        return self._db.execute(
            "SELECT 1 FROM twitches WHERE deleted IS NULL LIMIT 1").fetchone() is not None

    def count_twitches(self) -> int:
        return int(self._db.execute(
            "SELECT count(*) FROM twitches WHERE deleted IS NULL").fetchone()[0])


def _offset_seconds(moment: datetime) -> int:
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("twitches need aware datetimes")
    return int(offset.total_seconds())


def _twitch(row: sqlite3.Row) -> Twitch:
    zone = timezone(timedelta(seconds=row["utc_offset"]))
    return Twitch(
        area=row["area"],
        at=datetime.fromtimestamp(row["ts"], zone),
        day=date.fromisoformat(row["day"]),
        side=row["side"],
        intensity=int(row["intensity"]),
        note=row["note"],
        source=Source(row["source"]),
        id=row["id"],
    )
