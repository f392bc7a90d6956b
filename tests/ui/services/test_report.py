"""Report collection (ui/services/report.py): a period's report gathered from the real stores,
the period's rules, and saving the laid-out bytes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from quell.core.errors import InputError
from quell.core.twitches import Twitch
from quell.storage.check_store import SqliteCheckStore
from quell.storage.database import StorageError
from quell.storage.twitch_store import SqliteTwitchStore
from quell.ui.services.report import MAX_REPORT_DAYS, check_period, collect_report, save_pdf
from tests.conftest import FakeClock
from tests.helpers import MemorySettings, make_tracker


def test_collect_report_reads_the_period_and_ends_it_today(tmp_path: Path,
                                                           clock: FakeClock) -> None:
    tracker, _store, database = make_tracker(tmp_path / "data", clock, MemorySettings())
    try:
        today = tracker.current_day()
        now = clock.now()
        tracker.log("water", 500, at=now - timedelta(days=1))
        tracker.log("caffeine", 400, at=now)
        twitches = SqliteTwitchStore(database.connection)
        twitches.add_twitch(Twitch("calf", now, today))
        twitches.add_twitch(Twitch("eyelid", now - timedelta(days=9), today - timedelta(days=9)))
        report = collect_report(tracker, twitches, SqliteCheckStore(database.connection),
                                today - timedelta(days=2), today + timedelta(days=5),
                                water_unit="fl_oz")
    finally:
        database.connection.close()
    assert (report.first_day, report.last_day) == (today - timedelta(days=2), today)
    assert report.made_at == now and report.water_unit == "fl_oz"
    assert [t.area for t in report.episodes] == ["calf"]  # the one 9 days ago is outside
    assert [p.habit.key for p in report.habits] == ["water", "caffeine"]
    assert report.habits[0].days_considered == 2


def test_period_rules(tmp_path: Path, clock: FakeClock) -> None:
    today = clock.now().date()
    assert check_period(today, today + timedelta(days=5), today) == (today, today)
    longest = today - timedelta(days=MAX_REPORT_DAYS - 1)
    assert check_period(longest, today, today) == (longest, today)
    with pytest.raises(InputError, match="before it starts"):
        check_period(today, today - timedelta(days=1), today)
    with pytest.raises(InputError, match="starts after today"):
        check_period(today + timedelta(days=1), today + timedelta(days=1), today)
    with pytest.raises(InputError, match=f"at most {MAX_REPORT_DAYS} days"):
        check_period(longest - timedelta(days=1), today, today)


def test_save_pdf_writes_privately_or_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    save_pdf(b"%PDF-1.4", path)
    assert path.read_bytes() == b"%PDF-1.4"
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(StorageError, match="is a folder"):
        save_pdf(b"%PDF", tmp_path)
    with pytest.raises(StorageError, match="does not exist"):
        save_pdf(b"%PDF", tmp_path / "missing" / "r.pdf")
