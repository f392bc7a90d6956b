"""Hostile clients against the real command server: each bad request gets its own error."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import socket
import sqlite3
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QApplication

from quell.app import ipc
from quell.app.cli_habits import log_request
from quell.app.context import open_context
from quell.app.gui import QuellApp
from quell.app.server import MAX_CONNECTIONS, CommandServer
from quell.files import Paths
from tests.conftest import FakeClock

V = ipc.PROTOCOL_VERSION


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


def raw(path: str, payload: bytes, *, half_close: bool = False, timeout: float = 8.0,
        trickle: float | None = None) -> bytes:
    """Send *payload* as is and read until the server closes; the bytes it sent back."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(path)
        try:
            if trickle is None:
                sock.sendall(payload)
            else:
                for byte in payload:
                    sock.sendall(bytes([byte]))
                    time.sleep(trickle)
        except OSError:
            pass  # the server hung up on us mid-way: what it said is read below
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        reply = b""
        try:
            while chunk := sock.recv(65536):
                reply += chunk
        except ConnectionResetError:
            pass
    return reply


def reply_of(data: bytes) -> dict[str, Any]:
    assert data.endswith(b"\n") and data.count(b"\n") == 1, data[:200]
    decoded = json.loads(data)
    assert decoded["v"] == V
    return decoded


def request(op: str = "log", **fields: Any) -> bytes:
    return (json.dumps({"v": V, "op": op, **fields}) + "\n").encode()


def log_water(amount: str | None = None, **extra: Any) -> bytes:
    """A good request, as the CLI sends it."""
    return (json.dumps({**log_request("water", amount), **extra, "v": V}) + "\n").encode()


@pytest.fixture
def app(qtbot, qapp: QApplication, clock: FakeClock) -> Iterator[tuple[QuellApp, str]]:
    """The real app's parts and command server, in this process."""
    paths = Paths.for_user()
    context = open_context(clock, paths)
    quell = QuellApp(qapp, context, paths)
    quell.start_server()
    assert quell.server is not None
    yield quell, paths.socket_name
    quell.stop()
    quell.tray.menu.deleteLater()


def entries(quell: QuellApp) -> int:
    """Entries and daily ratings stored: what a bad request must not have written."""
    return int(quell._context.database.connection.execute(
        "SELECT (SELECT count(*) FROM entries) + (SELECT count(*) FROM twitch_ratings)"
    ).fetchone()[0])


# -- one bad request at a time: each its own error, nothing written ---------------------------

