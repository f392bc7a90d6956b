"""Why a reminder waits: the user is away, the screen is locked, do-not-disturb is on, a
full-screen window is in front, or a meeting is on (pure; the sources live in
``quell.platform``, the composite in ``quell.scheduling.presence``)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from quell.core.i18n import _
from quell.core.settings import ReminderSettings


class HoldReason(enum.Enum):
    """Why reminders are held; the values are what `quell reminders --json` prints."""

    SCREEN_LOCKED = "screen_locked"
    AWAY = "away"
    MEETING = "meeting"
    FULLSCREEN = "fullscreen"
    DO_NOT_DISTURB = "do_not_disturb"


# When several hold at once, the first of these is the one named (the strongest reason).
PRIORITY: tuple[HoldReason, ...] = tuple(HoldReason)
# Holds that mean nobody is at the computer: time spent in them can be a natural break.
BREAK_REASONS = frozenset({HoldReason.AWAY, HoldReason.SCREEN_LOCKED})


@dataclass(frozen=True)
class Hold:
    """Reminders are held for *reason* since *since*; *until* is known for a meeting."""

    reason: HoldReason
    since: datetime
    until: datetime | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"reason": self.reason.value, "since": self.since.isoformat(),
                "until": self.until.isoformat() if self.until is not None else None}


def first_hold(holds: Iterable[Hold | None]) -> Hold | None:
    """The hold to name among *holds* (None where a source holds nothing), by PRIORITY."""
    found = [hold for hold in holds if hold is not None]
    if not found:
        return None
    return min(found, key=lambda hold: PRIORITY.index(hold.reason))


def waiting_text(hold: Hold, time_text: Callable[[datetime], str]) -> str:
    """One line saying why reminders wait now: "Reminders waiting: you are away"."""
    if hold.reason is HoldReason.MEETING and hold.until is not None:
        return _("Reminders waiting: your meeting until {time}").format(
            time=time_text(hold.until))
    return {
        HoldReason.SCREEN_LOCKED: _("Reminders waiting: the screen is locked"),
        HoldReason.AWAY: _("Reminders waiting: you are away"),
        HoldReason.MEETING: _("Reminders waiting: you are in a meeting"),
        HoldReason.FULLSCREEN: _("Reminders waiting: a full-screen window is in front"),
        HoldReason.DO_NOT_DISTURB: _("Reminders waiting: do not disturb is on"),
    }[hold.reason]


def waited_text(reason: HoldReason) -> str:
    """A line for a reminder shown after it waited: "It waited while you were away."."""
    return {
        HoldReason.SCREEN_LOCKED: _("It waited while the screen was locked."),
        HoldReason.AWAY: _("It waited while you were away."),
        HoldReason.MEETING: _("It waited until your meeting was over."),
        HoldReason.FULLSCREEN: _("It waited until the full-screen window was closed."),
        HoldReason.DO_NOT_DISTURB: _("It waited until do not disturb was off."),
    }[reason]


def hold_wanted(reason: HoldReason, settings: ReminderSettings) -> bool:
    """Whether the user's settings let *reason* hold reminders.

    Being away, do-not-disturb and full-screen windows each have a setting; a locked screen
    and a meeting always hold (nobody can answer a card on a lock screen, and a meeting's
    sources are empty unless the user pointed Quell at a calendar or listed meeting apps).
    """
    if reason is HoldReason.AWAY:
        return settings.hold_when_away
    if reason is HoldReason.DO_NOT_DISTURB:
        return settings.hold_in_do_not_disturb
    if reason is HoldReason.FULLSCREEN:
        return settings.hold_in_fullscreen
    return True


@dataclass(frozen=True)
class AwaySpan:
    """A stretch of time nobody was at the computer (away or locked), *start* to *end*."""

    start: datetime
    end: datetime

    def covers(self, moment: datetime) -> bool:
        """Whether *moment* falls inside the span (both ends included)."""
        return _utc(self.start) <= _utc(moment) <= _utc(self.end)

    def lasted(self, length: timedelta) -> bool:
        """Whether the span is at least *length* long."""
        return _utc(self.end) - _utc(self.start) >= length


def extend_span(span: AwaySpan | None, hold: Hold | None, now: datetime) -> AwaySpan | None:
    """The away span after *hold* was seen at *now*.

    An away or locked hold starts a span at its ``since`` (when the user left, not when Quell
    noticed) or stretches the current one to *now*; any other hold, or none, leaves the span
    as it was (the caller ends the span when the hold is over).
    """
    if hold is None or hold.reason not in BREAK_REASONS:
        return span
    if span is None:
        return AwaySpan(hold.since, now)
    return AwaySpan(min(span.start, hold.since, key=_utc), now)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)
