"""The running app answers "reminders" (with presence read afresh) and "remind" (shown once per
request id) over its real socket; each bad request gets its own one-line error."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from quell.app import ipc
from quell.app.context import open_context
from quell.app.gui import QuellApp
from quell.app.reminder_requests import REMEMBERED_IDS, answer
from quell.core.presence import HoldReason
from quell.core.reminders import Reminder, ReminderKind
from quell.core.settings import ReminderStyle
from quell.files import Paths
from quell.scheduling.presence import Presence
from quell.scheduling.reminders import Reminders
from quell.storage.reminder_events import ReminderEventStore
from tests.conftest import LONDON, FakeClock
from tests.scheduling.fakes import FakeAlarms, FakeSource

V = ipc.PROTOCOL_VERSION
KINDS = ["water", "stretch", "breathe", "caffeine_cutoff", "wind_down", "sleep_log"]


@dataclass
class RunningApp:
    """The real app's parts and command server in this process, its reminders on fake alarms
    and fake presence sources."""

    quell: QuellApp
    paths: Paths
    clock: FakeClock
    alarms: FakeAlarms
    sources: dict[HoldReason, FakeSource]
    shown: list[Reminder] = field(default_factory=list)

    @property
    def reminders(self) -> Reminders:
        assert self.quell.reminders is not None
        return self.quell.reminders

    def hold(self, reason: HoldReason, until: datetime | None = None) -> None:
        self.sources[reason].begin(self.clock.now(), until, notify=False)


@contextmanager
def running_app(qapp: QApplication, clock: FakeClock) -> Iterator[RunningApp]:
    paths = Paths.for_user()
    context = open_context(clock, paths)
    quell = QuellApp(qapp, context, paths)
    sources = {reason: FakeSource(reason) for reason in HoldReason}
    presence = Presence(list(sources.values()), context.settings, clock)
    alarms = FakeAlarms(clock)
    quell.reminders = Reminders(quell.session, ReminderEventStore(context.store.connection),
                                clock, alarms=alarms, watch_sleep=False, presence=presence)
    running = RunningApp(quell, paths, clock, alarms, sources)
    quell.reminders.due.connect(running.shown.append)
    quell.reminders.start()
    quell.start_server()
    try:
        yield running
    finally:
        quell.stop()
        quell.tray.menu.deleteLater()


def in_thread(qtbot, work: Callable[[], Any], timeout_ms: int = 10000) -> Any:
    """Run a blocking client in a thread while the Qt loop serves it; return its result."""
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = work()
        except BaseException as error:  # handed to the test below
            result["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    qtbot.wait_until(lambda: not thread.is_alive(), timeout=timeout_ms)
    if "error" in result:
        raise result["error"]
    return result["value"]


@pytest.fixture
def app(qtbot, qapp: QApplication, clock: FakeClock) -> Iterator[RunningApp]:
    with running_app(qapp, clock) as running:
        yield running


def send(qtbot, app: RunningApp, request: dict[str, Any]) -> dict[str, Any]:
    reply = in_thread(qtbot, lambda: ipc.send(app.paths, request))
    assert reply is not None
    return reply


# -- "reminders" ------------------------------------------------------------------------------


def test_the_document_exactly(qtbot, app: RunningApp) -> None:
    reply = send(qtbot, app, {"op": "reminders", "id": ipc.new_request_id()})
    assert list(reply) == ["ok", "output", "reminders", "v"]
    assert (reply["ok"], reply["output"], reply["v"]) == (True, "", V)
    document = reply["reminders"]
    assert list(document) == ["paused_until", "hold", "reminders"]
    assert document["paused_until"] is None and document["hold"] is None
    assert [item["kind"] for item in document["reminders"]] == KINDS
    water = document["reminders"][0]
    assert water == {"kind": "water", "enabled": True, "next": "2026-03-10T15:00:00+00:00",
                     "times": water["times"], "snoozed_until": None}
    assert water["times"][:2] == ["09:00", "10:00"]


def test_presence_is_read_afresh_when_asked(qtbot, app: RunningApp) -> None:
    until = datetime(2026, 3, 10, 15, 30, tzinfo=LONDON)
    app.hold(HoldReason.MEETING, until)  # no signal: only a fresh read can know
    assert app.reminders.current_hold() is None
    document = send(qtbot, app, {"op": "reminders"})["reminders"]
    assert document["hold"] == {"reason": "meeting", "since": "2026-03-10T14:30:00+00:00",
                                "until": "2026-03-10T15:30:00+00:00"}
    app.sources[HoldReason.MEETING].end(notify=False)
    assert send(qtbot, app, {"op": "reminders"})["reminders"]["hold"] is None


def test_the_strongest_hold_is_the_one_answered(qtbot, app: RunningApp) -> None:
    app.hold(HoldReason.DO_NOT_DISTURB)
    app.hold(HoldReason.AWAY)
    hold = send(qtbot, app, {"op": "reminders"})["reminders"]["hold"]
    assert hold == {"reason": "away", "since": "2026-03-10T14:30:00+00:00", "until": None}


def test_a_postponed_reminder_stays_in_the_listing(qtbot, app: RunningApp) -> None:
    app.reminders.postpone_next(timedelta(minutes=15))
    items = {item["kind"]: item for item in
             send(qtbot, app, {"op": "reminders"})["reminders"]["reminders"]}
    for kind in ("water", "stretch"):  # both were due at 15:00
        assert items[kind]["snoozed_until"] == "2026-03-10T15:15:00+00:00"
        assert items[kind]["next"] == "2026-03-10T15:15:00+00:00"
    assert items["breathe"]["snoozed_until"] is None


def test_a_pause_is_answered(qtbot, app: RunningApp) -> None:
    app.reminders.pause(timedelta(hours=1))
    document = send(qtbot, app, {"op": "reminders"})["reminders"]
    assert document["paused_until"] == "2026-03-10T15:30:00+00:00"


# -- "remind" ---------------------------------------------------------------------------------


def test_remind_shows_it_now(qtbot, app: RunningApp) -> None:
    reply = send(qtbot, app, {"op": "remind", "kind": "stretch", "style": "notification"})
    assert reply == {"ok": True, "output": "Showing the stretch break reminder now.",
                     "repeated": False, "v": V}
    (reminder,) = app.shown
    assert (reminder.kind, reminder.style) == (ReminderKind.STRETCH, ReminderStyle.NOTIFICATION)
    assert app.reminders.pending() == [reminder]  # answered like any other


def test_remind_is_shown_even_while_held_or_paused(qtbot, app: RunningApp) -> None:
    app.hold(HoldReason.DO_NOT_DISTURB)
    app.reminders.pause(timedelta(hours=2))
    send(qtbot, app, {"op": "remind", "kind": "water"})
    assert [(r.kind, r.style) for r in app.shown] == [(ReminderKind.WATER, None)]


@pytest.mark.parametrize(("kind", "text"), [
    ("water", "Showing the water reminder now."),
    ("breathe", "Showing the breathing reminder now."),
    ("caffeine_cutoff", "Showing the caffeine last call now."),
    ("wind_down", "Showing the wind-down reminder now."),
    ("sleep_log", "Showing the reminder to log your sleep now."),
])
def test_each_kind_says_what_it_shows(qtbot, app: RunningApp, kind: str, text: str) -> None:
    assert send(qtbot, app, {"op": "remind", "kind": kind})["output"] == text
    assert [r.kind.value for r in app.shown] == [kind]


def test_a_remind_sent_again_is_not_shown_again(qtbot, app: RunningApp) -> None:
    # The CLI sends a request again, with the same id, when the app stopped answering; the
    # first may have been shown already.
    request = {"op": "remind", "kind": "water", "id": "0123456789abcdef"}
    first = send(qtbot, app, request)
    again = send(qtbot, app, request)
    assert len(app.shown) == 1
    assert (first["repeated"], again["repeated"]) == (False, True)
    assert again["output"] == first["output"]
    # A new request (a new id) is a new wish: shown again, in place of the first card.
    send(qtbot, app, {**request, "id": "fedcba9876543210"})
    assert len(app.shown) == 2 and len(app.reminders.pending()) == 1


def test_remembered_ids_are_bounded(qtbot, app: RunningApp) -> None:
    for n in range(REMEMBERED_IDS + 1):
        answer({"op": "remind", "kind": "water", "id": f"request-{n:04d}"}, app.quell)
    assert len(app.shown) == REMEMBERED_IDS + 1
    answer({"op": "remind", "kind": "water", "id": "request-0000"}, app.quell)  # forgotten
    answer({"op": "remind", "kind": "water", "id": f"request-{REMEMBERED_IDS:04d}"}, app.quell)
    assert len(app.shown) == REMEMBERED_IDS + 2


# -- bad requests: each its own error, nothing shown ------------------------------------------

SHOWN_AS = "a reminder is shown as a card or a notification, "
BAD: list[tuple[dict[str, Any], str]] = [
    ({"op": "remind"}, "a remind request needs a kind: one of water, stretch, breathe, "
                       "caffeine_cutoff, wind_down, sleep_log"),
    ({"op": "remind", "kind": None}, "a remind request needs a kind"),
    ({"op": "remind", "kind": "coffee"}, "there is no 'coffee' reminder: the kinds are water,"),
    ({"op": "remind", "kind": "Water"}, "there is no 'Water' reminder"),
    ({"op": "remind", "kind": 5}, "there is no int reminder"),
    ({"op": "remind", "kind": ["water"]}, "there is no list reminder"),
    ({"op": "remind", "kind": "x" * 5000}, "there is no str reminder"),
    ({"op": "remind", "kind": "\x1b[2J"}, "there is no str reminder"),
    ({"op": "remind", "kind": "water", "style": "toast"},
     SHOWN_AS + "not 'toast'"),
    ({"op": "remind", "kind": "water", "style": "both"}, SHOWN_AS + "not 'both'"),
    ({"op": "remind", "kind": "water", "style": 1}, SHOWN_AS + "not int"),
    ({"op": "remind", "kind": "water", "style": {}}, SHOWN_AS + "not dict"),
    ({"op": "remind", "kind": "water", "when": "now"}, "a remind request has no field 'when'"),
    ({"op": "remind", "kind": "water", "id": "short"},
     "the request id must be 8 to 64 letters, digits, - or _"),
    ({"op": "remind", "kind": "water", "id": 123456789}, "the request id must be"),
    ({"op": "remind", "kind": "water", "id": "has spaces in it"}, "the request id must be"),
    ({"op": "reminders", "kind": "water"}, "a reminders request has no field 'kind'"),
    ({"op": "reminders", "id": ["x"]}, "the request id must be"),
]


@pytest.mark.parametrize(("request_", "error"), BAD)
def test_each_bad_request_gets_its_own_error(qtbot, app: RunningApp, request_: dict[str, Any],
                                             error: str) -> None:
    reply = send(qtbot, app, request_)
    assert reply["ok"] is False and reply["v"] == V
    assert reply["error"].startswith(error)
    assert "\n" not in reply["error"] and "\x1b" not in reply["error"]
    assert app.shown == []


def test_a_flood_of_bad_requests_then_a_good_one(qtbot, app: RunningApp) -> None:
    def flood() -> list[dict[str, Any] | None]:
        return [ipc.send(app.paths, request) for request, _error in BAD]

    replies = in_thread(qtbot, flood)
    errors = [reply["error"] for reply in replies if reply is not None]
    assert len(errors) == len(BAD)
    for error, (_request, expected) in zip(errors, BAD, strict=True):
        assert error.startswith(expected)
    assert app.shown == []
    assert send(qtbot, app, {"op": "remind", "kind": "water"})["ok"] is True
    assert len(app.shown) == 1


def test_a_null_style_is_the_users_own(qtbot, app: RunningApp) -> None:
    assert send(qtbot, app, {"op": "remind", "kind": "water", "style": None})["ok"] is True
    assert app.shown[0].style is None


def test_before_the_reminders_start(qtbot, qapp: QApplication, clock: FakeClock) -> None:
    paths = Paths.for_user()
    quell = QuellApp(qapp, open_context(clock, paths), paths)
    try:
        for request in ({"op": "reminders"}, {"op": "remind", "kind": "water"}):
            with pytest.raises(Exception, match="still starting its reminders"):
                answer(request, quell)
    finally:
        quell.stop()
        quell.tray.menu.deleteLater()


class NoReminders:
    reminders = None


@pytest.mark.parametrize("op", ["log", "raise", "pause", "today", "remind_now", "Reminders"])
def test_other_ops_are_not_answered_here(op: str) -> None:
    assert answer({"op": op, "kind": "water"}, NoReminders()) is None


def test_the_reply_is_json(qtbot, app: RunningApp) -> None:
    app.hold(HoldReason.SCREEN_LOCKED)
    reply = send(qtbot, app, {"op": "reminders"})
    assert json.loads(json.dumps(reply)) == reply