BAD_REQUESTS: list[tuple[str, bytes, str]] = [
    ("garbage bytes", b"\xff\xfe\x00\x01garbage\n", "not UTF-8"),
    ("not JSON", b"hello there\n", "not JSON"),
    ("a JSON list", b"[1, 2, 3]\n", "not a JSON object"),
    ("a JSON string", b"\"log\"\n", "not a JSON object"),
    ("nested lists", b"[" * 50000 + b"\n", "nested too deeply"),
    ("nested objects", b'{"a":' * 10000 + b"\n", "nested too deeply"),
    ("nested in a field", (b'{"v":1,"op":"log","habit":' + b"[" * 30000 + b"\n"),
     "nested too deeply"),
    ("no version", b'{"op":"log","habit":"water"}\n', "protocol version none"),
    ("old version", b'{"v":0,"op":"log","habit":"water"}\n', "protocol version 0"),
    ("newer version", b'{"v":2,"op":"log","habit":"water"}\n', "protocol version 2"),
    ("version as text", b'{"v":"1","op":"log","habit":"water"}\n', "protocol version \"1\""),
    ("version true", b'{"v":true,"op":"log","habit":"water"}\n', "protocol version true"),
    ("no op", request("log")[:-2] + b', "op": null}\n', "no op"),
    ("op a number", b'{"v":1,"op":7}\n', "no op"),
    ("unknown op", request("format_disk"), "unknown request 'format_disk'"),
    ("long unknown op", request("x" * 5000), "unknown request 'str'"),
    ("habit a number", request(habit=5), "the habit must be text, not int"),
    ("habit a list", request(habit=["water"]), "the habit must be text, not list"),
    ("amount a list", request(habit="water", amount=[250]), "amount must be text"),
    ("amount empty", request(habit="water", amount=""), "amount is empty"),
    ("amount blank", request(habit="water", amount="   "), "amount is empty"),
    ("at a number", request(habit="water", at=1700000000), "--at must be text"),
    ("at empty", request(habit="water", at=""), "--at is empty"),
    ("at after 9999", request(habit="water", at="9999-12-31T23:59-12:00"),
     "too far in the past or future"),
    ("at before 0001", request(habit="water", at="0001-01-01T00:00+14:00"),
     "too far in the past or future"),
    ("note an object", request(habit="water", note={"a": 1}), "--note must be text"),
    ("note too long", request(habit="water", note="x" * 3000), "longer than"),
    ("lone surrogate", b'{"v":1,"op":"log","habit":"water","note":"\\udcff"}\n',
     "not valid text"),
    ("bad request id", request(habit="water", id="x"), "request id"),
    ("request id a number", request(habit="water", id=12345678), "request id"),
    ("twitch intensity superscript", request("twitch", area="eyelid", intensity="²"),
     "intensity must be a whole number"),
    ("twitch area a dict", request("twitch", area={}), "the area must be text"),
    ("rating out of range", request("rate", rating=7), "from 0 (not at all) to 4"),
    ("rating true", request("rate", rating=True), "from 0 (not at all) to 4 (a lot), not True"),
    ("rating missing", request("rate"), "the rating is missing"),
    ("rating day a number", request("rate", rating="2", day=20260310), "--day must be text"),
    ("rating areas a list", request("rate", rating="2", areas=["calf"]), "--areas must be text"),
    ("pause duration a number", request("pause", duration=30), "the duration must be text"),
    ("pause for ever", request("pause", duration="9" * 1000 + "h"), "not a pause"),
    ("too large with newline", request(habit="water", note="x" * (70 * 1024)),
     "request too large"),
    ("too large without newline", b"{" + b" " * (70 * 1024), "request too large"),
]


@pytest.mark.parametrize(("payload", "problem"), [(p, e) for _n, p, e in BAD_REQUESTS],
                         ids=[name for name, _p, _e in BAD_REQUESTS])
def test_each_bad_request_gets_its_own_error_and_writes_nothing(
        qtbot, app, caplog: pytest.LogCaptureFixture, payload: bytes, problem: str) -> None:
    quell, path = app
    with caplog.at_level(logging.INFO):
        reply = reply_of(in_thread(qtbot, lambda: raw(path, payload)))
    assert reply["ok"] is False
    assert problem in reply["error"]
    assert "internal error" not in reply["error"]
    assert "\n" not in reply["error"]
    assert entries(quell) == 0
    assert quell.error_box is None  # no crash dialog
    assert "Traceback" not in caplog.text
    # One log line for the rejected request, with no traceback: a flood cannot fill the log.
    lines = [r for r in caplog.records if r.name.startswith(("quell", "desktop"))]
    assert [r.getMessage()[:17] for r in lines] == ["rejected request:"]
    assert lines[0].exc_info is None
    # ... and the server still answers the next one.
    good = reply_of(in_thread(qtbot, lambda: raw(path, log_water())))
    assert good["ok"] is True, good
    assert entries(quell) == 1


