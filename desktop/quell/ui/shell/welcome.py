"""The first-run welcome: what Quell does, where it lives, and starting it when you log in.

Shown once (``Settings.welcomed`` is saved however it is closed): also when the first start is
``quell --background``, since a user who switched autostart on from the command line has still
never been told where Quell lives. "Get started" applies the start-at-login box; closing the
window with Escape or its close button leaves that setting as it was.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from quell.platform.autostart import AutostartError, autostart_enabled, set_autostart
from quell.ui.common.style import InlineMessage, bold_font, header_font, hint_label
from quell.ui.services.session import Session


class WelcomeDialog(QDialog):
    """A short, calm welcome; keyboard-first ("Get started" is the default button).

    *tray_available*: whether the desktop shows a tray (else Quell is a window app there).
    """

    def __init__(self, session: Session, *, tray_available: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._saved = False
        self.setWindowTitle(self.tr("Welcome to Quell"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(12)

        title = QLabel(self.tr("Welcome to Quell"))
        title.setFont(header_font(self.font(), scale=1.4))
        layout.addWidget(title)
        self.intro = QLabel(self.tr(
            "Quell keeps an eye on the everyday habits behind muscle twitches (water, caffeine, "
            "sleep, stretching, stress) and reminds you, gently, to look after them."))
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)

        where = QHBoxLayout()
        where.setSpacing(12)
        icon = QLabel()
        if tray_available:  # the icon to look for
            from quell.ui.shell.tray_icon import tray_icon

            icon.setPixmap(tray_icon(0, False).pixmap(32, 32))
            icon.setAccessibleName(self.tr("Quell's tray icon"))
        else:
            from quell.ui.common.resources import app_icon

            icon.setPixmap(app_icon().pixmap(32, 32))
            icon.setAccessibleName(self.tr("Quell's icon"))
        where.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        heading, detail = self._where_texts(tray_available)
        self.where_heading = QLabel(heading)
        self.where_heading.setFont(bold_font(self.font()))
        self.where_detail = QLabel(detail)
        self.where_detail.setWordWrap(True)
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self.where_heading)
        words.addWidget(self.where_detail)
        words.addStretch(1)
        where.addLayout(words, 1)
        layout.addLayout(where)

        login = QVBoxLayout()  # the box and its hint read as one
        login.setSpacing(2)
        self.autostart_box = QCheckBox(self.tr("&Start Quell when I log in"))
        self.autostart_box.setChecked(True)
        login.addWidget(self.autostart_box)
        note = hint_label(self.tr(
            "So the reminders come every day, also after a restart. You can change this later "
            "in Settings."), self.font(), self.palette())
        note.setIndent(_checkbox_indent(self.autostart_box))
        login.addWidget(note)
        layout.addLayout(login)
        self.error = InlineMessage(self)
        layout.addWidget(self.error)
        layout.addStretch(1)  # any spare height goes above the button, not between lines

        self.buttons = QDialogButtonBox()
        self.start_button = QPushButton(self.tr("&Get started"))
        self.start_button.setDefault(True)
        self.start_button.setAutoDefault(True)
        self.buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._get_started)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.start_button.setFocus()

    def _where_texts(self, tray_available: bool) -> tuple[str, str]:
        if not tray_available:
            return (self.tr("Your desktop shows no tray"),
                    self.tr("Quell opens as a window, and its reminders still come."))
        if sys.platform == "win32":
            place = self.tr("Find its icon in the notification area next to the clock (it may "
                            "be hidden under the ^ arrow).")
        elif sys.platform == "darwin":
            place = self.tr("Find its icon in the menu bar at the top right of your screen.")
        else:
            place = self.tr("Find its icon in the tray near the clock, at the top or the "
                            "bottom of your screen.")
        return (self.tr("Quell lives in your tray"),
                place + " " + self.tr("Click it to see your day; its menu logs a habit in one "
                                      "click."))

    def _get_started(self) -> None:
        wanted = self.autostart_box.isChecked()
        self.error.clear_message()
        if wanted != autostart_enabled():
            self.start_button.setEnabled(False)  # the Flatpak portal may take a while
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                set_autostart(wanted)
            except AutostartError as error:
                self.error.show_message(str(error))
                self.autostart_box.setFocus()
                return
            finally:
                QGuiApplication.restoreOverrideCursor()
                self.start_button.setEnabled(True)
        self.accept()

    def done(self, result: int) -> None:
        self._mark_welcomed()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._mark_welcomed()
        super().closeEvent(event)

    def _mark_welcomed(self) -> None:
        if self._saved:
            return
        self._saved = True
        settings = self._session.settings()
        if not settings.welcomed:
            self._session.save_settings(settings.replace(welcomed=True))


def _checkbox_indent(box: QCheckBox) -> int:
    """Line a hint up with the checkbox's text, past its indicator."""
    from PySide6.QtWidgets import QStyle

    style = box.style()
    return (style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
            + style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing))


def show_welcome_once(session: Session, *, tray_available: bool,
                      parent: QWidget | None = None) -> WelcomeDialog | None:
    """Show the welcome if this user has never seen it; return it (keep a reference, and
    delete it when the app stops: quitting is not closing it, so it shows again next time)."""
    if session.settings().welcomed:
        return None
    dialog = WelcomeDialog(session, tray_available=tray_available, parent=parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
