"""The relief reminders' policy: when each one falls due, and whether and what to show (pure)."""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Protocol

from quell.core import formatting
from quell.core.caffeine import CaffeineModel, Drink, LateDrink, drinks_from
from quell.core.days import day_of, hours_between, local_datetime, shift, time_on_day
from quell.core.entries import Entry, Target
from quell.core.errors import InputError
from quell.core.habits import habit
from quell.core.i18n import _
from quell.core.presence import AwaySpan, HoldReason
from quell.core.settings import ReminderSettings, ReminderStyle, Settings
from quell.core.summary import DaySummary

# Water is "on pace" while no more than this far behind the time-of-day share of the goal.
PACE_SLACK_ML = 250.0
# A stretch or breathing session logged this recently makes the next reminder unnecessary.
RECENTLY = timedelta(minutes=30)
# How far ahead the schedule looks for a reminder's next time (weekday choices skip days).
_DAYS_AHEAD = 9
_PAUSE = re.compile(r"^(?:(\d{1,3})h)?(?:(\d{1,4})m(?:in)?)?$")
MAX_PAUSE = timedelta(days=7)


class ReminderKind(enum.Enum):
    """The six relief reminders; the values are the names the CLI and the database use."""

    WATER = "water"
    STRETCH = "stretch"
    BREATHE = "breathe"
    CAFFEINE_CUTOFF = "caffeine_cutoff"
    WIND_DOWN = "wind_down"
    SLEEP_LOG = "sleep_log"

    @property
    def label(self) -> str:
        """The reminder's name in the user's language."""
        return {
            ReminderKind.WATER: _("Water"),
            ReminderKind.STRETCH: _("Stretch break"),
            ReminderKind.BREATHE: _("Breathing"),
            ReminderKind.CAFFEINE_CUTOFF: _("Caffeine last call"),
            ReminderKind.WIND_DOWN: _("Wind down"),
            ReminderKind.SLEEP_LOG: _("Log your sleep"),
        }[self]


class Outcome(enum.Enum):
    """What became of a reminder (CONTRACTS.md, "Reminder outcomes")."""

    DONE = "done"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"
    MISSED = "missed"
    SUPPRESSED = "suppressed"


class Reason(enum.Enum):
    """Why a reminder was suppressed, missed or done; stored with the outcome."""

    PAUSED = "paused"
    QUIET_HOURS = "quiet_hours"
    GOAL_MET = "goal_met"
    ON_PACE = "on_pace"
    STRETCHED_RECENTLY = "stretched_recently"
    BREATHED_RECENTLY = "breathed_recently"
    ALREADY_LOGGED = "already_logged"
    LIMIT_REACHED = "limit_reached"
    AWAY = "away"            # fell due while the computer slept or Quell was blocked
    IGNORED = "ignored"      # the card faded (or Quell quit) without an answer
    LOGGED = "logged"        # Done logged the habit (a glass of water)
    OPENED = "opened"        # Done opened the guided exercise or the sleep dialog
    NOTED = "noted"          # Done on a reminder with nothing to log
    BREAK_TAKEN = "break_taken"  # a stretch or breathe fell due while the user was away
    # Missed because it waited behind a hold that gave way to a coalesced card (AWAY above
    # serves for an away hold too).
    SCREEN_LOCKED = "screen_locked"
    DO_NOT_DISTURB = "do_not_disturb"
    FULLSCREEN = "fullscreen"
    MEETING = "meeting"


def hold_reason(reason: HoldReason | None) -> Reason:
    """The stored reason for a reminder that waited behind *reason* (None: the computer
    slept or Quell was blocked, which is "away")."""
    return Reason.AWAY if reason is None else Reason(reason.value)


# The reminders a spell away from the computer stands in for: the break itself.
BREAK_KINDS = frozenset({ReminderKind.STRETCH, ReminderKind.BREATHE})