def test_a_bug_in_a_command_is_logged_once_and_answered_with_a_sentence(
        qtbot, app, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    quell, path = app

    def broken(_request: dict[str, Any], _context: Any) -> str:
        raise ZeroDivisionError("a bug")

    from quell.app import cli_habits
    monkeypatch.setitem(cli_habits.OPS, "log", broken)
    reply = reply_of(in_thread(qtbot, lambda: raw(path, request(habit="water"))))
    assert reply["ok"] is False
    assert "bug" in reply["error"] and "internal error" not in reply["error"]
    assert "nothing was saved" in reply["error"]
    assert caplog.text.count("Traceback") == 1
    assert quell.error_box is None


def test_two_requests_on_one_connection_get_one_answer(qtbot, app) -> None:
    quell, path = app
    payload = log_water() * 2
    data = in_thread(qtbot, lambda: raw(path, payload))
    assert reply_of(data)["ok"] is True
    assert entries(quell) == 1


def test_half_close_after_the_request_is_still_answered(qtbot, app) -> None:
    quell, path = app
    data = in_thread(qtbot, lambda: raw(path, log_water(),
                                        half_close=True))
    assert reply_of(data)["ok"] is True
    assert entries(quell) == 1


def test_a_client_that_leaves_before_the_answer_breaks_nothing(qtbot, app) -> None:
    quell, path = app

    def hit_and_run() -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(path)
            sock.sendall(log_water())

    in_thread(qtbot, hit_and_run)
    # It was read before the client left, so it was carried out; the answer went nowhere.
    qtbot.wait_until(lambda: entries(quell) == 1)
    qtbot.wait_until(lambda: quell.server is not None and quell.server.open_connections == 0)
    assert quell.error_box is None


def test_the_same_request_id_twice_writes_once(qtbot, app) -> None:
    quell, path = app
    payload = log_water("300", id="a" * 32)
    first = reply_of(in_thread(qtbot, lambda: raw(path, payload)))
    second = reply_of(in_thread(qtbot, lambda: raw(path, payload)))
    assert first["ok"] and second["ok"]
    assert (first["repeated"], second["repeated"]) == (False, True)
    assert second["output"] == first["output"]
    assert entries(quell) == 1


# -- holding connections: cap, idle timeout, slowloris ----------------------------------------


@pytest.fixture
def small_server(qtbot, isolated_user_dirs) -> Iterator[CommandServer]:
    """A command server with a tiny timeout and cap, answering every request with ok."""
    paths = Paths.for_user()
    server = CommandServer(paths, lambda _request: {"ok": True, "output": "fine"},
                           max_connections=8, request_timeout_ms=400)
    assert server.listen()
    yield server
    server.close()


def test_idle_connections_are_capped_and_timed_out(qtbot, small_server: CommandServer) -> None:
    path = Paths.for_user().socket_name
    idle: list[socket.socket] = []

    def connect_all() -> None:  # blocking connects, while the Qt loop accepts them
        for _ in range(200):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            idle.append(sock)
            for _attempt in range(500):  # a full backlog says EAGAIN: wait for the accept
                try:
                    sock.connect(path)
                    break
                except BlockingIOError:
                    time.sleep(0.01)
            sock.setblocking(False)

    try:
        in_thread(qtbot, connect_all)
        qtbot.wait(150)
        assert small_server.open_connections <= 8
        # Those over the cap were told so at once, with a sentence.
        received = Received(idle)
        qtbot.wait_until(lambda: received.answered() >= 150, timeout=5000)
        assert sum(b"Quell is busy" in received.of(s) for s in idle) >= 150
        # The rest are answered "no complete request in time" and dropped.
        qtbot.wait_until(lambda: small_server.open_connections == 0, timeout=5000)
        qtbot.wait_until(lambda: received.answered() == 200, timeout=5000)
        assert all(reply_of(received.of(s))["ok"] is False for s in idle)
    finally:
        for sock in idle:
            sock.close()
    # A good client still gets through.
    reply = reply_of(in_thread(qtbot, lambda: raw(path, request("raise"))))
    assert reply["ok"] is True


class Received:
    """What each of many non-blocking sockets has been sent so far."""

    def __init__(self, socks: list[socket.socket]) -> None:
        self._socks = socks
        self._data = {id(s): b"" for s in socks}

    def of(self, sock: socket.socket) -> bytes:
        with contextlib.suppress(OSError):  # BlockingIOError: nothing yet
            self._data[id(sock)] += sock.recv(4096)
        return self._data[id(sock)]

    def answered(self) -> int:
        return sum(1 for s in self._socks if self.of(s).endswith(b"\n"))


def test_slowloris_is_cut_off(qtbot, small_server: CommandServer) -> None:
    path = Paths.for_user().socket_name
    started = time.monotonic()
    data = in_thread(qtbot, lambda: raw(path, request("raise"), trickle=0.05))
    assert time.monotonic() - started < 3  # not the ~1.2 s x many it would take to finish
    reply = reply_of(data)
    assert reply["ok"] is False and "no complete request in time" in reply["error"]
    assert small_server.open_connections == 0


def test_no_newline_is_answered_after_the_timeout(qtbot, small_server: CommandServer) -> None:
    path = Paths.for_user().socket_name
    reply = reply_of(in_thread(qtbot, lambda: raw(path, request("raise").rstrip(b"\n"))))
    assert reply["ok"] is False and "no complete request" in reply["error"]


def test_the_cli_and_the_app_agree_on_the_version(qtbot, small_server: CommandServer) -> None:
    reply = in_thread(qtbot, lambda: ipc.send(Paths.for_user(), {"op": "raise"}))
    assert reply == {"ok": True, "output": "fine", "v": V}


# -- many requests: nothing grows --------------------------------------------------------------


def _live_sockets() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, QLocalSocket))


