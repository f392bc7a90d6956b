"""Opening the database: schema, permissions, backups, and recovery from damage."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from quell.storage import database
from quell.storage.database import (
    BACKUPS_KEPT,
    GUI_BUSY_TIMEOUT,
    SCHEMA_VERSION,
    DatabaseLocked,
    DiskFull,
    StorageError,
    backup_daily,
    open_database,
    transaction,
)
from tests.storage.failure_helpers import (
    give_to_user,
    home_folder,
    one_line_error,
    permissions_are_real,
    quell,
)

TODAY = date(2026, 3, 10)


def entry_count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM entries").fetchone()[0])


def add_rows(db: sqlite3.Connection, n: int) -> None:
    with database.transaction(db):
        for i in range(n):
            db.execute("INSERT INTO entries (habit, ts, utc_offset, day, amount, source, created)"
                       " VALUES ('water', ?, 0, '2026-03-10', 250, 'cli', 0)", (i,))


def test_new_database_has_schema_and_safe_settings(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "data", TODAY)
    db = opened.connection
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    keys = [r[0] for r in db.execute("SELECT key FROM habits ORDER BY position")]
    assert keys[:4] == ["water", "caffeine", "sleep", "stretching"]
    assert opened.notices == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_files_are_private(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "data", TODAY)
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE(opened.path.stat().st_mode) == 0o600
    backup = tmp_path / "data" / "backups" / f"quell-{TODAY}.db"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_reopening_keeps_data_and_migrates_nothing(tmp_path: Path) -> None:
    first = open_database(tmp_path, TODAY)
    add_rows(first.connection, 3)
    first.connection.close()
    second = open_database(tmp_path, TODAY)
    assert entry_count(second.connection) == 3


def test_daily_backup_once_a_day_keeping_seven(tmp_path: Path) -> None:
    opened = open_database(tmp_path, TODAY)
    backups = tmp_path / "backups"
    assert backup_daily(opened.connection, backups, TODAY) is None  # already made at open
    for offset in range(1, 10):
        assert backup_daily(opened.connection, backups, TODAY + timedelta(days=offset))
    names = sorted(p.name for p in backups.glob("quell-*.db"))
    assert len(names) == BACKUPS_KEPT
    assert names[-1] == f"quell-{TODAY + timedelta(days=9)}.db"


def test_backup_is_a_consistent_copy_including_wal(tmp_path: Path) -> None:
    opened = open_database(tmp_path, TODAY)
    add_rows(opened.connection, 5)  # still in the WAL, not yet in the main file
    made = backup_daily(opened.connection, tmp_path / "backups", TODAY + timedelta(days=1))
    assert made is not None
    copy = sqlite3.connect(made)
    assert entry_count(copy) == 5
    copy.close()


def test_a_damaged_database_is_moved_aside_and_the_backup_restored(tmp_path: Path) -> None:
    opened = open_database(tmp_path, TODAY)
    add_rows(opened.connection, 4)
    backup_daily(opened.connection, tmp_path / "backups", TODAY + timedelta(days=1))
    opened.connection.close()
    (tmp_path / "quell.db").write_bytes(b"this is not a database" * 100)

    reopened = open_database(tmp_path, TODAY + timedelta(days=1))
    assert entry_count(reopened.connection) == 4
    assert len(reopened.notices) == 1
    assert "restored from the backup" in reopened.notices[0]
    assert list(tmp_path.glob("quell.db.damaged-*"))


def test_a_damaged_database_without_backup_starts_afresh(tmp_path: Path) -> None:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "quell.db").write_bytes(b"garbage" * 1000)
    opened = open_database(tmp_path, TODAY)
    assert entry_count(opened.connection) == 0
    assert "no usable backup" in opened.notices[0]
    # and the next start is calm: no crash loop, no new notice
    opened.connection.close()
    assert open_database(tmp_path, TODAY).notices == []


def test_a_truncated_database_is_detected(tmp_path: Path) -> None:
    opened = open_database(tmp_path, TODAY)
    add_rows(opened.connection, 2000)
    opened.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backup_daily(opened.connection, tmp_path / "backups", TODAY + timedelta(days=1))
    opened.connection.close()
    path = tmp_path / "quell.db"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + b"\x00" * 4096 + data[len(data) // 2 + 4096:])
    reopened = open_database(tmp_path, TODAY + timedelta(days=1))
    assert reopened.notices
    assert entry_count(reopened.connection) == 2000


def test_a_newer_schema_is_refused_with_advice(tmp_path: Path) -> None:
    opened = open_database(tmp_path, TODAY)
    opened.connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    opened.connection.close()
    with pytest.raises(StorageError, match="newer version of Quell"):
        open_database(tmp_path, TODAY)


@pytest.mark.skipif(not permissions_are_real(), reason="root cannot drop its privileges")
def test_an_unwritable_folder_is_a_clear_error() -> None:
    for home in home_folder():  # reachable by nobody, who runs the command when we are root
        give_to_user(home)
        home.chmod(0o500)
        line = one_line_error(quell(home, "today"))
        assert "cannot write to its data folder" in line and "Permission denied" in line
        assert list(home.iterdir()) == []


def test_a_data_folder_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="cannot write to its data folder"):
        open_database(blocker, TODAY)


@pytest.mark.slow
def test_a_locked_database_is_a_clear_error(tmp_path: Path) -> None:
    opened = open_database(tmp_path, TODAY)
    opened.connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    opened.connection.close()
    holder = sqlite3.connect(tmp_path / "quell.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        # Opening waits for the lock as long as the command line does (5 s), then says why.
        with pytest.raises(DatabaseLocked, match="locked by another program"):
            open_database(tmp_path, TODAY)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not list(tmp_path.glob("quell.db.damaged-*"))


def test_a_write_under_a_lock_fails_after_the_short_timeout(tmp_path: Path) -> None:
    db = open_database(tmp_path, TODAY, busy_timeout=GUI_BUSY_TIMEOUT).connection
    holder = sqlite3.connect(tmp_path / "quell.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseLocked, match="locked by another program") as raised:
            add_rows(db, 1)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert 0.2 < waited < 2  # not the 5 s that froze the tray on every write
    assert isinstance(raised.value, sqlite3.OperationalError)  # `except sqlite3.Error` works
    assert not db.in_transaction
    add_rows(db, 1)  # the lock is gone: the connection works as before
    assert entry_count(db) == 1


def test_a_full_disk_mid_transaction_keeps_nothing_and_the_connection_works(
        tmp_path: Path) -> None:
    db = open_database(tmp_path, TODAY).connection
    add_rows(db, 3)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFull, match="is full") as raised:
        add_rows(db, 5000)  # some rows fit in the last pages; the rest needs more
    assert isinstance(raised.value, StorageError)
    assert entry_count(db) == 3  # none of the 5000: nothing half-written
    assert not db.in_transaction
    db.execute(f"PRAGMA max_page_count = {pages * 100}")
    add_rows(db, 2)
    assert entry_count(db) == 5


def test_a_full_disk_inside_a_nested_transaction_is_reported_as_such(tmp_path: Path) -> None:
    db = open_database(tmp_path, TODAY).connection
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFull), transaction(db):
        db.execute("INSERT INTO days_off (day) VALUES ('2026-01-01')")
        add_rows(db, 5000)
    assert not db.in_transaction
    assert db.execute("SELECT count(*) FROM days_off").fetchone()[0] == 0


def test_a_bug_is_not_disguised_as_a_storage_problem(tmp_path: Path) -> None:
    db = open_database(tmp_path, TODAY).connection
    with pytest.raises(sqlite3.IntegrityError) as raised, transaction(db):
        db.execute("INSERT INTO days_off (day) VALUES ('2026-01-01')")
        db.execute("INSERT INTO days_off (day) VALUES ('2026-01-01')")
    assert not isinstance(raised.value, StorageError)
    assert db.execute("SELECT count(*) FROM days_off").fetchone()[0] == 0


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_every_file_is_private_from_the_first_byte(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Created 0600 (never made 0644 and then changed): a kill can never leave it readable."""
    chmods: list[str] = []
    monkeypatch.setattr(database.os, "chmod", lambda path, mode: chmods.append(str(path)))
    old_umask = os.umask(0o022)
    try:
        opened = open_database(tmp_path / "data", TODAY)
        backup_daily(opened.connection, tmp_path / "data" / "backups", TODAY + timedelta(1))
    finally:
        os.umask(old_umask)
    assert chmods == []
    files = [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"quell.db", f"quell-{TODAY}.db"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_failure_during_the_first_start_leaves_no_database(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    def dies(db: sqlite3.Connection, _day_start_hour: int) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise KeyboardInterrupt  # as good as a kill for what is left on disk

    monkeypatch.setattr(database, "MIGRATIONS", (*database.MIGRATIONS[:2], dies))
    with pytest.raises(KeyboardInterrupt):
        open_database(tmp_path, TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups"]
    monkeypatch.undo()
    opened = open_database(tmp_path, TODAY)  # the next start: a normal first start
    assert opened.notices == []
    assert opened.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_two_first_starts_at_once_share_one_database(tmp_path: Path) -> None:
    """The second one to finish building must not replace the first one's database."""
    first = open_database(tmp_path, TODAY)
    add_rows(first.connection, 2)
    (tmp_path / "other").mkdir()
    other = open_database(tmp_path / "other", TODAY)
    other.connection.close()
    assert not database._link_into_place(tmp_path / "other" / "quell.db",
                                         tmp_path / "quell.db")
    assert entry_count(first.connection) == 2
    assert entry_count(open_database(tmp_path, TODAY).connection) == 2


def test_a_stale_temp_file_of_a_killed_start_is_removed(tmp_path: Path) -> None:
    open_database(tmp_path, TODAY).connection.close()
    stale = tmp_path / ".quell.db.new-dead.tmp"
    fresh = tmp_path / ".quell.db.new-busy.tmp"
    half_backup = tmp_path / "backups" / "quell-2026-03-11.db.dead.tmp"
    for path in (stale, fresh, half_backup):
        path.write_bytes(b"x")
    now = time.time()
    long_ago = now - database.STALE_TEMP_SECONDS - 5
    # "Fresh" by the clock Quell reads (under faketime the kernel stamps files with the real
    # time, which a night run set in the future makes look hours old).
    os.utime(fresh, (now, now))
    os.utime(stale, (long_ago, long_ago))
    os.utime(half_backup, (long_ago, long_ago))
    open_database(tmp_path, TODAY).connection.close()
    assert not stale.exists() and not half_backup.exists()
    assert fresh.exists()  # maybe another Quell building right now


def test_migration_runs_in_one_transaction_with_a_backup_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened = open_database(tmp_path, TODAY)
    add_rows(opened.connection, 2)
    opened.connection.close()

    def broken_migration(db: sqlite3.Connection, _day_start_hour: int) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(database, "MIGRATIONS", (*database.MIGRATIONS, broken_migration))
    monkeypatch.setattr(database, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StorageError):
        open_database(tmp_path, TODAY)
    db = sqlite3.connect(tmp_path / "quell.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert not db.execute("SELECT name FROM sqlite_master WHERE name='half_done'").fetchall()
    assert entry_count(db) == 2
    db.close()
    assert list((tmp_path / "backups").glob(f"before-v{SCHEMA_VERSION + 1}-*.db"))


def test_a_version_1_database_migrates_keeping_entries(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "MIGRATIONS", database.MIGRATIONS[:1])
    monkeypatch.setattr(database, "SCHEMA_VERSION", 1)
    old = open_database(tmp_path, TODAY)
    add_rows(old.connection, 3)
    old.connection.close()
    monkeypatch.undo()
    new = open_database(tmp_path, TODAY)
    assert new.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert entry_count(new.connection) == 3
    assert new.connection.execute("SELECT count(*) FROM twitches").fetchone()[0] == 0
    assert list((tmp_path / "backups").glob(f"before-v{SCHEMA_VERSION}-*.db"))


def test_version_2_checks_are_filed_by_quell_day_when_migrating(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "MIGRATIONS", database.MIGRATIONS[:2])
    monkeypatch.setattr(database, "SCHEMA_VERSION", 2)
    old = open_database(tmp_path, TODAY)
    # 01:30 local (UTC+2) on 2026-03-10 belongs to Quell day 2026-03-09 with a 04:00 day start,
    # to 2026-03-10 with a 01:00 one.
    ts = int(datetime(2026, 3, 9, 23, 30, tzinfo=timezone.utc).timestamp())
    for _ in range(2):
        old.connection.execute(
            "INSERT INTO symptom_checks (ts, utc_offset, answers, level, reasons, app_version)"
            " VALUES (?, 7200, '{}', 'self_care', '[]', '0.1')", (ts,))
    old.connection.close()
    monkeypatch.undo()
    new = open_database(tmp_path, TODAY, day_start_hour=4)
    days = [row[0] for row in new.connection.execute("SELECT day FROM symptom_checks")]
    assert days == ["2026-03-09", "2026-03-09"]
    assert new.connection.execute(
        "SELECT count(*) FROM symptom_checks WHERE revises IS NOT NULL").fetchone()[0] == 0


def test_a_nested_transaction_commits_with_the_outer_one(tmp_path: Path) -> None:
    db = open_database(tmp_path, TODAY).connection
    with pytest.raises(RuntimeError), transaction(db):
        db.execute("INSERT INTO days_off (day) VALUES ('2026-01-01')")
        with transaction(db):
            db.execute("INSERT INTO days_off (day) VALUES ('2026-01-02')")
        raise RuntimeError("outer fails")
    assert db.execute("SELECT count(*) FROM days_off").fetchone()[0] == 0
    with transaction(db):
        db.execute("INSERT INTO days_off (day) VALUES ('2026-01-01')")
        with pytest.raises(RuntimeError), transaction(db):
            db.execute("INSERT INTO days_off (day) VALUES ('2026-01-02')")
            raise RuntimeError("inner fails")
    assert [r[0] for r in db.execute("SELECT day FROM days_off")] == ["2026-01-01"]


def test_a_version_3_database_gains_habit_definitions_keeping_its_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "MIGRATIONS", database.MIGRATIONS[:3])
    monkeypatch.setattr(database, "SCHEMA_VERSION", 3)
    old = open_database(tmp_path, TODAY)
    add_rows(old.connection, 3)
    old.connection.execute("UPDATE habits SET enabled = 0 WHERE key = 'nicotine'")
    old.connection.execute("UPDATE targets SET value = 2500 WHERE habit = 'water'")
    with pytest.raises(sqlite3.OperationalError):
        old.connection.execute("SELECT archived FROM habits")
    old.connection.close()
    monkeypatch.undo()
    new = open_database(tmp_path, TODAY).connection
    assert new.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert entry_count(new) == 3
    rows = {r["key"]: r for r in new.execute("SELECT * FROM habits")}
    assert rows["nicotine"]["enabled"] == 0 and rows["water"]["enabled"] == 1
    # Built-ins stay rows without a definition of their own, none archived.
    assert {r["name"] for r in rows.values()} == {None}
    assert {(r["archived"], r["quick"]) for r in rows.values()} == {(0, "[]")}
    assert new.execute("SELECT value FROM targets WHERE habit = 'water'").fetchone()[0] == 2500
    assert list((tmp_path / "backups").glob(f"before-v{SCHEMA_VERSION}-*.db"))


def test_a_version_4_database_gains_the_daily_twitch_rating_keeping_its_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "MIGRATIONS", database.MIGRATIONS[:4])
    monkeypatch.setattr(database, "SCHEMA_VERSION", 4)
    old = open_database(tmp_path, TODAY)
    add_rows(old.connection, 3)
    with pytest.raises(sqlite3.OperationalError):
        old.connection.execute("SELECT * FROM twitch_ratings")
    old.connection.close()
    monkeypatch.undo()
    new = open_database(tmp_path, TODAY).connection
    assert new.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    assert entry_count(new) == 3
    assert new.execute("SELECT count(*) FROM twitch_ratings").fetchone()[0] == 0
    # One rating per day, 0 to 4, as the core checks it.
    new.execute("INSERT INTO twitch_ratings (day, rating, updated) VALUES ('2026-03-01', 4, 0)")
    with pytest.raises(sqlite3.IntegrityError):
        new.execute("INSERT INTO twitch_ratings (day, rating, updated)"
                    " VALUES ('2026-03-01', 1, 0)")
    with pytest.raises(sqlite3.IntegrityError):
        new.execute("INSERT INTO twitch_ratings (day, rating, updated)"
                    " VALUES ('2026-03-02', 5, 0)")
    assert list((tmp_path / "backups").glob(f"before-v{SCHEMA_VERSION}-*.db"))
