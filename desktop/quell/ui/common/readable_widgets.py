"""Widgets that keep long text readable at any font size: wrapping options, bullets, pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFocusRect,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from quell.ui.common.style import mix, muted_color, set_text_color, small_font

# --- buttons whose text wraps (long options stay readable at large font sizes) --------------


class _WrappedText:
    """The text of an option: its label and an optional quieter hint below, wrapping freely."""

    def __init__(self, button: QWidget, text: str, hint: str, indent: int) -> None:
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.hint.setFont(small_font(button.font()))
        set_text_color(self.hint, muted_color(button.palette()))
        self.hint.setVisible(bool(hint))
        for label in (self.label, self.hint):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        column = QVBoxLayout(button)
        column.setContentsMargins(indent, 3, 4, 3)
        column.setSpacing(1)
        column.addWidget(self.label)
        column.addWidget(self.hint)
        button.setAccessibleName(text)
        if hint:
            button.setAccessibleDescription(hint)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        button.setSizePolicy(policy)


def _indicator_size(button: QWidget, radio: bool) -> int:
    """The style's indicator size, grown with the font so it stays easy to see and hit."""
    metric = (QStyle.PixelMetric.PM_ExclusiveIndicatorWidth if radio
              else QStyle.PixelMetric.PM_IndicatorWidth)
    return max(button.style().pixelMetric(metric), round(button.fontMetrics().height() * 0.8))


def _paint_option(button: QAbstractButton, text: _WrappedText,
                  indicator: QStyle.PrimitiveElement) -> None:
    painter = QStylePainter(button)
    option = QStyleOptionButton()
    button.initStyleOption(option)  # type: ignore[attr-defined]
    option.text = ""
    radio = indicator is QStyle.PrimitiveElement.PE_IndicatorRadioButton
    size = _indicator_size(button, radio)
    # Beside the first line of the label, however many lines follow.
    first_line = text.label.geometry().top() + button.fontMetrics().height() // 2
    option.rect = QRect(2, first_line - size // 2, size, size)
    painter.drawPrimitive(indicator, option)
    # Some themes draw the indicator's edge in a shade close to a dark window; a ring in a
    # text-derived shade keeps every option visible.
    palette = button.palette()
    ring = mix(palette.color(QPalette.ColorRole.Window),
               palette.color(QPalette.ColorRole.WindowText), 0.45)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(ring)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    edge = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
    if radio:
        painter.drawEllipse(edge)
    else:
        painter.drawRoundedRect(edge, 2, 2)
    if button.hasFocus():
        focus = QStyleOptionFocusRect()
        focus.initFrom(button)
        area = text.label.geometry()
        if text.hint.isVisible():
            area = area.united(text.hint.geometry())
        focus.rect = area.adjusted(-3, -1, 3, 1)
        painter.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, focus)


def _indent(button: QWidget, radio: bool) -> int:
    style = button.style()
    spacing = style.pixelMetric(QStyle.PixelMetric.PM_RadioButtonLabelSpacing if radio
                                else QStyle.PixelMetric.PM_CheckBoxLabelSpacing)
    return _indicator_size(button, radio) + spacing + 4


# Typed as the button it is mixed into; at run time a plain class, so the Qt button comes next.
if TYPE_CHECKING:
    _Button = QAbstractButton
else:
    _Button = object


class _WrappingOption(_Button):
    """What wrapping radio buttons and check boxes share (mixed in before the Qt button).

    It lays the text out, takes the size and the hit area from it, and paints the indicator.
    """

    _indicator: QStyle.PrimitiveElement

    def __init__(self, text: str, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        radio = self._indicator is QStyle.PrimitiveElement.PE_IndicatorRadioButton
        self.wrapped = _WrappedText(self, text, hint, _indent(self, radio=radio))

    def sizeHint(self) -> QSize:
        layout = self.layout()  # the wrapped text's, set in __init__
        return layout.totalSizeHint() if layout is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        return layout.totalMinimumSize() if layout is not None else super().minimumSizeHint()

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)

    def paintEvent(self, _event: object) -> None:
        _paint_option(self, self.wrapped, self._indicator)


class OptionRadio(_WrappingOption, QRadioButton):
    """A radio button for one option, its text wrapping over as many lines as it needs."""

    _indicator = QStyle.PrimitiveElement.PE_IndicatorRadioButton


class OptionCheck(_WrappingOption, QCheckBox):
    """A check box for a yes/no statement, its text wrapping over as many lines as it needs."""

    _indicator = QStyle.PrimitiveElement.PE_IndicatorCheckBox


# --- text and pages ------------------------------------------------------------------------


def paragraph(text: str, *, font: QFont | None = None) -> QLabel:
    """A word-wrapped plain-text label."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if font is not None:
        label.setFont(font)
    return label


class Bullet(QWidget):
    """A bulleted line whose wrapped lines hang under the text, not under the bullet."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 0, 0, 0)
        row.setSpacing(8)
        mark = QLabel("•")
        mark.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.label = paragraph(text)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.label, 1)

    def text(self) -> str:
        return self.label.text()


def scrolling(content: QWidget) -> QScrollArea:
    """*content* in a frameless scroll area, so large fonts never cut anything off."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(content)
    scroll.viewport().setAutoFillBackground(False)
    content.setAutoFillBackground(False)
    return scroll

