"""`quell remind KIND [--as card|notification]`: only the running app can show a reminder; every
way that fails is one line and exit 1, never a traceback."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from quell.app import ipc
from quell.app.main import main
from quell.core.presence import HoldReason
from quell.core.reminders import ReminderKind
from quell.core.settings import ReminderStyle
from quell.files import Paths
from tests.app.test_reminder_requests import RunningApp, in_thread, running_app
from tests.conftest import FakeClock

NOT_RUNNING = "quell: Quell is not running: start it first (quell), then try again.\n"


def run(capsys: pytest.CaptureFixture[str], clock: FakeClock, *args: str
        ) -> tuple[int, str, str]:
    code = main(list(args), clock=clock)
    out, err = capsys.readouterr()
    return code, out, err


class ReplyServer:
    """A stand-in for the app on its socket: answers each connection with the next of
    *replies* (bytes sent as they are; None: stays silent until stopped); records requests.
    After the last reply nobody listens any more (the socket file stays, as after a crash)."""

    def __init__(self, *replies: bytes | None) -> None:
        self.paths = Paths.for_user()
        self.paths.runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.replies = list(replies)
        self.requests: list[dict[str, Any]] = []
        self.release = threading.Event()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.paths.socket_name)
        self.listener.listen(4)
        self.thread = threading.Thread(target=self._serve)
        self.thread.start()

    def _serve(self) -> None:
        for reply in self.replies:
            conn, _ = self.listener.accept()
            with conn:
                data = b""
                while not data.endswith(b"\n"):
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                self.requests.append(json.loads(data))
                if reply is None:
                    self.release.wait(10)
                else:
                    conn.sendall(reply)
        self.listener.close()

    def stop(self) -> None:
        self.release.set()
        self.thread.join(10)
        self.listener.close()


def reply(**fields: Any) -> bytes:
    return (json.dumps({"v": ipc.PROTOCOL_VERSION, **fields}) + "\n").encode()


@pytest.fixture
def serve() -> Iterator[Any]:
    made: list[ReplyServer] = []

    def make(*replies: bytes | None) -> ReplyServer:
        made.append(ReplyServer(*replies))
        return made[-1]

    yield make
    for server in made:
        server.stop()


def test_without_the_app_it_says_to_start_quell(capsys, clock: FakeClock) -> None:
    assert run(capsys, clock, "remind", "water") == (1, "", NOT_RUNNING)


def test_a_stale_socket_file_is_not_an_app(capsys, clock: FakeClock) -> None:
    paths = Paths.for_user()
    paths.runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as dead:
        dead.bind(paths.socket_name)  # bound, never listening: refused, as after a crash
    assert run(capsys, clock, "remind", "stretch") == (1, "", NOT_RUNNING)


@pytest.mark.parametrize("args", [
    ("remind",), ("remind", "coffee"), ("remind", "Water"), ("remind", "water", "stretch"),
    ("remind", "water", "--as", "toast"), ("remind", "water", "--as"),
])
def test_usage_errors_exit_2(capsys, clock: FakeClock, args: tuple[str, ...]) -> None:
    code, out, err = run(capsys, clock, *args)
    assert (code, out) == (2, "")
    assert "usage:" in err


def test_the_kinds_are_listed_in_help(capsys, clock: FakeClock) -> None:
    code, out, _err = run(capsys, clock, "remind", "--help")
    assert code == 0
    for kind in ("water", "stretch", "breathe", "caffeine_cutoff", "wind_down", "sleep_log"):
        assert kind in out
    assert "card" in out and "notification" in out


@pytest.mark.parametrize(("args", "sent"), [
    (("remind", "water"), {"op": "remind", "kind": "water"}),
    (("remind", "sleep_log", "--as", "notification"),
     {"op": "remind", "kind": "sleep_log", "style": "notification"}),
    (("remind", "breathe", "--as", "card"), {"op": "remind", "kind": "breathe", "style": "card"}),
])
def test_the_request_and_the_apps_line(capsys, clock: FakeClock, serve, args, sent) -> None:
    app = serve(reply(ok=True, output="Showing the water reminder now.", repeated=False))
    assert run(capsys, clock, *args) == (0, "Showing the water reminder now.\n", "")
    (request,) = app.requests
    request_id = request.pop("id")
    assert isinstance(request_id, str) and len(request_id) == 32
    assert request == {**sent, "v": ipc.PROTOCOL_VERSION}


def test_a_refusal_is_one_line(capsys, clock: FakeClock, serve) -> None:
    serve(reply(ok=False, error="there is no\nsuch\treminder"))
    assert run(capsys, clock, "remind", "water") == (1, "", "quell: there is no such reminder\n")


def test_a_silent_app_is_one_honest_line(capsys, clock: FakeClock, serve,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ipc, "TIMEOUT_SECONDS", 0.3)
    app = serve(None)
    code, out, err = run(capsys, clock, "remind", "water")
    app.stop()
    assert (code, out) == (1, "")
    assert err == ("quell: Quell is running but did not answer in time. Try again in a "
                   "moment, or restart Quell.\n")
    assert len(app.requests) == 1  # not sent again: it may be on its way to the screen


@pytest.mark.parametrize("garbage", [
    b"\x00\x01{not a reply", b"[1, 2]\n", b'{"v": 1, "ok": "yes"}\n', b"", b'{"v": 1, "ok"',
])
def test_an_unreadable_reply_is_sent_again_with_the_same_id(capsys, clock: FakeClock, serve,
                                                            garbage: bytes) -> None:
    # The app stopped (or garbled) while answering; a restarted one answers the same request.
    app = serve(garbage, reply(ok=True, output="Showing the water reminder now."))
    assert run(capsys, clock, "remind", "water") == (0, "Showing the water reminder now.\n", "")
    first, second = app.requests
    assert first == second


def test_an_app_that_stops_for_good_is_one_line(capsys, clock: FakeClock, serve) -> None:
    serve(b"garbage", b"garbage", b"garbage")
    code, out, err = run(capsys, clock, "remind", "water")
    assert (code, out) == (1, "")
    assert err == ("quell: Quell stopped while answering; start it again (quell), then try "
                   "again.\n")


def test_an_app_that_stops_and_is_gone_says_start_it(capsys, clock: FakeClock, serve) -> None:
    serve(b"garbage")  # then nobody listens
    assert run(capsys, clock, "remind", "water") == (1, "", NOT_RUNNING)


# -- through the real running app -------------------------------------------------------------


@pytest.fixture
def app(qtbot, qapp, clock: FakeClock) -> Iterator[RunningApp]:
    with running_app(qapp, clock) as running:
        yield running


@pytest.mark.parametrize(("args", "style"), [
    ((), None), (("--as", "card"), ReminderStyle.CARD),
    (("--as", "notification"), ReminderStyle.NOTIFICATION),
])
def test_the_app_shows_it_once(qtbot, capsys, clock: FakeClock, app: RunningApp,
                               args: tuple[str, ...], style: ReminderStyle | None) -> None:
    app.hold(HoldReason.AWAY)  # an explicit remind is shown even while reminders wait
    code = in_thread(qtbot, lambda: main(["remind", "water", *args], clock=clock))
    out, err = capsys.readouterr()
    assert (code, out, err) == (0, "Showing the water reminder now.\n", "")
    assert [(r.kind, r.style) for r in app.shown] == [(ReminderKind.WATER, style)]