@dataclass(frozen=True)
class ReminderEvent:
    """One stored outcome. ``reason`` is a :class:`Reason` value or, for a snooze, "10m"."""

    reminder: ReminderKind
    due: datetime
    outcome: Outcome
    reason: str = ""
    shown: datetime | None = None
    id: int | None = None


class ReminderEventLog(Protocol):
    """Where outcomes are kept (implemented by ``quell.storage.reminder_events``)."""

    def record(self, event: ReminderEvent) -> ReminderEvent: ...
    def events_between(self, start: datetime, end: datetime) -> list[ReminderEvent]: ...


@dataclass(frozen=True)
class DayFacts:
    """What the policy needs to know about one Quell day's entries."""

    day: date
    water_ml: float = 0.0
    water_target_ml: float | None = None
    caffeine: tuple[Drink, ...] = ()   # this day's drinks and the day before's (carry-over)
    caffeine_mg: float = 0.0            # this day's total
    caffeine_limit_mg: float | None = None
    last_stretch: datetime | None = None
    last_breathing: datetime | None = None
    sleep_logged: bool = False


def facts_from(day: date, entries: Iterable[Entry], targets: Mapping[str, Target]) -> DayFacts:
    """The facts of Quell day *day* from its entries and the day before's (for caffeine)."""
    entries = list(entries)
    today = [e for e in entries if e.day == day]

    def total(key: str) -> float:
        return float(sum(e.amount for e in today if e.habit == key))

    def latest(key: str) -> datetime | None:
        times = [e.at for e in entries if e.habit == key and e.day <= day]
        return max(times, key=_utc) if times else None

    water_target = targets.get("water")
    caffeine_limit = targets.get("caffeine")
    return DayFacts(
        day=day,
        water_ml=total("water"),
        water_target_ml=water_target.value if water_target else None,
        caffeine=tuple(drinks_from(e for e in entries if e.day in (day, day - timedelta(1)))),
        caffeine_mg=total("caffeine"),
        caffeine_limit_mg=caffeine_limit.value if caffeine_limit else None,
        last_stretch=latest("stretching"),
        last_breathing=latest("breathing"),
        sleep_logged=any(e.habit == "sleep" for e in today),
    )


FactsFor = Callable[[date], DayFacts]


class DayFactsReader:
    """A :data:`FactsFor` that reads each Quell day once through *summary* and *targets*.

    Days after *today* have nothing logged yet, so only their goals are filled in.
    """

    def __init__(self, summary: Callable[[date], DaySummary],
                 targets: Callable[[date], Mapping[str, Target]], today: date) -> None:
        self._summary = summary
        self._targets = targets
        self._today = today
        self._known: dict[date, DayFacts] = {}

    def __call__(self, day: date) -> DayFacts:
        if day not in self._known:
            if day > self._today:
                water = self._targets(self._today).get("water")
                self._known[day] = DayFacts(day, water_target_ml=water.value if water else None)
            else:
                self._known[day] = facts_of_summaries(
                    day, self._summary(day - timedelta(days=1)), self._summary(day),
                    self._targets(day))
        return self._known[day]


def facts_of_summaries(day: date, before: DaySummary, today: DaySummary,
                       targets: Mapping[str, Target]) -> DayFacts:
    """The facts :func:`facts_from` finds, read from the summaries of *day* and the day
    *before*: each habit's entries are there in time order and with their total, so the cost
    follows the day's caffeine drinks, not all of its entries (a write after the 3,000th
    glass of water costs what the first did)."""
    def entries(summary: DaySummary, key: str) -> tuple[Entry, ...]:
        progress = summary.get(key)
        return progress.entries if progress is not None else ()

    def total(key: str) -> float:
        progress = today.get(key)
        return float(progress.total or 0.0) if progress is not None else 0.0

    def latest(key: str) -> datetime | None:
        # The last of each day's entries is its latest; the day before's wins a tie, as the
        # first of equal times does in facts_from.
        ends = [found[-1].at for found in (entries(before, key), entries(today, key)) if found]
        return max(ends, key=_utc) if ends else None

    water_target = targets.get("water")
    caffeine_limit = targets.get("caffeine")
    return DayFacts(
        day=day,
        water_ml=total("water"),
        water_target_ml=water_target.value if water_target else None,
        caffeine=tuple(drinks_from((*entries(before, "caffeine"), *entries(today, "caffeine")))),
        caffeine_mg=total("caffeine"),
        caffeine_limit_mg=caffeine_limit.value if caffeine_limit else None,
        last_stretch=latest("stretching"),
        last_breathing=latest("breathing"),
        sleep_logged=bool(entries(today, "sleep")),
    )


