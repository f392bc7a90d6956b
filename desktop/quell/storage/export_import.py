"""Export all data as CSV files in a ZIP, and import such a ZIP: all checked first, then merged.

The files and their columns are pinned in CONTRACTS.md ("Export ZIP"). Timestamps are ISO 8601
with the UTC offset in force when they happened; amounts are in the habit's base unit. An import
validates every row of every file before touching the database, then adds everything in one
transaction, skipping rows identical to ones already stored (so importing twice changes
nothing, while two identical entries in one file both count).

Reading is bounded (see :class:`Limits`): only a regular file is opened, and its size, the
ZIP's table of contents, each member's bytes as they are decompressed, each line and each
file's rows are counted against caps, so a hostile file ends with one clear line in seconds.
Text cells that a spreadsheet would run as a formula are written with a leading apostrophe,
which import removes again (see :func:`escape_cell`).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import logging
import math
import os
import re
import sqlite3
import stat
import struct
import time as monotonic_time
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path, PurePosixPath
from typing import IO, Any

from quell.core.days import day_of, local_datetime
from quell.core.entries import Target
from quell.core.errors import InputError
from quell.core.formatting import number
from quell.core.habits import (
    MAX_USER_HABITS,
    Direction,
    Habit,
    HabitCatalog,
    Kind,
    user_habit,
)
from quell.core.i18n import _, ngettext
from quell.core.notes import clean_note
from quell.core.parsing import check_amount
from quell.core.settings import Settings, check_pause
from quell.core.twitches import AREAS, SIDES
from quell.storage.atomic import write_atomic
from quell.storage.database import transaction
from quell.storage.history_store import REMINDER_OUTCOMES
from quell.storage.store import SqliteStore, stored_definitions

ENTRIES = "entries.csv"
HABIT_DEFINITIONS = "habit_definitions.csv"
TWITCHES = "twitches.csv"
HABITS = "habits.csv"
SYMPTOM_CHECKS = "symptom_checks.csv"
REMINDER_EVENTS = "reminder_events.csv"
DAYS_OFF = "days_off.csv"
SETTINGS = "settings.json"

COLUMNS: dict[str, tuple[str, ...]] = {
    HABIT_DEFINITIONS: ("key", "name", "unit", "kind", "direction", "target", "target_max",
                        "quick", "archived", "position"),
    ENTRIES: ("timestamp", "habit", "amount", "note", "detail"),
    TWITCHES: ("timestamp", "area", "side", "intensity", "note"),
    HABITS: ("habit", "enabled", "effective_from", "target", "target_max"),
    SYMPTOM_CHECKS: ("timestamp", "level", "reasons", "answers", "app_version", "day",
                     "revises"),
    REMINDER_EVENTS: ("reminder", "due", "shown", "outcome", "reason"),
    DAYS_OFF: ("day", "reason"),
}
# Columns a hand-made file may leave out (a spreadsheet with just time, habit and amount).
OPTIONAL_COLUMNS: dict[str, frozenset[str]] = {
    HABIT_DEFINITIONS: frozenset({"target", "target_max", "quick", "archived", "position"}),
    ENTRIES: frozenset({"note", "detail"}),
    TWITCHES: frozenset({"side", "note"}),
    HABITS: frozenset({"effective_from", "target", "target_max"}),
    SYMPTOM_CHECKS: frozenset({"app_version", "day", "revises"}),
    REMINDER_EVENTS: frozenset({"shown", "reason"}),
    DAYS_OFF: frozenset({"reason"}),
}

MAX_PROBLEMS = 50
SHOWN_PROBLEMS = 3  # in the one-line message; the UI lists them all
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
# Real UTC offsets run from -12:00 to +14:00.
OFFSET_RANGE = (timedelta(hours=-12), timedelta(hours=14))
# A detail, reasons or answers cell: small flat JSON in practice.
JSON_CELL_MAX = 16 * 1024
JSON_DEPTH_MAX = 8
BLANK_LINES_MAX = 10_000
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The most an import reads; README.md states them. Five years of real use (as
    tests/bench/datagen.py makes it) is 33,000 entries, 16,000 reminder outcomes and 3,000
    twitch episodes: 52,000 rows, a 0.3 MB ZIP of 2.7 MB of CSV text. Each cap is about ten
    times that or more (the row cap bounds the memory a checked file takes)."""

    file_bytes: int = 64 * MB        # the ZIP file itself
    member_bytes: int = 128 * MB     # one file inside it, counted as it is decompressed
    total_bytes: int = 256 * MB      # all files inside it together
    directory_bytes: int = 1 * MB    # the ZIP's table of contents
    members: int = 100               # files inside the ZIP
    rows: int = 500_000              # rows of all CSV files together
    lines: int = 1_000_000           # lines of one CSV file, blank ones too
    line_bytes: int = 64 * 1024      # one line of a CSV file
    seconds: float = 120.0           # reading and checking, on a slow machine


