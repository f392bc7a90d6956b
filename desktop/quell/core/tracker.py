"""Logging, editing and summarising habits: the use cases every front end goes through."""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol, TypeVar

from quell.core.clock import Clock
from quell.core.days import day_of, hours_between, local_datetime, shift, time_on_day
from quell.core.entries import Entry, Source, Target
from quell.core.errors import InputError
from quell.core.habits import (
    MAX_USER_HABITS,
    Direction,
    DrinkPreset,
    Habit,
    HabitCatalog,
    user_habit,
)
from quell.core.i18n import _
from quell.core.notes import clean_note
from quell.core.parsing import check_amount, checked_moment
from quell.core.settings import Settings
from quell.core.summary import DaySummary, HabitProgress, habit_progress

# Days whose entries the tracker keeps in memory: today, yesterday (reminders read it), the
# day a window shows, and a few more; older ones are read again when asked for.
CACHED_DAYS = 8


T = TypeVar("T")


class EntryStore(Protocol):
    """What the tracker needs from storage (implemented by ``quell.storage``)."""

    def add_entry(self, entry: Entry) -> Entry: ...
    def update_entry(self, entry: Entry) -> Entry: ...
    def delete_entry(self, entry_id: int) -> None: ...
    def restore_entry(self, entry_id: int) -> None: ...
    def get_entry(self, entry_id: int) -> Entry | None: ...
    def entries_between(self, first_day: date, last_day: date) -> list[Entry]: ...
    def targets_on(self, day: date) -> dict[str, Target]: ...
    def set_target(self, target: Target) -> None: ...
    def enabled_habits(self) -> list[str]: ...
    def set_enabled_habits(self, keys: Sequence[str]) -> None: ...
    def habit_order(self) -> list[str]: ...
    def habit_definitions(self) -> list[Habit]: ...
    def add_habit(self, habit: Habit, target: Target | None) -> None: ...
    def update_habit(self, habit: Habit, target: Target | None) -> None: ...
    def set_habit_archived(self, key: str, archived: bool) -> None: ...
    def set_habit_order(self, keys: Sequence[str]) -> None: ...
    def has_entries(self, key: str) -> bool: ...
    def change_stamp(self) -> tuple[Hashable, Hashable]:
        """(changes by others, changes by us): equal stamps mean nothing read has changed.

        The first part must not move for this store's own writes, so that a write by someone
        else while we write is still noticed.
        """
        ...


class _CachedDay:
    """One Quell day as last read: each habit's entries in time order, and what was built."""

    __slots__ = ("entries", "progress", "summary", "targets")

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries: dict[str, list[Entry]] = {}
        for entry in entries:  # the store gives them in time order
            self.entries.setdefault(entry.habit, []).append(entry)
        self.progress: dict[str, HabitProgress] = {}
        self.summary: DaySummary | None = None
        self.targets: dict[str, Target] | None = None

    def add(self, entry: Entry) -> None:
        habit_entries = self.entries.setdefault(entry.habit, [])
        # Same order as the store's (time, then id); almost always an append at the end.
        bisect.insort_right(habit_entries, entry, key=_order)
        self.changed(entry.habit)

    def remove(self, entry: Entry) -> None:
        """Drop *entry* (as held: same habit, time and id) if this day holds it."""
        habit_entries = self.entries.get(entry.habit, [])
        index = bisect.bisect_left(habit_entries, _order(entry), key=_order)
        if index < len(habit_entries) and habit_entries[index].id == entry.id:
            del habit_entries[index]
            self.changed(entry.habit)

    def changed(self, key: str) -> None:
        self.progress.pop(key, None)
        self.summary = None

    def forget_built(self) -> None:
        self.progress.clear()
        self.summary = None
        self.targets = None


def _order(entry: Entry) -> tuple[datetime, int]:
    return entry.at, entry.id or 0


@dataclass(frozen=True)
class Logged:
    """What logging produced: the stored entry and its habit's progress that day."""

    entry: Entry
    progress: HabitProgress


