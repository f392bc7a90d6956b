"""The doctor's report as a PDF: gathered from the stores, laid out by Qt, written atomically."""

from __future__ import annotations

import errno
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMarginsF,
    QRectF,
    Qt,
)
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from quell import APP_NAME
from quell.core.errors import InputError
from quell.core.i18n import ngettext
from quell.core.report import Report, build_report, report_html
from quell.core.tracker import Tracker
from quell.core.twitches import TwitchStore
from quell.storage.atomic import write_atomic
from quell.storage.check_store import SqliteCheckStore
from quell.storage.database import StorageError

# Longer periods make a report no one reads, and take a while to gather.
MAX_REPORT_DAYS = 366 * 2
_RESOLUTION = 300
_BODY_POINTS = 10.0


def _tr(text: str) -> str:
    return QCoreApplication.translate("report_pdf", text)


def collect_report(tracker: Tracker, twitches: TwitchStore, checks: SqliteCheckStore,
                   first_day: date, last_day: date, *, water_unit: str = "ml") -> Report:
    """Read everything the report for *first_day*..*last_day* needs and build it.

    A period running past today ends today (the report says which days it covers).
    """
    first_day, last_day = check_period(first_day, last_day, tracker.current_day())
    days = (last_day - first_day).days + 1
    return build_report(
        first_day, last_day, made_at=tracker.clock.now(),
        twitches=twitches.twitches_between(first_day, last_day),
        checks=checks.checks_between(first_day, last_day),
        day_summaries=[tracker.summary(first_day + timedelta(days=n)) for n in range(days)],
        water_unit=water_unit,
    )


def check_period(first_day: date, last_day: date, today: date) -> tuple[date, date]:
    """The period, ending no later than *today*; InputError if it is out of order, starts
    after today, or is too long."""
    if last_day < first_day:
        raise InputError(_tr("the report period ends ({end}) before it starts ({start})").format(
            end=last_day.isoformat(), start=first_day.isoformat()))
    if first_day > today:
        raise InputError(_tr("the report period starts after today ({start})").format(
            start=first_day.isoformat()))
    last_day = min(last_day, today)
    if (last_day - first_day).days + 1 > MAX_REPORT_DAYS:
        raise InputError(ngettext("a report covers at most {n} day; choose a shorter period",
                                  "a report covers at most {n} days; choose a shorter period",
                                  MAX_REPORT_DAYS).format(n=MAX_REPORT_DAYS))
    return first_day, last_day


def render_pdf(report: Report) -> tuple[bytes, int]:
    """The report as PDF bytes and its number of pages (a QGuiApplication must exist)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(_RESOLUTION)
    writer.setTitle(_tr("Quell report {first} to {last}").format(
        first=report.first_day.isoformat(), last=report.last_day.isoformat()))
    writer.setCreator(APP_NAME)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 16, 18, 16), QPageLayout.Unit.Millimeter))
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(_BODY_POINTS)
    document.setDefaultFont(font)
    document.setDefaultStyleSheet(
        "h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 14px; } "
        "h3 { font-size: 11pt; } th { background-color: #e8e8e8; }")
    document.setHtml(report_html(report))
    page = writer.pageLayout().paintRectPixels(_RESOLUTION)
    footer_height = int(_RESOLUTION * 0.3)  # about 7.5 mm for the page number
    body = QRectF(0, 0, page.width(), page.height() - footer_height)
    document.setPageSize(body.size())
    pages = document.pageCount()
    painter = QPainter(writer)
    try:
        small = QFont(font)
        small.setPointSizeF(_BODY_POINTS * 0.8)
        for number in range(pages):
            if number:
                writer.newPage()
            painter.save()
            painter.translate(0, -body.height() * number)
            document.drawContents(painter, QRectF(0, body.height() * number, body.width(),
                                                  body.height()))
            painter.restore()
            painter.setFont(small)
            footer = QRectF(0, page.height() - footer_height, page.width(), footer_height)
            painter.drawText(footer, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                             _tr("Quell report, {first} to {last} · page {n} of {total}").format(
                                 first=report.first_day.isoformat(),
                                 last=report.last_day.isoformat(), n=number + 1, total=pages))
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data()), pages


def write_report_pdf(report: Report, path: Path) -> int:
    """Write the report to *path* atomically; return its number of pages.

    Raises StorageError with a message for the user when the folder cannot be written.
    """
    if path.is_dir():
        raise StorageError(_tr("{path} is a folder; give a file name ending in .pdf").format(
            path=path))
    folder = path.parent
    if not folder.is_dir():
        raise StorageError(_tr("The folder {folder} does not exist. Choose another folder or "
                               "create it first.").format(folder=folder))
    data, pages = render_pdf(report)
    try:
        write_atomic(path, data, mode=0o600)
    except OSError as error:
        raise StorageError(_unwritable_message(folder, error)) from None
    return pages


def _unwritable_message(folder: Path, error: OSError) -> str:
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _tr("Quell cannot write to the folder {folder}: you do not have permission to "
                   "save there. Choose another folder, such as your Documents.").format(
            folder=folder)
    if error.errno == errno.ENOSPC:
        return _tr("There is not enough free space in {folder} to save the report. Free some "
                   "space or choose another place.").format(folder=folder)
    return _tr("Quell cannot save the report in {folder}: {problem}.").format(
        folder=folder, problem=error.strerror or str(error))


def ensure_gui_application() -> QGuiApplication:
    """The running QGuiApplication, or a new one that needs no display (for the command line).

    Qt lays text out with fonts, which needs a QGuiApplication; the offscreen platform gives one
    without a screen. The caller keeps the returned object alive while it renders.
    """
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    return QGuiApplication(["quell", "-platform", "offscreen"])
