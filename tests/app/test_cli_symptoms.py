"""`quell triage`, `quell twitch` and `quell report`: the contract's lines, codes and messages."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from quell.app import clock as clock_module
from quell.app import ipc
from quell.app.cli_symptoms import twitch_request
from quell.app.context import open_context
from quell.app.gui import QuellApp
from quell.app.main import main
from quell.core.settings import Settings
from quell.files import Paths
from quell.storage.check_store import SqliteCheckStore
from quell.storage.settings_file import save_settings
from quell.storage.twitch_store import SqliteTwitchStore
from tests.conftest import FakeClock


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def with_stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")),
                                                       encoding="utf-8"))


@pytest.fixture
def british() -> None:
    save_settings(Paths.for_user().settings, Settings(locale="en_GB"))


def stored_twitches() -> list[Any]:
    context = open_context(FakeClock(datetime.now().astimezone()))
    try:
        store = SqliteTwitchStore(context.database.connection)
        return store.twitches_between(date(2000, 1, 1), date(2100, 1, 1))
    finally:
        context.close()


def stored_checks() -> int:
    context = open_context(FakeClock(datetime.now().astimezone()))
    try:
        return len(SqliteCheckStore(context.database.connection).all_checks())
    finally:
        context.close()


# -- quell triage ---------------------------------------------------------------------------

def test_triage_one_result_per_line_blank_lines_skipped(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, british: None
) -> None:
    with_stdin(monkeypatch, '{}\n\n   \n{"weakness": "sudden"}\n'
                            '{"twitch_duration": "over_3_months", "speech": "gradual_change"}\n')
    code, out, err = run(capsys, "triage")
    assert (code, err) == (0, "")
    results = [json.loads(line) for line in out.splitlines()]
    assert [set(r) for r in results] == [{"level", "reasons", "message"}] * 3
    assert [r["level"] for r in results] == ["self_care", "emergency", "prompt"]
    assert results[1]["reasons"] == ["stroke_signs"]
    assert "999" in results[1]["message"] and "stroke" in results[1]["message"]
    assert results[2]["reasons"] == ["speech_gradual", "persistent_twitch"]
    assert stored_checks() == 0  # not saved to history


def test_triage_errors_on_their_line_and_exit_1_at_the_end(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, british: None
) -> None:
    with_stdin(monkeypatch, '{"tremor": true}\nnot json\n{"tongue_twitching": "yes"}\n[1, 2]\n'
                            '{"speech": "sudden"}\n{"muscle_wasting": true}\n')
    code, out, err = run(capsys, "triage", "-")
    assert code == 1
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 6
    assert [set(line) for line in lines[:5]] == [{"error"}] * 5
    assert lines[0]["error"] == 'line 1: unknown answer "tremor"'
    assert lines[1]["error"].startswith("line 2: invalid JSON")
    assert "tongue_twitching" in lines[2]["error"] and "true or false" in lines[2]["error"]
    assert "must be an object" in lines[3]["error"]
    assert '"normal", "gradual_change", "sudden_change"' in lines[4]["error"]
    assert lines[5]["level"] == "prompt"  # the good line after the bad ones still runs
    assert err == "quell: 5 of 6 lines could not be checked\n"


def test_triage_reads_a_file_and_non_utf8_is_an_error(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, british: None) -> None:
    answers = tmp_path / "answers.jsonl"
    answers.write_bytes(b'\xef\xbb\xbf{"cramps": "frequent_or_disturbing_sleep"}\n\xff\xfe\n')
    code, out, _err = run(capsys, "triage", str(answers))
    assert code == 1
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["level"] == "routine" and first["reasons"] == ["frequent_cramps"]
    assert second == {"error": "line 2: not UTF-8 text"}


def test_triage_missing_file_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "triage", "/no/such/answers.jsonl")
    assert (code, out) == (1, "")
    assert err.startswith("quell: cannot read /no/such/answers.jsonl") and err.count("\n") == 1


@pytest.mark.parametrize(("locale", "number"), [("en_US", "911"), ("en_AU", "000"),
                                                ("de_DE", "112"), ("NZ", "111")])
def test_triage_number_follows_the_locale_setting(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, locale: str,
        number: str) -> None:
    save_settings(Paths.for_user().settings, Settings(locale=locale))
    with_stdin(monkeypatch, '{"breathing": "struggling_to_breathe"}\n')
    _code, out, _err = run(capsys, "triage")
    assert f"emergency services now on {number}." in json.loads(out)["message"]


# -- quell twitch ---------------------------------------------------------------------------

def test_twitch_logs_an_episode(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "twitch", "Calf", "--side", "left", "--intensity", "4",
                         "--note", "after a run")
    assert (code, err) == (0, "")
    assert out.startswith("Logged a twitch: calf (left), strength 4 (strong), at ")
    assert out.rstrip().endswith("Twitches today: 1.")
    [twitch] = stored_twitches()
    assert (twitch.area, twitch.side, twitch.intensity, twitch.note, twitch.source.value) == (
        "calf", "left", 4, "after a run", "cli")
    code, out, _err = run(capsys, "twitch", "eyelid", "--at", "00:00")
    assert code == 0 and "strength 3 (moderate), at 00:00" in out


@pytest.mark.parametrize(("args", "problem"), [
    (("twitch", "toe"), "unknown body area 'toe'"),
    (("twitch", "calff"), "did you mean calf?"),
    (("twitch", "calf", "--intensity", "9"), "from 1 to 5, not 9"),
    (("twitch", "calf", "--intensity", "lots"), "from 1 to 5, not lots"),
    (("twitch", "calf", "--at", "2999-01-01T00:00"), "in the future"),
    (("twitch", "calf", "--at", "noonish"), "not a time"),
    (("twitch", "calf", "--note", "x" * 600), "longer than 500"),
])
def test_twitch_user_errors_are_one_line_and_store_nothing(
        capsys: pytest.CaptureFixture[str], args: tuple[str, ...], problem: str) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (1, "")
    assert err.startswith("quell: ") and err.count("\n") == 1 and problem in err
    assert stored_twitches() == []


@pytest.mark.parametrize("args", [("twitch",), ("twitch", "calf", "--side", "middle"),
                                  ("report", "--from", "2026-01-01")])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    code, _out, err = run(capsys, *args)
    assert code == 2 and "usage:" in err


@pytest.fixture
def running(qtbot, qapp: QApplication, clock: FakeClock):
    paths = Paths.for_user()
    context = open_context(clock, paths)
    quell = QuellApp(qapp, context, paths)
    quell.start()
    quell.start_server()
    yield quell, paths
    quell.stop()
    quell.tray.menu.deleteLater()
    if quell.windows.main_window is not None:  # hidden by stop()
        quell.windows.main_window.deleteLater()


def test_twitch_goes_through_the_running_app(qtbot, running) -> None:
    quell, paths = running
    result: dict[str, Any] = {}

    def client() -> None:
        result["reply"] = ipc.send(paths, twitch_request("thigh", side="right", intensity="2"))

    thread = threading.Thread(target=client)
    with qtbot.wait_signal(quell.session.changed, timeout=5000):
        thread.start()
        qtbot.wait_until(lambda: not thread.is_alive(), timeout=5000)
    reply = result["reply"]
    assert reply["ok"] is True
    assert "thigh (right), strength 2 (mild), at 14:30" in reply["output"]
    [twitch] = SqliteTwitchStore(quell._context.database.connection).twitches_between(
        date(2026, 3, 10), date(2026, 3, 10))
    assert (twitch.area, twitch.side, twitch.intensity) == ("thigh", "right", 2)


# -- quell report ---------------------------------------------------------------------------

@pytest.fixture
def cli_clock(clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """The clock main() reads, fixed (2026-03-10 14:30 London): "today" never depends on the
    hour the suite runs at (before 04:00 the Quell day is the previous calendar date)."""
    monkeypatch.setattr(clock_module, "SystemClock", lambda: clock)
    return clock


def test_report_writes_a_pdf(capsys: pytest.CaptureFixture[str], qapp: QApplication,
                             tmp_path: Path, cli_clock: FakeClock) -> None:
    run(capsys, "twitch", "calf", "--note", "seen in the mirror")
    today = cli_clock.now().date()
    path = tmp_path / "report.pdf"
    code, out, err = run(capsys, "report", "--from", (today - timedelta(days=6)).isoformat(),
                         "--to", (today + timedelta(days=3)).isoformat(), "-o", str(path))
    assert (code, err) == (0, "")
    assert path.read_bytes().startswith(b"%PDF")
    # A period running past today ends today.
    assert out.startswith(f"Wrote the report for {today - timedelta(days=6)} to ") and \
        str(path) in out and "(1 page)" in out
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "seen in the mirror" in text


@pytest.mark.parametrize(("args", "problem"), [
    (("--from", "2026-13-01", "--to", "2026-01-31"), "not a date"),
    (("--from", "2026-02-01", "--to", "2026-01-01"), "before it starts"),
    (("--from", "2999-01-01", "--to", "2999-01-31"), "starts after today"),
    (("--from", "2000-01-01", "--to", "2020-01-01"), "at most"),
])
def test_report_period_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                              args: tuple[str, ...], problem: str) -> None:
    code, out, err = run(capsys, "report", *args, "-o", str(tmp_path / "r.pdf"))
    assert (code, out) == (1, "")
    assert problem in err and err.count("\n") == 1
    assert not (tmp_path / "r.pdf").exists()


def test_report_into_a_missing_folder(capsys: pytest.CaptureFixture[str], qapp: QApplication,
                                      tmp_path: Path, cli_clock: FakeClock) -> None:
    today = cli_clock.now().date().isoformat()
    code, _out, err = run(capsys, "report", "--from", today, "--to", today, "-o",
                          str(tmp_path / "no" / "such" / "r.pdf"))
    assert code == 1
    assert "does not exist" in err and "Traceback" not in err
