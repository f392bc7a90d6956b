"""Fuzzing the command line in three time zones: exit 0, 1 or 2, one-line errors, no partial write.

Every command runs in this process through ``main`` with a fixed clock in the zone under test
(so the suite does not depend on the real date, hour or zone), at ordinary moments and at the
DST changes of each zone.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quell.app.main import main
from quell.core.habits import CAFFEINE_PRESETS, HABIT_KEYS
from quell.core.twitches import AREAS
from quell.files import Paths
from tests.conftest import FakeClock

ZONES = ["Pacific/Auckland", "America/Los_Angeles", "UTC"]

# Moments (UTC) the commands run at: ordinary afternoons, a small hour before the 04:00 day
# start, and either side of each zone's DST changes in 2026.
MOMENTS = [datetime(2026, 3, 10, 14, 30), datetime(2026, 7, 1, 2, 15),
           datetime(2026, 3, 8, 9, 59), datetime(2026, 3, 8, 10, 1),     # Los Angeles spring
           datetime(2026, 11, 1, 8, 30), datetime(2026, 11, 1, 9, 30),   # Los Angeles autumn
           datetime(2026, 4, 4, 13, 30), datetime(2026, 4, 4, 14, 30),   # Auckland autumn
           datetime(2026, 9, 26, 13, 59), datetime(2026, 9, 26, 14, 1),  # Auckland spring
           datetime(2026, 12, 31, 23, 59)]

CONTROL = "\x00\x07\x08\x0b\x0c\x0d\x1b\x7f\x85\x9b\u200e\u202e\u2066"

GARBAGE = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(CONTROL), max_size=12)

AMOUNTS = st.one_of(
    st.sampled_from(["250", "250ml", "250 ml", "8oz", "8 fl oz", "1.5l", "1,5l", ".5l",
                     "7h30m", "7.5h", "95mg", "45m", "45min", "1h", "3", "0", "-1", "", " ",
                     "1e400", "nan", "inf", "5001", "5000", "²", "٣٠٠", "9" * 500, "1h60m",
                     "0.0001", "\udcff"]),
    st.builds(lambda n, unit: f"{n:g}{unit}", st.floats(-10, 6000, allow_nan=False),
              st.sampled_from(["", "ml", "l", "oz", "mg", "h", "m", "min", "kg", " ml"])),
    GARBAGE,
)

WHENS = st.one_of(
    st.sampled_from([
        "9999-12-31T23:59-12:00", "0001-01-01T00:00+14:00", "0001-01-01T00:00",
        "9999-12-31T23:59:59.999999", "0001-01-01", "9999-12-31", "yesterday 02:30",
        "yesterday 23:59", "02:30", "01:30", "03:59", "04:00", "00:00", "23:59", "25:00",
        "2026-03-08T02:30", "2026-11-01T01:30", "2026-04-05T02:30", "2026-09-27T02:30",
        "2026-03-10T14:30Z", "2026-03-10T14:30+14:00", "2026-03-10T14:30-12:00", "", " ",
        "Z", "2026-13-01", "now", "yesterday", "2016-01-01T00:00", "2016-03-10T14:30Z",
    ]),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                 timezones=st.sampled_from([None, timezone.utc, ZoneInfo("Pacific/Kiritimati"),
                                            ZoneInfo("Etc/GMT+12")])
                 ).map(lambda d: d.isoformat()),
    GARBAGE,
)

NOTES = st.one_of(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(CONTROL),
                          max_size=40),
                  st.sampled_from(["\x1b[31mred\x1b[0m", "a\x00b", "\u202eevil", "x" * 501,
                                   " " * 600, "line\nbreak", "\udcff"]))

NAMES = st.one_of(st.sampled_from([*HABIT_KEYS, "Water", " water", "tea", "", "wat\x1ber"]),
                  GARBAGE)


def _option(flag: str, values: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return st.one_of(st.just([]), values.map(lambda v: [f"{flag}={v}"]))


LOG_ARGS = st.builds(
    # The amount last: after "--" (for "-5") every argument is positional.
    lambda name, amount, *options: ["log", name, *[a for o in options for a in o], *amount],
    NAMES, st.one_of(st.just([]), AMOUNTS.map(lambda a: ["--", a] if a.startswith("-") else [a])),
    _option("--at", WHENS), _option("--note", NOTES),
    _option("--drink", st.sampled_from([p.key for p in CAFFEINE_PRESETS] + ["latte", ""])),
    _option("--bed", st.sampled_from(["23:00", "01:30", "24:00", "7", ""])),
    _option("--wake", st.sampled_from(["07:00", "02:30", "23:00", "x", ""])),
)

TWITCH_ARGS = st.builds(
    lambda area, *options: ["twitch", area, *[a for o in options for a in o]],
    st.one_of(st.sampled_from([*AREAS, "Eyelid", "knee", ""]), GARBAGE),
    _option("--side", st.sampled_from(["left", "right", "both", "up"])),
    _option("--intensity", st.sampled_from(["1", "5", "0", "6", "3.0", "²", "", " 4 "])),
    _option("--at", WHENS), _option("--note", NOTES),
)

RATE_ARGS = st.builds(
    lambda rating, *options: ["rate", *[a for o in options for a in o], "--", rating],
    st.one_of(st.sampled_from(["0", "4", "5", "-1", "2.0", "²", "", " 3 ", "one"]), GARBAGE),
    _option("--day", st.one_of(st.sampled_from(["yesterday", "today", "2026-03-09", "9999-12-31",
                                                "0001-01-01", "2026-02-30", ""]), GARBAGE)),
    _option("--areas", st.one_of(st.sampled_from(["calf", "calf,eyelid", "knee", ",", ""]),
                                 GARBAGE)),
)

PAUSE_ARGS = st.one_of(
    st.sampled_from([["resume"], ["pause", "tomorrow"], ["pause", "1h30m"]]),
    st.one_of(st.sampled_from(["30m", "0m", "7d", "168h", "169h", "1h61m", "", "\x1b"]),
              GARBAGE).map(lambda d: ["pause", "--", d]),
)

HABIT_NAMES = st.one_of(st.sampled_from(["Alcohol", "alcohol", "Water", "Mg/K-rich food",
                                         "Ate late", "9 lives", "", " ", "x" * 41, "ﬃ" * 21,
                                         "Tea\x1b[2J", "Tea\u202e", "\udcff"]), GARBAGE)

HABIT_ARGS = st.one_of(
    st.builds(
        lambda name, unit, kind, *options: ["habit", "add", "--unit", unit, "--kind", kind,
                                            *[a for o in options for a in o], "--", name],
        HABIT_NAMES, st.sampled_from(["drinks", "ml", "hours", "minutes", "times", "rating",
                                      "furlongs", "", "\x1b"]),
        st.sampled_from(["amount", "count", "duration", "rating"]),
        st.one_of(st.just([]), st.builds(lambda flag, value: [f"{flag}={value}"],
                                         st.sampled_from(["--at-least", "--at-most"]),
                                         AMOUNTS),
                  st.builds(lambda a, b: ["--range", a, b],
                            st.sampled_from(["1", "0", "-1", "3", "x"]),
                            st.sampled_from(["2", "0", "1e400", "9"]))),
        st.lists(st.sampled_from(["1", "0.5", "0", "101", "x", "1e400"]), max_size=5).map(
            lambda quick: [f"--quick={q}" for q in quick]),
    ),
    st.builds(lambda key: ["habit", "archive", "--", key],
              st.one_of(st.sampled_from(["alcohol", "water", "tea", ""]), GARBAGE)),
)

COMMANDS = st.one_of(LOG_ARGS, TWITCH_ARGS, RATE_ARGS, PAUSE_ARGS, HABIT_ARGS)


def written(paths: Paths) -> tuple[object, ...]:
    """Everything a command may change: rows in each table written to, and the settings."""
    settings_file = paths.settings.read_bytes() if paths.settings.exists() else b""
    if not paths.database.exists():
        return (0, 0, 0, (), 0, 0, 0, settings_file)
    db = sqlite3.connect(f"file:{paths.database}?mode=ro", uri=True)
    try:
        counts = tuple(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                       for table in ("entries", "twitches", "handled_requests"))
        # A rating replaces the day's: its row's content, not just the count, is what changes.
        counts += (tuple(db.execute("SELECT day, rating, areas FROM twitch_ratings"
                                    " ORDER BY day")),)
        # The user's own habits, archived ones, and their targets (a new database has none).
        counts += tuple(db.execute(
            "SELECT count(*), total(archived), (SELECT count(*) FROM targets WHERE habit IN"
            " (SELECT key FROM habits WHERE name IS NOT NULL)) FROM habits"
            " WHERE name IS NOT NULL").fetchone())
    finally:
        db.close()
    return (*counts, settings_file)


def check(args: list[str], clock: FakeClock, capsys: pytest.CaptureFixture[str]) -> int:
    paths = Paths.for_user()
    before = written(paths)
    # As on a real terminal, where Python's stderr shows an undecodable argument (a lone
    # surrogate) as \udcff when argparse echoes it; pytest's capture would raise instead.
    sys.stderr.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    code = main(args, clock=clock)
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (args, code, err)
    assert "internal error" not in err and "Traceback" not in err, (args, err)
    assert "bug" not in err, (args, err)
    if code == 1:
        assert err.startswith("quell: ") and err.count("\n") == 1, (args, err)
        assert not any(ord(c) < 32 and c != "\n" for c in err), (args, err)
        assert out == "", (args, out)
    if code != 0:
        assert written(paths) == before, args
    elif args[0] in ("log", "twitch"):
        assert out.strip(), args
        assert written(paths)[:2] != before[:2], args
    elif args[0] == "rate":
        assert out.startswith("Rated "), (args, out)
        assert written(paths)[3] != before[3] or "replaces" in out, args
    elif args[:2] == ["habit", "add"]:
        assert out.startswith("Added "), (args, out)
        assert not any(ord(c) < 32 and c != "\n" for c in out), (args, out)
    return code


@pytest.mark.slow
@pytest.mark.parametrize("zone", ZONES)
def test_fuzzed_commands(zone: str, capsys: pytest.CaptureFixture[str]) -> None:
    codes: set[int] = set()

    @settings(max_examples=150, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(args=COMMANDS, moment=st.sampled_from(MOMENTS))
    def run(args: list[str], moment: datetime) -> None:
        clock = FakeClock(moment.replace(tzinfo=timezone.utc), ZoneInfo(zone))
        codes.add(check(args, clock, capsys))

    run()
    assert {0, 1} <= codes  # the fuzzing reached both stored and refused commands


KNOWN = [
    ["log", "water", "--at", "9999-12-31T23:59-12:00"],
    ["log", "water", "--at", "0001-01-01T00:00+14:00"],
    ["log", "water", "--at", "0001-01-01T00:00"],
    ["log", "sleep", "7", "--at", "0001-01-01T00:00+14:00"],
    ["log", "sleep", "--bed", "23:00", "--wake", "07:00", "--at", "0001-01-02T12:00"],
    ["twitch", "eyelid", "--at", "9999-12-31T23:59-12:00"],
    ["twitch", "eyelid", "--at", "0001-01-01T00:00+14:00"],
    ["twitch", "eyelid", "--intensity", "²"],
    ["log", "water", ""],
    ["log", "water", " "],
    ["log", "water", "--at", ""],
    ["log", "caffeine", "--drink", ""],
    ["log", "water", "--note", "\udcff"],
    ["log", "wa\x1b[2Jter"],
    ["pause", "\udcff"],
    ["log", "water", "\udcff"],
]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("args", KNOWN, ids=[" ".join(a) for a in KNOWN])
def test_cases_found_by_fuzzing_are_one_line_errors(
        zone: str, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    clock = FakeClock(datetime(2026, 3, 10, 14, 30, tzinfo=timezone.utc), ZoneInfo(zone))
    assert check(args, clock, capsys) == 1


@pytest.mark.parametrize("zone", ZONES)
def test_a_note_with_control_characters_is_stored_clean(
        zone: str, capsys: pytest.CaptureFixture[str], isolated_user_dirs: Path) -> None:
    clock = FakeClock(datetime(2026, 3, 10, 14, 30, tzinfo=timezone.utc), ZoneInfo(zone))
    note = "\x1b[31mred\x1b[0m\x07 and\r\nbold\x00\u202e"
    assert check(["log", "water", "--note", note], clock, capsys) == 0
    assert check(["twitch", "eyelid", "--note", note], clock, capsys) == 0
    db = sqlite3.connect(Paths.for_user().database)
    try:
        notes = [row[0] for row in db.execute("SELECT note FROM entries UNION ALL "
                                              "SELECT note FROM twitches")]
    finally:
        db.close()
    assert notes == ["[31mred[0m and bold"] * 2
