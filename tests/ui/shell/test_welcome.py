"""The first-run welcome: once, where Quell lives, start at login (checked by default)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from quell.platform import autostart
from quell.ui.services.session import Session
from quell.ui.shell.welcome import WelcomeDialog, show_welcome_once

ENTRY = "io.github.quellapp.Quell.desktop"


@pytest.fixture(autouse=True)
def autostart_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc-xdg"))
    monkeypatch.setattr(autostart, "FLATPAK_INFO", tmp_path / "no-flatpak-info")
    return tmp_path / "config" / "autostart"


def welcome(qtbot, session: Session, *, tray: bool = True) -> WelcomeDialog:
    dialog = WelcomeDialog(session, tray_available=tray)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.wait_exposed(dialog)
    return dialog


def test_says_what_quell_does_and_where_it_lives(qtbot, session: Session) -> None:
    dialog = welcome(qtbot, session)
    assert dialog.windowTitle() == "Welcome to Quell"
    assert "habits behind muscle twitches" in dialog.intro.text()
    assert dialog.where_heading.text() == "Quell lives in your tray"
    assert "near the clock" in dialog.where_detail.text()
    assert dialog.autostart_box.isChecked()  # offered, checked by default
    assert dialog.start_button.isDefault()


def test_without_a_tray_it_says_quell_is_a_window(qtbot, session: Session) -> None:
    dialog = welcome(qtbot, session, tray=False)
    assert dialog.where_heading.text() == "Your desktop shows no tray"
    assert dialog.where_detail.text() == ("Quell opens as a window, and its reminders still "
                                          "come.")


def test_get_started_switches_start_at_login_on_and_is_not_shown_again(
        qtbot, session: Session, autostart_folder: Path) -> None:
    dialog = welcome(qtbot, session)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # keyboard first: Enter is "Get started"
    assert not dialog.isVisible()
    assert (autostart_folder / ENTRY).exists() and autostart.autostart_enabled()
    assert session.settings().welcomed
    assert show_welcome_once(session, tray_available=True) is None


def test_unchecked_leaves_start_at_login_off(qtbot, session: Session,
                                             autostart_folder: Path) -> None:
    dialog = welcome(qtbot, session)
    qtbot.keyClick(dialog.autostart_box, Qt.Key.Key_Space)
    assert not dialog.autostart_box.isChecked()
    dialog.start_button.click()
    assert not (autostart_folder / ENTRY).exists()
    assert session.settings().welcomed


def test_escape_closes_it_once_without_switching_anything(qtbot, session: Session,
                                                          autostart_folder: Path) -> None:
    dialog = welcome(qtbot, session)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert session.settings().welcomed
    assert not autostart_folder.exists()


def test_a_failure_shows_inline_and_the_dialog_stays(qtbot, session: Session,
                                                     autostart_folder: Path) -> None:
    autostart_folder.parent.mkdir(parents=True)
    autostart_folder.write_text("a file where the folder should be")
    dialog = welcome(qtbot, session)
    dialog.start_button.click()
    assert dialog.isVisible()
    assert "could not write its start-at-login entry" in dialog.error.message
    assert not session.settings().welcomed
    assert QApplication.overrideCursor() is None
    # The way on: untick the box and get started without it.
    dialog.autostart_box.setChecked(False)
    dialog.start_button.click()
    assert not dialog.isVisible() and session.settings().welcomed


def test_shown_once_only(qtbot, session: Session) -> None:
    first = show_welcome_once(session, tray_available=True)
    assert first is not None and first.isVisible()
    qtbot.addWidget(first)
    first.close()
    assert session.settings().welcomed
    assert show_welcome_once(session, tray_available=True) is None


def test_dark_palette_keeps_text_readable(qtbot, session: Session) -> None:
    from tests.ui.today.test_window import dark_palette

    dialog = WelcomeDialog(session, tray_available=True)
    qtbot.addWidget(dialog)
    dialog.setPalette(dark_palette())
    dialog.show()
    qtbot.wait_exposed(dialog)
    text = dialog.where_detail.palette().color(dialog.where_detail.foregroundRole())
    window = dialog.palette().color(dialog.backgroundRole())
    assert abs(text.lightness() - window.lightness()) > 100
