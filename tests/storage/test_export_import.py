"""Export and import: exact files and headers, lossless round trips, merging without
duplicates, and broken files that import nothing and say where the problem is."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tempfile
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quell.core.days import day_of
from quell.core.entries import Target
from quell.core.errors import InputError
from quell.core.habits import HABITS, Direction, Kind, user_habit
from quell.core.notes import clean_note
from quell.core.settings import Settings
from quell.core.tracker import Tracker
from quell.storage.database import open_database
from quell.storage.export import build_export, export_zip, number_text
from quell.storage.history_store import HistoryStore
from quell.storage.import_archive import ImportRejected
from quell.storage.importing import import_zip
from quell.storage.store import SqliteStore
from quell.storage.zip_format import COLUMNS
from tests.conftest import LONDON, FakeClock
from tests.helpers import make_tracker

NOW = datetime(2026, 3, 10, 14, 30, tzinfo=LONDON)


def fresh_store(folder: Path) -> SqliteStore:
    return SqliteStore(open_database(folder, NOW.date()).connection)


def do_import(store: SqliteStore, path: Path, day_start_hour: int = 4):
    return import_zip(store, path, tz=LONDON, now=NOW, day_start_hour=day_start_hour)


def make_zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def read_zip(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def add_twitch(db: sqlite3.Connection, moment: datetime, area: str = "eyelid",
               side: str = "", intensity: int = 2, note: str = "") -> None:
    offset = moment.utcoffset()
    assert offset is not None
    db.execute("INSERT INTO twitches (ts, utc_offset, day, area, side, intensity, note, source,"
               " created) VALUES (?,?,?,?,?,?,?,'test',0)",
               (int(moment.timestamp()), int(offset.total_seconds()),
                day_of(moment, 4).isoformat(), area, side, intensity, note))


def count(store: SqliteStore, table: str) -> int:
    return int(store.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture
def filled(tmp_path: Path, clock: FakeClock):
    """A database with some of everything."""
    tracker, store, database = make_tracker(tmp_path / "a", clock)
    tracker.log("water", 250, at=datetime(2026, 3, 9, 8, 0, tzinfo=LONDON))
    tracker.log("water", 250, at=datetime(2026, 3, 9, 8, 0, tzinfo=LONDON))  # a twin
    tracker.log_drink("espresso", at=datetime(2026, 3, 9, 9, 15, tzinfo=LONDON),
                      note='double, "strong"')
    tracker.log_sleep(datetime(2026, 3, 8, 23, 0, tzinfo=LONDON),
                      datetime(2026, 3, 9, 6, 45, tzinfo=LONDON))
    tracker.log_exercise(45, "very_hard", at=datetime(2026, 3, 9, 18, 0, tzinfo=LONDON),
                         note="hills\nand more hills")
    tracker.log("stress", 4, at=datetime(2026, 3, 10, 1, 30, tzinfo=LONDON))
    store.set_target(Target("caffeine", 200, None, date(2026, 3, 1)))
    store.set_enabled_habits([h.key for h in HABITS if h.key != "minerals"])
    db = store.connection
    add_twitch(db, datetime(2026, 3, 9, 10, 0, tzinfo=LONDON), "eyelid", "left", 3, "après")
    add_twitch(db, datetime(2026, 3, 9, 2, 0, tzinfo=LONDON), "calf", "both", 1)
    db.execute("INSERT INTO symptom_checks (ts, utc_offset, answers, level, reasons,"
               " app_version) VALUES (?,?,?,?,?,?)",
               (1773100000, 0, json.dumps({"weakness": False, "area": "eyelid"}), "self_care",
                json.dumps(["benign_pattern"]), "0.1.0"))
    db.execute("INSERT INTO reminder_events (reminder, due, shown, utc_offset, outcome, reason)"
               " VALUES ('water', 1773050400, 1773050410, 0, 'done', ''),"
               " ('stretch', 1773061200, NULL, 0, 'missed', 'away')")
    db.execute("INSERT INTO days_off (day, reason) VALUES ('2026-03-02', 'sick')")
    db.execute("INSERT INTO twitch_ratings (day, rating, areas, updated) VALUES"
               " ('2026-03-08', 0, '', 0), ('2026-03-09', 3, 'eyelid,calf', 0)")
    yield store
    database.connection.close()


# -- export ------------------------------------------------------------------------------


def test_export_files_and_headers(filled: SqliteStore, tmp_path: Path) -> None:
    path = tmp_path / "out.zip"
    summary = export_zip(filled.connection, Settings(), path)
    files = read_zip(path)
    assert set(files) == {"entries.csv", "twitches.csv", "habits.csv", "symptom_checks.csv",
                          "reminder_events.csv", "days_off.csv", "settings.json",
                          "habit_definitions.csv", "twitch_ratings.csv"}
    assert files["twitch_ratings.csv"] == (
        "day,rating,areas\r\n2026-03-08,0,\r\n2026-03-09,3,\"eyelid,calf\"\r\n")
    assert files["habit_definitions.csv"] == (
        "key,name,unit,kind,direction,target,target_max,quick,archived,position\r\n")
    assert files["entries.csv"].splitlines()[0] == "timestamp,habit,amount,note,detail"
    assert files["twitches.csv"].splitlines()[0] == "timestamp,area,side,intensity,note"
    assert files["habits.csv"].splitlines()[0] == "habit,enabled,effective_from,target,target_max"
    assert summary.rows["entries.csv"] == 6
    assert path.stat().st_mode & 0o777 == 0o600
    entries = list(csv.DictReader(io.StringIO(files["entries.csv"])))
    espresso = next(r for r in entries if r["habit"] == "caffeine")
    assert espresso == {"timestamp": "2026-03-09T09:15:00+00:00", "habit": "caffeine",
                        "amount": "63", "note": 'double, "strong"',
                        "detail": '{"preset":"espresso"}'}
    water = [r for r in entries if r["habit"] == "water"]
    assert len(water) == 2 and water[0]["detail"] == ""
    sleep = next(r for r in entries if r["habit"] == "sleep")
    assert sleep["amount"] == "7.75"
    twitch = list(csv.DictReader(io.StringIO(files["twitches.csv"])))
    assert twitch[0] == {"timestamp": "2026-03-09T02:00:00+00:00", "area": "calf",
                         "side": "both", "intensity": "1", "note": ""}
    habits = list(csv.DictReader(io.StringIO(files["habits.csv"])))
    caffeine = [r for r in habits if r["habit"] == "caffeine"]
    assert [(r["effective_from"], r["target"]) for r in caffeine] == [
        ("0001-01-01", "300"), ("2026-03-01", "200")]
    assert next(r for r in habits if r["habit"] == "minerals")["enabled"] == "0"
    assert next(r for r in habits if r["habit"] == "stress")["target"] == ""
    reminders = list(csv.DictReader(io.StringIO(files["reminder_events.csv"])))
    assert reminders[1]["shown"] == "" and reminders[1]["outcome"] == "missed"
    assert json.loads(files["settings.json"])["day_start_hour"] == 4


def test_export_offsets_are_local(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 7, 1, 12, 0, tzinfo=LONDON))
    tracker, store, database = make_tracker(tmp_path / "a", clock)
    tracker.log("water", 300, at=datetime(2026, 6, 30, 7, 30, tzinfo=LONDON))
    files = read_zip(export_zip(store.connection, Settings(), tmp_path / "x.zip").path)
    assert "2026-06-30T07:30:00+01:00,water,300,," in files["entries.csv"]
    database.connection.close()


def test_export_refuses_to_overwrite(filled: SqliteStore, tmp_path: Path) -> None:
    path = tmp_path / "out.zip"
    path.write_bytes(b"precious")
    with pytest.raises(InputError, match="already exists"):
        export_zip(filled.connection, Settings(), path)
    assert path.read_bytes() == b"precious"
    export_zip(filled.connection, Settings(), path, overwrite=True)
    assert zipfile.is_zipfile(path)


def test_export_into_missing_folder_is_a_clear_error(filled: SqliteStore, tmp_path: Path
                                                     ) -> None:
    with pytest.raises(InputError, match="cannot write"):
        export_zip(filled.connection, Settings(), tmp_path / "nope" / "out.zip")


def test_numbers_are_written_plainly() -> None:
    assert number_text(250.0) == "250"
    assert number_text(7.75) == "7.75"
    assert number_text(0.1 + 0.2) == "0.30000000000000004"  # exact, so it comes back equal


# -- round trips -------------------------------------------------------------------------


def test_round_trip_is_lossless(filled: SqliteStore, tmp_path: Path) -> None:
    first = export_zip(filled.connection, Settings(), tmp_path / "one.zip").path
    target = fresh_store(tmp_path / "b")
    result = do_import(target, first)
    assert result.added["entries.csv"] == 6 and result.added["twitches.csv"] == 2
    assert result.added["symptom_checks.csv"] == 1 and result.added["reminder_events.csv"] == 2
    assert result.added["twitch_ratings.csv"] == 2
    second = export_zip(target.connection, Settings(), tmp_path / "two.zip").path
    assert read_zip(first) == read_zip(second)
    assert target.enabled_habits() == filled.enabled_habits()
    assert HistoryStore(target.connection).days_off() == {date(2026, 3, 2): "sick"}
    entries = target.entries_between(date(2026, 3, 9), date(2026, 3, 9))
    assert {e.source.value for e in entries} == {"import"}
    sleep = next(e for e in entries if e.habit == "sleep")
    assert sleep.detail == {"bed": "2026-03-08T23:00+00:00", "wake": "2026-03-09T06:45+00:00"}
    target.connection.close()


def test_importing_twice_changes_nothing(filled: SqliteStore, tmp_path: Path) -> None:
    path = export_zip(filled.connection, Settings(), tmp_path / "one.zip").path
    before = read_zip(path)
    result = do_import(filled, path)
    assert result.total_added == 0
    assert result.skipped["entries.csv"] == 6
    assert "6 already there" not in result.describe()  # all kinds are counted together
    assert read_zip(export_zip(filled.connection, Settings(), tmp_path / "two.zip").path
                    ) == before


def test_identical_rows_are_kept_as_a_multiset(tmp_path: Path) -> None:
    store = fresh_store(tmp_path / "b")
    row = "2026-03-09T08:00:00+00:00,water,250,,\n"
    path = make_zip(tmp_path / "in.zip", {"entries.csv": "timestamp,habit,amount,note,detail\n"
                                          + row * 3})
    assert do_import(store, path).added["entries.csv"] == 3
    path2 = make_zip(tmp_path / "in2.zip", {"entries.csv": "timestamp,habit,amount,note,detail\n"
                                            + row * 4})
    result = do_import(store, path2)
    assert (result.added["entries.csv"], result.skipped["entries.csv"]) == (1, 3)
    assert store.count_entries() == 4
    store.connection.close()


def test_spreadsheet_zip_with_only_entries_and_no_detail(tmp_path: Path) -> None:
    store = fresh_store(tmp_path / "b")
    text = ("\ufefftimestamp,habit,amount\r\n"        # Excel's BOM and CRLF
            "2026-03-09 08:00,water,500\r\n"           # no offset: local time
            "2026-03-09T09:00:00+01:00,Caffeine,95\r\n"
            ",,\r\n")                                 # a blank row at the end
    result = do_import(store, make_zip(tmp_path / "s.zip", {"entries.csv": text}))
    assert result.added["entries.csv"] == 2
    entries = store.entries_between(date(2026, 3, 9), date(2026, 3, 9))
    assert [(e.habit, e.amount, e.at.isoformat()) for e in entries] == [
        ("water", 500, "2026-03-09T08:00:00+00:00"), ("caffeine", 95, "2026-03-09T09:00:00+01:00")]
    store.connection.close()


def test_only_twitches(tmp_path: Path) -> None:
    store = fresh_store(tmp_path / "b")
    text = "timestamp,area,intensity\n2026-03-09T01:30:00+00:00,eyelid,2\n"
    result = do_import(store, make_zip(tmp_path / "t.zip", {"twitches.csv": text}))
    assert result.added["twitches.csv"] == 1
    # 01:30 is before the 04:00 day start: it counts on 8 March.
    assert HistoryStore(store.connection).twitch_counts() == {date(2026, 3, 8): 1}
    store.connection.close()


def test_files_inside_a_folder_are_found(tmp_path: Path) -> None:
    store = fresh_store(tmp_path / "b")
    path = make_zip(tmp_path / "f.zip", {
        "quell-export/entries.csv": "timestamp,habit,amount\n2026-03-09T08:00:00+00:00,water,1\n"})
    assert do_import(store, path).added["entries.csv"] == 1
    store.connection.close()


def test_settings_come_back_and_set_the_day_start(tmp_path: Path) -> None:
    store = fresh_store(tmp_path / "b")
    settings = json.dumps({"version": 1, "day_start_hour": 6, "future_setting": 1})
    path = make_zip(tmp_path / "s.zip", {
        "entries.csv": "timestamp,habit,amount\n2026-03-09T05:00:00+00:00,water,100\n",
        "settings.json": settings})
    result = do_import(store, path)
    assert result.settings is not None and result.settings.day_start_hour == 6
    assert store.entries_between(date(2026, 3, 8), date(2026, 3, 8))[0].amount == 100
    store.connection.close()


# -- property test -----------------------------------------------------------------------

# Notes as Quell stores them (one clean line), often starting like a spreadsheet formula.
NOTE = st.builds(lambda start, rest: clean_note(start + rest),
                 st.sampled_from(["", "=", "+", "-", "@", "'", "'=", "''-", "=1+2", "@SUM("]),
                 st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)),
                         max_size=40))
OFFSETS = st.sampled_from([0, 3600, -5 * 3600, 19800, 45900 - 3600 * 12, 13 * 3600])


@st.composite
def entry_rows(draw: st.DrawFn) -> tuple[object, ...]:
    spec = draw(st.sampled_from(HABITS))
    if spec.integer:
        amount = float(draw(st.integers(int(spec.min_amount), int(spec.max_amount))))
    else:
        amount = draw(st.floats(spec.min_amount, spec.max_amount, exclude_min=True,
                                allow_nan=False))
    ts = draw(st.integers(1_500_000_000, int(NOW.timestamp())))
    offset = draw(OFFSETS)
    detail = draw(st.dictionaries(st.sampled_from(["preset", "bed", "x"]),
                                  st.one_of(st.text(max_size=5), st.integers()), max_size=2))
    moment = datetime.fromtimestamp(ts, timezone(timedelta(seconds=offset)))
    return (spec.key, ts, offset, day_of(moment, 4).isoformat(), amount, draw(NOTE),
            json.dumps(detail, sort_keys=True))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(entry_rows(), max_size=25),
       twitches=st.lists(st.tuples(st.integers(1_500_000_000, int(NOW.timestamp())), OFFSETS,
                                   st.sampled_from(["eyelid", "calf", "other"]),
                                   st.sampled_from(["", "left", "both"]),
                                   st.integers(1, 5), NOTE), max_size=10))
def test_any_data_round_trips(rows: list[tuple[object, ...]],
                              twitches: list[tuple[object, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = fresh_store(Path(folder) / "a")
        source.connection.executemany(
            "INSERT INTO entries (habit, ts, utc_offset, day, amount, note, detail, source,"
            " created) VALUES (?,?,?,?,?,?,?,'cli',0)", rows)
        source.connection.executemany(
            "INSERT INTO twitches (ts, utc_offset, day, area, side, intensity, note, source,"
            " created) VALUES (?,?,'2026-01-01',?,?,?,?,'cli',0)", twitches)
        data, counts = build_export(source.connection, Settings())
        assert counts["entries.csv"] == len(rows)
        path = Path(folder) / "x.zip"
        path.write_bytes(data)
        target = fresh_store(Path(folder) / "b")
        do_import(target, path)
        again, _counts = build_export(target.connection, Settings())
        assert _contents(again) == _contents(data)
        assert do_import(target, path).total_added == 0
        source.connection.close()
        target.connection.close()


def _contents(data: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: sorted(csv.reader(io.StringIO(archive.read(name).decode())))
                for name in archive.namelist() if name.endswith(".csv")}


# -- broken files ------------------------------------------------------------------------

GOOD_ENTRY = "2026-03-09T08:00:00+00:00,water,250,,\n"


@pytest.mark.parametrize(("files", "where", "problem"), [
    ({"entries.csv": "timestamp,habit,amount,note,detail\n" + GOOD_ENTRY
      + "2026-03-09T08:00:00+00:00,tea,1,,\n"}, "entries.csv, line 3", "unknown habit 'tea'"),
    ({"entries.csv": "timestamp,habit,amount\n2026-03-09T08:00,water,lots\n"},
     "entries.csv, line 2", "'lots' is not a number"),
    ({"entries.csv": "timestamp,habit,amount\n2026-03-09T08:00,water,9000\n"},
     "entries.csv, line 2", "at most 5000"),
    ({"entries.csv": "timestamp,habit,amount\n2026-03-09T08:00,stress,2.5\n"},
     "entries.csv, line 2", "whole number"),
    ({"entries.csv": "timestamp,habit,amount\nyesterday,water,250\n"},
     "entries.csv, line 2", "not an ISO 8601 time"),
    ({"entries.csv": "timestamp,habit,amount\n2099-01-01T08:00:00+00:00,water,250\n"},
     "entries.csv, line 2", "in the future"),
    ({"entries.csv": "timestamp,habit,amount,note,detail\n"
      "2026-03-09T08:00:00+00:00,water,250,,{oops\n"}, "entries.csv, line 2", "detail"),
    ({"entries.csv": "timestamp,habit,amount,note,detail\n"
      "2026-03-09T08:00:00+00:00,water,250,,[1]\n"}, "entries.csv, line 2", "JSON object"),
    ({"entries.csv": "timestamp,habit,amout\n"}, "entries.csv, line 1", "unknown column 'amout'"),
    ({"entries.csv": "timestamp,amount\n"}, "entries.csv, line 1", "missing column 'habit'"),
    ({"entries.csv": "timestamp,habit,amount\n2026-03-09T08:00,water\n"},
     "entries.csv, line 2", "has 2 fields"),
    ({"entries.csv": ""}, "entries.csv", "is empty"),
    ({"twitches.csv": "timestamp,area,side,intensity,note\n"
      "2026-03-09T08:00:00+00:00,elbow,,2,\n"}, "twitches.csv, line 2", "unknown body area"),
    ({"twitches.csv": "timestamp,area,side,intensity,note\n"
      "2026-03-09T08:00:00+00:00,arm,up,2,\n"}, "twitches.csv, line 2", "side must be"),
    ({"twitches.csv": "timestamp,area,side,intensity,note\n"
      "2026-03-09T08:00:00+00:00,arm,,7,\n"}, "twitches.csv, line 2", "intensity"),
    ({"notes.txt": "hello"}, "in.zip",
     "has none of entries.csv, twitches.csv and twitch_ratings.csv"),
    ({"entries.csv": "timestamp,habit,amount\n" + GOOD_ENTRY.rstrip(",\n") + "\n",
      "habits.csv": "habit,enabled\nwater,0\n"}, "habits.csv, line 2", "cannot be switched off"),
    ({"entries.csv": "timestamp,habit,amount\n",
      "habits.csv": "habit,enabled,effective_from,target,target_max\nsleep,1,2026-01-01,9,7\n"},
     "habits.csv, line 2", "range"),
    ({"entries.csv": "timestamp,habit,amount\n",
      "reminder_events.csv": "reminder,due,shown,outcome,reason\n"
      "water,2026-03-09T08:00:00+00:00,,ignored,\n"}, "reminder_events.csv, line 2", "outcome"),
    ({"entries.csv": "timestamp,habit,amount\n", "settings.json": "[1, 2"},
     "settings.json", "not valid JSON"),
])
def test_broken_files_import_nothing(tmp_path: Path, files: dict[str, str], where: str,
                                     problem: str) -> None:
    store = fresh_store(tmp_path / "b")
    path = make_zip(tmp_path / "in.zip", files)
    with pytest.raises(ImportRejected) as caught:
        do_import(store, path)
    message = str(caught.value)
    assert message.startswith(where), message
    assert problem in message
    assert "nothing was imported" in message
    assert "\n" not in message
    assert store.count_entries() == 0 and count(store, "twitches") == 0
    store.connection.close()


def test_a_bad_row_late_in_one_file_keeps_every_file_out(tmp_path: Path) -> None:
    store = fresh_store(tmp_path / "b")
    entries = "timestamp,habit,amount\n" + "2026-03-09T08:00:00+00:00,water,250\n" * 500
    twitches = ("timestamp,area,side,intensity,note\n"
                + "2026-03-09T08:00:00+00:00,arm,,2,\n" * 50
                + '2026-03-09T08:00:00+00:00,arm,,2,"a\nnote on two lines"\n'
                + "2026-03-09T08:00:00+00:00,knee,,2,\n")
    path = make_zip(tmp_path / "in.zip", {"entries.csv": entries, "twitches.csv": twitches})
    with pytest.raises(ImportRejected) as caught:
        do_import(store, path)
    # The quoted note spans lines 52-53, so the bad row starts on line 54.
    assert [str(p) for p in caught.value.problems] == [
        "twitches.csv, line 54: unknown body area 'knee' (choose from eyelid, face, neck, "
        "shoulder, arm, hand, chest, back, abdomen, thigh, calf, foot, other)"]
    assert store.count_entries() == 0


def test_every_problem_is_collected(tmp_path: Path) -> None:
    store = fresh_store(tmp_path / "b")
    rows = "".join(f"2026-03-09T08:00:00+00:00,water,{bad}\n" for bad in ("x", "-1", "0"))
    path = make_zip(tmp_path / "in.zip", {"entries.csv": "timestamp,habit,amount\n" + rows})
    with pytest.raises(ImportRejected) as caught:
        do_import(store, path)
    assert [p.line for p in caught.value.problems] == [2, 3, 4]
    assert "(nothing was imported)" in str(caught.value)
    many = "".join("2026-03-09T08:00:00+00:00,water,x\n" for _ in range(80))
    path = make_zip(tmp_path / "many.zip", {"entries.csv": "timestamp,habit,amount\n" + many})
    with pytest.raises(ImportRejected) as caught:
        do_import(store, path)
    assert len(caught.value.problems) == 50 and caught.value.more == 30
    assert "and 77 more problems" in str(caught.value)
    store.connection.close()


@pytest.mark.parametrize("content", [b"not a zip at all", b""])
def test_not_a_zip(tmp_path: Path, content: bytes) -> None:
    store = fresh_store(tmp_path / "b")
    path = tmp_path / "broken.zip"
    path.write_bytes(content)
    with pytest.raises(ImportRejected, match=r"broken\.zip: not a ZIP file"):
        do_import(store, path)
    with pytest.raises(InputError, match="does not exist"):
        do_import(store, tmp_path / "missing.zip")
    store.connection.close()


def test_not_utf8(tmp_path: Path) -> None:
    store = fresh_store(tmp_path / "b")
    path = tmp_path / "latin.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("entries.csv", "timestamp,habit,amount,note\n"
                         "2026-03-09T08:00:00+00:00,water,250,caf\xe9\n".encode("latin-1"))
    with pytest.raises(ImportRejected, match="not UTF-8"):
        do_import(store, path)
    store.connection.close()


def test_a_failure_while_writing_rolls_everything_back(filled: SqliteStore, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = export_zip(filled.connection, Settings(), tmp_path / "one.zip").path
    target = fresh_store(tmp_path / "b")
    # A trigger makes the last table's insert fail after the others went in.
    target.connection.execute(
        "CREATE TRIGGER no_reminders BEFORE INSERT ON reminder_events"
        " BEGIN SELECT RAISE(ABORT, 'disk trouble'); END")
    with pytest.raises(sqlite3.DatabaseError):
        do_import(target, path)
    assert target.count_entries() == 0 and count(target, "twitches") == 0
    target.connection.close()


def test_columns_are_pinned() -> None:
    assert COLUMNS["entries.csv"] == ("timestamp", "habit", "amount", "note", "detail")
    assert COLUMNS["twitches.csv"] == ("timestamp", "area", "side", "intensity", "note")
    assert COLUMNS["twitch_ratings.csv"] == ("day", "rating", "areas")


@pytest.mark.slow
def test_five_years_round_trip_byte_identical(tmp_path: Path) -> None:
    from tests.bench.datagen import generate

    source = fresh_store(tmp_path / "a")
    generate(source.connection, NOW.date(), LONDON)
    path = export_zip(source.connection, Settings(), tmp_path / "five.zip").path
    target = fresh_store(tmp_path / "b")
    assert do_import(target, path).total_added > 50_000  # far below every import limit
    again = export_zip(target.connection, Settings(), tmp_path / "again.zip").path
    assert read_zip(again) == read_zip(path)
    source.connection.close()
    target.connection.close()


# -- the user's own habits: habit_definitions.csv (issue 10) ----------------------------------


DEFINITIONS = "key,name,unit,kind,direction,target,target_max,quick,archived,position\r\n"


def with_own_habits(tracker: Tracker) -> None:
    tracker.add_habit(user_habit("Alcohol", "drinks", Kind.COUNT, Direction.AT_MOST, 2,
                                 quick=[1, 2]))
    tracker.add_habit(user_habit("Screen time", "hours", Kind.DURATION, Direction.RANGE, 0, 3))
    tracker.add_habit(user_habit("Ate late", "times", Kind.COUNT, Direction.NONE))
    tracker.log("alcohol", 2, at=datetime(2026, 3, 9, 20, 0, tzinfo=LONDON))
    tracker.log("screen_time", 2.5, at=datetime(2026, 3, 9, 21, 0, tzinfo=LONDON))
    tracker.set_target("alcohol", 1)
    tracker.archive_habit("ate_late")


def test_user_habits_round_trip_with_entries_targets_and_archive(
        tmp_path: Path, clock: FakeClock) -> None:
    tracker, store, _db = make_tracker(tmp_path / "a", clock)
    with_own_habits(tracker)
    path = tmp_path / "out.zip"
    summary = export_zip(store.connection, Settings(), path)
    files = read_zip(path)
    assert files["habit_definitions.csv"] == DEFINITIONS + (
        "alcohol,Alcohol,drinks,count,at_most,2,,1;2,0,0\r\n"
        "screen_time,Screen time,hours,duration,range,0,3,,0,1\r\n"
        "ate_late,Ate late,times,count,none,,,,1,2\r\n")
    assert summary.rows["habit_definitions.csv"] == 3
    other, other_store, _other_db = make_tracker(tmp_path / "b", clock)
    result = do_import(other_store, path)
    assert result.added["habit_definitions.csv"] == 3
    assert other.habits.user == tracker.habits.user
    assert other.enabled_habits() == tracker.enabled_habits()
    assert other.summary(date(2026, 3, 9)).get("alcohol").total == 2  # type: ignore[union-attr]
    assert other.targets()["alcohol"].value == 1  # the changed target came too
    assert other.targets(date(2026, 3, 9))["alcohol"].value == 2
    again = do_import(other_store, path)  # twice: nothing changes
    assert again.total_added == 0 and again.skipped["habit_definitions.csv"] == 3
    assert len(other.habits.user) == 3


def test_a_definition_the_database_has_in_another_kind_is_refused(
        tmp_path: Path, clock: FakeClock) -> None:
    tracker, store, _db = make_tracker(tmp_path / "a", clock)
    tracker.add_habit(user_habit("Alcohol", "ml", Kind.AMOUNT, Direction.NONE))
    path = make_zip(tmp_path / "in.zip", {
        "habit_definitions.csv": DEFINITIONS + "alcohol,Alcohol,drinks,count,none,,,,0,0\r\n",
        "entries.csv": "timestamp,habit,amount\r\n2026-03-09T20:00:00+00:00,alcohol,2\r\n"})
    before = count(store, "entries")
    with pytest.raises(ImportRejected, match=r"habit_definitions\.csv, line 2: habit "
                                             r"'alcohol' is kept as amount in ml here, "
                                             r"but as count in drinks"):
        do_import(store, path)
    assert count(store, "entries") == before
    assert tracker.habits.get("alcohol").unit == "ml"


def test_a_same_kind_definition_is_skipped_keeping_the_databases(
        tmp_path: Path, clock: FakeClock) -> None:
    tracker, store, _db = make_tracker(tmp_path / "a", clock)
    tracker.add_habit(user_habit("Alcohol", "drinks", Kind.COUNT, Direction.AT_MOST, 2))
    path = make_zip(tmp_path / "in.zip", {
        "habit_definitions.csv": DEFINITIONS + "alcohol,Booze,drinks,count,none,,,,0,0\r\n",
        "entries.csv": "timestamp,habit,amount\r\n2026-03-09T20:00:00+00:00,alcohol,2\r\n"})
    result = do_import(store, path)
    assert (result.added["habit_definitions.csv"], result.added["entries.csv"]) == (0, 1)
    assert tracker.habits.get("alcohol").label == "Alcohol"


def test_entries_of_an_undefined_habit_are_still_refused(tmp_path: Path) -> None:
    store = fresh_store(tmp_path / "a")
    path = make_zip(tmp_path / "in.zip", {
        "entries.csv": "timestamp,habit,amount\r\n2026-03-09T20:00:00+00:00,alcohol,2\r\n"})
    with pytest.raises(ImportRejected, match=r"entries\.csv, line 2: unknown habit 'alcohol'"):
        do_import(store, path)


def test_a_hand_made_definition_file_needs_only_key_name_unit_kind_direction(
        tmp_path: Path) -> None:
    store = fresh_store(tmp_path / "a")
    path = make_zip(tmp_path / "in.zip", {
        "habit_definitions.csv": "key,name,unit,kind,direction\r\ntea,Tea,cups,count,none\r\n",
        "entries.csv": "timestamp,habit,amount\r\n2026-03-09T20:00:00+00:00,tea,2\r\n"})
    result = do_import(store, path)
    assert result.added["habit_definitions.csv"] == 1 and result.added["entries.csv"] == 1
    assert [h.key for h in store.habit_definitions()] == ["tea"]


@pytest.mark.parametrize(("row", "problem"), [
    ("water,Water,ml,amount,none,,,,0,0", "one of Quell's own habits"),
    ("tea,Tea,furlongs,count,none,,,,0,0", "Unknown unit 'furlongs'"),
    ("tea,Tea,cups,weight,none,,,,0,0", "kind must be one of"),
    ("tea,Tea,cups,count,upward,,,,0,0", "direction must be one of"),
    ("tea,Tea,cups,count,at_most,,,,0,0", "needs a target"),
    ("tea,Tea,cups,count,at_most,x,,,0,0", "target 'x' is not a number"),
    ("tea,Tea,cups,count,range,5,1,,0,0", "low end"),
    ("tea,Tea,cups,count,none,,,1.5,0,0", "quick amount 1.5"),
    ("tea,Tea,cups,count,none,,,1;2;3;4;5,0,0", "at most 4 quick"),
    ("tea,Tea,cups,count,none,,," + ";".join(["1"] * 17) + ",0,0", "more than 16"),
    ("tea,Tea,cups,count,none,,,,maybe,0", "archived must be 1 or 0"),
    ("tea,Tea,cups,count,none,,,,0,-1", "position must be a whole number"),
    ("tea,Tea,cups,count,none,,,,0,1e9", "position must be a whole number"),
    ("Tea Pot,Tea,cups,count,none,,,,0,0", "is not a habit key"),
    ("t" * 61 + ",Tea,cups,count,none,,,,0,0", "is not a habit key"),
    ("tea," + "x" * 41 + ",cups,count,none,,,,0,0", "at most 40 characters"),
    ("tea,,cups,count,none,,,,0,0", "needs a name"),
])
def test_a_bad_definition_imports_nothing_naming_file_and_line(
        tmp_path: Path, row: str, problem: str) -> None:
    store = fresh_store(tmp_path / "a")
    path = make_zip(tmp_path / "in.zip", {
        "habit_definitions.csv": DEFINITIONS + row + "\r\n",
        "entries.csv": "timestamp,habit,amount\r\n2026-03-09T20:00:00+00:00,water,250\r\n"})
    with pytest.raises(ImportRejected, match=r"habit_definitions\.csv, line 2: ") as raised:
        do_import(store, path)
    assert problem in str(raised.value)
    assert count(store, "entries") == 0 and store.habit_definitions() == []


def test_twice_the_same_key_or_name_in_one_file_is_refused(tmp_path: Path) -> None:
    store = fresh_store(tmp_path / "a")
    for second, problem in (("tea,Green tea,cups,count,none", "defined twice"),
                            ("tea2,tea,cups,count,none", "already have a habit named 'Tea'")):
        path = make_zip(tmp_path / "in.zip", {
            "habit_definitions.csv": "key,name,unit,kind,direction\r\ntea,Tea,cups,count,none"
                                     f"\r\n{second}\r\n",
            "entries.csv": "timestamp,habit,amount\r\n"})
        with pytest.raises(ImportRejected, match=rf"line 3: .*{problem}"):
            do_import(store, path)
    assert store.habit_definitions() == []


def test_the_number_of_definitions_is_bounded(tmp_path: Path) -> None:
    store = fresh_store(tmp_path / "a")
    rows = "".join(f"h{i},Habit {i},cups,count,none\r\n" for i in range(201))
    path = make_zip(tmp_path / "in.zip", {
        "habit_definitions.csv": "key,name,unit,kind,direction\r\n" + rows,
        "entries.csv": "timestamp,habit,amount\r\n"})
    with pytest.raises(ImportRejected, match=r"line 202: more than 200 habits"):
        do_import(store, path)
    assert store.habit_definitions() == []


def test_a_target_row_of_a_user_habit_is_checked_by_its_definition(tmp_path: Path) -> None:
    store = fresh_store(tmp_path / "a")
    habits = ("habit,enabled,effective_from,target,target_max\r\n"
              "tea,1,2026-03-01,-1,\r\n")
    path = make_zip(tmp_path / "in.zip", {
        "habit_definitions.csv": "key,name,unit,kind,direction,target\r\n"
                                 "tea,Tea,cups,count,at_most,3\r\n",
        "entries.csv": "timestamp,habit,amount\r\n", "habits.csv": habits})
    with pytest.raises(ImportRejected, match=r"habits\.csv, line 2: The target must be"):
        do_import(store, path)
