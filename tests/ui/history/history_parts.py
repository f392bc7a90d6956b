"""What the History window's tests share: the parts a window is built from, logging, twitch
episodes, and a user habit with entries."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from quell.core.habits import Habit
from quell.core.twitches import Twitch
from quell.storage.history_store import HistoryStore
from quell.storage.store import SqliteStore
from quell.storage.twitch_store import SqliteTwitchStore
from quell.ui.history.window import HistoryWindow
from quell.ui.services.session import Session
from tests.conftest import LONDON

TODAY = date(2026, 3, 10)


class Parts:
    def __init__(self, session: Session, store: SqliteStore, history: HistoryStore) -> None:
        self.session, self.store, self.history = session, store, history


def show(qtbot, window: HistoryWindow) -> None:
    window.present()
    qtbot.waitExposed(window)


def noon(back: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=back), datetime.min.time().replace(hour=12),
                            tzinfo=LONDON)


def log_water_days(parts: Parts, days: list[int], amount: float = 2000) -> None:
    for back in days:
        parts.session.log("water", amount, at=noon(back))


def add_twitches(parts: Parts, days: list[int], each: int = 3) -> None:
    """*each* calf twitches at noon on each of *days* (days back from TODAY)."""
    store = SqliteTwitchStore(parts.store.connection)
    for back in days:
        for _ in range(each):
            store.add_twitch(Twitch("calf", noon(back), TODAY - timedelta(days=back)))


def add_user_habit(parts: Parts, monkeypatch: pytest.MonkeyPatch, spec: Habit,
                   amounts: dict[int, float]) -> None:
    """Add the user habit *spec* (enabled, at the end) with an entry of *amounts[back]* on each
    of those days back from TODAY.

    Through ``Session.add_habit`` once the database keeps user habits; until then the habit's
    row and target are written directly and the session is told of it.
    """
    db = parts.store.connection
    if hasattr(parts.session, "add_habit"):
        parts.session.add_habit(spec)
    else:
        db.execute("INSERT INTO habits (key, enabled, position) VALUES (?, 1, 99)", (spec.key,))
        db.execute("INSERT INTO targets (habit, effective_from, value, value_max)"
                   " VALUES (?, '2000-01-01', ?, ?)",
                   (spec.key, spec.default_target, spec.default_target_max))
        catalog = parts.session.habits().with_user(spec)
        enabled = [*parts.session.enabled_habits(), spec.key]
        monkeypatch.setattr(parts.session, "habits", lambda: catalog)
        monkeypatch.setattr(parts.session, "enabled_habits", lambda: list(enabled))
    for back, amount in amounts.items():
        moment = noon(back)
        db.execute("INSERT INTO entries (habit, ts, utc_offset, day, amount, source, created)"
                   " VALUES (?, ?, 0, ?, ?, 'test', ?)",
                   (spec.key, int(moment.timestamp()), (TODAY - timedelta(days=back)).isoformat(),
                    amount, int(moment.timestamp())))
    db.commit()