LIMITS = Limits()

log = logging.getLogger(__name__)


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


# A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or CR before one), after
# any apostrophes: escaping those too keeps the round trip exact.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")


def escape_cell(cell: str) -> str:
    """*cell* as written to CSV: with one apostrophe in front when a spreadsheet would take it
    for a formula (OWASP's advice), so ``=HYPERLINK(...)`` in a note stays text."""
    return "'" + cell if _FORMULA.match(cell) else cell


def unescape_cell(cell: str) -> str:
    """The inverse of :func:`escape_cell`: one leading apostrophe removed, only before what
    escape_cell protects, so ``unescape_cell(escape_cell(s)) == s`` for every string."""
    return cell[1:] if cell[:1] == "'" and _ESCAPED.match(cell) else cell


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


# -- import: reading and checking --------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: which file, which line (1 is the header), and what."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.message}"
        return _("{file}, line {line}: {problem}").format(file=self.file, line=self.line,
                                                          problem=self.message)


class ImportRejected(InputError):
    """The file has problems; nothing was imported. ``problems`` lists them all (capped)."""

    def __init__(self, problems: Sequence[Problem], more: int = 0) -> None:
        self.problems = tuple(problems)
        self.more = more
        shown = self.problems[:SHOWN_PROBLEMS]
        extra = len(self.problems) - len(shown) + more
        text = "; ".join(str(problem) for problem in shown)
        if extra:
            text += " " + _("(and {n} more problems; nothing was imported)").format(n=extra)
        else:
            text += " " + _("(nothing was imported)")
        super().__init__(text)


@dataclass
class ImportPlan:
    """Everything in a checked import file, ready to be merged."""

    entries: list[tuple[Any, ...]] = field(default_factory=list)
    twitches: list[tuple[Any, ...]] = field(default_factory=list)
    checks: list[tuple[Any, ...]] = field(default_factory=list)
    reminders: list[tuple[Any, ...]] = field(default_factory=list)
    days_off: dict[str, str] = field(default_factory=dict)
    targets: dict[tuple[str, str], tuple[float | None, float | None]] = field(
        default_factory=dict)
    enabled: dict[str, bool] = field(default_factory=dict)
    settings: Settings | None = None
    # The user habits the file defines that the database lacks: (line, habit, position).
    definitions: list[tuple[int, Habit, int]] = field(default_factory=list)
    definitions_skipped: int = 0  # already in the database, the same
    line: int = 0  # the line being checked (for a problem only merging can find)


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
        entries = ngettext("{n} entry", "{n} entries", added_entries).format(
            n=number(added_entries))
        twitches = ngettext("{n} twitch episode", "{n} twitch episodes", added_twitches).format(
            n=number(added_twitches))
        others = sum(v for k, v in self.added.items() if k not in (ENTRIES, TWITCHES))
        if others:
            text = _("Imported {entries}, {twitches} and {others}").format(
                entries=entries, twitches=twitches,
                others=ngettext("{n} other record", "{n} other records", others).format(
                    n=number(others)))
        else:
            text = _("Imported {entries} and {twitches}").format(
                entries=entries, twitches=twitches)
        skipped = sum(self.skipped.get(name, 0) for name in _RECORDS)
        if skipped:
            text += "; " + ngettext("{n} already there was skipped",
                                    "{n} already there were skipped", skipped).format(
                n=number(skipped))
        return text + "."


