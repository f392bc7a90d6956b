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
import sys
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, TextIO

from desktop import __version__
from desktop.core.clock import Clock
from desktop.core.errors import InputError
from desktop.core.i18n import _
from desktop.storage.paths import Paths

if TYPE_CHECKING:
    from desktop.app.context import Context

Handler = Callable[[dict[str, Any], "Context"], str]


def command_modules() -> list[ModuleType]:
    """The command modules, in the order their commands appear in --help; imported on first use.

    Static imports, not importlib by name: a frozen build (PyInstaller) bundles only the modules
    it sees imported, and a name in a string it cannot see (tests/app/test_frozen.py).
    """
    from desktop.app import cli_data, cli_habits, cli_reminders, cli_symptoms

    return [cli_habits, cli_reminders, cli_symptoms, cli_data]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quell",
        description=_("Quell: track the habits behind muscle twitches. Without a command, "
                      "starts Quell in the system tray."),
    )
    parser.add_argument("--version", action="version", version=f"quell {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in command_modules():
        module.add_parsers(subparsers)
    return parser


def execute(request: dict[str, Any], context: Context) -> str:
    """Run one write request against *context*; raise InputError (nothing written) if bad."""
    op = request.get("op")
    for module in command_modules():
        handler: Handler | None = getattr(module, "OPS", {}).get(op)
        if handler is not None:
            return handler(request, context)
    raise InputError(f"unknown request {op!r}")


@dataclass
class Cli:
    """What a command needs: the clock, the user's folders and where to print."""

    clock: Clock
    paths: Paths
    out: TextIO

    def open(self) -> Context:
        from desktop.app.context import open_context

        context = open_context(self.clock, self.paths)
        for notice in context.database.notices:  # e.g. a damaged database was restored
            print(f"quell: {notice}", file=sys.stderr)
        return context

    def write(self, request: dict[str, Any]) -> int:
        """Carry out a write request through the running app, or directly; print its line."""
        from desktop.app import ipc

        reply = ipc.send(self.paths, request)
        if reply is not None:
            if not reply.get("ok"):
                raise InputError(str(reply.get("error", "the app refused the request")))
            output = str(reply.get("output", ""))
        else:
            context = self.open()
            try:
                output = execute(request, context)
            finally:
                context.close()
        if output:
            print(output, file=self.out)
        return 0


def run_cli(args: argparse.Namespace, clock: Clock, paths: Paths,
            out: TextIO | None = None) -> int:
    """Run a parsed command; user errors raise InputError/StorageError for main() to report."""
    run: Callable[[argparse.Namespace, Cli], int] = args.run
    return run(args, Cli(clock, paths, out or sys.stdout))
