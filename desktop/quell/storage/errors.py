"""Storage problems the user can act on, each with a message naming the cause and what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from quell.core.i18n import _


class StorageError(Exception):
    """A problem with the user's files that they can act on; the message says what to do."""


# The database errors below are also sqlite3 errors, so code that guards a write with
# ``except sqlite3.Error`` (to say "not saved" in place) keeps working.


class DatabaseLocked(StorageError, sqlite3.OperationalError):
    """Another program holds the database's write lock."""


class DatabaseReadOnly(StorageError, sqlite3.OperationalError):
    """The database file, its folder or its disk cannot be written."""


class DiskFull(StorageError, sqlite3.OperationalError):
    """No space left for the database (or the disk's quota is used up)."""


class DiskProblem(StorageError, sqlite3.OperationalError):
    """The disk reported an input/output error."""


class DatabaseUnreadable(StorageError, sqlite3.OperationalError):
    """The database exists but cannot be opened: permissions, or not a file."""


class DatabaseDamaged(StorageError, sqlite3.DatabaseError):
    """Real corruption found while the app runs; the next start restores a backup."""


class SettingsUnreadable(StorageError):
    """The settings file exists but may not be read (permissions); it is left as it is."""


class RuntimeFolderUnsafe(StorageError):
    """The private runtime folder belongs to someone else or is open to other users."""


# Primary SQLite result codes (https://sqlite.org/rescode.html).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_AUTH = 23
SQLITE_NOTADB = 26
SQLITE_READONLY_DIRECTORY = SQLITE_READONLY | (6 << 8)
SQLITE_IOERR_NOMEM = SQLITE_IOERR | (12 << 8)


def sqlite_code(error: sqlite3.Error) -> int | None:
    """The primary result code of *error*, or None when SQLite did not give one."""
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def is_corruption(error: sqlite3.Error) -> bool:
    """True only for real damage: a malformed file or one that is not a database at all."""
    return sqlite_code(error) in (SQLITE_CORRUPT, SQLITE_NOTADB)


def locked(path: Path) -> DatabaseLocked:
    return DatabaseLocked(_(
        "Quell's database {path} is locked by another program. Close other copies of Quell "
        "(or the program holding the file) and try again.").format(path=path))


def read_only(path: Path, *, folder: bool = False) -> DatabaseReadOnly:
    if folder:
        return DatabaseReadOnly(_(
            "Quell cannot write to its data folder {folder}: it is read-only. Make it "
            "writable (chmod u+w), or mount its disk read-write, then try again; nothing was "
            "changed."
        ).format(folder=path.parent))
    return DatabaseReadOnly(_(
        "Quell's database {path} is read-only, so nothing can be saved. Make it writable "
        "(chmod u+w) and try again; nothing was changed.").format(path=path))


def disk_full(path: Path) -> DiskFull:
    return DiskFull(_(
        "The disk holding Quell's data ({folder}) is full, so nothing was saved. Free some "
        "space and try again; your earlier entries are safe.").format(folder=path.parent))


def disk_problem(path: Path, detail: str) -> DiskProblem:
    return DiskProblem(_(
        "The disk reported an error while Quell used its database {path} ({detail}); nothing "
        "was saved. Check the disk, then try again.").format(path=path, detail=detail))


def unreadable(path: Path, detail: str) -> DatabaseUnreadable:
    return DatabaseUnreadable(_(
        "Quell cannot open its database {path}: {detail}. Check that it is your file and "
        "readable and writable by you (chmod u+rw); Quell left it as it is."
    ).format(path=path, detail=detail))


def damaged(path: Path) -> DatabaseDamaged:
    return DatabaseDamaged(_(
        "Quell's database {path} is damaged; nothing was saved. Quit Quell and start it "
        "again: it keeps the damaged file and restores the newest backup.").format(path=path))


# Less free space than this and an I/O error is taken for a full disk.
NEARLY_FULL_BYTES = 1024 * 1024


def _nearly_full(folder: Path) -> bool:
    import shutil  # only when something went wrong: start-up does not pay for it

    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def classify(error: sqlite3.Error, path: Path) -> StorageError | None:
    """The user's view of an SQLite error on *path*, or None for a bug (a constraint, ...)."""
    if isinstance(error, StorageError):
        return error
    code = sqlite_code(error)
    full_code = getattr(error, "sqlite_errorcode", None)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return locked(path)
    if code == SQLITE_READONLY:
        return read_only(path, folder=full_code == SQLITE_READONLY_DIRECTORY)
    if code == SQLITE_FULL:
        return disk_full(path)
    if code == SQLITE_IOERR and full_code != SQLITE_IOERR_NOMEM:
        # A really full disk mostly reaches SQLite as an I/O error (growing the -shm file in
        # WAL mode fails first), so look at the disk before blaming it.
        return disk_full(path) if _nearly_full(path.parent) else disk_problem(path, str(error))
    if code in (SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH):
        # No room for the -wal or -shm file looks like "unable to open" too.
        return disk_full(path) if _nearly_full(path.parent) else unreadable(path, str(error))
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return damaged(path)
    return None