class Tracker:
    """Validates and applies every change to the user's habit data.

    It takes the store, the clock and a settings provider so that the same rules serve the
    tray, the windows, reminders and the command line.
    """

    def __init__(self, store: EntryStore, clock: Clock, settings: Callable[[], Settings]) -> None:
        self._store = store
        self._catalog: HabitCatalog | None = None  # read from the store when first asked
        self._clock = clock
        self._settings = settings
        # A write costs the same on an empty day and a full one: each change is applied to the
        # days held here, and only the changed habit's progress is built again. The store's
        # change stamp tells when someone else (an import, another connection) changed data.
        self._days: OrderedDict[date, _CachedDay] = OrderedDict()
        self._stamp: tuple[Hashable, Hashable] | None = None

    # -- days ----------------------------------------------------------------------------

    @property
    def clock(self) -> Clock:
        return self._clock

    @property
    def store(self) -> EntryStore:
        return self._store

    @property
    def habits(self) -> HabitCatalog:
        """Every habit this database knows: the built-ins and the user's own (archived ones
        flagged), read once and again after a change of habits (here or by someone else)."""
        self._check_stamp()
        if self._catalog is None:
            self._catalog = HabitCatalog(self._store.habit_definitions())
        return self._catalog

    def current_day(self) -> date:
        return day_of(self._clock.now(), self._settings().day_start_hour)

    def day_of(self, moment: datetime) -> date:
        return day_of(moment, self._settings().day_start_hour)

    def moment_on_day(self, day: date, clock_time: time | None = None) -> datetime:
        """A time on Quell day *day*: *clock_time*, or now for today and noon for past days."""
        if clock_time is None:
            if day == self.current_day():
                return self._clock.now()
            clock_time = time(12, 0)
        return time_on_day(day, clock_time, self._settings().day_start_hour, self._clock.tz)

    def summary(self, day: date | None = None) -> DaySummary:
        day = day or self.current_day()
        self._check_stamp()
        cached = self._day(day)
        if cached.summary is None:
            targets = self._targets_of(day, cached)
            catalog = self.habits
            progress = []
            for key in self._store.enabled_habits():
                built = cached.progress.get(key)
                if built is None:
                    spec = catalog.find(key)
                    if spec is None:  # a row no definition explains: nothing to show
                        continue
                    built = cached.progress[key] = habit_progress(
                        spec, cached.entries.get(key, ()), targets.get(key))
                progress.append(built)
            cached.summary = DaySummary(day=day, habits=tuple(progress))
        return cached.summary

    def targets(self, day: date | None = None) -> dict[str, Target]:
        day = day or self.current_day()
        self._check_stamp()
        cached = self._days.get(day)
        if cached is None:  # not worth holding a day's entries for its targets alone
            return self._store.targets_on(day)
        return dict(self._targets_of(day, cached))

    # -- what is held in memory ----------------------------------------------------------

    def _check_stamp(self) -> None:
        stamp = self._store.change_stamp()
        if stamp != self._stamp:
            self._days.clear()
            self._catalog = None
            self._stamp = stamp

    def _day(self, day: date) -> _CachedDay:
        cached = self._days.get(day)
        if cached is None:
            cached = self._days[day] = _CachedDay(self._store.entries_between(day, day))
            while len(self._days) > CACHED_DAYS:
                self._days.popitem(last=False)
        else:
            self._days.move_to_end(day)
        return cached

    def _targets_of(self, day: date, cached: _CachedDay) -> dict[str, Target]:
        if cached.targets is None:
            cached.targets = self._store.targets_on(day)
        return cached.targets

    def _write(self, write: Callable[[], T], apply: Callable[[T], None]) -> T:
        """Run the store write *write*, then bring the days held in step with *apply*."""
        self._check_stamp()
        before = self._stamp
        result = write()
        after = self._store.change_stamp()
        if before is not None and after[0] == before[0]:
            apply(result)
            self._stamp = after
        else:  # someone else wrote meanwhile: read everything again
            self._days.clear()
            self._catalog = None
            self._stamp = after
        return result

    def _add_cached(self, entry_id: int | None) -> None:
        """Hold the stored entry *entry_id* as the store gives it back (what a re-read shows)."""
        stored = self._store.get_entry(entry_id) if entry_id is not None else None
        if stored is None:
            self._days.clear()
            return
        cached = self._days.get(stored.day)
        if cached is not None:
            cached.remove(stored)  # never twice (an undo of an entry that was not deleted)
            cached.add(stored)

    def _remove_cached(self, held: Entry) -> None:
        cached = self._days.get(held.day)
        if cached is not None:
            cached.remove(held)

    def enabled_habits(self) -> list[str]:
        return self._store.enabled_habits()

    # -- logging -------------------------------------------------------------------------

    def log(
        self,
        key: str,
        amount: float | None = None,
        *,
        at: datetime | None = None,
        note: str = "",
        detail: dict[str, Any] | None = None,
        source: Source = Source.WINDOW,
    ) -> Logged:
        """Validate and store one entry; raise InputError (and store nothing) on bad input."""
        spec = self.offered_habit(key)
        if key not in self._store.enabled_habits():
            raise InputError(_("{habit} is switched off; turn it on in Settings first").format(
                habit=spec.label))
        if amount is None:
            if spec.default_amount is None:
                raise InputError(_("{habit} needs an amount").format(habit=spec.label))
            amount = spec.default_amount
        amount = check_amount(spec, amount)
        moment = self._checked_moment(at)
        entry = Entry(
            habit=key,
            at=moment,
            day=self.day_of(moment),
            amount=amount,
            note=clean_note(note),
            detail=dict(detail or {}),
            source=source,
        )
        stored = self._write(lambda: self._store.add_entry(entry),
                             lambda added: self._add_cached(added.id))
        return Logged(stored, self._progress(key, stored.day))

    def offered_habit(self, key: str) -> Habit:
        """The habit *key* if it can be logged (known, not archived), else InputError."""
        catalog = self.habits
        spec = catalog.find(key)
        if spec is None:
            raise InputError(_("unknown habit '{key}' (choose from {keys})").format(
                key=key, keys=", ".join(h.key for h in catalog.offered())))
        if spec.archived:
            raise InputError(_("{habit} is archived; restore it in Settings first").format(
                habit=spec.label))
        return spec

    def _special(self, has: Callable[[Habit], object]) -> Habit:
        """The habit whose definition carries what *has* reads (drinks, bed and wake, ...)."""
        return next(h for h in self.habits if h.builtin and has(h))

    def log_drink(self, preset_key: str, *, at: datetime | None = None, note: str = "",
                  source: Source = Source.WINDOW) -> Logged:
        spec = self._special(lambda h: h.presets)
        preset = _preset(spec, preset_key)
        if preset is None:
            names = ", ".join(p.key for p in spec.presets)
            raise InputError(_("unknown drink '{name}' (choose from {names})").format(
                name=preset_key, names=names))
        return self.log(spec.key, preset.mg, at=at, note=note,
                        detail={"preset": preset.key}, source=source)

    def sleep_times(self, bed: time, wake: time, wake_day: date | None = None,
                    ) -> tuple[datetime, datetime]:
        """Bed and wake moments for a night that ended on calendar date *wake_day*.

        The bedtime is taken on the evening before when it is later on the clock than the
        wake time (23:00 -> 07:00), on the same date otherwise (01:00 -> 07:00).
        """
        tz = self._clock.tz
        wake_day = wake_day or self._clock.now().date()
        wake_at = local_datetime(wake_day, wake, tz)
        bed_day = wake_day - timedelta(days=1) if bed >= wake else wake_day
        bed_at = local_datetime(bed_day, bed, tz)
        return bed_at, wake_at

    def log_sleep(self, bed_at: datetime, wake_at: datetime, *, note: str = "",
                  source: Source = Source.WINDOW) -> Logged:
        """Log a night from bed and wake moments; it counts on the day you woke up."""
        if wake_at <= bed_at:
            raise InputError(_("the wake time must be after the bedtime"))
        hours = hours_between(bed_at, wake_at)
        detail = {"bed": bed_at.isoformat(timespec="minutes"),
                  "wake": wake_at.isoformat(timespec="minutes")}
        return self.log(self._special(lambda h: h.bed_and_wake).key, round(hours, 4),
                        at=wake_at, note=note, detail=detail, source=source)

    def log_exercise(self, minutes: float, intensity: str, *, at: datetime | None = None,
                     note: str = "", source: Source = Source.WINDOW) -> Logged:
        spec = self._special(lambda h: h.intensities)
        if intensity not in dict(spec.intensities):
            raise InputError(_("unknown intensity '{name}' (choose from {names})").format(
                name=intensity, names=", ".join(k for k, _label in spec.intensities)))
        return self.log(spec.key, minutes, at=at, note=note,
                        detail={"intensity": intensity}, source=source)

    # -- editing -------------------------------------------------------------------------

    def edit(self, entry_id: int, *, amount: float | None = None, at: datetime | None = None,
             note: str | None = None) -> Entry:
        """Change an entry's amount, time or note, with the same checks as logging."""
        entry = self._store.get_entry(entry_id)
        if entry is None:
            raise InputError(_("that entry no longer exists"))
        spec = self.habits.find(entry.habit)
        if spec is None:
            raise InputError(_("unknown habit '{key}'").format(key=entry.habit))
        night = spec.bed_and_wake and "bed" in entry.detail
        changes: dict[str, Any] = {}
        if amount is not None:
            changes["amount"] = check_amount(spec, amount)
            preset = _preset(spec, str(entry.detail.get("preset", "")))
            if preset is not None and preset.mg != changes["amount"]:
                # No longer that drink's amount: keep the entry honest about what it is.
                changes["detail"] = {k: v for k, v in entry.detail.items() if k != "preset"}
        if at is not None:
            moment = self._checked_moment(at)
            changes["at"] = moment
            changes["day"] = self.day_of(moment)
            if night:
                # Moving a night keeps its length: shift the bedtime with the wake time.
                moved = timedelta(hours=hours_between(entry.at, moment))
                bed = shift(datetime.fromisoformat(entry.detail["bed"]), moved)
                changes["detail"] = {**entry.detail, "bed": bed.isoformat(timespec="minutes"),
                                     "wake": moment.isoformat(timespec="minutes")}
        if amount is not None and night:
            wake = changes.get("at", entry.at)
            bed = shift(wake, -timedelta(hours=changes["amount"]))
            changes["detail"] = {**changes.get("detail", entry.detail),
                                 "bed": bed.isoformat(timespec="minutes")}
        if note is not None:
            changes["note"] = clean_note(note)
        if not changes:
            return entry

        def updated(changed: Entry) -> None:
            self._remove_cached(entry)
            self._add_cached(changed.id)

        return self._write(lambda: self._store.update_entry(replace(entry, **changes)), updated)

    def delete(self, entry_id: int) -> Entry:
        """Delete an entry (it can be brought back with :meth:`undo_delete`)."""
        entry = self._store.get_entry(entry_id)
        if entry is None:
            raise InputError(_("that entry no longer exists"))
        self._write(lambda: self._store.delete_entry(entry_id),
                    lambda _none: self._remove_cached(entry))
        return entry

    def undo_delete(self, entry_id: int) -> None:
        self._write(lambda: self._store.restore_entry(entry_id),
                    lambda _none: self._add_cached(entry_id))

    # -- targets and habits --------------------------------------------------------------

    def validate_target(self, key: str, value: float | None, value_max: float | None = None
                        ) -> None:
        """Raise InputError unless *value* (and *value_max* for a range) suit habit *key*."""
        spec = self.habits.find(key)
        if spec is None:
            raise InputError(_("unknown habit '{key}'").format(key=key))
        if spec.direction is Direction.NONE:
            raise InputError(_("{habit} has no target").format(habit=spec.label))
        if value is None:
            raise InputError(_("{habit} needs a target").format(habit=spec.label))
        if not spec.builtin:  # the same rules as when it was added
            _definition(spec, target=value, target_max=value_max)
            return
        if spec.direction is Direction.AT_MOST:
            if value < 0 or value > spec.max_amount * 10:
                raise InputError(_("{habit} limit must be between 0 and {high} {unit}").format(
                    habit=spec.label, high=int(spec.max_amount * 10), unit=spec.unit))
        elif spec.direction is Direction.RANGE:
            if value_max is None or not 0 < value <= value_max <= spec.max_amount:
                raise InputError(_("{habit} range must run from a low to a high value within "
                                   "0–{high} {unit}").format(habit=spec.label,
                                                            high=int(spec.max_amount),
                                                            unit=spec.unit))
        elif value <= 0 or value > spec.max_amount * 10:
            raise InputError(_("{habit} target must be above 0 and at most {high} {unit}").format(
                habit=spec.label, high=int(spec.max_amount * 10), unit=spec.unit))

    def set_target(self, key: str, value: float | None, value_max: float | None = None) -> Target:
        """Change a habit's target from today on; earlier days keep the target they had."""
        self.validate_target(key, value, value_max)
        assert value is not None
        target = Target(key, float(value),
                        float(value_max) if value_max is not None else None,
                        self.current_day())
        current = self._store.targets_on(target.effective_from).get(key)
        if current is None or (current.value, current.value_max) != (target.value,
                                                                      target.value_max):
            self._write(lambda: self._store.set_target(target), self._forget_built)
        return target

    def set_enabled_habits(self, keys: Sequence[str]) -> None:
        catalog = self.habits
        unknown = [k for k in keys if k not in catalog]
        if unknown:
            raise InputError(_("unknown habit '{key}'").format(key=unknown[0]))
        for spec in catalog:
            if not spec.optional and spec.key not in keys:
                raise InputError(_("{habit} cannot be switched off").format(habit=spec.label))
        wanted = set(keys)
        ordered = [k for k in self._store.habit_order() if k in wanted]
        self._write(lambda: self._store.set_enabled_habits(ordered), self._forget_built)

    def _forget_built(self, _none: None = None) -> None:
        """Targets or habits changed: every summary is built again (the entries stay)."""
        for cached in self._days.values():
            cached.forget_built()

    def _habits_changed(self, _none: None = None) -> None:
        self._catalog = None
        self._forget_built()

    # -- the user's own habits -----------------------------------------------------------

    def add_habit(self, habit: Habit) -> Habit:
        """Add the user habit *habit* (see :func:`quell.core.habits.user_habit`), enabled and
        after every other; its target is in force for every day, like a built-in's default.
        Raises InputError (nothing written) for a built-in, a taken key or name, or a
        definition :func:`user_habit` refuses."""
        catalog = self.habits
        if habit.builtin or habit.key in catalog:
            taken = catalog.find(habit.key)
            raise InputError(_("You already have a habit named {name!r}.").format(
                name=taken.label if taken is not None else habit.label))
        if len(catalog.user) >= MAX_USER_HABITS:
            raise InputError(_("You can have at most {n} habits of your own.").format(
                n=MAX_USER_HABITS))
        checked = _definition(habit, catalog=catalog)
        target = (None if checked.direction is Direction.NONE else
                  Target(checked.key, checked.default_target, checked.default_target_max,
                         date.min))
        self._write(lambda: self._store.add_habit(checked, target), self._habits_changed)
        return self.habits.get(checked.key)

    def update_habit(self, habit: Habit) -> Habit:
        """Change the user habit *habit.key*: name, unit label, direction, target and quick
        amounts; kind and unit only while it has no entries. A new target is in force from
        today on (earlier days keep theirs); the definition keeps the target it was created
        with unless its kind, unit or direction changed."""
        catalog = self.habits
        old = self._user_habit(habit.key)
        checked = _definition(habit, catalog=catalog)
        if ((checked.kind, checked.unit) != (old.kind, old.unit)
                and self._store.has_entries(old.key)):
            raise InputError(_("{habit} already has entries, so its kind and unit cannot "
                               "change; add a new habit instead.").format(habit=old.label))
        wanted = (checked.default_target, checked.default_target_max)
        if (checked.kind, checked.unit, checked.direction) == (old.kind, old.unit,
                                                               old.direction):
            checked = replace(checked, default_target=old.default_target,
                              default_target_max=old.default_target_max)
        checked = replace(checked, archived=old.archived)
        today = self.current_day()
        current = self._store.targets_on(today).get(old.key)
        in_force = (current.value, current.value_max) if current is not None else (None, None)
        target = Target(old.key, *wanted, today) if in_force != wanted else None
        self._write(lambda: self._store.update_habit(checked, target), self._habits_changed)
        return self.habits.get(old.key)

    def archive_habit(self, key: str) -> None:
        """Offer the user habit *key* nowhere any more; its entries and targets stay."""
        if not self._user_habit(key).archived:
            self._write(lambda: self._store.set_habit_archived(key, True),
                        self._habits_changed)

    def restore_habit(self, key: str) -> None:
        """Offer the archived user habit *key* again, enabled, where it stood in the order."""
        if self._user_habit(key).archived:
            self._write(lambda: self._store.set_habit_archived(key, False),
                        self._habits_changed)

    def set_habit_order(self, keys: Sequence[str]) -> None:
        """Show the offered habits in the order *keys* (each offered key exactly once)."""
        offered = [h.key for h in self.habits.offered()]
        if len(set(keys)) != len(keys):
            raise InputError(_("each habit can be in the order only once"))
        unknown = [k for k in keys if k not in offered]
        if unknown:
            raise InputError(_("unknown habit '{key}'").format(key=unknown[0]))
        missing = [k for k in offered if k not in keys]
        if missing:
            raise InputError(_("the order leaves out {key}").format(key=missing[0]))
        order = list(keys)
        self._write(lambda: self._store.set_habit_order(order), self._habits_changed)

    def _user_habit(self, key: str) -> Habit:
        spec = self.habits.find(key)
        if spec is None:
            raise InputError(_("unknown habit '{key}'").format(key=key))
        if spec.builtin:
            raise InputError(_("{habit} is one of Quell's own habits: switch it off in "
                               "Settings instead").format(habit=spec.label))
        return spec

    # -- helpers -------------------------------------------------------------------------

    def _checked_moment(self, at: datetime | None) -> datetime:
        return checked_moment(at, self._clock.now(), self._clock.tz,
                              self._settings().day_start_hour)

    def _progress(self, key: str, day: date) -> HabitProgress:
        progress = self.summary(day).get(key)
        assert progress is not None
        return progress


def _preset(spec: Habit, key: str) -> DrinkPreset | None:
    """The drink preset *key* of *spec* ("Filter coffee", "filter-coffee" and "filter_coffee"
    name the same one)."""
    normalized = key.strip().lower().replace("-", "_").replace(" ", "_")
    return next((p for p in spec.presets if p.key == normalized), None)


def _definition(habit: Habit, *, catalog: HabitCatalog | None = None,
                target: float | None = None, target_max: float | None = None) -> Habit:
    """*habit* checked again by :func:`user_habit` (with another *target* when given)."""
    if target is None:
        target, target_max = habit.default_target, habit.default_target_max
    return user_habit(habit.name, habit.unit, habit.kind, habit.direction, target, target_max,
                      [q.amount for q in habit.quick], catalog=catalog, key=habit.key)
