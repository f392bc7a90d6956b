"""Cost of one write through the running app on an empty day and on a day with 3,000 entries.

A real Quell (offscreen, so its Today window is open with the day's list) is written to through
its command socket as `quell log water 250` does. Reported for each day: the median round trip
(ms) and the app's own CPU per write (from /proc, over the batch), and their ratios full/empty.
Target: the app's CPU per write on the full day at most 1.2 times the empty day's (the round
trip includes the client and the scheduler's noise on a shared machine; shown beside it).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from running_app import running_app, settle

FULL_DAY = 3000
WARM_UP = 20
WRITES = 150
TARGET_RATIO = 1.2


def measure(entries_today: int) -> tuple[float, float]:
    """(median round trip ms, app CPU ms per write) with *entries_today* entries already."""
    with running_app(entries_today) as app:
        for _ in range(WARM_UP):
            app.write()
        settle()
        rounds = []
        before = app.sample()
        for _ in range(WRITES):
            start = time.perf_counter()
            app.write()
            rounds.append((time.perf_counter() - start) * 1000)
        settle()
        after = app.sample()
    return statistics.median(rounds), (after.cpu_seconds - before.cpu_seconds) * 1000 / WRITES


def main() -> int:
    empty_round, empty_cpu = measure(0)
    full_round, full_cpu = measure(FULL_DAY)
    cpu_ratio = full_cpu / max(empty_cpu, 0.1)
    round_ratio = full_round / empty_round
    print(f"write through the socket, empty day: median {empty_round:.1f} ms round trip, "
          f"app CPU {empty_cpu:.2f} ms/write")
    print(f"write through the socket, {FULL_DAY:,} entries that day: median {full_round:.1f} ms "
          f"round trip, app CPU {full_cpu:.2f} ms/write")
    print(f"ratio full/empty: app CPU {cpu_ratio:.2f} (target <= {TARGET_RATIO}), "
          f"round trip {round_ratio:.2f}")
    return 0 if cpu_ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
