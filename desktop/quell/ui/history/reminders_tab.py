"""The History window's Reminders tab: when reminders fell due, by hour, and how they ended."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout

from quell.core import formatting
from quell.core.i18n import ngettext
from quell.ui.common.style import header_font, small_font
from quell.ui.history.charts import ADHERENCE_OUTCOMES, HourChart, Swatch, hour_text
from quell.ui.history.widgets import HistoryData, ScrollPage, compact, fit_rows, muted


class RemindersTab(ScrollPage):
    """Reminder outcomes by hour of the day: a chart, its legend and a table."""

    def __init__(self, data: HistoryData) -> None:
        super().__init__()
        self._data = data
        column = QVBoxLayout(self.content)
        column.setContentsMargins(4, 12, 8, 8)
        column.setSpacing(8)
        self.reminder_summary = QLabel()
        self.reminder_summary.setFont(header_font(self.font(), scale=1.1))
        self.reminder_summary.setWordWrap(True)
        column.addWidget(self.reminder_summary)
        column.addWidget(muted(QLabel(self.tr(
            "When reminders fell due, by hour of the day, and what you did with them.")),
            self.palette()))
        self.hour_chart = HourChart()
        self.hour_chart.setAccessibleName(self.tr("Reminder outcomes by hour of day"))
        column.addWidget(self.hour_chart)
        legend = QHBoxLayout()
        legend.setSpacing(5)
        names = {"done": self.tr("done"), "snoozed": self.tr("snoozed"),
                 "skipped": self.tr("skipped"), "missed": self.tr("missed")}
        for outcome in ADHERENCE_OUTCOMES:
            legend.addWidget(Swatch(outcome))
            label = QLabel(names[outcome])
            label.setFont(small_font(self.font()))
            legend.addWidget(label)
            legend.addSpacing(10)
        legend.addStretch(1)
        column.addLayout(legend)
        self.hour_note = muted(QLabel(), self.palette())
        self.hour_note.setFont(small_font(self.font()))
        self.hour_chart.item_focused.connect(self.hour_note.setText)
        column.addWidget(self.hour_note)
        self.hour_list = QTreeWidget()
        self.hour_list.setHeaderLabels([self.tr("Hour"), self.tr("Done"), self.tr("Snoozed"),
                                        self.tr("Skipped"), self.tr("Missed"),
                                        self.tr("Share done")])
        compact(self.hour_list)
        column.addWidget(self.hour_list)
        column.addStretch(1)

    def fill(self) -> None:
        hours = self._data.history.reminder_outcomes_by_hour()
        self.hour_chart.set_hours(hours)
        total = sum(sum(h.counts.get(o, 0) for o in ADHERENCE_OUTCOMES) for h in hours)
        done = sum(h.counts.get("done", 0) for h in hours)
        if total:
            self.reminder_summary.setText(ngettext(
                "{done} of {total} reminder done ({share} %)",
                "{done} of {total} reminders done ({share} %)", total).format(
                done=formatting.number(done), total=formatting.number(total),
                share=round(100 * done / total)))
        else:
            self.reminder_summary.setText(self.tr(
                "No reminders yet: once they run, you will see here which hours work for you."))
        self.hour_note.setText(self.tr("Hover over an hour, or focus the chart and use the "
                                       "arrow keys, to read its numbers."))
        self.hour_list.clear()
        for hour in hours:
            counts = hour.counts
            shown = sum(counts.get(o, 0) for o in ADHERENCE_OUTCOMES)
            if not shown:
                continue
            item = QTreeWidgetItem(
                [f"{hour.hour:02d}:00"]
                + [str(counts.get(o, 0)) for o in ADHERENCE_OUTCOMES]
                + [f"{round(100 * counts.get('done', 0) / shown)} %"])
            item.setToolTip(0, hour_text(hour, self.tr))
            for column in range(1, 6):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            self.hour_list.addTopLevelItem(item)
        fit_rows(self.hour_list)
        self.hour_list.setVisible(bool(total))
