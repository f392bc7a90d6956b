"""Habit commands: `quell log` and `quell today` (CONTRACTS.md)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from quell.core import formatting
from quell.core.days import local_datetime
from quell.core.entries import Source
from quell.core.errors import InputError
from quell.core.habits import (
    CAFFEINE_PRESETS,
    EXERCISE_INTENSITIES,
    HABIT_KEYS,
    Aggregate,
    Habit,
    Kind,
)
from quell.core.i18n import _, ngettext
from quell.core.parsing import (
    check_not_future,
    parse_amount,
    parse_clock_time,
    parse_when,
    text_field,
)
from quell.core.ratings import TwitchRating
from quell.core.settings import Settings
from quell.core.summary import DaySummary, Status
from quell.core.tracker import Logged, Tracker

if TYPE_CHECKING:
    from quell.app.cli import Cli
    from quell.app.context import Context


def add_parsers(subparsers: Any) -> None:
    log = subparsers.add_parser(
        "log", help=_("log a habit entry"),
        description=_("Log one entry. AMOUNT is in the habit's base unit or has a unit: "
                      "250ml, 8oz, 1.5l, 95mg, 7h30m."))
    log.add_argument("habit", metavar="HABIT", help=", ".join(HABIT_KEYS) + _(
        ", or one of your own (quell habit list)"))
    log.add_argument("amount", metavar="AMOUNT", nargs="?")
    log.add_argument("--at", metavar="WHEN",
                     help=_("when: HH:MM (today), 'yesterday HH:MM' or ISO 8601"))
    log.add_argument("--note", metavar="TEXT", default="")
    log.add_argument("--drink", metavar="PRESET",
                     help=_("caffeine preset: ") + ", ".join(p.key for p in CAFFEINE_PRESETS))
    log.add_argument("--bed", metavar="HH:MM", help=_("sleep: bedtime"))
    log.add_argument("--wake", metavar="HH:MM", help=_("sleep: wake time"))
    log.add_argument("--intensity", choices=[key for key, _label in EXERCISE_INTENSITIES],
                     help=_("exercise: how hard it was (default hard)"))
    log.set_defaults(run=_run_log)

    today = subparsers.add_parser("today", help=_("show today's progress"))
    today.add_argument("--json", action="store_true", help=_("print JSON"))
    today.set_defaults(run=_run_today)


def _run_log(args: argparse.Namespace, cli: Cli) -> int:
    return cli.write(log_request(args.habit, args.amount, at=args.at, note=args.note,
                                 drink=args.drink, bed=args.bed, wake=args.wake,
                                 intensity=args.intensity))


def _run_today(args: argparse.Namespace, cli: Cli) -> int:
    from quell.storage.rating_store import SqliteRatingStore

    context = cli.open()
    try:
        summary = context.tracker.summary()
        rating = SqliteRatingStore(context.database.connection).rating_on(summary.day)
        water_unit = context.settings().water_unit
    finally:
        context.close()
    if args.json:
        json.dump(today_json(summary, rating), cli.out, indent=2)
        cli.out.write("\n")
    else:
        cli.out.write(today_text(summary, water_unit, rating))
    return 0


def log_request(habit: str, amount: str | None = None, *, at: str | None = None,
                note: str = "", drink: str | None = None, bed: str | None = None,
                wake: str | None = None, intensity: str | None = None) -> dict[str, Any]:
    return {"op": "log", "habit": habit, "amount": amount, "at": at, "note": note,
            "drink": drink, "bed": bed, "wake": wake, "intensity": intensity}


def _log(request: dict[str, Any], context: Context) -> str:
    """`quell log`: what a habit takes is read from its definition (built-in or the user's):
    drinks for one with presets, bed and wake for one with ``bed_and_wake``, an intensity for
    one with ``intensities``, else an amount (or its default)."""
    tracker, settings = context.tracker, context.settings()
    key = (text_field(request, "habit", label=_("the habit")) or "").strip().lower()
    spec = tracker.offered_habit(key)
    now = tracker.clock.now()
    at_text = text_field(request, "at", empty_ok=False, label="--at")
    at = parse_when(at_text, now) if at_text is not None else None
    note = text_field(request, "note", label="--note") or ""
    amount_text = text_field(request, "amount", empty_ok=False, label=_("the amount"))
    for option in _OPTIONS:
        text_field(request, option, empty_ok=False, label=f"--{option}")
    _reject_foreign_options(spec, request)
    name = _word(spec)

    if request.get("drink"):  # only a habit with presets gets here
        if amount_text:
            raise InputError(_("give either an amount or --drink, not both"))
        return describe(tracker.log_drink(request["drink"], at=at, note=note,
                                          source=Source.CLI), settings, tracker)
    if request.get("bed") or request.get("wake"):  # only one with bed and wake
        if not (request.get("bed") and request.get("wake")):
            raise InputError(_("{habit} needs both --bed and --wake").format(habit=name))
        if amount_text:
            raise InputError(_("give either hours or --bed and --wake, not both"))
        wake_day = at.date() if at else now.date()
        bed_at, wake_at = tracker.sleep_times(parse_clock_time(request["bed"]),
                                              parse_clock_time(request["wake"]), wake_day)
        check_not_future(wake_at, now)
        return describe(tracker.log_sleep(bed_at, wake_at, note=note, source=Source.CLI),
                        settings, tracker)
    amount = parse_amount(amount_text, spec) if amount_text else None
    if amount is None and spec.default_amount is None:
        raise InputError(_needs_amount(spec, name))
    if spec.bed_and_wake and at is None:
        at = _default_wake(now, settings)
    if spec.intensities:
        logged = tracker.log_exercise(amount or 0, request.get("intensity") or "hard",
                                      at=at, note=note, source=Source.CLI)
    else:
        logged = tracker.log(key, amount, at=at, note=note, source=Source.CLI)
    return describe(logged, settings, tracker)


# The options `quell log` takes beyond an amount, each with what a definition must carry.
_OPTIONS: dict[str, Callable[[Habit], object]] = {
    "drink": lambda h: h.presets,
    "bed": lambda h: h.bed_and_wake,
    "wake": lambda h: h.bed_and_wake,
    "intensity": lambda h: h.intensities,
}


def _word(spec: Habit) -> str:
    """How messages name *spec*: a built-in by its key ('sleep'), the user's by its name."""
    return spec.key if spec.builtin else spec.label


def _needs_amount(spec: Habit, name: str) -> str:
    if spec.presets:
        return _("{habit} needs an amount in {unit} or --drink (e.g. --drink {preset})").format(
            habit=name, unit=spec.unit, preset=spec.presets[0].key)
    if spec.bed_and_wake:
        return _("{habit} needs hours (e.g. 7h30m) or --bed HH:MM --wake HH:MM").format(
            habit=name)
    if spec.kind is Kind.RATING:
        return _("{habit} needs a rating from {low} to {high}").format(
            habit=name, low=int(spec.min_amount), high=int(spec.max_amount))
    if spec.unit == "minutes":
        return _("{habit} needs minutes (e.g. 45)").format(habit=name)
    return _("{habit} needs an amount in {unit}").format(habit=name, unit=spec.unit_text)


def _reject_foreign_options(spec: Habit, request: dict[str, Any]) -> None:
    for option, carries in _OPTIONS.items():
        if request.get(option) and not carries(spec):
            raise InputError(_("--{option} does not apply to {habit}").format(
                option=option, habit=spec.key))


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
def today_json(summary: DaySummary, rating: TwitchRating | None = None) -> dict[str, Any]:
    """The day as CONTRACTS.md pins it; ``twitch_rating`` is the day's 0–4 rating or null."""
    habits = []
    for progress in summary.habits:
        spec = progress.habit
        total = progress.total
        if total is None and spec.aggregate is Aggregate.SUM:
            total = 0.0
        habits.append({
            "key": spec.key,
            "name": spec.name,
            "unit": spec.unit,
            "total": total,
            "target": progress.target,
            "target_max": progress.target_max,
            "direction": spec.direction.value,
            "entries": [
                {
                    "id": entry.id,
                    "timestamp": entry.at.isoformat(),
                    "amount": entry.amount,
                    "note": entry.note,
                    "detail": entry.detail,
                    "source": entry.source.value,
                }
                for entry in progress.entries
            ],
        })
    return {"day": summary.day.isoformat(), "habits": habits,
            "twitch_rating": None if rating is None else rating.rating}


_STATUS_WORDS = {
    Status.MET: "✓",
    Status.ON_THE_WAY: "…",
    Status.OVER: "!",
    Status.UNDER: "…",
    Status.NOT_LOGGED: "",
    Status.NO_GOAL: "",
}


def today_text(summary: DaySummary, water_unit: str, rating: TwitchRating | None = None
               ) -> str:
    lines = [_("Quell — {day}").format(day=summary.day.strftime("%A %d %B %Y"))]
    width = max(len(p.habit.label) for p in summary.habits) if summary.habits else 0
    for progress in summary.habits:
        spec = progress.habit
        text = formatting.progress(spec, progress.total, progress.target, progress.target_max,
                                   water_unit)
        mark = _STATUS_WORDS[progress.status]
        if progress.status is Status.OVER and spec.direction.value == "at_most":
            mark = _("! over the limit")
        lines.append(f"  {spec.label:<{width}}  {text} {mark}".rstrip())
    lines.append(ngettext("{met} of {total} goal on track", "{met} of {total} goals on track",
                          len(summary.goals)).format(
        met=summary.goals_met, total=len(summary.goals)))
    if rating is not None:
        lines.append(_("Twitching bothered you: {rating}.").format(rating=rating.in_words()))
    return "\n".join(lines) + "\n"


OPS = {"log": _log}
