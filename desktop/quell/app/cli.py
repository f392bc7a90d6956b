"""The command line: one parser, with each group of commands in its own module.

A command module (``cli_habits``, ...) provides:

- ``add_parsers(subparsers)``: its subcommands, each with ``set_defaults(run=...)`` where
  ``run(args, cli) -> int`` carries the command out;
- ``OPS``: the write requests it can hand to the running app, ``{"op name": handler}`` with
  ``handler(request, context) -> str`` (the line to print), raising InputError on bad input.

Writes go through the running app when there is one (so its windows update at once), else
straight to the database; the same handler runs in both places.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import ModuleType
from typing import TYPE_CHECKING, Any, TextIO

from quell import __version__
from quell.core.clock import Clock
from quell.core.errors import InputError
from quell.core.i18n import _
from quell.files import Paths
from quell.storage.database import transaction

if TYPE_CHECKING:
    from quell.app.context import Context

Handler = Callable[[dict[str, Any], "Context"], str]
log = logging.getLogger(__name__)


def command_modules() -> list[ModuleType]:
    """The command modules, in the order their commands appear in --help; imported on first use.

    Static imports, not importlib by name: a frozen build (PyInstaller) bundles only the modules
    it sees imported, and a name in a string it cannot see (tests/app/test_frozen.py).
    """
    from quell.app import (
        cli_autostart,
        cli_data,
        cli_habit,
        cli_habits,
        cli_reminders,
        cli_symptoms,
    )

    return [cli_habits, cli_habit, cli_reminders, cli_symptoms, cli_data, cli_autostart]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quell",
        description=_("Quell: track the habits behind muscle twitches. Without a command, "
                      "starts Quell in the system tray."),
    )
    parser.add_argument("--version", action="version", version=f"quell {__version__}")
    parser.add_argument("--background", action="store_true", help=_(
        "start Quell in the tray without opening a window (how it starts when you log in)"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in command_modules():
        module.add_parsers(subparsers)
    return parser


# How long a handled request's id is kept: far longer than any retry takes.
HANDLED_KEPT = timedelta(days=30)


@dataclass(frozen=True)
class Outcome:
    """What carrying out a request printed; *repeated* when it had been carried out before."""

    output: str
    repeated: bool = False


class OutcomeUnknown(Exception):
    """The app stopped or fell silent while answering: the write may or may not be stored."""


def execute(request: dict[str, Any], context: Context) -> str:
    """Run one write request against *context*; raise InputError (nothing written) if bad."""
    return carry_out(request, context).output


def carry_out(request: dict[str, Any], context: Context) -> Outcome:
    """Run one write request once: a request whose ``id`` was handled before is not run again.

    The handler's writes and the record of its id are one transaction (the store's own
    transactions nest as savepoints), so a request is either wholly done and recorded, or not
    done at all; a retry after the app died mid-request finds out which.
    """
    op = request.get("op")
    handler = _handler(op)
    from quell.app.ipc import check_request_id

    request_id = request.get("id")
    check_request_id(request_id)
    db = context.database.connection
    now = int(context.tracker.clock.now().timestamp())
    with transaction(db):
        if request_id is not None:
            row = db.execute("SELECT op, output FROM handled_requests WHERE id = ?",
                             (request_id,)).fetchone()
            if row is not None:
                if row["op"] != op:
                    raise InputError(_("this request id was already used for another command"))
                return Outcome(str(row["output"]), repeated=True)
        output = handler(request, context)
        if request_id is not None:
            db.execute("INSERT INTO handled_requests (id, op, output, handled) "
                       "VALUES (?, ?, ?, ?)", (request_id, op, output, now))
            # The oldest few rows only (by rowid, the order they came in), so the purge costs
            # the same with ten rows or ten thousand; one write in, up to four old ones out.
            db.execute("DELETE FROM handled_requests WHERE rowid IN (SELECT rowid FROM "
                       "handled_requests ORDER BY rowid LIMIT 4) AND handled < ?",
                       (now - int(HANDLED_KEPT.total_seconds()),))
    return Outcome(output)


def _handler(op: object) -> Handler:
    if isinstance(op, str):
        for module in command_modules():
            handler: Handler | None = getattr(module, "OPS", {}).get(op)
            if handler is not None:
                return handler
    shown = op if isinstance(op, str) and len(op) <= 40 else type(op).__name__
    raise InputError(_("unknown request {op!r}").format(op=shown))


@dataclass
class Cli:
    """What a command needs: the clock, the user's folders and where to print."""

    clock: Clock
    paths: Paths
    out: TextIO

    def open(self) -> Context:
        from quell.app.context import open_context

        context = open_context(self.clock, self.paths)
        for notice in context.database.notices:  # e.g. a damaged database was restored
            print(f"quell: {notice}", file=sys.stderr)
        return context

    def ask(self, request: dict[str, Any]) -> dict[str, Any] | None:
        """The running app's reply to *request* (a question, or an action only it can do);
        None when no app is running. Nothing is done in its place here.

        The request carries an id; when the app stops while answering, the same request is
        sent again (a restarted app answers it; the app that was answering carries out each id
        once, so a re-sent `remind` never shows two cards). Raises OutcomeUnknown when the app
        does not answer in time, InputError (one line) when it refuses.
        """
        from quell.app import ipc

        request = {**request, "id": request.get("id") or ipc.new_request_id()}
        for attempt in range(RETRIES + 1):
            try:
                reply = ipc.send(self.paths, request)
            except ipc.AppStopped as error:
                log.info("Quell stopped while answering %r (%s); attempt %d",
                         request.get("op"), error, attempt + 1)
                time.sleep(RETRY_PAUSE_SECONDS)
                continue
            except ipc.AppNotResponding as error:
                raise OutcomeUnknown(_(
                    "Quell is running but is not taking commands right now. Try again in a "
                    "moment, or restart Quell.") if not error.sent else _(
                    "Quell is running but did not answer in time. Try again in a moment, or "
                    "restart Quell.")) from None
            if reply is not None and not reply.get("ok"):
                raise InputError(_one_line(reply.get("error"))
                                 or _("the app refused the request"))
            return reply
        raise OutcomeUnknown(_("Quell stopped while answering; start it again (quell), then "
                               "try again."))

    def write(self, request: dict[str, Any]) -> int:
        """Carry out a write request through the running app, or directly; print its line.

        If the app stops while answering, the same request (same id) is sent again: to a
        restarted app, or straight to the database once no app is listening. Either carries
        it out once or reports what was stored the first time.
        """
        from quell.app import ipc

        request = {**request, "id": request.get("id") or ipc.new_request_id()}
        stopped = False
        for attempt in range(RETRIES + 1):
            try:
                reply = ipc.send(self.paths, request)
            except ipc.AppStopped as error:
                log.info("Quell stopped while answering %r (%s); attempt %d",
                            request.get("op"), error, attempt + 1)
                stopped = True
                time.sleep(RETRY_PAUSE_SECONDS)
                continue
            except ipc.AppNotResponding as error:
                if not error.sent:
                    raise OutcomeUnknown(_(
                        "Quell is running but is not taking commands right now; nothing was "
                        "done. Try again in a moment, or restart Quell.")) from None
                raise OutcomeUnknown(_(
                    "Quell is running but did not answer in time, so this may or may not have "
                    "been done. Check with `quell {check}` before trying again, or restart "
                    "Quell.").format(check=_check_command(request))) from None
            break
        else:
            raise OutcomeUnknown(_(
                "the app stopped while answering, so this may or may not have been done. "
                "Check with `quell {check}` before trying again.").format(
                    check=_check_command(request)))
        if reply is not None:
            if not reply.get("ok"):
                raise InputError(_one_line(reply.get("error"))
                                 or _("the app refused the request"))
            outcome = Outcome(_one_line(reply.get("output")), bool(reply.get("repeated")))
        else:
            context = self.open()
            try:
                outcome = carry_out(request, context)
            finally:
                context.close()
        if outcome.output:
            print(outcome.output, file=self.out)
        if stopped:
            print("quell: " + (
                _("Quell stopped while answering, after it had done this (so it was not done "
                  "twice).") if outcome.repeated else
                _("Quell stopped while answering, before it had done this; it is done now.")),
                file=sys.stderr)
        return 0


# A request the app stopped answering is sent again this often (a restarted app or the
# database then answers it); a pause between lets a dying app finish dying.
RETRIES = 2
RETRY_PAUSE_SECONDS = 0.3


def _check_command(request: dict[str, Any]) -> str:
    """The command that shows whether *request* was carried out."""
    return "reminders" if request.get("op") in ("pause", "resume") else "today"


def _one_line(value: object) -> str:
    return " ".join(str(value or "").split())


def run_cli(args: argparse.Namespace, clock: Clock, paths: Paths,
            out: TextIO | None = None) -> int:
    """Run a parsed command; user errors raise InputError/StorageError for main() to report."""
    run: Callable[[argparse.Namespace, Cli], int] = args.run
    return run(args, Cli(clock, paths, out or sys.stdout))
