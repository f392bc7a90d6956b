"""Checking an import's CSV rows one at a time and adding them to the ImportPlan."""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any

from quell.core.days import day_of, local_datetime
from quell.core.errors import InputError
from quell.core.habits import (
    MAX_USER_HABITS,
    Direction,
    Habit,
    HabitCatalog,
    Kind,
    user_habit,
)
from quell.core.i18n import _
from quell.core.notes import clean_note
from quell.core.parsing import check_amount
from quell.core.ratings import areas_cell, check_areas, check_rating
from quell.core.settings import Settings
from quell.core.twitches import AREAS, SIDES
from quell.storage.history_store import REMINDER_OUTCOMES

EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
# Real UTC offsets run from -12:00 to +14:00.
OFFSET_RANGE = (timedelta(hours=-12), timedelta(hours=14))
# A detail, reasons or answers cell: small flat JSON in practice.
JSON_CELL_MAX = 16 * 1024
JSON_DEPTH_MAX = 8


@dataclass
class ImportPlan:
    """Everything in a checked import file, ready to be merged."""

    entries: list[tuple[Any, ...]] = field(default_factory=list)
    twitches: list[tuple[Any, ...]] = field(default_factory=list)
    checks: list[tuple[Any, ...]] = field(default_factory=list)
    reminders: list[tuple[Any, ...]] = field(default_factory=list)
    days_off: dict[str, str] = field(default_factory=dict)
    ratings: dict[str, tuple[int, str]] = field(default_factory=dict)  # day -> rating, areas
    targets: dict[tuple[str, str], tuple[float | None, float | None]] = field(
        default_factory=dict)
    enabled: dict[str, bool] = field(default_factory=dict)
    settings: Settings | None = None
    # The user habits the file defines that the database lacks: (line, habit, position).
    definitions: list[tuple[int, Habit, int]] = field(default_factory=list)
    definitions_skipped: int = 0  # already in the database, the same
    line: int = 0  # the line being checked (for a problem only merging can find)


