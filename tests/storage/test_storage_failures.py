"""Damaged, locked and full storage through the real CLI: the right message, nothing lost.

Each case drives `quell` in a subprocess (as ``nobody`` when the suite runs as root, so file
permissions are real) and checks the exit status, the one line on stderr, which files exist
afterwards and that no entry was lost. Only real damage may move a file aside.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from quell.storage.database import SCHEMA_VERSION
from tests.storage.failure_helpers import (
    FULL_DISK,
    dropping_privileges,
    entry_ids,
    give_to_user,
    home_folder,
    one_line_error,
    permissions_are_real,
    quell,
    seed,
    snapshot,
)

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and signals")

needs_permissions = pytest.mark.skipif(
    not permissions_are_real(), reason="root without setpriv cannot drop its privileges")


@pytest.fixture
def home() -> Iterator[Path]:
    yield from home_folder()


def database(home: Path) -> Path:
    return home / "data" / "quell.db"


def damaged_copies(home: Path) -> list[Path]:
    return sorted(path for path in (home / "data").glob("quell.db.damaged-*")
                  if not path.name.endswith(("-wal", "-shm")))


# -- real damage: kept aside, the newest good backup restored, and said so ------------------

def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _headerless(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:100] = bytes(100)
    path.write_bytes(bytes(data))


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database" * 300)


@pytest.mark.parametrize("damage", [_empty, _headerless, _truncated, _garbage],
                         ids=["empty", "headerless", "truncated", "garbage"])
def test_damage_restores_the_newest_backup_and_says_so(home: Path,
                                                     damage: Callable[[Path], None]) -> None:
    seed(home, rows=300)  # several pages, so half a file is really missing rows
    before = entry_ids(database(home))
    damage(database(home))
    broken = database(home).read_bytes()
    give_to_user(home)

    result = quell(home, "today", "--json")

    assert result.code == 0, result
    notice = result.err.strip().splitlines()
    assert len(notice) == 1 and "restored from the backup" in notice[0], result.err
    json.loads(result.out)
    assert entry_ids(database(home)) == before  # the backup held every entry
    [aside] = damaged_copies(home)
    assert aside.read_bytes() == broken  # the damaged file is kept, byte for byte
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert stat.S_IMODE(database(home).stat().st_mode) == 0o600
    # and the next run is calm: no second copy aside, no notice
    again = quell(home, "today", "--json")
    assert (again.code, again.err) == (0, "")
    assert len(damaged_copies(home)) == 1


def test_an_empty_database_without_backups_starts_afresh_and_says_so(home: Path) -> None:
    (home / "data").mkdir(mode=0o700)
    database(home).write_bytes(b"")
    give_to_user(home)
    result = quell(home, "today")
    assert result.code == 0, result
    assert "no usable backup" in result.err
    assert len(damaged_copies(home)) == 1
    assert entry_ids(database(home)) == []


# -- not damage: a clear line, exit 1, every file left as it is -----------------------------

def test_a_database_that_is_a_folder_is_reported_not_repaired(home: Path) -> None:
    seed(home)
    database(home).unlink()
    database(home).mkdir()
    (database(home) / "something").write_text("the user's")
    give_to_user(home)
    before = snapshot(home / "data")
    line = one_line_error(quell(home, "log", "water"))
    assert "is a folder, not a file" in line and "backups" in line
    assert snapshot(home / "data") == before
    assert not damaged_copies(home)


@needs_permissions
def test_an_unreadable_database_is_reported_not_repaired(home: Path) -> None:
    seed(home)
    before_ids = entry_ids(database(home))
    give_to_user(home)
    database(home).chmod(0o000)
    before = snapshot(home / "data")

    line = one_line_error(quell(home, "log", "water"))

    assert "cannot open its database" in line and "permission denied" in line
    assert snapshot(home / "data") == before  # nothing moved, nothing restored
    assert not damaged_copies(home)
    database(home).chmod(0o600)
    assert entry_ids(database(home)) == before_ids


@needs_permissions
def test_a_read_only_database_is_reported_and_not_written(home: Path) -> None:
    seed(home)
    before_ids = entry_ids(database(home))
    give_to_user(home)
    database(home).chmod(0o400)
    before = snapshot(home / "data")
    for command in (["log", "water"], ["today"]):
        line = one_line_error(quell(home, *command))
        assert "is read-only" in line and "chmod u+w" in line
    assert snapshot(home / "data") == before
    assert entry_ids(database(home)) == before_ids


@needs_permissions
def test_a_read_only_data_folder_is_reported_not_made_writable(home: Path) -> None:
    seed(home)
    give_to_user(home)
    (home / "data").chmod(0o500)
    before = snapshot(home / "data")
    line = one_line_error(quell(home, "log", "water"))
    assert "cannot write to its data folder" in line and "read-only" in line
    assert stat.S_IMODE((home / "data").stat().st_mode) == 0o500  # not "repaired" to 0700
    assert snapshot(home / "data") == before


@needs_permissions
def test_a_read_only_backups_folder_costs_the_backup_not_the_data(home: Path) -> None:
    seed(home, rows=3)
    give_to_user(home)
    (home / "data" / "backups").chmod(0o500)
    result = quell(home, "log", "water")
    assert result.code == 0, result
    assert "could not write today's backup" in result.err
    assert len(entry_ids(database(home))) == 4


@pytest.mark.slow
def test_a_lock_held_by_another_program_is_reported_and_nothing_written(home: Path) -> None:
    seed(home, rows=3)
    give_to_user(home)
    holder = sqlite3.connect(database(home), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        line = one_line_error(quell(home, "log", "water", "--note", "while locked"))
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked by another program" in line and "try again" in line
    assert 4 < waited < 30  # the command line may wait for the lock a few seconds
    assert len(entry_ids(database(home))) == 3
    assert not damaged_copies(home)


def _fill_until_full(path: Path) -> int:
    """Fill the database's last pages, so the next entry needs a new page; its page count."""
    db = sqlite3.connect(path, isolation_level=None)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    try:
        for i in range(10_000):
            db.execute("INSERT INTO entries (habit, ts, utc_offset, day, amount, source, "
                       "created) VALUES ('water', ?, 0, '2026-03-10', 250, 'cli', 0)", (i,))
    except sqlite3.OperationalError as error:
        assert "full" in str(error)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return int(pages)