@pytest.mark.slow
def test_many_requests_leave_nothing_behind(qtbot, small_server: CommandServer) -> None:
    path = Paths.for_user().socket_name

    def burst(n: int) -> None:
        for _ in range(n):
            raw(path, request("raise"))

    def settle() -> None:
        qtbot.wait_until(lambda: small_server.open_connections == 0)
        qtbot.wait(50)  # deleteLater runs on the next loop turns
        gc.collect()

    in_thread(qtbot, lambda: burst(200), timeout_ms=30000)
    settle()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        in_thread(qtbot, lambda: burst(1500), timeout_ms=60000)
        settle()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert _live_sockets() == 0
    assert small_server.findChildren(QLocalSocket) == []
    # Before the fix each request left ~400 B (its socket's wrapper and slots): 600 KB here.
    assert grown < 60 * 1024, grown


def test_default_cap_allows_a_few_commands_at_once() -> None:
    assert 4 <= MAX_CONNECTIONS <= 64


def test_a_flood_of_rejected_requests_writes_a_bounded_log(
        qtbot, small_server: CommandServer, caplog: pytest.LogCaptureFixture) -> None:
    from quell.app.server import REJECTIONS_LOGGED_PER_MINUTE

    path = Paths.for_user().socket_name
    with caplog.at_level(logging.INFO):
        in_thread(qtbot, lambda: [raw(path, b"garbage\n") for _ in range(40)])
    rejected = [r for r in caplog.records if "rejected request" in r.getMessage()]
    assert len(rejected) == REJECTIONS_LOGGED_PER_MINUTE < 40


@pytest.mark.parametrize("error", [sqlite3.OperationalError("database or disk is full"),
                                   OSError(28, "No space left on device")])
def test_a_disk_problem_is_named_not_called_a_bug(qtbot, app, monkeypatch: pytest.MonkeyPatch,
                                                  error: Exception) -> None:
    _quell, path = app

    def failing(_request: dict[str, Any], _context: Any) -> str:
        raise error

    from quell.app import cli_habits
    monkeypatch.setitem(cli_habits.OPS, "log", failing)
    reply = reply_of(in_thread(qtbot, lambda: raw(path, log_water())))
    assert reply["ok"] is False
    assert "could not save this" in reply["error"] and "bug" not in reply["error"]
    assert ("disk is full" in reply["error"]) or ("No space left" in reply["error"])


def test_control_characters_in_a_note_from_the_socket_are_dropped(qtbot, app) -> None:
    quell, path = app
    payload = log_water(note="\x1b]0;pwned\x07tea\r\nlater\x00\u202e")
    assert reply_of(in_thread(qtbot, lambda: raw(path, payload)))["ok"] is True
    note = quell._context.database.connection.execute("SELECT note FROM entries").fetchone()[0]
    assert note == "]0;pwnedtea later"


def test_a_request_sent_while_the_app_was_busy_counts_as_in_time(qtbot, isolated_user_dirs
                                                                 ) -> None:
    def handle(request: dict[str, Any]) -> dict[str, Any]:
        if request["op"] == "slow":
            time.sleep(0.8)  # a long command holds the loop past the other's deadline
        return {"ok": True, "output": request["op"]}

    paths = Paths.for_user()
    server = CommandServer(paths, handle, request_timeout_ms=400)
    assert server.listen()
    path = paths.socket_name
    try:
        def patient() -> bytes:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(8)
                sock.connect(path)
                time.sleep(0.3)  # A's command is running now; our deadline passes in it
                sock.sendall(request("quick"))
                reply = b""
                while chunk := sock.recv(4096):
                    reply += chunk
                return reply

        def slow() -> bytes:
            time.sleep(0.1)
            return raw(path, request("slow"))

        results: dict[str, bytes] = {}
        threads = [threading.Thread(target=lambda: results.__setitem__("b", patient())),
                   threading.Thread(target=lambda: results.__setitem__("a", slow()))]
        for thread in threads:
            thread.start()
        qtbot.wait_until(lambda: not any(t.is_alive() for t in threads), timeout=10000)
    finally:
        server.close()
    assert reply_of(results["a"])["output"] == "slow"
    assert reply_of(results["b"]) == {"ok": True, "output": "quick", "v": V}


