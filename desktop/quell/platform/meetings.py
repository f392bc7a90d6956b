"""Meetings as a presence source: a local calendar file (or folder) and running meeting apps.

Both hold reminders with reason MEETING. :class:`CalendarMeetings` reads a local ``.ics`` file,
or every ``.ics`` file in a folder, that the user's calendar app exports or syncs; it never
connects anywhere. :class:`MeetingApps` looks for running programs by name (Linux ``/proc``).
Both are poll-only: the composite reads them when a reminder falls due, and then at most once a
minute while something waits, so neither costs anything while nothing is due.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from quell.core.presence import Hold, HoldReason

if TYPE_CHECKING:
    # icalendar and recurring_ical_events take about 0.1 s to import: only when a calendar is
    # read, not at every start.
    import icalendar

log = logging.getLogger(__name__)

# Bounds, so a huge or hostile calendar cannot stall the GUI thread.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 50
# Occurrences are expanded for this far either side of now, and the result is kept while now
# stays within REUSE of the moment it was worked out.
WINDOW = timedelta(days=1)
REUSE = timedelta(hours=12)
# A timed "event" longer than this is a trip or an out-of-office block, not a meeting: holding
# every reminder for days would look like Quell had stopped working.
LONGEST_MEETING = timedelta(hours=12)
# dateutil walks a rule from its first occurrence (about 2.5 µs a step here): a series that
# would take more steps than this to reach the window is skipped, as is any series once a
# file's steps add up to FILE_STEPS.
SERIES_STEPS = 20_000
FILE_STEPS = 100_000
# Occurrences kept per series and per file inside the window.
SERIES_OCCURRENCES = 200
FILE_OCCURRENCES = 2_000

_PERIOD_SECONDS = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600, "DAILY": 86400,
                   "WEEKLY": 7 * 86400, "MONTHLY": 28 * 86400, "YEARLY": 365 * 86400}
# Rule parts that only filter occurrences (COUNT then says little about how far dateutil walks).
_FILTERS = ("BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "BYSETPOS")
_BOM = b"\xef\xbb\xbf"
# For dropping past events from the text before parsing (see _without_past_events).
_FOLD = re.compile(rb"\r?\n[ \t]")
_EVENT = re.compile(rb"^BEGIN:VEVENT\r?$.*?^END:VEVENT\r?(?:\n|\Z)", re.M | re.S | re.I)
_REPEATS = re.compile(rb"^(?:RRULE|RDATE|RECURRENCE-ID)[;:]", re.M | re.I)
# DTSTART, its parameters (quoted values may hold colons), then the date's 8 digits.
_DTSTART_DAY = re.compile(rb'^DTSTART(?:;(?:"[^"\r\n]*"|[^":\r\n])*)?:(\d{8})', re.M | re.I)
# An event with a flaw in any of these is skipped (icalendar keeps it, marked as broken).
_TIMING = frozenset({"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE",
                     "RECURRENCE-ID"})

Interval = tuple[datetime, datetime]


@dataclass
class _Parsed:
    """What one calendar file holds, kept until its (mtime, size) changes.

    Single events are reduced to busy intervals at once (naive = floating, in the local zone);
    recurring series keep their components, expanded for a window around now when asked.
    """

    signature: tuple[int, int]
    singles: list[Interval] = field(default_factory=list)
    series: dict[str, list[icalendar.Component]] = field(default_factory=dict)
    timezones: list[icalendar.Component] = field(default_factory=list)
    calendar_zone: str = ""   # X-WR-TIMEZONE, when the calendar names one
    me: frozenset[str] = frozenset()
    unreadable: int = 0   # events skipped because their times or rules could not be read
    logged: set[str] = field(default_factory=set)  # problems already said, once per change
    # The expansion for a window: (anchor, zone) it was worked out for, and its intervals.
    anchor: datetime | None = None
    zone: tzinfo | None = None
    intervals: list[Interval] = field(default_factory=list)


class CalendarMeetings:
    """Holds reminders during a timed, busy event of a local calendar (reason MEETING).

    *path* returns the absolute path of an ``.ics`` file or of a folder of them ("" = none).
    The hold runs from the event's start to its end; meetings that overlap or follow each other
    without a gap make one hold until the last one ends. Declined, cancelled, free
    (TRANSP:TRANSPARENT) and all-day events do not count. Files are parsed again only when their
    modification time or size changes; unreadable files are logged once per change and
    otherwise ignored.
    """

    reason = HoldReason.MEETING

    def __init__(self, path: Callable[[], str]) -> None:
        self._path = path
        self._files: dict[Path, _Parsed] = {}
        self._logged: set[str] = set()  # folder problems said once each

    def available(self) -> bool:
        path = self._path()
        return bool(path) and os.path.exists(path)

    def set_listener(self, callback: Callable[[], None] | None) -> None:
        """Poll-only: a calendar file says nothing when it changes."""

    def read(self, now: datetime) -> Hold | None:
        intervals: list[Interval] = []
        for parsed in self._parsed_files(now.date()):
            intervals.extend(self._window(parsed, now))
        # Compared in UTC: aware times in one zone compare by the wall clock, which in the hour
        # a DST change repeats put a meeting now an hour away.
        block = _block_at(intervals, now.astimezone(timezone.utc))
        if block is None:
            return None
        zone = now.tzinfo
        return Hold(HoldReason.MEETING, since=block[0].astimezone(zone),
                    until=block[1].astimezone(zone))

    # -- files ----------------------------------------------------------------------------

    def _calendar_files(self) -> list[Path]:
        text = self._path()
        if not text:
            return []
        path = Path(text)
        try:
            if path.is_file():
                return [path]
            if not path.is_dir():
                return []
            with os.scandir(path) as entries:
                found = sorted(Path(entry.path) for entry in entries
                               if entry.name.lower().endswith(".ics") and entry.is_file())
        except OSError as error:
            self._once(f"cannot read the meetings calendar {text}: {error}")
            return []
        if len(found) > MAX_FILES:
            self._once(f"the meetings folder {text} has {len(found)} calendar files; reading "
                       f"the first {MAX_FILES}")
        return found[:MAX_FILES]

    def _once(self, message: str) -> None:
        if message not in self._logged:
            self._logged.add(message)
            log.warning("%s", message)

    def _parsed_files(self, today: date) -> Iterator[_Parsed]:
        files = self._calendar_files()
        for gone in set(self._files) - set(files):
            del self._files[gone]
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                continue  # removed since the listing
            signature = (stat.st_mtime_ns, stat.st_size)
            parsed = self._files.get(path)
            if parsed is None or parsed.signature != signature:
                parsed = _parse_file(path, signature, today)
                self._files[path] = parsed
            yield parsed

    # -- occurrences ----------------------------------------------------------------------

    def _window(self, parsed: _Parsed, now: datetime) -> list[Interval]:
        zone = now.tzinfo
        assert zone is not None, "presence is read with an aware local time"
        if (parsed.anchor is None or parsed.zone != zone
                or abs(now.astimezone(timezone.utc) - parsed.anchor.astimezone(timezone.utc))
                > REUSE):
            parsed.anchor, parsed.zone = now, zone
            parsed.intervals = _expand(parsed, now)
        return parsed.intervals


def _parse_file(path: Path, signature: tuple[int, int], today: date) -> _Parsed:
    """Read one calendar file; a file too big or broken is logged and holds nothing.

    Single events that started before the day before yesterday (*today* - 2) are dropped
    before parsing: they can never hold again, and an exported calendar is mostly the past
    (icalendar takes about 0.4 s per thousand events).
    """
    parsed = _Parsed(signature)
    if signature[1] > MAX_FILE_BYTES:
        log.warning("skipped the calendar %s: it is over %d MB", path,
                    MAX_FILE_BYTES // (1024 * 1024))
        return parsed
    try:
        import icalendar

        data = _without_past_events(path.read_bytes().removeprefix(_BOM),
                                    today - timedelta(days=2))
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
        if not calendars:
            raise ValueError("no calendar in it (no complete BEGIN:VCALENDAR … END:VCALENDAR)")
        for calendar in calendars:
            _collect(calendar, parsed)
    except Exception as error:  # any flaw in a user's file: log it, go on
        log.warning("cannot read the calendar %s: %s: %s", path, type(error).__name__, error)
        log.debug("calendar parse failure", exc_info=True)
        return _Parsed(signature)
    if parsed.unreadable:
        log.warning("skipped %d unreadable events in the calendar %s", parsed.unreadable, path)
    return parsed


def _without_past_events(data: bytes, before: date) -> bytes:
    """*data* without the single (not repeating) VEVENTs that start before *before*.

    A plain text pass, far cheaper than parsing: lines are unfolded, and an event is dropped
    only when it has no RRULE, RDATE or RECURRENCE-ID and its DTSTART's date is readable and
    earlier; anything unusual is kept for the parser to judge.
    """
    data = _FOLD.sub(b"", data)
    key = before.strftime("%Y%m%d").encode()

    def keep(match: re.Match[bytes]) -> bytes:
        block = match.group(0)
        if _REPEATS.search(block):
            return block
        start = _DTSTART_DAY.search(block)
        return b"" if start is not None and start.group(1) < key else block

    return _EVENT.sub(keep, data)


def _collect(calendar: icalendar.Calendar, parsed: _Parsed) -> None:
    name = str(calendar.get("X-WR-CALNAME", ""))
    if "@" in name:  # Google names an account's main calendar by its address
        parsed.me = parsed.me | {_address(name)}
    parsed.calendar_zone = parsed.calendar_zone or str(calendar.get("X-WR-TIMEZONE", ""))
    parsed.timezones.extend(calendar.walk("VTIMEZONE"))
    for event in calendar.walk("VEVENT"):
        if any(name in _TIMING for name, _problem in getattr(event, "errors", ())):
            parsed.unreadable += 1
            continue
        if any(key in event for key in ("RRULE", "RDATE", "RECURRENCE-ID")):
            parsed.series.setdefault(str(event.get("UID", "")), []).append(event)
            continue
        interval = _busy_interval(event, parsed.me)
        if interval is not None:
            parsed.singles.append(interval)


def _busy_interval(event: icalendar.Component, me: frozenset[str]) -> Interval | None:
    """The (start, end) of a single timed, busy event; None for anything that is not one."""
    start = _value(event.get("DTSTART"))
    if not isinstance(start, datetime) or not _busy(event, me):
        return None
    end = _value(event.get("DTEND"))
    if end is None and event.get("DURATION") is not None:
        duration = _value(event.get("DURATION"))
        end = start + duration if isinstance(duration, timedelta) else None
    if not isinstance(end, datetime) or (end.tzinfo is None) != (start.tzinfo is None):
        return None
    return start, end


def _busy(event: icalendar.Component, me: frozenset[str]) -> bool:
    """Whether *event* keeps the user busy: not free, not cancelled, not declined."""
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return False
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return False
    return not _declined(event, me)


def _declined(event: icalendar.Component, me: frozenset[str]) -> bool:
    """Whether the user declined *event*, when the file says who the user is.

    The user is an attendee whose address the calendar names (X-WR-CALNAME), or the only
    attendee. With several attendees and no such address, the answer is unknown: not declined.
    """
    attendees = event.get("ATTENDEE")
    if attendees is None:
        return False
    if not isinstance(attendees, list):
        attendees = [attendees]
    mine = [a for a in attendees if _address(str(a)) in me] if me else []
    if not mine and len(attendees) == 1:
        mine = attendees
    if not mine:
        return False
    return all(str(getattr(a, "params", {}).get("PARTSTAT", "")).upper() == "DECLINED"
               for a in mine)


def _address(text: str) -> str:
    text = text.strip().lower()
    return text[len("mailto:"):] if text.startswith("mailto:") else text


def _value(prop: Any) -> Any:
    return getattr(prop, "dt", None) if prop is not None else None


def _expand(parsed: _Parsed, now: datetime) -> list[Interval]:
    """Busy intervals of *parsed* overlapping now ± WINDOW, as aware local times."""
    zone = now.tzinfo
    assert zone is not None
    floating = _zone(parsed.calendar_zone) or zone
    start, end = now - WINDOW, now + WINDOW
    found: list[Interval] = []
    for interval in parsed.singles:
        aware = _aware(interval, floating, zone)
        if aware is not None and aware[0] < end and aware[1] > start:
            found.append(aware)
    if parsed.series:
        found.extend(itertools.islice(_recurring(parsed, start, end, floating, zone),
                                      FILE_OCCURRENCES))
    return found


def _recurring(parsed: _Parsed, start: datetime, end: datetime, floating: tzinfo,
               zone: tzinfo) -> Iterator[Interval]:
    import icalendar
    import recurring_ical_events  # type: ignore[import-untyped]

    calendar = icalendar.Calendar()
    calendar.add("PRODID", "-//Quell//meetings//EN")
    calendar.add("VERSION", "2.0")
    if parsed.calendar_zone:
        calendar.add("X-WR-TIMEZONE", parsed.calendar_zone)
    for timezone_component in parsed.timezones:
        calendar.add_component(timezone_component)
    steps = 0
    for uid, components in parsed.series.items():
        cost = sum(_rule_steps(component, end, floating) for component in components)
        if cost > SERIES_STEPS or steps + cost > FILE_STEPS:
            _once(parsed, logging.INFO, f"skipped the repeating event {uid!r}: its rule is too "
                  f"costly to expand (about {cost} steps)")
            continue
        steps += cost
        for component in components:
            calendar.add_component(component)
    try:
        query = recurring_ical_events.of(calendar, skip_bad_series=True)
    except Exception as error:  # a flaw in the user's file
        _once(parsed, logging.WARNING, f"cannot expand repeating events: "
                                       f"{type(error).__name__}: {error}")
        return
    for series in query.series:
        try:
            occurrences = list(itertools.islice(series.between(start, end),
                                                SERIES_OCCURRENCES))
        except Exception as error:  # one bad series hides no other
            _once(parsed, logging.WARNING, f"cannot expand a repeating event: "
                                           f"{type(error).__name__}: {error}")
            continue
        for occurrence in occurrences:
            begin, finish = occurrence.start, occurrence.end
            if not isinstance(begin, datetime) or not isinstance(finish, datetime):
                continue  # all day
            component = occurrence.as_component(False)
            if not _busy(component, parsed.me):
                continue
            aware = _aware((begin, finish), floating, zone)
            if aware is not None:
                yield aware


def _once(parsed: _Parsed, level: int, message: str) -> None:
    """Log *message* the first time this version of the file causes it."""
    if message not in parsed.logged:
        parsed.logged.add(message)
        log.log(level, "%s", message)


def _rule_steps(component: icalendar.Component, end: datetime, floating: tzinfo) -> int:
    """Roughly how many steps dateutil takes to walk *component*'s rules up to *end*."""
    rules = component.get("RRULE")
    if rules is None:
        return 1
    if not isinstance(rules, list):
        rules = [rules]
    first = _value(component.get("DTSTART"))
    if isinstance(first, datetime):
        first = first if first.tzinfo is not None else first.replace(tzinfo=floating)
    elif isinstance(first, date):
        first = datetime(first.year, first.month, first.day, tzinfo=floating)
    else:
        return 1
    total = 0
    for rule in rules:
        total += _steps(rule, first, end)
    return total


