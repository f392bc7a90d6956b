"""A real Quell running in its own process (offscreen, a private QUELL_HOME), written to through
its command socket the way `quell log` does, with its CPU and memory read from /proc.

Used by bench_write_cost.py, bench_soak.py and tests/app/test_soak.py. Linux only (/proc).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from quell.app import ipc  # noqa: E402  (after the path is set)
from quell.files import Paths  # noqa: E402

_TICK = os.sysconf("SC_CLK_TCK")
# A full day, spread over the habits logged with one click. Caffeine stays at a real day's
# handful: the caffeine model adds up what is left of each drink, so its cost follows the
# drinks by design (six drinks are six terms, whether the day holds 10 entries or 3,000).
_SEED_HABITS = (("water", 250.0), ("stretching", 1.0), ("minerals", 1.0), ("nicotine", 1.0),
                ("breathing", 1.0))
_SEED_DRINKS = 6


@dataclass(frozen=True)
class Sample:
    """The app's CPU seconds (user + system) and resident memory (MB) at one moment."""

    cpu_seconds: float
    rss_mb: float


class RunningApp:
    """One Quell process; :meth:`write` logs a glass of water through the socket."""

    def __init__(self, proc: subprocess.Popen[str], paths: Paths) -> None:
        self.proc = proc
        self.paths = paths

    def write(self, habit: str = "water", amount: str = "250", at: str | None = None
              ) -> dict[str, Any]:
        # The same request `quell log water 250 [--at AT]` sends, with a fresh request id.
        request = {"op": "log", "habit": habit, "amount": amount, "at": at, "note": "",
                   "drink": None, "bed": None, "wake": None, "intensity": None,
                   "id": ipc.new_request_id()}
        reply = ipc.send(self.paths, request, timeout=30)
        if reply is None or not reply.get("ok"):
            raise RuntimeError(f"write refused: {reply!r}")
        return reply

    def sample(self) -> Sample:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime
        rss = 0.0
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
        return Sample(cpu, rss)


def seed_today(home: Path, count: int, history_days: int = 0) -> None:
    """Put *count* entries on today's Quell day (and *history_days* of generated history
    before it), written before the app starts."""
    from quell.app.clock import SystemClock
    from quell.app.context import open_context
    from quell.storage.database import transaction

    os.environ["QUELL_HOME"] = str(home)
    context = open_context(SystemClock(), Paths.for_user())
    try:
        if history_days:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from datagen import generate

            generate(context.store.connection, context.tracker.current_day(),
                     context.tracker.clock.tz, days=history_days)
        now = context.tracker.clock.now()
        day = context.tracker.current_day().isoformat()
        # In the last half hour, a few a second, never in the future.
        ts = int(now.timestamp()) - 60
        offset = int(now.utcoffset().total_seconds())  # type: ignore[union-attr]
        kinds = [("caffeine", 63.0) if n < min(_SEED_DRINKS, count // 100)
                 else _SEED_HABITS[n % len(_SEED_HABITS)] for n in range(count)]
        rows = [(habit, ts - n % 1800, offset, day, amount)
                for n, (habit, amount) in enumerate(kinds)]
        with transaction(context.store.connection) as db:
            db.executemany(
                "INSERT INTO entries (habit, ts, utc_offset, day, amount, note, detail, source,"
                " created) VALUES (?,?,?,?,?,'','{}','import',0)", rows)
    finally:
        context.close()


@contextmanager
def running_app(entries_today: int = 0, history_days: int = 0) -> Iterator[RunningApp]:
    """Start Quell on a fresh QUELL_HOME with *entries_today* entries today and *history_days*
    days of history before; stop it afterwards."""
    with tempfile.TemporaryDirectory(prefix="quell-bench-") as folder:
        home = Path(folder)
        old_home = os.environ.get("QUELL_HOME")
        seed_today(home, entries_today, history_days)
        env = {**os.environ, "QUELL_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
               "QUELL_REPORT_READY": "1", "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, "-m", "quell"], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            assert proc.stdout is not None
            for expected in ("quell-ready", "quell-reminders-ready"):
                line = proc.stdout.readline()
                if expected not in line:
                    raise RuntimeError(f"Quell did not report {expected}: {line!r}")
            app = RunningApp(proc, Paths.for_user())
            yield app
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
            if old_home is None:
                os.environ.pop("QUELL_HOME", None)
            else:
                os.environ["QUELL_HOME"] = old_home


def settle(seconds: float = 0.3) -> None:
    """Let the app finish what a burst of writes left it (repaints, deferred deletes)."""
    time.sleep(seconds)
