"""The doctor's report as a PDF: laid out by Qt, then saved through ui/services/report.py (which
also gathers it from the stores and checks its period)."""

from __future__ import annotations

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
from quell.core.report import Report, report_html
from quell.ui.services.report import MAX_REPORT_DAYS as MAX_REPORT_DAYS
from quell.ui.services.report import check_destination, save_pdf
from quell.ui.services.report import check_period as check_period

_RESOLUTION = 300
_BODY_POINTS = 10.0


def _tr(text: str) -> str:
    return QCoreApplication.translate("report_pdf", text)


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
    # Lay the document out a block at a time: pageCount() alone does it in one call that holds
    # the GIL for the whole text, and this runs on a worker thread beside the GUI (a 2-year
    # report stalled the GUI 56-90 ms; block by block, under 40).
    layout = document.documentLayout()
    block = document.begin()
    while block.isValid():
        layout.blockBoundingRect(block)
        block = block.next()
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
    """Lay the report out and save it to *path* atomically; return its number of pages.

    Raises StorageError with a message for the user when the file cannot be written there (the
    destination is checked before the layout, which takes a while).
    """
    check_destination(path)
    data, pages = render_pdf(report)
    save_pdf(data, path)
    return pages


def ensure_gui_application() -> QGuiApplication:
    """The running QGuiApplication, or a new one that needs no display (for the command line).

    Qt lays text out with fonts, which needs a QGuiApplication; the offscreen platform gives one
    without a screen. The caller keeps the returned object alive while it renders.
    """
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    return QGuiApplication(["quell", "-platform", "offscreen"])