def _steps(rule: Any, first: datetime, end: datetime) -> int:
    def part(name: str) -> list[Any]:
        value = rule.get(name)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    freq = str((part("FREQ") or ["DAILY"])[0]).upper()
    period = _PERIOD_SECONDS.get(freq, 86400)
    try:
        interval = max(1, int((part("INTERVAL") or [1])[0]))
    except (TypeError, ValueError):
        interval = 1
    last = end
    until = (part("UNTIL") or [None])[0]
    if isinstance(until, datetime):
        last = min(end, until if until.tzinfo is not None else until.replace(
            tzinfo=first.tzinfo))
    elif isinstance(until, date):
        last = min(end, datetime(until.year, until.month, until.day, tzinfo=first.tzinfo))
    periods = max(0.0, (last - first).total_seconds()) / (period * interval) + 1
    count = part("COUNT")
    if count and not any(part(name) for name in _FILTERS):
        with contextlib.suppress(TypeError, ValueError):
            periods = min(periods, int(count[0]))
    factor = 1
    for name, finer_than in (("BYHOUR", 3600), ("BYMINUTE", 60), ("BYSECOND", 1)):
        if period > finer_than:
            factor *= max(1, len(part(name)))
    return int(min(periods * factor, 10 ** 12))


def _aware(interval: Interval, floating: tzinfo, zone: tzinfo) -> Interval | None:
    """*interval* in UTC (so it compares and subtracts by the instant, also across a DST
    change), floating times taken in *floating*; None if too long, empty or reversed."""
    begin, finish = (when if when.tzinfo is not None else when.replace(tzinfo=floating)
                     for when in interval)
    begin, finish = begin.astimezone(timezone.utc), finish.astimezone(timezone.utc)
    if not timedelta(0) < finish - begin <= LONGEST_MEETING:
        return None
    return begin, finish


