"""The SQLite implementation of the core's EntryStore."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from quell.core.entries import Entry, Source, Target
from quell.core.errors import InputError
from quell.core.habits import Direction, Habit, Kind, user_habit
from quell.storage.database import transaction
from quell.storage.errors import StorageError

# Deleted entries stay undoable this long, then are purged.
UNDO_KEEP_SECONDS = 7 * 24 * 3600
# The purge reads every entry (deleted has no index), so it runs at most this often, not on
# each delete: a delete then costs the same with five years of entries as with none.
PURGE_EVERY_SECONDS = 3600

_ENTRY_COLUMNS = "id, habit, ts, utc_offset, day, amount, note, detail, source"

# The tables a day's summary is built from. Temporary triggers (they live with this connection
# only, so the schema is untouched) give the stamp a new random value on every change to them.
# The stamp's table is temporary and so transactional: a rolled-back write restores the old
# value, and a cached summary that counted the write is seen to be stale.
_SUMMARY_TABLES = ("entries", "targets", "habits")
_STAMP_SCHEMA = ["CREATE TEMP TABLE IF NOT EXISTS quell_stamp (n INTEGER NOT NULL)",
                 "INSERT INTO quell_stamp (n) SELECT 0 WHERE NOT EXISTS"
                 " (SELECT 1 FROM quell_stamp)"] + [
    f"CREATE TEMP TRIGGER IF NOT EXISTS quell_stamp_{table}_{event.lower()} AFTER {event}"
    f" ON main.{table} BEGIN UPDATE quell_stamp SET n = random(); END"
    for table in _SUMMARY_TABLES for event in ("INSERT", "UPDATE", "DELETE")]
_STAMP_QUERY = ("SELECT (SELECT data_version FROM pragma_data_version()), n"
                " FROM temp.quell_stamp")


class SqliteStore:
    """Entries, targets and habit switches in Quell's database (see database.py for schema)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._enabled: list[str] | None = None
        self._purged_at: int | None = None
        for statement in _STAMP_SCHEMA:
            db.execute(statement)
        self._stamp: tuple[int, int] | None = None

    def change_stamp(self) -> tuple[int, int]:
        """(commits by other connections, changes through this one) to entries, targets and
        habits: equal stamps mean a summary read in between is still true.

        The first number moves only for other connections (e.g. a background import); the
        second for any change made through this connection, by this store or by raw SQL.
        """
        row = self._db.execute(_STAMP_QUERY).fetchone()
        stamp = (int(row[0]), int(row[1]))
        if stamp != self._stamp:
            # An import may have switched habits on or off without going through this store.
            self._stamp = stamp
            self._enabled = None
        return stamp

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
            if self._purged_at is None or now - self._purged_at >= PURGE_EVERY_SECONDS:
                self._db.execute("DELETE FROM entries WHERE deleted IS NOT NULL AND deleted < ?",
                                 (now - UNDO_KEEP_SECONDS,))
                self._purged_at = now

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
                "SELECT key FROM habits WHERE enabled=1 AND archived=0 ORDER BY position"
            ).fetchall()
            self._enabled = [row["key"] for row in rows]
        return list(self._enabled)

    def set_enabled_habits(self, keys: Sequence[str]) -> None:
        with transaction(self._db):
            self._db.execute("UPDATE habits SET enabled = 0")
            self._db.executemany("UPDATE habits SET enabled = 1 WHERE key = ?",
                                 [(key,) for key in keys])
        self._enabled = None

    def habit_order(self) -> list[str]:
        """Every habit's key (archived ones too), in the order they are shown."""
        rows = self._db.execute("SELECT key FROM habits ORDER BY position, key").fetchall()
        return [row["key"] for row in rows]

    def habit_definitions(self) -> list[Habit]:
        """The user's own habits (archived ones flagged), in their order."""
        return stored_definitions(self._db)

    def add_habit(self, habit: Habit, target: Target | None) -> None:
        """Store the user habit *habit*, enabled, after every other; *target* (its first
        target in force) in the same transaction."""
        with transaction(self._db):
            position = self._db.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM habits").fetchone()[0]
            self._db.execute(
                "INSERT INTO habits (key, enabled, position, name, unit, kind, direction,"
                " target, target_max, quick, archived) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (habit.key, position, *_definition(habit), int(habit.archived)))
            if target is not None:
                self.set_target(target)
        self._enabled = None

    def update_habit(self, habit: Habit, target: Target | None) -> None:
        """Replace the stored definition of the user habit *habit.key* (and set *target*)."""
        with transaction(self._db):
            cursor = self._db.execute(
                "UPDATE habits SET name=?, unit=?, kind=?, direction=?, target=?, target_max=?,"
                " quick=? WHERE key=? AND name IS NOT NULL", (*_definition(habit), habit.key))
            if cursor.rowcount != 1:
                raise ValueError(f"no user habit {habit.key!r} to update")
            if target is not None:
                self.set_target(target)

    def set_habit_archived(self, key: str, archived: bool) -> None:
        """Archive (or bring back, enabled) the user habit *key*; its entries stay."""
        with transaction(self._db):
            self._db.execute(
                "UPDATE habits SET archived=?, enabled=CASE WHEN ? THEN enabled ELSE 1 END"
                " WHERE key=? AND name IS NOT NULL", (int(archived), int(archived), key))
        self._enabled = None

    def set_habit_order(self, keys: Sequence[str]) -> None:
        """Show the habits in the order *keys*; any not in it (archived ones) come after."""
        order = list(dict.fromkeys([*keys, *self.habit_order()]))
        with transaction(self._db):
            self._db.executemany("UPDATE habits SET position=? WHERE key=?",
                                 [(position, key) for position, key in enumerate(order)])
        self._enabled = None

    def has_entries(self, key: str) -> bool:
        """Whether habit *key* has any entry (deleted ones still undoable included)."""
        return self._db.execute("SELECT 1 FROM entries WHERE habit=? LIMIT 1",
                                (key,)).fetchone() is not None


def _offset_seconds(moment: datetime) -> int:
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("entries need aware datetimes")
    return int(offset.total_seconds())


# Built once: a day's entries are read often, and most share an offset, a source and no detail.
_SOURCES = {source.value: source for source in Source}
_ZONES: dict[int, timezone] = {}


def _zone(offset_seconds: int) -> timezone:
    zone = _ZONES.get(offset_seconds)
    if zone is None:
        zone = _ZONES[offset_seconds] = timezone(timedelta(seconds=offset_seconds))
    return zone


def _entry(row: sqlite3.Row) -> Entry:
    raw_detail = row["detail"]
    detail: dict[str, Any] = json.loads(raw_detail) if raw_detail and raw_detail != "{}" else {}
    return Entry(
        habit=row["habit"],
        at=datetime.fromtimestamp(row["ts"], _zone(row["utc_offset"])),
        day=date.fromisoformat(row["day"]),
        amount=row["amount"],
        note=row["note"],
        detail=detail,
        source=_SOURCES.get(row["source"]) or Source(row["source"]),
        id=row["id"],
    )


def stored_definitions(db: sqlite3.Connection) -> list[Habit]:
    """The user's own habits in *db* (archived ones flagged), in their order."""
    rows = db.execute(
        "SELECT key, name, unit, kind, direction, target, target_max, quick, archived"
        " FROM habits WHERE name IS NOT NULL ORDER BY position, key").fetchall()
    return [_habit(row) for row in rows]


def _definition(habit: Habit) -> tuple[object, ...]:
    """The definition columns of a user habit (name, unit, kind, direction, target,
    target_max, quick)."""
    return (habit.name, habit.unit, habit.kind.value, habit.direction.value,
            habit.default_target, habit.default_target_max,
            json.dumps([q.amount for q in habit.quick]))


def _habit(row: sqlite3.Row) -> Habit:
    """A stored user habit, checked by the same rules as when it was added."""
    try:
        quick = json.loads(row["quick"] or "[]")
        if not (isinstance(quick, list) and all(isinstance(q, (int, float)) for q in quick)):
            raise InputError(f"quick amounts {row['quick']!r}")
        made = user_habit(row["name"], row["unit"], Kind(row["kind"]),
                          Direction(row["direction"]), row["target"], row["target_max"],
                          [float(q) for q in quick], key=row["key"])
    except (InputError, ValueError) as error:
        raise StorageError(f"Quell's database holds a habit it cannot read ({row['key']!r}: "
                           f"{error}).") from None
    return replace(made, archived=bool(row["archived"]))