# -- slow requests: worked in the background, answered when done --------------------------


@pytest.fixture
def slow_server(qtbot, isolated_user_dirs) -> Iterator[tuple[CommandServer, threading.Event]]:
    """A server whose "slow" request works on a worker thread until the event is set; "fast"
    is answered at once; "slow_bad" / "slow_bug" fail in the background."""
    from quell.app.server import InBackground
    from quell.core.errors import InputError

    release = threading.Event()
    seen: list[int] = []

    def slow(control: Any) -> dict[str, Any]:
        seen.append(threading.get_ident())
        assert release.wait(10)
        return {"ok": True, "output": "slow done", "thread": seen[-1]}

    def slow_bad(control: Any) -> dict[str, Any]:
        raise InputError("that period is too long")

    def slow_bug(control: Any) -> dict[str, Any]:
        raise ZeroDivisionError("a bug")

    works = {"slow": slow, "slow_bad": slow_bad, "slow_bug": slow_bug}

    def handle(req: dict[str, Any]) -> Any:
        op = req["op"]
        if op in works:
            return InBackground(works[op])
        return {"ok": True, "output": "fast"}

    server = CommandServer(Paths.for_user(), handle)
    assert server.listen()
    yield server, release
    release.set()
    for job in server.jobs:
        job.wait(10)
    server.close()


def test_a_slow_request_works_off_the_gui_thread_while_others_are_answered(
        qtbot, slow_server) -> None:
    server, release = slow_server
    path = Paths.for_user().socket_name
    replies: dict[str, bytes] = {}

    def client(op: str) -> None:
        replies[op] = raw(path, request(op))

    slow = threading.Thread(target=client, args=("slow",))
    slow.start()
    qtbot.wait_until(lambda: len(server.jobs) == 1)
    # The GUI thread is free: another connection's request is answered meanwhile.
    in_thread(qtbot, lambda: client("fast"))
    assert reply_of(replies["fast"])["output"] == "fast"
    assert "slow" not in replies
    release.set()
    qtbot.wait_until(lambda: not slow.is_alive(), timeout=10_000)
    reply = reply_of(replies["slow"])
    assert reply["ok"] is True and reply["output"] == "slow done"
    assert reply["thread"] != threading.main_thread().ident
    assert server.jobs == ()


@pytest.mark.parametrize(("op", "words", "tracebacks"), [
    ("slow_bad", "that period is too long", 0),
    ("slow_bug", "Quell hit a bug", 1),
])
def test_a_slow_request_that_fails_gets_its_own_one_line_error(
        qtbot, slow_server, caplog: pytest.LogCaptureFixture, op: str, words: str,
        tracebacks: int) -> None:
    path = Paths.for_user().socket_name
    reply = reply_of(in_thread(qtbot, lambda: raw(path, request(op))))
    assert reply["ok"] is False and words in reply["error"] and "\n" not in reply["error"]
    assert caplog.text.count("Traceback") == tracebacks
    good = reply_of(in_thread(qtbot, lambda: raw(path, request("fast"))))
    assert good["ok"] is True


def test_a_client_that_leaves_before_a_slow_answer_breaks_nothing(qtbot, slow_server) -> None:
    server, release = slow_server
    path = Paths.for_user().socket_name

    def hit_and_run() -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(path)
            sock.sendall(request("slow"))

    in_thread(qtbot, hit_and_run)
    qtbot.wait_until(lambda: len(server.jobs) == 1)
    qtbot.wait_until(lambda: server.open_connections == 0)
    jobs = server.jobs
    with qtbot.wait_signal(jobs[0].finished, timeout=10_000):
        release.set()
    assert server.jobs == ()
    assert reply_of(in_thread(qtbot, lambda: raw(path, request("fast"))))["ok"] is True
