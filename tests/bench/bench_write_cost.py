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
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from running_app import running_app, settle

FULL_DAY = 3000
WARM_UP = 20
WRITES = 200
TARGET_RATIO = 1.2


def measure() -> dict[int, tuple[float, float]]:
    """Per day size: (median round trip ms, app CPU ms per write).

    Both apps run at once and take their writes in turn, so a busy machine slows both alike.
    """
    with ExitStack() as stack:
        apps = {size: stack.enter_context(running_app(size)) for size in (0, FULL_DAY)}
        for _ in range(WARM_UP):
            for app in apps.values():
                app.write()
        settle()
        rounds: dict[int, list[float]] = {size: [] for size in apps}
        before = {size: app.sample() for size, app in apps.items()}
        for _ in range(WRITES):
            for size, app in apps.items():
                start = time.perf_counter()
                app.write()
                rounds[size].append((time.perf_counter() - start) * 1000)
        settle()
        after = {size: app.sample() for size, app in apps.items()}
    return {size: (statistics.median(rounds[size]),
                   (after[size].cpu_seconds - before[size].cpu_seconds) * 1000 / WRITES)
            for size in apps}


def main() -> int:
    results = measure()
    empty_round, empty_cpu = results[0]
    full_round, full_cpu = results[FULL_DAY]
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
