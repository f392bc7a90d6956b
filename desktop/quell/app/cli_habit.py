"""The user's own habits: `quell habit add|list|archive` (CONTRACTS.md, issue 10).

``add`` and ``archive`` are writes: they go through the running app when there is one (its
tray and windows then show the change at once), else straight to the database, like `log`.
``list`` reads the database.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from quell.core import formatting
from quell.core.errors import InputError
from quell.core.habits import MAX_QUICK_AMOUNTS, UNITS, Direction, Habit, Kind, user_habit
from quell.core.i18n import _
from quell.core.parsing import parse_number, text_field

if TYPE_CHECKING:
    from quell.app.cli import Cli
    from quell.app.context import Context

ADD = "habit_add"
ARCHIVE = "habit_archive"


def add_parsers(subparsers: Any) -> None:
    habit = subparsers.add_parser(
        "habit", help=_("add, list or archive your own habits"),
        description=_("Your own habits (alcohol, screen time, a medicine, ...): logged with "
                      "`quell log KEY`, shown with the built-in ones everywhere."))
    commands = habit.add_subparsers(dest="habit_command", metavar="ACTION", required=True)

    add = commands.add_parser(
        "add", help=_("add a habit of your own"),
        description=_("Add a habit; its key (for `quell log`) is its name in lower case "
                      "with _ for spaces ('Ate late' -> ate_late)."))
    add.add_argument("name", metavar="NAME")
    add.add_argument("--unit", required=True, metavar="UNIT",
                     help=", ".join(u.key for u in UNITS))
    add.add_argument("--kind", required=True, choices=[k.value for k in Kind])
    goal = add.add_mutually_exclusive_group()
    goal.add_argument("--at-least", metavar="N", help=_("a daily target to reach"))
    goal.add_argument("--at-most", metavar="N", help=_("a daily limit to stay within"))
    goal.add_argument("--range", nargs=2, metavar=("A", "B"),
                      help=_("a daily range to stay inside"))
    add.add_argument("--quick", metavar="N", action="append", default=[],
                     help=_("an amount the tray logs in one click (up to {n})").format(
                         n=MAX_QUICK_AMOUNTS))
    add.set_defaults(run=_run_add)

    listing = commands.add_parser("list", help=_("list every habit, built-in and your own"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(run=_run_list)

    archive = commands.add_parser(
        "archive", help=_("stop offering a habit of your own (its history is kept)"))
    archive.add_argument("key", metavar="KEY")
    archive.set_defaults(run=_run_archive)


def _run_add(args: argparse.Namespace, cli: Cli) -> int:
    direction, target, target_max = Direction.NONE.value, None, None
    if args.at_least is not None:
        direction, target = Direction.AT_LEAST.value, args.at_least
    elif args.at_most is not None:
        direction, target = Direction.AT_MOST.value, args.at_most
    elif args.range is not None:
        direction, (target, target_max) = Direction.RANGE.value, args.range
    return cli.write(add_request(args.name, args.unit, args.kind, direction, target,
                                 target_max, args.quick))


def _run_archive(args: argparse.Namespace, cli: Cli) -> int:
    return cli.write({"op": ARCHIVE, "key": args.key})


def add_request(name: str, unit: str, kind: str, direction: str, target: str | None = None,
                target_max: str | None = None, quick: list[str] | None = None
                ) -> dict[str, Any]:
    return {"op": ADD, "name": name, "unit": unit, "kind": kind, "direction": direction,
            "target": target, "target_max": target_max, "quick": list(quick or [])}


def _add(request: dict[str, Any], context: Context) -> str:
    """Add the habit *request* describes; InputError (nothing written) when it cannot be."""
    tracker = context.tracker
    name = _text(request, "name", _("the name"))
    unit = _text(request, "unit", "--unit")
    kind = _choice(request, "kind", Kind)
    direction = _choice(request, "direction", Direction)
    target, target_max = (_number(request, field, label)
                          for field, label in (("target", _("the target")),
                                               ("target_max", _("the range's high end"))))
    raw_quick = request.get("quick") or []
    if not isinstance(raw_quick, list):
        raise InputError(_("--quick must be a list of amounts"))
    if len(raw_quick) > MAX_QUICK_AMOUNTS:
        raise InputError(_("A habit can have at most {n} quick amounts.").format(
            n=MAX_QUICK_AMOUNTS))
    quick = [_number({"quick": q}, "quick", "--quick") for q in raw_quick]
    if None in quick:
        raise InputError(_("--quick needs an amount"))
    habit = user_habit(name, unit, kind, direction, target, target_max,
                       [q for q in quick if q is not None], catalog=tracker.habits)
    added = tracker.add_habit(habit)
    return _("Added {name} (key {key}): {what}. Log it with `quell log {key}`.").format(
        name=added.label, key=added.key, what=_goal(added))


def _archive(request: dict[str, Any], context: Context) -> str:
    key = _text(request, "key", "KEY").strip().lower()
    tracker = context.tracker
    spec = tracker.habits.find(key)
    was_archived = spec is not None and spec.archived
    tracker.archive_habit(key)
    label = tracker.habits.get(key).label
    if was_archived:
        return _("{name} was already archived.").format(name=label)
    return _("Archived {name}: it is offered nowhere now; its history is kept.").format(
        name=label)


def _text(request: dict[str, Any], field: str, label: str) -> str:
    value = text_field(request, field, empty_ok=False, label=label)
    if value is None:
        raise InputError(_("{name} is missing").format(name=label))
    return value


def _choice(request: dict[str, Any], field: str, kind: type[Kind] | type[Direction]
            ) -> Any:
    value = _text(request, field, f"--{field}")
    try:
        return kind(value)
    except ValueError:
        raise InputError(_("{value!r} is not a {field} (choose from {choices})").format(
            value=value[:40], field=field, choices=", ".join(k.value for k in kind))) from None


def _number(request: dict[str, Any], field: str, label: str) -> float | None:
    value = request.get(field)
    if value is None:
        return None
    if isinstance(value, bool):
        raise InputError(_("{name} must be a number").format(name=label))
    if isinstance(value, (int, float)):
        try:
            return parse_number(repr(float(value)))
        except OverflowError:
            raise InputError(_("{name} is too large").format(name=label)) from None
    text = text_field(request, field, empty_ok=False, label=label)
    return parse_number(text or "")


def _goal(habit: Habit, target: float | None = None, target_max: float | None = None) -> str:
    """'drinks, at most 2 a day', 'h, 1–3 a day', 'times, no goal' (*target* by default the
    one it was created with)."""
    if target is None:
        target, target_max = habit.default_target, habit.default_target_max

    def shown(value: float | None) -> str:
        return formatting.number(value or 0, 2)

    unit = habit.unit_text
    if habit.direction is Direction.AT_LEAST:
        return _("{unit}, at least {n} a day").format(unit=unit, n=shown(target))
    if habit.direction is Direction.AT_MOST:
        return _("{unit}, at most {n} a day").format(unit=unit, n=shown(target))
    if habit.direction is Direction.RANGE:
        return _("{unit}, {low}–{high} a day").format(
            unit=unit, low=shown(target), high=shown(target_max))
    return _("{unit}, no goal").format(unit=unit)


def _run_list(args: argparse.Namespace, cli: Cli) -> int:
    context = cli.open()
    try:
        listed = habits_json(context)
        specs = _ordered(context)
    finally:
        context.close()
    if args.json:
        json.dump(listed, cli.out, indent=2)
        cli.out.write("\n")
        return 0
    rows = listed["habits"]
    width = max(len(row["key"]) for row in rows)
    for row, spec in zip(rows, specs, strict=True):
        marks = [] if row["builtin"] else [_("your own")]
        if row["archived"]:
            marks.append(_("archived"))
        elif not row["enabled"]:
            marks.append(_("switched off"))
        extra = f"  ({', '.join(marks)})" if marks else ""
        goal = _goal(spec, row["target"], row["target_max"])
        cli.out.write(f"  {row['key']:<{width}}  {spec.label}: {goal}{extra}\n")
    return 0


def _ordered(context: Context) -> list[Habit]:
    catalog = context.tracker.habits
    return [catalog.get(key) for key in context.store.habit_order() if key in catalog]


def habits_json(context: Context) -> dict[str, Any]:
    """`quell habit list --json`: every habit, built-in and the user's, in their order."""
    enabled = set(context.tracker.enabled_habits())
    targets = context.tracker.targets()
    habits = []
    for spec in _ordered(context):
        target = targets.get(spec.key)
        habits.append({
            "key": spec.key,
            "name": spec.name,
            "unit": spec.unit,
            "kind": spec.kind.value,
            "direction": spec.direction.value,
            "target": target.value if target else None,
            "target_max": target.value_max if target else None,
            "quick": [q.amount for q in spec.quick],
            "builtin": spec.builtin,
            "archived": spec.archived,
            "enabled": spec.key in enabled,
        })
    return {"habits": habits}


OPS = {ADD: _add, ARCHIVE: _archive}
