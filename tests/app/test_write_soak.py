"""A running Quell written to a few thousand times through its socket keeps its memory.

The short form of `make bench`'s soak (tests/bench/bench_soak.py): a real app process
(offscreen, private QUELL_HOME), `quell log water --at ...` requests over the socket, resident
memory read from /proc. A leak of a few hundred bytes per request (the command server's used to
keep about 1 KB) shows here. The entries written go to past days, so the data the app holds
stays bounded, and the database holds five years, so SQLite's page cache is full after the
warm-up: neither passes for a leak.
"""

from __future__ import annotations

import sys

import pytest

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")]

WARM_UP = 500
WINDOW = 600
MAX_GROWTH_MB = 0.3  # a leak of 500 bytes a request is 0.3 MB a window


def test_memory_stays_put_over_a_thousand_and_more_socket_writes() -> None:
    from tests.bench.bench_soak import HISTORY_DAYS, past_days
    from tests.bench.running_app import running_app, settle

    days = past_days()
    written = 0
    rss = []
    with running_app(0, history_days=HISTORY_DAYS) as app:
        for block in (WARM_UP, WINDOW, WINDOW):
            for _ in range(block):
                reply = app.write(at=days[written % len(days)])
                written += 1
            settle(0.2)
            rss.append(app.sample().rss_mb)
    assert "Water" in str(reply.get("output"))
    # Caches (SQLite's pages, the tracker's days) fill up and stop; a leak grows the same in
    # every window. So the second window after the warm-up is the one that counts.
    first, second = rss[1] - rss[0], rss[2] - rss[1]
    print(f"RSS {rss[0]:.2f} -> {rss[1]:.2f} -> {rss[2]:.2f} MB")
    assert second <= MAX_GROWTH_MB, (
        f"RSS grew {second:.2f} MB over the last {WINDOW} writes ({first:.2f} MB before)")
