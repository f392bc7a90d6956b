"""The history of symptom checks: answers, level and reasons come back as they were stored."""

from __future__ import annotations

import csv
import io
import json
import logging
import sqlite3
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from quell.core.days import day_of
from quell.core.report import SymptomCheck
from quell.core.settings import Settings
from quell.core.triage import ANSWER_KEYS, DEFAULT_ANSWERS, TriageLevel, parse_answers, triage
from quell.storage.check_store import SqliteCheckStore
from quell.storage.database import open_database
from quell.storage.export import export_zip
from quell.storage.importing import import_zip
from quell.storage.store import SqliteStore

DAY = date(2026, 3, 10)


@pytest.fixture
def db(tmp_path: Path) -> sqlite3.Connection:
    return open_database(tmp_path, DAY).connection


@pytest.fixture
def store(db: sqlite3.Connection) -> SqliteCheckStore:
    return SqliteCheckStore(db)


def made(answers: dict[str, object], at: datetime, day_start_hour: int = 4,
         revises: SymptomCheck | None = None) -> SymptomCheck:
    parsed = parse_answers(answers)
    result = triage(parsed, emergency_number="112")
    return SymptomCheck(at, day_of(at, day_start_hour), parsed, result.level, result.reasons,
                        "0.1.0", revises=revises.id if revises is not None else None)


def test_round_trip(store: SqliteCheckStore, db: sqlite3.Connection) -> None:
    at = datetime(2026, 3, 10, 9, 15, 2, 500, tzinfo=timezone(timedelta(hours=1)))
    stored = store.add_check(made({"weakness": "gradual_weeks_to_months",
                                   "trigger_poor_sleep": True}, at))
    assert stored.id is not None and stored.at.microsecond == 0
    assert store.get_check(stored.id) == stored
    assert stored.level is TriageLevel.PROMPT and stored.reasons == ("weakness_gradual",)
    row = db.execute("SELECT answers, level, reasons, app_version FROM symptom_checks").fetchone()
    answers = json.loads(row["answers"])
    assert set(answers) == set(ANSWER_KEYS) and answers["weakness"] == "gradual_weeks_to_months"
    assert (row["level"], json.loads(row["reasons"]), row["app_version"]) == (
        "prompt", ["weakness_gradual"], "0.1.0")
    assert store.get_check(999) is None


def test_between_quell_days_oldest_first(store: SqliteCheckStore) -> None:
    new_york = timezone(timedelta(hours=-5))
    late_evening = store.add_check(made({}, datetime(2026, 3, 9, 23, 30, tzinfo=new_york)))
    morning = store.add_check(made({}, datetime(2026, 3, 9, 8, 0, tzinfo=new_york)))
    next_day = store.add_check(made({}, datetime(2026, 3, 10, 4, 30, tzinfo=timezone.utc)))
    # 23:30 in New York is already the 10th in UTC; it belongs to the 9th where it was made.
    assert store.checks_between(date(2026, 3, 9), date(2026, 3, 9)) == [morning, late_evening]
    assert store.checks_between(date(2026, 3, 10), date(2026, 3, 10)) == [next_day]
    assert store.all_checks() == [morning, late_evening, next_day]  # in time order


@pytest.mark.parametrize(("clock", "day_start_hour", "day"), [
    ("01:30", 4, date(2026, 3, 9)),   # the night after the 9th
    ("03:48", 4, date(2026, 3, 9)),
    ("04:00", 4, date(2026, 3, 10)),  # a new day starts
    ("01:30", 2, date(2026, 3, 9)),
    ("03:48", 2, date(2026, 3, 10)),  # with a 02:00 day start, 03:48 is the new day
    ("01:30", 0, date(2026, 3, 10)),  # a midnight day start: calendar dates
])
def test_a_small_hours_check_is_filed_under_its_quell_day(
        store: SqliteCheckStore, db: sqlite3.Connection, clock: str, day_start_hour: int,
        day: date) -> None:
    hour, minute = map(int, clock.split(":"))
    at = datetime(2026, 3, 10, hour, minute, tzinfo=timezone(timedelta(hours=1)))
    stored = store.add_check(made({}, at, day_start_hour))
    assert stored.day == day
    assert db.execute("SELECT day FROM symptom_checks").fetchone()["day"] == day.isoformat()
    assert store.checks_between(day, day) == [stored]
    other = day + timedelta(days=1) if day == date(2026, 3, 9) else day - timedelta(days=1)
    assert store.checks_between(other, other) == []


