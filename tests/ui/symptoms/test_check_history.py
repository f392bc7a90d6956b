"""The history of symptom checks: newest first, one to read, two to compare."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from quell.core.triage import parse_answers, triage
from quell.ui.services.symptom_session import SymptomSession
from quell.ui.symptoms.check_history import CheckHistoryDialog
from tests.conftest import FakeClock
from tests.helpers import MemorySettings
from tests.ui.symptom_helpers import close_symptoms, open_symptoms


@pytest.fixture
def symptoms(qtbot, tmp_path: Path, clock: FakeClock, settings_holder: MemorySettings
             ) -> Iterator[SymptomSession]:
    symptoms, database = open_symptoms(tmp_path / "data", clock, settings_holder)
    yield symptoms
    close_symptoms(symptoms, database)


def save(symptoms: SymptomSession, raw: dict[str, object]):
    answers = parse_answers(raw)
    return symptoms.save_check(answers, triage(answers, emergency_number="999"))


def test_empty_history(qtbot, symptoms: SymptomSession) -> None:
    dialog = CheckHistoryDialog(symptoms)
    qtbot.addWidget(dialog)
    assert dialog.list_stack.currentWidget() is dialog.empty
    with qtbot.wait_signal(dialog.new_check_requested):
        dialog.new_button.click()


def test_checks_newest_first_and_one_read_in_full(qtbot, symptoms: SymptomSession,
                                                  clock: FakeClock) -> None:
    first = save(symptoms, {"twitch_duration": "2_weeks_to_3_months",
                            "trigger_caffeine_stimulants": True})
    clock.advance(days=14)
    second = save(symptoms, {"twitch_duration": "over_3_months", "muscle_wasting": True})
    dialog = CheckHistoryDialog(symptoms)
    qtbot.addWidget(dialog)
    items = [dialog.list.topLevelItem(i) for i in range(dialog.list.topLevelItemCount())]
    assert [item.text(1) for item in items] == ["➜ Doctor within days",
                                                "➜ Routine appointment"]
    assert items[0].text(0).startswith("Tue 24 Mar 2026")
    assert dialog.selected_ids() == [second.id]
    text = dialog.details_text
    assert "Why" in text and "Muscle wasting" in text
    assert "Also worth mentioning to a doctor" in text
    assert "• for more than 3 months" in text
    dialog.select(first.id or 0)
    assert "Possible triggers named\n• caffeine or other stimulants" in dialog.details_text


def test_two_checks_are_compared(qtbot, symptoms: SymptomSession, clock: FakeClock) -> None:
    older = save(symptoms, {"cramps": "occasional", "muscle_stiffness": True})
    clock.advance(days=30)
    newer = save(symptoms, {"cramps": "frequent_or_disturbing_sleep", "tongue_twitching": True})
    dialog = CheckHistoryDialog(symptoms)
    qtbot.addWidget(dialog)
    dialog.select(older.id or 0, newer.id or 0)
    text = dialog.details_text
    assert "Result: Routine appointment → Doctor within days" in text
    assert "New since then\n• tongue twitching" in text
    assert "No longer reported\n• stiff or tight muscles" in text
    assert "Changed\n• occasional cramps → frequent cramps" in text


def test_a_new_check_appears_at_once(qtbot, symptoms: SymptomSession,
                                     clock: FakeClock) -> None:
    dialog = CheckHistoryDialog(symptoms)
    qtbot.addWidget(dialog)
    check = save(symptoms, {"sudden_face_droop": True})
    assert dialog.list.topLevelItemCount() == 1
    assert dialog.list.topLevelItem(0).text(1) == "⚠ Emergency: call now"
    assert dialog.selected_ids() == [check.id]
    clock.advance(hours=1)
    save(symptoms, {})
    assert dialog.list.topLevelItem(0).text(1) == "✓ Self-care"
    assert timedelta(hours=1) == clock.now() - check.at


def test_an_emergency_stop_says_the_rest_was_not_asked(qtbot, symptoms: SymptomSession) -> None:
    save(symptoms, {"numbness": "sudden_one_side"})
    dialog = CheckHistoryDialog(symptoms)
    qtbot.addWidget(dialog)
    assert dialog.list.topLevelItem(0).text(2) == "sudden numbness on one side"
    assert "the others were not asked" in dialog.details_text
    assert "less than 2 weeks" not in dialog.details_text


@pytest.mark.parametrize(("day_start_hour", "listed"), [
    (4, "Mon 9 Mar 2026, 01:30 (after midnight)"),
    (0, "Tue 10 Mar 2026, 01:30"),
])
def test_a_check_after_midnight_is_listed_under_its_quell_day(
        qtbot, symptoms: SymptomSession, clock: FakeClock, settings_holder: MemorySettings,
        day_start_hour: int, listed: str) -> None:
    settings_holder.value = settings_holder.value.replace(day_start_hour=day_start_hour)
    clock.set(clock.now().replace(hour=1, minute=30))
    check = save(symptoms, {})
    dialog = CheckHistoryDialog(symptoms)
    qtbot.addWidget(dialog)
    assert dialog.list.topLevelItem(0).text(0) == listed
    assert symptoms.checks_between(check.day, check.day) == [check]


def test_a_changed_check_shows_both_and_the_link(qtbot, symptoms: SymptomSession,
                                                 clock: FakeClock) -> None:
    clock.set(clock.now().replace(hour=14, minute=2))
    answers = parse_answers({"sudden_face_droop": True})
    first = symptoms.save_check(answers, triage(answers, emergency_number="999"))
    clock.advance(minutes=3)
    plain = parse_answers({})
    second = symptoms.save_check(plain, triage(plain, emergency_number="999"), first)
    dialog = CheckHistoryDialog(symptoms)
    qtbot.addWidget(dialog)
    items = [dialog.list.topLevelItem(i) for i in range(dialog.list.topLevelItemCount())]
    assert [item.text(1) for item in items] == ["✓ Self-care", "⚠ Emergency: call now"]
    assert items[0].text(0) == "Tue 10 Mar 2026, 14:05 · changed answers"
    assert items[0].toolTip(0) == (
        "Changed answers of the check at 14:02 (then: Emergency: call now).")
    assert items[1].text(0) == "Tue 10 Mar 2026, 14:02"  # the earlier result, kept as it was
    assert dialog.selected_ids() == [second.id]
    assert "• Changed answers of the check at 14:02" in dialog.details_text
    dialog.select(first.id or 0)
    assert "• Answers changed at 14:05 in a later check (result: Self-care)." in (
        dialog.details_text)
