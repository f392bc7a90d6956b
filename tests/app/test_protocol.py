"""The socket's protocol version: every request and reply carries "v"; a `quell` command and a
running Quell of different versions refuse each other in one line that says which is older and
what to do, and nothing is done (nor done again straight in the database)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from quell.app import ipc
from quell.app.cli import command_modules
from quell.app.cli_habits import log_request
from quell.app.context import open_context
from quell.app.main import main
from quell.app.reminder_requests import FIELDS
from quell.core.errors import InputError
from quell.files import Paths
from tests.app.test_cli_remind import ReplyServer
from tests.app.test_reminder_requests import RunningApp, in_thread, running_app
from tests.app.test_socket_attacks import raw
from tests.conftest import FakeClock

V = ipc.PROTOCOL_VERSION
CLI_OLDER = ("this quell command is older than the running Quell. Use the quell command of "
             "the same install as the running Quell.")
APP_OLDER = ("the running Quell is older than this quell command. Quit Quell and start it "
             "again, then try again.")
DIFFERENT = ("the quell command and the running Quell are different versions. Quit Quell and "
             "start it again, and use the quell command of the same install.")


# -- the check itself --------------------------------------------------------------------------


@pytest.mark.parametrize(("version", "expected"), [
    (None, f"protocol version none is not {V}: {CLI_OLDER}"),
    (V - 1, f"protocol version {V - 1} is not {V}: {CLI_OLDER}"),
    (-5, f"protocol version -5 is not {V}: {CLI_OLDER}"),
    (V + 1, f"protocol version {V + 1} is not {V}: {APP_OLDER}"),
    (10**30, f"protocol version {str(10**30)[:20]} is not {V}: {APP_OLDER}"),
    (str(V), f'protocol version "{V}" is not {V}: {DIFFERENT}'),
    (True, f"protocol version true is not {V}: {DIFFERENT}"),
    (float(V), f"protocol version {float(V)} is not {V}: {DIFFERENT}"),
    ([V], f"protocol version [{V}] is not {V}: {DIFFERENT}"),
])
def test_a_request_of_another_version(version: object, expected: str) -> None:
    request: dict[str, Any] = {"op": "raise"} if version is None else {"op": "raise", "v": version}
    assert ipc.version_problem(request, from_app=False) == expected


@pytest.mark.parametrize(("version", "expected"), [
    (None, f"protocol version none is not {V}: {APP_OLDER}"),
    (V - 1, f"protocol version {V - 1} is not {V}: {APP_OLDER}"),
    (V + 1, f"protocol version {V + 1} is not {V}: {CLI_OLDER}"),
    ("x" * 100, f'protocol version {json.dumps("x" * 100)[:20]} is not {V}: {DIFFERENT}'),
    (False, f"protocol version false is not {V}: {DIFFERENT}"),
])
def test_a_reply_of_another_version(version: object, expected: str) -> None:
    reply: dict[str, Any] = {"ok": True} if version is None else {"ok": True, "v": version}
    assert ipc.version_problem(reply, from_app=True) == expected


def test_our_own_version_passes_both_ways() -> None:
    assert ipc.version_problem({"v": V}, from_app=False) is None
    assert ipc.version_problem({"v": V}, from_app=True) is None
    assert isinstance(V, int) and V >= 1


def test_the_ops_are_the_names_on_the_wire() -> None:
    assert {op.value for op in ipc.Op} == {
        "raise", "log", "habit_add", "habit_archive", "twitch", "rate", "imported", "pause",
        "resume", "reminders", "remind"}
    assert ipc.Op("log") is ipc.Op.LOG


def test_every_request_the_app_answers_has_an_op() -> None:
    written = {op for module in command_modules() for op in module.OPS}
    answered_by_the_app_alone = {"raise", *FIELDS}
    assert written | answered_by_the_app_alone == {op.value for op in ipc.Op}


# -- against the real running app ----------------------------------------------------------------


@pytest.fixture
def app(qtbot, qapp, clock: FakeClock) -> Iterator[RunningApp]:
    with running_app(qapp, clock) as running:
        yield running


def entries(app: RunningApp) -> int:
    return int(app.quell._context.database.connection.execute(
        "SELECT count(*) FROM entries").fetchone()[0])


def reply_of(data: bytes) -> dict[str, Any]:
    assert data.endswith(b"\n") and data.count(b"\n") == 1, data[:200]
    decoded: dict[str, Any] = json.loads(data)
    return decoded


def test_every_reply_carries_the_version(qtbot, app: RunningApp) -> None:
    for request in ({"op": "raise"}, {"op": "reminders"}, log_request("water"),
                    {"op": "no_such_op"}):
        sent = (json.dumps({**request, "v": V}) + "\n").encode()
        reply = reply_of(in_thread(qtbot, lambda sent=sent: raw(app.paths.socket_name, sent)))
        assert reply["v"] == V, reply
    assert entries(app) == 1


def test_the_client_sends_the_version(qtbot, app: RunningApp) -> None:
    reply = in_thread(qtbot, lambda: ipc.send(app.paths, log_request("water")))
    assert reply is not None and reply["ok"] is True and reply["v"] == V
    assert entries(app) == 1


@pytest.mark.parametrize(("version", "problem"), [
    (None, CLI_OLDER), (V - 1, CLI_OLDER), (V + 1, APP_OLDER), ("1", DIFFERENT),
])
def test_an_old_or_new_cli_is_refused_in_one_line_and_nothing_is_done(
        qtbot, app: RunningApp, caplog: pytest.LogCaptureFixture, version: object,
        problem: str) -> None:
    request = log_request("water")
    if version is not None:
        request["v"] = version
    payload = (json.dumps(request) + "\n").encode()
    with caplog.at_level(logging.INFO):
        reply = reply_of(in_thread(qtbot, lambda: raw(app.paths.socket_name, payload)))
    assert reply["v"] == V and reply["ok"] is False
    assert reply["error"].endswith(problem)
    assert reply["error"].startswith("protocol version ")
    assert "\n" not in reply["error"]
    assert entries(app) == 0
    # One line in the log for it, no traceback.
    lines = [r for r in caplog.records if r.name.startswith("quell")]
    assert [r.getMessage()[:17] for r in lines] == ["rejected request:"]
    assert app.quell.error_box is None


def test_an_old_cli_asking_for_a_reminder_shows_nothing(qtbot, app: RunningApp) -> None:
    payload = b'{"op": "remind", "kind": "water"}\n'
    reply = reply_of(in_thread(qtbot, lambda: raw(app.paths.socket_name, payload)))
    assert reply["ok"] is False and reply["error"].endswith(CLI_OLDER)
    assert app.shown == []


# -- an app of another version, as the command line meets it ---------------------------------------


@pytest.fixture
def serve() -> Iterator[Any]:
    made: list[ReplyServer] = []

    def make(*replies: bytes | None) -> ReplyServer:
        made.append(ReplyServer(*replies))
        return made[-1]

    yield make
    for server in made:
        server.stop()


def stored_entries(clock: FakeClock) -> int:
    context = open_context(clock, Paths.for_user())
    try:
        return int(context.database.connection.execute(
            "SELECT count(*) FROM entries").fetchone()[0])
    finally:
        context.close()


OLD_APP_REPLIES = [
    pytest.param(b'{"ok": true, "output": "Logged 250 ml of water."}\n', APP_OLDER, id="no v"),
    pytest.param(b'{"ok": false, "error": "unknown request"}\n', APP_OLDER, id="no v, refused"),
    pytest.param(b'{"v": 0, "ok": false, "error": "protocol version 1 is not 0"}\n', APP_OLDER,
                 id="older v"),
    pytest.param(b'{"v": 2, "ok": true, "output": "Logged."}\n', CLI_OLDER, id="newer v"),
    pytest.param(b'{"v": "1", "ok": true, "output": "Logged."}\n', DIFFERENT, id="v as text"),
    pytest.param(b'{"output": "hello"}\n', APP_OLDER, id="no v, no ok"),
]


@pytest.mark.parametrize(("answer", "problem"), OLD_APP_REPLIES)
def test_a_write_to_an_app_of_another_version_is_one_line_and_exit_1(
        capsys, clock: FakeClock, serve, answer: bytes, problem: str) -> None:
    app = serve(answer)  # then nobody listens: a retry would find no app and write directly
    code = main(["log", "water"], clock=clock)
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.startswith("quell: protocol version ") and err.endswith(problem + "\n")
    assert err.count("\n") == 1
    assert len(app.requests) == 1  # not sent again
    assert app.requests[0]["v"] == V
    app.stop()
    assert stored_entries(clock) == 0  # and not carried out straight in the database either


@pytest.mark.parametrize("args", [("remind", "water"), ("reminders",), ("reminders", "--json")])
def test_a_question_to_an_app_without_the_version_is_one_line_and_exit_1(
        capsys, clock: FakeClock, serve, args: tuple[str, ...]) -> None:
    app = serve(b'{"ok": true, "output": "", "reminders": {}}\n')
    code = main(list(args), clock=clock)
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err == f"quell: protocol version none is not {V}: {APP_OLDER}\n"
    assert len(app.requests) == 1


def test_the_client_raises_version_mismatch_an_input_error(serve) -> None:
    serve(b'{"ok": true, "output": ""}\n')
    with pytest.raises(ipc.VersionMismatch) as caught:
        ipc.send(Paths.for_user(), {"op": "raise"})
    assert str(caught.value) == f"protocol version none is not {V}: {APP_OLDER}"
    assert isinstance(caught.value, InputError)


def test_a_second_launch_beside_an_app_of_another_version_says_so_in_one_line(
        capsys, serve) -> None:
    # Was an uncaught VersionMismatch: a traceback on the second launch.
    from quell.app.gui import _hand_over

    app = serve(b'{"ok": true, "output": ""}\n')
    assert _hand_over(Paths.for_user()) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"quell: protocol version none is not {V}: {APP_OLDER}\n"
    assert len(app.requests) == 1
