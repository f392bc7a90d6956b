"""A write is carried out once, however often it is sent; when the app dies, the CLI says so."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from quell.app import ipc
from quell.app.cli import carry_out
from quell.app.context import Context, open_context
from quell.app.main import main
from quell.core.errors import InputError
from quell.files import Paths
from tests.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def context(clock: FakeClock) -> Iterator[Context]:
    opened = open_context(clock, Paths.for_user())
    yield opened
    opened.close()


def count(context: Context, table: str) -> int:
    return int(context.database.connection.execute(
        f"SELECT count(*) FROM {table}").fetchone()[0])


def water(amount: str = "300", request_id: str | None = "0123456789abcdef") -> dict[str, Any]:
    return {"op": "log", "habit": "water", "amount": amount, "id": request_id}


def test_the_same_id_twice_writes_once_and_says_the_same(context: Context) -> None:
    first = carry_out(water(), context)
    second = carry_out(water(), context)
    assert count(context, "entries") == 1
    assert (first.repeated, second.repeated) == (False, True)
    assert second.output == first.output and "300 / 2,000 ml" in first.output
    third = carry_out(water(request_id="fedcba9876543210"), context)
    assert not third.repeated and count(context, "entries") == 2


def test_an_id_is_not_reused_for_another_command(context: Context) -> None:
    carry_out(water(), context)
    with pytest.raises(InputError, match="already used"):
        carry_out({"op": "twitch", "area": "eyelid", "id": "0123456789abcdef"}, context)
    assert count(context, "twitches") == 0


@pytest.mark.parametrize("bad_id", ["short", "x" * 65, "has space in it", 12345678, ["a"]])
def test_a_malformed_id_is_refused(context: Context, bad_id: object) -> None:
    with pytest.raises(InputError, match="request id"):
        carry_out({**water(), "id": bad_id}, context)
    assert count(context, "entries") == 0


def test_a_refused_request_is_not_recorded(context: Context) -> None:
    with pytest.raises(InputError):
        carry_out(water("99999"), context)
    assert count(context, "handled_requests") == 0
    assert not carry_out(water(), context).repeated  # the same id, now good: carried out


def test_the_write_and_its_record_are_one_transaction(context: Context) -> None:
    # A handler that fails after the store wrote leaves neither the entry nor the record.
    from quell.app import cli_habits

    def log_then_fail(request: dict[str, Any], ctx: Context) -> str:
        cli_habits.OPS["log"](request, ctx)
        raise InputError("failed after writing")

    cli_habits.OPS["log_then_fail"] = log_then_fail
    try:
        with pytest.raises(InputError):
            carry_out({**water(), "op": "log_then_fail"}, context)
    finally:
        del cli_habits.OPS["log_then_fail"]
    assert count(context, "entries") == 0
    assert count(context, "handled_requests") == 0


def test_old_records_are_purged(context: Context, clock: FakeClock) -> None:
    carry_out(water(request_id="old-request-31-days"), context)
    clock.advance(days=2)
    carry_out(water(request_id="recent-request-29-days"), context)
    clock.advance(days=29, hours=1)
    carry_out(water(request_id="the-newest-request"), context)
    ids = {row[0] for row in context.database.connection.execute(
        "SELECT id FROM handled_requests")}
    assert ids == {"recent-request-29-days", "the-newest-request"}


def test_the_purge_takes_a_few_old_rows_per_write(context: Context, clock: FakeClock) -> None:
    old = int(clock.now().timestamp()) - 40 * 86400
    context.database.connection.executemany(
        "INSERT INTO handled_requests (id, op, output, handled) VALUES (?, 'log', '', ?)",
        [(f"old-request-{n:04d}", old) for n in range(10)])
    carry_out(water(request_id="write-number-1"), context)
    assert count(context, "handled_requests") == 7  # 4 old rows out, 1 new in
    carry_out(water(request_id="write-number-2"), context)
    carry_out(water(request_id="write-number-3"), context)
    assert count(context, "handled_requests") == 3  # only the new ones are left


def test_a_pause_carried_out_again_pauses_until_the_same_moment(context: Context,
                                                                clock: FakeClock) -> None:
    asked = clock.now()
    request = {"op": "pause", "duration": "1h", "asked_at": asked.isoformat()}
    carry_out(request, context)
    until = context.settings().paused_until
    clock.advance(seconds=20)  # the app died after saving; the CLI runs it again directly
    carry_out(request, context)
    assert context.settings().paused_until == until == asked + timedelta(hours=1)
    # An implausible asked_at (a stale or forged request) counts from now.
    stale = {**request, "asked_at": (clock.now() - timedelta(hours=5)).isoformat()}
    carry_out(stale, context)
    assert context.settings().paused_until == clock.now() + timedelta(hours=1)


# -- the CLI when the app dies mid-request -------------------------------------------------


class DyingApp:
    """A stand-in for the app on its socket that misbehaves in one chosen way, once."""

    def __init__(self, clock: FakeClock, behaviour: str) -> None:
        self.paths = Paths.for_user()
        self.paths.runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.clock = clock
        self.behaviour = behaviour
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.paths.socket_name)
        self.listener.listen(4)
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._serve)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        data = b""
        while not data.endswith(b"\n"):
            data += conn.recv(65536)
        request = json.loads(data)
        if self.behaviour in ("commit_then_die", "garbage_then_die"):
            context = open_context(self.clock, self.paths)  # as the app would: then dies
            try:
                carry_out(request, context)
            finally:
                context.close()
        if self.behaviour == "garbage_then_die":
            conn.sendall(b"\x00\x01{not a reply")
        if self.behaviour == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        if self.behaviour == "silent":
            self.release.wait(10)
        else:
            # Dead: the socket file stays (as after kill -9) but nobody listens any more.
            self.listener.close()
        conn.close()

    def stop(self) -> None:
        self.release.set()
        self.thread.join(10)
        self.listener.close()


@pytest.fixture
def dying_app(clock: FakeClock) -> Iterator[Callable[[str], DyingApp]]:
    made: list[DyingApp] = []

    def make(behaviour: str) -> DyingApp:
        made.append(DyingApp(clock, behaviour))
        return made[-1]

    yield make
    for app in made:
        app.stop()


def run(capsys: pytest.CaptureFixture[str], clock: FakeClock, *args: str
        ) -> tuple[int, str, str]:
    code = main(list(args), clock=clock)
    out, err = capsys.readouterr()
    return code, out, err


def water_entries(capsys: pytest.CaptureFixture[str], clock: FakeClock) -> int:
    code, out, _err = run(capsys, clock, "today", "--json")
    assert code == 0
    data = json.loads(out)
    return len(next(h for h in data["habits"] if h["key"] == "water")["entries"])


@pytest.mark.parametrize("behaviour", ["commit_then_die", "garbage_then_die"])
def test_stored_before_the_app_died_is_reported_not_written_again(
        capsys: pytest.CaptureFixture[str], clock: FakeClock, dying_app, behaviour: str
        ) -> None:
    dying_app(behaviour)
    code, out, err = run(capsys, clock, "log", "water", "300")
    assert code == 0, err
    assert "300 / 2,000 ml" in out
    assert "after it had done this" in err and "nothing was logged" not in err
    assert water_entries(capsys, clock) == 1


@pytest.mark.parametrize("behaviour", ["die_before", "reset"])
def test_not_stored_before_the_app_died_is_done_once_now(
        capsys: pytest.CaptureFixture[str], clock: FakeClock, dying_app, behaviour: str
        ) -> None:
    dying_app(behaviour)
    code, out, err = run(capsys, clock, "log", "water", "300")
    assert code == 0, err
    assert "300 / 2,000 ml" in out
    assert "before it had done this" in err
    assert "internal error" not in err and "bug" not in err
    assert water_entries(capsys, clock) == 1


def test_an_app_alive_but_silent_gets_the_honest_message(
        capsys: pytest.CaptureFixture[str], clock: FakeClock, dying_app,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ipc, "TIMEOUT_SECONDS", 0.5)
    app = dying_app("silent")
    code, out, err = run(capsys, clock, "log", "water", "300")
    app.stop()
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert "may or may not have been done" in err and "quell today" in err
    assert "nothing was logged" not in err


def test_a_pause_the_app_fell_silent_on_points_to_quell_reminders(
        capsys: pytest.CaptureFixture[str], clock: FakeClock, dying_app,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ipc, "TIMEOUT_SECONDS", 0.5)
    app = dying_app("silent")
    code, _out, err = run(capsys, clock, "pause", "1h")
    app.stop()
    assert code == 1 and "quell reminders" in err


# -- the real app, killed with SIGKILL mid-request -----------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="signals and Unix sockets")
def test_kill_9_mid_request_never_duplicates_and_never_misleads(tmp_path: Path) -> None:
    env = {**os.environ, "QUELL_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "QUELL_REPORT_READY": "1"}
    rng = random.Random(8)
    results: list[subprocess.CompletedProcess[str]] = []
    for _round in range(8):
        app = subprocess.Popen([sys.executable, "-m", "quell"], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            assert app.stdout is not None
            assert app.stdout.readline().strip() == "quell-ready"
            # The server starts on the next loop turn after the tray is up.
            cli = subprocess.Popen([sys.executable, "-m", "quell", "log", "water", "10"],
                                   env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
            threading.Event().wait(rng.uniform(0.25, 0.6))  # CLI start-up is ~0.3 s
            app.send_signal(signal.SIGKILL)
            out, err = cli.communicate(timeout=60)
            results.append(subprocess.CompletedProcess(cli.args, cli.returncode, out, err))
        finally:
            if app.poll() is None:
                app.kill()
            app.communicate()
    shown = subprocess.run([sys.executable, "-m", "quell", "today", "--json"], env=env,
                           cwd=ROOT, capture_output=True, text=True, timeout=30)
    water = next(h for h in json.loads(shown.stdout)["habits"] if h["key"] == "water")
    succeeded = [r for r in results if r.returncode == 0]
    for result in results:
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
        assert "nothing was logged" not in result.stderr
        if result.returncode != 0:
            assert "may or may not" in result.stderr, result.stderr
        else:
            assert "Logged Water: 10 ml" in result.stdout
    assert len(water["entries"]) == len(succeeded)  # no duplicates, nothing claimed and lost
    assert len(succeeded) == len(results)  # a dead app is never "unknown": the CLI knows


def test_request_ids_are_random_and_well_formed() -> None:
    ids = {ipc.new_request_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(8 <= len(i) <= 64 and i.isalnum() for i in ids)



def test_an_app_too_busy_to_accept_did_nothing_and_says_so(
        capsys: pytest.CaptureFixture[str], clock: FakeClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ipc, "TIMEOUT_SECONDS", 0.5)
    paths = Paths.for_user()
    paths.runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(paths.socket_name)
        listener.listen(0)  # never accepts: its queue fills up
        queued = []
        try:
            for _ in range(4):
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.setblocking(False)
                try:
                    sock.connect(paths.socket_name)
                except BlockingIOError:
                    sock.close()
                    break
                queued.append(sock)
            code, out, err = run(capsys, clock, "log", "water", "300")
        finally:
            for sock in queued:
                sock.close()
    assert code == 1 and out == ""
    assert "not taking commands right now; nothing was done" in err
    assert water_entries(capsys, clock) == 0
