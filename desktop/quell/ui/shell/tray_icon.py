"""The tray icon: Quell's mark inside a ring that fills with the day's progress.

The icon is written as SVG and rendered by Qt's SVG image plugin. Drawing it with QPainter
would be as easy, but the first brush or pen touches PySide's ``Qt`` namespace, whose enums
take about 12 ms to build: a tenth of Quell's start-up for nothing the user sees.
"""

from __future__ import annotations

import math
from functools import lru_cache

from PySide6.QtGui import QIcon, QPixmap

# The ring moves in twelfths, so the icon changes visibly but is drawn at most 13 x 2 times.
STEPS = 12
_SIZES = (16, 22, 32, 64)

CALM = "#3aa394"   # teal: progress
LIMIT = "#e0913a"  # amber: an at-most limit was passed today
TRACK = "#808080"
MARK = "#eef6f4"

_RING = 7.0
_RADIUS = 32 - _RING / 2


def progress_step(score: float) -> int:
    """The ring's fill in steps of 1/12 (0..12) for a day score in 0..1."""
    return max(0, min(STEPS, round(score * STEPS)))


def icon_svg(step: int, limit_passed: bool, size: int = 64) -> str:
    """The icon as SVG text, drawn on a 64-unit canvas and shown at *size* pixels."""
    accent = LIMIT if limit_passed else CALM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        'viewBox="0 0 64 64">',
        f'<circle cx="32" cy="32" r="{_RADIUS}" fill="none" stroke="{TRACK}" '
        f'stroke-opacity="0.45" stroke-width="{_RING}"/>',
    ]
    if step >= STEPS:
        parts.append(f'<circle cx="32" cy="32" r="{_RADIUS}" fill="none" stroke="{accent}" '
                     f'stroke-width="{_RING}"/>')
    elif step > 0:
        angle = 2 * math.pi * step / STEPS  # clockwise from 12 o'clock
        x = 32 + _RADIUS * math.sin(angle)
        y = 32 - _RADIUS * math.cos(angle)
        large = 1 if step > STEPS / 2 else 0
        parts.append(
            f'<path d="M32 {32 - _RADIUS} A{_RADIUS} {_RADIUS} 0 {large} 1 {x:.2f} {y:.2f}" '
            f'fill="none" stroke="{accent}" stroke-width="{_RING}" stroke-linecap="round"/>')
    # The app icon's droplet and wave (its 128-unit drawing, scaled into the ring).
    parts += [
        '<g transform="translate(32 32.5) scale(0.43) translate(-64 -63.5)">',
        f'<path d="M64 18 C68.65 28.8 95 52.8 95 78 A31 31 0 0 1 33 78 C33 52.8 59.35 28.8 '
        f'64 18 Z" fill="{accent}"/>',
        f'<path d="M46 80 C51.4 71 58.6 71 64 80 S76.6 89 82 80" fill="none" stroke="{MARK}" '
        'stroke-width="10" stroke-linecap="round" stroke-linejoin="round"/>',
        "</g></svg>",
    ]
    return "".join(parts)


@lru_cache(maxsize=2 * (STEPS + 1))
def tray_icon(step: int, limit_passed: bool) -> QIcon:
    icon = QIcon()
    for size in _SIZES:
        pixmap = QPixmap()
        if not pixmap.loadFromData(icon_svg(step, limit_passed, size).encode(), "SVG"):
            raise RuntimeError("Qt's SVG image plugin is missing; reinstall PySide6")
        icon.addPixmap(pixmap)
    return icon
