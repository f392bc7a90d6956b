"""The SQLite database: safe pragmas, versioned migrations, daily backups, corruption recovery."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from desktop.core.habits import HABITS
from desktop.storage.paths import ensure_private_dir

log = logging.getLogger(__name__)

BACKUPS_KEPT = 7
DEFAULT_TARGET_FROM = "0001-01-01"  # default targets judge every day, however old


class StorageError(Exception):
    """A problem with the user's files that they can act on; the message says what to do."""


@dataclass
class OpenedDatabase:
    connection: sqlite3.Connection
    path: Path
    # Sentences for the user about what happened while opening (a restored backup, ...).
    notices: list[str] = field(default_factory=list)


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Run ;-separated statements inside the caller's transaction.

    ``executescript`` would commit first, breaking the one-transaction-per-migration rule.
    """
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _migration_1(db: sqlite3.Connection) -> None:
    _run_script(
        db,
        """
        CREATE TABLE habits (
            key      TEXT PRIMARY KEY,
            enabled  INTEGER NOT NULL CHECK (enabled IN (0, 1)),
            position INTEGER NOT NULL
        );
        CREATE TABLE targets (
            habit          TEXT NOT NULL REFERENCES habits(key),
            effective_from TEXT NOT NULL,            -- Quell day, YYYY-MM-DD
            value          REAL,
            value_max      REAL,
            PRIMARY KEY (habit, effective_from)
        );
        CREATE TABLE entries (
            id         INTEGER PRIMARY KEY,
            habit      TEXT NOT NULL REFERENCES habits(key),
            ts         INTEGER NOT NULL,             -- Unix seconds (UTC)
            utc_offset INTEGER NOT NULL,             -- seconds east of UTC when it happened
            day        TEXT NOT NULL,                -- Quell day, YYYY-MM-DD
            amount     REAL NOT NULL,
            note       TEXT NOT NULL DEFAULT '',
            detail     TEXT NOT NULL DEFAULT '{}',   -- JSON object
            source     TEXT NOT NULL,
            created    INTEGER NOT NULL,
            deleted    INTEGER                       -- Unix seconds, NULL while the entry is live
        );
        CREATE INDEX entries_by_day ON entries (day, habit);
        """
    )
    for position, spec in enumerate(HABITS):
        db.execute("INSERT INTO habits (key, enabled, position) VALUES (?, 1, ?)",
                   (spec.key, position))
        if spec.default_target is not None:
            db.execute(
                "INSERT INTO targets (habit, effective_from, value, value_max) VALUES (?,?,?,?)",
                (spec.key, DEFAULT_TARGET_FROM, spec.default_target, spec.default_target_max),
            )


def _migration_2(db: sqlite3.Connection) -> None:
    """The twitch diary, symptom checks, reminder outcomes and days off (sick, vacation)."""
    _run_script(
        db,
        """
        CREATE TABLE twitches (
            id         INTEGER PRIMARY KEY,
            ts         INTEGER NOT NULL,             -- Unix seconds (UTC)
            utc_offset INTEGER NOT NULL,
            day        TEXT NOT NULL,                -- Quell day, YYYY-MM-DD
            area       TEXT NOT NULL,                -- eyelid, face, ... (CONTRACTS.md)
            side       TEXT NOT NULL DEFAULT '',     -- '', left, right, both
            intensity  INTEGER NOT NULL CHECK (intensity BETWEEN 1 AND 5),
            note       TEXT NOT NULL DEFAULT '',
            source     TEXT NOT NULL,
            created    INTEGER NOT NULL,
            deleted    INTEGER
        );
        CREATE INDEX twitches_by_day ON twitches (day);
        CREATE TABLE symptom_checks (
            id          INTEGER PRIMARY KEY,
            ts          INTEGER NOT NULL,
            utc_offset  INTEGER NOT NULL,
            answers     TEXT NOT NULL,               -- JSON object, every key present
            level       TEXT NOT NULL,
            reasons     TEXT NOT NULL,               -- JSON list of rule ids, most urgent first
            app_version TEXT NOT NULL
        );
        CREATE TABLE reminder_events (
            id         INTEGER PRIMARY KEY,
            reminder   TEXT NOT NULL,                -- water, stretch, breathe, ...
            due        INTEGER NOT NULL,             -- Unix seconds (UTC)
            shown      INTEGER,                      -- Unix seconds, NULL if never shown
            utc_offset INTEGER NOT NULL,
            outcome    TEXT NOT NULL,                -- done, snoozed, skipped, missed, suppressed
            reason     TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX reminder_events_by_due ON reminder_events (due);
        CREATE TABLE days_off (
            day    TEXT PRIMARY KEY,                 -- Quell day: sick or on vacation
            reason TEXT NOT NULL DEFAULT ''
        )
        """,
    )


def _migration_3(db: sqlite3.Connection, day_start_hour: int) -> None:
    """Requests already carried out (a retried command cannot write twice), symptom checks
    filed by Quell day like everything else, and a changed check linked to the one it revises."""
    _run_script(
        db,
        """
        CREATE TABLE handled_requests (
            id      TEXT PRIMARY KEY,                -- the client's request id (random)
            op      TEXT NOT NULL,
            output  TEXT NOT NULL,                   -- the line the command printed
            handled INTEGER NOT NULL                 -- Unix seconds, old rows are purged
        );
        ALTER TABLE symptom_checks ADD COLUMN day TEXT NOT NULL DEFAULT '';
        ALTER TABLE symptom_checks ADD COLUMN revises INTEGER REFERENCES symptom_checks(id);
        CREATE INDEX symptom_checks_by_day ON symptom_checks (day)
        """,
    )
    # The same rule as core.days.day_of: the local date of (local time minus the day start).
    db.execute("UPDATE symptom_checks SET day = date(ts + utc_offset - ?, 'unixepoch')",
               (day_start_hour * 3600,))


Migration = Callable[[sqlite3.Connection, int], None]


def _no_options(migration: Callable[[sqlite3.Connection], None]) -> Migration:
    return lambda db, _day_start_hour: migration(db)


# Index i holds the migration to user_version i + 1. Append only; never edit a shipped one.
# Each takes the connection and the user's day-start hour (for backfilling Quell days).
MIGRATIONS: tuple[Migration, ...] = (_no_options(_migration_1), _no_options(_migration_2),
                                     _migration_3)
SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: Path) -> sqlite3.Connection:
    """A connection with Quell's pragmas; transactions are explicit (see :func:`transaction`)."""
    db = sqlite3.connect(path, isolation_level=None, timeout=5.0)
    db.row_factory = sqlite3.Row
    try:
        db.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit survives power loss too; our writes are tiny, so it costs nothing felt.
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
    except BaseException:
        db.close()
        raise
    return db


@contextlib.contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception.

    Nested inside another transaction it is a savepoint: its work commits with the outer one
    (so a command and the record that it was handled are one atomic write).
    """
    if db.in_transaction:
        db.execute("SAVEPOINT nested")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK TO nested")
            db.execute("RELEASE nested")
            raise
        db.execute("RELEASE nested")
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def open_database(data_dir: Path, today: date, day_start_hour: int = 4) -> OpenedDatabase:
    """Open (creating, migrating, checking and backing up) the database in *data_dir*.

    Raises StorageError with a message for the user when the folder cannot be written, the
    database is locked by another program, or it comes from a newer Quell.
    """
    try:
        ensure_private_dir(data_dir)
        ensure_private_dir(data_dir / "backups")
    except OSError as error:
        raise StorageError(
            f"Quell cannot write to its data folder {data_dir}: "
            f"{error.strerror or error}. Check the folder's permissions and free space."
        ) from None
    path = data_dir / "quell.db"
    notices: list[str] = []
    try:
        db = _open_checked(path)
    except sqlite3.DatabaseError as error:
        if _is_locked(error):
            raise _locked_error(path) from None
        db = _recover(path, error, notices)
    try:
        _migrate(db, path, day_start_hour)
        backup_daily(db, data_dir / "backups", today)
    except sqlite3.OperationalError as error:
        db.close()
        if _is_locked(error):
            raise _locked_error(path) from None
        raise StorageError(f"Quell cannot update its database {path}: {error}.") from None
    return OpenedDatabase(db, path, notices)


def _open_checked(path: Path) -> sqlite3.Connection:
    existed = path.exists()
    db = connect(path)
    try:
        if not existed and os.name == "posix":
            os.chmod(path, 0o600)
        result = db.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise sqlite3.DatabaseError(f"integrity check failed: {result}")
    except BaseException:
        db.close()
        raise
    return db


def _is_locked(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _locked_error(path: Path) -> StorageError:
    return StorageError(
        f"Quell's database {path} is locked by another program. Close other copies of Quell "
        "(or the program holding the file) and try again."
    )


def _recover(path: Path, error: sqlite3.DatabaseError, notices: list[str]) -> sqlite3.Connection:
    """Move a damaged database aside and restore the newest good backup (or start afresh)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.replace(Path(f"{aside}{suffix}"))
    log.error("database %s is damaged (%s); moved to %s", path, error, aside)
    for backup in sorted((path.parent / "backups").glob("quell-*.db"),
                         key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            _copy_database(backup, path)
            db = _open_checked(path)
        except sqlite3.DatabaseError as backup_error:
            log.warning("backup %s unusable: %s", backup, backup_error)
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    Path(f"{path}{suffix}").unlink()
            continue
        when = datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        notices.append(
            f"Quell's database was damaged and has been restored from the backup of {when}. "
            f"Entries made after that are not in it; the damaged file was kept as {aside}."
        )
        log.warning("restored %s from %s", path, backup)
        return db
    notices.append(
        "Quell's database was damaged and no usable backup was found, so Quell started a new "
        f"one. The damaged file was kept as {aside}."
    )
    return _open_checked(path)


def _copy_database(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    if os.name == "posix":
        os.chmod(target, 0o600)


def _migrate(db: sqlite3.Connection, path: Path, day_start_hour: int = 4) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        db.close()
        raise StorageError(
            f"Quell's database {path} was written by a newer version of Quell "
            f"(schema {version}, this one knows {SCHEMA_VERSION}). Please update Quell."
        )
    if version == SCHEMA_VERSION:
        return
    if version > 0:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup_to(db, path.parent / "backups" / f"before-v{SCHEMA_VERSION}-{stamp}.db")
    for target_version in range(version + 1, SCHEMA_VERSION + 1):
        with transaction(db):
            MIGRATIONS[target_version - 1](db, day_start_hour)
            db.execute(f"PRAGMA user_version = {target_version}")
        log.info("database migrated to schema %d", target_version)


def backup_to(db: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of the live database (WAL included) at *target*, mode 0600."""
    tmp = target.with_name(target.name + ".tmp")
    dst = sqlite3.connect(tmp)
    try:
        db.backup(dst)
    finally:
        dst.close()
    if os.name == "posix":
        os.chmod(tmp, 0o600)
    os.replace(tmp, target)


def backup_daily(db: sqlite3.Connection, backups: Path, today: date) -> Path | None:
    """Make today's backup if there is none yet, and keep only the newest few daily ones."""
    target = backups / f"quell-{today.isoformat()}.db"
    made = None
    if not target.exists():
        backup_to(db, target)
        made = target
        log.info("daily backup written to %s", target)
    daily = sorted(backups.glob("quell-*.db"), reverse=True)
    for old in daily[BACKUPS_KEPT:]:
        old.unlink()
    return made
