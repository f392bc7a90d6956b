"""Session's habit changes: each emits ``changed`` once after the commit, nothing when refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from quell.core.errors import InputError
from quell.core.habits import Direction, Kind, user_habit
from quell.ui.services.session import Session


def _tea(session: Session, **changes: object) -> object:
    fields: dict[str, object] = {"name": "Tea", "unit_key": "cups", "kind": Kind.COUNT,
                                 "direction": Direction.AT_MOST, "target": 4, "key": "tea"}
    fields.update(changes)
    return user_habit(catalog=session.habits(), **fields)  # type: ignore[arg-type]


def _count_changes(session: Session) -> list[None]:
    seen: list[None] = []
    session.changed.connect(lambda: seen.append(None))
    return seen


def test_each_habit_change_emits_changed_once(session: Session) -> None:
    seen = _count_changes(session)
    session.add_habit(_tea(session))  # type: ignore[arg-type]
    assert len(seen) == 1
    assert session.summary().get("tea") is not None  # the cache was dropped
    assert session.update_habit(_tea(session, name="Green tea")).label == "Green tea"  # type: ignore[arg-type]
    assert len(seen) == 2
    session.archive_habit("tea")
    assert len(seen) == 3 and session.summary().get("tea") is None
    session.restore_habit("tea")
    assert len(seen) == 4
    keys = [h.key for h in session.habits().offered()]
    session.set_habit_order(list(reversed(keys)))
    assert len(seen) == 5
    assert session.summary().habits[0].habit.key == "tea"


@pytest.mark.parametrize("refused", [
    lambda s: s.add_habit(s.habits().get("water")),
    lambda s: s.update_habit(_tea(s)),
    lambda s: s.archive_habit("water"),
    lambda s: s.restore_habit("nope"),
    lambda s: s.set_habit_order(["water"]),
])
def test_refused_habit_changes_emit_nothing(qtbot: object, session: Session,
                                            refused: Callable[[Session], object]) -> None:
    seen = _count_changes(session)
    with pytest.raises(InputError):
        refused(session)
    assert seen == []
