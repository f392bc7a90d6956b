"""The export ZIP's file names, columns and cell escaping, shared by export and import."""

from __future__ import annotations

import re

ENTRIES = "entries.csv"
HABIT_DEFINITIONS = "habit_definitions.csv"
TWITCHES = "twitches.csv"
TWITCH_RATINGS = "twitch_ratings.csv"
HABITS = "habits.csv"
SYMPTOM_CHECKS = "symptom_checks.csv"
REMINDER_EVENTS = "reminder_events.csv"
DAYS_OFF = "days_off.csv"
SETTINGS = "settings.json"

COLUMNS: dict[str, tuple[str, ...]] = {
    HABIT_DEFINITIONS: ("key", "name", "unit", "kind", "direction", "target", "target_max",
                        "quick", "archived", "position"),
    ENTRIES: ("timestamp", "habit", "amount", "note", "detail"),
    TWITCHES: ("timestamp", "area", "side", "intensity", "note"),
    TWITCH_RATINGS: ("day", "rating", "areas"),
    HABITS: ("habit", "enabled", "effective_from", "target", "target_max"),
    SYMPTOM_CHECKS: ("timestamp", "level", "reasons", "answers", "app_version", "day",
                     "revises"),
    REMINDER_EVENTS: ("reminder", "due", "shown", "outcome", "reason"),
    DAYS_OFF: ("day", "reason"),
}
# Columns a hand-made file may leave out (a spreadsheet with just time, habit and amount).
OPTIONAL_COLUMNS: dict[str, frozenset[str]] = {
    HABIT_DEFINITIONS: frozenset({"target", "target_max", "quick", "archived", "position"}),
    ENTRIES: frozenset({"note", "detail"}),
    TWITCHES: frozenset({"side", "note"}),
    TWITCH_RATINGS: frozenset({"areas"}),
    HABITS: frozenset({"effective_from", "target", "target_max"}),
    SYMPTOM_CHECKS: frozenset({"app_version", "day", "revises"}),
    REMINDER_EVENTS: frozenset({"shown", "reason"}),
    DAYS_OFF: frozenset({"reason"}),
}


# A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or CR before one), after
# any apostrophes: escaping those too keeps the round trip exact.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")


def escape_cell(cell: str) -> str:
    """*cell* as written to CSV: with one apostrophe in front when a spreadsheet would take it
    for a formula (OWASP's advice), so ``=HYPERLINK(...)`` in a note stays text."""
    return "'" + cell if _FORMULA.match(cell) else cell


def unescape_cell(cell: str) -> str:
    """The inverse of :func:`escape_cell`: one leading apostrophe removed, only before what
    escape_cell protects, so ``unescape_cell(escape_cell(s)) == s`` for every string."""
    return cell[1:] if cell[:1] == "'" and _ESCAPED.match(cell) else cell
