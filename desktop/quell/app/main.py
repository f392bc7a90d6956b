"""Quell's entry point: the tray app, or a command when arguments are given."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # argparse alone costs the tray app ~3 ms of start-up
    import argparse

    from quell.core.clock import Clock
    from quell.files import Paths

log = logging.getLogger("quell")
# Start in the tray without opening a window: the autostart entry's Exec ends with it.
BACKGROUND = "--background"


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """Run Quell with *argv* (without the program name); return the exit status.

    *clock* replaces the system clock (tests run commands at fixed moments in any zone).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:  # answered without importing every command (half the time)
        from quell import __version__

        print(f"quell {__version__}")
        return 0
    from quell.app.clock import SystemClock
    from quell.app.logs import setup_logging
    from quell.files import Paths

    paths = Paths.for_user()
    # `quell --background` (how it starts at login) is the tray app, not a command; checked
    # before argparse, which the tray app does not import.
    background = args == [BACKGROUND]
    if args and not background:  # any other argument means the command line
        from quell.app.cli import build_parser

        try:
            parser = build_parser()
            parsed = parser.parse_args(args)
            if parsed.command is not None and parsed.background:  # `quell --background log`
                parser.error(f"{BACKGROUND} starts the tray app; it takes no command")
        except SystemExit as exit_:
            return int(exit_.code or 0)
        if parsed.command is None and not parsed.background:
            parser.print_usage(sys.stderr)
            return 2
        if parsed.command is not None:
            setup_logging(paths)
            return _run_command(parsed, clock or SystemClock(), paths)
        background = True  # e.g. `quell --background --background`

    setup_logging(paths)
    problem = _no_display()
    if problem:
        print(f"quell: {problem}", file=sys.stderr)
        return 1
    from quell.app.qt_start import load_qt

    load_qt()  # before the tray's modules: PySide6 would keep each one's source (7 MB)
    from quell.app.gui import run_gui

    return run_gui(paths, SystemClock(), background=background)


def _run_command(parsed: argparse.Namespace, clock: Clock, paths: Paths) -> int:
    import sqlite3

    from quell.app.cli import OutcomeUnknown, run_cli
    from quell.core.errors import InputError
    from quell.storage.database import StorageError

    try:
        return run_cli(parsed, clock, paths)
    except (InputError, StorageError, OutcomeUnknown) as error:
        print(f"quell: {_one_line(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`quell today --json | head`): nothing more to say.
        sys.stdout = None
        return 0
    except sqlite3.Error as error:  # not turned into a StorageError by the storage layer
        log.exception("command failed")
        print(f"quell: Quell could not use its database ({_one_line(error)}); nothing was "
              f"saved. The details are in its log, {paths.log_file}.", file=sys.stderr)
        return 1
    except OSError as error:  # a file the user named (-o ...) cannot be written or read
        log.warning("command failed: %s", error)
        where = f"{error.filename}: " if error.filename else ""
        print(f"quell: {where}{error.strerror or error}", file=sys.stderr)
        return 1
    except Exception as error:  # a bug: keep the traceback in the log, not on the terminal
        log.exception("command failed")
        print(f"quell: Quell hit a bug and did not finish this command ({type(error).__name__}); "
              f"the details are in its log, {paths.log_file}. Please report it.",
              file=sys.stderr)
        return 1


def _one_line(error: BaseException) -> str:
    """The message on one line, with control characters shown, never sent to the terminal
    (an unknown habit named ESC[2J must not clear the user's screen)."""
    text = " ".join(str(error).split())
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 32 or 127 <= ord(c) < 160 else c
                   for c in text)


def _no_display() -> str | None:
    """Why the tray app cannot start here, checked before Qt would abort the process."""
    import os

    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        return ("no graphical display found (neither DISPLAY nor WAYLAND_DISPLAY is set). "
                "Start Quell from your desktop session, or use its commands: quell --help")
    return None


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
