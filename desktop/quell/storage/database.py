"""The SQLite database: safe pragmas, versioned migrations, daily backups, corruption recovery."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from quell.core.habits import HABITS
from quell.core.i18n import _
from quell.files import ensure_private_dir
from quell.files import fsync_dir as _fsync_dir
from quell.storage import errors
from quell.storage.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseUnreadable,
    DiskFull,
    DiskProblem,
    StorageError,
)

# The names the rest of Quell uses for a connection and its errors, so that only storage
# imports sqlite3 (tests/core/test_layers.py: ui never does).
Connection = sqlite3.Connection
DatabaseError = sqlite3.Error

# The storage errors live in quell.storage.errors; they are importable from here too.
__all__ = ["BACKUPS_KEPT", "MIGRATIONS", "SCHEMA_VERSION", "Connection", "DatabaseDamaged",
           "DatabaseError", "DatabaseLocked",
           "DatabaseReadOnly", "DatabaseUnreadable", "DiskFull", "DiskProblem",
           "OpenedDatabase", "StorageError", "backup_daily", "backup_to", "connect",
           "open_database", "transaction"]

log = logging.getLogger(__name__)

BACKUPS_KEPT = 7
DEFAULT_TARGET_FROM = "0001-01-01"  # default targets judge every day, however old
# How long a write waits for another program's lock before saying so. The command line can
# wait; the tray app must not freeze its event loop (a notice says what happened instead).
CLI_BUSY_TIMEOUT = 5.0
GUI_BUSY_TIMEOUT = 0.25
# Temp files older than this are leftovers of a killed Quell (a live one finishes in seconds).
STALE_TEMP_SECONDS = 600


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


def _migration_4(db: sqlite3.Connection) -> None:
    """The user's own habits: a habit row carries its definition (NULL for the built-ins, whose
    definitions live in core.habits), and an archived habit keeps its row and its history."""
    _run_script(
        db,
        """
        ALTER TABLE habits ADD COLUMN name TEXT;              -- NULL: a built-in habit
        ALTER TABLE habits ADD COLUMN unit TEXT;              -- a key of core.habits.UNITS
        ALTER TABLE habits ADD COLUMN kind TEXT;              -- amount, count, duration, rating
        ALTER TABLE habits ADD COLUMN direction TEXT;         -- at_least, at_most, range, none
        ALTER TABLE habits ADD COLUMN target REAL;            -- the target it was created with
        ALTER TABLE habits ADD COLUMN target_max REAL;
        ALTER TABLE habits ADD COLUMN quick TEXT NOT NULL DEFAULT '[]';  -- JSON list of amounts
        ALTER TABLE habits ADD COLUMN archived INTEGER NOT NULL DEFAULT 0
            CHECK (archived IN (0, 1))
        """,
    )


def _migration_5(db: sqlite3.Connection) -> None:
    """The daily twitch rating: one row per Quell day (core.ratings)."""
    _run_script(
        db,
        """
        CREATE TABLE twitch_ratings (
            day     TEXT PRIMARY KEY,                -- Quell day, YYYY-MM-DD
            rating  INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 4),
            areas   TEXT NOT NULL DEFAULT '',        -- area keys, comma-separated, head to toe
            updated INTEGER NOT NULL                 -- Unix seconds of the last change
        )
        """,
    )


Migration = Callable[[sqlite3.Connection, int], None]


def _no_options(migration: Callable[[sqlite3.Connection], None]) -> Migration:
    return lambda db, _day_start_hour: migration(db)


# Index i holds the migration to user_version i + 1. Append only; never edit a shipped one.
# Each takes the connection and the user's day-start hour (for backfilling Quell days).
MIGRATIONS: tuple[Migration, ...] = (_no_options(_migration_1), _no_options(_migration_2),
                                     _migration_3, _no_options(_migration_4),
                                     _no_options(_migration_5))
SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: Path, timeout: float = CLI_BUSY_TIMEOUT) -> sqlite3.Connection:
    """A connection with Quell's pragmas; transactions are explicit (see :func:`transaction`)."""
    db = sqlite3.connect(path, isolation_level=None, timeout=timeout)
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

    A lock held by another program, a read-only file, a full disk, an I/O error or damage is
    raised as the matching StorageError (also an sqlite3 error), with nothing of the
    transaction kept; other sqlite3 errors (constraints: bugs) pass through unchanged.
    """
    try:
        with _transaction(db):
            yield db
    except sqlite3.Error as error:
        if isinstance(error, StorageError):
            raise
        problem = errors.classify(error, database_path(db))
        if problem is None:
            raise
        raise problem from error


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    if db.in_transaction:
        db.execute("SAVEPOINT nested")
        try:
            yield db
        except BaseException:
            if db.in_transaction:  # SQLite ends the whole transaction on a full disk
                db.execute("ROLLBACK TO nested")
                db.execute("RELEASE nested")
            raise
        db.execute("RELEASE nested")
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        _rollback(db)
        raise
    try:
        db.execute("COMMIT")
    except BaseException:
        _rollback(db)  # a failed COMMIT (disk full) leaves the transaction open otherwise
        raise


def _rollback(db: sqlite3.Connection) -> None:
    if not db.in_transaction:  # SQLite already rolled back (full disk, I/O error)
        return
    try:
        db.execute("ROLLBACK")
    except sqlite3.Error:
        # The error that got us here is the one to report; this one only goes to the log.
        log.warning("rollback failed", exc_info=True)


def database_path(db: sqlite3.Connection) -> Path:
    """The file behind *db* (for messages)."""
    try:
        row = db.execute("PRAGMA database_list").fetchone()
    except sqlite3.Error:
        row = None
    return Path(row[2]) if row is not None and row[2] else Path("quell.db")


class _FailedCheck(Exception):
    """PRAGMA quick_check found damage."""


def open_database(data_dir: Path, today: date, day_start_hour: int = 4, *,
                  busy_timeout: float = CLI_BUSY_TIMEOUT) -> OpenedDatabase:
    """Open (creating, migrating, checking and backing up) the database in *data_dir*.

    Only real damage (not a database, an empty file where one was, a failed quick_check)
    moves the file aside and restores the newest good backup, with a notice saying so.
    Everything else raises a StorageError naming the cause and leaves every file as it is:
    an unwritable folder, a file without permissions, a read-only file, a full disk, a lock
    held by another program, a database from a newer Quell. A new database is built in a
    private temp file and appears complete or not at all (a kill or a full disk during the
    first start leaves nothing behind). *busy_timeout* is how long a later write waits for a
    lock held by another program.
    """
    _prepare_folders(data_dir)
    path = data_dir / "quell.db"
    notices: list[str] = []
    _remove_stale_temps(data_dir)
    db = _open_or_recover(path, day_start_hour, notices)
    try:
        _migrate(db, path, day_start_hour)
    except BaseException as error:
        db.close()
        if isinstance(error, sqlite3.Error) and not isinstance(error, StorageError):
            raise errors.classify(error, path) or StorageError(_(
                "Quell cannot update its database {path}: {error}.").format(
                    path=path, error=error)) from None
        raise
    try:
        backup_daily(db, data_dir / "backups", today)
    except (OSError, sqlite3.Error) as error:
        # Not a reason to refuse the user's data: say so, and try again tomorrow or next start.
        log.warning("daily backup failed: %s", error)
        notices.append(_(
            "Quell could not write today's backup in {folder} ({reason}). Your entries are "
            "saved; free some space or fix the folder's permissions so backups continue."
        ).format(folder=data_dir / "backups", reason=_reason(error)))
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    return OpenedDatabase(db, path, notices)


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    if isinstance(error, sqlite3.Error) and errors.sqlite_code(error) == errors.SQLITE_FULL:
        return _("the disk is full")
    return str(error)


def _prepare_folders(data_dir: Path) -> None:
    try:
        ensure_private_dir(data_dir)
        ensure_private_dir(data_dir / "backups")
    except OSError as error:
        raise StorageError(_(
            "Quell cannot write to its data folder {folder}: {reason}. Check the folder's "
            "permissions and free space.").format(folder=data_dir,
                                                  reason=error.strerror or error)) from None
    # Only the data folder itself: an unwritable backups folder costs today's backup (a
    # notice), not the user's access to their data.
    if not _may(data_dir, os.W_OK | os.X_OK):
        raise errors.read_only(data_dir / "quell.db", folder=True)


def _may(path: Path, mode: int) -> bool:
    """Whether this process may access *path* so (no file is opened: opening and closing the
    database here would drop another connection's POSIX locks in this process)."""
    return os.access(path, mode, effective_ids=os.access in os.supports_effective_ids)


def _open_or_recover(path: Path, day_start_hour: int, notices: list[str]) -> sqlite3.Connection:
    damage = _inspect(path)
    if damage is _MISSING:
        _create(path, day_start_hour)
    elif damage is not None:
        return _recover(path, damage, notices, day_start_hour)
    try:
        return _open_checked(path)
    except _FailedCheck as failed:
        return _recover(path, str(failed), notices, day_start_hour)
    except sqlite3.Error as error:
        if errors.is_corruption(error):
            return _recover(path, str(error), notices, day_start_hour)
        raise errors.classify(error, path) or StorageError(_(
            "Quell cannot open its database {path}: {error}.").format(
                path=path, error=error)) from None


_MISSING = "missing"


def _inspect(path: Path) -> str | None:
    """_MISSING, a reason the file is damaged, or None when SQLite should open it.

    Raises StorageError for what is not damage: a folder or other non-file in its place,
    no permission to read it, or a read-only file.
    """
    if not os.path.lexists(path):
        return _MISSING
    try:
        info = path.stat()
    except FileNotFoundError:
        raise errors.unreadable(path, _("it is a symbolic link to a missing file")) from None
    except OSError as error:
        raise errors.unreadable(path, error.strerror or str(error)) from None
    if stat.S_ISDIR(info.st_mode):
        raise DatabaseUnreadable(_(
            "Quell's database {path} is a folder, not a file, so Quell cannot open it. Move "
            "that folder elsewhere; to get your entries back, copy the newest file from "
            "{backups} to {path}.").format(path=path, backups=path.parent / "backups"))
    if not stat.S_ISREG(info.st_mode):
        raise errors.unreadable(path, _("it is not a regular file"))
    if not _may(path, os.R_OK):
        raise errors.unreadable(path, _("permission denied"))
    if not _may(path, os.W_OK):
        raise errors.read_only(path)
    if info.st_size == 0:
        # SQLite would take an empty file for a new database and the backups would be ignored;
        # Quell never leaves one (a new database appears complete), so this is damage.
        return "the file is empty"
    return None


def _open_checked(path: Path, timeout: float = CLI_BUSY_TIMEOUT) -> sqlite3.Connection:
    db = connect(path, timeout)
    try:
        result = db.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise _FailedCheck(f"integrity check failed: {result}")
    except BaseException:
        db.close()
        raise
    return db


def _create(path: Path, day_start_hour: int) -> None:
    """Build a new, migrated database in a private temp file and link it into place."""
    tmp = _new_private_file(path.parent, f".{path.name}.new-")
    try:
        _build_new(tmp, path, day_start_hour)
        _link_into_place(tmp, path)
    finally:
        _remove_with_sidecars(tmp)


def _build_new(tmp: Path, path: Path, day_start_hour: int) -> None:
    # A rollback journal, not WAL, while building: each commit is complete in the file itself,
    # so nothing is left behind in a -wal file when the file is renamed.
    db = sqlite3.connect(tmp, isolation_level=None)
    try:
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        _migrate(db, tmp, day_start_hour)
    except sqlite3.Error as error:
        raise errors.classify(error, path) or StorageError(_(
            "Quell cannot create its database {path}: {error}.").format(
                path=path, error=error)) from None
    finally:
        db.close()


def _link_into_place(tmp: Path, path: Path) -> bool:
    """Give *tmp* the name *path* unless something has it already (never replace a file)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False  # another Quell made it a moment ago: use theirs
    except OSError:
        # A file system without hard links: rename (replaces on POSIX, so check first).
        if os.path.lexists(path):
            return False
        os.rename(tmp, path)
    _fsync_dir(path.parent)
    return True


def _new_private_file(folder: Path, prefix: str) -> Path:
    """An empty file only the user may read, created so (mode 0600 from the first byte)."""
    while True:
        candidate = folder / f"{prefix}{os.urandom(4).hex()}.tmp"
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        return candidate


def _remove_with_sidecars(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _remove_stale_temps(data_dir: Path) -> None:
    """Temp files a killed Quell left (a database being built, a backup being written)."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for pattern, folder in ((".quell.db.new-*.tmp", data_dir), ("*.tmp", data_dir / "backups")):
        for leftover in folder.glob(pattern):
            with contextlib.suppress(OSError):
                if leftover.stat().st_mtime < cutoff:
                    _remove_with_sidecars(leftover)


def _recover(path: Path, reason: str, notices: list[str], day_start_hour: int
             ) -> sqlite3.Connection:
    """Keep a damaged database aside and put the newest good backup (or a new one) in place.

    The replacement is ready before anything is moved, so a full disk or a kill on the way
    leaves the damaged file where it was (and no new copy aside on every start).
    """
    log.error("database %s is damaged (%s)", path, reason)
    replacement, backup = _restored_copy(path)
    if replacement is None:
        replacement = _new_private_file(path.parent, f".{path.name}.new-")
        try:
            _build_new(replacement, path, day_start_hour)
        except BaseException:
            _remove_with_sidecars(replacement)
            raise
    try:
        aside = _swap_in(replacement, path)
    finally:
        _remove_with_sidecars(replacement)
    if backup is not None:
        when = datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        notices.append(_(
            "Quell's database was damaged and has been restored from the backup of {when}. "
            "Entries made after that are not in it; the damaged file was kept as {aside}."
        ).format(when=when, aside=aside))
        log.warning("restored %s from %s", path, backup)
    else:
        notices.append(_(
            "Quell's database was damaged and no usable backup was found, so Quell started a "
            "new one. The damaged file was kept as {aside}.").format(aside=aside))
    return _open_checked(path)


def _restored_copy(path: Path) -> tuple[Path | None, Path | None]:
    """A checked copy of the newest good daily backup in a private temp file, and its source."""
    backups = sorted((path.parent / "backups").glob("quell-*.db"),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for backup in backups:
        copy = _new_private_file(path.parent, f".{path.name}.new-")
        try:
            _copy_database(backup, copy)
            _open_checked(copy).close()
        except (sqlite3.Error, _FailedCheck, OSError) as error:
            _remove_with_sidecars(copy)
            problem = errors.classify(error, path) if isinstance(error, sqlite3.Error) else None
            if isinstance(problem, (DiskFull, DiskProblem, DatabaseReadOnly)):
                raise problem from None  # not the backup's fault: stop, change nothing
            log.warning("backup %s unusable: %s", backup, error)
            continue
        return copy, backup
    return None, None


def _swap_in(replacement: Path, path: Path) -> Path:
    """Keep the damaged *path* aside and put *replacement* in its place; return the aside name.

    A kill at any moment leaves a database at *path* (the damaged one, so the next start
    recovers again, or the replacement): never no file, which would start an empty database.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while os.path.lexists(aside):
        number += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    try:
        os.link(path, aside)  # the damaged bytes under a second name; *path* stays
        linked = True
    except OSError:
        linked = False  # no hard links on this file system: move it instead
    # Its -wal and -shm go with it: SQLite must never apply the damaged file's WAL to the copy.
    for suffix in ("-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.replace(Path(f"{aside}{suffix}"))
    if not linked:
        path.replace(aside)
    os.replace(replacement, path)
    _fsync_dir(path.parent)
    for suffix in ("", "-wal", "-shm"):
        kept = Path(f"{aside}{suffix}")
        if os.name == "posix" and kept.exists() and stat.S_IMODE(kept.stat().st_mode) & 0o077:
            os.chmod(kept, 0o600)  # the user's entries: keep them to the user
    log.error("damaged database kept as %s", aside)
    return aside


def _copy_database(source: Path, target: Path) -> None:
    """Copy the database *source* into *target* (an existing private file)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _migrate(db: sqlite3.Connection, path: Path, day_start_hour: int = 4) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        db.close()
        raise StorageError(_(
            "Quell's database {path} was written by a newer version of Quell "
            "(schema {version}, this one knows {known}). Please update Quell.").format(
                path=path, version=version, known=SCHEMA_VERSION))
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
    """A consistent copy of the live database (WAL included) at *target*, mode 0600.

    Written to a private temp file first: *target* is the old copy or the new, never half.
    """
    tmp = _new_private_file(target.parent, f"{target.name}.")
    try:
        dst = sqlite3.connect(tmp)
        try:
            db.backup(dst)
        finally:
            dst.close()
        os.replace(tmp, target)
    except BaseException:
        _remove_with_sidecars(tmp)
        raise


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