class RowReader:
    """Turns checked CSV rows into database rows; raises InputError naming a bad value."""

    def __init__(self, tz: tzinfo, now: datetime, day_start_hour: int,
                 catalog: HabitCatalog) -> None:
        self._tz = tz
        self._now = now
        self._day_start = day_start_hour
        self._stored = catalog  # the database's habits
        self._catalog = catalog  # and the file's, as their rows are read
        self._defined: set[str] = set()

    def moment(self, text: str, column: str = "timestamp") -> datetime:
        text = text.strip()
        if not text:
            raise InputError(_("{column} is empty").format(column=column))
        shown = text[:40]
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise InputError(_("{column} '{text}' is not an ISO 8601 time "
                               "(like 2026-03-10T07:30:00+01:00)").format(
                column=column, text=shown)) from None
        try:
            if value.tzinfo is None:
                aware = local_datetime(value.date(), value.time(), self._tz)
                if aware.replace(tzinfo=None) != value.replace(fold=0):
                    raise InputError(_("{column} '{text}' does not exist in your time zone (the "
                                       "clocks went forward); add its UTC offset").format(
                        column=column, text=shown))
                value = aware
            offset = value.utcoffset()
            if offset is None or not OFFSET_RANGE[0] <= offset <= OFFSET_RANGE[1]:
                raise InputError(_("{column} '{text}' has a UTC offset outside -12:00 to "
                                   "+14:00").format(column=column, text=shown))
            if value.microsecond:
                value = value.replace(microsecond=0)
            too_early = value < EARLIEST
            too_late = value > self._now + timedelta(minutes=5)
        except OverflowError:
            too_early, too_late = value.year < 1970, value.year > 1970
        if too_early:
            raise InputError(_("{column} '{text}' is before 1970").format(column=column,
                                                                         text=shown))
        if too_late:
            raise InputError(_("{column} '{text}' is in the future").format(column=column,
                                                                           text=shown))
        return value

    def _stamp(self, moment: datetime) -> tuple[int, int, str]:
        offset = moment.utcoffset()
        assert offset is not None
        return (int(moment.timestamp()), int(offset.total_seconds()),
                day_of(moment, self._day_start).isoformat())

    @staticmethod
    def note(row: dict[str, str]) -> str:
        # The same one clean line as every other way in; a note Quell wrote comes back as is.
        note = row.get("note", "")
        return clean_note(note) if note else ""

    @staticmethod
    def number(text: str, column: str) -> float:
        try:
            value = float(text.strip())
        except ValueError:
            raise InputError(_("{column} '{text}' is not a number").format(
                column=column, text=text)) from None
        if not math.isfinite(value):
            raise InputError(_("{column} '{text}' is not a number").format(
                column=column, text=text))
        return value

    def definition(self, row: dict[str, str], plan: ImportPlan) -> None:
        """A user habit's definition, checked by :func:`user_habit` like one typed in."""
        key = row["key"].strip().lower()
        if key in self._defined:
            raise InputError(_("habit '{key}' is defined twice").format(key=key[:60]))
        if len(self._defined) >= MAX_USER_HABITS:
            raise InputError(_("more than {n} habits are defined").format(n=MAX_USER_HABITS))
        kind = _enum(Kind, row["kind"], "kind")
        direction = _enum(Direction, row["direction"], "direction")
        low_text = row.get("target", "").strip()
        high_text = row.get("target_max", "").strip()
        quick_text = row.get("quick", "").strip()
        quick = [self.number(q, "quick") for q in quick_text.split(";")[:MAX_QUICK_CELLS]
                 ] if quick_text else []
        if quick_text.count(";") >= MAX_QUICK_CELLS:
            raise InputError(_("quick holds more than {n} amounts").format(n=MAX_QUICK_CELLS))
        flag = row.get("archived", "").strip().lower() or "0"
        if flag not in ("1", "0", "true", "false", "yes", "no"):
            raise InputError(_("archived must be 1 or 0, not '{value}'").format(
                value=row["archived"][:40]))
        position_text = row.get("position", "").strip()
        position = self.number(position_text, "position") if position_text else 0.0
        if position != int(position) or not 0 <= position <= MAX_POSITION:
            raise InputError(_("position must be a whole number from 0 to {n}").format(
                n=MAX_POSITION))
        spec = user_habit(row["name"], row["unit"].strip().lower(), kind, direction,
                          self.number(low_text, "target") if low_text else None,
                          self.number(high_text, "target_max") if high_text else None,
                          quick, catalog=self._catalog, key=key)
        spec = dataclasses.replace(spec, archived=flag in ("1", "true", "yes"))
        self._defined.add(key)
        stored = self._stored.find(key)
        if stored is not None:
            check_same_definition(stored, spec)
            plan.definitions_skipped += 1
            return
        plan.definitions.append((plan.line, spec, int(position)))
        self._catalog = self._catalog.with_user(spec)

    def entry(self, row: dict[str, str], plan: ImportPlan) -> None:
        key = row["habit"].strip().lower()
        spec = self._catalog.find(key)
        if spec is None:
            raise InputError(_("unknown habit '{key}' (choose from {keys})").format(
                key=row["habit"], keys=", ".join(self._catalog.keys)))
        moment = self.moment(row["timestamp"])
        amount = check_amount(spec, self.number(row["amount"], "amount"))
        detail_text = row.get("detail", "").strip()
        detail: Any = {}
        if detail_text:
            detail = _parse_json(detail_text, "detail")
            if not isinstance(detail, dict):
                raise InputError(_("detail must be a JSON object"))
        ts, offset, day = self._stamp(moment)
        plan.entries.append((key, ts, offset, day, float(amount), self.note(row),
                             json.dumps(detail, sort_keys=True) if detail else "{}"))

    def twitch(self, row: dict[str, str], plan: ImportPlan) -> None:
        moment = self.moment(row["timestamp"])
        area = row["area"].strip().lower()
        if area not in AREAS:
            raise InputError(_("unknown body area '{area}' (choose from {areas})").format(
                area=row["area"], areas=", ".join(AREAS)))
        side = row.get("side", "").strip().lower()
        if side not in SIDES:
            raise InputError(_("side must be left, right, both or empty, not '{side}'").format(
                side=row["side"]))
        intensity = self.number(row["intensity"], "intensity")
        if intensity != int(intensity) or not 1 <= intensity <= 5:
            raise InputError(_("intensity must be a whole number from 1 to 5, not '{value}'"
                               ).format(value=row["intensity"]))
        ts, offset, day = self._stamp(moment)
        plan.twitches.append((ts, offset, day, area, side, int(intensity), self.note(row)))

    def habit(self, row: dict[str, str], plan: ImportPlan) -> None:
        key = row["habit"].strip().lower()
        spec = self._catalog.find(key)
        if spec is None:
            raise InputError(_("unknown habit '{key}'").format(key=row["habit"]))
        flag = row["enabled"].strip().lower()
        if flag not in ("1", "0", "true", "false", "yes", "no"):
            raise InputError(_("enabled must be 1 or 0, not '{value}'").format(
                value=row["enabled"]))
        enabled = flag in ("1", "true", "yes")
        if not enabled and not spec.optional:
            raise InputError(_("{habit} cannot be switched off").format(habit=key))
        if plan.enabled.get(key, enabled) != enabled:
            raise InputError(_("{habit} is both enabled and disabled").format(habit=key))
        plan.enabled[key] = enabled
        start = row.get("effective_from", "").strip()
        low_text = row.get("target", "").strip()
        high_text = row.get("target_max", "").strip()
        if not start:
            if low_text or high_text:
                raise InputError(_("a target needs its effective_from date"))
            return
        try:
            date.fromisoformat(start)
        except ValueError:
            raise InputError(_("effective_from '{text}' is not a date (YYYY-MM-DD)").format(
                text=start)) from None
        low = self.number(low_text, "target") if low_text else None
        high = self.number(high_text, "target_max") if high_text else None
        _check_target(spec, low, high)
        plan.targets[(key, start)] = (low, high)

    def check(self, row: dict[str, str], plan: ImportPlan) -> None:
        moment = self.moment(row["timestamp"])
        level = row["level"].strip()
        if not level:
            raise InputError(_("level is empty"))
        reasons = _json_value(row["reasons"], "reasons", list)
        answers = _json_value(row["answers"], "answers", dict)
        ts, offset, day = self._stamp(moment)
        day_text = row.get("day", "").strip()
        if day_text:
            try:
                day = date.fromisoformat(day_text).isoformat()
            except ValueError:
                raise InputError(_("day '{text}' is not a date (YYYY-MM-DD)").format(
                    text=day_text)) from None
        revises_text = row.get("revises", "").strip()
        revises = self._stamp(self.moment(revises_text, "revises"))[0] if revises_text else None
        plan.checks.append((ts, offset, answers, level, reasons,
                            row.get("app_version", "").strip(), day, revises))

    def reminder(self, row: dict[str, str], plan: ImportPlan) -> None:
        kind = row["reminder"].strip()
        if not kind:
            raise InputError(_("reminder is empty"))
        due = self.moment(row["due"], "due")
        shown_text = row.get("shown", "").strip()
        shown = self.moment(shown_text, "shown") if shown_text else None
        outcome = row["outcome"].strip().lower()
        if outcome not in REMINDER_OUTCOMES:
            raise InputError(_("outcome must be one of {names}, not '{value}'").format(
                names=", ".join(REMINDER_OUTCOMES), value=row["outcome"]))
        due_ts, offset, _day = self._stamp(due)
        shown_ts = int(shown.timestamp()) if shown is not None else None
        plan.reminders.append((kind, due_ts, shown_ts, offset, outcome,
                               row.get("reason", "").strip()))

    def day_off(self, row: dict[str, str], plan: ImportPlan) -> None:
        plan.days_off[_day(row["day"]).isoformat()] = row.get("reason", "").strip()

    def rating(self, row: dict[str, str], plan: ImportPlan) -> None:
        """A day's twitch rating, checked as one typed in: 0–4, known areas, a day that has
        come (the file's last rating of a day is the one kept, as a second replaces the first
        anywhere else)."""
        day = _day(row["day"])
        if day > day_of(self._now, self._day_start):
            raise InputError(_("day {day} has not come yet").format(day=day.isoformat()))
        rating = check_rating(row["rating"])
        areas = check_areas(row.get("areas", ""))
        plan.ratings[day.isoformat()] = (rating, areas_cell(areas))