@dataclass(frozen=True)
class Occurrence:
    """A reminder falling due at *due*, on behalf of Quell day *day*."""

    kind: ReminderKind
    due: datetime
    day: date


@dataclass(frozen=True)
class Decision:
    """Show the reminder, or suppress it for *reason*."""

    show: bool
    reason: Reason | None = None


@dataclass(frozen=True)
class Reminder:
    """A reminder ready to present: its words and what Done does."""

    kind: ReminderKind
    due: datetime
    day: date
    title: str
    body: str
    done_label: str
    snoozed: bool = False
    # Why it waited before being shown (None: shown when it fell due).
    held: HoldReason | None = None
    # A style overriding the user's for this one (`quell remind --as card|notification`).
    style: ReminderStyle | None = None
    # Done opens today's twitch rating (the wind-down's evening question).
    asks_rating: bool = False


def with_rating_question(reminder: Reminder) -> Reminder:
    """The wind-down reminder with the day's one twitch question, for a day not yet rated:
    how much twitching bothered the user today, answered with Done. It is never a reminder of
    its own, and no other reminder asks it."""
    if reminder.kind is not ReminderKind.WIND_DOWN or reminder.asks_rating:
        return reminder
    return dataclasses.replace(
        reminder,
        body=reminder.body + " " + _("Before you go: how much did twitching bother you "
                                     "today?"),
        done_label=_("Rate today…"),
        asks_rating=True)


@dataclass(frozen=True)
class ReminderStatus:
    """A reminder's state for `quell reminders` and the settings page."""

    kind: ReminderKind
    enabled: bool
    next: datetime | None
    times: tuple[datetime, ...]  # its times on the current Quell day


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def _hhmm(moment: datetime) -> str:
    return moment.strftime("%H:%M")


