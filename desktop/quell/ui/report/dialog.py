"""Make the PDF report for the doctor: choose a period and a file, then save it (gathered
and rendered off the GUI thread, through the background helper)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import shiboken6
from PySide6.QtCore import QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from quell.core.errors import InputError
from quell.core.i18n import count, ngettext
from quell.core.report import Report
from quell.ui.common.dates import date_edit, pydate, qdate
from quell.ui.common.form_dialog import plain_button
from quell.ui.common.style import InlineMessage, dialog_layout, hint_label
from quell.ui.report.pdf import write_report_pdf
from quell.ui.services.background import (
    USER_ERRORS,
    Connect,
    Job,
    JobControl,
    run_in_background,
)
from quell.ui.services.report import check_destination, check_period
from quell.ui.services.symptom_session import SymptomSession

QUICK_PERIODS = (30, 90, 365)

# Gathers the report for first..last day on the job's worker thread, from the job's own
# connection (``control.connection``); built by the composition root, which knows the stores.
Gather = Callable[[JobControl, date, date], Report]


def default_folder() -> Path:
    """The user's Documents folder (or home) for a new report."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class ReportDialog(QDialog):
    """Choose a period and a file, and save the doctor's report there as a PDF.

    The report is gathered (by *gather*, with the job's own database connection opened by
    *connect*) and rendered on a worker thread, so the GUI never waits for it. Without them
    it is gathered from *symptoms* on the GUI thread and only rendered on the worker.

    Signals:
        saved(str): the path of the PDF just written.
        save_failed(str): the problem, shown inline, when writing it failed.
    """

    saved = Signal(str)
    save_failed = Signal(str)

    def __init__(self, symptoms: SymptomSession, parent: QWidget | None = None, *,
                 gather: Gather | None = None, connect: Connect | None = None) -> None:
        super().__init__(parent)
        self._symptoms = symptoms
        self._gather = gather
        self._connect = connect
        self.saved_path: Path | None = None
        self.job: Job | None = None
        self.setWindowTitle(self.tr("Report for your doctor"))
        layout = dialog_layout(self, self.tr("Report for your doctor"))
        intro = QLabel(self.tr(
            "A PDF with your twitch diary, your symptom checks and a summary of your habits "
            "over the period you choose, to print or send before an appointment."))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        today = symptoms.current_day()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(8)
        self.first = self._date_edit(today - timedelta(days=QUICK_PERIODS[0] - 1), today)
        self.last = self._date_edit(today, today)
        period = QHBoxLayout()
        period.setSpacing(6)
        period.addWidget(self.first, 1)
        period.addWidget(QLabel("–"))
        period.addWidget(self.last, 1)
        from_label = QLabel(self.tr("&Period"))
        from_label.setBuddy(self.first)
        self.first.setAccessibleName(self.tr("First day"))
        self.last.setAccessibleName(self.tr("Last day"))
        form.addRow(from_label, period)
        quick = QHBoxLayout()
        quick.setSpacing(6)
        for days in QUICK_PERIODS:
            quick.addWidget(plain_button(
                count("Last {n} day", "Last {n} days", days),
                lambda _checked=False, d=days: self.set_last_days(d)))
        quick.addStretch(1)
        form.addRow("", quick)

        file_row = QHBoxLayout()
        file_row.setSpacing(6)
        self.path = QLineEdit(str(default_folder() / self.tr("Quell report {day}.pdf").format(
            day=today.isoformat())))
        self.path.setAccessibleName(self.tr("File"))
        choose = plain_button(self.tr("C&hoose…"), self.choose_file)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(choose)
        file_label = QLabel(self.tr("Save &as"))
        file_label.setBuddy(self.path)
        form.addRow(file_label, file_row)
        layout.addLayout(form)

        self.error = InlineMessage(self)
        layout.addWidget(self.error)
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        self.done_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.done_label.hide()
        layout.addWidget(self.done_label)
        layout.addWidget(hint_label(self.tr("The report holds health information: share it "
                                            "only with people you choose."),
                                    self.font(), self.palette()))
        layout.addStretch(1)

        buttons = QHBoxLayout()
        self.open_button = plain_button(self.tr("&Open the PDF"), self.open_pdf)
        self.open_button.hide()
        self.save_button = QPushButton(self.tr("&Save PDF"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = plain_button(self.tr("&Close"), self.reject)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        line = self.fontMetrics().height()
        self.resize(max(480, line * 34), self.sizeHint().height())

    def _date_edit(self, value: date, maximum: date) -> QDateEdit:
        edit = date_edit(value)
        edit.setMaximumDate(qdate(maximum))
        return edit

    def set_last_days(self, days: int) -> None:
        today = self._symptoms.current_day()
        self.last.setDate(qdate(today))
        self.first.setDate(qdate(today - timedelta(days=days - 1)))

    def period(self) -> tuple[date, date]:
        return pydate(self.first.date()), pydate(self.last.date())

    def choose_file(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save the report as"), self.path.text(), self.tr("PDF files (*.pdf)"))
        if chosen:
            if not chosen.lower().endswith(".pdf"):
                chosen += ".pdf"
            self.path.setText(chosen)

    def save(self) -> Job | None:
        """Start writing the PDF; ``saved`` follows. Problems found at once (no file, a period
        in the wrong order, a folder that does not exist) show inline and start nothing;
        problems found while writing show inline too (``save_failed``)."""
        if self.job is not None:
            return None  # one at a time; the button is disabled meanwhile
        self.done_label.hide()
        self.open_button.hide()
        text = self.path.text().strip()
        first, last = self.period()
        try:
            if not text:
                raise InputError(self.tr("choose where to save the report"))
            path = Path(text).expanduser()
            first, last = check_period(first, last, self._symptoms.current_day())
            check_destination(path)  # said at once, not after the gathering
            report = None if self._gather is not None else self._symptoms.build_report(
                first, last)
        except USER_ERRORS as error:
            self.error.show_message(str(error))
            return None
        gather = self._gather

        def work(control: JobControl) -> int:
            if report is not None:
                return write_report_pdf(report, path)
            assert gather is not None
            return write_report_pdf(gather(control, first, last), path)

        self.save_button.setEnabled(False)
        self.save_button.setText(self.tr("Saving…"))
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self.job = run_in_background(
            work, name="report", connect=self._connect if gather is not None else None,
            on_done=lambda pages: self._saved(path, pages), on_error=self._failed,
            expected=USER_ERRORS, uses_qt=True)
        return self.job

    def _finish_job(self) -> bool:
        """The job is over; False if this dialog was deleted meanwhile (nothing to show)."""
        QGuiApplication.restoreOverrideCursor()
        if not shiboken6.isValid(self):
            return False
        self.job = None
        self.save_button.setEnabled(True)
        self.save_button.setText(self.tr("&Save PDF"))
        return True

    def _saved(self, path: Path, pages: int) -> None:
        if not self._finish_job():
            return
        self.error.clear_message()
        self.saved_path = path
        self.done_label.setText(ngettext("Saved {n} page to {path}.",
                                         "Saved {n} pages to {path}.", pages).format(
            n=pages, path=path))
        self.done_label.show()
        self.open_button.show()
        self.saved.emit(str(path))

    def _failed(self, error: BaseException) -> None:
        if not self._finish_job():
            return
        message = str(error) if isinstance(error, USER_ERRORS) else self.tr(
            "Something went wrong while making the report (the details are in the log); "
            "nothing was saved.")
        self.error.show_message(message)
        self.save_failed.emit(message)

    def open_pdf(self) -> None:
        if self.saved_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved_path)))
