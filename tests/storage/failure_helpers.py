"""Shared tools for the damaged-storage attacks: a real CLI in a subprocess, as an ordinary user.

The suite runs as root in CI, and root ignores file permissions; a permissions attack is only
real when the command runs as someone else, so these helpers run it as ``nobody`` when root.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from quell.storage.database import backup_daily, open_database, transaction

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "desktop"  # the source folder that holds the quell package
NOBODY = 65534
SEED_DAY = date(2026, 3, 10)

# The real entry point, as `quell` runs it; Python warnings are errors (none may reach a user).
CLI = ("import sys; sys.path.insert(0, {src!r}); {prelude}\n"
       "from quell.app.main import main; sys.exit(main(sys.argv[1:]))")

# A full disk, reliably: every SQLite connection may not grow the database past LIMIT pages.
FULL_DISK = """
import sqlite3
_connect = sqlite3.connect
def _limited(*args, **kwargs):
    db = _connect(*args, **kwargs)
    db.execute("PRAGMA max_page_count = {limit}")
    return db
sqlite3.connect = _limited
"""


@dataclass
class Result:
    code: int
    out: str
    err: str


# util-linux's setpriv (in every Debian); Popen(user=...) cannot exec a venv under /root here.
AS_NOBODY = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def dropping_privileges() -> bool:
    """True when the commands run as ``nobody`` (we are root), so permissions are real."""
    return os.name == "posix" and os.geteuid() == 0


def permissions_are_real() -> bool:
    """Whether a permissions attack can be run: not root, or root able to become nobody."""
    return os.name == "posix" and (os.geteuid() != 0 or shutil.which("setpriv") is not None)


def make_home() -> Path:
    """A QUELL_HOME an unprivileged user can reach (pytest's tmp folders are root's alone)."""
    home = Path(tempfile.mkdtemp(prefix="quell-attack-"))
    home.chmod(0o755)
    return home


def home_folder() -> Iterator[Path]:
    home = make_home()
    try:
        yield home
    finally:
        for folder, _dirs, _files in os.walk(home):  # chmod 000 folders must not stop cleanup
            os.chmod(folder, 0o700)
        shutil.rmtree(home, ignore_errors=True)


def give_to_user(home: Path) -> None:
    """Hand *home* to the user the commands run as (nobody when we are root)."""
    if not dropping_privileges():
        return
    for folder, dirs, files in os.walk(home):
        for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            os.lchown(name, NOBODY, NOBODY)


def quell(home: Path, *args: str, prelude: str = "", env: dict[str, str] | None = None,
          as_user: bool = True, timeout: float = 60) -> Result:
    """Run the real `quell` CLI with *args* against *home*; as nobody when we are root."""
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "QUELL_HOME": str(home),
                   "TZ": os.environ.get("TZ", "Europe/London"), "LANG": "C.UTF-8",
                   "PYTHONDONTWRITEBYTECODE": "1", "HOME": str(home)}
    if env is not None:
        environment.update(env)
        environment = {k: v for k, v in environment.items() if v}
    command = [sys.executable, "-W", "error", "-c", CLI.format(src=str(SRC), prelude=prelude),
               *args]
    if as_user and dropping_privileges():
        command = [*AS_NOBODY, *command]
    done = subprocess.run(command, env=environment, capture_output=True, text=True,
                          timeout=timeout, cwd=str(home))
    return Result(done.returncode, done.stdout, done.stderr)


def one_line_error(result: Result) -> str:
    """The single stderr line of a failed command (exit 1, no traceback)."""
    assert result.code == 1, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert lines[0].startswith("quell: ")
    return lines[0]


def seed(home: Path, rows: int = 5, *, backup: bool = True) -> None:
    """A database with *rows* water entries and (optionally) a backup holding all of them."""
    opened = open_database(home / "data", SEED_DAY)
    db = opened.connection
    with transaction(db):
        for i in range(rows):
            db.execute("INSERT INTO entries (habit, ts, utc_offset, day, amount, source, created)"
                       " VALUES ('water', ?, 0, ?, 250, 'cli', 0)", (1_773_000_000 + i,
                                                                     SEED_DAY.isoformat()))
    if backup:
        backup_daily(db, home / "data" / "backups", SEED_DAY + timedelta(days=1))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def entry_ids(database: Path) -> list[int]:
    # Not mode=ro: a read-only connection leaves -wal and -shm files (root's) behind.
    db = sqlite3.connect(database)
    try:
        return [row[0] for row in db.execute("SELECT id FROM entries ORDER BY id")]
    finally:
        db.close()


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file and folder below *folder*: its mode and (for files) a hash of its bytes."""
    found: dict[str, tuple[int, str]] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if path.is_dir() and not path.is_symlink():
            found[str(path.relative_to(folder))] = (info.st_mode, "folder")
        else:
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except PermissionError:  # not root: a chmod 000 file stays a mystery
                digest = "unreadable"
            found[str(path.relative_to(folder))] = (info.st_mode, digest)
    return found
