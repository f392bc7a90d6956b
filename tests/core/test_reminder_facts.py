"""The reminder policy's day facts, read from summaries, equal those from all of the entries."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from quell.core.entries import Entry, Target
from quell.core.habits import HABIT_KEYS
from quell.core.reminders import DayFactsReader, facts_from
from quell.core.summary import summarize_day

DAY = date(2026, 3, 10)
NOON = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)
TARGETS = {"water": Target("water", 2000.0, None, date(2000, 1, 1)),
           "caffeine": Target("caffeine", 300.0, None, date(2000, 1, 1))}

_entry = st.builds(
    lambda habit, minutes, offset, yesterday, amount, n: Entry(
        habit, (NOON + timedelta(minutes=minutes - (1440 if yesterday else 0))).astimezone(
            timezone(timedelta(hours=offset))),
        DAY - timedelta(days=1) if yesterday else DAY, float(amount), id=n),
    st.sampled_from(["water", "caffeine", "stretching", "breathing", "sleep", "minerals"]),
    st.integers(-300, 300), st.integers(-12, 14), st.booleans(), st.integers(1, 500),
    st.integers(1, 10**6))


@settings(max_examples=200, deadline=None)
@given(st.lists(_entry, max_size=40, unique_by=lambda e: e.id),
       st.lists(st.sampled_from(HABIT_KEYS), unique=True, min_size=1))
def test_facts_from_summaries_equal_facts_from_every_entry(entries: list[Entry],
                                                           enabled: list[str]) -> None:
    enabled = [k for k in HABIT_KEYS if k in enabled]
    summaries = {d: summarize_day(d, entries, TARGETS, enabled)
                 for d in (DAY - timedelta(days=1), DAY)}
    reader = DayFactsReader(summaries.__getitem__, lambda _day: TARGETS, DAY)
    seen = [e for d in (DAY - timedelta(days=1), DAY) for p in summaries[d].habits
            for e in p.entries]
    assert reader(DAY) == facts_from(DAY, seen, TARGETS)
