"""Data commands: `quell export`, `quell import` and `quell insights` (CONTRACTS.md)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quell.core import formatting
from quell.core.errors import InputError
from quell.core.i18n import _, count
from quell.core.insights import Insights, Outcome, caution, signed_points
from quell.core.notes import clean_note
from quell.core.settings import Settings, check_pause
from quell.storage.export import export_zip
from quell.storage.history_store import HistoryStore
from quell.storage.importing import ImportResult, apply_import, read_import
from quell.storage.zip_format import ENTRIES, TWITCHES

if TYPE_CHECKING:
    from quell.app.cli import Cli
    from quell.app.context import Context

log = logging.getLogger(__name__)


def add_parsers(subparsers: Any) -> None:
    export = subparsers.add_parser(
        "export", help=_("export all data as CSV files in a ZIP"),
        description=_("Write entries, twitches, targets, symptom checks, reminder outcomes, "
                      "days off and settings to a ZIP of CSV files."))
    export.add_argument("-o", "--output", metavar="FILE.zip", required=True,
                        help=_("the ZIP file to write"))
    export.add_argument("--force", action="store_true",
                        help=_("replace FILE.zip if it exists"))
    export.set_defaults(run=_run_export)

    import_ = subparsers.add_parser(
        "import", help=_("import a ZIP made by quell export (or a spreadsheet's CSV)"),
        description=_("Check every row first and import nothing if any row is bad; rows "
                      "already stored are skipped, so importing twice changes nothing. The "
                      "ZIP needs entries.csv and/or twitches.csv."))
    import_.add_argument("file", metavar="FILE.zip")
    import_.set_defaults(run=_run_import)

    insights = subparsers.add_parser(
        "insights", help=_("show which triggers go with your twitches"))
    insights.add_argument("--json", action="store_true", help=_("print JSON"))
    insights.add_argument(
        "--outcome", choices=[o.value for o in Outcome],
        help=_("compare the daily twitch rating or the twitch episodes (default: the rating "
               "once you have rated a day)"))
    insights.set_defaults(run=_run_insights)


def _run_export(args: argparse.Namespace, cli: Cli) -> int:
    context = cli.open()
    try:
        summary = export_zip(context.store.connection, context.settings(),
                             Path(args.output), overwrite=args.force)
    finally:
        context.close()
    print(_("Exported {entries} and {twitches} to {path}.").format(
        entries=count("{n} entry", "{n} entries", summary.rows[ENTRIES]),
        twitches=count("{n} twitch episode", "{n} twitch episodes", summary.rows[TWITCHES]),
        path=summary.path), file=cli.out)
    return 0


def _run_import(args: argparse.Namespace, cli: Cli) -> int:
    # Checked and written here, in the command's own process (synchronously, bounded), never
    # on the running app's GUI thread; the app is then told what changed.
    from quell.storage.settings_file import load_settings

    path = Path(args.file).expanduser()
    settings = load_settings(cli.paths.settings)
    now = cli.clock.now()
    context = cli.open()
    try:
        # Entries may be of the user's own habits the database already has.
        plan = read_import(path, tz=cli.clock.tz, now=now,
                           day_start_hour=settings.day_start_hour,
                           catalog=context.tracker.habits)
        result = apply_import(context.store, plan, now)
    finally:
        context.close()
    return cli.write(imported_request(result))


def imported_request(result: ImportResult) -> dict[str, Any]:
    """The request telling the running app (or, without one, the settings file) about an
    import this process has written: the habits it switched and the settings it brings."""
    return {"op": "imported", "summary": result.describe(),
            "enabled": list(result.enabled) if result.enabled is not None else None,
            "settings": result.settings.to_dict() if result.settings is not None else None}


def _imported(request: dict[str, Any], context: Context) -> str:
    """Take in what an import in another process changed; the reply is the line to print."""
    summary = request.get("summary")
    # One clean line (no terminal control codes), whoever sent it.
    text = clean_note(summary[:SUMMARY_MAX]) if isinstance(summary, str) else ""
    enabled = request.get("enabled")
    if enabled is not None:
        known = context.tracker.habits  # read again: the import may have added habits
        if not (isinstance(enabled, list) and all(
                isinstance(key, str) and key in known for key in enabled)):
            raise InputError(_("the imported habits are not a list of known habits"))
        # Already in the database; this refreshes the app's cached list of habits.
        wanted = set(enabled)
        context.store.set_enabled_habits(
            [key for key in context.store.habit_order() if key in wanted])
    data = request.get("settings")
    if data is not None:
        if not isinstance(data, dict):
            raise InputError(_("the imported settings are not an object"))
        imported, notes = Settings.from_dict(data)
        for note in notes:
            log.warning("imported settings: %s", note)
        if imported.paused_until is not None:
            try:
                check_pause(imported.paused_until, context.tracker.clock.now())
            except InputError:
                imported = dataclasses.replace(imported, paused_until=None)
        if imported != context.settings():
            context.settings.save(imported)
            text += " " + _("Settings restored from the file.")
    return text.strip()


SUMMARY_MAX = 500  # as long as a note, which clean_note allows


def _run_insights(args: argparse.Namespace, cli: Cli) -> int:
    context = cli.open()
    try:
        outcome = Outcome(args.outcome) if args.outcome else None
        insights = HistoryStore(context.store.connection).insights(context.tracker.habits,
                                                                   outcome)
    finally:
        context.close()
    if args.json:
        json.dump(insights.to_json(), cli.out, indent=2)
        cli.out.write("\n")
    else:
        cli.out.write(insights_text(insights))
    return 0


def insights_text(insights: Insights) -> str:
    """The ranked triggers as lines for a terminal."""
    if insights.outcome is Outcome.RATING:
        heading = _("Twitch insights: {days} with a twitch rating and entries").format(
            days=count("{n} day", "{n} days", insights.days_considered))
    else:
        heading = _("Twitch insights: {days} with entries, {episodes}").format(
            days=count("{n} day", "{n} days", insights.days_considered),
            episodes=count("{n} twitch episode", "{n} twitch episodes", insights.episodes))
    lines = [heading, ""]
    for result in insights.triggers:
        if result.enough_data and result.difference is not None:
            low, high = signed_points(result.ci_low or 0.0), signed_points(result.ci_high or 0.0)
            lines.append(f"  {result.name}: {signed_points(result.difference)} "
                         f"({low} … {high})")
            lines.append(f"    {result.sentence} {result.certainty}")
        elif result.enough_data and result.rate_ratio is not None:
            ratio = formatting.number(result.rate_ratio, 2)
            low = formatting.number(result.ci_low or 0.0, 2)
            high = formatting.number(result.ci_high or 0.0, 2)
            lines.append(f"  {result.name}: {ratio}× ({low}–{high})")
            lines.append(f"    {result.sentence} {result.certainty}")
        else:
            lines.append(f"  {result.name}: {_('not enough data yet')}")
            lines.append(f"    {result.sentence}")
    lines.extend(["", caution()])
    return "\n".join(lines) + "\n"


# No "import" request: a running app never reads an import file on its GUI thread.
OPS = {"imported": _imported}