_RECORDS = (ENTRIES, TWITCHES, SYMPTOM_CHECKS, REMINDER_EVENTS)


Progress = Callable[[int, int], None]
"""Told (bytes read so far, bytes expected) while a file is checked; may raise to stop it."""


class _Stop(Exception):
    """A limit was reached: stop reading at once and report what was found so far."""


class _Checker:
    """Collects problems across files, so the user sees them all at once, and keeps the
    byte and time budgets of the whole import."""

    def __init__(self, limits: Limits, expected: int, progress: Progress | None) -> None:
        self.problems: list[Problem] = []
        self.more = 0
        self.limits = limits
        self._expected = max(expected, 1)
        self._progress = progress
        self._read = 0
        self.rows = 0
        self._deadline = monotonic_time.monotonic() + limits.seconds

    def add(self, file: str, line: int | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(file, line, message))
        else:
            self.more += 1

    def stop(self, file: str, line: int | None, message: str) -> _Stop:
        """The problem that ends reading, shown first (it is why the rest was not read)."""
        self.problems.insert(0, Problem(file, line, message))
        if len(self.problems) > MAX_PROBLEMS:
            self.problems.pop()
            self.more += 1
        return _Stop()

    def took(self, file: str, count: int) -> None:
        """*count* more bytes decompressed: check the total and the clock, tell progress."""
        self._read += count
        if self._read > self.limits.total_bytes:
            raise self.stop(file, None, _("the files in the ZIP hold more than {n} MB; nothing "
                                          "was read further").format(
                n=self.limits.total_bytes // MB))
        if monotonic_time.monotonic() > self._deadline:
            raise self.stop(file, None, _("checking took longer than {n} seconds").format(
                n=number(self.limits.seconds)))
        if self._progress is not None:
            self._progress(min(self._read, self._expected), self._expected)

    def raise_problems(self) -> None:
        if self.problems:
            raise ImportRejected(self.problems, self.more)


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
        _check_directory(handle, name, limits)
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise ImportRejected([Problem(name, None, _("not a ZIP file ({problem})").format(
                problem=error))]) from None
        with archive:
            members = _members(archive, name, limits)
            if ENTRIES not in members and TWITCHES not in members:
                raise ImportRejected([Problem(name, None, _(
                    "has neither entries.csv nor twitches.csv; nothing to import"))])
            expected = sum(info.file_size for info in members.values())
            checker = _Checker(limits, expected, progress)
            plan = ImportPlan()
            try:
                if SETTINGS in members:
                    _read_settings(archive, members[SETTINGS], plan, checker, now)
                if plan.settings is not None:
                    day_start_hour = plan.settings.day_start_hour
                reader = _RowReader(tz, now, day_start_hour, catalog or HabitCatalog())
                for member, parse in ((HABIT_DEFINITIONS, reader.definition),
                                      (ENTRIES, reader.entry), (TWITCHES, reader.twitch),
                                      (HABITS, reader.habit), (SYMPTOM_CHECKS, reader.check),
                                      (REMINDER_EVENTS, reader.reminder),
                                      (DAYS_OFF, reader.day_off)):
                    if member in members:
                        _read_csv(archive, members[member], member, parse, plan, checker)
            except _Stop:
                pass
    checker.raise_problems()
    return plan


def open_import_file(path: Path, limits: Limits = LIMITS) -> IO[bytes]:
    """*path* opened for reading if it is a regular file no larger than the limit.

    Checked on the opened descriptor (no race with a file swapped in between), opened without
    blocking (a named pipe would otherwise wait for a writer forever); raises InputError.
    """
    try:
        before = os.stat(path)
    except FileNotFoundError:
        raise InputError(_("{path} does not exist").format(path=path)) from None
    except OSError as error:
        raise InputError(_("cannot open {path}: {problem}").format(
            path=path, problem=error.strerror or error)) from None
    _check_kind(path, before, limits)  # refuse devices and pipes before even opening them
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(_("{path} does not exist").format(path=path)) from None
    except IsADirectoryError:
        raise InputError(_("{path} is a folder").format(path=path)) from None
    except OSError as error:
        raise InputError(_("cannot open {path}: {problem}").format(
            path=path, problem=error.strerror or error)) from None
    try:
        _check_kind(path, os.fstat(fd), limits)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _check_kind(path: Path, info: os.stat_result, limits: Limits) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputError(_("{path} is a folder").format(path=path))
    if not stat.S_ISREG(info.st_mode):
        raise InputError(_("{path} is not a regular file (it is a pipe, device or socket); "
                           "choose a ZIP file").format(path=path))
    if info.st_size > limits.file_bytes:
        raise InputError(_("{path} is larger than {n} MB, more than Quell ever exports; "
                           "nothing was imported").format(path=path, n=limits.file_bytes // MB))


_END = b"PK\x05\x06"
_END64_LOCATOR = b"PK\x06\x07"
_END_SIZE = 22


def _check_directory(handle: IO[bytes], name: str, limits: Limits) -> None:
    """Refuse a ZIP whose table of contents is huge before zipfile parses it into memory."""
    size = handle.seek(0, os.SEEK_END)
    tail_size = min(size, _END_SIZE + 0xFFFF)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    handle.seek(0)
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < _END_SIZE:
        raise ImportRejected([Problem(name, None, _("not a ZIP file ({problem})").format(
            problem=_("no ZIP directory at its end")))])
    count, directory_size = struct.unpack("<HL", tail[at + 10:at + 16])
    if at >= 20 and tail[at - 20:at - 16] == _END64_LOCATOR:
        raise ImportRejected([Problem(name, None, _(
            "is a ZIP64 archive, which Quell's exports never are; nothing was imported"))])
    if count > limits.members:
        raise ImportRejected([Problem(name, None, _(
            "holds {count} files; an export has 8 (at most {n} are read)").format(
            count=number(count), n=limits.members))])
    if directory_size > limits.directory_bytes:
        raise ImportRejected([Problem(name, None, _(
            "its table of contents is larger than {n} MB").format(
            n=limits.directory_bytes // MB))])


def _safe_member_name(filename: str) -> bool:
    parts = PurePosixPath(filename).parts
    return not (filename.startswith("/") or "\\" in filename or ".." in parts
                or (parts and ":" in parts[0]))


def _members(archive: zipfile.ZipFile, zip_name: str, limits: Limits
             ) -> dict[str, zipfile.ZipInfo]:
    """Known files by name, also when they sit in one folder inside the ZIP; raises
    ImportRejected for unsafe, duplicated or encrypted members."""
    infos = archive.infolist()
    if len(infos) > limits.members:
        raise ImportRejected([Problem(zip_name, None, _(
            "holds {count} files; an export has 8 (at most {n} are read)").format(
            count=number(len(infos)), n=limits.members))])
    problems: list[Problem] = []
    seen: set[str] = set()
    found: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if not _safe_member_name(info.filename):
            problems.append(Problem(zip_name, None, _(
                "holds a file named '{member}', which points outside the ZIP").format(
                member=info.filename[:80])))
            continue
        if info.filename in seen:
            problems.append(Problem(zip_name, None, _(
                "holds '{member}' twice").format(member=info.filename[:80])))
            continue
        seen.add(info.filename)
        if info.is_dir():
            continue
        base = PurePosixPath(info.filename).name
        if base not in COLUMNS and base != SETTINGS:
            continue
        if base in found:
            problems.append(Problem(zip_name, None, _(
                "holds two copies of {member} ('{first}' and '{second}'); keep one").format(
                member=base, first=found[base].filename[:80], second=info.filename[:80])))
            continue
        if info.flag_bits & 0x1:
            problems.append(Problem(base, None, _(
                "is encrypted; export it again without a password")))
            continue
        found[base] = info
    if problems:
        raise ImportRejected(problems)
    return found


def _member_lines(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str,
                  checker: _Checker) -> Iterator[str]:
    """The member's lines, decoded, counted as they are decompressed (the sizes in the ZIP's
    header are not trusted); raises _Stop at a limit or damage, with the problem added."""
    limits = checker.limits
    read = 0
    line = 0
    try:
        with archive.open(info) as stream:
            while True:
                raw = stream.readline(limits.line_bytes + 1)
                if not raw:
                    return
                line += 1
                if line > limits.lines:
                    raise checker.stop(name, line, _("has more than {n} lines").format(
                        n=number(limits.lines)))
                read += len(raw)
                checker.took(name, len(raw))
                if read > limits.member_bytes:
                    raise checker.stop(name, None, _("holds more than {n} MB of text").format(
                        n=limits.member_bytes // MB))
                if len(raw) > limits.line_bytes:
                    raise checker.stop(name, line, _(
                        "the line is longer than {n} KB (is this a CSV file?)").format(
                        n=limits.line_bytes // 1024))
                if line == 1:
                    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                        raise checker.stop(name, None, _(
                            "is UTF-16 text; save it as CSV UTF-8"))
                    raw = raw.removeprefix(b"\xef\xbb\xbf")
                if b"\x00" in raw:
                    raise checker.stop(name, line, _(
                        "holds a NUL character (the file is damaged or not text)"))
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise checker.stop(name, line, _(
                        "is not UTF-8 text (save it as CSV UTF-8)")) from None
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError,
            zlib.error) as error:
        raise checker.stop(name, None, _("cannot be read ({problem})").format(
            problem=error)) from None


def _read_settings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, plan: ImportPlan,
                   checker: _Checker, now: datetime) -> None:
    text = "".join(_member_lines(archive, info, SETTINGS, checker))
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
              plan: ImportPlan, checker: _Checker) -> None:
    reader = csv.reader(_member_lines(archive, info, name, checker), strict=True)
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


class _RowReader:
    """Turns checked CSV rows into database rows; raises InputError naming a bad value."""

    def __init__(self, tz: tzinfo, now: datetime, day_start_hour: int,
                 catalog: HabitCatalog) -> None:
        self._tz = tz
        self._now = now
        self._day_start = day_start_hour
        self._stored = catalog  # the database's habits
        self._catalog = catalog  # and the file's, as their rows are read
        self._defined: set[str] = set()

    def moment(self, text: str, column: str = "timestamp") -> datetime:
        text = text.strip()
        if not text:
            raise InputError(_("{column} is empty").format(column=column))
        shown = text[:40]
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise InputError(_("{column} '{text}' is not an ISO 8601 time "
                               "(like 2026-03-10T07:30:00+01:00)").format(
                column=column, text=shown)) from None
        try:
            if value.tzinfo is None:
                aware = local_datetime(value.date(), value.time(), self._tz)
                if aware.replace(tzinfo=None) != value.replace(fold=0):
                    raise InputError(_("{column} '{text}' does not exist in your time zone (the "
                                       "clocks went forward); add its UTC offset").format(
                        column=column, text=shown))
                value = aware
            offset = value.utcoffset()
            if offset is None or not OFFSET_RANGE[0] <= offset <= OFFSET_RANGE[1]:
                raise InputError(_("{column} '{text}' has a UTC offset outside -12:00 to "
                                   "+14:00").format(column=column, text=shown))
            if value.microsecond:
                value = value.replace(microsecond=0)
            too_early = value < EARLIEST
            too_late = value > self._now + timedelta(minutes=5)
        except OverflowError:
            too_early, too_late = value.year < 1970, value.year > 1970
        if too_early:
            raise InputError(_("{column} '{text}' is before 1970").format(column=column,
                                                                         text=shown))
        if too_late:
            raise InputError(_("{column} '{text}' is in the future").format(column=column,
                                                                           text=shown))
        return value

    def _stamp(self, moment: datetime) -> tuple[int, int, str]:
        offset = moment.utcoffset()
        assert offset is not None
        return (int(moment.timestamp()), int(offset.total_seconds()),
                day_of(moment, self._day_start).isoformat())

    @staticmethod
    def note(row: dict[str, str]) -> str:
        # The same one clean line as every other way in; a note Quell wrote comes back as is.
        note = row.get("note", "")
        return clean_note(note) if note else ""

    @staticmethod
    def number(text: str, column: str) -> float:
        try:
            value = float(text.strip())
        except ValueError:
            raise InputError(_("{column} '{text}' is not a number").format(
                column=column, text=text)) from None
        if not math.isfinite(value):
            raise InputError(_("{column} '{text}' is not a number").format(
                column=column, text=text))
        return value

    def definition(self, row: dict[str, str], plan: ImportPlan) -> None:
        """A user habit's definition, checked by :func:`user_habit` like one typed in."""
        key = row["key"].strip().lower()
        if key in self._defined:
            raise InputError(_("habit '{key}' is defined twice").format(key=key[:60]))
        if len(self._defined) >= MAX_USER_HABITS:
            raise InputError(_("more than {n} habits are defined").format(n=MAX_USER_HABITS))
        kind = _enum(Kind, row["kind"], "kind")
        direction = _enum(Direction, row["direction"], "direction")
        low_text = row.get("target", "").strip()
        high_text = row.get("target_max", "").strip()
        quick_text = row.get("quick", "").strip()
        quick = [self.number(q, "quick") for q in quick_text.split(";")[:MAX_QUICK_CELLS]
                 ] if quick_text else []
        if quick_text.count(";") >= MAX_QUICK_CELLS:
            raise InputError(_("quick holds more than {n} amounts").format(n=MAX_QUICK_CELLS))
        flag = row.get("archived", "").strip().lower() or "0"
        if flag not in ("1", "0", "true", "false", "yes", "no"):
            raise InputError(_("archived must be 1 or 0, not '{value}'").format(
                value=row["archived"][:40]))
        position_text = row.get("position", "").strip()
        position = self.number(position_text, "position") if position_text else 0.0
        if position != int(position) or not 0 <= position <= MAX_POSITION:
            raise InputError(_("position must be a whole number from 0 to {n}").format(
                n=MAX_POSITION))
        spec = user_habit(row["name"], row["unit"].strip().lower(), kind, direction,
                          self.number(low_text, "target") if low_text else None,
                          self.number(high_text, "target_max") if high_text else None,
                          quick, catalog=self._catalog, key=key)
        spec = dataclasses.replace(spec, archived=flag in ("1", "true", "yes"))
        self._defined.add(key)
        stored = self._stored.find(key)
        if stored is not None:
            _check_same(stored, spec)
            plan.definitions_skipped += 1
            return
        plan.definitions.append((plan.line, spec, int(position)))
        self._catalog = self._catalog.with_user(spec)

    def entry(self, row: dict[str, str], plan: ImportPlan) -> None:
        key = row["habit"].strip().lower()
        spec = self._catalog.find(key)
        if spec is None:
            raise InputError(_("unknown habit '{key}' (choose from {keys})").format(
                key=row["habit"], keys=", ".join(self._catalog.keys)))
        moment = self.moment(row["timestamp"])
        amount = check_amount(spec, self.number(row["amount"], "amount"))
        detail_text = row.get("detail", "").strip()
        detail: Any = {}
        if detail_text:
            detail = _parse_json(detail_text, "detail")
            if not isinstance(detail, dict):
                raise InputError(_("detail must be a JSON object"))
        ts, offset, day = self._stamp(moment)
        plan.entries.append((key, ts, offset, day, float(amount), self.note(row),
                             json.dumps(detail, sort_keys=True) if detail else "{}"))

    def twitch(self, row: dict[str, str], plan: ImportPlan) -> None:
        moment = self.moment(row["timestamp"])
        area = row["area"].strip().lower()
        if area not in AREAS:
            raise InputError(_("unknown body area '{area}' (choose from {areas})").format(
                area=row["area"], areas=", ".join(AREAS)))
        side = row.get("side", "").strip().lower()
        if side not in SIDES:
            raise InputError(_("side must be left, right, both or empty, not '{side}'").format(
                side=row["side"]))
        intensity = self.number(row["intensity"], "intensity")
        if intensity != int(intensity) or not 1 <= intensity <= 5:
            raise InputError(_("intensity must be a whole number from 1 to 5, not '{value}'"
                               ).format(value=row["intensity"]))
        ts, offset, day = self._stamp(moment)
        plan.twitches.append((ts, offset, day, area, side, int(intensity), self.note(row)))

    def habit(self, row: dict[str, str], plan: ImportPlan) -> None:
        key = row["habit"].strip().lower()
        spec = self._catalog.find(key)
        if spec is None:
            raise InputError(_("unknown habit '{key}'").format(key=row["habit"]))
        flag = row["enabled"].strip().lower()
        if flag not in ("1", "0", "true", "false", "yes", "no"):
            raise InputError(_("enabled must be 1 or 0, not '{value}'").format(
                value=row["enabled"]))
        enabled = flag in ("1", "true", "yes")
        if not enabled and not spec.optional:
            raise InputError(_("{habit} cannot be switched off").format(habit=key))
        if plan.enabled.get(key, enabled) != enabled:
            raise InputError(_("{habit} is both enabled and disabled").format(habit=key))
        plan.enabled[key] = enabled
        start = row.get("effective_from", "").strip()
        low_text = row.get("target", "").strip()
        high_text = row.get("target_max", "").strip()
        if not start:
            if low_text or high_text:
                raise InputError(_("a target needs its effective_from date"))
            return
        try:
            date.fromisoformat(start)
        except ValueError:
            raise InputError(_("effective_from '{text}' is not a date (YYYY-MM-DD)").format(
                text=start)) from None
        low = self.number(low_text, "target") if low_text else None
        high = self.number(high_text, "target_max") if high_text else None
        _check_target(spec, low, high)
        plan.targets[(key, start)] = (low, high)

    def check(self, row: dict[str, str], plan: ImportPlan) -> None:
        moment = self.moment(row["timestamp"])
        level = row["level"].strip()
        if not level:
            raise InputError(_("level is empty"))
        reasons = _json_value(row["reasons"], "reasons", list)
        answers = _json_value(row["answers"], "answers", dict)
        ts, offset, day = self._stamp(moment)
        day_text = row.get("day", "").strip()
        if day_text:
            try:
                day = date.fromisoformat(day_text).isoformat()
            except ValueError:
                raise InputError(_("day '{text}' is not a date (YYYY-MM-DD)").format(
                    text=day_text)) from None
        revises_text = row.get("revises", "").strip()
        revises = self._stamp(self.moment(revises_text, "revises"))[0] if revises_text else None
        plan.checks.append((ts, offset, answers, level, reasons,
                            row.get("app_version", "").strip(), day, revises))

    def reminder(self, row: dict[str, str], plan: ImportPlan) -> None:
        kind = row["reminder"].strip()
        if not kind:
            raise InputError(_("reminder is empty"))
        due = self.moment(row["due"], "due")
        shown_text = row.get("shown", "").strip()
        shown = self.moment(shown_text, "shown") if shown_text else None
        outcome = row["outcome"].strip().lower()
        if outcome not in REMINDER_OUTCOMES:
            raise InputError(_("outcome must be one of {names}, not '{value}'").format(
                names=", ".join(REMINDER_OUTCOMES), value=row["outcome"]))
        due_ts, offset, _day = self._stamp(due)
        shown_ts = int(shown.timestamp()) if shown is not None else None
        plan.reminders.append((kind, due_ts, shown_ts, offset, outcome,
                               row.get("reason", "").strip()))

    def day_off(self, row: dict[str, str], plan: ImportPlan) -> None:
        text = row["day"].strip()
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise InputError(_("day '{text}' is not a date (YYYY-MM-DD)").format(
                text=text)) from None
        plan.days_off[day.isoformat()] = row.get("reason", "").strip()


def _parse_json(text: str, column: str) -> Any:
    """A small JSON cell, parsed; deep nesting is refused before the parser could recurse."""
    if len(text) > JSON_CELL_MAX:
        raise InputError(_("{column} is longer than {n} KB").format(
            column=column, n=JSON_CELL_MAX // 1024))
    depth = deepest = 0
    # Brackets inside strings only overcount, which errs on the side of refusing.
    openers = text.count("[") + text.count("{")
    for char in (text if openers > JSON_DEPTH_MAX else ""):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    if deepest > JSON_DEPTH_MAX:
        raise InputError(_("{column} is nested more than {n} levels deep").format(
            column=column, n=JSON_DEPTH_MAX))
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise InputError(_("{column} is not valid JSON").format(column=column)) from None


def _json_value(text: str, column: str, kind: type) -> str:
    value = _parse_json(text, column)
    if not isinstance(value, kind):
        raise InputError(_("{column} has the wrong JSON type").format(column=column))
    return json.dumps(value, sort_keys=True)


def _enum(kind: type[Kind] | type[Direction], text: str, column: str) -> Any:
    value = text.strip().lower()
    try:
        return kind(value)
    except ValueError:
        raise InputError(_("{column} must be one of {names}, not '{value}'").format(
            column=column, names=", ".join(k.value for k in kind), value=value[:40])) from None


def _check_same(stored: Habit, spec: Habit) -> None:
    """A definition the database already has must be of the same kind and unit (its entries
    then mean the same); its name, goal and quick amounts stay the database's."""
    if (stored.kind, stored.unit) != (spec.kind, spec.unit):
        raise InputError(_(
            "habit '{key}' is kept as {kind} in {unit} here, but as {other_kind} in "
            "{other_unit} in the file; rename one of them").format(
            key=spec.key, kind=stored.kind.value, unit=stored.unit, other_kind=spec.kind.value,
            other_unit=spec.unit))


# Bounds on a definition's cells beyond what user_habit checks (a hostile file's count).
MAX_QUICK_CELLS = 16
MAX_POSITION = 10_000


def _check_target(spec: Habit, low: float | None, high: float | None) -> None:
    key = spec.key
    if not spec.builtin and (low is not None or high is not None):
        # The same rules as when it was added (a range may start at 0, and so on).
        if spec.direction is Direction.NONE:
            raise InputError(_("{habit} has no target").format(habit=key))
        user_habit(spec.name, spec.unit, spec.kind, spec.direction, low, high,
                   [q.amount for q in spec.quick], key=key)
        if high is not None and spec.direction is not Direction.RANGE:
            raise InputError(_("{habit} takes no target_max").format(habit=key))
        return
    if spec.direction is Direction.NONE:
        if low is not None or high is not None:
            raise InputError(_("{habit} has no target").format(habit=key))
        return
    if low is None:
        raise InputError(_("{habit} needs a target value").format(habit=key))
    if spec.direction is Direction.RANGE:
        if high is None or not 0 < low <= high:
            raise InputError(_("{habit} needs a range: 0 < target <= target_max").format(
                habit=key))
    elif high is not None:
        raise InputError(_("{habit} takes no target_max").format(habit=key))
    elif low < 0 or (spec.direction is Direction.AT_LEAST and low == 0):
        raise InputError(_("{habit} target must be above 0").format(habit=key))


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
                _check_same(known, spec)
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


def default_export_name(day: date) -> str:
    """The file name offered for an export ('quell-export-2026-03-10.zip')."""
    return f"quell-export-{day.isoformat()}.zip"
