"""The command line: `quell log`, `quell today` and friends (see CONTRACTS.md)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from desktop import __version__
from desktop.app import ipc
from desktop.app.commands import execute, log_request
from desktop.core import formatting
from desktop.core.clock import Clock
from desktop.core.habits import CAFFEINE_PRESETS, HABIT_KEYS, Aggregate
from desktop.core.i18n import _
from desktop.core.summary import DaySummary, Status
from desktop.storage.paths import Paths


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quell",
        description=_("Quell: track the habits behind muscle twitches. Without a command, "
                      "starts Quell in the system tray."),
    )
    parser.add_argument("--version", action="version", version=f"quell {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    log = commands.add_parser("log", help=_("log a habit entry"),
                              description=_("Log one entry. AMOUNT is in the habit's base unit "
                                            "or has a unit: 250ml, 8oz, 1.5l, 95mg, 7h30m."))
    log.add_argument("habit", metavar="HABIT", help=", ".join(HABIT_KEYS))
    log.add_argument("amount", metavar="AMOUNT", nargs="?")
    log.add_argument("--at", metavar="WHEN",
                     help=_("when: HH:MM (today), 'yesterday HH:MM' or ISO 8601"))
    log.add_argument("--note", metavar="TEXT", default="")
    log.add_argument("--drink", metavar="PRESET",
                     help=_("caffeine preset: ") + ", ".join(p.key for p in CAFFEINE_PRESETS))
    log.add_argument("--bed", metavar="HH:MM", help=_("sleep: bedtime"))
    log.add_argument("--wake", metavar="HH:MM", help=_("sleep: wake time"))
    log.add_argument("--intensity", choices=("moderate", "hard", "very_hard"),
                     help=_("exercise: how hard it was (default hard)"))

    today = commands.add_parser("today", help=_("show today's progress"))
    today.add_argument("--json", action="store_true", help=_("print JSON"))
    return parser


def run_cli(args: argparse.Namespace, clock: Clock, paths: Paths,
            out: TextIO | None = None) -> int:
    """Run a parsed command; user errors raise InputError/StorageError for main() to report."""
    out = out or sys.stdout
    from desktop.app.context import open_context

    if args.command == "log":
        request = log_request(args.habit, args.amount, at=args.at, note=args.note,
                              drink=args.drink, bed=args.bed, wake=args.wake,
                              intensity=args.intensity)
        reply = ipc.send(paths, request)
        if reply is not None:
            if not reply.get("ok"):
                from desktop.core.errors import InputError

                raise InputError(str(reply.get("error", "the app refused the request")))
            print(reply["output"], file=out)
            return 0
        context = open_context(clock, paths)
        try:
            print(execute(request, context.tracker, context.settings()), file=out)
        finally:
            context.close()
        return 0
    if args.command == "today":
        context = open_context(clock, paths)
        try:
            summary = context.tracker.summary()
            water_unit = context.settings().water_unit
        finally:
            context.close()
        if args.json:
            json.dump(today_json(summary), out, indent=2)
            out.write("\n")
        else:
            out.write(today_text(summary, water_unit))
        return 0
    raise AssertionError(f"unhandled command {args.command}")


def today_json(summary: DaySummary) -> dict[str, Any]:
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
    return {"day": summary.day.isoformat(), "habits": habits}


_STATUS_WORDS = {
    Status.MET: "✓",
    Status.ON_THE_WAY: "…",
    Status.OVER: "!",
    Status.UNDER: "…",
    Status.NOT_LOGGED: "",
    Status.NO_GOAL: "",
}


def today_text(summary: DaySummary, water_unit: str) -> str:
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
    lines.append(_("{met} of {total} goals on track").format(
        met=summary.goals_met, total=len(summary.goals)))
    return "\n".join(lines) + "\n"

