"""The emergency signs card: when to call emergency services now, one click from anywhere.

It asks nothing and reads nothing from the database, so it opens at once: from the tray, the
main window's Twitches menu and the symptom check's first page. The signs are TRIAGE.md's
emergency rules in plain words (``quell.core.triage_text.emergency_signs``); the number is the
one for the user's region.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from quell.core.triage import TriageLevel
from quell.core.triage_text import (
    emergency_signs,
    emergency_signs_footer,
    emergency_signs_heading,
)
from quell.ui.common.readable_widgets import Bullet, paragraph
from quell.ui.common.style import header_font, mix, set_text_color, small_font
from quell.ui.symptoms.result import LEVEL_SIGNS, Card, level_colours


class EmergencySignsCard(QDialog):
    """The signs that mean calling emergency services now, with the region's number."""

    def __init__(self, emergency_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emergencySigns")
        self.setWindowTitle(self.tr("Emergency signs"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        self.card, inside = Card.with_column()
        self.heading = paragraph("", font=header_font(self.font(), scale=1.25))
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inside.addWidget(self.heading)
        self.signs = [Bullet(sign) for sign in emergency_signs()]
        for bullet in self.signs:
            inside.addWidget(bullet)
        first, *rest = emergency_signs_footer()
        self.call_note = paragraph(first, font=header_font(self.font(), scale=1.0))
        inside.addWidget(self.call_note)
        self.never_dials = paragraph(self.tr("Use your phone to call: Quell cannot call for "
                                             "you."), font=small_font(self.font()))
        inside.addWidget(self.never_dials)
        layout.addWidget(self.card)
        self.calm = [paragraph(line) for line in rest]
        for label in self.calm:
            layout.addWidget(label)
        layout.addStretch(1)  # a taller window keeps the card and its note together
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setDefault(True)
        layout.addWidget(buttons)
        self._paint()
        self.set_number(emergency_number)
        self.setMinimumWidth(460)
        width = 520
        self.resize(width, max(self.heightForWidth(width), self.minimumSizeHint().height()))

    def set_number(self, emergency_number: str) -> None:
        """Show *emergency_number* (the region may have changed since the card was made)."""
        self.heading.setText(f"{LEVEL_SIGNS[TriageLevel.EMERGENCY]}  "
                             f"{emergency_signs_heading(emergency_number)}")
        self.card.setAccessibleName(self.heading.text())

    def lines(self) -> list[str]:
        """What the card says, in order (for tests and screen readers' sake)."""
        return [self.heading.text(), *(b.text() for b in self.signs), self.call_note.text(),
                self.never_dials.text(), *(label.text() for label in self.calm)]

    def _paint(self) -> None:
        background, foreground = level_colours(TriageLevel.EMERGENCY, self.palette())
        border = mix(background, self.palette().color(QPalette.ColorRole.WindowText), 0.25)
        self.card.set_colours(background, border)
        for widget in (self.heading, self.call_note, self.never_dials, *self.signs):
            set_text_color(widget, foreground)  # a bullet's mark and text inherit it