class ReminderPolicy:
    """Schedules and judges reminders for one set of settings in one time zone.

    All times are aware datetimes in *tz*; wall-clock times (13:00) are placed on Quell days
    with :func:`quell.core.days.time_on_day`, so DST and the day-start hour are respected,
    while intervals (every 60 min) are real elapsed time.
    """

    def __init__(self, settings: Settings, tz: tzinfo,
                 time_text: Callable[[datetime], str] = _hhmm) -> None:
        self.settings = settings
        self.tz = tz
        self._time_text = time_text
        r = settings.reminders
        self.caffeine = CaffeineModel(r.caffeine_half_life_hours, float(r.caffeine_bedtime_mg),
                                      float(r.caffeine_drink_mg))

    @property
    def config(self) -> ReminderSettings:
        return self.settings.reminders

    # -- which reminders, which days ------------------------------------------------------

    def enabled(self, kind: ReminderKind) -> bool:
        r = self.config
        return {
            ReminderKind.WATER: r.water,
            ReminderKind.STRETCH: r.stretch,
            ReminderKind.BREATHE: r.breathe and bool(r.breathe_times),
            ReminderKind.CAFFEINE_CUTOFF: r.caffeine_cutoff,
            ReminderKind.WIND_DOWN: r.wind_down,
            ReminderKind.SLEEP_LOG: r.sleep_log,
        }[kind]

    def weekdays(self, kind: ReminderKind) -> tuple[int, ...]:
        r = self.config
        return {
            ReminderKind.WATER: r.water_days,
            ReminderKind.STRETCH: r.stretch_days,
            ReminderKind.BREATHE: r.breathe_days,
            ReminderKind.CAFFEINE_CUTOFF: r.caffeine_days,
            ReminderKind.WIND_DOWN: r.wind_down_days,
            ReminderKind.SLEEP_LOG: r.sleep_log_days,
        }[kind]

    def day_of(self, moment: datetime) -> date:
        return day_of(moment.astimezone(self.tz), self.settings.day_start_hour)

    # -- the day's landmarks --------------------------------------------------------------

    def at(self, day: date, clock_time: time) -> datetime:
        """*clock_time* on Quell day *day*."""
        return time_on_day(day, clock_time, self.settings.day_start_hour, self.tz)

    def bedtime(self, day: date) -> datetime:
        """The planned bedtime that ends Quell day *day*."""
        return self.at(day, self.settings.bedtime)

    def window(self, day: date, start: time, end: time) -> tuple[datetime, datetime]:
        """A wall-clock window on Quell day *day*; it runs past midnight when *end* < *start*."""
        begin = self.at(day, start)
        end_date = begin.date() + timedelta(days=1 if end <= start else 0)
        return begin, local_datetime(end_date, end, self.tz)

    def water_window(self, day: date) -> tuple[datetime, datetime]:
        return self.window(day, self.config.water_from, self.config.water_until)

    def cutoff(self, facts: DayFacts) -> datetime | None:
        """The latest time a typical drink keeps tonight's bedtime level within the limit."""
        return self.caffeine.cutoff(self.bedtime(facts.day), facts.caffeine)

    @staticmethod
    def water_paced(facts: DayFacts) -> bool:
        """Whether the water reminder follows a pace: only with a daily goal above 0.

        Without one there is no pace to be on, so it falls back to a plain interval.
        """
        return facts.water_target_ml is not None and facts.water_target_ml > 0

    def water_expected(self, now: datetime, facts: DayFacts) -> float:
        """How much water the pace expects by *now*: the goal spread over the water hours."""
        target = facts.water_target_ml if self.water_paced(facts) else 0.0
        assert target is not None
        start, end = self.water_window(facts.day)
        span = hours_between(start, end)
        share = min(max(hours_between(start, now) / span, 0.0), 1.0) if span > 0 else 1.0
        return target * share

    # -- when ------------------------------------------------------------------------------

    def occurrences_on(self, kind: ReminderKind, facts: DayFacts) -> list[datetime]:
        """The times *kind* falls due on Quell day ``facts.day`` (sorted), for its facts.

        A met water goal or a logged night ends that day's water or sleep reminders; the
        caffeine last call moves with the drinks logged so far.
        """
        day = facts.day
        if not self.enabled(kind) or day.isoweekday() not in self.weekdays(kind):
            return []
        r = self.config
        if kind is ReminderKind.WATER:
            if self.water_paced(facts) and facts.water_ml >= (facts.water_target_ml or 0.0):
                return []
            return self._every(*self.water_window(day), r.water_every_minutes)
        if kind is ReminderKind.STRETCH:
            start, end = self.window(day, r.stretch_from, r.stretch_until)
            return self._every(start, end, r.stretch_every_minutes)
        if kind is ReminderKind.BREATHE:
            return sorted((self.at(day, t) for t in r.breathe_times), key=_utc)
        if kind is ReminderKind.WIND_DOWN:
            return [shift(self.bedtime(day), -timedelta(minutes=r.wind_down_minutes))]
        if kind is ReminderKind.SLEEP_LOG:
            if facts.sleep_logged:
                return []
            wake = self.at(day, self.settings.wake_time)
            return [shift(wake, timedelta(minutes=r.sleep_log_minutes))]
        cutoff = self.cutoff(facts)
        if cutoff is None or cutoff >= self.bedtime(day):
            return []  # no drink fits tonight, or any drink does: no last call needed
        # On the whole minute, rounded down: an estimate needs no seconds, and earlier is safe.
        last_call = shift(cutoff, -timedelta(minutes=r.caffeine_notice_minutes)).replace(
            second=0, microsecond=0)
        if _utc(last_call) <= _utc(self.at(day, self.settings.wake_time)):
            return []
        return [last_call]

    @staticmethod
    def _every(start: datetime, end: datetime, minutes: int) -> list[datetime]:
        times = []
        step = timedelta(minutes=minutes)
        moment = shift(start, step)
        while _utc(moment) < _utc(end):
            times.append(moment)
            moment = shift(moment, step)
        return times

    def next_occurrence(self, kind: ReminderKind, after: datetime, facts_for: FactsFor
                        ) -> Occurrence | None:
        """The first time *kind* falls due strictly after *after*, or None when it is off."""
        for occurrence in self._scan(kind, after, facts_for):
            return occurrence
        return None

    def occurrences_between(self, kind: ReminderKind, start: datetime, end: datetime,
                            facts_for: FactsFor) -> list[Occurrence]:
        """Every time *kind* fell due in (*start*, *end*]."""
        found = []
        for occurrence in self._scan(kind, start, facts_for):
            if _utc(occurrence.due) > _utc(end):
                break
            found.append(occurrence)
        return found

    def _scan(self, kind: ReminderKind, after: datetime, facts_for: FactsFor
              ) -> Iterable[Occurrence]:
        if not self.enabled(kind):
            return
        # A Quell day's reminders may run into the next calendar day, so start a day early.
        first = self.day_of(after) - timedelta(days=1)
        for offset in range(_DAYS_AHEAD + 1):
            day = first + timedelta(days=offset)
            for due in self.occurrences_on(kind, facts_for(day)):
                if _utc(due) > _utc(after):
                    yield Occurrence(kind, due.astimezone(self.tz), day)

    def next_shown(self, kind: ReminderKind, after: datetime, facts_for: FactsFor
                   ) -> Occurrence | None:
        """Like :meth:`next_occurrence`, skipping times a pause or quiet hours would silence."""
        for count, occurrence in enumerate(self._scan(kind, after, facts_for)):
            if count > 2000:
                break
            if not (self.paused(occurrence.due) or self.in_quiet_hours(occurrence.due)):
                return occurrence
        return None

    def statuses(self, now: datetime, facts_for: FactsFor) -> list[ReminderStatus]:
        """Every reminder, on or off, with its next time and today's times."""
        today = facts_for(self.day_of(now))
        result = []
        for kind in ReminderKind:
            on = self.enabled(kind)
            upcoming = self.next_shown(kind, now, facts_for) if on else None
            result.append(ReminderStatus(
                kind, on, upcoming.due if upcoming else None,
                tuple(t.astimezone(self.tz) for t in self.occurrences_on(kind, today))))
        return result

    # -- whether ---------------------------------------------------------------------------

    def paused(self, moment: datetime) -> bool:
        until = self.settings.paused_until
        return until is not None and _utc(moment) < _utc(until)

    def in_quiet_hours(self, moment: datetime) -> bool:
        r = self.config
        if not r.quiet_hours:
            return False
        clock = moment.astimezone(self.tz).time().replace(second=0, microsecond=0)
        start, end = r.quiet_from, r.quiet_until
        if start < end:
            return start <= clock < end
        return clock >= start or clock < end

    def decide(self, occurrence: Occurrence, now: datetime, facts: DayFacts) -> Decision:
        """Whether to show *occurrence* at *now*, or why not."""
        if self.paused(now):
            return Decision(False, Reason.PAUSED)
        if self.in_quiet_hours(occurrence.due):
            return Decision(False, Reason.QUIET_HOURS)
        kind = occurrence.kind
        if kind is ReminderKind.WATER:
            # Without a goal nothing is met and there is no pace: every interval shows.
            if self.water_paced(facts):
                target = facts.water_target_ml
                assert target is not None
                if facts.water_ml >= target:
                    return Decision(False, Reason.GOAL_MET)
                if self.water_expected(now, facts) - facts.water_ml < PACE_SLACK_ML:
                    return Decision(False, Reason.ON_PACE)
        elif kind is ReminderKind.STRETCH:
            if _recent(facts.last_stretch, now):
                return Decision(False, Reason.STRETCHED_RECENTLY)
        elif kind is ReminderKind.BREATHE:
            if _recent(facts.last_breathing, now):
                return Decision(False, Reason.BREATHED_RECENTLY)
        elif kind is ReminderKind.CAFFEINE_CUTOFF:
            limit = facts.caffeine_limit_mg
            if limit is not None and facts.caffeine_mg >= limit:
                return Decision(False, Reason.LIMIT_REACHED)
        elif kind is ReminderKind.SLEEP_LOG and facts.sleep_logged:
            return Decision(False, Reason.ALREADY_LOGGED)
        return Decision(True)

    def natural_break(self, occurrence: Occurrence, span: AwaySpan | None) -> bool:
        """Whether *occurrence* fell due during time away long enough to count as the break
        it asks for (a stretch or breathe inside a span of at least ``away_minutes``)."""
        return (occurrence.kind in BREAK_KINDS and span is not None
                and span.lasted(timedelta(minutes=self.config.away_minutes))
                and span.covers(occurrence.due))

    # -- what ------------------------------------------------------------------------------

    def reminder(self, occurrence: Occurrence, now: datetime, facts: DayFacts, *,
                 snoozed: bool = False) -> Reminder:
        """The words for *occurrence*, shown at *now*."""
        kind = occurrence.kind
        when = self._time_text
        if kind is ReminderKind.WATER:
            title = _("Time for a glass of water")
            if self.water_paced(facts):
                behind = self.water_expected(now, facts) - facts.water_ml
                amount = formatting.amount(habit("water"), max(50.0, round(behind / 50) * 50),
                                           self.settings.water_unit)
                body = _("You're about {amount} behind today's pace. Water through the day "
                         "helps your nerves and muscles keep their balance.").format(
                             amount=amount)
            else:
                body = _("Water through the day helps your nerves and muscles keep their "
                         "balance. With no daily water goal set, this comes every {minutes} "
                         "min instead of following a pace.").format(
                             minutes=self.config.water_every_minutes)
            done = _("Drank a glass")
        elif kind is ReminderKind.STRETCH:
            title = _("Stretch break")
            body = _("A few minutes of gentle stretching can settle a twitchy muscle for a "
                     "while: calves, thighs, neck and shoulders, forearms and hands.")
            done = _("Start stretching")
        elif kind is ReminderKind.BREATHE:
            title = _("Time for a slow breath")
            body = _("Slow belly breathing calms the nerves. In through the nose, out a little "
                     "longer, for {minutes} min.").format(minutes=self.config.breathe_minutes)
            done = _("Start breathing")
        elif kind is ReminderKind.CAFFEINE_CUTOFF:
            cutoff = self.cutoff(facts) or occurrence.due
            title = _("Last call for caffeine")
            body = _("Make any coffee or tea the last one by {cutoff}, so it has mostly worn off "
                     "by bedtime at {bedtime}. After that, decaf or herbal tea are kinder to "
                     "your sleep.").format(cutoff=when(cutoff),
                                           bedtime=when(self.bedtime(occurrence.day)))
            done = _("Got it")
        elif kind is ReminderKind.WIND_DOWN:
            title = _("Time to wind down")
            body = _("Bedtime is at {bedtime}. Dim the lights and put the screens away: a full "
                     "night's sleep helps your muscles recover.").format(
                         bedtime=when(self.bedtime(occurrence.day)))
            done = _("Got it")
        else:
            title = _("How did you sleep?")
            body = _("Log last night's sleep while you still remember it. Over time you'll see "
                     "how sleep and twitches go together.")
            done = _("Log sleep…")
        return Reminder(kind, occurrence.due, occurrence.day, title, body, done, snoozed)

    def away_text(self, occurrences: Iterable[Occurrence], reason: HoldReason | None = None
                  ) -> tuple[str, list[str]]:
        """The "while you were away" card: a title and one line per reminder kind.

        *reason* is the hold they waited behind (None: the computer slept); it names the
        card's title.
        """
        by_kind: dict[ReminderKind, list[datetime]] = {}
        for occurrence in sorted(occurrences, key=lambda o: _utc(o.due)):
            by_kind.setdefault(occurrence.kind, []).append(occurrence.due)
        lines = [
            _("{reminder} · {times}").format(
                reminder=kind.label, times=", ".join(self._time_text(t) for t in times))
            for kind in ReminderKind if kind in by_kind
            for times in [by_kind[kind]]
        ]
        return away_title(reason), lines


