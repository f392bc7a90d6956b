"""Quell's SVG illustrations drawn in the palette's colours, so dark themes just work.

The files in ``resources/illustrations`` paint with six placeholder colours (#010101 ...
#060606); they are swapped for palette-derived colours before QtSvg renders them.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from quell.ui.common.resources import resource_path
from quell.ui.common.style import mix


def illustration_colors(palette: QPalette) -> dict[str, QColor]:
    """Placeholder -> colour: ink, accent, soft background, muted props, fill, light accent."""
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    accent = palette.color(QPalette.ColorRole.Highlight)
    return {
        "#010101": mix(text, window, 0.12),
        "#020202": accent,
        "#030303": mix(window, accent, 0.16),
        "#040404": mix(text, window, 0.62),
        "#050505": mix(window, text, 0.04),
        "#060606": mix(accent, window, 0.45),
    }


@lru_cache(maxsize=64)
def _svg_text(name: str) -> str:
    return resource_path("illustrations", f"{name}.svg").read_text(encoding="utf-8")


def svg_bytes(name: str, palette: QPalette) -> QByteArray:
    """Illustration *name* with its placeholders replaced by *palette*'s colours."""
    text = _svg_text(name)
    for placeholder, colour in illustration_colors(palette).items():
        text = text.replace(placeholder, colour.name())
    return QByteArray(text.encode("utf-8"))


def render(name: str, size: QSize, palette: QPalette, ratio: float = 1.0) -> QPixmap:
    """Illustration *name* drawn into a transparent pixmap of *size* (kept in proportion)."""
    renderer = QSvgRenderer(svg_bytes(name, palette))
    pixmap = QPixmap(size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
    renderer.render(painter, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    return pixmap


class Illustration(QWidget):
    """Shows one illustration at the widget's size, redrawn when the palette changes."""

    def __init__(self, name: str = "", size: QSize | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._hint = size or QSize(240, 200)
        self._renderer: QSvgRenderer | None = None
        self._built_for: tuple[str, int] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    @property
    def name(self) -> str:
        return self._name

    def set_name(self, name: str) -> None:
        if name != self._name:
            self._name = name
            self._built_for = None
            self.update()

    def sizeHint(self) -> QSize:
        return self._hint

    def minimumSizeHint(self) -> QSize:
        return self._hint / 2

    def paintEvent(self, _event: object) -> None:
        if not self._name:
            return
        key = (self._name, self.palette().cacheKey())
        if self._built_for != key or self._renderer is None:
            self._renderer = QSvgRenderer(svg_bytes(self._name, self.palette()))
            self._renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
            self._built_for = key
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._renderer.render(painter, QRectF(self.rect()))
        painter.end()