def test_a_changed_check_is_a_new_one_linked_to_the_one_it_revises(
        store: SqliteCheckStore) -> None:
    first = store.add_check(made({"sudden_face_droop": True},
                                 datetime(2026, 3, 10, 9, tzinfo=timezone.utc)))
    assert first.level is TriageLevel.EMERGENCY and first.revises is None
    fixed = store.add_check(made({}, datetime(2026, 3, 10, 9, 2, tzinfo=timezone.utc),
                                 revises=first))
    assert store.all_checks() == [first, fixed]  # the emergency result is kept
    assert fixed.revises == first.id and store.get_check(fixed.id) == fixed
    assert fixed.level is TriageLevel.SELF_CARE and fixed.answers == DEFAULT_ANSWERS
    assert not hasattr(store, "update_check")  # no way left to overwrite a result
    missing = SymptomCheck(fixed.at, fixed.day, fixed.answers, fixed.level, fixed.reasons,
                           revises=999)
    with pytest.raises(ValueError):
        store.add_check(missing)
    assert len(store.all_checks()) == 2


def test_a_row_without_a_day_is_still_shown(store: SqliteCheckStore,
                                             db: sqlite3.Connection) -> None:
    db.execute("INSERT INTO symptom_checks (ts, utc_offset, answers, level, reasons, app_version)"
               " VALUES (?, 3600, '{}', 'self_care', '[]', '0.1')",
               (int(datetime(2026, 3, 10, 1, 30, tzinfo=timezone.utc).timestamp()),))
    [check] = store.all_checks()
    assert check.day == date(2026, 3, 9)  # 02:30 local, before the default 04:00 start


def test_answers_this_version_no_longer_knows_fall_back(
        store: SqliteCheckStore, db: sqlite3.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    db.execute("INSERT INTO symptom_checks (ts, utc_offset, answers, level, reasons, app_version)"
               " VALUES (?, 0, ?, 'routine', '[\"persistent_twitch\"]', '9.0')",
               (1773100000, json.dumps({"twitch_duration": "over_3_months", "gone_key": True,
                                        "cramps": "daily"})))
    with caplog.at_level(logging.WARNING):
        [check] = store.all_checks()
    assert check.answers.twitch_duration == "over_3_months"
    assert check.answers.cramps == "none"
    assert check.level is TriageLevel.ROUTINE and check.reasons == ("persistent_twitch",)
    assert "gone_key" in caplog.text and "cramps" in caplog.text


# -- export and import keep the day and the revision link ---------------------------------


def test_export_and_import_keep_the_day_and_the_revision(store: SqliteCheckStore,
                                                         db: sqlite3.Connection,
                                                         tmp_path: Path) -> None:
    london = ZoneInfo("Europe/London")
    first = store.add_check(made({"sudden_face_droop": True},
                                 datetime(2026, 3, 10, 1, 30, tzinfo=london)))
    second = store.add_check(made({}, datetime(2026, 3, 10, 1, 34, tzinfo=london),
                                  revises=first))
    path = export_zip(db, Settings(), tmp_path / "out.zip").path
    with zipfile.ZipFile(path) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("symptom_checks.csv").decode())))
    assert [(r["day"], r["revises"]) for r in rows] == [
        ("2026-03-09", ""), ("2026-03-09", "2026-03-10T01:30:00+00:00")]

    target_db = open_database(tmp_path / "b", DAY).connection
    now = datetime(2026, 3, 10, 12, tzinfo=london)
    import_zip(SqliteStore(target_db), path, tz=london, now=now, day_start_hour=4)
    target = SqliteCheckStore(target_db)
    old, new = target.all_checks()
    assert (old.day, new.day) == (first.day, second.day) == (date(2026, 3, 9),) * 2
    assert old.revises is None and new.revises == old.id
    assert target.checks_between(date(2026, 3, 9), date(2026, 3, 9)) == [old, new]
    # Importing the same file again adds nothing and keeps the link.
    import_zip(SqliteStore(target_db), path, tz=london, now=now, day_start_hour=4)
    assert target.all_checks() == [old, new]