def test_a_full_disk_is_reported_and_nothing_half_written(home: Path) -> None:
    seed(home)
    pages = _fill_until_full(database(home))
    before = entry_ids(database(home))
    give_to_user(home)
    line = one_line_error(quell(home, "log", "water", prelude=FULL_DISK.format(limit=pages)))
    assert "is full" in line and "Free some space" in line
    assert entry_ids(database(home)) == before
    db = sqlite3.connect(database(home))
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    assert not damaged_copies(home)


def test_a_full_disk_on_the_first_start_leaves_nothing_behind(home: Path) -> None:
    give_to_user(home)
    for _run in range(3):
        line = one_line_error(quell(home, "today", prelude=FULL_DISK.format(limit=2)))
        assert "is full" in line
        # no half-made database, so no "damaged" copy moved aside on the next run
        assert sorted(p.name for p in (home / "data").iterdir()) == ["backups"]
    result = quell(home, "log", "water")  # space again: a normal first start
    assert (result.code, "damaged" in result.err) == (0, False), result
    assert len(entry_ids(database(home))) == 1


@pytest.mark.slow
def test_a_kill_during_the_first_start_never_leaves_a_readable_or_half_database(
        home: Path) -> None:
    """kill -9 at random moments of a first start: a database exists complete, 0600, or not
    at all (and the next start never finds a "damaged" one to move aside)."""
    import random
    import signal
    import subprocess
    import sys

    from tests.storage.failure_helpers import CLI, ROOT

    rng = random.Random(11)
    env = {"PATH": os.environ.get("PATH", ""), "QUELL_HOME": str(home), "LANG": "C.UTF-8",
           "PYTHONDONTWRITEBYTECODE": "1"}
    # The child says "go" once Python is up, so the kills spread over the first start itself
    # however slow the machine is today.
    prelude = "import os; os.umask(0o022); print('go', flush=True)"

    def start() -> subprocess.Popen[str]:
        data = home / "data"
        if data.exists():
            for path in sorted(data.rglob("*"), reverse=True):
                path.rmdir() if path.is_dir() else path.unlink()
            data.rmdir()
        proc = subprocess.Popen(
            [sys.executable, "-c", CLI.format(src=str(ROOT / "desktop"), prelude=prelude), "today"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "go"
        return proc

    began = time.monotonic()
    proc = start()
    proc.communicate()
    window = (time.monotonic() - began) * 1.2  # an upper bound for "go" to the end
    seen_database = 0
    for _round in range(25):
        proc = start()
        time.sleep(rng.uniform(0.0, window))
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        if not database(home).exists():
            continue
        seen_database += 1
        assert stat.S_IMODE(database(home).stat().st_mode) == 0o600
        db = sqlite3.connect(database(home))  # not mode=ro: a killed WAL needs recovery
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        db.close()
        for path in (home / "data").rglob("*"):
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
    assert quell(home, "today", as_user=False).err == ""
    assert seen_database  # some kills came after the database was made


# -- the settings file --------------------------------------------------------------------

def _settings(home: Path) -> Path:
    return home / "config" / "settings.json"


@pytest.mark.parametrize(("content", "reason"), [
    (b"{not json", "not valid JSON"),
    (b'{"water_unit": "ml", "locale": "\xff\xfe"}', "not UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    (b'["a list"]', "not a JSON object"),
    (None, "a folder"),
], ids=["invalid-json", "not-utf8", "deeply-nested", "not-an-object", "folder"])
def test_unreadable_settings_are_kept_aside_and_defaults_used(home: Path, content: bytes | None,
                                                              reason: str) -> None:
    seed(home, rows=2)
    _settings(home).parent.mkdir(mode=0o700)
    if content is None:
        _settings(home).mkdir()
    else:
        _settings(home).write_bytes(content)
    give_to_user(home)
    result = quell(home, "log", "water")
    assert result.code == 0, result
    notice = [line for line in result.err.splitlines() if "settings" in line]
    assert len(notice) == 1 and reason in notice[0] and "settings.json.broken" in notice[0]
    aside = home / "config" / "settings.json.broken"
    assert aside.is_dir() if content is None else aside.read_bytes() == content
    assert len(entry_ids(database(home))) == 3
    assert quell(home, "today").err == ""  # calm afterwards


@needs_permissions
def test_settings_the_user_may_not_read_are_reported_and_left_alone(home: Path) -> None:
    seed(home, rows=2)
    _settings(home).parent.mkdir(mode=0o700)
    _settings(home).write_text('{"water_unit": "fl_oz"}')
    give_to_user(home)
    _settings(home).chmod(0o000)
    before = snapshot(home / "config")
    line = one_line_error(quell(home, "log", "water"))
    assert "may not read its settings file" in line and "chmod u+rw" in line
    assert snapshot(home / "config") == before
    assert len(entry_ids(database(home))) == 2


@needs_permissions
def test_settings_that_cannot_be_saved_are_a_clear_error(home: Path) -> None:
    seed(home, rows=1)
    (home / "config").mkdir(mode=0o700)
    give_to_user(home)
    (home / "config").chmod(0o500)
    line = one_line_error(quell(home, "pause", "1h"))
    assert "could not save its settings" in line
    assert not list((home / "config").iterdir())


# -- the runtime folder -------------------------------------------------------------------

def test_a_hijacked_runtime_folder_is_never_used_and_commands_still_work(home: Path) -> None:
    """Without XDG_RUNTIME_DIR another user can pre-create the fallback folder: the CLI
    neither warns nor dies, never talks to a socket planted there, and writes directly."""
    tmp = home / "tmp"
    tmp.mkdir()
    tmp.chmod(0o1777)
    give_to_user(home)
    uid = 65534 if dropping_privileges() else os.geteuid()
    planted = []
    for name in (f"quell-{uid}", f"runtime-{uid}"):  # ours, and platformdirs' old fallback
        folder = tmp / name
        if dropping_privileges():
            folder.mkdir(mode=0o700)  # root's: "another user" for nobody
        else:
            (tmp / f"{name}-target").mkdir(mode=0o700)
            folder.symlink_to(tmp / f"{name}-target")
            folder = tmp / f"{name}-target"
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(folder / "quell.sock"))
        os.chmod(folder / "quell.sock", 0o777)
        if dropping_privileges():
            os.chmod(folder, 0o755)
        listener.listen(5)
        listener.setblocking(False)
        planted.append(listener)
    env = {"QUELL_HOME": "", "XDG_RUNTIME_DIR": "", "TMPDIR": str(tmp),
           "XDG_DATA_HOME": str(home / "share"), "XDG_CONFIG_HOME": str(home / "conf"),
           "XDG_STATE_HOME": str(home / "state"), "XDG_CACHE_HOME": str(home / "cache")}
    try:
        result = quell(home, "log", "water", env=env)
        assert (result.code, result.err) == (0, ""), result  # no warning, no traceback
        assert "250" in result.out
        for listener in planted:
            with pytest.raises(BlockingIOError):
                listener.accept()  # nobody knocked
    finally:
        for listener in planted:
            listener.close()


REAL_FULL_DISK = r"""
import json, os, subprocess, sys
home, root = sys.argv[1], sys.argv[2]
env = {"PATH": os.environ["PATH"], "QUELL_HOME": home, "LANG": "C.UTF-8",
       "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": root}
def mount(size):
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", home],
                   check=True)
def quell(*args):
    done = subprocess.run([sys.executable, "-W", "error", "-m", "quell", *args], env=env,
                          capture_output=True, text=True, cwd=root)
    return {"code": done.returncode, "err": done.stderr,
            "files": sorted(os.listdir(os.path.join(home, "data")))
                     if os.path.isdir(os.path.join(home, "data")) else []}
report = {}
mount("96k")  # too small for a first start
report["first"] = [quell("today") for _ in range(2)]
subprocess.run(["umount", home], check=True)
mount("1m")
report["normal"] = quell("log", "water")
free = os.statvfs(home).f_bavail * os.statvfs(home).f_frsize
with open(os.path.join(home, "filler"), "wb") as filler:
    try:
        filler.write(b"\0" * free)
    except OSError:
        pass
report["full"] = [quell("log", "water") for _ in range(2)]
os.unlink(os.path.join(home, "filler"))
report["after"] = quell("log", "water")
import sqlite3
db = sqlite3.connect(os.path.join(home, "data", "quell.db"))
report["entries"] = db.execute("SELECT count(*) FROM entries").fetchone()[0]
report["integrity"] = db.execute("PRAGMA integrity_check").fetchone()[0]
db.close()
print(json.dumps(report))
"""


def _mount_namespace_works() -> bool:
    import shutil
    import subprocess

    if os.name != "posix" or os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs "
                            "/mnt && umount /mnt"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not _mount_namespace_works(), reason="needs root and a mount namespace")
def test_a_really_full_disk(home: Path) -> None:
    """A small tmpfs in a private mount namespace: SQLite sees ENOSPC (mostly as an I/O
    error while growing the -shm file) and the user still hears "full", nothing lost."""
    import subprocess
    import sys

    from tests.storage.failure_helpers import ROOT

    script = home.parent / f"{home.name}-full.py"
    script.write_text(REAL_FULL_DISK)
    try:
        done = subprocess.run(["unshare", "-m", sys.executable, str(script), str(home),
                               str(ROOT)], capture_output=True, text=True, timeout=120)
    finally:
        script.unlink()
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    for first in report["first"]:
        assert first["code"] == 1 and "is full" in first["err"], first
        assert len(first["err"].strip().splitlines()) == 1
        assert not [name for name in first["files"] if "damaged" in name], first
    assert report["normal"]["code"] == 0, report["normal"]
    for full in report["full"]:
        assert full["code"] == 1 and "is full" in full["err"], full
        assert len(full["err"].strip().splitlines()) == 1, full
    assert report["after"]["code"] == 0, report["after"]
    assert (report["entries"], report["integrity"]) == (2, "ok")