def away_title(reason: HoldReason | None) -> str:
    """The coalesced card's title after reminders waited behind *reason*."""
    if reason is HoldReason.MEETING:
        return _("During your meeting")
    if reason is HoldReason.FULLSCREEN:
        return _("While a full-screen window was in front")
    if reason is HoldReason.DO_NOT_DISTURB:
        return _("While do not disturb was on")
    return _("While you were away")


def late_caffeine_text(late: LateDrink, time_text: Callable[[datetime], str] = _hhmm
                       ) -> tuple[str, str]:
    """The gentle warning for a drink logged after the day's cut-off or after bedtime: a title
    and a body."""
    if late.after_bedtime:
        title = _("After your planned bedtime")
        body = _("This drink comes after your planned bedtime ({bedtime}): about {left} mg of "
                 "caffeine is in your body now, and it takes hours to wear off, so sleep may "
                 "come late and light tonight. Decaf or herbal tea are gentler at night.").format(
                     bedtime=time_text(late.bedtime), left=round(late.left_at_bedtime_mg))
    else:
        title = _("After today's caffeine cut-off")
        body = _("About {left} mg of caffeine will still be in your body at bedtime ({bedtime}), "
                 "above the {limit} mg you aimed for, so sleep may come lighter tonight. For the "
                 "rest of the evening, decaf or herbal tea are gentler.").format(
                     left=round(late.left_at_bedtime_mg), bedtime=time_text(late.bedtime),
                     limit=round(late.limit_mg))
    if late.cutoff is not None:
        fits = (_("On another day, a drink like this one fits before {time}.")
                if late.after_bedtime else _("A drink like this one fits before {time}."))
        body += " " + fits.format(time=time_text(late.cutoff))
    return title, body


