"""Soak: 10,000 writes through the command socket of a running Quell, CPU and memory sampled.

A real Quell (offscreen, so its Today window is open) gets `quell log water 250 --at ...`
requests one after another, as fast as it answers, each on one of the past year's days in turn.
Every write takes the whole path (socket, request record, tracker, every view and the
reminders re-reading the day), while the entries the app holds in memory stay bounded (the
tracker keeps a few days; today's list does not grow): memory that grows is a leak, not data.
With --today every write lands on today instead, so the list shown and the day held grow by
10,000 entries (about 1 KB each): that run shows the cost per write stays flat on a growing day.

Every 1,000 writes the app's CPU seconds and resident memory are read from /proc. Reported: CPU
per write in each block of 1,000 (first vs last), and RSS growth per 10,000 writes after a
warm-up of 1,000. Targets (the past-days run): CPU per write in the last block at most 1.25
times the first (flat within the noise of a shared machine); RSS growth at most 1 MB per 10,000
writes after the warm-up.
"""

from __future__ import annotations

import itertools
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from running_app import RunningApp, Sample, running_app, settle

WRITES = 10_000
BLOCK = 1_000
WARM_UP = 1_000
MAX_CPU_RATIO = 1.25
MAX_RSS_GROWTH_MB = 1.0


PAST_DAYS = 360
HISTORY_DAYS = 5 * 365


def past_days() -> list[str]:
    """Noon on each of the past year's days but the last two (which the app holds anyway)."""
    noon = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)
    return [(noon - timedelta(days=back)).isoformat(timespec="minutes")
            for back in range(2, 2 + PAST_DAYS)]


def soak(app: RunningApp, writes: int, block: int, *, today: bool = False
         ) -> list[tuple[int, Sample, float]]:
    """(writes so far, sample, wall seconds of the block) after each block of *block*."""
    days = past_days()
    samples = [(0, app.sample(), 0.0)]
    written = 0
    for done in range(block, writes + 1, block):
        start = time.perf_counter()
        for _ in range(block):
            app.write(at=None if today else days[written % len(days)])
            written += 1
        wall = time.perf_counter() - start
        settle(0.2)
        samples.append((done, app.sample(), wall))
    return samples


def report(samples: list[tuple[int, Sample, float]], block: int, warm_up: int
           ) -> tuple[float, float]:
    """Print the table; return (CPU ratio last/first block, RSS MB per 10,000 writes)."""
    print(f"{'writes':>7} {'CPU ms/write':>13} {'wall ms/write':>14} {'RSS MB':>8}")
    per_write = []
    for (_, before, _), (done, after, wall) in itertools.pairwise(samples):
        cpu = (after.cpu_seconds - before.cpu_seconds) * 1000 / block
        per_write.append(cpu)
        print(f"{done:>7} {cpu:>13.2f} {wall * 1000 / block:>14.2f} {after.rss_mb:>8.1f}")
    warm = next(s for done, s, _ in samples if done == warm_up)
    last_done, last, _ = samples[-1]
    growth = (last.rss_mb - warm.rss_mb) * 10_000 / (last_done - warm_up)
    return per_write[-1] / per_write[0], growth


def main() -> int:
    today = "--today" in sys.argv
    print("writes on today" if today else f"writes spread over {PAST_DAYS} past days")
    # Five years of history: the database is larger than SQLite's page cache, which is full
    # after the warm-up and so does not pass for a leak.
    with running_app(0, history_days=HISTORY_DAYS) as app:
        samples = soak(app, WRITES, BLOCK, today=today)
    cpu_ratio, growth = report(samples, BLOCK, WARM_UP)
    print(f"CPU per write, last {BLOCK:,} / first {BLOCK:,}: {cpu_ratio:.2f} "
          f"(target <= {MAX_CPU_RATIO})")
    print(f"RSS growth after {WARM_UP:,} writes: {growth:.2f} MB per 10,000 writes "
          f"(target <= {MAX_RSS_GROWTH_MB})")
    return 0 if cpu_ratio <= MAX_CPU_RATIO and growth <= MAX_RSS_GROWTH_MB else 1


if __name__ == "__main__":
    sys.exit(main())
