"""Writing the export ZIP: every live record as CSV, and the settings."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from quell.core.errors import InputError
from quell.core.i18n import _
from quell.core.settings import Settings
from quell.files import write_atomic
from quell.storage.store import stored_definitions
from quell.storage.zip_format import (
    COLUMNS,
    DAYS_OFF,
    ENTRIES,
    HABIT_DEFINITIONS,
    HABITS,
    REMINDER_EVENTS,
    SETTINGS,
    SYMPTOM_CHECKS,
    TWITCH_RATINGS,
    TWITCHES,
    escape_cell,
)

# -- export ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: the file and how many rows went into each CSV."""

    path: Path
    rows: dict[str, int]


def export_zip(db: sqlite3.Connection, settings: Settings, path: Path, *,
               overwrite: bool = False,
               before_writing: Callable[[], None] | None = None) -> ExportSummary:
    """Write every live record and the settings to the ZIP at *path*, atomically.

    Raises InputError if *path* exists and *overwrite* is false, or cannot be written.
    *before_writing* runs once the data is gathered (the last moment a cancel is honoured).
    """
    path = Path(path)
    try:
        target = os.lstat(path)
    except FileNotFoundError:
        target = None
    except OSError as error:  # a name too long, a folder on the way that is a file, ...
        raise InputError(_("cannot write {path}: {problem}").format(
            path=path, problem=error.strerror or error)) from None
    if target is not None and not overwrite:
        raise InputError(_("{path} already exists; use --force to replace it").format(
            path=path))
    if target is not None and stat.S_ISDIR(target.st_mode):
        raise InputError(_("{path} is a folder").format(path=path))
    data, rows = build_export(db, settings)
    if before_writing is not None:
        before_writing()
    try:
        write_atomic(path, data)
    except OSError as error:
        raise InputError(_("cannot write {path}: {problem}").format(
            path=path, problem=error.strerror or error)) from None
    return ExportSummary(path, rows)


def build_export(db: sqlite3.Connection, settings: Settings) -> tuple[bytes, dict[str, int]]:
    """The export ZIP's bytes and the number of rows in each CSV file."""
    # One read transaction, so the files agree with each other even if the app writes meanwhile.
    db.execute("BEGIN")
    try:
        tables: dict[str, list[tuple[str, ...]]] = {
            HABIT_DEFINITIONS: list(_definition_rows(db)),
            ENTRIES: list(_entry_rows(db)),
            TWITCHES: list(_twitch_rows(db)),
            TWITCH_RATINGS: [(day, str(rating), areas) for day, rating, areas in db.execute(
                "SELECT day, rating, areas FROM twitch_ratings ORDER BY day")],
            HABITS: list(_habit_rows(db)),
            SYMPTOM_CHECKS: list(_check_rows(db, settings.day_start_hour)),
            REMINDER_EVENTS: list(_reminder_rows(db)),
            DAYS_OFF: [(day, reason) for day, reason in
                       db.execute("SELECT day, reason FROM days_off ORDER BY day")],
        }
    finally:
        db.execute("COMMIT")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            archive.writestr(name, _csv_text(COLUMNS[name], rows))
        archive.writestr(SETTINGS, json.dumps(settings.to_dict(), indent=2, sort_keys=True)
                         + "\n")
    return buffer.getvalue(), {name: len(rows) for name, rows in tables.items()}


