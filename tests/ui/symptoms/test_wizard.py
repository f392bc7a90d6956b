"""The symptom check wizard: every answer asked, the emergency short-cut, keys, and history."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from quell.core.triage import (
    ANSWER_KEYS,
    DEFAULT_ANSWERS,
    SOURCES,
    AnswerGroup,
    TriageLevel,
    is_emergency_answer,
    triage,
)
from quell.storage.database import OpenedDatabase, database_path
from quell.ui.common.readable_widgets import OptionRadio
from quell.ui.common.style import contrast
from quell.ui.services.symptom_session import (
    StorageError,
    SymptomSession,
    emergency_number,
    health_anxiety_help,
)
from quell.ui.symptoms.questions import topics
from quell.ui.symptoms.result import ResultView, level_colours
from quell.ui.symptoms.wizard import SymptomWizard
from tests.conftest import FakeClock
from tests.helpers import MemorySettings
from tests.ui.symptom_helpers import close_symptoms, open_symptoms

EMERGENCY_ANSWERS = [(name, value) for name, key in ANSWER_KEYS.items()
                     if key.group is AnswerGroup.EMERGENCY_SCREEN
                     for value in key.values if is_emergency_answer(name, value)]


@pytest.fixture
def opened(qtbot, tmp_path: Path, clock: FakeClock, settings_holder: MemorySettings
           ) -> Iterator[tuple[SymptomSession, OpenedDatabase]]:
    settings_holder.value = settings_holder.value.replace(locale="en_GB")
    symptoms, database = open_symptoms(tmp_path / "data", clock, settings_holder)
    yield symptoms, database
    close_symptoms(symptoms, database)


@pytest.fixture
def symptoms(opened: tuple[SymptomSession, OpenedDatabase]) -> SymptomSession:
    return opened[0]


@pytest.fixture
def connection(opened: tuple[SymptomSession, OpenedDatabase]) -> sqlite3.Connection:
    return opened[1].connection


@pytest.fixture
def wizard(qtbot, symptoms: SymptomSession) -> SymptomWizard:
    dialog = SymptomWizard(symptoms)
    qtbot.addWidget(dialog)
    return dialog


def answer_plainly(wizard: SymptomWizard) -> None:
    """Answer what the page on show leaves open the harmless way, as a user would click it."""
    page = wizard.current_page()
    if page is None:
        return
    for key in page.keys:
        value = ANSWER_KEYS[key].default
        if not isinstance(value, bool) and key not in page.values():
            page.set_value(key, value)
    if not page.is_answered():
        page.answer_no()


def go_to(wizard: SymptomWizard, key: str) -> None:
    """Answer plainly and press Next until the page asking *key* shows."""
    while wizard.current_page() is None or key not in wizard.current_page().keys:
        assert wizard.index < wizard.result_index, f"never asked {key}"
        answer_plainly(wizard)
        wizard.next()


def finish(wizard: SymptomWizard) -> None:
    while wizard.index < wizard.result_index:
        answer_plainly(wizard)
        wizard.next()


def set_answers(wizard: SymptomWizard, answers: dict[str, str | bool]) -> None:
    """Go through the check giving *answers* (the rest plainly), up to the result."""
    while wizard.index < wizard.result_index:
        page = wizard.current_page()
        if page is not None:
            for key in page.keys:
                if key in answers:
                    page.set_value(key, answers[key])
        answer_plainly(wizard)
        wizard.next()


# -- what is asked --------------------------------------------------------------------------

def test_every_answer_is_asked_once_emergency_screen_first() -> None:
    asked = [q.key for topic in topics() for q in topic.questions]
    assert sorted(asked) == sorted(ANSWER_KEYS)
    groups = [topic.group for topic in topics()]
    screen = [g is AnswerGroup.EMERGENCY_SCREEN for g in groups]
    assert screen == sorted(screen, reverse=True), "the emergency screen must come first"
    for topic in topics():
        assert len({ANSWER_KEYS[q.key].group for q in topic.questions}) == 1, topic.name
        for question in topic.questions:
            key = ANSWER_KEYS[question.key]
            if key.is_bool:
                assert not question.options and question.label
            else:
                assert tuple(o.value for o in question.options) == key.values, question.key


def test_weakness_is_asked_with_everyday_examples(wizard: SymptomWizard) -> None:
    [weakness] = [t for t in topics() if t.name == "weakness"]
    said = " ".join([weakness.intro, *weakness.examples, weakness.note])
    for words in ("jars", "buttons", "keys", "stairs", "trip", "tired"):
        assert words in said
    [sudden] = [t for t in topics() if t.name == "sudden"]
    assert "seconds or minutes" in sudden.intro


def test_unasked_questions_take_the_engines_defaults(wizard: SymptomWizard) -> None:
    assert wizard.answers() == DEFAULT_ANSWERS
    assert wizard.index == 0
    assert not wizard.back_button.isEnabled()
    assert wizard.next_button.text() == "&Start"


# -- the emergency short-cut ----------------------------------------------------------------

@pytest.mark.parametrize(("name", "value"), EMERGENCY_ANSWERS)
def test_an_emergency_answer_goes_straight_to_the_emergency_result(
        qtbot, wizard: SymptomWizard, symptoms: SymptomSession, name: str,
        value: str | bool) -> None:
    go_to(wizard, name)
    asked_before = wizard.index
    wizard.set_answer(name, value)
    assert wizard.next_button.text() == "&What to do now"
    with qtbot.wait_signal(wizard.check_saved, timeout=1000) as saved:
        wizard.next()
    assert wizard.index == wizard.result_index
    assert asked_before <= 7  # no twitch, trigger or other questions were asked
    assert wizard.triage_result is not None and wizard.triage_result.level is TriageLevel.EMERGENCY
    view = wizard.result_view
    assert "Call emergency services now on 999" in view.action.text()
    assert "Do not drive yourself" in view.action.text()
    assert "even if" in view.action.text()
    assert "Quell cannot call for you" in view.never_dials.text()
    assert "Emergency" in view.timeframe.text() and "⚠" in view.timeframe.text()
    [check] = symptoms.checks()
    assert check == saved.args[0]
    assert check.level is TriageLevel.EMERGENCY and getattr(check.answers, name) == value


def test_a_non_emergency_answer_on_the_screen_goes_on(wizard: SymptomWizard) -> None:
    go_to(wizard, "weakness")
    page = wizard.index
    wizard.set_answer("weakness", "worsening_over_days")
    assert wizard.next_button.text() == "&Next"
    wizard.next()
    assert wizard.index == page + 1


def test_changing_answers_keeps_the_earlier_result_and_links_the_new_one(
        wizard: SymptomWizard, symptoms: SymptomSession) -> None:
    go_to(wizard, "sudden_face_droop")
    wizard.set_answer("sudden_face_droop", True)
    wizard.next()
    [emergency] = symptoms.checks()
    assert emergency.level is TriageLevel.EMERGENCY and emergency.revises is None
    wizard.back()
    assert wizard.current_page() is not None
    assert "sudden_face_droop" in wizard.current_page().keys
    wizard.set_answer("sudden_face_droop", False)  # a slip of the finger
    finish(wizard)
    first, second = symptoms.checks()
    assert first == emergency  # kept exactly as the user was shown it
    assert second.level is TriageLevel.SELF_CARE and second.revises == emergency.id
    # Back and forth without changing anything stores nothing new.
    wizard.back()
    finish(wizard)
    assert len(symptoms.checks()) == 2
    # A second change revises the latest result, not the first.
    wizard.back()
    wizard.set_answer("suspects_medication", True)
    finish(wizard)
    third = symptoms.checks()[-1]
    assert third.level is TriageLevel.ROUTINE and third.revises == second.id


# -- nothing chosen for the user ------------------------------------------------------------

def test_no_answer_is_chosen_in_advance(wizard: SymptomWizard) -> None:
    for page in wizard.pages:
        assert page.values() == {key: False for key in page.keys
                                 if ANSWER_KEYS[key].is_bool}, page.topic.name
        assert not page.is_answered(), page.topic.name
        for radio in page.findChildren(OptionRadio):
            assert not radio.isChecked(), page.topic.name


def test_next_waits_for_an_answer_and_a_plain_no_is_one_click(
        qtbot, wizard: SymptomWizard) -> None:
    wizard.next()  # Start
    page = wizard.current_page()
    assert page is not None and page.topic.name == "sudden"
    assert not wizard.next_button.isEnabled()
    wizard.next()  # Alt+Right, or a script: still refused
    assert wizard.current_page() is page
    assert page.none_box is not None
    qtbot.mouseClick(page.none_box, Qt.MouseButton.LeftButton)
    assert wizard.next_button.isEnabled() and page.values() == {
        "sudden_face_droop": False, "sudden_other_neuro": False}
    wizard.set_answer("sudden_other_neuro", True)  # ticking a box clears "None of these"
    assert not page.none_box.isChecked()
    assert wizard.next_button.text() == "&What to do now"
    qtbot.mouseClick(page.none_box, Qt.MouseButton.LeftButton)  # and the reverse
    assert page.values()["sudden_other_neuro"] is False
    wizard.next()
    speech = wizard.current_page()
    assert speech is not None and speech.topic.name == "speech"
    assert not wizard.next_button.isEnabled()
    wizard.set_answer("speech", "normal")
    assert wizard.next_button.isEnabled()


def test_a_page_with_a_choice_and_boxes_needs_both(wizard: SymptomWizard) -> None:
    go_to(wizard, "twitch_location")
    page = wizard.current_page()
    assert page is not None
    page.answer_no()
    assert not wizard.next_button.isEnabled()  # where is it still unanswered
    wizard.set_answer("twitch_location", "eyelid_only")
    assert wizard.next_button.isEnabled()


def test_enter_alone_never_answers_and_never_saves(qtbot, wizard: SymptomWizard,
                                                   symptoms: SymptomSession) -> None:
    show_active(qtbot, wizard)
    with qtbot.assert_not_emitted(wizard.check_saved):
        for _press in range(40):
            press(wizard, Qt.Key.Key_Return)
            press(wizard, Qt.Key.Key_Enter)
            press(wizard, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert wizard.current_page() is wizard.pages[0]  # Start, then stuck on the first question
    assert wizard.triage_result is None and symptoms.checks() == []


# -- the whole check, by keyboard -----------------------------------------------------------

def show_active(qtbot, wizard: SymptomWizard) -> None:
    with qtbot.waitActive(wizard):
        wizard.show()
        wizard.activateWindow()


def press(widget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> None:
    QTest.keyClick(QApplication.focusWidget() or widget, key, modifier)


def answer_by_keyboard(wizard: SymptomWizard) -> None:
    """Answer the page on show plainly with keys only: Space on an option, Alt+O for "none"."""
    page = wizard.current_page()
    assert page is not None
    if isinstance(QApplication.focusWidget(), OptionRadio):
        press(wizard, Qt.Key.Key_Space)
    if page.none_box is not None:
        press(wizard, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    if not page.is_answered():  # a choice after the boxes (cramps)
        press(wizard, Qt.Key.Key_Tab)
        assert isinstance(QApplication.focusWidget(), OptionRadio)
        press(wizard, Qt.Key.Key_Space)
    assert page.is_answered(), page.topic.name


def test_keyboard_only_to_an_emergency(qtbot, wizard: SymptomWizard,
                                       symptoms: SymptomSession) -> None:
    show_active(qtbot, wizard)
    press(wizard, Qt.Key.Key_Return)  # Start
    assert wizard.current_page().topic.name == "sudden"
    assert QApplication.focusWidget() is wizard.current_page().first_control()
    press(wizard, Qt.Key.Key_Return)  # not answered: stays
    assert wizard.current_page().topic.name == "sudden"
    press(wizard, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # none of these
    assert QApplication.focusWidget() is wizard.current_page().none_box
    press(wizard, Qt.Key.Key_Return)
    assert wizard.current_page().topic.name == "speech"
    assert QApplication.focusWidget() is wizard.current_page().first_control()
    press(wizard, Qt.Key.Key_Down)  # moves to "changed slowly" without choosing it
    assert "speech" not in wizard.current_page().values()
    press(wizard, Qt.Key.Key_Up)
    press(wizard, Qt.Key.Key_Space)  # as usual
    assert wizard.answers().speech == "normal"
    press(wizard, Qt.Key.Key_Down)  # as usual -> changed slowly
    assert wizard.answers().speech == "gradual_change"
    press(wizard, Qt.Key.Key_Down)  # -> changed suddenly
    assert wizard.answers().speech == "sudden_change"
    with qtbot.wait_signal(wizard.back_button.clicked, timeout=1000):  # a mnemonic click
        press(wizard, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)  # animates for 100 ms
    assert wizard.current_page().topic.name == "sudden"
    with qtbot.wait_signal(wizard.next_button.clicked, timeout=1000):
        press(wizard, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert wizard.answers().speech == "sudden_change"  # kept
    press(wizard, Qt.Key.Key_Return)
    assert wizard.index == wizard.result_index
    assert wizard.triage_result is not None and wizard.triage_result.level is TriageLevel.EMERGENCY
    assert QApplication.focusWidget() is wizard.close_button
    with qtbot.wait_signal(wizard.about_button.clicked, timeout=1000):
        press(wizard, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # About this check
    assert wizard.index == wizard.about_index
    press(wizard, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert wizard.index == wizard.result_index
    press(wizard, Qt.Key.Key_Return)  # Close
    assert wizard.result() == QDialog.DialogCode.Accepted and not wizard.isVisible()
    assert [c.level for c in symptoms.checks()] == [TriageLevel.EMERGENCY]


def test_keyboard_ticks_boxes_and_reaches_the_end(qtbot, wizard: SymptomWizard,
                                                  symptoms: SymptomSession) -> None:
    show_active(qtbot, wizard)
    press(wizard, Qt.Key.Key_Return)
    while wizard.current_page().topic.name != "triggers":
        answer_by_keyboard(wizard)
        press(wizard, Qt.Key.Key_Return)
    press(wizard, Qt.Key.Key_Space)  # stress or anxiety
    press(wizard, Qt.Key.Key_Tab)
    press(wizard, Qt.Key.Key_Space)  # caffeine
    assert wizard.answers().trigger_stress_anxiety and wizard.answers().trigger_caffeine_stimulants
    press(wizard, Qt.Key.Key_Return)
    assert wizard.current_page().topic.name == "medicine"
    assert wizard.next_button.text() == "&See the result"
    press(wizard, Qt.Key.Key_Return)  # nothing said about medicines yet: stays
    assert wizard.triage_result is None
    answer_by_keyboard(wizard)
    press(wizard, Qt.Key.Key_Return)
    assert wizard.triage_result is not None and wizard.triage_result.level is TriageLevel.SELF_CARE
    press(wizard, Qt.Key.Key_Escape)
    assert not wizard.isVisible()
    [check] = symptoms.checks()
    assert check.answers.trigger_caffeine_stimulants and check.level is TriageLevel.SELF_CARE
    assert not check.answers.suspects_medication


# -- the result -----------------------------------------------------------------------------

LEVEL_ANSWERS = {
    TriageLevel.EMERGENCY: {"breathing": "struggling_to_breathe"},
    TriageLevel.URGENT_SAME_DAY: {"numbness": "spreading_over_days",
                                  "twitch_duration": "over_3_months"},
    TriageLevel.PROMPT: {"tongue_twitching": True, "family_history_mnd": True},
    TriageLevel.ROUTINE: {"suspects_medication": True},
    TriageLevel.SELF_CARE: {"trigger_hard_exercise": True},
}


@pytest.mark.parametrize("level", list(TriageLevel))
def test_each_level_shows_action_reasons_safety_net_and_disclaimer(
        wizard: SymptomWizard, symptoms: SymptomSession, level: TriageLevel) -> None:
    set_answers(wizard, LEVEL_ANSWERS[level])
    result = triage(wizard.answers(), emergency_number="999")
    assert result.level is level
    view = wizard.result_view
    sections = view.sections
    assert view.level is level
    assert view.action.text().startswith(result.message.split("\n\n")[0])
    if level is not TriageLevel.SELF_CARE:
        assert sections["why"]
    if level in (TriageLevel.URGENT_SAME_DAY, TriageLevel.PROMPT):
        assert sections["also"]  # lower-level reasons to mention
    assert sections["safety"] and sections["disclaimer"]
    assert "not a diagnosis" in sections["disclaimer"][0]
    # everything the engine says is on the page
    shown = " ".join([view.action.text(), *(" ".join(v) for v in sections.values())])
    for paragraph in result.message.split("\n\n")[1:]:
        for sentence in paragraph.replace("Also mention to the doctor: ", "").split(". "):
            assert sentence.strip(". ") in shown, sentence
    assert wizard.about_button.isVisible() or not wizard.isVisible()
    assert symptoms.checks()[-1].reasons == result.reasons


def test_self_care_reassures_and_uses_the_users_own_log(
        wizard: SymptomWizard, symptoms: SymptomSession, clock: FakeClock) -> None:
    session = symptoms.session
    now = clock.now()
    for back in range(7):
        session.log("caffeine", 400 if back < 4 else 100, at=now - timedelta(days=back))
    symptoms.log_twitch("eyelid")
    set_answers(wizard, {"trigger_caffeine_stimulants": True, "trigger_stress_anxiety": True})
    sections = wizard.result_view.sections
    assert "7 in 10" in sections["reassurance"][0]
    assert len(sections["tips"]) == 3  # one line per named trigger, then general tips
    assert "Stress" in sections["tips"][0] and "Caffeine" in sections["tips"][1]
    assert "Caffeine was over your limit on 4 of the last 7 days." in sections["facts"]
    assert "Your diary has 1 twitch in the last 7 days, in the eyelid." in sections["facts"]
    assert "✓" in wizard.result_view.timeframe.text()


def test_about_page_names_every_source(wizard: SymptomWizard) -> None:
    go_to(wizard, "sudden_face_droop")
    wizard.set_answer("sudden_face_droop", True)
    wizard.next()
    wizard.show_about()
    assert wizard.index == wizard.about_index
    assert wizard.about_view.sources == [f"{s.title} ({s.publisher})" for s in SOURCES]
    assert "999" in wizard.about_view.number_note.text()
    assert "NHS Talking Therapies" in wizard.about_view.worry_help.text()  # en_GB
    wizard.back()
    assert wizard.index == wizard.result_index


@pytest.mark.parametrize(("setting", "number"), [
    ("en_GB", "999"), ("GB", "999"), ("fr_FR", "112"), ("en_US", "911"), ("US", "911"),
    ("en_AU", "000"), ("C", "your local emergency number (112 works in many countries)")])
def test_emergency_number_follows_the_locale_setting(setting: str, number: str) -> None:
    assert emergency_number(setting) == number


@pytest.mark.parametrize(("setting", "nhs"), [("en_GB", True), ("GB", True), ("cy_GB", True),
                                              ("en_US", False), ("en_IE", False), ("C", False)])
def test_help_with_health_anxiety_follows_the_region(setting: str, nhs: bool) -> None:
    assert ("NHS" in health_anxiety_help(setting)) is nhs


def light_palette() -> QPalette:
    palette = QPalette(QColor(239, 239, 239))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(0, 0, 0))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(48, 140, 198))
    return palette


def dark_palette() -> QPalette:
    palette = QPalette(QColor(45, 45, 48))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(role, QColor(230, 230, 230))
    palette.setColor(QPalette.ColorRole.Window, QColor(45, 45, 48))
    palette.setColor(QPalette.ColorRole.Base, QColor(30, 30, 32))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(61, 142, 201))
    return palette


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
def test_the_emergency_headline_is_unmistakable_in_both_palettes(palette: QPalette) -> None:
    window = palette.color(QPalette.ColorRole.Window)
    background, text = level_colours(TriageLevel.EMERGENCY, palette)
    assert contrast(background, text) >= 4.5
    hue = background.hsvHue()
    assert background.hsvSaturationF() > 0.4
    assert hue >= 330 or hue <= 15  # a red
    assert contrast(background, window) > 1.8  # stands out from the window itself
    for level in (TriageLevel.PROMPT, TriageLevel.ROUTINE, TriageLevel.SELF_CARE):
        calm, calm_text = level_colours(level, palette)
        assert contrast(calm, calm_text) >= 4.5
        assert calm.hsvSaturationF() < background.hsvSaturationF()


def test_long_options_wrap_instead_of_widening_the_dialog(qtbot) -> None:
    radio = OptionRadio("A long option " * 12, "and a hint that is long as well " * 3)
    qtbot.addWidget(radio)
    assert radio.hasHeightForWidth()
    assert radio.heightForWidth(200) > radio.heightForWidth(1200)
    assert radio.minimumSizeHint().width() < 400
    assert radio.accessibleName().startswith("A long option")


def test_only_a_self_care_result_signposts_help_with_health_anxiety(
        wizard: SymptomWizard, settings_holder: MemorySettings) -> None:
    finish(wizard)
    assert wizard.triage_result is not None
    assert wizard.triage_result.level is TriageLevel.SELF_CARE
    (help_text,) = wizard.result_view.sections["worry"]
    assert "NHS Talking Therapies" in help_text  # the fixture's region is en_GB


def test_help_with_health_anxiety_elsewhere_names_a_doctor_or_psychologist(
        qtbot, symptoms: SymptomSession, settings_holder: MemorySettings) -> None:
    settings_holder.value = settings_holder.value.replace(locale="en_US")
    wizard = SymptomWizard(symptoms)
    qtbot.addWidget(wizard)
    finish(wizard)
    (help_text,) = wizard.result_view.sections["worry"]
    assert "doctor or psychologist" in help_text and "NHS" not in help_text


def test_an_emergency_result_has_no_worry_section(wizard: SymptomWizard) -> None:
    go_to(wizard, "breathing")
    wizard.set_answer("breathing", "struggling_to_breathe")
    wizard.next()
    assert wizard.triage_result is not None
    assert wizard.triage_result.level is TriageLevel.EMERGENCY
    assert "worry" not in wizard.result_view.sections


def test_result_view_reads_without_a_wizard(qtbot) -> None:
    view = ResultView()
    qtbot.addWidget(view)
    result = triage(DEFAULT_ANSWERS, emergency_number="112")
    view.show_result(result, DEFAULT_ANSWERS, "112", ["You logged nothing unusual."])
    assert view.sections["facts"] == ["You logged nothing unusual."]
    assert view.never_dials.isHidden()


def test_a_database_problem_never_holds_back_the_result(
        qtbot, wizard: SymptomWizard, symptoms: SymptomSession,
        connection: sqlite3.Connection, request: pytest.FixtureRequest) -> None:
    # A real failure of the real database: another program holds its write lock (and the
    # connection does not wait), so the store raises storage's DatabaseLocked; the wizard,
    # which imports neither sqlite3 nor storage, catches it as the StorageError of ui/services.
    connection.execute("PRAGMA busy_timeout = 0")
    holder = sqlite3.connect(database_path(connection), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    request.addfinalizer(holder.close)
    with pytest.raises(StorageError, match="locked"):
        symptoms.save_check(DEFAULT_ANSWERS, triage(DEFAULT_ANSWERS, emergency_number="999"))
    go_to(wizard, "breathing")
    wizard.set_answer("breathing", "struggling_to_breathe")
    with qtbot.assert_not_emitted(wizard.check_saved):
        wizard.next()
    assert wizard.index == wizard.result_index
    assert "Call emergency services now on 999" in wizard.result_view.action.text()
    assert "could not be saved" in wizard.result_view.not_saved.text()
    holder.rollback()
    assert symptoms.checks() == []


def test_a_log_that_cannot_be_read_leaves_out_the_facts_not_the_advice(
        wizard: SymptomWizard, symptoms: SymptomSession,
        connection: sqlite3.Connection) -> None:
    connection.execute("ALTER TABLE twitches RENAME TO twitches_gone")
    with pytest.raises(sqlite3.OperationalError):
        symptoms.recent_facts(DEFAULT_ANSWERS)
    set_answers(wizard, {"trigger_caffeine_stimulants": True})
    assert wizard.triage_result is not None
    assert wizard.triage_result.level is TriageLevel.SELF_CARE
    assert wizard.result_view.sections["tips"]
    assert not wizard.result_view.sections.get("facts")
    connection.execute("ALTER TABLE twitches_gone RENAME TO twitches")
