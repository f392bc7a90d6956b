"""Importing an export ZIP: every row of every file checked first, then all merged at once.

The files and their columns are pinned in CONTRACTS.md ("Export ZIP"); their names and cell
escaping are in :mod:`quell.storage.zip_format`, the export itself in :mod:`quell.storage.export`.
Timestamps are ISO 8601 with the UTC offset in force when they happened; amounts are in the
habit's base unit. :func:`read_import` validates every row of every file before touching the
database (the bounded reading, see :class:`Limits`, is :mod:`quell.storage.import_archive`; the
row checks are :mod:`quell.storage.import_rows`), so a hostile file ends with one clear line in
seconds and nothing written. :func:`apply_import` then adds everything in one transaction,
skipping rows identical to ones already stored (so importing twice changes nothing, while two
identical entries in one file both count). A leading apostrophe that the export put before a
cell a spreadsheet would run as a formula is removed again.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import logging
import sqlite3
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from quell.core.entries import Target
from quell.core.errors import InputError
from quell.core.formatting import number
from quell.core.habits import (
    MAX_USER_HABITS,
    Direction,
    HabitCatalog,
)
from quell.core.i18n import _, ngettext
from quell.core.notes import clean_note
from quell.core.settings import Settings, check_pause
from quell.storage.database import transaction
from quell.storage.import_archive import (
    LIMITS,
    ImportChecker,
    ImportRejected,
    LimitReached,
    Limits,
    Problem,
    Progress,
    check_zip_directory,
    known_members,
    member_lines,
    open_import_file,
)
from quell.storage.import_rows import ImportPlan, RowReader, check_same_definition
from quell.storage.store import SqliteStore
from quell.storage.zip_format import (
    COLUMNS,
    DAYS_OFF,
    ENTRIES,
    HABIT_DEFINITIONS,
    HABITS,
    OPTIONAL_COLUMNS,
    REMINDER_EVENTS,
    SETTINGS,
    SYMPTOM_CHECKS,
    TWITCH_RATINGS,
    TWITCHES,
    unescape_cell,
)

BLANK_LINES_MAX = 10_000

log = logging.getLogger(__name__)


# -- import: reading and checking --------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """Rows added and rows skipped (already there) per file, and whether settings came in."""

    added: dict[str, int]
    skipped: dict[str, int]
    settings: Settings | None
    # The habits switched on after the import, when it changed them (a store with another
    # connection refreshes its cached list from this).
    enabled: tuple[str, ...] | None = None

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    def describe(self) -> str:
        """One line for the user: 'Imported 120 entries and 30 twitch episodes; ...'."""
        added_entries = self.added.get(ENTRIES, 0)
        added_twitches = self.added.get(TWITCHES, 0)
        added_ratings = self.added.get(TWITCH_RATINGS, 0)
        parts = [ngettext("{n} entry", "{n} entries", added_entries).format(
            n=number(added_entries))]
        if added_twitches or not added_ratings:
            parts.append(ngettext("{n} twitch episode", "{n} twitch episodes",
                                  added_twitches).format(n=number(added_twitches)))
        if added_ratings:
            parts.append(ngettext("{n} daily twitch rating", "{n} daily twitch ratings",
                                  added_ratings).format(n=number(added_ratings)))
        others = sum(v for k, v in self.added.items()
                     if k not in (ENTRIES, TWITCHES, TWITCH_RATINGS))
        if others:
            parts.append(ngettext("{n} other record", "{n} other records", others).format(
                n=number(others)))
        text = _("Imported {list}").format(list=_listed(parts))
        skipped = sum(self.skipped.get(name, 0) for name in _RECORDS)
        if skipped:
            text += "; " + ngettext("{n} already there was skipped",
                                    "{n} already there were skipped", skipped).format(
                n=number(skipped))
        return text + "."


def _listed(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(parts) == 1:
        return parts[0]
    return _("{items} and {last}").format(items=", ".join(parts[:-1]), last=parts[-1])


_RECORDS = (ENTRIES, TWITCHES, TWITCH_RATINGS, SYMPTOM_CHECKS, REMINDER_EVENTS)




def read_import(path: Path, *, tz: tzinfo, now: datetime, day_start_hour: int,
                limits: Limits = LIMITS, progress: Progress | None = None,
                catalog: HabitCatalog | None = None) -> ImportPlan:
    """Read and check the ZIP at *path*; raise ImportRejected listing every problem found.

    Times without an offset are taken in *tz*; each record's day uses the day-start hour of the
    file's settings.json when it has one, else *day_start_hour*. *progress*, if given, is
    called now and then and may raise to stop (nothing is imported then). *catalog* is the
    habits the database has (built-ins only by default): entries may be of those and of the
    habits habit_definitions.csv defines; a definition conflicting with one of the database's
    is a problem.
    """
    path = Path(path)
    name = path.name
    with open_import_file(path, limits) as handle:
        check_zip_directory(handle, name, limits)
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise ImportRejected([Problem(name, None, _("not a ZIP file ({problem})").format(
                problem=error))]) from None
        with archive:
            members = known_members(archive, name, limits)
            if not {ENTRIES, TWITCHES, TWITCH_RATINGS} & set(members):
                raise ImportRejected([Problem(name, None, _(
                    "has none of entries.csv, twitches.csv and twitch_ratings.csv; nothing "
                    "to import"))])
            expected = sum(info.file_size for info in members.values())
            checker = ImportChecker(limits, expected, progress)
            plan = ImportPlan()
            try:
                if SETTINGS in members:
                    _read_settings(archive, members[SETTINGS], plan, checker, now)
                if plan.settings is not None:
                    day_start_hour = plan.settings.day_start_hour
                reader = RowReader(tz, now, day_start_hour, catalog or HabitCatalog())
                for member, parse in ((HABIT_DEFINITIONS, reader.definition),
                                      (ENTRIES, reader.entry), (TWITCHES, reader.twitch),
                                      (TWITCH_RATINGS, reader.rating),
                                      (HABITS, reader.habit), (SYMPTOM_CHECKS, reader.check),
                                      (REMINDER_EVENTS, reader.reminder),
                                      (DAYS_OFF, reader.day_off)):
                    if member in members:
                        _read_csv(archive, members[member], member, parse, plan, checker)
            except LimitReached:
                pass
    checker.raise_problems()
    return plan




def _read_settings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, plan: ImportPlan,
                   checker: ImportChecker, now: datetime) -> None:
    text = "".join(member_lines(archive, info, SETTINGS, checker))
    try:
        data = json.loads(text)
    except ValueError as error:
        checker.add(SETTINGS, getattr(error, "lineno", None), _("not valid JSON"))
        return
    except RecursionError:
        checker.add(SETTINGS, None, _("is nested too deeply to be settings"))
        return
    if not isinstance(data, dict):
        checker.add(SETTINGS, None, _("not a JSON object"))
        return
    # Lenient like the settings file itself: a newer or older Quell may know other settings.
    # A pause, though, makes sense only if it ends soon after the file was made (and now).
    settings, notes = Settings.from_dict(data)
    if settings.paused_until is not None:
        try:
            check_pause(settings.paused_until, now)
        except InputError as error:
            notes.append(f"setting 'paused_until' ignored: {error}")
            settings = dataclasses.replace(settings, paused_until=None)
    plan.settings = settings
    for note in notes:
        log.warning("%s: %s", SETTINGS, note)


_RowParser = Callable[[dict[str, str], ImportPlan], None]


def _read_csv(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, parse: _RowParser,
              plan: ImportPlan, checker: ImportChecker) -> None:
    reader = csv.reader(member_lines(archive, info, name, checker), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        checker.add(name, 1, _("not a valid CSV file ({problem})").format(problem=error))
        return
    if header is None:
        checker.add(name, None, _("is empty (it needs a header line)"))
        return
    columns = [column.strip().lower() for column in header]
    known = COLUMNS[name]
    unknown = [c for c in columns if c not in known]
    missing = [c for c in known if c not in columns and c not in OPTIONAL_COLUMNS[name]]
    if unknown or missing or len(set(columns)) != len(columns):
        problem = (_("unknown column '{name}'").format(name=unknown[0][:40]) if unknown else
                   _("missing column '{name}'").format(name=missing[0]) if missing else
                   _("a column appears twice"))
        checker.add(name, 1, _("{problem} (columns: {columns})").format(
            problem=problem, columns=",".join(known)))
        return
    line = reader.line_num
    blank = 0
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            checker.add(name, start, _("not valid CSV ({problem})").format(problem=error))
            return
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            blank += 1  # blank lines, as spreadsheets leave at the end; but not millions
            if blank > BLANK_LINES_MAX:
                raise checker.stop(name, start, _("has more than {n} blank lines").format(
                    n=number(BLANK_LINES_MAX)))
            continue
        checker.rows += 1
        if checker.rows > checker.limits.rows:
            raise checker.stop(name, start, _(
                "the files hold more than {n} rows together, more than Quell imports").format(
                n=number(checker.limits.rows)))
        if len(row) != len(columns):
            checker.add(name, start, _("has {n} fields, the header has {m}").format(
                n=len(row), m=len(columns)))
            continue
        try:
            plan.line = start
            parse(dict(zip(columns, map(unescape_cell, row), strict=True)), plan)
        except InputError as error:
            checker.add(name, start, str(error))




# -- import: merging ---------------------------------------------------------------------


def apply_import(store: SqliteStore, plan: ImportPlan, now: datetime, *,
                 breathe: Callable[[], None] | None = None) -> ImportResult:
    """Merge *plan* into the database in one transaction, skipping rows already stored.

    *breathe* is called between batches of rows (a worker thread lets the GUI thread run).
    """
    breathe = breathe or _no_breath
    db = store.connection
    created = int(now.timestamp())
    added: dict[str, int] = {}
    skipped: dict[str, int] = {}
    enabled_before = store.enabled_habits()
    with transaction(db):
        _add_definitions(store, plan, added, skipped)
        existing = Counter(
            (key, ts, offset, amount, _clean_stored(note), _normal_json(detail))
            for key, ts, offset, amount, note, detail in db.execute(
                "SELECT habit, ts, utc_offset, amount, note, detail FROM entries"
                " WHERE deleted IS NULL"))
        fresh = _new_rows(plan.entries, existing,
                          lambda r: (r[0], r[1], r[2], r[4], r[5], r[6]))
        _insert(db, "INSERT INTO entries (habit, ts, utc_offset, day, amount, note, detail,"
                " source, created) VALUES (?,?,?,?,?,?,?,'import',?)",
                [(*row, created) for row in fresh], breathe)
        added[ENTRIES], skipped[ENTRIES] = len(fresh), len(plan.entries) - len(fresh)

        existing = Counter(
            (ts, offset, area, side, intensity, _clean_stored(note))
            for ts, offset, area, side, intensity, note in db.execute(
                "SELECT ts, utc_offset, area, side, intensity, note FROM twitches"
                " WHERE deleted IS NULL"))
        fresh = _new_rows(plan.twitches, existing, lambda r: (r[0], r[1], r[3], r[4], r[5],
                                                              r[6]))
        _insert(db, "INSERT INTO twitches (ts, utc_offset, day, area, side, intensity, note,"
                " source, created) VALUES (?,?,?,?,?,?,?,'import',?)",
                [(*row, created) for row in fresh], breathe)
        added[TWITCHES], skipped[TWITCHES] = len(fresh), len(plan.twitches) - len(fresh)

        existing = Counter(
            (ts, offset, _normal_json(answers), level, _normal_json(reasons), version)
            for ts, offset, answers, level, reasons, version in db.execute(
                "SELECT ts, utc_offset, answers, level, reasons, app_version"
                " FROM symptom_checks"))
        fresh = _new_rows(plan.checks, existing, lambda r: r[:6])
        for *check_row, revised_ts in fresh:
            cursor = db.execute(
                "INSERT INTO symptom_checks (ts, utc_offset, answers, level, reasons,"
                " app_version, day) VALUES (?,?,?,?,?,?,?)", check_row)
            if revised_ts is not None:  # link to the check made at that time, if there is one
                db.execute("UPDATE symptom_checks SET revises = (SELECT id FROM symptom_checks"
                           " WHERE ts = ? AND id != ? ORDER BY id LIMIT 1) WHERE id = ?",
                           (revised_ts, cursor.lastrowid, cursor.lastrowid))
        added[SYMPTOM_CHECKS] = len(fresh)
        skipped[SYMPTOM_CHECKS] = len(plan.checks) - len(fresh)

        existing = Counter(tuple(row) for row in db.execute(
            "SELECT reminder, due, shown, utc_offset, outcome, reason FROM reminder_events"))
        fresh = _new_rows(plan.reminders, existing, tuple)
        _insert(db, "INSERT INTO reminder_events (reminder, due, shown, utc_offset, outcome,"
                " reason) VALUES (?,?,?,?,?,?)", list(fresh), breathe)
        added[REMINDER_EVENTS] = len(fresh)
        skipped[REMINDER_EVENTS] = len(plan.reminders) - len(fresh)

        added[DAYS_OFF] = skipped[DAYS_OFF] = 0
        old_days = dict(db.execute("SELECT day, reason FROM days_off"))
        for day, reason in plan.days_off.items():
            if old_days.get(day) == reason:
                skipped[DAYS_OFF] += 1
                continue
            db.execute("INSERT INTO days_off (day, reason) VALUES (?, ?) ON CONFLICT (day)"
                       " DO UPDATE SET reason = excluded.reason", (day, reason))
            added[DAYS_OFF] += 1

        added[TWITCH_RATINGS] = skipped[TWITCH_RATINGS] = 0
        old_ratings = {day: (rating, areas) for day, rating, areas in
                       db.execute("SELECT day, rating, areas FROM twitch_ratings")}
        for day, (rating, areas) in plan.ratings.items():
            if old_ratings.get(day) == (rating, areas):
                skipped[TWITCH_RATINGS] += 1
                continue
            db.execute("INSERT INTO twitch_ratings (day, rating, areas, updated)"
                       " VALUES (?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET"
                       " rating = excluded.rating, areas = excluded.areas,"
                       " updated = excluded.updated", (day, rating, areas, created))
            added[TWITCH_RATINGS] += 1

        added[HABITS] = skipped[HABITS] = 0
        old_targets = {(key, start): (value, value_max) for key, start, value, value_max in
                       db.execute("SELECT habit, effective_from, value, value_max FROM targets")}
        for (key, start), values in plan.targets.items():
            if old_targets.get((key, start)) == values:
                skipped[HABITS] += 1
                continue
            db.execute(
                "INSERT INTO targets (habit, effective_from, value, value_max) VALUES (?,?,?,?)"
                " ON CONFLICT (habit, effective_from) DO UPDATE"
                " SET value = excluded.value, value_max = excluded.value_max",
                (key, start, *values))
            added[HABITS] += 1
        for key, enabled in plan.enabled.items():
            db.execute("UPDATE habits SET enabled = ? WHERE key = ?", (int(enabled), key))
        enabled_after = [row[0] for row in db.execute(
            "SELECT key FROM habits WHERE enabled = 1 AND archived = 0 ORDER BY position")]
    changed = enabled_after != enabled_before
    if changed:
        # Written above in the import's transaction; this refreshes the store's cached list.
        store.set_enabled_habits(enabled_after)
    return ImportResult(added, skipped, plan.settings,
                        tuple(enabled_after) if changed else None)


def _add_definitions(store: SqliteStore, plan: ImportPlan, added: dict[str, int],
                     skipped: dict[str, int]) -> None:
    """Create the user habits the file defines and the database lacks (checked again here:
    the database may have changed since the file was checked), in the file's order."""
    stored = {h.key: h for h in store.habit_definitions()}
    fresh = []
    for line, spec, _position in sorted(plan.definitions, key=lambda d: (d[2], d[0])):
        known = stored.get(spec.key)
        try:
            if known is not None:
                check_same_definition(known, spec)
        except InputError as error:
            raise ImportRejected([Problem(HABIT_DEFINITIONS, line, str(error))]) from None
        if known is None:
            fresh.append(spec)
    if len(stored) + len(fresh) > MAX_USER_HABITS:
        raise ImportRejected([Problem(HABIT_DEFINITIONS, None, _(
            "with these, you would have more than {n} habits of your own").format(
            n=MAX_USER_HABITS))])
    for spec in fresh:
        target = (None if spec.direction is Direction.NONE else
                  Target(spec.key, spec.default_target, spec.default_target_max, date.min))
        store.add_habit(spec, target)
    added[HABIT_DEFINITIONS] = len(fresh)
    skipped[HABIT_DEFINITIONS] = plan.definitions_skipped + len(plan.definitions) - len(fresh)


