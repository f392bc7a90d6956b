"""`quell autostart on|off|status`: whether Quell starts when you log in (CONTRACTS.md).

Works without the running app: the switch is the desktop's (an autostart entry, the Run key,
a LaunchAgent), not Quell's database.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from quell.core.i18n import _

if TYPE_CHECKING:
    from quell.app.cli import Cli

OPS: dict[str, Any] = {}  # nothing to hand to the running app


def add_parsers(subparsers: Any) -> None:
    autostart = subparsers.add_parser(
        "autostart", help=_("start Quell when you log in, or not"),
        description=_("Start Quell in the tray when you log in (on), stop doing so (off), or "
                      "print whether it does (status: on or off)."))
    autostart.add_argument("action", choices=("on", "off", "status"),
                           help=_("on, off or status"))
    autostart.set_defaults(run=_run_autostart)


def _run_autostart(args: argparse.Namespace, cli: Cli) -> int:
    from quell.platform.autostart import AutostartError, autostart_enabled, set_autostart

    if args.action == "status":
        print("on" if autostart_enabled() else "off", file=cli.out)
        return 0
    on = args.action == "on"
    try:
        set_autostart(on)
    except AutostartError as error:
        print(f"quell: {error}", file=sys.stderr)
        return 1
    print(_("Quell will start in the tray when you log in.") if on
          else _("Quell will no longer start when you log in."), file=cli.out)
    return 0