def _csv_text(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO()
    # RFC 4180 line ends: a field holding a lone \r or \n is then quoted too.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([escape_cell(cell) for cell in row] for row in rows)
    return out.getvalue()



def iso(ts: int, offset: int) -> str:
    """Unix seconds shown as ISO 8601 in the local offset of the time ('...T07:30:00+01:00')."""
    return datetime.fromtimestamp(ts, _zone(offset)).isoformat()


_ZONES: dict[int, timezone] = {}


def _zone(offset: int) -> timezone:
    zone = _ZONES.get(offset)
    if zone is None:
        zone = _ZONES[offset] = timezone(timedelta(seconds=offset))
    return zone


def number_text(value: float) -> str:
    """A number as written to CSV: '250' for whole numbers, else its shortest exact form."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _detail_text(raw: str) -> str:
    if not raw or raw == "{}":
        return ""
    return json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))


def _definition_rows(db: sqlite3.Connection) -> Iterator[tuple[str, ...]]:
    """The user's own habits (built-ins are Quell's, not the file's), in their order."""
    for position, spec in enumerate(stored_definitions(db)):
        yield (spec.key, spec.name, spec.unit, spec.kind.value, spec.direction.value,
               _optional_number(spec.default_target), _optional_number(spec.default_target_max),
               ";".join(number_text(q.amount) for q in spec.quick),
               "1" if spec.archived else "0", str(position))


def _optional_number(value: float | None) -> str:
    return "" if value is None else number_text(value)


def _entry_rows(db: sqlite3.Connection) -> Iterator[tuple[str, ...]]:
    for ts, offset, key, amount, note, detail in db.execute(
            "SELECT ts, utc_offset, habit, amount, note, detail FROM entries"
            " WHERE deleted IS NULL ORDER BY ts, id"):
        yield iso(ts, offset), key, number_text(amount), note, _detail_text(detail)


def _twitch_rows(db: sqlite3.Connection) -> Iterator[tuple[str, ...]]:
    for ts, offset, area, side, intensity, note in db.execute(
            "SELECT ts, utc_offset, area, side, intensity, note FROM twitches"
            " WHERE deleted IS NULL ORDER BY ts, id"):
        yield iso(ts, offset), area, side, str(intensity), note


def _habit_rows(db: sqlite3.Connection) -> Iterator[tuple[str, ...]]:
    targets: dict[str, list[tuple[str, float | None, float | None]]] = {}
    for key, start, value, value_max in db.execute(
            "SELECT habit, effective_from, value, value_max FROM targets"
            " ORDER BY habit, effective_from"):
        targets.setdefault(key, []).append((start, value, value_max))
    for key, enabled in db.execute("SELECT key, enabled FROM habits ORDER BY position"):
        flag = "1" if enabled else "0"
        rows = targets.get(key) or [("", None, None)]
        for start, value, value_max in rows:
            yield (key, flag, start, "" if value is None else number_text(value),
                   "" if value_max is None else number_text(value_max))


def _check_rows(db: sqlite3.Connection, day_start_hour: int) -> Iterator[tuple[str, ...]]:
    # A changed check names the one it revises by that one's time (ids stay in this database).
    # A row stored without its Quell day gets it by the same rule as core.days.day_of.
    for ts, offset, level, reasons, answers, version, day, revised_ts, revised_offset in (
            db.execute(
                "SELECT c.ts, c.utc_offset, c.level, c.reasons, c.answers, c.app_version,"
                " CASE WHEN c.day = '' THEN date(c.ts + c.utc_offset - ?, 'unixepoch')"
                " ELSE c.day END, r.ts, r.utc_offset FROM symptom_checks c"
                " LEFT JOIN symptom_checks r ON r.id = c.revises ORDER BY c.ts, c.id",
                (day_start_hour * 3600,))):
        yield (iso(ts, offset), level, _canonical(reasons), _canonical(answers), version, day,
               "" if revised_ts is None else iso(revised_ts, revised_offset))


def _reminder_rows(db: sqlite3.Connection) -> Iterator[tuple[str, ...]]:
    for reminder, due, shown, offset, outcome, reason in db.execute(
            "SELECT reminder, due, shown, utc_offset, outcome, reason FROM reminder_events"
            " ORDER BY due, id"):
        yield (reminder, iso(due, offset), "" if shown is None else iso(shown, offset),
               outcome, reason)


def _canonical(raw: str) -> str:
    return json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))


def default_export_name(day: date) -> str:
    """The file name offered for an export ('quell-export-2026-03-10.zip')."""
    return f"quell-export-{day.isoformat()}.zip"
