"""Fields that take the scroll wheel only when focused, so scrolling a form never edits it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget

_GUARDED = "quellWheelGuarded"


class WheelGuard(QObject):
    """An event filter for spin boxes, time and date edits and combo boxes.

    Over a field without keyboard focus the wheel scrolls the nearest scroll area around it
    instead of changing the value (a time moved from 09:00 to 18:00 while the user was reading
    the page); once the field is focused (clicked or tabbed to) the wheel edits it as usual.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget)
                and not watched.hasFocus()):
            assert isinstance(event, QWheelEvent)
            area = _scroll_area_around(watched)
            if area is None:
                event.ignore()  # a real wheel event then goes on to the parents
            else:
                # Handed on explicitly: Qt passes an ignored wheel event to the parents only
                # when it came from the system, and the scroll area should not depend on that.
                viewport = area.viewport()
                position = QPointF(watched.mapTo(viewport, event.position().toPoint()))
                QCoreApplication.sendEvent(viewport, QWheelEvent(
                    position, event.globalPosition(), event.pixelDelta(), event.angleDelta(),
                    event.buttons(), event.modifiers(), event.phase(), event.inverted(),
                    event.source()))
                event.accept()
            return True
        return super().eventFilter(watched, event)


def guard_wheel(root: QWidget) -> WheelGuard:
    """Guard every spin box, time edit and combo box under *root* (call once it is built).

    They get the strong focus policy (Tab and click, not the wheel, focus them); the filter
    is a child of *root*, so it lives as long as the fields.
    """
    guard = root.findChild(WheelGuard, "wheelGuard", Qt.FindChildOption.FindDirectChildrenOnly)
    if guard is None:
        guard = WheelGuard(root)
        guard.setObjectName("wheelGuard")
    fields: list[QWidget] = [*root.findChildren(QAbstractSpinBox),
                             *root.findChildren(QComboBox)]
    for field in fields:
        if field.property(_GUARDED):
            continue  # already guarded (a page guarded alone, then inside its dialog)
        field.setProperty(_GUARDED, True)
        field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        field.installEventFilter(guard)
    return guard


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None
