"""Hostile and malformed import files: each ends with one clear line naming the file, the line
and the problem, imports nothing, and stays within seconds and megabytes."""

from __future__ import annotations

import io
import json
import os
import socket
import struct
import tempfile
import time
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quell.core.errors import InputError
from quell.core.settings import PAUSE_LONGEST, Settings, check_pause
from quell.storage.database import open_database
from quell.storage.export import build_export
from quell.storage.import_archive import LIMITS, ImportRejected, Limits
from quell.storage.importing import import_zip
from quell.storage.store import SqliteStore
from quell.storage.zip_format import escape_cell, unescape_cell
from tests.conftest import LONDON

NOW = datetime(2026, 3, 10, 14, 30, tzinfo=LONDON)
HEADER = "timestamp,habit,amount,note,detail\n"
GOOD = "2026-03-09T08:00:00+00:00,water,250,,\n"
TWITCH_HEADER = "timestamp,area,side,intensity,note\n"
# Bounds every hostile file must stay within (the import call alone, building excluded).
SECONDS = 3.0
PEAK_MB = 40


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    """A database that already holds one entry and one twitch, to see that none is added."""
    store = SqliteStore(open_database(tmp_path / "data", NOW.date()).connection)
    store.connection.execute(
        "INSERT INTO entries (habit, ts, utc_offset, day, amount, note, detail, source, created)"
        " VALUES ('water', 1773000000, 0, '2026-03-08', 250, '', '{}', 'cli', 0)")
    store.connection.execute(
        "INSERT INTO twitches (ts, utc_offset, day, area, side, intensity, note, source,"
        " created) VALUES (1773000000, 0, '2026-03-08', 'calf', '', 2, '', 'cli', 0)")
    yield store
    store.connection.close()


def rows(store: SqliteStore) -> tuple[int, ...]:
    db = store.connection
    return tuple(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in (
        "entries", "twitches", "symptom_checks", "reminder_events", "days_off", "targets"))


