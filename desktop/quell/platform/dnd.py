"""Whether the desktop's do-not-disturb is on: the notification server's ``Inhibited``
property (KDE, and servers following the 1.3 draft), GNOME's ``show-banners`` setting, and
Windows Focus Assist (``SHQueryUserNotificationState``: busy, quiet time, presenting).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import datetime

from jeepney import Message

from quell.core.presence import Hold, HoldReason
from quell.platform.presence_sources import Budget, BusCaller, Since, Subscriptions

log = logging.getLogger(__name__)

NOTIFICATIONS = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
PROPERTIES = "org.freedesktop.DBus.Properties"
SHOW_BANNERS = ("get", "org.gnome.desktop.notifications", "show-banners")


def on_gnome() -> bool:
    desktops = os.environ.get("XDG_CURRENT_DESKTOP", "")
    return any(name.strip().lower() == "gnome" for name in desktops.split(":"))


class DoNotDisturbSource:
    """Holds reminders while do-not-disturb is on."""

    reason = HoldReason.DO_NOT_DISTURB

    def __init__(self, gsettings: Sequence[str] = ("gsettings",)) -> None:
        """*gsettings*: the command that reads GNOME's settings (tests give a stand-in)."""
        self._gsettings = tuple(gsettings)
        self._server = BusCaller("session", NOTIFICATIONS)
        self._since = Since()
        self._subscriptions = Subscriptions()
        self._callback: Callable[[], None] | None = None
        self._available: bool | None = None
        self._gsettings_failed = False

    def available(self) -> bool:
        if self._available is None:
            self._available = (sys.platform == "win32" or on_gnome()
                               or self._server.bus() is not None)
        return self._available

    def on(self) -> bool | None:
        """Asked afresh: whether do-not-disturb is on (None: nothing could tell)."""
        if sys.platform == "win32":
            from quell.platform.fullscreen import (
                QUNS_BUSY,
                QUNS_PRESENTATION_MODE,
                QUNS_QUIET_TIME,
                notification_state,
            )

            state = notification_state()
            if state is None:
                return None
            return state in (QUNS_BUSY, QUNS_QUIET_TIME, QUNS_PRESENTATION_MODE)
        budget = Budget()
        answers: list[bool] = []
        inhibited = self._server.get_property(NOTIFICATIONS_PATH, NOTIFICATIONS, "Inhibited",
                                              budget.left())
        if inhibited is not None:
            answers.append(bool(inhibited))
        if on_gnome() and not budget.spent():
            banners = self._show_banners(budget.left())
            if banners is not None:
                answers.append(not banners)
        return any(answers) if answers else None

    def read(self, now: datetime) -> Hold | None:
        if not self.available() or not self.on():
            self._since.end()
            return None
        return Hold(self.reason, self._since.since(now))

    def set_listener(self, callback: Callable[[], None] | None) -> None:
        """Inhibited changes come as PropertiesChanged; GNOME's setting is only read."""
        self._subscriptions.clear()
        self._callback = callback
        if callback is not None and sys.platform != "win32":
            self._subscriptions.add(self._server.bus(), self._on_properties_changed,
                                    sender=NOTIFICATIONS, path=NOTIFICATIONS_PATH,
                                    interface=PROPERTIES, member="PropertiesChanged")

    def _on_properties_changed(self, message: Message) -> None:
        if len(message.body) < 3 or message.body[0] != NOTIFICATIONS:
            return
        changed, invalidated = message.body[1], message.body[2]
        if "Inhibited" in changed:
            _signature, value = changed["Inhibited"]
            if value:
                self._since.begin()
            else:
                self._since.end()
        elif "Inhibited" not in invalidated:
            return
        if self._callback is not None:
            self._callback()

    def _show_banners(self, timeout: float) -> bool | None:
        """GNOME's show-banners (False: do not disturb), or None when gsettings cannot tell."""
        if self._gsettings_failed:
            return None
        try:
            result = subprocess.run([*self._gsettings, *SHOW_BANNERS], capture_output=True,
                                    text=True, timeout=timeout, check=False)
        except FileNotFoundError:
            log.info("gsettings is not installed: GNOME's do-not-disturb is not seen")
            self._gsettings_failed = True
            return None
        except (OSError, subprocess.TimeoutExpired) as error:
            log.debug("gsettings: %s", error)
            return None
        answer = result.stdout.strip()
        if result.returncode != 0 or answer not in ("true", "false"):
            log.debug("gsettings said %r (%s)", answer, result.stderr.strip())
            return None
        return answer == "true"
