"""Make the PDF report for the doctor: choose a period and a file, then save it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths, Qt, QUrl, Signal
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
    QVBoxLayout,
    QWidget,
)

from quell.core.errors import InputError
from quell.core.i18n import count, ngettext
from quell.storage.database import StorageError
from quell.ui.common.style import (
    InlineMessage,
    header_font,
    muted_color,
    set_text_color,
    small_font,
)
from quell.ui.report.pdf import check_period, write_report_pdf
from quell.ui.services.symptom_session import SymptomSession

QUICK_PERIODS = (30, 90, 365)


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def default_folder() -> Path:
    """The user's Documents folder (or home) for a new report."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class ReportDialog(QDialog):
    """Choose a period and a file, and save the doctor's report there as a PDF.

    Signals:
        saved(str): the path of the PDF just written.
    """

    saved = Signal(str)

    def __init__(self, symptoms: SymptomSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._symptoms = symptoms
        self.saved_path: Path | None = None
        self.setWindowTitle(self.tr("Report for your doctor"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        title = QLabel(self.tr("Report for your doctor"))
        title.setFont(header_font(self.font()))
        layout.addWidget(title)
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
            button = QPushButton(count("Last {n} day", "Last {n} days", days))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, d=days: self.set_last_days(d))
            quick.addWidget(button)
        quick.addStretch(1)
        form.addRow("", quick)

        file_row = QHBoxLayout()
        file_row.setSpacing(6)
        self.path = QLineEdit(str(default_folder() / self.tr("Quell report {day}.pdf").format(
            day=today.isoformat())))
        self.path.setAccessibleName(self.tr("File"))
        choose = QPushButton(self.tr("C&hoose…"))
        choose.setAutoDefault(False)
        choose.clicked.connect(self.choose_file)
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
        privacy = QLabel(self.tr("The report holds health information: share it only with "
                                 "people you choose."))
        privacy.setWordWrap(True)
        privacy.setFont(small_font(self.font()))
        set_text_color(privacy, muted_color(self.palette()))
        layout.addWidget(privacy)
        layout.addStretch(1)

        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("&Open the PDF"))
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(self.open_pdf)
        self.open_button.hide()
        self.save_button = QPushButton(self.tr("&Save PDF"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = QPushButton(self.tr("&Close"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        line = self.fontMetrics().height()
        self.resize(max(480, line * 34), self.sizeHint().height())

    def _date_edit(self, value: date, maximum: date) -> QDateEdit:
        edit = QDateEdit(_qdate(value))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("ddd d MMM yyyy")
        edit.setMaximumDate(_qdate(maximum))
        return edit

    def set_last_days(self, days: int) -> None:
        today = self._symptoms.current_day()
        self.last.setDate(_qdate(today))
        self.first.setDate(_qdate(today - timedelta(days=days - 1)))

    def period(self) -> tuple[date, date]:
        return _pydate(self.first.date()), _pydate(self.last.date())

    def choose_file(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save the report as"), self.path.text(), self.tr("PDF files (*.pdf)"))
        if chosen:
            if not chosen.lower().endswith(".pdf"):
                chosen += ".pdf"
            self.path.setText(chosen)

    def save(self) -> Path | None:
        """Write the PDF; problems (a period in the wrong order, a folder that cannot be
        written) show inline and write nothing."""
        self.done_label.hide()
        self.open_button.hide()
        text = self.path.text().strip()
        first, last = self.period()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if not text:
                raise InputError(self.tr("choose where to save the report"))
            path = Path(text).expanduser()
            first, last = check_period(first, last, self._symptoms.current_day())
            pages = write_report_pdf(self._symptoms.build_report(first, last), path)
        except (InputError, StorageError) as error:
            self.error.show_message(str(error))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.error.clear_message()
        self.saved_path = path
        self.done_label.setText(ngettext("Saved {n} page to {path}.",
                                         "Saved {n} pages to {path}.", pages).format(
            n=pages, path=path))
        self.done_label.show()
        self.open_button.show()
        self.saved.emit(str(path))
        return path

    def open_pdf(self) -> None:
        if self.saved_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved_path)))
