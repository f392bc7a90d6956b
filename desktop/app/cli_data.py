"""Data commands: `quell export`, `quell import` and `quell insights` (CONTRACTS.md)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core import formatting
from desktop.core.i18n import _
from desktop.core.insights import Insights, caution
from desktop.storage.export_import import ENTRIES, TWITCHES, export_zip, import_zip
from desktop.storage.history_store import HistoryStore

if TYPE_CHECKING:
    from desktop.app.cli import Cli
    from desktop.app.context import Context


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
    insights.set_defaults(run=_run_insights)


def _run_export(args: argparse.Namespace, cli: Cli) -> int:
    context = cli.open()
    try:
        summary = export_zip(context.store.connection, context.settings(),
                             Path(args.output), overwrite=args.force)
    finally:
        context.close()
    print(_("Exported {entries} entries and {twitches} twitch episodes to {path}.").format(
        entries=summary.rows[ENTRIES], twitches=summary.rows[TWITCHES], path=summary.path),
        file=cli.out)
    return 0


def import_request(path: str) -> dict[str, Any]:
    # Absolute, because the running app that carries it out has another working directory.
    return {"op": "import", "path": str(Path(path).expanduser().absolute())}


def _run_import(args: argparse.Namespace, cli: Cli) -> int:
    return cli.write(import_request(args.file))


def _import(request: dict[str, Any], context: Context) -> str:
    """Carry out an import request; raise ImportRejected (an InputError) if any row is bad."""
    clock = context.tracker.clock
    settings = context.settings()
    result = import_zip(context.store, Path(str(request.get("path", ""))), tz=clock.tz,
                        now=clock.now(), day_start_hour=settings.day_start_hour)
    text = result.describe()
    if result.settings is not None and result.settings != settings:
        context.settings.save(result.settings)
        text += " " + _("Settings restored from the file.")
    return text


def _run_insights(args: argparse.Namespace, cli: Cli) -> int:
    context = cli.open()
    try:
        insights = HistoryStore(context.store.connection).insights()
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
    lines = [_("Twitch insights: {days} days with entries, {episodes} twitch episodes").format(
        days=insights.days_considered, episodes=insights.episodes), ""]
    for result in insights.triggers:
        if result.enough_data and result.rate_ratio is not None:
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


OPS = {"import": _import}
