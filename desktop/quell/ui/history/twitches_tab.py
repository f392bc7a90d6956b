"""The History window's Twitches tab: episodes per day over a period, and the body areas."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from quell.core import formatting
from quell.core.i18n import ngettext
from quell.ui.common.dates import qdate
from quell.ui.common.style import header_font, small_font
from quell.ui.history.charts import TwitchChart
from quell.ui.history.widgets import HistoryData, ScrollPage, compact, fit_rows, muted, section


class TwitchesTab(ScrollPage):
    """Twitch episodes per day in the chosen period, with a table of the body areas."""

    def __init__(self, data: HistoryData) -> None:
        super().__init__()
        self._data = data
        column = QVBoxLayout(self.content)
        column.setContentsMargins(4, 12, 8, 8)
        column.setSpacing(8)
        top = QHBoxLayout()
        self.twitch_summary = QLabel()
        self.twitch_summary.setWordWrap(True)
        self.twitch_summary.setFont(header_font(self.font(), scale=1.1))
        self.twitch_period = QComboBox()
        self.twitch_period.setAccessibleName(self.tr("Period"))
        for days, text in ((91, self.tr("Last 3 months")), (365, self.tr("Last 12 months")),
                           (0, self.tr("All time"))):
            self.twitch_period.addItem(text, days)
        self.twitch_period.currentIndexChanged.connect(lambda _i: self.fill())
        top.addWidget(self.twitch_summary, 1)
        top.addWidget(self.twitch_period)
        column.addLayout(top)
        self.twitch_chart = TwitchChart()
        self.twitch_chart.setAccessibleName(self.tr("Twitch episodes per day"))
        self.twitch_note = muted(QLabel(), self.palette())
        self.twitch_note.setFont(small_font(self.font()))
        self.twitch_chart.item_focused.connect(self.twitch_note.setText)
        column.addWidget(self.twitch_chart)
        column.addWidget(self.twitch_note)
        column.addSpacing(8)
        column.addWidget(section(self.tr("Body areas"), self))
        self.area_list = QTreeWidget()
        self.area_list.setHeaderLabels([self.tr("Area"), self.tr("Episodes"),
                                        self.tr("Share"), self.tr("Average intensity"),
                                        self.tr("Last logged")])
        compact(self.area_list)
        column.addWidget(self.area_list)
        self.twitch_empty = muted(QLabel(self.tr(
            "No twitches logged yet. Log one from the tray menu or with "
            "“quell twitch eyelid”; after a few weeks you will see here how they come and "
            "go.")), self.palette())
        self.twitch_empty.setWordWrap(True)
        column.addWidget(self.twitch_empty)
        column.addStretch(1)

    def _twitch_range(self) -> tuple[date | None, date]:
        today = self._data.today
        days = int(self.twitch_period.currentData() or 0)
        if days:
            return today - timedelta(days=days - 1), today
        return None, today

    def fill(self) -> None:
        first, last = self._twitch_range()
        days = self._data.history.twitch_days(first, last)
        areas = self._data.history.twitch_areas(first, last)
        chart_first = first or (days[0].day if days else last - timedelta(days=90))
        self.twitch_chart.set_days(days, chart_first, last)
        episodes = sum(d.episodes for d in days)
        has_any = bool(episodes)
        self.twitch_empty.setVisible(not has_any)
        self.area_list.setVisible(has_any)
        if has_any:
            mean = sum(d.mean_intensity * d.episodes for d in days) / episodes
            self.twitch_summary.setText(ngettext(
                "{n} episode on {d} of {total} days · intensity {mean} of 5",
                "{n} episodes on {d} of {total} days · average intensity {mean} of 5",
                episodes).format(
                n=formatting.number(episodes), d=len(days),
                total=(last - chart_first).days + 1, mean=formatting.number(mean, 1)))
        else:
            self.twitch_summary.setText(self.tr("No twitches in this period"))
        self.twitch_note.setText(self.tr("Hover over a day, or focus the chart and use the "
                                         "arrow keys, to read its numbers."))
        self.area_list.clear()
        for area in areas:
            share = round(100 * area.episodes / episodes) if episodes else 0
            item = QTreeWidgetItem([
                _area_label(area.area), formatting.number(area.episodes),
                f"{share} %", formatting.number(area.mean_intensity, 1),
                QLocale().toString(qdate(area.last_day), "d MMM yyyy")])
            for column in (1, 2, 3):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            self.area_list.addTopLevelItem(item)
        fit_rows(self.area_list)


def _area_label(area: str) -> str:
    """A body area's name in the user's language."""
    def tr(text: str) -> str:
        return QCoreApplication.translate("history", text)

    names = {"eyelid": tr("Eyelid"), "face": tr("Face"), "neck": tr("Neck"),
             "shoulder": tr("Shoulder"), "arm": tr("Arm"), "hand": tr("Hand"),
             "chest": tr("Chest"), "back": tr("Back"), "abdomen": tr("Abdomen"),
             "thigh": tr("Thigh"), "calf": tr("Calf"), "foot": tr("Foot"), "other": tr("Other")}
    return names.get(area, area)