def _zone(name: str) -> tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return None


def _block_at(intervals: Iterable[Interval], now: datetime) -> Interval | None:
    """The run of overlapping or back-to-back intervals that covers *now*, if any."""
    block: Interval | None = None
    for begin, finish in sorted(intervals):
        if block is not None and begin <= block[1]:
            block = (block[0], max(block[1], finish))
            continue
        if block is not None and block[0] <= now < block[1]:
            return block
        if begin > now:
            return None
        block = (begin, finish)
    if block is not None and block[0] <= now < block[1]:
        return block
    return None


# -- meeting apps -------------------------------------------------------------------------


class MeetingApps:
    """Holds reminders while a meeting app runs (reason MEETING), named by process name.

    *names* returns the program names to look for ("zoom", "teams"), compared without regard to
    case with each process's name (Linux ``/proc/PID/comm``, which keeps 15 characters) and the
    base name of its command. The hold runs since the app was first seen running; its end is
    unknown. Linux only (the folder *proc_root*, for tests); elsewhere it is unavailable.
    """

    reason = HoldReason.MEETING

    def __init__(self, names: Callable[[], tuple[str, ...]], *,
                 proc_root: str | os.PathLike[str] = "/proc") -> None:
        self._names = names
        self._root = Path(proc_root)
        self._since: dict[str, datetime] = {}

    def available(self) -> bool:
        return bool(self._names()) and sys.platform.startswith("linux") and self._root.is_dir()

    def set_listener(self, callback: Callable[[], None] | None) -> None:
        """Poll-only: processes come and go without telling anyone."""

    def read(self, now: datetime) -> Hold | None:
        wanted = {name.strip().lower() for name in self._names() if name.strip()}
        if not wanted or not self._root.is_dir():
            self._since.clear()
            return None
        running = self._running(wanted)
        self._since = {name: self._since.get(name, now) for name in running}
        if not self._since:
            return None
        return Hold(HoldReason.MEETING, since=min(self._since.values()))

    def _running(self, wanted: set[str]) -> set[str]:
        """Which of *wanted* (lower case) some process runs as."""
        short = {name[:15]: name for name in wanted}  # the kernel keeps 15 characters
        found: set[str] = set()
        try:
            entries = list(os.scandir(self._root))
        except OSError:
            return found
        for entry in entries:
            if not entry.name.isdigit():
                continue
            for name in _process_names(Path(entry.path)):
                match = name if name in wanted else short.get(name)
                if match is not None:
                    found.add(match)
                    break  # its command line need not be read
            if found == wanted:
                break
        return found


def _process_names(folder: Path) -> Iterator[str]:
    """The names a process goes by, in lower case: its comm, and its command's base name."""
    try:
        yield (folder / "comm").read_bytes().decode("utf-8", "replace").strip().lower()
    except OSError:
        return  # gone, or not ours to read
    try:
        command = (folder / "cmdline").read_bytes().split(b"\0", 1)[0]
    except OSError:
        return
    if not command:
        return
    text = command.decode("utf-8", "replace")
    yield os.path.basename(text).lower()
    # Chromium-based apps rewrite their command line as one string, arguments and all.
    if " " in text:
        yield os.path.basename(text.split(" ", 1)[0]).lower()
