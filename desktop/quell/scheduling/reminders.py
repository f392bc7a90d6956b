"""The reminder service: alarms built from settings, outcomes stored, sleeps coalesced, and
reminders held while presence says nobody can act on them."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any, Protocol

from PySide6.QtCore import QLocale, QObject, QTime, Signal

from quell.core.clock import Clock
from quell.core.days import shift
from quell.core.entries import Source, Target
from quell.core.habits import WATER_GLASS_ML
from quell.core.presence import AwaySpan, Hold, HoldReason, extend_span
from quell.core.reminders import (
    DayFacts,
    DayFactsReader,
    Occurrence,
    Outcome,
    Reason,
    Reminder,
    ReminderEvent,
    ReminderEventLog,
    ReminderKind,
    ReminderPolicy,
    ReminderStatus,
    hold_reason,
    next_wake,
)
from quell.core.settings import ReminderStyle, Settings
from quell.core.summary import DaySummary
from quell.scheduling.presence import Presence
from quell.scheduling.sleep_watch import SleepWatch

log = logging.getLogger(__name__)

# Nothing pops up in the first minutes after the computer wakes; what fell due meanwhile is
# gathered into one "while you were away" card at the end of this grace.
WAKE_GRACE = timedelta(minutes=3)
# A reminder this late was due while the computer slept or Quell was blocked.
LATE = timedelta(minutes=2)
SNOOZE = timedelta(minutes=10)
LONG_SNOOZE = timedelta(minutes=30)

_AWAY_KEY = "away"
_PAUSE_KEY = "pause"
_HOLD_KEY = "hold"  # a hold's known end (a meeting's): look again then


class Alarms(Protocol):
    """One pending alarm per key (``SchedulerAlarms`` in production, a fake in tests)."""

    def set_handlers(self, on_clock_jump: Callable[[float], None] | None,
                     on_tick: Callable[[], None] | None = None) -> None: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def arm(self, key: str, when: datetime, callback: Callable[[], None]) -> None: ...
    def cancel(self, key: str) -> None: ...
    def armed(self) -> dict[str, datetime]: ...
    def wakeup(self) -> None: ...


# The settings a reminder's schedule or hold depends on (Session.settings_changed's keys).
_SCHEDULE_KEYS = frozenset({"reminders", "bedtime", "wake_time", "day_start_hour",
                            "paused_until", "locale"})


class ReminderSession(Protocol):
    """What the service needs from the ui's ``Session`` (which scheduling may not import)."""

    @property
    def changed(self) -> Any: ...
    @property
    def settings_changed(self) -> Any: ...
    @property
    def day_changed(self) -> Any: ...
    def settings(self) -> Settings: ...
    def save_settings(self, settings: Settings) -> None: ...
    def current_day(self) -> date: ...
    def summary(self, day: date | None = None) -> DaySummary: ...
    def targets(self, day: date | None = None) -> dict[str, Target]: ...
    def log(self, key: str, amount: float | None = None, *, at: datetime | None = None,
            note: str = "", detail: dict[str, Any] | None = None,
            source: Source = Source.WINDOW) -> Any: ...