def _clean_stored(note: str) -> str:
    """A stored note as import would clean it, so a note kept from before notes were cleaned
    still matches its own export."""
    try:
        return clean_note(note)
    except InputError:
        return note


def _no_breath() -> None:
    pass


def _insert(db: sqlite3.Connection, sql: str, rows: list[tuple[Any, ...]],
            breathe: Callable[[], None]) -> None:
    """Insert *rows* in order, in batches with a breath between; then free them in slices."""
    for start in range(0, len(rows), _DROP_SLICE):
        db.executemany(sql, rows[start:start + _DROP_SLICE])
        breathe()
    _drop(rows)


def _normal_json(raw: str) -> str:
    if not raw or raw == "{}":
        return "{}"
    return json.dumps(json.loads(raw), sort_keys=True)


def _new_rows(rows: list[tuple[Any, ...]], existing: Counter[Any],
              identity: Callable[[tuple[Any, ...]], tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows not yet stored, counting duplicates: two identical rows in the file and one in
    the database add one."""
    fresh = []
    for row in rows:
        key = identity(row)
        if existing[key] > 0:
            existing[key] -= 1
        else:
            fresh.append(row)
    return fresh


def import_zip(store: SqliteStore, path: Path, *, tz: tzinfo, now: datetime,
               day_start_hour: int, limits: Limits = LIMITS, progress: Progress | None = None,
               before_writing: Callable[[], None] | None = None,
               breathe: Callable[[], None] | None = None) -> ImportResult:
    """Check the ZIP at *path* completely, then merge it; raise ImportRejected (nothing
    imported) if any row is bad. The caller saves ``result.settings`` when not None.

    *before_writing* runs between checking and writing (the last moment a cancel is honoured).
    """
    plan = read_import(path, tz=tz, now=now, day_start_hour=day_start_hour, limits=limits,
                       progress=progress, catalog=HabitCatalog(store.habit_definitions()))
    if before_writing is not None:
        before_writing()
    try:
        return apply_import(store, plan, now, breathe=breathe)
    finally:
        for rows in (plan.entries, plan.twitches, plan.checks, plan.reminders):
            _drop(rows)


def _drop(rows: list[Any]) -> None:
    """Empty *rows* a slice at a time: freeing 200,000 rows in one go holds the interpreter
    lock for about 50 ms, a stall of the GUI thread while this runs beside it."""
    while rows:
        del rows[-_DROP_SLICE:]


_DROP_SLICE = 5_000
