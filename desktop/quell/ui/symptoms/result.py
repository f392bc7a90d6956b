"""The symptom check's result page (action first, then why) and its "About this check" page."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from quell.core.triage import (
    ANSWER_KEYS,
    REASON_LEVELS,
    SOURCES,
    Answers,
    TriageLevel,
    TriageResult,
    advice,
    disclaimer,
    level_action,
    level_timeframe,
    reason_text,
    safety_net,
)
from quell.core.triage_text import also_mention, trigger_tip
from quell.ui.common.readable_widgets import Bullet, paragraph
from quell.ui.common.style import (
    bold_font,
    contrast,
    header_font,
    mix,
    muted_color,
    set_text_color,
    small_font,
    warning_color,
)


def _tr(text: str) -> str:
    """Translate text used outside a QObject (the context names this module)."""
    return QCoreApplication.translate("symptom_result", text)




class Card(QFrame):
    """A rounded panel filled with *background* (the result's headline sits on one)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._background = QColor()
        self._border = QColor()

    @classmethod
    def with_column(cls) -> tuple[Card, QVBoxLayout]:
        """A card and the column its lines go in (the result's headline, the emergency
        signs)."""
        card = cls()
        column = QVBoxLayout(card)
        column.setContentsMargins(18, 14, 18, 16)
        column.setSpacing(6)
        return card, column

    def set_colours(self, background: QColor, border: QColor) -> None:
        self._background, self._border = background, border
        self.update()

    @property
    def background(self) -> QColor:
        return QColor(self._background)

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath()
        path.addRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 8, 8)
        painter.fillPath(path, self._background)
        painter.setPen(self._border)
        painter.drawPath(path)
        painter.end()


def level_colours(level: TriageLevel, palette: QPalette) -> tuple[QColor, QColor]:
    """(background, text) for a result's headline, from the palette.

    An emergency gets a strong warm red (dark red on light themes, a bright red on dark ones)
    with whichever palette text colour reads best on it; the calmer levels only tint the window.
    """
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    warning = warning_color(palette)
    if level is TriageLevel.EMERGENCY:
        background = warning
        candidates = [window, text, palette.color(QPalette.ColorRole.Base),
                      palette.color(QPalette.ColorRole.BrightText), QColor(0, 0, 0),
                      QColor(255, 255, 255)]
        foreground = max(candidates, key=lambda c: contrast(c, background))
        return background, foreground
    if level is TriageLevel.URGENT_SAME_DAY:
        return mix(window, warning, 0.2), text
    if level is TriageLevel.SELF_CARE:
        return mix(window, palette.color(QPalette.ColorRole.Highlight), 0.14), text
    return mix(window, text, 0.07), text


# A sign beside each level's name, so a result never rests on colour alone.
LEVEL_SIGNS = {
    TriageLevel.EMERGENCY: "⚠",
    TriageLevel.URGENT_SAME_DAY: "!",
    TriageLevel.PROMPT: "➜",
    TriageLevel.ROUTINE: "➜",
    TriageLevel.SELF_CARE: "✓",
}


