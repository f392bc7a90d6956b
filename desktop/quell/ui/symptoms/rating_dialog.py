"""The daily twitch rating: how much twitching bothered the user today, 0 to 4, and where."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QWidget,
)

from quell.core.errors import InputError
from quell.core.ratings import RATINGS, RatingChange, question, rating_label
from quell.core.twitches import AREAS, area_label
from quell.ui.common.dates import day_text
from quell.ui.common.form_dialog import FormDialog
from quell.ui.common.style import muted_color, set_text_color, small_font
from quell.ui.services.session import Session


class TwitchRatingDialog(FormDialog):
    """One rating for the day (0 not at all ... 4 a lot) and, if the user likes, the body
    areas; Save stores it, replacing the day's rating. It opens with the day's rating, if any.

    Signals:
        rated(object): the :class:`RatingChange` just stored.
    """

    rated = Signal(object)

    def __init__(self, session: Session, *, day: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        today = session.current_day()
        self._day = day or today
        self.change: RatingChange | None = None
        self.setWindowTitle(self.tr("Twitching today") if self._day == today
                            else self.tr("Twitching on {day}").format(day=day_text(self._day)))
        self.title.setText(question() if self._day == today else self.tr(
            "How much did twitching bother you on {day}?").format(day=day_text(self._day)))
        self.title.setWordWrap(True)
        hint = QLabel(self.tr("One answer for the whole day is enough; there is no need to "
                              "note each twitch."))
        hint.setWordWrap(True)
        hint.setFont(small_font(self.font()))
        set_text_color(hint, muted_color(self.palette()))
        self.heading.addWidget(hint)
        self.ok_button.setText(self.tr("&Save"))

        scale = QWidget()
        row = QHBoxLayout(scale)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        self.group = QButtonGroup(self)
        self.choices: dict[int, QRadioButton] = {}
        for value in RATINGS:
            button = QRadioButton(f"&{value}  {rating_label(value)}")
            button.setAccessibleName(f"{value}: {rating_label(value)}")
            self.group.addButton(button, value)
            self.choices[value] = button
            row.addWidget(button)
        row.addStretch(1)
        scale.setAccessibleName(question())
        self.form.addRow(scale)

        where = QLabel(self.tr("Where (optional)"))
        self.form.addRow(where)
        areas = QWidget()
        grid = QGridLayout(areas)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        self.area_boxes: dict[str, QCheckBox] = {}
        for index, area in enumerate(AREAS):
            box = QCheckBox(area_label(area))
            grid.addWidget(box, index // 5, index % 5)
            self.area_boxes[area] = box
        areas.setAccessibleName(self.tr("Where"))
        self.form.addRow(areas)

        stored = session.rating_on(self._day)
        if stored is not None:
            self.choices[stored.rating].setChecked(True)
            for area in stored.areas:
                self.area_boxes[area].setChecked(True)
            self.choices[stored.rating].setFocus()
        else:
            self.choices[RATINGS[0]].setFocus()
        self.ok_button.setEnabled(stored is not None)
        self.group.idToggled.connect(lambda _id, _on: self.ok_button.setEnabled(True))

    @property
    def day(self) -> date:
        """The day this dialog rates."""
        return self._day

    def value(self) -> int | None:
        """The rating chosen (None: none yet)."""
        chosen = self.group.checkedId()
        return chosen if chosen in RATINGS else None

    def areas(self) -> list[str]:
        return [area for area, box in self.area_boxes.items() if box.isChecked()]

    def _apply(self) -> None:
        value = self.value()
        if value is None:
            raise InputError(self.tr("Choose how much twitching bothered you, from 0 to 4."))
        self.change = self._session.rate(value, day=self._day, areas=self.areas())
        self.rated.emit(self.change)

