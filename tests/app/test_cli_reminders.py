"""`quell reminders`, `quell pause`, `quell resume`: the JSON contract, durations, persistence."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest

from quell.app import clock as clock_module
from quell.app import ipc
from quell.app.cli import execute
from quell.app.cli_reminders import reminder_statuses, reminders_json
from quell.app.context import open_context
from quell.app.main import main
from quell.app.reminder_requests import reminders_document
from quell.core.errors import InputError
from quell.core.presence import HoldReason
from quell.files import Paths
from tests.app.test_cli_remind import ReplyServer, reply
from tests.app.test_reminder_requests import RunningApp, in_thread, running_app
from tests.conftest import LONDON, FakeClock

KINDS = ["water", "stretch", "breathe", "caffeine_cutoff", "wind_down", "sleep_log"]
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def reminders(capsys: pytest.CaptureFixture[str]) -> dict:
    code, out, err = run(capsys, "reminders", "--json")
    assert code == 0, err
    return json.loads(out)


def test_json_lists_every_kind(capsys: pytest.CaptureFixture[str]) -> None:
    # Without the app: from the database, nothing held, nothing snoozed (only it knows).
    data = reminders(capsys)
    assert list(data) == ["paused_until", "hold", "reminders"]
    assert data["paused_until"] is None
    assert data["hold"] is None
    assert [r["kind"] for r in data["reminders"]] == KINDS
    for reminder in data["reminders"]:
        assert list(reminder) == ["kind", "enabled", "next", "times", "snoozed_until"]
        assert reminder["enabled"] is True
        assert reminder["snoozed_until"] is None
        assert ISO_WITH_OFFSET.match(reminder["next"]), reminder
        assert all(re.fullmatch(r"\d\d:\d\d", t) for t in reminder["times"])


def test_pause_resume_round_trip(capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # A fixed clock (the real one made this fail in the night of a DST change): 00:30 GMT, half
    # an hour before London's clocks go forward, so 90 minutes later is 03:00 BST, not 02:00.
    clock = FakeClock(datetime(2026, 3, 29, 0, 30, tzinfo=LONDON))
    monkeypatch.setattr(clock_module, "SystemClock", lambda: clock)
    code, out, err = run(capsys, "pause", "1h30m")
    assert code == 0, err
    assert out.startswith("Reminders paused until ")
    paused = datetime.fromisoformat(reminders(capsys)["paused_until"])
    assert ISO_WITH_OFFSET.match(paused.isoformat())
    assert paused == datetime(2026, 3, 29, 3, 0, tzinfo=LONDON)  # 02:00 UTC
    # Every next time is after the pause (nothing would show during it).
    for reminder in reminders(capsys)["reminders"]:
        assert datetime.fromisoformat(reminder["next"]) >= paused
    code, out, _ = run(capsys, "reminders")
    assert "paused until" in out
    assert run(capsys, "resume")[1] == "Reminders resumed.\n"
    assert reminders(capsys)["paused_until"] is None
    assert run(capsys, "resume")[1] == "Reminders were not paused.\n"


def test_pause_until_tomorrow_is_the_next_wake_time(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "pause", "tomorrow")[0] == 0
    paused = datetime.fromisoformat(reminders(capsys)["paused_until"])
    assert (paused.hour, paused.minute) == (7, 0)
    assert paused > datetime.now(LONDON)


def test_pause_survives_a_restart(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "pause", "2h")
    paths = Paths.for_user()
    settings_text = paths.settings.read_text()
    assert '"paused_until": "' in settings_text
    # A fresh process reads it back from the settings file.
    assert reminders(capsys)["paused_until"] is not None


@pytest.mark.parametrize("duration", ["banana", "0m", "3d", "1.5h", "200h", ""])
def test_bad_durations_are_user_errors(capsys: pytest.CaptureFixture[str], duration: str
                                       ) -> None:
    code, out, err = run(capsys, "pause", duration)
    assert code == 1
    assert out == ""
    assert err.startswith("quell: ") and err.count("\n") == 1
    assert "Traceback" not in err
    assert reminders(capsys)["paused_until"] is None


@pytest.mark.parametrize("args", [("pause",), ("pause", "1h", "2h"), ("resume", "now"),
                                  ("reminders", "--yaml")])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert "usage:" in err


def test_switched_off_reminders_have_no_next_time(capsys: pytest.CaptureFixture[str]) -> None:
    paths = Paths.for_user()
    paths.config.mkdir(parents=True, exist_ok=True)
    paths.settings.write_text(json.dumps({"reminders": {"water": False, "breathe_times": []}}))
    data = {r["kind"]: r for r in reminders(capsys)["reminders"]}
    assert data["water"] == {"kind": "water", "enabled": False, "next": None, "times": [],
                             "snoozed_until": None}
    assert data["breathe"]["enabled"] is False


def test_ops_run_the_same_in_the_app(tmp_path) -> None:
    # What the running app does with `quell pause` (handle_request -> execute), on a fixed clock.
    clock = FakeClock(datetime(2026, 3, 10, 14, 30, tzinfo=LONDON))
    context = open_context(clock, Paths.for_user())
    try:
        assert execute({"op": "pause", "duration": "90m"}, context) == (
            "Reminders paused until today 16:00.")
        assert context.settings().paused_until == datetime(2026, 3, 10, 16, 0, tzinfo=LONDON)
        paused, statuses, _now = reminder_statuses(context)
        data = reminders_json(paused, statuses)
        assert data["paused_until"] == "2026-03-10T16:00:00+00:00"
        nexts = {r["kind"]: r["next"] for r in data["reminders"]}
        assert nexts == {
            "water": "2026-03-10T16:00:00+00:00",
            "stretch": "2026-03-10T16:00:00+00:00",
            "breathe": "2026-03-10T17:30:00+00:00",
            "caffeine_cutoff": "2026-03-10T17:52:00+00:00",
            "wind_down": "2026-03-10T22:30:00+00:00",
            "sleep_log": "2026-03-11T07:30:00+00:00",
        }
        with pytest.raises(InputError):
            execute({"op": "pause", "duration": "soon"}, context)
        clock.advance(hours=2)  # the pause ran out: shown as not paused
        assert reminder_statuses(context)[0] is None
        assert execute({"op": "resume"}, context) == "Reminders were not paused."
    finally:
        context.close()


# -- answered by the running app --------------------------------------------------------------


@pytest.fixture
def app(qtbot, qapp, clock: FakeClock) -> Iterator[RunningApp]:
    with running_app(qapp, clock) as running:
        yield running


def cli_in_thread(qtbot, capsys: pytest.CaptureFixture[str], clock: FakeClock, *args: str
                  ) -> tuple[int, str, str]:
    code = in_thread(qtbot, lambda: main(list(args), clock=clock))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_running_app_answers_with_hold_and_snoozes(qtbot, capsys, clock: FakeClock,
                                                       app: RunningApp) -> None:
    app.hold(HoldReason.AWAY)
    app.reminders.postpone_next(timedelta(minutes=30))
    code, out, err = cli_in_thread(qtbot, capsys, clock, "reminders", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == ["paused_until", "hold", "reminders"]
    assert data["hold"] == {"reason": "away", "since": "2026-03-10T14:30:00+00:00",
                            "until": None}
    items = {item["kind"]: item for item in data["reminders"]}
    assert list(items) == KINDS
    for item in items.values():
        assert list(item) == ["kind", "enabled", "next", "times", "snoozed_until"]
    assert items["water"]["snoozed_until"] == "2026-03-10T15:30:00+00:00"
    assert items["breathe"]["snoozed_until"] is None
    assert data == reminders_document(app.reminders)  # the app's own answer, as it is


def test_the_text_says_why_they_wait_and_what_is_snoozed(qtbot, capsys, clock: FakeClock,
                                                         app: RunningApp) -> None:
    app.hold(HoldReason.MEETING, until=datetime(2026, 3, 10, 15, 30, tzinfo=LONDON))
    app.reminders.postpone_next(timedelta(minutes=15))
    code, out, err = cli_in_thread(qtbot, capsys, clock, "reminders")
    assert code == 0, err
    assert out == (
        "Reminders are on.\n"
        "Reminders waiting: your meeting until 15:30.\n"
        "  Water               snoozed until 15:15\n"
        "  Stretch break       snoozed until 15:15\n"
        "  Breathing           next today 17:30\n"
        "  Caffeine last call  next today 17:52\n"
        "  Wind down           next today 22:30\n"
        "  Log your sleep      next tomorrow 07:30\n")


@pytest.mark.parametrize(("reason", "line"), [
    (HoldReason.AWAY, "Reminders waiting: you are away."),
    (HoldReason.SCREEN_LOCKED, "Reminders waiting: the screen is locked."),
    (HoldReason.DO_NOT_DISTURB, "Reminders waiting: do not disturb is on."),
    (HoldReason.FULLSCREEN, "Reminders waiting: a full-screen window is in front."),
    (HoldReason.MEETING, "Reminders waiting: you are in a meeting."),
])
def test_each_reason_in_words(qtbot, capsys, clock: FakeClock, app: RunningApp,
                              reason: HoldReason, line: str) -> None:
    app.hold(reason)
    code, out, _err = cli_in_thread(qtbot, capsys, clock, "reminders")
    assert code == 0
    assert out.splitlines()[1] == line


def test_nothing_held_nothing_said(qtbot, capsys, clock: FakeClock, app: RunningApp) -> None:
    code, out, _err = cli_in_thread(qtbot, capsys, clock, "reminders")
    assert code == 0
    assert "waiting" not in out and "snoozed" not in out
    assert out.splitlines()[1] == "  Water               next today 15:00"


# -- a reply this quell cannot read: one line, exit 1 -----------------------------------------

GOOD_ITEM = {"kind": "water", "enabled": True, "next": "2026-03-10T15:00:00+00:00",
             "times": ["09:00"], "snoozed_until": None}
GOOD = {"paused_until": None, "hold": None, "reminders": [GOOD_ITEM]}
BAD_DOCUMENTS: list[object] = [
    None, [], "text", {}, {**GOOD, "extra": 1}, {"paused_until": None, "reminders": []},
    {**GOOD, "paused_until": "soon"}, {**GOOD, "paused_until": "2026-03-10T15:00:00"},
    {**GOOD, "paused_until": 1741618800},
    {**GOOD, "hold": "away"}, {**GOOD, "hold": {"reason": "away"}},
    {**GOOD, "hold": {"reason": "asleep", "since": "2026-03-10T14:00:00+00:00", "until": None}},
    {**GOOD, "hold": {"reason": "away", "since": None, "until": None}},
    {**GOOD, "hold": {"reason": "away", "since": "2026-03-10T14:00:00+00:00", "until": 5}},
    {**GOOD, "reminders": {}}, {**GOOD, "reminders": [GOOD_ITEM, GOOD_ITEM]},
    {**GOOD, "reminders": [GOOD_ITEM] * 7},
    {**GOOD, "reminders": [{**GOOD_ITEM, "kind": "coffee"}]},
    {**GOOD, "reminders": [{**GOOD_ITEM, "enabled": "yes"}]},
    {**GOOD, "reminders": [{**GOOD_ITEM, "next": "later"}]},
    {**GOOD, "reminders": [{**GOOD_ITEM, "times": "09:00"}]},
    {**GOOD, "reminders": [{**GOOD_ITEM, "times": ["9am"]}]},
    {**GOOD, "reminders": [{**GOOD_ITEM, "snoozed_until": True}]},
    {**GOOD, "reminders": [{k: v for k, v in GOOD_ITEM.items() if k != "snoozed_until"}]},
    {**GOOD, "reminders": ["water"]},
]


@pytest.fixture
def serve() -> Iterator[Callable[..., ReplyServer]]:
    made: list[ReplyServer] = []

    def make(*replies: bytes | None) -> ReplyServer:
        made.append(ReplyServer(*replies))
        return made[-1]

    yield make
    for server in made:
        server.stop()


@pytest.mark.parametrize("document", BAD_DOCUMENTS)
@pytest.mark.parametrize("as_json", [True, False])
def test_an_unreadable_answer_is_one_line(capsys, clock: FakeClock, serve, document: object,
                                          as_json: bool) -> None:
    serve(reply(ok=True, output="", reminders=document))
    code, out, err = run_at(capsys, clock, "reminders", *(["--json"] if as_json else []))
    assert (code, out) == (1, "")
    assert err == ("quell: the running Quell answered with something this quell command cannot "
                   "read (a different version?); quit Quell and start it again.\n")


def test_a_good_answer_from_the_app_is_printed_as_given(capsys, clock: FakeClock,
                                                        serve) -> None:
    serve(reply(ok=True, output="", reminders=GOOD))
    code, out, _err = run_at(capsys, clock, "reminders", "--json")
    assert code == 0 and json.loads(out) == GOOD


def test_a_refusal_is_one_line(capsys, clock: FakeClock, serve) -> None:
    serve(reply(ok=False, error="protocol version 1 is not 2: quit Quell\nand start again"))
    code, out, err = run_at(capsys, clock, "reminders")
    assert (code, out) == (1, "")
    assert err == "quell: protocol version 1 is not 2: quit Quell and start again\n"


def test_a_silent_app_is_one_line(capsys, clock: FakeClock, serve,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ipc, "TIMEOUT_SECONDS", 0.3)
    app = serve(None)
    code, out, err = run_at(capsys, clock, "reminders", "--json")
    app.stop()
    assert (code, out) == (1, "")
    assert err.startswith("quell: Quell is running but did not answer in time.")
    assert err.count("\n") == 1


def test_an_app_gone_while_answering_falls_back_to_the_database(capsys, clock: FakeClock,
                                                                serve) -> None:
    serve(b"garbage")  # then nobody listens: the database answers, without hold or snoozes
    code, out, err = run_at(capsys, clock, "reminders", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["hold"] is None and len(data["reminders"]) == 6


def run_at(capsys: pytest.CaptureFixture[str], clock: FakeClock, *args: str
           ) -> tuple[int, str, str]:
    code = main(list(args), clock=clock)
    out, err = capsys.readouterr()
    return code, out, err