class ResultView(QWidget):
    """The result: the action and timeframe first and large, then why, then what else."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level: TriageLevel | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 12, 4)
        layout.setSpacing(10)
        self.card, card = Card.with_column()
        self.timeframe = paragraph("", font=bold_font(self.font()))
        self.action = paragraph("", font=header_font(self.font(), scale=1.45))
        self.action.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.never_dials = paragraph("", font=small_font(self.font()))
        card.addWidget(self.timeframe)
        card.addWidget(self.action)
        card.addWidget(self.never_dials)
        layout.addWidget(self.card)
        self.body = QVBoxLayout()
        self.body.setSpacing(6)
        layout.addLayout(self.body)
        layout.addStretch(1)
        self.sections: dict[str, list[str]] = {}

    def _heading(self, text: str) -> None:
        label = paragraph(text, font=header_font(self.font(), scale=1.05))
        label.setContentsMargins(0, 8, 0, 0)
        self.body.addWidget(label)

    def _lines(self, texts: Sequence[str], *, bullet: bool = True) -> None:
        for text in texts:
            if bullet:
                self.body.addWidget(Bullet(text))
            else:
                label = paragraph(text)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.body.addWidget(label)

    def _section(self, name: str, heading: str, texts: Sequence[str], *,
                 bullet: bool = True) -> None:
        if not texts:
            return
        self.sections[name] = list(texts)
        self._heading(heading)
        self._lines(texts, bullet=bullet)

    def show_result(self, result: TriageResult, answers: Answers, emergency_number: str,
                    facts: Sequence[str] = (), worry_help: str = "") -> None:
        """Fill the page for *result*; *facts* are sentences from the user's own log;
        *worry_help* says where to get help with health anxiety (on a self-care result)."""
        self._clear()
        level = self.level = result.level
        background, foreground = level_colours(level, self.palette())
        border = mix(background, self.palette().color(QPalette.ColorRole.WindowText), 0.25)
        self.card.set_colours(background, border)
        for label in (self.timeframe, self.action, self.never_dials):
            set_text_color(label, foreground)
        heading = level_timeframe(level)
        if level is TriageLevel.EMERGENCY:
            heading = _tr("Emergency") + "  ·  " + heading
        self.timeframe.setText(f"{LEVEL_SIGNS[level]}  {heading}")
        self.action.setText(level_action(level, emergency_number))
        self.card.setAccessibleName(f"{level_timeframe(level)}. {self.action.text()}")
        if level is TriageLevel.EMERGENCY:
            self.never_dials.setText(_tr("Use your phone to call: Quell cannot call for you."))
            self.never_dials.show()
        else:
            self.never_dials.hide()

        main = [reason_text(r) for r in result.reasons if REASON_LEVELS[r] is level]
        lower = [reason_text(r) for r in result.reasons if REASON_LEVELS[r] is not level]
        self._section("why", _tr("Why"), main)
        self._section("also", also_mention(), lower)
        paragraphs = list(advice(answers, level, result.reasons))
        if level is TriageLevel.SELF_CARE:
            known = 2 if answers.doctor_checked_no_change else 1
            self._section("reassurance", _tr("Good to know"), paragraphs[:known], bullet=False)
            self._section("tips", _tr("What can help"), _one_tip_a_line(paragraphs[known:],
                                                                        answers))
            self._section("facts", _tr("From your own log"), list(facts))
            self._section("worry", _tr("If worry about your health stays with you"),
                          [worry_help] if worry_help else [], bullet=False)
        else:
            self._section("advice", _tr("Meanwhile"), paragraphs)
        self._section("safety", _tr("If things change"),
                      [safety_net(level, emergency_number)], bullet=False)
        note = paragraph(disclaimer(), font=small_font(self.font()))
        set_text_color(note, muted_color(self.palette()))
        note.setContentsMargins(0, 10, 0, 0)
        self.body.addWidget(note)
        self.sections["disclaimer"] = [disclaimer()]

    def show_not_saved(self) -> None:
        """Say (under the result) that the check could not be kept in history."""
        self.not_saved = paragraph(_tr(
            "This check could not be saved to your history because of a problem with Quell's "
            "data file. The advice above still stands."), font=small_font(self.font()))
        set_text_color(self.not_saved, warning_color(self.palette()))
        self.body.addWidget(self.not_saved)

    def _clear(self) -> None:
        self.sections = {}
        while self.body.count():
            item = self.body.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()


def _one_tip_a_line(paragraphs: Sequence[str], answers: Answers) -> list[str]:
    """The engine's advice with its paragraph of trigger tips split into one tip per line."""
    tips = [trigger_tip(name) for name in ANSWER_KEYS
            if name.startswith("trigger_") and getattr(answers, name)]
    lines: list[str] = []
    for text in paragraphs:
        lines.extend(tips if tips and text == " ".join(tips) else [text])
    return lines


class AboutView(QWidget):
    """Where the check's rules come from, who it is for, and what it cannot do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 12, 4)
        layout.setSpacing(8)
        layout.addWidget(paragraph(_tr("About this check"),
                                    font=header_font(self.font(), scale=1.3)))
        layout.addWidget(paragraph(_tr(
            "The check asks about the warning signs doctors look for alongside twitching, "
            "and says how soon to get help. Most twitches are harmless; the questions are "
            "there to spot the few times they are not.")))
        layout.addWidget(paragraph(disclaimer()))
        self.number_note = paragraph("")
        layout.addWidget(self.number_note)
        self.worry_help = paragraph("")
        layout.addWidget(self.worry_help)
        layout.addWidget(paragraph(_tr(
            "Your answers stay on this computer, in Quell's history of checks, so you can "
            "compare them over time and show them to your doctor.")))
        layout.addWidget(paragraph(_tr("Sources"), font=header_font(self.font(), scale=1.05)))
        self.sources = [f"{source.title} ({source.publisher})" for source in SOURCES]
        for text in self.sources:
            layout.addWidget(Bullet(text))
        layout.addWidget(paragraph(_tr(
            "About 7 in 10 healthy people notice twitches at some point. In a long-term Mayo "
            "Clinic follow-up of people with harmless twitching, none went on to develop a "
            "serious nerve disease.")))
        layout.addStretch(1)

    def set_worry_help(self, text: str) -> None:
        """Where to get help with health anxiety, for the user's region."""
        self.worry_help.setText(text)

    def set_emergency_number(self, number: str) -> None:
        self.number_note.setText(_tr(
            "Quell never calls anyone for you. In an emergency, call {number} yourself. The "
            "number follows your region (Settings), or your computer's region if none is "
            "set.").replace("{number}", number))