class _LazyAlarms:
    """SchedulerAlarms, created (and APScheduler imported, ~0.1 s) on first real use."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._real: Alarms | None = None
        self._handlers: tuple[Callable[[float], None] | None, Callable[[], None] | None] = (
            None, None)

    @property
    def real(self) -> Alarms:
        if self._real is None:
            from quell.scheduling.scheduler import SchedulerAlarms

            self._real = SchedulerAlarms(self._clock.tz)
            self._real.set_handlers(*self._handlers)
        return self._real

    def set_handlers(self, on_clock_jump: Callable[[float], None] | None,
                     on_tick: Callable[[], None] | None = None) -> None:
        self._handlers = (on_clock_jump, on_tick)
        if self._real is not None:
            self._real.set_handlers(on_clock_jump, on_tick)

    def start(self) -> None:
        self.real.start()

    def stop(self) -> None:
        if self._real is not None:
            self._real.stop()

    def arm(self, key: str, when: datetime, callback: Callable[[], None]) -> None:
        self.real.arm(key, when, callback)

    def cancel(self, key: str) -> None:
        if self._real is not None:
            self._real.cancel(key)

    def armed(self) -> dict[str, datetime]:
        return self._real.armed() if self._real is not None else {}

    def wakeup(self) -> None:
        if self._real is not None:
            self._real.wakeup()

    @property
    def scheduler(self) -> Any:
        """The QuellScheduler underneath (for tests and diagnostics)."""
        return getattr(self.real, "scheduler", None)


@dataclass(frozen=True)
class AwayNotice:
    """Reminders that fell due while the user was away, for one coalesced card.

    *reason* is the hold they waited behind, or None when the computer slept (or Quell was
    blocked) while they fell due.
    """

    title: str
    lines: tuple[str, ...]
    occurrences: tuple[Occurrence, ...]
    reason: HoldReason | None = None


@dataclass
class _Pending:
    reminder: Reminder
    shown: datetime | None = None


@dataclass
class _Armed:
    occurrence: Occurrence
    snoozed: bool = False


@dataclass(frozen=True)
class _Waiting:
    """An occurrence that fell due and waits to be shown (nothing stored for it yet)."""

    occurrence: Occurrence
    snoozed: bool = False
    # The hold it waits behind; None: it fell due while the computer slept (or Quell was
    # blocked), and waits for the end of the wake grace.
    reason: HoldReason | None = None


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def locale_time(moment: datetime) -> str:
    """A time of day in the user's locale (14:30, or 2:30 PM)."""
    return QLocale().toString(QTime(moment.hour, moment.minute),
                              QLocale.FormatType.ShortFormat)


