"""The emergency signs card: the signs, the region's number, and never more than two clicks
away (the tray menu, the main window's Twitches menu, the symptom check's first page)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from quell.app.windows import Windows
from quell.core.triage_text import emergency_signs
from quell.ui.services.session import Session
from quell.ui.services.symptom_session import SymptomSession
from quell.ui.shell.main_window import MainWindow
from quell.ui.shell.menus import AppActions
from quell.ui.shell.tray import TrayController
from quell.ui.symptoms.emergency_card import EmergencySignsCard
from quell.ui.symptoms.wizard import SymptomWizard
from tests.conftest import FakeClock
from tests.helpers import MemorySettings
from tests.ui.symptom_helpers import close_symptoms, open_symptoms


def test_the_card_names_the_signs_the_number_and_what_to_do(qtbot) -> None:
    card = EmergencySignsCard("999")
    qtbot.addWidget(card)
    lines = card.lines()
    assert lines[0] == "⚠  Call emergency services now on 999 if you notice any of these:"
    assert lines[1:7] == list(emergency_signs())
    assert lines[7:] == ["Do not drive yourself. Call even if it has passed.",
                         "Use your phone to call: Quell cannot call for you.",
                         "Twitching on its own is not one of these signs."]
    assert card.card.accessibleName() == lines[0]
    assert card.close_button.isDefault()
    card.set_number("112")
    assert "now on 112 if" in card.lines()[0]


def test_the_card_closes_with_escape(qtbot) -> None:
    card = EmergencySignsCard("911")
    qtbot.addWidget(card)
    card.show()
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    assert not card.isVisible()


@pytest.fixture
def tray(qtbot, session: Session) -> Iterator[TrayController]:
    controller = TrayController(session)
    yield controller
    controller.hide()
    controller.menu.deleteLater()
    controller.deleteLater()


def test_two_clicks_from_the_tray_open_the_menu_then_the_card(qtbot, tray: TrayController
                                                              ) -> None:
    action = tray.action("emergencySigns")
    assert action in tray.menu.actions()  # on the menu itself, not under More
    top = [a.objectName() for a in tray.menu.actions()]
    assert top.index("emergencySigns") == top.index("symptomCheck") + 1
    with qtbot.wait_signal(tray.open_emergency_signs):
        action.trigger()


def test_two_clicks_from_the_main_window_the_twitches_menu_then_the_card(
        qtbot, session: Session) -> None:
    actions = AppActions(session)
    window = MainWindow(session, actions, tray_available=lambda: True)
    qtbot.addWidget(window)
    twitches = window.findChild(QMenu, "twitchesMenu")
    assert twitches is not None and twitches.menuAction() in window.menuBar().actions()
    action = actions.action("emergencySigns")
    assert action in twitches.actions()
    with qtbot.wait_signal(actions.open_emergency_signs):
        action.trigger()


@pytest.fixture
def symptoms(qtbot, tmp_path, clock: FakeClock, settings_holder: MemorySettings
             ) -> Iterator[SymptomSession]:
    settings_holder.value = settings_holder.value.replace(locale="en_GB")
    made, database = open_symptoms(tmp_path / "data", clock, settings_holder)
    yield made
    close_symptoms(made, database)


def test_one_click_from_the_checks_first_page(qtbot, symptoms: SymptomSession) -> None:
    wizard = SymptomWizard(symptoms)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.index == 0 and wizard.emergency_button.isVisible()
    assert not wizard.emergency_button.autoDefault()  # Enter still goes on with the check
    with qtbot.wait_signal(wizard.emergency_signs_requested):
        qtbot.mouseClick(wizard.emergency_button, Qt.MouseButton.LeftButton)
    assert wizard.isVisible() and wizard.index == 0  # the check stays where it was


def test_windows_opens_the_card_at_once_with_the_regions_number(
        qtbot, session: Session, settings_holder: MemorySettings) -> None:
    settings_holder.value = settings_holder.value.replace(locale="en_US")
    windows = Windows(session)  # no stores at all: nothing is read before the card shows
    windows.show_emergency_signs()
    card = windows.emergency_card
    assert card is not None and card.isVisible()
    assert "now on 911 if" in card.lines()[0]
    settings_holder.value = settings_holder.value.replace(locale="en_GB")
    windows.show_emergency_signs()
    assert windows.emergency_card is card and "now on 999 if" in card.lines()[0]
    card.close()
    card.deleteLater()
