"""The History window's Twitches tab: the daily twitch rating (or the episodes logged) over a
period, and the body areas; or, while the user has hidden the twitch charts, a calm note."""

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
    QWidget,
)

from quell.core import formatting
from quell.core.i18n import ngettext
from quell.core.insights import Outcome
from quell.core.ratings import TwitchRating, summarize_ratings
from quell.core.settings import twitch_charts_hidden
from quell.ui.common.dates import day_text, qdate
from quell.ui.common.form_dialog import plain_button
from quell.ui.common.style import header_font, small_font
from quell.ui.history.charts import RatingChart, TwitchChart
from quell.ui.history.widgets import HistoryData, ScrollPage, compact, fit_rows, muted, section


class TwitchesTab(ScrollPage):
    """The daily rating per day in the chosen period (the episodes per day for a user who
    logs them and has not rated), with a table of the body areas."""

    def __init__(self, data: HistoryData) -> None:
        super().__init__()
        self._data = data
        column = QVBoxLayout(self.content)
        column.setContentsMargins(4, 12, 8, 8)
        column.setSpacing(8)
        self.hidden_note = QLabel()
        self.hidden_note.setWordWrap(True)
        self.show_button = plain_button(self.tr("&Show them again"), self._show_charts)
        hidden_row = QHBoxLayout()
        hidden_row.addWidget(self.hidden_note, 1)
        hidden_row.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hidden_box = QWidget()
        self.hidden_box.setLayout(hidden_row)
        column.addWidget(self.hidden_box)
        self.charts = QWidget()
        column.addWidget(self.charts)
        column.addStretch(1)
        column = QVBoxLayout(self.charts)
        column.setContentsMargins(0, 0, 0, 0)
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
        self.measure = QComboBox()
        self.measure.setAccessibleName(self.tr("Show"))
        self.measure.addItem(self.tr("Daily rating"), Outcome.RATING)
        self.measure.addItem(self.tr("Episodes logged"), Outcome.EPISODES)
        self.measure.currentIndexChanged.connect(lambda _i: self.fill())
        top.addWidget(self.twitch_summary, 1)
        top.addWidget(self.measure)
        top.addWidget(self.twitch_period)
        column.addLayout(top)
        self.rating_chart = RatingChart()
        self.rating_chart.setAccessibleName(self.tr("Daily twitch rating"))
        self.twitch_chart = TwitchChart()
        self.twitch_chart.setAccessibleName(self.tr("Twitch episodes per day"))
        self.twitch_note = muted(QLabel(), self.palette())
        self.twitch_note.setFont(small_font(self.font()))
        self.twitch_chart.item_focused.connect(self.twitch_note.setText)
        self.rating_chart.item_focused.connect(self.twitch_note.setText)
        column.addWidget(self.rating_chart)
        column.addWidget(self.twitch_chart)
        column.addWidget(self.twitch_note)
        column.addSpacing(8)
        self.areas_heading = section(self.tr("Body areas"), self)
        column.addWidget(self.areas_heading)
        self.area_list = QTreeWidget()
        compact(self.area_list)
        column.addWidget(self.area_list)
        self.twitch_empty = muted(QLabel(), self.palette())
        self.twitch_empty.setWordWrap(True)
        column.addWidget(self.twitch_empty)

    def _twitch_range(self) -> tuple[date | None, date]:
        today = self._data.today
        days = int(self.twitch_period.currentData() or 0)
        if days:
            return today - timedelta(days=days - 1), today
        return None, today

    def shows(self) -> Outcome:
        """What the tab shows: the daily rating, unless the user has only episodes (or picked
        them while having both)."""
        history = self._data.history
        has_ratings, has_episodes = history.has_ratings(), bool(history.twitch_days())
        both = has_ratings and has_episodes
        self.measure.setVisible(both)
        if both:
            return Outcome(self.measure.currentData())
        return Outcome.EPISODES if has_episodes else Outcome.RATING

    def fill(self) -> None:
        session = self._data.session
        settings = session.settings()
        now = session.tracker.clock.now()
        hidden = twitch_charts_hidden(settings, now)
        self.hidden_box.setVisible(hidden)
        self.charts.setVisible(not hidden)
        if hidden:
            until = settings.twitch_charts_hidden_until
            assert until is not None
            self.hidden_note.setText(self.tr(
                "The twitch charts are hidden until {day}, as you chose. Looking at them often "
                "tends to keep attention on twitching; a break from them often helps.").format(
                day=day_text(until.astimezone(now.tzinfo).date())))
            return
        if self.shows() is Outcome.RATING:
            self._fill_ratings()
        else:
            self._fill_episodes()

    def _show_charts(self) -> None:
        session = self._data.session
        session.save_settings(session.settings().replace(twitch_charts_hidden_until=None))
        self.fill()

    def _fill_ratings(self) -> None:
        first, last = self._twitch_range()
        ratings = self._data.history.twitch_ratings(first, last)
        chart_first = first or (min(ratings) if ratings else last - timedelta(days=90))
        summary = summarize_ratings(
            [TwitchRating(day, value) for day, value in ratings.items()], chart_first, last)
        self.twitch_chart.hide()
        self.rating_chart.show()
        self.rating_chart.set_ratings(ratings, chart_first, last)
        has_any = bool(ratings)
        self.twitch_empty.setText(self.tr(
            "No day rated yet. At the end of a day, choose Twitching today in the tray menu "
            "(or run “quell rate 2”); after a few weeks you will see here how it goes."))
        self.twitch_empty.setVisible(not has_any)
        if has_any and summary.mean is not None:
            self.twitch_summary.setText(self.tr(
                "Rated {d} of {total} days · on average {mean} of 4").format(
                d=formatting.number(summary.rated_days), total=formatting.number(summary.days),
                mean=formatting.number(summary.mean, 1)))
        else:
            self.twitch_summary.setText(self.tr("No day rated in this period"))
        self.twitch_note.setText(self.tr("Hover over a day, or focus the chart and use the "
                                         "arrow keys, to read its rating."))
        areas = self._data.history.rating_areas(first, last)
        self.area_list.setVisible(bool(areas))
        self.areas_heading.setVisible(bool(areas))
        self.area_list.clear()
        self.area_list.setHeaderLabels([self.tr("Area"), self.tr("Days named"),
                                        self.tr("Share of rated days")])
        for area, count in areas:
            share = round(100 * count / summary.rated_days) if summary.rated_days else 0
            item = QTreeWidgetItem([_area_label(area), formatting.number(count), f"{share} %"])
            for column in (1, 2):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            self.area_list.addTopLevelItem(item)
        fit_rows(self.area_list)

    def _fill_episodes(self) -> None:
        first, last = self._twitch_range()
        self.rating_chart.hide()
        self.twitch_chart.show()
        self.twitch_empty.setText(self.tr(
            "No twitches logged yet. Log one from the tray menu or with "
            "“quell twitch eyelid”; after a few weeks you will see here how they come and "
            "go."))
        self.area_list.setHeaderLabels([self.tr("Area"), self.tr("Episodes"),
                                        self.tr("Share"), self.tr("Average intensity"),
                                        self.tr("Last logged")])
        days = self._data.history.twitch_days(first, last)
        areas = self._data.history.twitch_areas(first, last)
        chart_first = first or (days[0].day if days else last - timedelta(days=90))
        self.twitch_chart.set_days(days, chart_first, last)
        episodes = sum(d.episodes for d in days)
        has_any = bool(episodes)
        self.twitch_empty.setVisible(not has_any)
        self.area_list.setVisible(has_any)
        self.areas_heading.setVisible(has_any)
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
