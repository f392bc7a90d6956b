"""The tray icon: Quell's mark inside a ring that fills with the day's progress."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

# The ring moves in twelfths, so the icon changes visibly but is drawn at most 13 x 2 times.
STEPS = 12
_SIZES = (16, 22, 24, 32, 48, 64)

CALM = QColor("#3aa394")      # teal: progress
LIMIT = QColor("#e0913a")     # amber: an at-most limit was passed today
TRACK = QColor(128, 128, 128, 110)
MARK = QColor("#eef6f4")


def progress_step(score: float) -> int:
    """The ring's fill in steps of 1/12 (0..12) for a day score in 0..1."""
    return max(0, min(STEPS, round(score * STEPS)))


@lru_cache(maxsize=2 * (STEPS + 1))
def tray_icon(step: int, limit_passed: bool) -> QIcon:
    icon = QIcon()
    for size in _SIZES:
        icon.addPixmap(_draw(size, step, limit_passed))
    return icon


def _draw(size: int, step: int, limit_passed: bool) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    ring = max(1.5, size / 9)
    outer = QRectF(ring / 2, ring / 2, size - ring, size - ring)

    painter.setPen(QPen(TRACK, ring, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
    painter.drawEllipse(outer)
    if step:
        colour = LIMIT if limit_passed else CALM
        painter.setPen(QPen(colour, ring, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        # Qt angles are in 1/16 degree, counter-clockwise from 3 o'clock; start at 12 o'clock.
        painter.drawArc(outer, 90 * 16, -round(360 * 16 * step / STEPS))

    # The mark: a filled disc with a calm wave through it.
    inner_margin = ring * 1.9
    disc = QRectF(inner_margin, inner_margin, size - 2 * inner_margin, size - 2 * inner_margin)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(LIMIT if limit_passed else CALM)
    painter.drawEllipse(disc)
    wave = QPainterPath()
    left, right = disc.left() + disc.width() * 0.18, disc.right() - disc.width() * 0.18
    mid = disc.center().y()
    amp = disc.height() * 0.14
    wave.moveTo(QPointF(left, mid))
    wave.cubicTo(QPointF(left + (right - left) * 0.3, mid - 2 * amp),
                 QPointF(left + (right - left) * 0.7, mid + 2 * amp),
                 QPointF(right, mid))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(MARK, max(1.2, size / 14), Qt.PenStyle.SolidLine,
                        Qt.PenCapStyle.RoundCap))
    painter.drawPath(wave)
    painter.end()
    return pixmap
