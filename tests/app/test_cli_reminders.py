"""`quell reminders`, `quell pause`, `quell resume`: the JSON contract, durations, persistence."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from desktop.app import clock as clock_module
from desktop.app.cli import execute
from desktop.app.cli_reminders import reminder_statuses, reminders_json
from desktop.app.context import open_context
from desktop.app.main import main
from desktop.core.errors import InputError
from desktop.storage.paths import Paths
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
