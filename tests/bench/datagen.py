"""Realistic generated data for benchmarks, screenshots and tests: years of daily habits,
twitch episodes that follow short nights and extra coffee, reminder outcomes and days off."""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from quell.core.days import day_of, local_datetime
from quell.storage.database import transaction

AREAS = ("eyelid", "eyelid", "eyelid", "calf", "calf", "thigh", "face", "hand", "arm", "foot",
         "back", "neck", "other")


@dataclass(frozen=True)
class Generated:
    entries: int
    twitches: int
    reminder_events: int
    first_day: date


def generate(db: sqlite3.Connection, today: date, tz: tzinfo, *, days: int = 5 * 365,
             twitches_per_day: float = 1.4, seed: int = 7, day_start_hour: int = 4
             ) -> Generated:
    """Fill *db* with *days* days of data ending yesterday (about 20 entries a day)."""
    rng = random.Random(seed)
    entries: list[tuple[object, ...]] = []
    twitches: list[tuple[object, ...]] = []
    reminders: list[tuple[object, ...]] = []
    first = today - timedelta(days=days)

    def stamp(day: date, hour: int, minute: int) -> tuple[int, int, str]:
        moment = local_datetime(day, time(hour % 24, minute), tz)
        if hour >= 24:
            moment = local_datetime(day + timedelta(days=1), time(hour - 24, minute), tz)
        offset = moment.utcoffset()
        assert offset is not None
        return (int(moment.timestamp()), int(offset.total_seconds()),
                day_of(moment, day_start_hour).isoformat())

    def add(key: str, day: date, hour: int, minute: int, amount: float,
            detail: dict[str, object] | None = None, note: str = "") -> None:
        ts, offset, quell_day = stamp(day, hour, minute)
        entries.append((key, ts, offset, quell_day, amount, note,
                        json.dumps(detail or {}, sort_keys=True), "tray", ts))

    smoker_until = first + timedelta(days=days // 3)
    for n in range(days):
        day = first + timedelta(days=n)
        weekend = day.weekday() >= 5
        # Sleep, counted on the day of waking.
        hours = max(4.0, min(10.0, rng.gauss(7.4 if weekend else 6.9, 0.8)))
        hours = round(hours * 4) / 4
        wake = local_datetime(day, time(7 if not weekend else 8, rng.choice((0, 15, 30))), tz)
        bed = (wake.astimezone(timezone.utc) - timedelta(hours=hours)).astimezone(tz)
        add("sleep", day, wake.hour, wake.minute, hours,
            {"bed": bed.isoformat(timespec="minutes"), "wake": wake.isoformat(
                timespec="minutes")})
        short = hours < 7
        for glass in range(rng.choice((4, 5, 6, 7, 8, 8, 9))):
            add("water", day, 8 + glass * 2 // 1, rng.randrange(60), 250)
        cups = rng.choice((1, 2, 2, 3, 3, 4, 5 if short else 3))
        for cup in range(cups):
            preset, mg = rng.choice((("espresso", 63), ("filter_coffee", 95),
                                     ("black_tea", 47), ("cola", 34)))
            add("caffeine", day, 8 + cup * 3, rng.randrange(60), mg, {"preset": preset})
        caffeine = sum(e[4] for e in entries[-cups:])  # type: ignore[misc]
        for session in range(rng.choice((0, 1, 2, 3, 3, 4))):
            add("stretching", day, 10 + session * 3, 5, 1)
        for session in range(rng.choice((0, 1, 2, 2))):
            add("breathing", day, 13 + session * 4, 30, 1)
        stress = rng.choice((1, 2, 2, 3, 3, 3, 4, 5)) if not weekend else rng.choice((1, 2, 3))
        add("stress", day, 18, 0, stress)
        exercised = rng.random() < 0.3
        if exercised:
            add("exercise", day, 18, 30, rng.choice((30, 45, 60)),
                {"intensity": rng.choice(("moderate", "hard", "very_hard"))})
        if day < smoker_until and rng.random() < 0.6:
            add("nicotine", day, 12, 0, rng.randint(1, 5))
        for serving in range(rng.choice((1, 2, 3, 3, 4))):
            add("minerals", day, 9 + serving * 4, 0, 1)
        # Twitches follow short nights, extra coffee and stress.
        rate = twitches_per_day * (1.8 if short else 0.8) * (1.4 if caffeine > 300 else 0.9)
        rate *= 1.3 if stress >= 4 else 1.0
        for _ in range(_poisson(rng, rate)):
            ts, offset, quell_day = stamp(day, rng.randint(8, 23), rng.randrange(60))
            twitches.append((ts, offset, quell_day, rng.choice(AREAS),
                             rng.choice(("", "left", "right", "both")),
                             rng.choice((1, 2, 2, 2, 3, 3, 4, 5)), "", "tray", ts))
        # Reminders: water every two hours, stretches thrice, the wind-down at 22:30.
        for hour, kind in [(h, "water") for h in range(10, 20, 2)] + [
                (11, "stretch"), (15, "stretch"), (17, "breathe"), (22, "wind_down")]:
            ts, offset, _day = stamp(day, hour, 30 if kind == "wind_down" else 0)
            outcome = rng.choices(("done", "snoozed", "skipped", "missed", "suppressed"),
                                  weights=(70 - hour * 2, 10 + hour, 8, 4 + hour // 3, 10))[0]
            shown = None if outcome in ("missed", "suppressed") else ts + 5
            reminders.append((kind, ts, shown, offset, outcome, ""))
    with transaction(db):
        db.executemany(
            "INSERT INTO entries (habit, ts, utc_offset, day, amount, note, detail, source,"
            " created) VALUES (?,?,?,?,?,?,?,?,?)", entries)
        db.executemany(
            "INSERT INTO twitches (ts, utc_offset, day, area, side, intensity, note, source,"
            " created) VALUES (?,?,?,?,?,?,?,?,?)", twitches)
        db.executemany(
            "INSERT INTO reminder_events (reminder, due, shown, utc_offset, outcome, reason)"
            " VALUES (?,?,?,?,?,?)", reminders)
        for offset in (40, 41, 42, 120, 121, 122, 123, 124, 125, 126):
            if offset < days:
                reason = "sick" if offset < 100 else "vacation"
                db.execute("INSERT OR REPLACE INTO days_off (day, reason) VALUES (?, ?)",
                           ((today - timedelta(days=offset)).isoformat(), reason))
        db.execute("INSERT OR REPLACE INTO targets (habit, effective_from, value, value_max)"
                   " VALUES ('caffeine', ?, 250, NULL)",
                   ((today - timedelta(days=min(days, 200))).isoformat(),))
    return Generated(len(entries), len(twitches), len(reminders), first)


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: fine for the small means here.
    limit, count, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def now_for(today: date, tz: tzinfo) -> datetime:
    return local_datetime(today, time(20, 0), tz)