def zip_bytes(files: dict[str, str | bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we want
        with zipfile.ZipFile(buffer, "w", compression=method) as archive:
            for name, text in files.items():
                archive.writestr(name.split("#")[0], text)
    return buffer.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def central_header(data: bytes) -> int:
    return data.index(b"PK\x01\x02")


def patched(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, offset, value)
    return bytes(out)


def streamed_zip(path: Path, name: str, chunk: bytes, count: int, first: bytes = b"") -> Path:
    """A ZIP whose one member is *first* then *chunk* repeated *count* times, built without
    holding it in memory."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open(name, "w", force_zip64=False) as member:
        member.write(first)
        for _ in range(count):
            member.write(chunk)
    return path


# -- the corpus --------------------------------------------------------------------------

Build = Callable[[Path], Path]


@dataclass(frozen=True)
class Attack:
    name: str
    build: Build
    says: tuple[str, ...]              # all of these appear in the one line
    limits: Limits = LIMITS


def fifo(tmp: Path) -> Path:
    os.mkfifo(tmp / "pipe.zip")
    return tmp / "pipe.zip"


def symlink(target: Callable[[Path], Path]) -> Build:
    def build(tmp: Path) -> Path:
        link = tmp / "link.zip"
        link.symlink_to(target(tmp))
        return link
    return build


def unix_socket(tmp: Path) -> Path:
    short = Path(tempfile.mkdtemp(prefix="q"))  # socket paths must be short
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(short / "s.zip"))
    sock.close()
    return short / "s.zip"


def sparse(size: int) -> Build:
    def build(tmp: Path) -> Path:
        with open(tmp / "huge.zip", "wb") as handle:
            handle.truncate(size)
        return tmp / "huge.zip"
    return build


def many_members(count: int) -> Build:
    def build(tmp: Path) -> Path:
        return write(tmp / "many.zip", zip_bytes(
            {"entries.csv": HEADER, **{f"x{i}.txt": "" for i in range(count)}},
            method=zipfile.ZIP_STORED))
    return build


def lying_directory_count(tmp: Path) -> Path:
    # 12,000 members, but the end record claims 3: the table of contents is still huge.
    data = zip_bytes({"entries.csv": HEADER,
                      **{f"{'n' * 80}{i}.txt": "" for i in range(12_000)}},
                     method=zipfile.ZIP_STORED)
    end = data.rindex(b"PK\x05\x06")
    data = patched(data, end + 8, "<H", 3)
    return write(tmp / "toc.zip", patched(data, end + 10, "<H", 3))


def zip64_locator(tmp: Path) -> Path:
    data = zip_bytes({"entries.csv": HEADER + GOOD})
    end = data.rindex(b"PK\x05\x06")
    locator = b"PK\x06\x07" + struct.pack("<LQL", 0, 0, 1)
    return write(tmp / "z64.zip", data[:end] + locator + data[end:])


def lying_size(tmp: Path) -> Path:
    # The central directory says 10 bytes; the data is longer (its CRC no longer matches).
    data = zip_bytes({"entries.csv": HEADER + GOOD * 100})
    return write(tmp / "lie.zip", patched(data, central_header(data) + 24, "<L", 10))


def encrypted(tmp: Path) -> Path:
    data = zip_bytes({"entries.csv": HEADER + GOOD})
    return write(tmp / "enc.zip", patched(data, central_header(data) + 8, "<H", 0x1))


def unknown_method(tmp: Path) -> Path:
    data = zip_bytes({"entries.csv": HEADER + GOOD})
    data = patched(data, 8, "<H", 99)
    return write(tmp / "aes.zip", patched(data, central_header(data) + 10, "<H", 99))


def damaged_data(tmp: Path) -> Path:
    data = bytearray(zip_bytes({"entries.csv": HEADER + GOOD * 50}))
    start = 30 + len("entries.csv")
    data[start + 2:start + 12] = b"\xff" * 10
    return write(tmp / "damaged.zip", bytes(data))


def truncated(tmp: Path) -> Path:
    data = zip_bytes({"entries.csv": HEADER + GOOD * 50})
    return write(tmp / "cut.zip", data[:len(data) // 2])


def members(name: str, files: dict[str, str | bytes]) -> Build:
    return lambda tmp: write(tmp / name, zip_bytes(files))


def entries(*lines: str, name: str = "in.zip", header: str = HEADER) -> Build:
    return members(name, {"entries.csv": header + "".join(line + "\n" for line in lines)})


def raw_entries(data: bytes) -> Build:
    return members("in.zip", {"entries.csv": data})


def with_settings(text: str | bytes) -> Build:
    return members("in.zip", {"entries.csv": HEADER + GOOD, "settings.json": text})


DEFINITIONS_HEADER = "key,name,unit,kind,direction\n"

ATTACKS = [
    # Not a regular file: refused before anything is read (no hang, no endless read).
    Attack("fifo", fifo, ("pipe.zip", "not a regular file")),
    Attack("directory", lambda tmp: tmp, ("is a folder",)),
    Attack("dev-zero", lambda tmp: Path("/dev/zero"), ("/dev/zero", "not a regular file")),
    Attack("symlink-to-fifo", symlink(fifo), ("link.zip", "not a regular file")),
    Attack("symlink-to-dev-zero", symlink(lambda tmp: Path("/dev/zero")),
           ("link.zip", "not a regular file")),
    Attack("unix-socket", unix_socket, ("s.zip", "not a regular file")),
    Attack("missing", lambda tmp: tmp / "gone.zip", ("gone.zip", "does not exist")),
    Attack("file-too-large", sparse(65 * 1024 * 1024), ("huge.zip", "larger than 64 MB")),
    Attack("name-too-long", lambda tmp: tmp / ("x" * 300 + ".zip"), ("cannot open",)),
    # ZIP structure.
    Attack("not-a-zip", lambda tmp: write(tmp / "text.zip", b"timestamp,habit\n"),
           ("text.zip", "not a ZIP file")),
    Attack("empty-file", lambda tmp: write(tmp / "empty.zip", b""),
           ("empty.zip", "not a ZIP file")),
    Attack("truncated-zip", truncated, ("cut.zip", "not a ZIP file")),
    Attack("many-members", many_members(5000), ("many.zip", "holds 5,001 files")),
    Attack("lying-member-count", lying_directory_count, ("toc.zip", "table of contents")),
    Attack("zip64", zip64_locator, ("z64.zip", "ZIP64")),
    Attack("duplicate-member", members("dup.zip", {"entries.csv#1": HEADER + GOOD,
                                                   "entries.csv#2": HEADER + GOOD}),
           ("dup.zip", "holds 'entries.csv' twice")),
    Attack("two-copies-in-folders", members("two.zip", {"entries.csv": HEADER,
                                                        "old/entries.csv": HEADER + GOOD}),
           ("two.zip", "two copies of entries.csv")),
    Attack("path-traversal", members("trav.zip", {"../entries.csv": HEADER + GOOD}),
           ("trav.zip", "'../entries.csv'", "outside the ZIP")),
    Attack("absolute-member", members("abs.zip", {"/etc/entries.csv": HEADER + GOOD}),
           ("abs.zip", "outside the ZIP")),
    Attack("backslash-member", members("bs.zip", {"..\\entries.csv": HEADER + GOOD}),
           ("bs.zip", "outside the ZIP")),
    Attack("encrypted-member", encrypted, ("entries.csv", "encrypted")),
    Attack("unknown-compression", unknown_method, ("entries.csv", "cannot be read")),
    Attack("damaged-deflate", damaged_data, ("entries.csv", "cannot be read")),
    Attack("lying-header-size", lying_size, ("entries.csv", "cannot be read")),
    # Bombs: small files that expand hugely stop at the first limit they reach.
    Attack("bomb-of-zeros", lambda tmp: streamed_zip(tmp / "b.zip", "entries.csv",
                                                     b"\0" * 1024 * 1024, 300),
           ("entries.csv, line 1", "longer than 64 KB")),
    Attack("bomb-of-blank-lines", lambda tmp: streamed_zip(tmp / "b.zip", "entries.csv",
                                                           b"\n" * 1024 * 1024, 300,
                                                           HEADER.encode()),
           ("entries.csv, line 10002", "more than 10,000 blank lines")),
    Attack("bomb-of-quoted-lines", lambda tmp: streamed_zip(
        tmp / "b.zip", "entries.csv", b"\n" * 1024 * 1024, 300, HEADER.encode() + b'"'),
           ("entries.csv", "more than 1,000 lines"), Limits(lines=1000)),
    Attack("bomb-of-text", lambda tmp: streamed_zip(tmp / "b.zip", "entries.csv",
                                                    (b"x" * 1000 + b"\n") * 1000, 200,
                                                    HEADER.encode()),
           ("entries.csv", "more than 1 MB of text"), Limits(member_bytes=1024 * 1024)),
    Attack("bomb-across-members", members("b.zip", {
        "entries.csv": HEADER + GOOD * 10, "twitches.csv": TWITCH_HEADER
        + ("x" * 1000 + "\n") * 1100}),
           ("the files in the ZIP hold more than 1 MB",), Limits(total_bytes=1024 * 1024)),
    Attack("too-many-rows", entries(*[GOOD.strip()] * 1001),
           ("entries.csv, line 1002", "more than 1,000 rows"), Limits(rows=1000)),
    Attack("too-slow", entries(*[GOOD.strip()] * 10),
           ("checking took longer than 0 seconds",), Limits(seconds=0.0)),
    # Text.
    Attack("not-utf8", raw_entries(HEADER.encode() + "2026-03-09T08:00:00+00:00,water,250,"
                                   "café,\n".encode("latin-1")),
           ("entries.csv, line 2", "not UTF-8")),
    Attack("utf16-bom", raw_entries((HEADER + GOOD).encode("utf-16")),
           ("entries.csv", "UTF-16")),
    Attack("nul-byte", raw_entries((HEADER + "2026-03-09T08:00:00+00:00,water,250,a\0b,\n"
                                    ).encode()), ("entries.csv, line 2", "NUL")),
    Attack("huge-line", entries("2026-03-09T08:00:00+00:00,water,250," + "n" * 70_000 + ","),
           ("entries.csv, line 2", "longer than 64 KB")),
    Attack("unterminated-quote", entries('2026-03-09T08:00:00+00:00,water,250,"open,'),
           ("entries.csv, line 2", "not valid CSV")),
    Attack("wrong-header", entries(GOOD.strip(), header="time,habit,amount\n"),
           ("entries.csv, line 1", "unknown column 'time'")),
    Attack("missing-column", entries("2026-03-09T08:00:00+00:00,250", header="timestamp,amount\n"),
           ("entries.csv, line 1", "missing column 'habit'")),
    Attack("header-only-bom-twice", raw_entries(b"\xef\xbb\xbf\xef\xbb\xbf" + HEADER.encode()),
           ("entries.csv, line 1", "unknown column")),
    Attack("note-too-long", entries("2026-03-09T08:00:00+00:00,water,250," + "n" * 600 + ","),
           ("entries.csv, line 2", "longer than 500 characters")),
    # Times.
    Attack("year-9999", entries("9999-12-31T23:59:00-12:00,water,250,,"),
           ("entries.csv, line 2", "in the future")),
    Attack("year-1-east", entries("0001-01-01T00:00:00+14:00,water,250,,"),
           ("entries.csv, line 2", "before 1970")),
    Attack("year-1-naive", entries("0001-01-01T00:00:00,water,250,,"),
           ("entries.csv, line 2", "before 1970")),
    Attack("year-9999-naive", entries("9999-12-31T23:59:59,water,250,,"),
           ("entries.csv, line 2", "in the future")),
    Attack("dst-gap", entries("2026-03-29T01:30:00,water,250,,"),
           ("entries.csv, line 2", "does not exist in your time zone")),
    Attack("offset-out-of-range", entries("2026-03-09T08:00:00+23:00,water,250,,"),
           ("entries.csv, line 2", "UTC offset outside")),
    Attack("not-a-time", entries("yesterday,water,250,,"),
           ("entries.csv, line 2", "not an ISO 8601 time")),
    # Amounts and habits.
    Attack("nan", entries("2026-03-09T08:00:00+00:00,water,nan,,"),
           ("entries.csv, line 2", "not a number")),
    Attack("inf", entries("2026-03-09T08:00:00+00:00,water,inf,,"),
           ("entries.csv, line 2", "not a number")),
    Attack("1e308", entries("2026-03-09T08:00:00+00:00,water,1e308,,"),
           ("entries.csv, line 2", "at most 5000")),
    Attack("1e999", entries("2026-03-09T08:00:00+00:00,water,1e999,,"),
           ("entries.csv, line 2", "not a number")),
    Attack("negative", entries("2026-03-09T08:00:00+00:00,water,-250,,"),
           ("entries.csv, line 2", "not -250")),
    Attack("unknown-habit", entries("2026-03-09T08:00:00+00:00,kombucha,1,,"),
           ("entries.csv, line 2", "unknown habit 'kombucha'")),
    # JSON cells.
    Attack("bad-json-detail", entries('2026-03-09T08:00:00+00:00,water,250,,"{oops"'),
           ("entries.csv, line 2", "detail is not valid JSON")),
    Attack("deep-json-detail", entries("2026-03-09T08:00:00+00:00,water,250,," + "[" * 5000),
           ("entries.csv, line 2", "nested more than 8 levels")),
    Attack("deep-json-object", entries('2026-03-09T08:00:00+00:00,water,250,,"'
                                       + '{""a"":' * 1000 + '1' + '}' * 1000 + '"'),
           ("entries.csv, line 2", "nested more than 8 levels")),
    Attack("huge-json-detail", entries('2026-03-09T08:00:00+00:00,water,250,,"{""a"":""'
                                       + "x" * 20_000 + '""}"'),
           ("entries.csv, line 2", "detail is longer than 16 KB")),
    Attack("deep-json-answers", members("in.zip", {
        "entries.csv": HEADER, "symptom_checks.csv":
            "timestamp,level,reasons,answers,app_version\n"
            "2026-03-09T08:00:00+00:00,self_care,[]," + "[" * 3000 + ",0.1\n"}),
           ("symptom_checks.csv, line 2", "answers is nested")),
    # The user's own habits (habit_definitions.csv): every cell bounded, every row checked.
    Attack("definitions-flood", members("in.zip", {
        "entries.csv": HEADER, "habit_definitions.csv": DEFINITIONS_HEADER + "".join(
            f"h{i},Habit {i},cups,count,none\n" for i in range(5000))}),
           ("habit_definitions.csv, line 202", "more than 200 habits")),
    Attack("definition-huge-name", members("in.zip", {
        "entries.csv": HEADER, "habit_definitions.csv": DEFINITIONS_HEADER
        + "tea," + "x" * 60_000 + ",cups,count,none\n"}),
           ("habit_definitions.csv, line 2", "at most 40 characters")),
    Attack("definition-huge-key", members("in.zip", {
        "entries.csv": HEADER, "habit_definitions.csv": DEFINITIONS_HEADER
        + "t" * 60_000 + ",Tea,cups,count,none\n"}),
           ("habit_definitions.csv, line 2", "is not a habit key")),
    Attack("definition-many-quick", members("in.zip", {
        "entries.csv": HEADER, "habit_definitions.csv": DEFINITIONS_HEADER[:-1]
        + ",quick\ntea,Tea,cups,count,none," + ";".join(["1"] * 20_000) + "\n"}),
           ("habit_definitions.csv, line 2", "more than 16 amounts")),
    Attack("definition-builtin-key", members("in.zip", {
        "entries.csv": HEADER, "habit_definitions.csv": DEFINITIONS_HEADER
        + "water,Water,ml,amount,none\n"}),
           ("habit_definitions.csv, line 2", "one of Quell's own habits")),
    Attack("definition-control-name", members("in.zip", {
        "entries.csv": HEADER, "habit_definitions.csv": DEFINITIONS_HEADER
        + "tea,\x1b[2J,cups,count,none\n"}),
           ("habit_definitions.csv, line 2", "cannot hold control characters")),
    # settings.json that cannot be read at all.
    Attack("settings-deep", with_settings("[" * 30_000), ("settings.json", "nested too deeply")),
    Attack("settings-not-json", with_settings("{version: 1"), ("settings.json", "not valid JSON")),
    Attack("settings-not-utf8", with_settings(b'{"locale": "\xff"}'),
           ("settings.json", "not UTF-8")),
    Attack("settings-not-object", with_settings("[1, 2]"), ("settings.json", "not a JSON object")),
]


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_a_hostile_file_imports_nothing_in_bounded_time_and_memory(
        attack: Attack, store: SqliteStore, tmp_path: Path) -> None:
    path = attack.build(tmp_path)
    before = rows(store)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InputError) as caught:
            import_zip(store, path, tz=LONDON, now=NOW, day_start_hour=4,
                       limits=attack.limits)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    for part in attack.says:
        assert part in message, message
    if isinstance(caught.value, ImportRejected):
        assert message.endswith("nothing was imported)"), message
    assert rows(store) == before
    assert elapsed < SECONDS, f"{elapsed:.1f} s"
    assert peak < PEAK_MB * 1024 * 1024, f"{peak / 1e6:.0f} MB"


def test_the_corpus_is_large() -> None:
    assert len(ATTACKS) >= 39


def test_the_default_limits_are_far_above_five_years_of_use() -> None:
    # Five years from tests/bench/datagen.py: 52,000 rows, 2.7 MB of CSV in a 0.3 MB ZIP.
    assert LIMITS.rows >= 9 * 52_000
    assert LIMITS.lines >= 2 * LIMITS.rows
    assert LIMITS.total_bytes >= 90 * 2_700_000 and LIMITS.file_bytes >= 200 * 300_000
    assert LIMITS.members >= 10 * 7


# -- what is accepted, but cleaned --------------------------------------------------------


def test_control_characters_in_notes_are_dropped(store: SqliteStore, tmp_path: Path) -> None:
    path = members("in.zip", {
        "entries.csv": HEADER + '2026-03-09T08:00:00+00:00,water,250,"a\x1b[31mred\x07\r\nb",\n',
        "twitches.csv": TWITCH_HEADER + "2026-03-09T08:00:00+00:00,calf,,2,\u202egnp.exe\n"})(
        tmp_path)
    result = import_zip(store, path, tz=LONDON, now=NOW, day_start_hour=4)
    assert result.added["entries.csv"] == 1 and result.added["twitches.csv"] == 1
    notes = [row[0] for row in store.connection.execute(
        "SELECT note FROM entries WHERE source = 'import' UNION ALL "
        "SELECT note FROM twitches WHERE source = 'import'")]
    assert notes == ["a[31mred b", "gnp.exe"]


def test_an_old_note_with_a_newline_matches_its_own_export(store: SqliteStore,
                                                          tmp_path: Path) -> None:
    store.connection.execute("UPDATE entries SET note = 'two\nlines'")
    data, _counts = build_export(store.connection, Settings())
    path = write(tmp_path / "own.zip", data)
    result = import_zip(store, path, tz=LONDON, now=NOW, day_start_hour=4)
    assert result.total_added == 0


def test_a_utf8_bom_and_a_naive_time_outside_a_gap_are_fine(store: SqliteStore,
                                                            tmp_path: Path) -> None:
    path = raw_entries(b"\xef\xbb\xbf" + HEADER.encode()
                       + b"2026-10-25T01:30:00,water,250,,\n")(tmp_path)  # ambiguous: first
    result = import_zip(store, path, tz=LONDON, now=NOW + timedelta(days=300),
                        day_start_hour=4)
    assert result.added["entries.csv"] == 1
    assert store.connection.execute(
        "SELECT utc_offset FROM entries WHERE source = 'import'").fetchone()[0] == 3600


# -- settings.json with hostile values: each ignored, the rest imported ------------------


@pytest.mark.parametrize(("key", "value"), [
    ("paused_until", "9999-12-31T23:59:59-12:00"),
    ("paused_until", "2026-06-01T00:00:00+00:00"),       # months ahead: not a pause
    ("paused_until", "2026-03-10T12:00:00"),             # no offset
    ("paused_until", 12),
    ("day_start_hour", 99),
    ("day_start_hour", True),
    ("water_unit", "gallon"),
    ("bedtime", "23:00+05:00"),
    ("bedtime", "23:00:30"),
    ("locale", "\x1b]0;owned\x07"),
    ("locale", "x" * 50_000),
    ("wake_time", ["07:00"]),
])
def test_hostile_settings_values_are_ignored(store: SqliteStore, tmp_path: Path,
                                             caplog: pytest.LogCaptureFixture,
                                             key: str, value: object) -> None:
    path = with_settings(json.dumps({"version": 1, key: value, "water_unit": "fl oz"}
                                    if key != "water_unit" else {key: value}))(tmp_path)
    result = import_zip(store, path, tz=LONDON, now=NOW, day_start_hour=4)
    assert result.settings is not None
    assert getattr(result.settings, key) == getattr(Settings(), key)
    result.settings.validate()
    assert all(len(record.getMessage()) < 300 for record in caplog.records)


@pytest.mark.parametrize("reminders", [
    {"water_every_minutes": 1},
    {"breathe_times": ["13:00"] * 100},
    {"water_days": list(range(1000))},
    {"caffeine_half_life_hours": 1e308},
    {"water_from": "08:00+14:00"},
    {"style": "<script>"},
])
def test_hostile_reminder_settings_fall_back(reminders: dict[str, object]) -> None:
    settings, problems = Settings.from_dict({"reminders": reminders})
    assert settings.reminders == Settings().reminders and problems


def test_a_pause_from_the_file_that_ends_soon_is_kept(store: SqliteStore,
                                                     tmp_path: Path) -> None:
    until = (NOW + timedelta(hours=2)).isoformat()
    path = with_settings(json.dumps({"paused_until": until}))(tmp_path)
    result = import_zip(store, path, tz=LONDON, now=NOW, day_start_hour=4)
    assert result.settings is not None and result.settings.paused_until == NOW + timedelta(
        hours=2)


def test_a_stored_pause_far_away_is_harmless_when_loaded() -> None:
    # The settings file itself: a pause to the year 9999 is dropped, not kept to crash later.
    settings, problems = Settings.from_dict({"paused_until": "9999-12-31T23:59:59-12:00"})
    assert settings.paused_until is None and "paused_until" in problems[0]
    with pytest.raises(InputError, match="between the years 2000 and 2200"):
        Settings().replace(paused_until=datetime(9999, 12, 31, tzinfo=timezone.utc))
    # What is kept can be shown in the zones furthest east and west without overflow.
    kept, _problems = Settings.from_dict({"paused_until": "2199-12-31T12:00:00+00:00"})
    assert kept.paused_until is not None
    for hours in (-12, 14):
        kept.paused_until.astimezone(timezone(timedelta(hours=hours)))


def test_check_pause_allows_up_to_a_week() -> None:
    assert check_pause(NOW + PAUSE_LONGEST, NOW) == NOW + PAUSE_LONGEST
    assert check_pause(NOW - timedelta(days=400), NOW)  # over already: harmless
    with pytest.raises(InputError, match="at most 7 days"):
        check_pause(NOW + PAUSE_LONGEST + timedelta(minutes=2), NOW)
    with pytest.raises(InputError, match="at most 7 days"):
        check_pause(datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-12))), NOW)


# -- spreadsheet formulas ------------------------------------------------------------------


@given(st.text())
def test_cell_escaping_round_trips_and_defuses_formulas(cell: str) -> None:
    escaped = escape_cell(cell)
    assert unescape_cell(escaped) == cell
    assert escaped[:1] not in ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(("cell", "written"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("'=1", "''=1"), ("'plain", "'plain"), ("a=b", "a=b"), ("", ""),
])
def test_cells_that_look_like_formulas_get_one_apostrophe(cell: str, written: str) -> None:
    assert escape_cell(cell) == written
    assert unescape_cell(written) == cell
