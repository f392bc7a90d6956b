"""The history of symptom checks: answers, level and reasons come back as they were stored."""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from desktop.core.report import SymptomCheck
from desktop.core.triage import ANSWER_KEYS, DEFAULT_ANSWERS, TriageLevel, parse_answers, triage
from desktop.storage.check_store import SqliteCheckStore
from desktop.storage.database import open_database

DAY = date(2026, 3, 10)


@pytest.fixture
def db(tmp_path: Path) -> sqlite3.Connection:
    return open_database(tmp_path, DAY).connection


@pytest.fixture
def store(db: sqlite3.Connection) -> SqliteCheckStore:
    return SqliteCheckStore(db)


def made(answers: dict[str, object], at: datetime) -> SymptomCheck:
    parsed = parse_answers(answers)
    result = triage(parsed, emergency_number="112")
    return SymptomCheck(at, parsed, result.level, result.reasons, "0.1.0")


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


def test_between_local_dates_oldest_first(store: SqliteCheckStore) -> None:
    new_york = timezone(timedelta(hours=-5))
    late_evening = store.add_check(made({}, datetime(2026, 3, 9, 23, 30, tzinfo=new_york)))
    morning = store.add_check(made({}, datetime(2026, 3, 9, 8, 0, tzinfo=new_york)))
    next_day = store.add_check(made({}, datetime(2026, 3, 10, 0, 30, tzinfo=timezone.utc)))
    # 23:30 in New York is already the 10th in UTC; it belongs to the 9th where it was made.
    assert store.checks_between(date(2026, 3, 9), date(2026, 3, 9)) == [morning, late_evening]
    assert store.checks_between(date(2026, 3, 10), date(2026, 3, 10)) == [next_day]
    assert store.all_checks() == [morning, next_day, late_evening]  # in time order


def test_update_replaces_answers_and_result(store: SqliteCheckStore) -> None:
    first = store.add_check(made({"sudden_face_droop": True},
                                 datetime(2026, 3, 10, 9, tzinfo=timezone.utc)))
    assert first.level is TriageLevel.EMERGENCY
    fixed = made({}, first.at)
    updated = store.update_check(SymptomCheck(fixed.at, fixed.answers, fixed.level,
                                              fixed.reasons, "0.1.0", first.id))
    assert store.all_checks() == [updated]
    assert updated.level is TriageLevel.SELF_CARE and updated.answers == DEFAULT_ANSWERS
    with pytest.raises(ValueError):
        store.update_check(fixed)


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
