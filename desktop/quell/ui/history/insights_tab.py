"""The History window's Insights tab: what goes with the user's twitches, trigger by trigger,
strongest evidence first, with the caution that a correlation is not a cause."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from quell.core import formatting
from quell.core.i18n import ngettext
from quell.core.insights import Insights, Outcome, TriggerResult, caution, signed_points
from quell.ui.common.style import bold_font, header_font, small_font
from quell.ui.history.charts import IntervalPlot
from quell.ui.history.widgets import HistoryData, ScrollPage, days_text, muted, section


class InsightsTab(ScrollPage):
    """A card per trigger with enough data (rank, sentence, ratio and its interval), then the
    triggers still waiting for data."""

    def __init__(self, data: HistoryData) -> None:
        super().__init__()
        self._data = data
        self.insights_column = QVBoxLayout(self.content)
        self.insights_column.setContentsMargins(4, 12, 12, 12)
        self.insights_column.setSpacing(10)
        title = QLabel(self.tr("What goes with your twitches"))
        title.setFont(header_font(self.font(), scale=1.25))
        self.insights_summary = muted(QLabel(), self.palette())
        self.insights_summary.setWordWrap(True)
        caution_box = QFrame()
        caution_box.setFrameShape(QFrame.Shape.StyledPanel)
        caution_box.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        caution_box.setAutoFillBackground(True)
        caution_row = QHBoxLayout(caution_box)
        caution_row.setContentsMargins(10, 6, 10, 6)
        self.caution_label = QLabel(caution())
        self.caution_label.setWordWrap(True)
        caution_row.addWidget(self.caution_label)
        self.insights_column.addWidget(title)
        self.insights_column.addWidget(self.insights_summary)
        self.insights_column.addWidget(caution_box)
        self.insight_cards = QVBoxLayout()
        self.insight_cards.setSpacing(8)
        self.insights_column.addLayout(self.insight_cards)
        self.insights_column.addStretch(1)

    def insights(self) -> Insights:
        return self._data.insights()

    def fill(self) -> None:
        insights = self.insights()
        days = ngettext("{n} day", "{n} days", insights.days_considered).format(
            n=formatting.number(insights.days_considered))
        if insights.outcome is Outcome.RATING:
            self.insights_summary.setText(self.tr(
                "Based on {days} with a twitch rating and entries. Each trigger compares how "
                "much twitching bothered you, on average, on days with it and without it; the "
                "strongest evidence of worse days comes first.").format(days=days))
        else:
            self.insights_summary.setText(self.tr(
                "Based on {days} with entries and {episodes}. Each trigger "
                "compares twitches per day on days with it and without it; the strongest "
                "evidence of more twitches comes first.").format(
                days=days,
                episodes=ngettext("{n} twitch episode", "{n} twitch episodes",
                                  insights.episodes).format(
                    n=formatting.number(insights.episodes))))
        while self.insight_cards.count():
            item = self.insight_cards.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        ready = [t for t in insights.triggers if t.enough_data]
        waiting = [t for t in insights.triggers if not t.enough_data]
        for rank, result in enumerate(ready, start=1):
            self.insight_cards.addWidget(self._insight_card(rank, result))
        if waiting:
            heading = section(self.tr("Not enough data yet"), self)
            self.insight_cards.addSpacing(6)
            self.insight_cards.addWidget(heading)
            note = muted(QLabel(self.tr(
                "Each comparison needs at least 7 days with the trigger and 7 without. Keep "
                "logging and these fill in.")), self.palette())
            note.setWordWrap(True)
            self.insight_cards.addWidget(note)
            for result in waiting:
                self.insight_cards.addWidget(self._waiting_row(result))

    def _insight_card(self, rank: int, result: TriggerResult) -> QWidget:
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setObjectName(f"insight-{result.key}")
        row = QHBoxLayout(card)
        row.setContentsMargins(12, 10, 12, 10)
        row.setSpacing(16)
        text = QVBoxLayout()
        text.setSpacing(3)
        name = QLabel(f"{rank}. {result.name}")
        name.setFont(bold_font(self.font()))
        sentence = QLabel(result.sentence)
        sentence.setWordWrap(True)
        sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        certainty = muted(QLabel(result.certainty), self.palette())
        certainty.setWordWrap(True)
        certainty.setFont(small_font(self.font()))
        text.addWidget(name)
        text.addWidget(sentence)
        if result.context:
            context = QLabel(result.context)
            context.setObjectName(f"context-{result.key}")
            context.setWordWrap(True)
            text.addWidget(context)
        text.addWidget(certainty)
        row.addLayout(text, 1)
        figure = QVBoxLayout()
        figure.setSpacing(0)
        plot = IntervalPlot(result)
        plot.setFixedWidth(300)
        plot.setAccessibleDescription(f"{result.sentence} {result.certainty}")
        if result.outcome is Outcome.RATING:
            ratio = QLabel(self.tr("{points} points").format(
                points=signed_points(result.difference or 0.0)))
            ratio.setToolTip(self.tr("How much more twitching bothered you on days with the "
                                     "trigger, on the 0–4 scale (a minus: less)"))
            plot.setAccessibleName(self.tr("Difference and 95 % range for {name}").format(
                name=result.name))
            plot.setToolTip(self.tr("The diamond is the difference in the average rating; the "
                                    "line its 95 % range. Right of 0 means worse days with "
                                    "the trigger."))
        else:
            ratio = QLabel(self.tr("{ratio}×").format(
                ratio=formatting.number(result.rate_ratio or 0.0, 1)))
            ratio.setToolTip(self.tr("Twitches per day with the trigger, divided by twitches "
                                     "per day without it"))
            plot.setAccessibleName(self.tr("Rate ratio and 95 % range for {name}").format(
                name=result.name))
            plot.setToolTip(self.tr("The diamond is the rate ratio; the line its 95 % range. "
                                    "Right of 1× means more twitches on days with the "
                                    "trigger."))
        ratio.setFont(header_font(self.font(), scale=1.2))
        ratio.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        figure.addWidget(ratio)
        figure.addWidget(plot)
        row.addLayout(figure)
        card.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        card.setAccessibleName(result.name)
        card.setAccessibleDescription(" ".join(
            part for part in (result.sentence, result.context, result.certainty) if part))
        return card

    def _waiting_row(self, result: TriggerResult) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        name = QLabel(result.name)
        name.setMinimumWidth(200)
        text = muted(QLabel(self.tr("{with_} with · {without} without").format(
            with_=days_text(result.days_with),
            without=days_text(result.days_without))), self.palette())
        line.addWidget(name)
        line.addWidget(text, 1)
        row.setObjectName(f"waiting-{result.key}")
        row.setAccessibleName(f"{result.name}: {result.sentence}")
        return row
