"""`quell export`, `quell import` and `quell insights`: exit codes, one-line errors, JSON."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from quell.app.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def entry_count(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> int:
    path = tmp_path / "count.zip"
    assert run(capsys, "export", "-o", str(path), "--force")[0] == 0
    with zipfile.ZipFile(path) as archive:
        return len(archive.read("entries.csv").decode().splitlines()) - 1


def test_export_then_import_round_trip(capsys: pytest.CaptureFixture[str], tmp_path: Path
                                       ) -> None:
    run(capsys, "log", "water", "500", "--note", "with lemon, please")
    run(capsys, "log", "caffeine", "--drink", "espresso")
    path = tmp_path / "data.zip"
    code, out, err = run(capsys, "export", "-o", str(path))
    assert (code, err) == (0, "")
    assert "Exported 2 entries and 0 twitch episodes" in out
    with zipfile.ZipFile(path) as archive:
        assert archive.read("entries.csv").decode().startswith(
            "timestamp,habit,amount,note,detail\r\n")
    code, out, err = run(capsys, "import", str(path))
    assert (code, err) == (0, "")
    assert "Imported 0 entries" in out and "2 already there were skipped" in out
    assert entry_count(capsys, tmp_path) == 2


def test_export_refuses_to_overwrite_without_force(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    path = tmp_path / "data.zip"
    path.write_text("keep me")
    code, out, err = run(capsys, "export", "-o", str(path))
    assert code == 1 and out == ""
    assert err.startswith("quell: ") and "already exists; use --force" in err
    assert err.count("\n") == 1
    assert path.read_text() == "keep me"
    assert run(capsys, "export", "-o", str(path), "--force")[0] == 0
    assert zipfile.is_zipfile(path)


def test_export_needs_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "export")
    assert code == 2 and "usage:" in err


def test_import_of_a_bad_file_imports_nothing(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    path = tmp_path / "bad.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("entries.csv", "timestamp,habit,amount\n"
                         "2026-03-09T08:00:00+00:00,water,250\n"
                         "2026-03-09T09:00:00+00:00,water,lots\n")
    code, out, err = run(capsys, "import", str(path))
    assert code == 1 and out == ""
    assert err == ("quell: entries.csv, line 3: amount 'lots' is not a number "
                   "(nothing was imported)\n")
    assert "Traceback" not in err
    assert entry_count(capsys, tmp_path) == 0


def test_import_of_something_else(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    code, _out, err = run(capsys, "import", str(path))
    assert code == 1 and "not a ZIP file" in err and err.count("\n") == 1
    code, _out, err = run(capsys, "import", str(tmp_path / "missing.zip"))
    assert code == 1 and "does not exist" in err


def test_import_from_a_spreadsheet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "sheet.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("entries.csv", "timestamp,habit,amount,note\n"
                         "2026-01-09T08:00:00+00:00,water,250,\n"
                         "2026-01-09T12:00:00+00:00,sleep,7.5,nap? no\n")
        archive.writestr("twitches.csv", "timestamp,area,side,intensity,note\n"
                         "2026-01-09T10:00:00+00:00,eyelid,left,2,\n")
    code, out, err = run(capsys, "import", str(path))
    assert code == 0, err
    assert out.strip() == "Imported 2 entries and 1 twitch episode."


def test_insights_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "log", "water", "500")
    code, out, err = run(capsys, "insights", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    keys = [t["key"] for t in data["triggers"]]
    assert sorted(keys) == sorted(["caffeine_over_limit", "short_sleep", "low_water",
                                   "no_stretching", "high_stress", "nicotine",
                                   "hard_exercise"])
    for trigger in data["triggers"]:
        assert {"key", "days_with", "days_without", "rate_ratio", "ci_low", "ci_high",
                "enough_data"} <= set(trigger)
        assert trigger["enough_data"] is False
        assert trigger["rate_ratio"] is None and trigger["ci_low"] is None
        assert trigger["ci_high"] is None
    low_water = next(t for t in data["triggers"] if t["key"] == "low_water")
    assert (low_water["days_with"], low_water["days_without"]) == (1, 0)


def test_insights_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "insights")
    assert code == 0
    assert "not enough data yet" in out
    assert "Correlation, not proof" in out


# -- hostile files and values through the command line ------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_import_refuses_what_is_not_a_file_at_once(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path, kind: str) -> None:
    import os
    import time

    if kind == "fifo":
        target = tmp_path / "pipe.zip"
        os.mkfifo(target)  # read as a file, this hung `quell import` for ever
    else:
        target = Path("/dev/zero") if kind == "dev-zero" else tmp_path
    started = time.perf_counter()
    code, out, err = run(capsys, "import", str(target))
    assert time.perf_counter() - started < 5
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "Traceback" not in err and "internal error" not in err
    assert ("is a folder" if kind == "folder" else "not a regular file") in err


def test_import_takes_a_pause_only_if_it_ends_soon(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    path = tmp_path / "s.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("entries.csv", "timestamp,habit,amount\n"
                         "2026-03-09T08:00:00+00:00,water,250\n")
        archive.writestr("settings.json", json.dumps(
            {"day_start_hour": 5, "paused_until": "9999-12-31T23:59:59-12:00"}))
    code, out, err = run(capsys, "import", str(path))
    assert code == 0, err
    assert out.strip().endswith(". Settings restored from the file.")
    assert out.count("\n") == 1
    code, out, _err = run(capsys, "reminders", "--json")
    assert code == 0 and json.loads(out)["paused_until"] is None


def test_imported_notes_lose_control_characters_and_export_defuses_formulas(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "n.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("entries.csv", "timestamp,habit,amount,note\n"
                         '2026-03-09T08:00:00+00:00,water,250,"=cmd|\' /c calc\'!A0\x1b[2J"\n')
    assert run(capsys, "import", str(path))[0] == 0
    out_path = tmp_path / "out.zip"
    assert run(capsys, "export", "-o", str(out_path))[0] == 0
    with zipfile.ZipFile(out_path) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("entries.csv").decode())))
    assert rows[1][3] == "'=cmd|' /c calc'!A0[2J"  # no ESC; a leading ' keeps it text
    # ... and importing the export again finds the very same note (nothing added).
    code, out, _err = run(capsys, "import", str(out_path))
    assert code == 0 and "Imported 0 entries" in out and "1 already there" in out


def test_export_to_an_impossible_path_is_one_line(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    for target in (tmp_path / ("x" * 300 + ".zip"), tmp_path / "missing" / "out.zip",
                   Path("/dev/null/out.zip")):
        code, out, err = run(capsys, "export", "-o", str(target))
        assert code == 1 and out == "" and err.count("\n") == 1, err
        assert "internal error" not in err and "Traceback" not in err


def test_the_running_app_takes_only_sane_import_notices(tmp_path: Path) -> None:
    from quell.app.cli_data import _imported
    from quell.app.context import open_context
    from quell.core.errors import InputError
    from quell.files import Paths
    from tests.conftest import LONDON, FakeClock

    clock = FakeClock(datetime(2026, 3, 10, 14, 30, tzinfo=LONDON))
    context = open_context(clock, Paths.for_user())
    try:
        for bad in ({"enabled": "water"}, {"enabled": ["rm -rf"]}, {"settings": [1]}):
            with pytest.raises(InputError):
                _imported({"op": "imported", **bad}, context)
        text = _imported({"op": "imported", "summary": "Imported 1 entry.\x1b[2J\n",
                          "settings": {"paused_until": "2100-01-01T00:00:00+00:00",
                                       "day_start_hour": 6}}, context)
        assert text == "Imported 1 entry.[2J Settings restored from the file."
        assert context.settings().paused_until is None  # 74 years is not a pause
        assert context.settings().day_start_hour == 6
    finally:
        context.close()


def test_user_habits_travel_through_export_and_import(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(capsys, "habit", "add", "Alcohol", "--unit", "drinks", "--kind", "count",
               "--at-most", "2", "--quick", "1")[0] == 0
    assert run(capsys, "log", "alcohol", "2")[0] == 0
    path = tmp_path / "data.zip"
    assert run(capsys, "export", "-o", str(path))[0] == 0
    monkeypatch.setenv("QUELL_HOME", str(tmp_path / "elsewhere"))  # another machine
    code, out, err = run(capsys, "import", str(path))
    assert (code, err) == (0, "")
    assert "Imported 1 entry" in out
    code, out, _err = run(capsys, "habit", "list", "--json")
    alcohol = json.loads(out)["habits"][-1]
    assert (alcohol["key"], alcohol["target"], alcohol["quick"]) == ("alcohol", 2.0, [1.0])
    code, out, _err = run(capsys, "log", "alcohol")
    assert code == 0 and "Alcohol today: 3 / 2 drinks" in out
    # Entries of a habit the database has, in a file without its definition, come in too.
    bare = tmp_path / "bare.zip"
    with zipfile.ZipFile(bare, "w") as archive:
        yesterday = (datetime.now(timezone.utc) - timedelta(days=1)).isoformat(
            timespec="seconds")
        archive.writestr("entries.csv", f"timestamp,habit,amount\r\n{yesterday},alcohol,1\r\n")
    code, out, err = run(capsys, "import", str(bare))
    assert (code, err) == (0, "") and "Imported 1 entry" in out
