"""The running app's answers to `quell reminders` and `quell remind`: only it knows whether
reminders wait and why, which are snoozed, and only it can show a card."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject

from quell.app.cli_reminders import KINDS, REMIND_STYLES, reminders_json
from quell.app.ipc import Op, check_request_id
from quell.core.errors import InputError
from quell.core.i18n import _
from quell.core.reminders import ReminderKind
from quell.core.settings import ReminderStyle

if TYPE_CHECKING:
    from quell.scheduling.reminders import Reminders

log = logging.getLogger(__name__)

# The fields each request may carry ("v" is checked by the server before this runs).
FIELDS = {
    Op.REMINDERS.value: frozenset({"v", "op", "id"}),
    Op.REMIND.value: frozenset({"v", "op", "id", "kind", "style"}),
}
# How long, and how many, shown reminders' request ids are remembered: far longer than a
# retry takes, far fewer than anything but a runaway script sends.
REMEMBERED_SECONDS = 600.0
REMEMBERED_IDS = 64


class QuellAppParts(Protocol):
    """What these answers need of ``quell.app.gui.QuellApp``."""

    @property
    def reminders(self) -> Reminders | None: ...


def answer(request: dict[str, Any], app: QuellAppParts) -> dict[str, Any] | None:
    """The reply to a "reminders" or "remind" request; None for any other op.

    A bad request raises InputError naming its one problem (the server turns it into that
    request's error reply and logs it once).
    """
    op = request.get("op")
    if op not in FIELDS:
        return None
    assert isinstance(op, str)
    _check_fields(request, op)
    reminders = app.reminders
    if reminders is None:  # the server starts a moment before the reminders
        raise InputError(_("Quell is still starting its reminders; try again in a moment."))
    if op == Op.REMINDERS.value:
        document = reminders_document(reminders)
        log.info("request 'reminders' from another process")
        return {"ok": True, "output": "", "reminders": document}
    return _remind(request, reminders)


def reminders_document(reminders: Reminders) -> dict[str, Any]:
    """The `quell reminders --json` document, with presence read afresh now."""
    hold = reminders.hold()
    snoozed: dict[ReminderKind, datetime | None] = {
        kind: reminders.snoozed_until(kind) for kind in ReminderKind}
    return reminders_json(reminders.paused_until, reminders.statuses(), hold, snoozed)


def _check_fields(request: dict[str, Any], op: str) -> None:
    for key in request:
        if key not in FIELDS[op]:
            raise InputError(_("a {op} request has no field {key}").format(
                op=op, key=_shown(key)))
    check_request_id(request.get("id"))
    if op != Op.REMIND.value:
        return
    kind = request.get("kind")
    if kind is None:
        raise InputError(_("a remind request needs a kind: one of {kinds}").format(
            kinds=", ".join(KINDS)))
    if kind not in KINDS:
        raise InputError(_("there is no {kind} reminder: the kinds are {kinds}").format(
            kind=_shown(kind), kinds=", ".join(KINDS)))
    style = request.get("style")
    if style is not None and style not in REMIND_STYLES:
        raise InputError(_("a reminder is shown as a card or a notification, not "
                           "{style}").format(style=_shown(style)))


def _shown(value: object) -> str:
    """A value from a request, safe to echo in one line of an error."""
    if isinstance(value, str) and len(value) <= 40 and value.isprintable():
        return repr(value)
    return type(value).__name__


def _remind(request: dict[str, Any], reminders: Reminders) -> dict[str, Any]:
    """Show the reminder now; a request id already shown is answered again, not re-shown.

    Not stored in the database's handled requests: a shown card is not a write (its answer is
    stored when given), and it dies with the app, so a restarted app must show it again. The
    ids are kept with the reminder service, exactly as long as the cards they guard.
    """
    kind = ReminderKind(request["kind"])
    style = ReminderStyle(request["style"]) if request.get("style") is not None else None
    request_id = request.get("id")
    recent = ShownRequests.of(reminders)
    if isinstance(request_id, str):
        output = recent.output(request_id)
        if output is not None:
            log.info("request 'remind' from another process (shown before: not again)")
            return {"ok": True, "output": output, "repeated": True}
    reminders.remind_now(kind, style)
    output = showing_text(kind)
    if isinstance(request_id, str):
        recent.remember(request_id, output)
    log.info("request 'remind' from another process: %s%s", kind.value,
             f" as {style.value}" if style else "")
    return {"ok": True, "output": output, "repeated": False}


def showing_text(kind: ReminderKind) -> str:
    return {
        ReminderKind.WATER: _("Showing the water reminder now."),
        ReminderKind.STRETCH: _("Showing the stretch break reminder now."),
        ReminderKind.BREATHE: _("Showing the breathing reminder now."),
        ReminderKind.CAFFEINE_CUTOFF: _("Showing the caffeine last call now."),
        ReminderKind.WIND_DOWN: _("Showing the wind-down reminder now."),
        ReminderKind.SLEEP_LOG: _("Showing the reminder to log your sleep now."),
    }[kind]


class ShownRequests(QObject):
    """The ids of `remind` requests already shown, with what was answered; a child of the
    reminder service, so they go when it goes."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName("shownRemindRequests")
        self._shown: OrderedDict[str, tuple[str, float]] = OrderedDict()

    @classmethod
    def of(cls, reminders: QObject) -> ShownRequests:
        found = reminders.findChild(cls, "shownRemindRequests")
        return found if isinstance(found, cls) else cls(reminders)

    def output(self, request_id: str) -> str | None:
        self._forget_old()
        known = self._shown.get(request_id)
        return known[0] if known is not None else None

    def remember(self, request_id: str, output: str) -> None:
        self._shown[request_id] = (output, time.monotonic())
        while len(self._shown) > REMEMBERED_IDS:
            self._shown.popitem(last=False)

    def _forget_old(self) -> None:
        oldest = time.monotonic() - REMEMBERED_SECONDS
        while self._shown and next(iter(self._shown.values()))[1] < oldest:
            self._shown.popitem(last=False)
