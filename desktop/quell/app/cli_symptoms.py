"""Symptom commands: `quell triage`, `quell twitch`, `quell rate` and `quell report`
(CONTRACTS.md)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from quell.core.entries import Source
from quell.core.errors import InputError
from quell.core.i18n import _, ngettext
from quell.core.parsing import parse_date, parse_when, text_field
from quell.core.ratings import RatingChange, TwitchRatings
from quell.core.twitches import AREAS, DEFAULT_INTENSITY, Twitch, TwitchDiary, intensity_label

if TYPE_CHECKING:
    from quell.app.cli import Cli
    from quell.app.context import Context

log = logging.getLogger(__name__)


def add_parsers(subparsers: Any) -> None:
    triage = subparsers.add_parser(
        "triage", help=_("check symptoms: JSON answers in, one result per line out"),
        description=_("Read one JSON object of answers per line (keys and values as in the "
                      "symptom check; missing keys take their defaults) and write one JSON "
                      "result per line: {\"level\", \"reasons\", \"message\"}. A bad line gives "
                      "{\"error\": ...} and the command exits 1 at the end. Nothing is saved."))
    triage.add_argument("file", metavar="FILE", nargs="?", default="-",
                        help=_("file to read, or - for standard input (the default)"))
    triage.set_defaults(run=_run_triage)

    twitch = subparsers.add_parser(
        "twitch", help=_("log a twitch episode"),
        description=_("Log one twitch episode in the diary."))
    twitch.add_argument("area", metavar="AREA", help=", ".join(AREAS))
    twitch.add_argument("--side", choices=["left", "right", "both"])
    twitch.add_argument("--intensity", metavar="1-5",
                        help=_("how strong, 1 (barely noticeable) to 5 (very strong); "
                               "default {n}").format(n=DEFAULT_INTENSITY))
    twitch.add_argument("--at", metavar="WHEN",
                        help=_("when: HH:MM (today), 'yesterday HH:MM' or ISO 8601"))
    twitch.add_argument("--note", metavar="TEXT", default="")
    twitch.set_defaults(run=_run_twitch)

    rate = subparsers.add_parser(
        "rate", help=_("rate how much twitching bothered you today, 0 to 4"),
        description=_("Rate how much twitching bothered you on a day: 0 (not at all) to 4 "
                      "(a lot). One rating per day: a second replaces the first."))
    rate.add_argument("rating", metavar="N", help=_("0 (not at all) to 4 (a lot)"))
    rate.add_argument("--day", metavar="DATE",
                      help=_("the day: YYYY-MM-DD or 'yesterday'; default today"))
    rate.add_argument("--areas", metavar="AREA,...",
                      help=_("where, comma-separated: {areas}").format(areas=", ".join(AREAS)))
    rate.set_defaults(run=_run_rate)

    report = subparsers.add_parser(
        "report", help=_("write the PDF report for your doctor"),
        description=_("Write a PDF with the twitch diary, symptom checks and habit summaries "
                      "for the days FROM to TO (YYYY-MM-DD)."))
    report.add_argument("--from", dest="first", metavar="DATE", required=True)
    report.add_argument("--to", dest="last", metavar="DATE", required=True)
    report.add_argument("-o", "--output", metavar="FILE.pdf", required=True)
    report.set_defaults(run=_run_report)


# -- quell triage -------------------------------------------------------------------------


def _run_triage(args: argparse.Namespace, cli: Cli) -> int:
    from quell.storage.settings_file import load_settings
    from quell.ui.services.symptom_session import emergency_number

    number = emergency_number(load_settings(cli.paths.settings).locale)
    if args.file == "-":
        stream: BinaryIO | TextIO = getattr(sys.stdin, "buffer", sys.stdin)
        return triage_lines(stream, cli.out, number)
    try:
        with open(args.file, "rb") as handle:
            return triage_lines(handle, cli.out, number)
    except OSError as error:
        raise InputError(_("cannot read {file}: {problem}").format(
            file=args.file, problem=error.strerror or error)) from None


# A line of answers is a few hundred bytes; one over this is refused (for that line only).
MAX_LINE_BYTES = 64 * 1024
# How much of an over-long line is skipped looking for its end: input that goes on without a
# newline (/dev/zero) ends the command there instead of being read for ever.
MAX_SKIP_BYTES = 16 * 1024 * 1024


class _StreamEnds(InputError):
    """A line without an end: nothing after it can be read as lines."""


def triage_lines(lines: BinaryIO | TextIO, out: TextIO, emergency_number: str) -> int:
    """Triage each non-blank line of *lines*, writing one JSON line per result; 1 if any failed.

    Nothing is saved: this is for scripts and for checking the rules. Each bad line (not
    UTF-8, not JSON, nested too deeply, too long, wrong answers) gets its own error and the
    lines after it are still answered; memory stays bounded whatever comes in.
    """
    from quell.core.triage import parse_answers, triage

    errors = total = 0
    for number, text in _numbered(lines):
        if isinstance(text, str) and not text.strip():
            continue
        total += 1
        try:
            if isinstance(text, InputError):
                raise text
            try:
                raw = json.loads(text)
            except RecursionError:
                raise InputError(_("invalid JSON (nested too deeply)")) from None
            except ValueError as error:
                raise InputError(_("invalid JSON ({problem})").format(problem=error)) from None
            reply: dict[str, object] = triage(parse_answers(raw),
                                              emergency_number=emergency_number).as_dict()
        except InputError as error:
            errors += 1
            reply = {"error": _("line {n}: {problem}").format(n=number, problem=error)}
        except Exception:  # a bug: logged once; this line gets a sentence, the rest go on
            log.exception("triage of line %d failed", number)
            errors += 1
            reply = {"error": _("line {n}: Quell hit a bug checking this line; the details "
                                "are in its log").format(n=number)}
        out.write(json.dumps(reply) + "\n")
        out.flush()  # one answer per question as it comes, for scripts talking line by line
    if errors:
        print(ngettext("quell: {errors} of {total} line could not be checked",
                       "quell: {errors} of {total} lines could not be checked", total).format(
            errors=errors, total=total), file=sys.stderr)
    return 1 if errors else 0


def _numbered(lines: BinaryIO | TextIO) -> Iterator[tuple[int, str | InputError]]:
    """(line number, text), or the problem for a line that is not UTF-8 or is too long.

    Lines are read with a bounded readline, never more than MAX_LINE_BYTES at a time.
    """
    number = 0
    while True:
        line: bytes | str = lines.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        newline: bytes | str = b"\n" if isinstance(line, bytes) else "\n"
        if len(line) > MAX_LINE_BYTES and not line.endswith(newline):  # type: ignore[arg-type]
            problem = _skip_rest(lines, newline)
            yield number, problem
            if isinstance(problem, _StreamEnds):
                return
            continue
        if isinstance(line, bytes):
            try:
                yield number, line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                yield number, InputError(_("not UTF-8 text"))
        else:
            yield number, line


def _skip_rest(lines: BinaryIO | TextIO, newline: bytes | str) -> InputError:
    """Read past the rest of an over-long line; say why it was not checked."""
    skipped = 0
    while skipped < MAX_SKIP_BYTES:
        chunk = lines.readline(65536)
        if not chunk or chunk.endswith(newline):  # type: ignore[arg-type]
            return InputError(_("longer than {n} KB").format(n=MAX_LINE_BYTES // 1024))
        skipped += len(chunk)
    return _StreamEnds(_("longer than {n} MB without a line break; stopped reading").format(
        n=MAX_SKIP_BYTES // (1024 * 1024)))


# -- quell twitch -------------------------------------------------------------------------


def twitch_request(area: str, *, side: str | None = None, intensity: str | None = None,
                   at: str | None = None, note: str = "") -> dict[str, Any]:
    return {"op": "twitch", "area": area, "side": side, "intensity": intensity, "at": at,
            "note": note}


def _run_twitch(args: argparse.Namespace, cli: Cli) -> int:
    return cli.write(twitch_request(args.area, side=args.side, intensity=args.intensity,
                                    at=args.at, note=args.note))


def _twitch(request: dict[str, Any], context: Context) -> str:
    from quell.storage.twitch_store import SqliteTwitchStore

    diary = TwitchDiary(SqliteTwitchStore(context.database.connection), context.tracker.clock,
                        context.settings)
    now = diary.clock.now()
    at_text = text_field(request, "at", empty_ok=False, label="--at")
    at = parse_when(at_text, now) if at_text is not None else None
    raw_intensity = request.get("intensity")  # a script on the socket may send a number
    intensity: object = (raw_intensity if isinstance(raw_intensity, int) else
                         text_field(request, "intensity", empty_ok=False, label="--intensity"))
    twitch = diary.log(text_field(request, "area", label=_("the area")) or "",
                       side=text_field(request, "side", label="--side") or "",
                       intensity=DEFAULT_INTENSITY if intensity is None else intensity,
                       at=at, note=text_field(request, "note", label="--note") or "",
                       source=Source.CLI)
    today = diary.current_day()
    count = len(diary.between(twitch.day, twitch.day))
    return describe_twitch(twitch, count, today)


def describe_twitch(twitch: Twitch, count_that_day: int, today: Any) -> str:
    day = _("today") if twitch.day == today else twitch.day.isoformat()
    return _("Logged a twitch: {where}, strength {n} ({label}), at {when}. Twitches {day}: "
             "{count}.").format(where=twitch.where().lower(), n=twitch.intensity,
                                label=intensity_label(twitch.intensity).lower(),
                                when=twitch.at.strftime("%H:%M"), day=day,
                                count=count_that_day)


# -- quell rate ---------------------------------------------------------------------------


def rate_request(rating: str, *, day: str | None = None, areas: str | None = None
                 ) -> dict[str, Any]:
    return {"op": "rate", "rating": rating, "day": day, "areas": areas}


def _run_rate(args: argparse.Namespace, cli: Cli) -> int:
    return cli.write(rate_request(args.rating, day=args.day, areas=args.areas))


def _rate(request: dict[str, Any], context: Context) -> str:
    from quell.storage.rating_store import SqliteRatingStore

    ratings = TwitchRatings(SqliteRatingStore(context.database.connection),
                            context.tracker.clock, context.settings)
    raw = request.get("rating")  # a script on the socket may send a number
    value: object = raw if isinstance(raw, int) else text_field(
        request, "rating", empty_ok=False, label=_("the rating"))
    if value is None:
        raise InputError(_("the rating is missing (0 to 4)"))
    day_text = text_field(request, "day", empty_ok=False, label="--day")
    areas = text_field(request, "areas", label="--areas") or ""
    today = ratings.current_day()
    words = {"today": today, "yesterday": today - timedelta(days=1)}
    day = None if day_text is None else (words.get(day_text.strip().lower())
                                         or parse_date(day_text))
    return describe_rate(ratings.rate(value, day=day, areas=areas), today)


def describe_rate(change: RatingChange, today: Any) -> str:
    """'Rated today: 2 of 4 (somewhat). It replaces the rating of 3 given before.'"""
    rating = change.rating
    day = (_("today") if rating.day == today else _("yesterday")
           if rating.day == today - timedelta(days=1) else rating.day.isoformat())
    text = _("Rated {day}: {rating}.").format(day=day, rating=rating.in_words())
    if change.replaced is not None:
        text += " " + _("It replaces the rating of {n} given before.").format(
            n=change.replaced.rating)
    return text


# -- quell report -------------------------------------------------------------------------


def _run_report(args: argparse.Namespace, cli: Cli) -> int:
    first, last = parse_date(args.first), parse_date(args.last)
    output = _output_file(args.output)
    from quell.storage.check_store import SqliteCheckStore
    from quell.storage.twitch_store import SqliteTwitchStore
    from quell.ui.report.pdf import ensure_gui_application, write_report_pdf
    from quell.ui.services.report import collect_report

    context = cli.open()
    try:
        connection = context.database.connection
        report = collect_report(context.tracker, SqliteTwitchStore(connection),
                                SqliteCheckStore(connection), first, last,
                                water_unit=context.settings().water_unit)
    finally:
        context.close()
    app = ensure_gui_application()  # kept alive while Qt lays the text out
    try:
        pages = write_report_pdf(report, output)
    except OSError as error:
        raise _cannot_write(output, error) from None
    assert app is not None
    text = (_("Wrote the report for {first} to {last} ({pages} pages) to {path}.") if pages != 1
            else _("Wrote the report for {first} to {last} (1 page) to {path}."))
    print(text.format(first=report.first_day.isoformat(), last=report.last_day.isoformat(),
                      pages=pages, path=output),
          file=cli.out)
    return 0


def _output_file(text: str) -> Path:
    """The file named by -o, checked before any work: a name the system refuses (too long, a
    NUL, a folder that is a file) is a one-line error naming the file and the cause."""
    path = Path(text).expanduser()
    try:
        path.is_dir()
        path.parent.is_dir()
    except (OSError, ValueError) as error:
        raise _cannot_write(path, error) from None
    return path


def _cannot_write(path: Path, error: Exception) -> InputError:
    cause = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    shown = str(path) if len(str(path)) <= 120 else str(path)[:60] + "…" + str(path)[-40:]
    return InputError(_("cannot write the report to {path}: {cause}").format(
        path=shown, cause=cause))


OPS = {"twitch": _twitch, "rate": _rate}
