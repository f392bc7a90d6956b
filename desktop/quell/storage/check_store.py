"""The SQLite history of symptom checks: the answers and the result the user was shown."""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from quell.core.report import SymptomCheck
from quell.core.triage import ANSWER_KEYS, Answers, TriageInputError, TriageLevel, parse_answers
from quell.storage.database import transaction

log = logging.getLogger(__name__)

_COLUMNS = "id, ts, utc_offset, day, answers, level, reasons, app_version, revises"


class SqliteCheckStore:
    """Symptom checks in Quell's database (table ``symptom_checks``, see database.py).

    Checks are only ever added: changing the answers of a check makes a new one that names the
    check it revises, so every result the user was shown stays in history.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def add_check(self, check: SymptomCheck) -> SymptomCheck:
        """Store *check* (filed under ``check.day``) and return it with its new id."""
        at = check.at.replace(microsecond=0)
        with transaction(self._db):
            if check.revises is not None and self._db.execute(
                    "SELECT 1 FROM symptom_checks WHERE id=?", (check.revises,)).fetchone() is None:
                raise ValueError(f"check {check.revises} to revise is not in history")
            cursor = self._db.execute(
                "INSERT INTO symptom_checks (ts, utc_offset, day, answers, level, reasons,"
                " app_version, revises) VALUES (?,?,?,?,?,?,?,?)",
                (int(at.timestamp()), _offset_seconds(at), check.day.isoformat(),
                 _answers_json(check.answers), check.level.value,
                 json.dumps(list(check.reasons)), check.app_version, check.revises),
            )
        return replace(check, id=cursor.lastrowid, at=at)

    def get_check(self, check_id: int) -> SymptomCheck | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM symptom_checks WHERE id=?",
                               (check_id,)).fetchone()
        return _check(row) if row else None

    def checks_between(self, first_day: date, last_day: date) -> list[SymptomCheck]:
        """Checks filed under Quell days *first_day* to *last_day*, oldest first."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM symptom_checks WHERE day BETWEEN ? AND ?"
            " ORDER BY ts, id", (first_day.isoformat(), last_day.isoformat())).fetchall()
        return [_check(row) for row in rows]

    def all_checks(self) -> list[SymptomCheck]:
        """Every check, oldest first."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM symptom_checks ORDER BY ts, id").fetchall()
        return [_check(row) for row in rows]


def _answers_json(answers: Answers) -> str:
    return json.dumps(answers.as_dict(), sort_keys=False)


def _offset_seconds(moment: datetime) -> int:
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("symptom checks need aware datetimes")
    return int(offset.total_seconds())


def _stored_answers(text: str, check_id: int) -> Answers:
    """The stored answers; one this version no longer knows falls back to its default."""
    raw = json.loads(text)
    kept: dict[str, object] = {}
    for name, value in raw.items() if isinstance(raw, dict) else ():
        key = ANSWER_KEYS.get(name)
        try:
            if key is None:
                raise TriageInputError(f"unknown answer {name!r}")
            kept[name] = key.check(value)
        except TriageInputError as error:
            log.warning("symptom check %s: %s; shown with its default", check_id, error)
    return parse_answers(kept)


# Only for a row written without its day (never by this version); the default day start.
_FALLBACK_DAY_START = timedelta(hours=4)


def _check(row: sqlite3.Row) -> SymptomCheck:
    zone = timezone(timedelta(seconds=row["utc_offset"]))
    reasons = json.loads(row["reasons"])
    at = datetime.fromtimestamp(row["ts"], zone)
    if row["day"]:
        day = date.fromisoformat(row["day"])
    else:
        log.warning("symptom check %s has no day; filed by the default day start", row["id"])
        day = (at.replace(tzinfo=None) - _FALLBACK_DAY_START).date()
    return SymptomCheck(
        at=at,
        day=day,
        answers=_stored_answers(row["answers"], row["id"]),
        level=TriageLevel(row["level"]),
        reasons=tuple(str(r) for r in reasons) if isinstance(reasons, list) else (),
        app_version=row["app_version"],
        id=row["id"],
        revises=row["revises"],
    )
