"""Commands that change data, run the same way in the app (over its socket) and in the CLI.

A request is a plain JSON-compatible dict, so the command line can hand it to the running app
and the app's windows update at once; without a running app the CLI runs it itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from desktop.core import formatting
from desktop.core.days import local_datetime
from desktop.core.entries import Source
from desktop.core.errors import InputError
from desktop.core.habits import HABIT_KEYS, find_habit
from desktop.core.i18n import _
from desktop.core.parsing import check_not_future, parse_amount, parse_clock_time, parse_when
from desktop.core.settings import Settings
from desktop.core.tracker import Logged, Tracker


def log_request(habit: str, amount: str | None = None, *, at: str | None = None,
                note: str = "", drink: str | None = None, bed: str | None = None,
                wake: str | None = None, intensity: str | None = None) -> dict[str, Any]:
    return {"op": "log", "habit": habit, "amount": amount, "at": at, "note": note,
            "drink": drink, "bed": bed, "wake": wake, "intensity": intensity}


def execute(request: dict[str, Any], tracker: Tracker, settings: Settings) -> str:
    """Run one write request; return the line to print, or raise InputError (nothing written)."""
    op = request.get("op")
    if op == "log":
        return _log(request, tracker, settings)
    raise InputError(f"unknown request {op!r}")


def _log(request: dict[str, Any], tracker: Tracker, settings: Settings) -> str:
    key = str(request.get("habit", "")).strip().lower()
    spec = find_habit(key)
    if spec is None:
        raise InputError(_("unknown habit '{key}' (choose from {keys})").format(
            key=key, keys=", ".join(HABIT_KEYS)))
    now = tracker.clock.now()
    at = parse_when(request["at"], now) if request.get("at") else None
    note = request.get("note") or ""
    amount_text = request.get("amount")
    _reject_foreign_options(key, request)

    if key == "caffeine" and request.get("drink"):
        if amount_text:
            raise InputError(_("give either an amount or --drink, not both"))
        logged = tracker.log_drink(request["drink"], at=at, note=note, source=Source.CLI)
    elif key == "sleep" and (request.get("bed") or request.get("wake")):
        if not (request.get("bed") and request.get("wake")):
            raise InputError(_("sleep needs both --bed and --wake"))
        if amount_text:
            raise InputError(_("give either hours or --bed and --wake, not both"))
        wake_day = at.date() if at else now.date()
        bed_at, wake_at = tracker.sleep_times(parse_clock_time(request["bed"]),
                                              parse_clock_time(request["wake"]), wake_day)
        check_not_future(wake_at, now)
        logged = tracker.log_sleep(bed_at, wake_at, note=note, source=Source.CLI)
    else:
        amount = parse_amount(amount_text, spec) if amount_text else None
        if amount is None and key == "caffeine":
            raise InputError(_("caffeine needs an amount in mg or --drink (e.g. --drink "
                               "espresso)"))
        if amount is None and key == "sleep":
            raise InputError(_("sleep needs hours (e.g. 7h30m) or --bed HH:MM --wake HH:MM"))
        if amount is None and key == "stress":
            raise InputError(_("stress needs a rating from 1 to 5"))
        if amount is None and key == "exercise":
            raise InputError(_("exercise needs minutes (e.g. 45)"))
        if key == "sleep" and at is None:
            at = _default_wake(now, settings)
        if key == "exercise":
            logged = tracker.log_exercise(amount or 0, request.get("intensity") or "hard",
                                          at=at, note=note, source=Source.CLI)
        else:
            logged = tracker.log(key, amount, at=at, note=note, source=Source.CLI)
    return describe(logged, settings, tracker)


def _reject_foreign_options(key: str, request: dict[str, Any]) -> None:
    allowed = {"caffeine": {"drink"}, "sleep": {"bed", "wake"}, "exercise": {"intensity"}}
    for option in ("drink", "bed", "wake", "intensity"):
        if request.get(option) and option not in allowed.get(key, set()):
            raise InputError(_("--{option} does not apply to {habit}").format(
                option=option, habit=key))


def _default_wake(now: datetime, settings: Settings) -> datetime:
    """Hours of sleep without a time count as a night that ended at the planned wake time."""
    tz = now.tzinfo
    assert tz is not None
    planned = local_datetime(now.date(), settings.wake_time, tz)
    return planned if planned <= now else now


def describe(logged: Logged, settings: Settings, tracker: Tracker) -> str:
    entry, progress = logged.entry, logged.progress
    spec = progress.habit
    what = formatting.amount(spec, entry.amount, settings.water_unit)
    when = entry.at.strftime("%H:%M")
    day = entry.day
    day_text = _("today") if day == tracker.current_day() else (
        _("yesterday") if day == tracker.current_day() - timedelta(days=1)
        else day.isoformat())
    total = formatting.progress(spec, progress.total, progress.target, progress.target_max,
                                settings.water_unit)
    return _("Logged {habit}: {what} at {when}. {habit} {day}: {total}.").format(
        habit=spec.label, what=what, when=when, day=day_text, total=total)