class Reminders(QObject):
    """Arms one alarm per relief reminder from the settings and reports what falls due.

    The core's :class:`ReminderPolicy` decides times and whether to show; this class keeps the
    alarms in step with settings and data, turns late or post-wake alarms into one "while you
    were away" notice, and stores every outcome.

    Signals:
        due(object): a :class:`Reminder` to present now (card or notification).
        withdrawn(object): a :class:`Reminder` no longer to show (the next one of its kind
            came, or the service stopped); it has been stored as missed.
        away(object): an :class:`AwayNotice` for one coalesced card.
        pause_changed(): reminders were paused or resumed, or a pause ran out.
        schedule_changed(): an armed time moved (or a setting the menu shows, the day, the
            time zone changed); not after an entry that moved no reminder.
        hold_changed(): a hold began, changed or ended (as the service last saw it).

    With *presence*, a reminder that falls due while something holds (the user is away, the
    screen locked, do-not-disturb on, a full-screen window in front, a meeting on) waits,
    and is shown once when nothing holds any more: one card with ``Reminder.held`` set, or one
    :class:`AwayNotice` for several. Time away (or locked) of at least ``away_minutes`` counts
    as the break a waiting stretch or breathe asked for. Every occurrence ends with exactly
    one stored outcome.
    """

    due = Signal(object)
    withdrawn = Signal(object)
    away = Signal(object)
    pause_changed = Signal()
    schedule_changed = Signal()
    hold_changed = Signal()

    def __init__(self, session: ReminderSession, events: ReminderEventLog, clock: Clock, *,
                 alarms: Alarms | None = None, sleep_watch: SleepWatch | None = None,
                 watch_sleep: bool = True, presence: Presence | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._events = events
        self._clock = clock
        # APScheduler is imported in start(), not here: constructing this costs start-up nothing.
        self._alarms: Alarms = alarms or _LazyAlarms(clock)
        self._alarms.set_handlers(self._clock_jumped, self._tick)
        self._sleep_watch = sleep_watch
        self._watch_sleep = watch_sleep
        self._armed: dict[ReminderKind, _Armed] = {}
        self._handled: dict[ReminderKind, datetime] = {}
        self._pending: dict[ReminderKind, _Pending] = {}
        self._waiting: list[_Waiting] = []
        self._woke_at: datetime | None = None
        self._presence = presence
        self._hold: Hold | None = None
        # While something waits: the time nobody was at the computer, and the last hold seen.
        self._span: AwaySpan | None = None
        self._held_by: HoldReason | None = None
        self._hold_moved = False
        self._paused_until = self._active_pause(session.settings())
        self._zone_key = self._zone_name()
        self._running = False

    # -- life cycle -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        """Arm every reminder and follow the session's changes (call once the tray is up)."""
        if self._running:
            return
        self._running = True
        self._alarms.start()
        self._session.settings_changed.connect(self._settings_changed)
        self._session.changed.connect(self._data_changed)
        self._session.day_changed.connect(self._new_day)
        if self._watch_sleep:
            if self._sleep_watch is None:
                self._sleep_watch = SleepWatch(self)
                self._sleep_watch.connect_bus()
            self._sleep_watch.about_to_sleep.connect(self._going_to_sleep)
            self._sleep_watch.woke.connect(self.woke)
        if self._presence is not None:
            self._presence.changed.connect(self._recheck)
        self.rebuild(announce=True)

    def stop(self) -> None:
        """Disarm everything; a reminder still on screen counts as missed."""
        if not self._running:
            return
        self._running = False
        self._session.settings_changed.disconnect(self._settings_changed)
        self._session.changed.disconnect(self._data_changed)
        self._session.day_changed.disconnect(self._new_day)
        if self._watch_sleep and self._sleep_watch is not None:
            self._sleep_watch.about_to_sleep.disconnect(self._going_to_sleep)
            self._sleep_watch.woke.disconnect(self.woke)
        if self._presence is not None:
            self._presence.changed.disconnect(self._recheck)
        for kind in list(self._pending):
            self._withdraw(kind)
        # What still waits was never shown: missed, for the reason it waited.
        waiting, self._waiting = self._waiting, []
        for item in waiting:
            self._record(item.occurrence, Outcome.MISSED, hold_reason(item.reason).value)
        self._span = self._held_by = self._hold = None
        self._hold_moved = False
        if self._presence is not None:
            self._presence.watch(False)
        self._alarms.stop()
        self._armed.clear()

    # -- what the UI shows ----------------------------------------------------------------

    def now(self) -> datetime:
        """The service's clock, for views that say "until 15:30" or "tomorrow"."""
        return self._clock.now()

    def policy(self) -> ReminderPolicy:
        return ReminderPolicy(self._session.settings(), self._clock.tz, locale_time)

    def statuses(self) -> list[ReminderStatus]:
        """Each reminder with its next time, as `quell reminders` lists them."""
        now = self._clock.now()
        return self.policy().statuses(now, self._facts_cache())

    def next_reminder(self) -> ReminderStatus | None:
        """The soonest upcoming reminder, for the tray menu."""
        upcoming = [s for s in self.statuses() if s.next is not None]
        return min(upcoming, key=lambda s: _utc(s.next or s.times[0]), default=None)

    def armed(self) -> dict[ReminderKind, datetime]:
        """When each reminder's alarm is set (a snoozed one at its snooze's end)."""
        return {kind: armed.occurrence.due for kind, armed in self._armed.items()}

    def pending(self) -> list[Reminder]:
        """Reminders shown or waiting for an answer."""
        return [p.reminder for p in self._pending.values()]

    def snoozed_until(self, kind: ReminderKind) -> datetime | None:
        """When a snoozed (or postponed) *kind* comes back, or None when it is not snoozed."""
        armed = self._armed.get(kind)
        return armed.occurrence.due if armed is not None and armed.snoozed else None

    # -- presence -------------------------------------------------------------------------

    def hold(self) -> Hold | None:
        """Why reminders wait now, read afresh (None without presence or when nothing holds).

        A read that finds the hold over shows what waited.
        """
        hold = self._read()
        self._try_release()
        return hold

    def current_hold(self) -> Hold | None:
        """The hold the service last saw, without reading anything (for tooltips)."""
        return self._hold

    def held(self) -> list[Occurrence]:
        """What waits to be shown now: the latest of each kind, soonest first."""
        latest: dict[ReminderKind, Occurrence] = {}
        for item in self._waiting:
            known = latest.get(item.occurrence.kind)
            if known is None or _utc(item.occurrence.due) >= _utc(known.due):
                latest[item.occurrence.kind] = item.occurrence
        kinds = list(ReminderKind)
        return sorted(latest.values(), key=lambda o: (_utc(o.due), kinds.index(o.kind)))

    def remind_now(self, kind: ReminderKind, style: ReminderStyle | None = None) -> Reminder:
        """Show *kind* now (``due``), even while held or paused and also when it is off;
        *style* (card or notification) overrides the user's. Its answer is stored like any
        other."""
        now = self._clock.now()
        policy = self.policy()
        day = policy.day_of(now)
        occurrence = Occurrence(kind, now, day)
        if kind in self._pending:
            self._withdraw(kind)
        reminder = replace(policy.reminder(occurrence, now, self._facts_cache()(day)),
                           style=style)
        self._pending[kind] = _Pending(reminder)
        self.due.emit(reminder)
        return reminder

    def postpone_next(self, length: timedelta) -> Occurrence | None:
        """The soonest armed reminder comes *length* after its due time instead (stored as
        snoozed, "15m"); reminders due at that same time move with it. Returns the new
        occurrence, or None when nothing is armed."""
        now = self._clock.now()
        kinds = list(ReminderKind)
        ahead = sorted(((kind, armed) for kind, armed in self._armed.items()
                        if _utc(armed.occurrence.due) > _utc(now)),
                       key=lambda pair: (_utc(pair[1].occurrence.due), kinds.index(pair[0])))
        if not ahead:
            return None
        soonest = _utc(ahead[0][1].occurrence.due)
        minutes = max(1, round(length.total_seconds() / 60))
        first: Occurrence | None = None
        for kind, armed in ahead:
            occurrence = armed.occurrence
            if _utc(occurrence.due) != soonest:
                break
            self._record(occurrence, Outcome.SNOOZED, f"{minutes}m")
            self._note_handled(kind, occurrence.due)
            later = Occurrence(kind, shift(occurrence.due, length), occurrence.day)
            self._arm(kind, _Armed(later, snoozed=True))
            first = first or later
        self.schedule_changed.emit()
        return first

    # -- pause ----------------------------------------------------------------------------

    @property
    def paused_until(self) -> datetime | None:
        """When reminders resume by themselves, or None when they are not paused."""
        return self._active_pause(self._session.settings())

    def pause(self, length: timedelta) -> datetime:
        until = shift(self._clock.now(), length)
        self.pause_until(until)
        return until

    def pause_until_tomorrow(self) -> datetime:
        """Pause until the next planned wake time."""
        until = next_wake(self._clock.now(), self._session.settings().wake_time)
        self.pause_until(until)
        return until

    def pause_until(self, until: datetime) -> None:
        settings = self._session.settings()
        self._session.save_settings(settings.replace(paused_until=until))

    def resume(self) -> None:
        settings = self._session.settings()
        if settings.paused_until is not None:
            self._session.save_settings(settings.replace(paused_until=None))

    # -- answers from the card ------------------------------------------------------------

    def shown(self, reminder: Reminder) -> None:
        """The card (or notification) for *reminder* is on screen now."""
        pending = self._pending_for(reminder)
        if pending is not None and pending.shown is None:
            pending.shown = self._clock.now()

    def done(self, reminder: Reminder) -> None:
        """Done: water logs a glass; stretch and breathe open their exercise (the UI's part);
        the sleep reminder opens the sleep dialog; the others are simply noted.

        Raises InputError (storing nothing) when the glass of water cannot be logged.
        """
        if self._pending_for(reminder) is None:
            return
        reason = {
            ReminderKind.WATER: Reason.LOGGED,
            ReminderKind.STRETCH: Reason.OPENED,
            ReminderKind.BREATHE: Reason.OPENED,
            ReminderKind.SLEEP_LOG: Reason.OPENED,
        }.get(reminder.kind, Reason.NOTED)
        if reminder.kind is ReminderKind.WATER:
            self._session.log("water", WATER_GLASS_ML, source=Source.REMINDER)
        self._resolve(reminder.kind, Outcome.DONE, reason.value)

    def snooze(self, reminder: Reminder, length: timedelta = SNOOZE) -> datetime | None:
        """Show *reminder* again after *length*; returns when."""
        if self._pending_for(reminder) is None:
            return None
        minutes = max(1, round(length.total_seconds() / 60))
        self._resolve(reminder.kind, Outcome.SNOOZED, f"{minutes}m")
        until = self._free_minute(reminder.kind, shift(self._clock.now(), length))
        occurrence = Occurrence(reminder.kind, until, reminder.day)
        self._arm(reminder.kind, _Armed(occurrence, snoozed=True))
        self.schedule_changed.emit()
        return until

    def _free_minute(self, kind: ReminderKind, until: datetime) -> datetime:
        """*until*, or the first minute after it at which *kind* has no outcome yet.

        A snooze that ends exactly when a postponed reminder of the same kind was due (snooze
        the 11:00 card at 11:50 after postponing the 12:00 one) would give that time a second
        outcome when it comes back; one minute later it is a time of its own."""
        for _ in range(60):
            try:
                taken = self._events.events_between(until, until + timedelta(seconds=1))
            except Exception:  # an unreadable history must not stop the snooze
                log.exception("could not read the %s reminder's outcomes", kind.value)
                break
            if not any(event.reminder is kind for event in taken):
                break
            until = shift(until, timedelta(minutes=1))
        return until

    def skip(self, reminder: Reminder) -> None:
        if self._pending_for(reminder) is not None:
            self._resolve(reminder.kind, Outcome.SKIPPED, "")

    def missed(self, reminder: Reminder) -> None:
        """The card faded without an answer."""
        if self._pending_for(reminder) is not None:
            self._resolve(reminder.kind, Outcome.MISSED, Reason.IGNORED.value)

    # -- sleep and clock changes ----------------------------------------------------------

    def woke(self) -> None:
        """The computer woke up: nothing shows for a few minutes, then one "away" card."""
        now = self._clock.now()
        if self._woke_at is None or _utc(now) >= _utc(self._woke_at) + WAKE_GRACE:
            log.info("woke up; reminders wait %s", WAKE_GRACE)
            self._woke_at = now
        self._alarms.wakeup()

    def _going_to_sleep(self) -> None:
        log.info("the computer is going to sleep")

    def _clock_jumped(self, seconds: float) -> None:
        if seconds > 0:
            # Slept (or the clock was set forward): due alarms run right after this, late.
            self.woke()
        else:
            # The clock went back: recompute from the new now (handled times are remembered).
            self.rebuild(announce=True)

    def _tick(self) -> None:
        refresh = getattr(self._clock, "refresh_zone", None)
        if callable(refresh):
            refresh()
        key = self._zone_name()
        if key != self._zone_key:
            log.info("time zone changed from %s to %s; rebuilding reminders", self._zone_key,
                     key)
            self._zone_key = key
            self.rebuild(announce=True)  # the menu's times are in the new zone

    def _zone_name(self) -> str:
        tz = self._clock.tz
        return str(getattr(tz, "key", None) or tz)

    # -- arming ---------------------------------------------------------------------------

    def rebuild(self, kinds: Iterable[ReminderKind] = tuple(ReminderKind), *,
                announce: bool = False) -> None:
        """Re-arm *kinds* from the current settings and data; one alarm per kind, always.

        ``schedule_changed`` follows when an alarm moved (or the pause did), or with
        *announce* (settings the menu shows changed, a new day): a logged glass that moves no
        reminder makes the tray and the menu redo nothing.
        """
        if not self._running:
            return
        before = self._schedule()
        policy = self.policy()
        facts = self._facts_cache()
        now = self._clock.now()
        for kind in kinds:
            current = self._armed.get(kind)
            if current is not None and _utc(current.occurrence.due) <= _utc(now):
                continue  # overdue: it runs in a moment (after a sleep, as "away")
            if not policy.enabled(kind):
                self._disarm(kind)
                continue
            if current is not None and current.snoozed:
                continue
            handled = self._handled.get(kind)
            after = handled if handled is not None and _utc(handled) > _utc(now) else now
            occurrence = policy.next_occurrence(kind, after, facts)
            if occurrence is None:
                self._disarm(kind)
            elif current is None or current.occurrence != occurrence:
                self._arm(kind, _Armed(occurrence))
        self._arm_pause_end()
        if announce or self._schedule() != before:
            self.schedule_changed.emit()

    def _schedule(self) -> tuple[object, ...]:
        """What the schedule is now: each armed reminder, and the pause."""
        return (tuple(sorted((kind.value, armed.occurrence, armed.snoozed)
                             for kind, armed in self._armed.items())), self._paused_until)

    def _note_handled(self, kind: ReminderKind, due: datetime) -> None:
        previous = self._handled.get(kind)
        if previous is None or _utc(due) > _utc(previous):
            self._handled[kind] = due

    def _arm(self, kind: ReminderKind, armed: _Armed) -> None:
        self._armed[kind] = armed
        self._alarms.arm(kind.value, armed.occurrence.due, lambda: self._fire(kind))

    def _disarm(self, kind: ReminderKind) -> None:
        if self._armed.pop(kind, None) is not None:
            self._alarms.cancel(kind.value)

    def _arm_pause_end(self) -> None:
        until = self._paused_until
        if until is not None:
            self._alarms.arm(_PAUSE_KEY, until, self._pause_ended)
        else:
            self._alarms.cancel(_PAUSE_KEY)

    def _pause_ended(self) -> None:
        settings = self._session.settings()
        until = settings.paused_until
        if until is not None and _utc(until) <= _utc(self._clock.now()):
            log.info("pause over; reminders resume")
            self._session.save_settings(settings.replace(paused_until=None))
        else:
            self._settings_changed()

    # -- firing ---------------------------------------------------------------------------

    def _fire(self, kind: ReminderKind) -> None:
        armed = self._armed.pop(kind, None)
        if armed is None or not self._running:
            return
        if not self.policy().enabled(kind):
            return  # switched off while its alarm was overdue (after a sleep)
        occurrence = armed.occurrence
        now = self._clock.now()
        self._note_handled(kind, occurrence.due)
        late = _utc(now) - _utc(occurrence.due) > LATE
        if late or self._in_wake_grace(now):
            self._gather_away(occurrence, now)
        else:
            self._present(occurrence, now, snoozed=armed.snoozed)
        self.rebuild([kind])

    def _present(self, occurrence: Occurrence, now: datetime, *, snoozed: bool) -> None:
        policy = self.policy()
        facts = self._facts_cache()(occurrence.day)
        decision = policy.decide(occurrence, now, facts)
        if not decision.show:
            assert decision.reason is not None
            self._record(occurrence, Outcome.SUPPRESSED, decision.reason.value)
            return
        if self._presence is not None:
            hold = self._read()
            if hold is not None or self._waiting:
                # Held: it waits (stored once it is shown or given up). With others waiting
                # and the hold just over, it joins them in the one card that follows.
                reason = hold.reason if hold is not None else self._held_by
                self._waiting.append(_Waiting(occurrence, snoozed, reason))
                self._try_release()
                return
            self._follow_presence()  # a hold an earlier read found may be over now
            self._announce_hold()
        self._show(occurrence, now, facts, snoozed=snoozed)

    def _show(self, occurrence: Occurrence, now: datetime, facts: DayFacts, *, snoozed: bool,
              held: HoldReason | None = None) -> None:
        if occurrence.kind in self._pending:
            self._withdraw(occurrence.kind)
        reminder = self.policy().reminder(occurrence, now, facts, snoozed=snoozed)
        if held is not None:
            reminder = replace(reminder, held=held)
        self._pending[occurrence.kind] = _Pending(reminder)
        self.due.emit(reminder)

    def _gather_away(self, occurrence: Occurrence, now: datetime) -> None:
        later = self.policy().occurrences_between(occurrence.kind, occurrence.due, now,
                                                  self._facts_cache())
        # Times already dealt with (postponed, say, then snoozed back before them) have their
        # outcome: not a second one.
        handled = self._handled.get(occurrence.kind)
        later = [o for o in later if handled is None or _utc(o.due) > _utc(handled)]
        if not self._waiting:
            self._forget_episode()
        self._waiting.extend(_Waiting(o) for o in [occurrence, *later])
        if later:
            self._handled[occurrence.kind] = later[-1].due
        flush = now
        if self._woke_at is not None:
            grace_end = shift(self._woke_at, WAKE_GRACE)
            if _utc(grace_end) > _utc(now):
                flush = grace_end
        self._alarms.arm(_AWAY_KEY, flush, self._flush_away)
        self._follow_presence()

    def _flush_away(self) -> None:
        now = self._clock.now()
        if self._in_wake_grace(now):
            assert self._woke_at is not None
            self._alarms.arm(_AWAY_KEY, shift(self._woke_at, WAKE_GRACE), self._flush_away)
            return
        self._woke_at = None
        self._read()
        self._try_release()

    # -- holding --------------------------------------------------------------------------

    def _read(self) -> Hold | None:
        """Read presence afresh and note what it says (the hold, the time away)."""
        hold = self._presence.hold() if self._presence is not None else None
        now = self._clock.now()
        if not self._waiting:
            self._forget_episode()
        if hold is not None:
            self._span = extend_span(self._span, hold, now)
            self._held_by = hold.reason
        elif self._waiting:
            # Back: the time away ran until now if it was what held until now.
            self._span = extend_span(self._span, self._hold, now)
        self._set_hold(hold)
        return hold

    def _forget_episode(self) -> None:
        # Nothing waits: what an earlier read saw (say, the menu's) is no part of what
        # comes next; a hold brings its own start (since).
        self._span = self._held_by = None

    def _set_hold(self, hold: Hold | None) -> None:
        old = self._hold
        self._hold = hold
        if (old is None) != (hold is None) or (
                old is not None and hold is not None
                and (old.reason, old.until) != (hold.reason, hold.until)):
            self._hold_moved = True

    def _announce_hold(self) -> None:
        # Said once the service is in step (what waits, what was shown), not mid-way: a
        # listener reading held() then sees the same state as current_hold().
        if self._hold_moved:
            self._hold_moved = False
            self.hold_changed.emit()

    def _recheck(self) -> None:
        """Presence may have changed (a signal, the minute's poll, a meeting's end)."""
        if not self._running or (not self._waiting and self._hold is None):
            return
        self._read()
        self._try_release()

    def _try_release(self) -> None:
        now = self._clock.now()
        if self._waiting and self._hold is None and not self._in_wake_grace(now):
            self._release(now)
        self._follow_presence()
        self._announce_hold()

    def _follow_presence(self) -> None:
        """Watch presence (and a hold's known end) only while a hold is known: something waits
        behind it, or a read (the menu's, `quell reminders`) found one, which the tooltip and
        the menu then show; watching notices its end, so they never go on saying "waiting"."""
        held = self._hold is not None and self._running
        if self._presence is not None:
            self._presence.watch(held)
        until = self._hold.until if held and self._hold is not None else None
        if until is not None and _utc(until) > _utc(self._clock.now()):
            if self._alarms.armed().get(_HOLD_KEY) != until:
                self._alarms.arm(_HOLD_KEY, until, self._recheck)
        elif _HOLD_KEY in self._alarms.armed():
            self._alarms.cancel(_HOLD_KEY)

    def _release(self, now: datetime) -> None:
        """Nothing holds any more: everything that waited ends in one card at most."""
        waiting, self._waiting = self._waiting, []
        span, self._span = self._span, None
        held_by, self._held_by = self._held_by, None
        self._woke_at = None
        self._alarms.cancel(_AWAY_KEY)
        policy = self.policy()
        facts = self._facts_cache()
        kinds = list(ReminderKind)
        # Reminders falling due this very moment join the card rather than follow it.
        joined = [kind for kind, armed in self._armed.items()
                  if _utc(armed.occurrence.due) <= _utc(now)]
        for kind in joined:
            armed = self._armed[kind]
            self._disarm(kind)
            if policy.enabled(kind):
                self._note_handled(kind, armed.occurrence.due)
                waiting.append(_Waiting(armed.occurrence, armed.snoozed, held_by))

        def order(item: _Waiting) -> tuple[datetime, int]:
            return _utc(item.occurrence.due), kinds.index(item.occurrence.kind)

        missed: list[Occurrence] = []
        # Fell due while the computer slept: judged as at their time, all on the away card.
        for item in sorted((w for w in waiting if w.reason is None), key=order):
            occurrence = item.occurrence
            decision = policy.decide(occurrence, occurrence.due, facts(occurrence.day))
            if decision.show:
                self._record(occurrence, Outcome.MISSED, Reason.AWAY.value)
                missed.append(occurrence)
            else:
                assert decision.reason is not None
                self._record(occurrence, Outcome.SUPPRESSED, decision.reason.value)
        # Held: the time away may have been the break; of each kind only the latest counts,
        # judged now (the water pace of now, not of an hour ago).
        latest: dict[ReminderKind, _Waiting] = {}
        for item in sorted((w for w in waiting if w.reason is not None), key=order):
            occurrence = item.occurrence
            if policy.natural_break(occurrence, span):
                self._record(occurrence, Outcome.SUPPRESSED, Reason.BREAK_TAKEN.value)
                continue
            older = latest.get(occurrence.kind)
            if older is not None:
                self._record(older.occurrence, Outcome.MISSED, hold_reason(older.reason).value)
            latest[occurrence.kind] = item
        shown: list[_Waiting] = []
        for item in sorted(latest.values(), key=order):
            occurrence = item.occurrence
            decision = policy.decide(occurrence, now, facts(occurrence.day))
            if not policy.enabled(occurrence.kind):
                self._record(occurrence, Outcome.MISSED, hold_reason(item.reason).value)
            elif not decision.show:
                assert decision.reason is not None
                self._record(occurrence, Outcome.SUPPRESSED, decision.reason.value)
            else:
                shown.append(item)
        # One reminder comes back as itself, to act on; several, or one from a Quell day that
        # is over (a wind-down held all night), as one card that says what was missed.
        today = policy.day_of(now)
        if not missed and len(shown) == 1 and shown[0].occurrence.day >= today:
            (item,) = shown
            self._show(item.occurrence, now, facts(item.occurrence.day), snoozed=item.snoozed,
                       held=held_by or item.reason)
        elif missed or shown:
            for item in shown:
                self._record(item.occurrence, Outcome.MISSED, hold_reason(item.reason).value)
                missed.append(item.occurrence)
            title, lines = policy.away_text(missed, held_by)
            self.away.emit(AwayNotice(title, tuple(lines), tuple(missed), held_by))
        if joined:
            self.rebuild(joined)

    def _in_wake_grace(self, now: datetime) -> bool:
        return self._woke_at is not None and _utc(now) < _utc(self._woke_at) + WAKE_GRACE

    # -- outcomes -------------------------------------------------------------------------

    def _pending_for(self, reminder: Reminder) -> _Pending | None:
        """The pending reminder *reminder* answers: the same occurrence (the ui may have
        changed its words, as the wind-down's evening question does), else None."""
        pending = self._pending.get(reminder.kind)
        if pending is None:
            return None
        shown = pending.reminder
        same = (shown.due, shown.day, shown.snoozed) == (reminder.due, reminder.day,
                                                         reminder.snoozed)
        return pending if same else None

    def _resolve(self, kind: ReminderKind, outcome: Outcome, reason: str) -> None:
        pending = self._pending.pop(kind)
        reminder = pending.reminder
        self._record(Occurrence(kind, reminder.due, reminder.day), outcome, reason,
                     pending.shown)

    def _withdraw(self, kind: ReminderKind) -> None:
        reminder = self._pending[kind].reminder
        self._resolve(kind, Outcome.MISSED, Reason.IGNORED.value)
        self.withdrawn.emit(reminder)

    def _record(self, occurrence: Occurrence, outcome: Outcome, reason: str,
                shown: datetime | None = None) -> None:
        try:
            self._events.record(ReminderEvent(occurrence.kind, occurrence.due, outcome, reason,
                                              shown))
        except Exception:
            # Losing one history row must not stop the reminders; the traceback is logged.
            log.exception("could not store the %s reminder's outcome", occurrence.kind.value)

    # -- following the session ------------------------------------------------------------

    def _settings_changed(self, keys: frozenset[str] | None = None) -> None:
        """Settings were saved (*keys*: what changed; None: re-read everything)."""
        if keys is not None and not keys & _SCHEDULE_KEYS:
            return  # a unit or a window's setting: no reminder moves
        paused = self._active_pause(self._session.settings())
        pause_moved = paused != self._paused_until
        self._paused_until = paused
        self.rebuild(announce=True)
        if pause_moved:
            self.pause_changed.emit()
        if self._waiting:
            self._recheck()  # the hold settings may have changed

    def _new_day(self) -> None:
        self.rebuild(announce=True)

    def _data_changed(self) -> None:
        # Entries move the water pace, the caffeine last call and the sleep reminder.
        self.rebuild((ReminderKind.WATER, ReminderKind.CAFFEINE_CUTOFF,
                      ReminderKind.SLEEP_LOG))

    def _active_pause(self, settings: Settings) -> datetime | None:
        until = settings.paused_until
        if until is None or _utc(until) <= _utc(self._clock.now()):
            return None
        return until.astimezone(self._clock.tz)

    def _facts_cache(self) -> DayFactsReader:
        session = self._session
        return DayFactsReader(session.summary, session.targets, session.current_day())

