"""The SQLite history of symptom checks: the answers and the result the user was shown."""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from desktop.core.report import SymptomCheck
from desktop.core.triage import ANSWER_KEYS, Answers, TriageInputError, TriageLevel, parse_answers
from desktop.storage.database import transaction

log = logging.getLogger(__name__)

_COLUMNS = "id, ts, utc_offset, answers, level, reasons, app_version"
# The local calendar date a check was made on, from its UTC seconds and the offset then.
_LOCAL_DATE = "date(ts + utc_offset, 'unixepoch')"


class SqliteCheckStore:
    """Symptom checks in Quell's database (table ``symptom_checks``, see database.py)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def add_check(self, check: SymptomCheck) -> SymptomCheck:
        at = check.at.replace(microsecond=0)
        with transaction(self._db):
            cursor = self._db.execute(
                "INSERT INTO symptom_checks (ts, utc_offset, answers, level, reasons,"
                " app_version) VALUES (?,?,?,?,?,?)",
                (int(at.timestamp()), _offset_seconds(at), _answers_json(check.answers),
                 check.level.value, json.dumps(list(check.reasons)), check.app_version),
            )
        return replace(check, id=cursor.lastrowid, at=at)

    def update_check(self, check: SymptomCheck) -> SymptomCheck:
        """Replace a check's answers and result (the user went back and changed an answer)."""
        if check.id is None:
            raise ValueError("update_check needs a check with an id")
        at = check.at.replace(microsecond=0)
        with transaction(self._db):
            self._db.execute(
                "UPDATE symptom_checks SET ts=?, utc_offset=?, answers=?, level=?, reasons=?,"
                " app_version=? WHERE id=?",
                (int(at.timestamp()), _offset_seconds(at), _answers_json(check.answers),
                 check.level.value, json.dumps(list(check.reasons)), check.app_version,
                 check.id),
            )
        return replace(check, at=at)

    def get_check(self, check_id: int) -> SymptomCheck | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM symptom_checks WHERE id=?",
                               (check_id,)).fetchone()
        return _check(row) if row else None

    def checks_between(self, first_day: date, last_day: date) -> list[SymptomCheck]:
        """Checks made on local dates *first_day* to *last_day*, oldest first."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM symptom_checks WHERE {_LOCAL_DATE} BETWEEN ? AND ?"
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


def _check(row: sqlite3.Row) -> SymptomCheck:
    zone = timezone(timedelta(seconds=row["utc_offset"]))
    reasons = json.loads(row["reasons"])
    return SymptomCheck(
        at=datetime.fromtimestamp(row["ts"], zone),
        answers=_stored_answers(row["answers"], row["id"]),
        level=TriageLevel(row["level"]),
        reasons=tuple(str(r) for r in reasons) if isinstance(reasons, list) else (),
        app_version=row["app_version"],
        id=row["id"],
    )
