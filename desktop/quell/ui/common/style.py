"""Small shared looks for Quell's windows: palette-derived colours, headers, a dialog's frame,
inline messages."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

# A warm red mixed into the palette's text colour: dark red on light palettes, soft red on dark
# ones, so the message keeps the contrast the user's theme chose.
_WARM = QColor(205, 40, 40)


def mix(first: QColor, second: QColor, amount: float) -> QColor:
    """*first* moved *amount* (0..1) of the way toward *second*."""
    keep = 1.0 - amount
    return QColor.fromRgbF(
        first.redF() * keep + second.redF() * amount,
        first.greenF() * keep + second.greenF() * amount,
        first.blueF() * keep + second.blueF() * amount,
    )


def warning_color(palette: QPalette) -> QColor:
    """A red-ish colour readable on the palette's window background."""
    return mix(palette.color(QPalette.ColorRole.WindowText), _WARM, 0.6)


def muted_color(palette: QPalette) -> QColor:
    """Secondary text: the window text toned toward the background."""
    return mix(palette.color(QPalette.ColorRole.WindowText),
               palette.color(QPalette.ColorRole.Window), 0.35)


def track_color(palette: QPalette) -> QColor:
    """The empty part of a progress bar."""
    return mix(palette.color(QPalette.ColorRole.Window),
               palette.color(QPalette.ColorRole.WindowText), 0.13)


def contrast(first: QColor, second: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
        return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
                + 0.0722 * channel(colour.blueF()))
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def link_color(palette: QPalette) -> QColor:
    """The theme's link colour, or plain text when the theme's link would be hard to read."""
    link = palette.color(QPalette.ColorRole.Link)
    if contrast(link, palette.color(QPalette.ColorRole.Window)) < 4.5:
        return palette.color(QPalette.ColorRole.WindowText)
    return link


def header_font(base: QFont, *, scale: float = 1.15) -> QFont:
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    font.setWeight(QFont.Weight.DemiBold)
    return font


def bold_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setWeight(QFont.Weight.DemiBold)
    return font


def small_font(base: QFont) -> QFont:
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 0.92)
    return font


def set_text_color(widget: QWidget, color: QColor) -> None:
    """Give *widget* its own text colour while keeping the rest of the inherited palette."""
    palette = QPalette(widget.palette())
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        palette.setColor(role, color)
    widget.setPalette(palette)


def hint_label(text: str, font: QFont, palette: QPalette) -> QLabel:
    """A line of help under a heading or a field: wrapped, a little smaller, muted."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setFont(small_font(font))
    set_text_color(label, muted_color(palette))
    return label


def add_section(grid: QGridLayout, row: int, title: str, font: QFont, *, columns: int) -> int:
    """Put a section's heading across *columns* of *grid* at *row*; return the next free row.

    A section after the first one gets a gap above it, so a long form reads in groups.
    """
    if row:
        grid.setRowMinimumHeight(row, 10)
        row += 1
    label = QLabel(title)
    label.setFont(header_font(font, scale=1.05))
    grid.addWidget(label, row, 0, 1, columns)
    return row + 1


def dialog_layout(dialog: QWidget, title: str, *,
                  margins: tuple[int, int, int, int] = (18, 14, 18, 14),
                  spacing: int = 10) -> QVBoxLayout:
    """*dialog*'s column of parts, its heading *title* already at the top.

    The margins and spacing are a small dialog's; a window-sized one passes its own.
    """
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(*margins)
    layout.setSpacing(spacing)
    heading = QLabel(title)
    heading.setFont(header_font(dialog.font()))
    layout.addWidget(heading)
    return layout


class InlineMessage(QLabel):
    """A one-line problem shown in place (red-ish, with a sign, so not by colour alone)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._message = ""
        self.hide()

    @property
    def message(self) -> str:
        """The message shown, or "" when hidden."""
        return self._message

    def show_message(self, message: str) -> None:
        self._message = message[:1].upper() + message[1:]
        # Read the colour now, from the surroundings, so a theme switch is picked up next time.
        source = self.parentWidget() or self
        set_text_color(self, warning_color(source.palette()))
        # The sign repeats what the colour says, for people who cannot tell colours apart.
        self.setText(f"⚠ {self._message}")
        self.setAccessibleName(self._message)
        self.show()

    def clear_message(self) -> None:
        self._message = ""
        self.clear()
        self.hide()


class ProgressBar(QWidget):
    """A slim rounded bar drawn from the palette; *marker* marks a range's lower end."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fraction = 0.0
        self._marker: float | None = None
        self._warn = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(60)

    def sizeHint(self) -> QSize:
        return QSize(160, 8)

    def set_progress(self, fraction: float, *, warn: bool = False,
                     marker: float | None = None) -> None:
        fraction = max(0.0, min(1.0, fraction))
        if (fraction, warn, marker) != (self._fraction, self._warn, self._marker):
            self._fraction, self._warn, self._marker = fraction, warn, marker
            self.update()

    @property
    def fraction(self) -> float:
        return self._fraction

    def paintEvent(self, _event: object) -> None:
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bar = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = bar.height() / 2
        track = QPainterPath()
        track.addRoundedRect(bar, radius, radius)
        painter.fillPath(track, track_color(palette))
        if self._fraction > 0:
            fill = QRectF(bar)
            fill.setWidth(max(bar.height(), bar.width() * self._fraction))
            path = QPainterPath()
            path.addRoundedRect(fill, radius, radius)
            # Past a limit the bar turns warm, softened toward the background to stay calm.
            colour = (mix(warning_color(palette), palette.color(QPalette.ColorRole.Window), 0.2)
                      if self._warn else palette.color(QPalette.ColorRole.Highlight))
            painter.fillPath(path, colour)
        if self._marker is not None and 0 < self._marker < 1:
            x = bar.left() + bar.width() * self._marker
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawLine(int(x), int(bar.top()) - 1, int(x), int(bar.bottom()) + 1)
        painter.end()
