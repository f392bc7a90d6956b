"""Reminder commands: `quell reminders`, `quell pause` and `quell resume` (CONTRACTS.md)."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from desktop.core.i18n import _
from desktop.core.parsing import text_field
from desktop.core.reminders import DayFactsReader, ReminderPolicy, ReminderStatus, parse_pause

if TYPE_CHECKING:
    from desktop.app.cli import Cli
    from desktop.app.context import Context


def add_parsers(subparsers: Any) -> None:
    reminders = subparsers.add_parser(
        "reminders", help=_("list the relief reminders and when each comes next"))
    reminders.add_argument("--json", action="store_true", help=_("print JSON"))
    reminders.set_defaults(run=_run_reminders)

    pause = subparsers.add_parser(
        "pause", help=_("pause the reminders for a while"),
        description=_("Pause every reminder. They resume by themselves, also after a restart."))
    pause.add_argument("duration", metavar="DURATION",
                       help=_("30m, 1h, 2h, 1h30m, 90m, or tomorrow (the next planned wake "
                              "time)"))
    pause.set_defaults(run=_run_pause)

    resume = subparsers.add_parser("resume", help=_("resume paused reminders now"))
    resume.set_defaults(run=_run_resume)


def _run_pause(args: argparse.Namespace, cli: Cli) -> int:
    # The moment the user asked: a request carried out again (the app stopped while answering)
    # pauses until the same time, not a little later.
    return cli.write({"op": "pause", "duration": args.duration,
                      "asked_at": cli.clock.now().isoformat()})


def _run_resume(_args: argparse.Namespace, cli: Cli) -> int:
    return cli.write({"op": "resume"})


def _run_reminders(args: argparse.Namespace, cli: Cli) -> int:
    context = cli.open()
    try:
        paused_until, statuses, now = reminder_statuses(context)
    finally:
        context.close()
    if args.json:
        json.dump(reminders_json(paused_until, statuses), cli.out, indent=2)
        cli.out.write("\n")
    else:
        cli.out.write(reminders_text(paused_until, statuses, now))
    return 0


def reminder_statuses(context: Context
                      ) -> tuple[datetime | None, list[ReminderStatus], datetime]:
    """The pause (None when not paused) and every reminder's state, at the context's now."""
    tracker = context.tracker
    now = tracker.clock.now()
    settings = context.settings()
    policy = ReminderPolicy(settings, tracker.clock.tz)
    facts = DayFactsReader(tracker.summary, tracker.targets, tracker.current_day())
    until = settings.paused_until
    if until is not None and until.astimezone(timezone.utc) <= now.astimezone(timezone.utc):
        until = None
    return (until.astimezone(tracker.clock.tz) if until else None,
            policy.statuses(now, facts), now)


def reminders_json(paused_until: datetime | None, statuses: list[ReminderStatus]
                   ) -> dict[str, Any]:
    return {
        "paused_until": paused_until.isoformat() if paused_until else None,
        "reminders": [
            {
                "kind": status.kind.value,
                "enabled": status.enabled,
                "next": status.next.isoformat() if status.next else None,
                "times": [t.strftime("%H:%M") for t in status.times],
            }
            for status in statuses
        ],
    }


def _when(moment: datetime, now: datetime) -> str:
    days = (moment.date() - now.date()).days
    clock = moment.strftime("%H:%M")
    if days == 0:
        return _("today {time}").format(time=clock)
    if days == 1:
        return _("tomorrow {time}").format(time=clock)
    return moment.strftime("%a %d %b %H:%M")


def reminders_text(paused_until: datetime | None, statuses: list[ReminderStatus],
                   now: datetime) -> str:
    if paused_until is not None:
        lines = [_("Reminders are paused until {when} (quell resume to resume now).").format(
            when=_when(paused_until, now))]
    else:
        lines = [_("Reminders are on.")]
    width = max(len(s.kind.label) for s in statuses)
    for status in statuses:
        if not status.enabled:
            state = _("off")
        elif status.next is None:
            state = _("nothing coming up")
        else:
            state = _("next {when}").format(when=_when(status.next, now))
        lines.append(f"  {status.kind.label:<{width}}  {state}")
    return "\n".join(lines) + "\n"


# How old the moment a pause was asked for may be and still count from then (a retry comes
# within seconds; anything older is a stale request, counted from now).
ASKED_AT_WINDOW = timedelta(minutes=1)


def _pause(request: dict[str, Any], context: Context) -> str:
    now = context.tracker.clock.now()
    settings = context.settings()
    since = _asked_at(request, now)
    until = parse_pause(text_field(request, "duration", label=_("the duration")) or "", since,
                        settings.wake_time)
    if settings.paused_until != until:  # carried out again: nothing to change
        context.settings.save(settings.replace(paused_until=until))
    return _("Reminders paused until {when}.").format(when=_when(until, now))


def _asked_at(request: dict[str, Any], now: datetime) -> datetime:
    """When the user asked (the request's ``asked_at``), or *now* if absent or implausible."""
    text = text_field(request, "asked_at")
    if text is None:
        return now
    try:
        asked = datetime.fromisoformat(text)
        if asked.tzinfo is None:
            return now
        age = now.astimezone(timezone.utc) - asked.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return now
    if timedelta(minutes=-1) <= age <= ASKED_AT_WINDOW:
        return asked.astimezone(now.tzinfo)
    return now


def _resume(_request: dict[str, Any], context: Context) -> str:
    now = context.tracker.clock.now()
    settings = context.settings()
    was_paused = settings.paused_until is not None and (
        settings.paused_until.astimezone(timezone.utc) - now.astimezone(timezone.utc)
        > timedelta(0))
    if settings.paused_until is not None:
        context.settings.save(settings.replace(paused_until=None))
    return _("Reminders resumed.") if was_paused else _("Reminders were not paused.")


OPS = {"pause": _pause, "resume": _resume}
