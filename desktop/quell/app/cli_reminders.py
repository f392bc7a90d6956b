"""Reminder commands: `quell reminders`, `quell remind`, `quell pause` and `quell resume`
(CONTRACTS.md)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from quell.app.ipc import Op
from quell.core.errors import InputError
from quell.core.i18n import _
from quell.core.parsing import text_field
from quell.core.presence import Hold, HoldReason, waiting_text
from quell.core.reminders import (
    DayFactsReader,
    ReminderKind,
    ReminderPolicy,
    ReminderStatus,
    parse_pause,
)
from quell.core.settings import ReminderStyle

if TYPE_CHECKING:
    from quell.app.cli import Cli
    from quell.app.context import Context

KINDS = tuple(kind.value for kind in ReminderKind)
# How `quell remind --as` may show it; without --as, the user's own style (card, notification
# or both) from the settings.
REMIND_STYLES = (ReminderStyle.CARD.value, ReminderStyle.NOTIFICATION.value)

NOT_RUNNING = _("Quell is not running: start it first (quell), then try again.")


def add_parsers(subparsers: Any) -> None:
    reminders = subparsers.add_parser(
        "reminders", help=_("list the relief reminders and when each comes next"),
        description=_("List the relief reminders: when each comes next, whether one is "
                      "snoozed, and, while Quell runs, whether reminders are waiting and why."))
    reminders.add_argument("--json", action="store_true", help=_("print JSON"))
    reminders.set_defaults(run=_run_reminders)

    remind = subparsers.add_parser(
        "remind", help=_("show a reminder now (Quell must be running)"),
        description=_("Show a reminder now, even while reminders wait or are paused: to try "
                      "the settings, or from a script. Its answer is stored like any other."))
    remind.add_argument("kind", metavar="KIND", choices=KINDS,
                        help=_("one of: {kinds}").format(kinds=", ".join(KINDS)))
    remind.add_argument("--as", dest="style", choices=REMIND_STYLES,
                        help=_("show it as a card or a notification (default: as in the "
                               "settings)"))
    remind.set_defaults(run=_run_remind)

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
    return cli.write({"op": Op.PAUSE.value, "duration": args.duration,
                      "asked_at": cli.clock.now().isoformat()})


def _run_resume(_args: argparse.Namespace, cli: Cli) -> int:
    return cli.write({"op": Op.RESUME.value})


def _run_reminders(args: argparse.Namespace, cli: Cli) -> int:
    # The running app knows what this process cannot: whether reminders wait (it reads the
    # desktop's presence as it answers) and which ones are snoozed. Without it, the database.
    reply = cli.ask({"op": Op.REMINDERS.value})
    now = cli.clock.now()
    if reply is not None:
        document = read_reminders_document(reply.get("reminders"))
    else:
        context = cli.open()
        try:
            paused_until, statuses, now = reminder_statuses(context)
        finally:
            context.close()
        document = reminders_json(paused_until, statuses)
    if args.json:
        json.dump(document, cli.out, indent=2)
        cli.out.write("\n")
    else:
        cli.out.write(reminders_text(document, now))
    return 0


def _run_remind(args: argparse.Namespace, cli: Cli) -> int:
    request: dict[str, Any] = {"op": Op.REMIND.value, "kind": args.kind}
    if args.style is not None:
        request["style"] = args.style
    reply = cli.ask(request)
    if reply is None:
        raise InputError(NOT_RUNNING)
    print(_one_line(reply.get("output")) or _("Showing the reminder now."), file=cli.out)
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


def reminders_json(paused_until: datetime | None, statuses: list[ReminderStatus],
                   hold: Hold | None = None,
                   snoozed: Mapping[ReminderKind, datetime | None] | None = None
                   ) -> dict[str, Any]:
    """The `quell reminders --json` document. *hold* and *snoozed* are known only to the
    running app; without it, ``hold`` and every ``snoozed_until`` are null. A snoozed (or
    postponed) reminder comes next at its snooze's end, so that is its ``next`` too."""
    snoozed = snoozed or {}
    return {
        "paused_until": _iso(paused_until),
        "hold": hold.to_json() if hold is not None else None,
        "reminders": [
            {
                "kind": status.kind.value,
                "enabled": status.enabled,
                "next": _iso(snoozed.get(status.kind) or status.next),
                "times": [t.strftime("%H:%M") for t in status.times],
                "snoozed_until": _iso(snoozed.get(status.kind)),
            }
            for status in statuses
        ],
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


class UnreadableReply(InputError):
    """The running app answered with something this `quell` cannot read."""

    def __init__(self) -> None:
        super().__init__(_("the running Quell answered with something this quell command "
                           "cannot read (a different version?); quit Quell and start it "
                           "again."))


def read_reminders_document(value: object) -> dict[str, Any]:
    """*value* (the app's answer to "reminders") checked field by field; raises
    UnreadableReply. A reply is printed as given only once every field is what the contract
    says, so a wrong one is one clear line, never a traceback or half a listing."""
    if not isinstance(value, dict) or set(value) != {"paused_until", "hold", "reminders"}:
        raise UnreadableReply
    _moment_or_none(value["paused_until"])
    hold = value["hold"]
    if hold is not None:
        if not isinstance(hold, dict) or set(hold) != {"reason", "since", "until"}:
            raise UnreadableReply
        if hold["reason"] not in {reason.value for reason in HoldReason}:
            raise UnreadableReply
        if _moment_or_none(hold["since"]) is None:
            raise UnreadableReply
        _moment_or_none(hold["until"])
    items = value["reminders"]
    if not isinstance(items, list) or len(items) > len(KINDS):
        raise UnreadableReply
    for item in items:
        if not isinstance(item, dict) or set(item) != {"kind", "enabled", "next", "times",
                                                       "snoozed_until"}:
            raise UnreadableReply
        if item["kind"] not in KINDS or not isinstance(item["enabled"], bool):
            raise UnreadableReply
        _moment_or_none(item["next"])
        _moment_or_none(item["snoozed_until"])
        times = item["times"]
        if not isinstance(times, list) or not all(
                isinstance(t, str) and len(t) == 5 and t[2] == ":" and t.replace(":", "", 1)
                .isdigit() for t in times):
            raise UnreadableReply
    if len({item["kind"] for item in items}) != len(items):
        raise UnreadableReply
    return value


def _moment_or_none(value: object) -> datetime | None:
    """An ISO 8601 moment with its offset, or None for null; raises UnreadableReply."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise UnreadableReply
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UnreadableReply from None
    if moment.tzinfo is None:
        raise UnreadableReply
    return moment


def _when(moment: datetime, now: datetime) -> str:
    moment = moment.astimezone(now.tzinfo)
    days = (moment.date() - now.date()).days
    clock = moment.strftime("%H:%M")
    if days == 0:
        return _("today {time}").format(time=clock)
    if days == 1:
        return _("tomorrow {time}").format(time=clock)
    return moment.strftime("%a %d %b %H:%M")


def _snoozed_when(moment: datetime, now: datetime) -> str:
    """"15:40" today (a snooze is minutes away), else as `_when` says it."""
    if moment.astimezone(now.tzinfo).date() == now.date():
        return moment.astimezone(now.tzinfo).strftime("%H:%M")
    return _when(moment, now)


def _hold_of(document: Mapping[str, Any]) -> Hold | None:
    hold = document.get("hold")
    if hold is None:
        return None
    since = _moment_or_none(hold["since"])
    assert since is not None  # checked by read_reminders_document
    return Hold(HoldReason(hold["reason"]), since, _moment_or_none(hold["until"]))


def reminders_text(document: Mapping[str, Any], now: datetime) -> str:
    """The listing for people, from the `--json` document (one source for both outputs)."""
    paused_until = _moment_or_none(document.get("paused_until"))
    if paused_until is not None:
        lines = [_("Reminders are paused until {when} (quell resume to resume now).").format(
            when=_when(paused_until, now))]
    else:
        lines = [_("Reminders are on.")]
    hold = _hold_of(document)
    if hold is not None:
        lines.append(waiting_text(hold, lambda moment: moment.astimezone(now.tzinfo)
                                  .strftime("%H:%M")) + ".")
    items = document["reminders"]
    labels = {item["kind"]: ReminderKind(item["kind"]).label for item in items}
    width = max((len(label) for label in labels.values()), default=0)
    for item in items:
        upcoming = _moment_or_none(item["next"])
        snoozed = _moment_or_none(item.get("snoozed_until"))
        if snoozed is not None:
            state = _("snoozed until {when}").format(when=_snoozed_when(snoozed, now))
        elif not item["enabled"]:
            state = _("off")
        elif upcoming is None:
            state = _("nothing coming up")
        else:
            state = _("next {when}").format(when=_when(upcoming, now))
        lines.append(f"  {labels[item['kind']]:<{width}}  {state}")
    return "\n".join(lines) + "\n"


def _one_line(value: object) -> str:
    return " ".join(str(value or "").split())


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


OPS = {Op.PAUSE.value: _pause, Op.RESUME.value: _resume}
