"""The SQLite implementation of the core's EntryStore."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from desktop.core.entries import Entry, Source, Target
from desktop.storage.database import transaction

# Deleted entries stay undoable this long, then are purged.
UNDO_KEEP_SECONDS = 7 * 24 * 3600

_ENTRY_COLUMNS = "id, habit, ts, utc_offset, day, amount, note, detail, source"


class SqliteStore:
    """Entries, targets and habit switches in Quell's database (see database.py for schema)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._enabled: list[str] | None = None

    @property
    def connection(self) -> sqlite3.Connection:
        return self._db

    # -- entries -------------------------------------------------------------------------

    def add_entry(self, entry: Entry) -> Entry:
        at = entry.at.replace(microsecond=0)
        with transaction(self._db):
            cursor = self._db.execute(
                "INSERT INTO entries (habit, ts, utc_offset, day, amount, note, detail, source,"
                " created) VALUES (?,?,?,?,?,?,?,?,?)",
                (entry.habit, int(at.timestamp()), _offset_seconds(at), entry.day.isoformat(),
                 entry.amount, entry.note, json.dumps(entry.detail, sort_keys=True),
                 entry.source.value, int(time.time())),
            )
        return replace(entry, id=cursor.lastrowid, at=at)

    def update_entry(self, entry: Entry) -> Entry:
        if entry.id is None:
            raise ValueError("update_entry needs an entry with an id")
        at = entry.at.replace(microsecond=0)
        with transaction(self._db):
            self._db.execute(
                "UPDATE entries SET ts=?, utc_offset=?, day=?, amount=?, note=?, detail=?"
                " WHERE id=? AND deleted IS NULL",
                (int(at.timestamp()), _offset_seconds(at), entry.day.isoformat(), entry.amount,
                 entry.note, json.dumps(entry.detail, sort_keys=True), entry.id),
            )
        return replace(entry, at=at)

    def delete_entry(self, entry_id: int) -> None:
        now = int(time.time())
        with transaction(self._db):
            self._db.execute("UPDATE entries SET deleted=? WHERE id=? AND deleted IS NULL",
                             (now, entry_id))
            self._db.execute("DELETE FROM entries WHERE deleted IS NOT NULL AND deleted < ?",
                             (now - UNDO_KEEP_SECONDS,))

    def restore_entry(self, entry_id: int) -> None:
        with transaction(self._db):
            self._db.execute("UPDATE entries SET deleted=NULL WHERE id=?", (entry_id,))

    def get_entry(self, entry_id: int) -> Entry | None:
        row = self._db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE id=? AND deleted IS NULL", (entry_id,)
        ).fetchone()
        return _entry(row) if row else None

    def entries_between(self, first_day: date, last_day: date) -> list[Entry]:
        rows = self._db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE day BETWEEN ? AND ?"
            " AND deleted IS NULL ORDER BY ts, id",
            (first_day.isoformat(), last_day.isoformat()),
        ).fetchall()
        return [_entry(row) for row in rows]

    def count_entries(self) -> int:
        return int(self._db.execute(
            "SELECT count(*) FROM entries WHERE deleted IS NULL").fetchone()[0])

    # -- targets -------------------------------------------------------------------------

    def targets_on(self, day: date) -> dict[str, Target]:
        rows = self._db.execute(
            "SELECT habit, effective_from, value, value_max FROM targets t"
            " WHERE effective_from = (SELECT max(effective_from) FROM targets"
            "  WHERE habit = t.habit AND effective_from <= ?)",
            (day.isoformat(),),
        ).fetchall()
        return {
            row["habit"]: Target(row["habit"], row["value"], row["value_max"],
                                 date.fromisoformat(row["effective_from"]))
            for row in rows
        }

    def target_history(self, habit: str) -> list[Target]:
        rows = self._db.execute(
            "SELECT habit, effective_from, value, value_max FROM targets WHERE habit=?"
            " ORDER BY effective_from", (habit,)).fetchall()
        return [Target(r["habit"], r["value"], r["value_max"],
                       date.fromisoformat(r["effective_from"])) for r in rows]

    def set_target(self, target: Target) -> None:
        with transaction(self._db):
            self._db.execute(
                "INSERT INTO targets (habit, effective_from, value, value_max) VALUES (?,?,?,?)"
                " ON CONFLICT (habit, effective_from) DO UPDATE"
                " SET value=excluded.value, value_max=excluded.value_max",
                (target.habit, target.effective_from.isoformat(), target.value,
                 target.value_max),
            )

    # -- habits --------------------------------------------------------------------------

    def enabled_habits(self) -> list[str]:
        # Read on every summary; cached because it changes only through set_enabled_habits.
        if self._enabled is None:
            rows = self._db.execute(
                "SELECT key FROM habits WHERE enabled=1 ORDER BY position").fetchall()
            self._enabled = [row["key"] for row in rows]
        return list(self._enabled)

    def set_enabled_habits(self, keys: Sequence[str]) -> None:
        with transaction(self._db):
            self._db.execute("UPDATE habits SET enabled = 0")
            self._db.executemany("UPDATE habits SET enabled = 1 WHERE key = ?",
                                 [(key,) for key in keys])
        self._enabled = None


def _offset_seconds(moment: datetime) -> int:
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("entries need aware datetimes")
    return int(offset.total_seconds())


def _entry(row: sqlite3.Row) -> Entry:
    zone = timezone(timedelta(seconds=row["utc_offset"]))
    detail: dict[str, Any] = json.loads(row["detail"]) if row["detail"] else {}
    return Entry(
        habit=row["habit"],
        at=datetime.fromtimestamp(row["ts"], zone),
        day=date.fromisoformat(row["day"]),
        amount=row["amount"],
        note=row["note"],
        detail=detail,
        source=Source(row["source"]),
        id=row["id"],
    )