def _day(text: str) -> date:
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(_("day '{text}' is not a date (YYYY-MM-DD)").format(
            text=text[:40])) from None


def _parse_json(text: str, column: str) -> Any:
    """A small JSON cell, parsed; deep nesting is refused before the parser could recurse."""
    if len(text) > JSON_CELL_MAX:
        raise InputError(_("{column} is longer than {n} KB").format(
            column=column, n=JSON_CELL_MAX // 1024))
    depth = deepest = 0
    # Brackets inside strings only overcount, which errs on the side of refusing.
    openers = text.count("[") + text.count("{")
    for char in (text if openers > JSON_DEPTH_MAX else ""):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    if deepest > JSON_DEPTH_MAX:
        raise InputError(_("{column} is nested more than {n} levels deep").format(
            column=column, n=JSON_DEPTH_MAX))
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise InputError(_("{column} is not valid JSON").format(column=column)) from None


def _json_value(text: str, column: str, kind: type) -> str:
    value = _parse_json(text, column)
    if not isinstance(value, kind):
        raise InputError(_("{column} has the wrong JSON type").format(column=column))
    return json.dumps(value, sort_keys=True)


def _enum(kind: type[Kind] | type[Direction], text: str, column: str) -> Any:
    value = text.strip().lower()
    try:
        return kind(value)
    except ValueError:
        raise InputError(_("{column} must be one of {names}, not '{value}'").format(
            column=column, names=", ".join(k.value for k in kind), value=value[:40])) from None


def check_same_definition(stored: Habit, spec: Habit) -> None:
    """A definition the database already has must be of the same kind and unit (its entries
    then mean the same); its name, goal and quick amounts stay the database's."""
    if (stored.kind, stored.unit) != (spec.kind, spec.unit):
        raise InputError(_(
            "habit '{key}' is kept as {kind} in {unit} here, but as {other_kind} in "
            "{other_unit} in the file; rename one of them").format(
            key=spec.key, kind=stored.kind.value, unit=stored.unit, other_kind=spec.kind.value,
            other_unit=spec.unit))


# Bounds on a definition's cells beyond what user_habit checks (a hostile file's count).
MAX_QUICK_CELLS = 16
MAX_POSITION = 10_000


def _check_target(spec: Habit, low: float | None, high: float | None) -> None:
    key = spec.key
    if not spec.builtin and (low is not None or high is not None):
        # The same rules as when it was added (a range may start at 0, and so on).
        if spec.direction is Direction.NONE:
            raise InputError(_("{habit} has no target").format(habit=key))
        user_habit(spec.name, spec.unit, spec.kind, spec.direction, low, high,
                   [q.amount for q in spec.quick], key=key)
        if high is not None and spec.direction is not Direction.RANGE:
            raise InputError(_("{habit} takes no target_max").format(habit=key))
        return
    if spec.direction is Direction.NONE:
        if low is not None or high is not None:
            raise InputError(_("{habit} has no target").format(habit=key))
        return
    if low is None:
        raise InputError(_("{habit} needs a target value").format(habit=key))
    if spec.direction is Direction.RANGE:
        if high is None or not 0 < low <= high:
            raise InputError(_("{habit} needs a range: 0 < target <= target_max").format(
                habit=key))
    elif high is not None:
        raise InputError(_("{habit} takes no target_max").format(habit=key))
    elif low < 0 or (spec.direction is Direction.AT_LEAST and low == 0):
        raise InputError(_("{habit} target must be above 0").format(habit=key))
