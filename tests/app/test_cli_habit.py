"""`quell habit add|list|archive`, and the user's habits in `log` and `today` (issue 10)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quell.app.cli import carry_out
from quell.app.context import open_context
from quell.app.ipc import PROTOCOL_VERSION
from quell.app.main import main
from quell.core.errors import InputError
from quell.files import Paths
from tests.conftest import FakeClock


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, out, _err = run(capsys, "habit", "list", "--json")
    assert code == 0
    habits: list[dict[str, Any]] = json.loads(out)["habits"]
    return habits


def database_rows() -> int:
    context = open_context(_clock())
    try:
        db = context.database.connection
        return int(db.execute("SELECT count(*) FROM habits").fetchone()[0]
                   + db.execute("SELECT count(*) FROM targets").fetchone()[0]
                   + db.execute("SELECT count(*) FROM entries").fetchone()[0])
    finally:
        context.close()


def _clock() -> Any:
    from quell.app.clock import SystemClock

    return SystemClock()


def test_add_log_today_list_and_archive(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "habit", "add", "Alcohol", "--unit", "drinks", "--kind",
                         "count", "--at-most", "2", "--quick", "1")
    assert (code, err) == (0, "")
    assert out == ("Added Alcohol (key alcohol): drinks, at most 2 a day. Log it with "
                   "`quell log alcohol`.\n")
    code, out, _err = run(capsys, "log", "alcohol", "2")
    assert code == 0 and "Alcohol today: 2 / 2 drinks" in out
    assert run(capsys, "log", "alcohol")[0] == 0  # the first quick amount
    code, out, _err = run(capsys, "today", "--json")
    alcohol = next(h for h in json.loads(out)["habits"] if h["key"] == "alcohol")
    assert {k: alcohol[k] for k in ("name", "unit", "total", "target", "target_max",
                                    "direction")} == {
        "name": "Alcohol", "unit": "drinks", "total": 3.0, "target": 2.0, "target_max": None,
        "direction": "at_most"}
    assert [e["amount"] for e in alcohol["entries"]] == [2.0, 1.0]
    habits = listed(capsys)
    assert [h["key"] for h in habits][-1] == "alcohol"
    assert habits[-1] == {"key": "alcohol", "name": "Alcohol", "unit": "drinks",
                          "kind": "count", "direction": "at_most", "target": 2.0,
                          "target_max": None, "quick": [1.0], "builtin": False,
                          "archived": False, "enabled": True}
    assert habits[0]["key"] == "water" and habits[0]["builtin"] is True
    assert set(habits[0]) == set(habits[-1])
    code, out, _err = run(capsys, "habit", "list")
    assert code == 0 and "alcohol" in out and "(your own)" in out
    code, out, _err = run(capsys, "habit", "archive", "alcohol")
    assert code == 0 and out.startswith("Archived Alcohol")
    assert listed(capsys)[-1]["archived"] is True
    code, _out, err = run(capsys, "log", "alcohol", "1")
    assert code == 1 and "archived" in err
    assert "alcohol" not in {h["key"] for h in json.loads(run(capsys, "today", "--json")[1])[
        "habits"]}
    code, out, _err = run(capsys, "habit", "archive", "alcohol")
    assert code == 0 and "already archived" in out


@pytest.mark.parametrize(("args", "message"), [
    (("Tea", "--unit", "furlongs", "--kind", "count"), "Unknown unit 'furlongs'"),
    (("Water", "--unit", "ml", "--kind", "amount"), "one of Quell's own habits"),
    (("Tea", "--unit", "ml", "--kind", "count"), "does not fit count habits"),
    (("Tea", "--unit", "cups", "--kind", "count", "--at-most", "lots"), "not a number"),
    (("Tea", "--unit", "cups", "--kind", "count", "--at-most", "-1"), "between 0 and"),
    (("Tea", "--unit", "cups", "--kind", "count", "--range", "3", "1"), "low end"),
    (("Tea", "--unit", "cups", "--kind", "count", "--quick", "1.5"), "quick amount 1.5"),
    (("", "--unit", "cups", "--kind", "count"), "the name is empty"),
    (("9 lives", "--unit", "cups", "--kind", "count"), "start with a letter"),
    (("x" * 41, "--unit", "cups", "--kind", "count"), "at most 40 characters"),
    (("Tea", "--unit", "cups", "--kind", "count", *("--quick", "1") * 5), "at most 4 quick"),
])
def test_refused_habits_are_one_line_exit_1_nothing_written(
        capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str) -> None:
    before = database_rows()
    code, out, err = run(capsys, "habit", "add", *args)
    assert code == 1 and out == ""
    assert message in err and err.count("\n") == 1 and err.startswith("quell: ")
    assert database_rows() == before


def test_a_duplicate_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "habit", "add", "Ate late", "--unit", "times", "--kind", "count")[0] == 0
    before = database_rows()
    for name in ("ate late", "Ate  Late", "ATE-LATE"):
        code, _out, err = run(capsys, "habit", "add", name, "--unit", "times", "--kind",
                              "count")
        assert code == 1 and "already have a habit named 'Ate late'" in err
    assert database_rows() == before


@pytest.mark.parametrize(("args", "message"), [
    (("archive", "water"), "one of Quell's own habits"),
    (("archive", "beer"), "unknown habit 'beer'"),
])
def test_archive_refusals(capsys: pytest.CaptureFixture[str], args: tuple[str, ...],
                          message: str) -> None:
    code, _out, err = run(capsys, "habit", *args)
    assert code == 1 and message in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "habit")[0] == 2
    assert run(capsys, "habit", "add", "Tea", "--unit", "cups")[0] == 2  # no --kind
    assert run(capsys, "habit", "add", "Tea", "--unit", "cups", "--kind", "weight")[0] == 2
    assert run(capsys, "habit", "add", "Tea", "--unit", "cups", "--kind", "count",
               "--at-least", "1", "--at-most", "2")[0] == 2


def test_user_duration_and_amount_habits_take_unit_suffixes(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "habit", "add", "Screen time", "--unit", "hours", "--kind", "duration",
               "--range", "1", "3")[0] == 0
    code, out, _err = run(capsys, "log", "screen_time", "1h30m")
    assert code == 0 and "1 h 30 min (goal 1–3 h)" in out
    assert run(capsys, "habit", "add", "Juice", "--unit", "ml", "--kind", "amount")[0] == 0
    code, out, _err = run(capsys, "log", "juice", "0.25l")
    assert code == 0 and "250 ml" in out
    code, _out, err = run(capsys, "log", "juice")
    assert code == 1 and "juice needs an amount in ml" in err.lower()
    code, _out, err = run(capsys, "log", "juice", "1", "--drink", "espresso")
    assert code == 1 and "--drink does not apply to juice" in err


# -- hostile requests (a request can come from any process of the user's) -----------------


@pytest.fixture
def context(clock: FakeClock, isolated_user_dirs: Path) -> Iterator[Any]:
    opened = open_context(clock)
    yield opened
    opened.close()


@pytest.mark.parametrize("changes", [
    {"name": 5}, {"name": None}, {"unit": ["ml"]}, {"kind": "weight"}, {"direction": "up"},
    {"target": True}, {"target": 10 ** 400}, {"target": "x" * 5000}, {"quick": "1"},
    {"quick": [None]}, {"quick": [1] * 1000}, {"name": "\ud800"},
])
def test_a_hostile_add_request_is_refused(context: Any, changes: dict[str, Any]) -> None:
    request = {"op": "habit_add", "name": "Tea", "unit": "cups", "kind": "count",
               "direction": "at_most", "target": "3", "target_max": None, "quick": [],
               **changes}
    with pytest.raises(InputError):
        carry_out(request, context)
    assert context.tracker.habits.user == ()


def test_numbers_may_come_as_json_numbers(context: Any) -> None:
    carry_out({"op": "habit_add", "name": "Tea", "unit": "cups", "kind": "count",
               "direction": "range", "target": 1, "target_max": 2.5, "quick": [1, 2]},
              context)
    tea = context.tracker.habits.get("tea")
    assert (tea.default_target, tea.default_target_max) == (1, 2.5)
    assert [q.amount for q in tea.quick] == [1, 2]


# -- through the running app ---------------------------------------------------------------


class FakeApp:
    """Answers one request on the app's socket the way the app does (carry_out on its own
    context), so the CLI's write goes over the socket."""

    def __init__(self, clock: FakeClock) -> None:
        self.paths = Paths.for_user()
        self.paths.runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.clock = clock
        self.requests: list[dict[str, Any]] = []
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.paths.socket_name)
        self.listener.listen(1)
        self.thread = threading.Thread(target=self._serve)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        data = b""
        while not data.endswith(b"\n"):
            data += conn.recv(65536)
        request = json.loads(data)
        self.requests.append(request)
        context = open_context(self.clock, self.paths)
        try:
            outcome = carry_out(request, context)
            reply = {"v": PROTOCOL_VERSION, "ok": True, "output": outcome.output}
        except InputError as error:
            reply = {"v": PROTOCOL_VERSION, "ok": False, "error": str(error)}
        finally:
            context.close()
        conn.sendall((json.dumps(reply) + "\n").encode())
        conn.close()
        self.listener.close()


def test_habit_add_goes_through_the_running_app(capsys: pytest.CaptureFixture[str],
                                                clock: FakeClock) -> None:
    app = FakeApp(clock)
    code = main(["habit", "add", "Tea", "--unit", "cups", "--kind", "count"], clock=clock)
    app.thread.join(10)
    out, _err = capsys.readouterr()
    assert code == 0 and out.startswith("Added Tea (key tea)")
    assert app.requests[0]["op"] == "habit_add"
    assert listed(capsys)[-1]["key"] == "tea"