def _recent(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and timedelta(0) <= _utc(now) - _utc(moment) <= RECENTLY


def next_wake(now: datetime, wake_time: time) -> datetime:
    """The next planned wake time after *now* (today's if still ahead, else tomorrow's)."""
    tz = now.tzinfo
    assert tz is not None
    for offset in range(3):
        moment = local_datetime(now.date() + timedelta(days=offset), wake_time, tz)
        if _utc(moment) > _utc(now):
            return moment
    raise AssertionError("a wake time always comes within three days")


def parse_pause(text: str, now: datetime, wake_time: time) -> datetime:
    """The end of a pause: ``30m``, ``1h``, ``2h``, ``1h30m``, ``90m`` or ``tomorrow``."""
    raw = text.strip().lower().replace(" ", "")
    if raw == "tomorrow":
        return next_wake(now, wake_time)
    match = _PAUSE.match(raw)
    if not raw or not match or not (match.group(1) or match.group(2)):
        raise InputError(_("'{text}' is not a pause (use e.g. 30m, 1h, 1h30m, 90m or "
                           "tomorrow)").format(text=text.strip()))
    length = timedelta(hours=int(match.group(1) or 0), minutes=int(match.group(2) or 0))
    if length <= timedelta(0) or length > MAX_PAUSE:
        raise InputError(_("a pause lasts from 1 minute to 7 days"))
    return shift(now, length)
