"""The command line: exit codes, one-line errors, JSON shape, nothing written on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quell.app.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def today(capsys: pytest.CaptureFixture[str]) -> dict:
    code, out, _err = run(capsys, "today", "--json")
    assert code == 0
    return json.loads(out)


def habit_of(data: dict, key: str) -> dict:
    return next(h for h in data["habits"] if h["key"] == key)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.startswith("quell 0.")


def test_log_and_today_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "log", "water")[0] == 0
    code, out, _ = run(capsys, "log", "water", "1.5l", "--note", "hike")
    assert code == 0
    assert "1,750 / 2,000 ml" in out
    assert run(capsys, "log", "caffeine", "--drink", "filter-coffee")[0] == 0
    assert run(capsys, "log", "stress", "3")[0] == 0
    assert run(capsys, "log", "stress", "2")[0] == 0
    data = today(capsys)
    assert set(data) == {"day", "habits", "twitch_rating"}
    water = habit_of(data, "water")
    assert {"key", "name", "unit", "total", "target", "target_max", "direction",
            "entries"} <= set(water)
    assert (water["total"], water["target"], water["unit"]) == (1750, 2000, "ml")
    assert water["entries"][1]["note"] == "hike"
    assert habit_of(data, "caffeine")["total"] == 95
    assert habit_of(data, "caffeine")["direction"] == "at_most"
    assert habit_of(data, "stress")["total"] == 3
    assert habit_of(data, "stress")["target"] is None
    sleep = habit_of(data, "sleep")
    assert (sleep["total"], sleep["target"], sleep["target_max"]) == (0, 7, 9)


def test_sleep_from_bed_and_wake(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "log", "sleep", "--bed", "23:30", "--wake", "00:30",
                         "--at", "yesterday 12:00")
    assert code == 0, err
    assert "1 h" in out


@pytest.mark.parametrize(("args", "problem"), [
    (("log", "water", "50000"), "at most 5000 ml"),
    (("log", "water", "-5"), "not an amount"),
    (("log", "water", "0"), "more than 0"),
    (("log", "water", "lots"), "not an amount"),
    (("log", "sleep", "30"), "at most 24"),
    (("log", "sleep", "30h"), "at most 24"),
    (("log", "caffeine"), "needs an amount"),
    (("log", "stress", "9"), "rating from 1 to 5"),
    (("log", "tea", "1"), "unknown habit 'tea'"),
    (("log", "water", "--at", "2999-01-01T00:00"), "in the future"),
    (("log", "water", "--at", "noonish"), "not a time"),
    (("log", "water", "--drink", "cola"), "--drink does not apply"),
    (("log", "caffeine", "--drink", "latte"), "unknown drink"),
    (("log", "sleep", "--bed", "23:00"), "both --bed and --wake"),
])
def test_bad_input_is_one_line_exit_1_and_writes_nothing(
        capsys: pytest.CaptureFixture[str], args: tuple[str, ...], problem: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("quell: ")
    assert problem in err
    assert "Traceback" not in err
    assert all(not h["entries"] for h in today(capsys)["habits"])


@pytest.mark.parametrize("args", [("bogus",), ("log",), ("today", "--yaml"), ("log", "water",
                                                                            "1", "2")])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert "usage:" in err


def test_unwritable_data_folder(capsys: pytest.CaptureFixture[str], isolated_user_dirs: Path
                                ) -> None:
    (isolated_user_dirs / "data").write_text("a file where the folder should be")
    code, _out, err = run(capsys, "log", "water")
    assert code == 1
    assert "cannot write to its data folder" in err
    assert "Traceback" not in err


def test_today_text(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "log", "caffeine", "400")
    code, out, _ = run(capsys, "today")
    assert code == 0
    assert "400 / 300 mg ! over the limit" in out
    assert "goals on track" in out


def test_a_damaged_database_is_restored_with_a_notice(capsys: pytest.CaptureFixture[str],
                                                       isolated_user_dirs: Path) -> None:
    assert run(capsys, "log", "water", "300")[0] == 0
    database = isolated_user_dirs / "data" / "quell.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.write_bytes(b"\x00garbage" * 500)
    code, out, err = run(capsys, "today", "--json")
    assert code == 0
    assert "restored from the backup" in err
    assert json.loads(out)["day"]
    assert list(database.parent.glob("quell.db.damaged-*"))


@pytest.mark.parametrize(("args", "problem"), [
    (("log", "water", ""), "the amount is empty"),
    (("log", "water", "  "), "the amount is empty"),
    (("log", "water", "--at", ""), "--at is empty"),
    (("log", "water", "--at", "9999-12-31T23:59-12:00"), "too far in the past or future"),
    (("log", "water", "--at", "0001-01-01T00:00+14:00"), "too far in the past or future"),
    (("log", "water", "--at", "2015-01-01T12:00"), "more than ten years ago"),
    (("twitch", "eyelid", "--at", "9999-12-31T23:59-12:00"), "too far in the past or future"),
    (("twitch", "eyelid", "--intensity", "²"), "whole number from 1 to 5"),
    (("log", "water", "--note", "x" * 600), "longer than 500"),
])
def test_found_by_the_adversarial_run(capsys: pytest.CaptureFixture[str], args: tuple[str, ...],
                                      problem: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 1 and out == ""
    assert err.startswith("quell: ") and err.count("\n") == 1
    assert problem in err
    assert "internal error" not in err
    assert all(not h["entries"] for h in today(capsys)["habits"])


@pytest.mark.parametrize("command", [
    ("report", "--from", "2026-03-01", "--to", "2026-03-02", "-o"),
    ("export", "-o"),
])
def test_an_output_name_the_system_refuses_is_one_line(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path,
                                                       command: tuple[str, ...]) -> None:
    too_long = str(tmp_path / ("a" * 300 + ".pdf"))
    code, out, err = run(capsys, *command, too_long)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "File name too long" in err
    assert "internal error" not in err and "Traceback" not in err


def test_control_characters_in_an_error_are_shown_not_sent(capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    code, _out, err = run(capsys, "log", "wa\x1b[2Jter")
    assert code == 1
    assert "\x1b" not in err and "\\x1b" in err


def test_a_bug_is_a_sentence_and_one_traceback_in_the_log(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        isolated_user_dirs: Path) -> None:
    from quell.app import cli_habits

    def broken(_request: dict, _context: object) -> str:
        raise KeyError("a bug")

    monkeypatch.setitem(cli_habits.OPS, "log", broken)
    code, out, err = run(capsys, "log", "water")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "hit a bug" in err and "KeyError" in err and "internal error" not in err
    log_text = (isolated_user_dirs / "logs" / "quell.log").read_text()
    assert log_text.count("Traceback") == 1


def test_a_database_error_is_named_not_called_a_bug(capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from quell.app import cli_habits

    def failing(_request: dict, _context: object) -> str:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setitem(cli_habits.OPS, "log", failing)
    code, _out, err = run(capsys, "log", "water")
    assert code == 1 and err.count("\n") == 1
    assert "could not use its database (disk I/O error)" in err and "bug" not in err
