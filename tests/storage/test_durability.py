"""A writer killed with SIGKILL at any moment loses no committed entry and corrupts nothing."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent("""
    import sys
    from datetime import datetime, timezone
    sys.path.insert(0, sys.argv[2])
    from quell.core.settings import Settings
    from quell.core.tracker import Tracker
    from quell.storage.database import open_database
    from quell.storage.store import SqliteStore

    class Clock:
        tz = timezone.utc
        def now(self):
            return datetime.now(timezone.utc)

    from pathlib import Path
    opened = open_database(Path(sys.argv[1]), datetime.now(timezone.utc).date())
    tracker = Tracker(SqliteStore(opened.connection), Clock(), Settings)
    while True:
        entry = tracker.log("water", 100).entry
        # Reported only after the commit returned: every id printed must survive.
        print(entry.id, flush=True)
""")


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_kill_minus_nine_loses_no_committed_entry(tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    data = tmp_path / "data"
    rng = random.Random(7)
    committed: set[int] = set()
    for _round in range(12):
        proc = subprocess.Popen([sys.executable, str(script), str(data), str(ROOT)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        first = proc.stdout.readline()  # wait until it is writing
        assert first.strip().isdigit(), first
        committed.add(int(first))
        time.sleep(rng.uniform(0.0, 0.15))
        os.kill(proc.pid, signal.SIGKILL)
        rest, _ = proc.communicate()
        committed.update(int(line) for line in rest.split() if line.strip().isdigit())

    db = sqlite3.connect(data / "quell.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {row[0] for row in db.execute("SELECT id FROM entries")}
    db.close()
    assert committed <= stored, f"lost {sorted(committed - stored)[:10]}"
    assert len(committed) > 12


OPENER = textwrap.dedent("""
    import sys
    from datetime import date
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from quell.storage.database import open_database
    print("starting", flush=True)
    open_database(Path(sys.argv[1]), date(2026, 3, 12)).connection.close()
    print("opened", flush=True)
""")


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_kill_minus_nine_during_a_recovery_never_leaves_the_user_without_their_data(
        tmp_path: Path) -> None:
    """Killed at any moment of restoring a damaged database, the next start still finds the
    damaged file (and recovers) or the restored one: never no file, never an empty database."""
    from datetime import date

    from quell.storage.database import backup_daily, open_database, transaction

    script = tmp_path / "opener.py"
    script.write_text(OPENER)
    rng = random.Random(5)

    def damaged_home(name: str) -> Path:
        data = tmp_path / name
        db = open_database(data, date(2026, 3, 10)).connection
        with transaction(db):
            for i in range(50):
                db.execute("INSERT INTO entries (habit, ts, utc_offset, day, amount, source, "
                           "created) VALUES ('water', ?, 0, '2026-03-10', 250, 'cli', 0)", (i,))
        backup_daily(db, data / "backups", date(2026, 3, 11))
        db.close()
        (data / "quell.db").write_bytes(b"damaged" * 2000)
        return data

    def start(data: Path) -> subprocess.Popen[str]:
        proc = subprocess.Popen([sys.executable, str(script), str(data), str(ROOT)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "starting"
        return proc

    # How long a whole recovery takes on this machine now, so the kills spread over it.
    began = time.monotonic()
    start(damaged_home("timing")).communicate()
    window = (time.monotonic() - began) * 1.2
    outcomes = {"damaged": 0, "restored": 0}
    for round_ in range(20):
        data = damaged_home(f"data{round_}")
        proc = start(data)
        time.sleep(rng.uniform(0.0, window))
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()

        assert (data / "quell.db").exists(), f"round {round_}: no database left"
        damaged = (data / "quell.db").read_bytes().startswith(b"damaged")
        outcomes["damaged" if damaged else "restored"] += 1
        reopened = open_database(data, date(2026, 3, 12))
        count = reopened.connection.execute("SELECT count(*) FROM entries").fetchone()[0]
        reopened.connection.close()
        assert count == 50, f"round {round_}: {count} entries after the restart"
        assert bool(reopened.notices) == damaged  # a restore is reported once, not twice
    assert outcomes["damaged"] and outcomes["restored"], outcomes
