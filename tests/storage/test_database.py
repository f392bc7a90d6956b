"""Opening the database: schema, permissions, backups, and recovery from damage."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from desktop.storage import database
from desktop.storage.database import (
    BACKUPS_KEPT,
    SCHEMA_VERSION,
    StorageError,
    backup_daily,
    open_database,
    transaction,
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


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root ignores permissions")
def test_an_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(StorageError, match="cannot write to its data folder"):
            open_database(tmp_path / "data", TODAY)
    finally:
        tmp_path.chmod(0o700)


def test_a_data_folder_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="cannot write to its data folder"):
        open_database(blocker, TODAY)


def test_a_locked_database_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    opened = open_database(tmp_path, TODAY)
    opened.connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}"
                              if SCHEMA_VERSION > 1 else "PRAGMA user_version = 0")
    opened.connection.close()
    holder = sqlite3.connect(tmp_path / "quell.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(database.sqlite3, "connect",
                        lambda *a, **k: sqlite3.Connection(*a, **{**k, "timeout": 0.1}))
    try:
        with pytest.raises(StorageError, match="locked by another program"):
            open_database(tmp_path, TODAY)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


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
