"""An in-memory EntryStore, so core rules are tested without any storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from quell.core.entries import Entry, Target
from quell.core.habits import HABIT_KEYS, HABITS, Habit


class FakeStore:
    def __init__(self) -> None:
        self.entries: dict[int, Entry] = {}
        self.deleted: dict[int, Entry] = {}
        self.targets: list[Target] = [
            Target(h.key, h.default_target, h.default_target_max, date(1, 1, 1))
            for h in HABITS if h.default_target is not None
        ]
        self.enabled = list(HABIT_KEYS)
        self.order = list(HABIT_KEYS)
        self.user: dict[str, Habit] = {}  # the user's own habits, by key
        self._next = 1
        self.writes = 0
        self.outside_writes = 0  # a test bumps it to stand for an import or another process

    def change_stamp(self) -> tuple[int, int]:
        return self.outside_writes, self.writes

    def add_entry(self, entry: Entry) -> Entry:
        self.writes += 1
        stored = replace(entry, id=self._next)
        self.entries[self._next] = stored
        self._next += 1
        return stored

    def update_entry(self, entry: Entry) -> Entry:
        self.writes += 1
        assert entry.id in self.entries
        self.entries[entry.id] = entry
        return entry

    def delete_entry(self, entry_id: int) -> None:
        self.writes += 1
        self.deleted[entry_id] = self.entries.pop(entry_id)

    def restore_entry(self, entry_id: int) -> None:
        self.writes += 1
        self.entries[entry_id] = self.deleted.pop(entry_id)

    def get_entry(self, entry_id: int) -> Entry | None:
        return self.entries.get(entry_id)

    def entries_between(self, first_day: date, last_day: date) -> list[Entry]:
        return sorted((e for e in self.entries.values() if first_day <= e.day <= last_day),
                      key=lambda e: e.at)

    def targets_on(self, day: date) -> dict[str, Target]:
        current: dict[str, Target] = {}
        for target in sorted(self.targets, key=lambda t: t.effective_from):
            if target.effective_from <= day:
                current[target.habit] = target
        return current

    def set_target(self, target: Target) -> None:
        self.writes += 1
        self.targets = [t for t in self.targets
                        if (t.habit, t.effective_from) != (target.habit, target.effective_from)]
        self.targets.append(target)

    def enabled_habits(self) -> list[str]:
        return list(self.enabled)

    def set_enabled_habits(self, keys: Sequence[str]) -> None:
        self.writes += 1
        self.enabled = [k for k in self.order if k in keys]

    def habit_order(self) -> list[str]:
        return list(self.order)

    def habit_definitions(self) -> list[Habit]:
        return [self.user[k] for k in self.order if k in self.user]

    def add_habit(self, habit: Habit, target: Target | None) -> None:
        self.writes += 1
        self.user[habit.key] = habit
        self.order.append(habit.key)
        self.enabled = [k for k in self.order if k in {*self.enabled, habit.key}]
        if target is not None:
            self.set_target(target)

    def update_habit(self, habit: Habit, target: Target | None) -> None:
        self.writes += 1
        assert habit.key in self.user
        self.user[habit.key] = habit
        if target is not None:
            self.set_target(target)

    def set_habit_archived(self, key: str, archived: bool) -> None:
        self.writes += 1
        self.user[key] = replace(self.user[key], archived=archived)
        if archived:
            self.enabled = [k for k in self.enabled if k != key]
        else:
            self.enabled = [k for k in self.order if k in {*self.enabled, key}]

    def set_habit_order(self, keys: Sequence[str]) -> None:
        self.writes += 1
        self.order = list(dict.fromkeys([*keys, *self.order]))
        self.enabled = [k for k in self.order if k in self.enabled]

    def has_entries(self, key: str) -> bool:
        return any(e.habit == key for e in (*self.entries.values(), *self.deleted.values()))
