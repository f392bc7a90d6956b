"""An in-memory EntryStore, so core rules are tested without any storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from quell.core.entries import Entry, Target
from quell.core.habits import HABIT_KEYS, HABITS


class FakeStore:
    def __init__(self) -> None:
        self.entries: dict[int, Entry] = {}
        self.deleted: dict[int, Entry] = {}
        self.targets: list[Target] = [
            Target(h.key, h.default_target, h.default_target_max, date(1, 1, 1))
            for h in HABITS if h.default_target is not None
        ]
        self.enabled = list(HABIT_KEYS)
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
        self.enabled = list(keys)
